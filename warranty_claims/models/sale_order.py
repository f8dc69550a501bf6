# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    warranty_claim_ids = fields.One2many(
        "warranty.claim",
        "sale_order_id",
        string="Warranty Claims",
        groups="warranty_claims.group_warranty_user",
    )
