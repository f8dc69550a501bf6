# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    warranty_claim_id = fields.Many2one(
        "warranty.claim",
        index="btree_not_null",
        copy=False,
        groups="warranty_claims.group_warranty_user",
    )
