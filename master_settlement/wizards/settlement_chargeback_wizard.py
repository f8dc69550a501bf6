# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from ..tools.access import MANAGER, check_group


class SettlementChargebackWizard(models.TransientModel):
    """A refund or rework found after a job was paid: charge it back."""

    _name = "settlement.chargeback.wizard"
    _description = "Technician Chargeback"

    job_line_id = fields.Many2one("settlement.job.line", required=True)
    currency_id = fields.Many2one(related="job_line_id.currency_id")
    amount = fields.Monetary(required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        check_group(self.env, MANAGER)
        self.ensure_one()
        chargeback = self.job_line_id._create_chargeback(self.amount, self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "settlement.job.line",
            "res_id": chargeback.id,
            "view_mode": "form",
        }
