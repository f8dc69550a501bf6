# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from ..tools import OFFICER, check_group


class AccountMove(models.Model):
    _inherit = "account.move"

    warranty_claim_count = fields.Integer(
        compute="_compute_warranty_claim_count",
        groups="warranty_claims.group_warranty_user",
    )

    def _compute_warranty_claim_count(self):
        claims = self.env["warranty.claim"].search(
            [
                "|",
                ("brand_invoice_line_id.move_id", "in", self._origin.ids),
                ("refund_move_id", "in", self._origin.ids),
            ]
        )
        for move in self:
            move.warranty_claim_count = len(
                claims.filtered(
                    lambda c, m=move._origin: (
                        m in (c.brand_invoice_line_id.move_id | c.refund_move_id)
                    )
                )
            )

    def action_view_warranty_claims(self):
        check_group(self, OFFICER, self.env._("Viewing the claims of an invoice"))
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
