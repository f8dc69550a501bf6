# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class SettlementRunPreview(models.Model):
    """One technician's bill as a dry run computes it, against the last run."""

    _name = "settlement.run.preview"
    _description = "Settlement Run Preview"
    _order = "run_id, difference desc, id"

    run_id = fields.Many2one(
        "settlement.run", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    currency_id = fields.Many2one(related="run_id.currency_id")
    person_id = fields.Many2one("fsm.person", string="Technician", required=True)
    job_count = fields.Integer(string="Lines")
    amount = fields.Monetary(string="Bill Amount")
    previous_amount = fields.Monetary(string="Last Run")
    difference = fields.Monetary()
    carry_forward = fields.Monetary(string="Carried Forward")
    will_bill = fields.Boolean(string="Billed")
