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

    def _action_done(self):
        """Deliveries to customers issue the warranty code of every serial
        delivered without one (lazy issuance: units that were not part of a
        printed code batch)."""
        res = super()._action_done()
        self._issue_warranty_codes()
        return res

    def _issue_warranty_codes(self):
        lines = self.filtered(
            lambda p: p.state == "done" and p.location_dest_id.usage == "customer"
        ).move_line_ids
        lots = lines.filtered(lambda line: line.state == "done").lot_id
        codes = self.env["warranty.code"]
        lots = codes._lots_needing_code(lots)
        if lots:
            codes._issue_for_lots(lots)
