# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    warranty_policy_id = fields.Many2one(
        "warranty.policy",
        help="Overrides the policy of the product category.",
    )
    warranty_brand_id = fields.Many2one(
        "res.partner",
        help="The brand responsible for the warranty: covered costs of completed "
        "claims are invoiced to it.",
    )
