# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    warranty_policy_id = fields.Many2one(
        "warranty.policy",
        help="Applies to the category's products and sub-categories that have no "
        "policy of their own.",
    )
