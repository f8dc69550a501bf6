# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import MANAGER, check_group


class WarrantyBrandBilling(models.TransientModel):
    """Invoice the brands for the covered costs of completed claims."""

    _name = "warranty.brand.billing"
    _description = "Bill Warranty Costs to Brands"

    date_to = fields.Date(
        string="Claims Completed Until",
        required=True,
        default=fields.Date.context_today,
    )
    claim_ids = fields.Many2many(
        "warranty.claim",
        string="Claims to Bill",
        compute="_compute_claim_ids",
    )
    claim_count = fields.Integer(compute="_compute_claim_ids")

    @api.depends("date_to")
    def _compute_claim_ids(self):
        for wizard in self:
            claims = self.env["warranty.claim"].search(
                [("billing_state", "=", "to_bill"), ("done_date", "<=", wizard.date_to)]
            )
            wizard.claim_ids = claims
            wizard.claim_count = len(claims)

    def action_bill(self):
        check_group(self, MANAGER, self.env._("Billing the brands"))
        self.ensure_one()
        moves = self.env["warranty.claim"]._bill_brands(
            self.claim_ids, date_to=self.date_to
        )
        if not moves:
            raise UserError(
                self.env._(
                    "No completed claim with covered costs is waiting to be billed "
                    "up to %s.",
                    self.date_to,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Brand Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", moves.ids)],
        }
