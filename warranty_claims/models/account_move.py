# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    warranty_claim_count = fields.Integer(
        compute="_compute_warranty_claim_count",
        groups="warranty_claims.group_warranty_user",
    )

    def _compute_warranty_claim_count(self):
        claim_model = self.env["warranty.claim"]
        for move in self:
            move.warranty_claim_count = claim_model.search_count(
                [
                    "|",
                    ("brand_invoice_line_id.move_id", "=", move.id),
                    ("refund_move_id", "=", move.id),
                ]
            )

    def action_view_warranty_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "warranty_claims.warranty_claim_action"
        )
        action["domain"] = [
            "|",
            ("brand_invoice_line_id.move_id", "=", self.id),
            ("refund_move_id", "=", self.id),
        ]
        action["context"] = {}
        return action
