# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools.translate import _lt

PREVIEWED = _lt("computed by Preview on the settlement run")


class SettlementRunPreview(models.Model):
    """One technician's bill as a dry run computes it, against the last run.

    Every figure is the preview's computation: only *Preview* writes them (an
    accountant comparing runs must be able to trust them).
    """

    _name = "settlement.run.preview"
    _description = "Settlement Run Preview"
    _inherit = ["install.server.owned.mixin"]  # noqa: RUF012
    _order = "run_id, difference desc, id"

    run_id = fields.Many2one(
        "settlement.run",
        required=True,
        index=True,
        ondelete="cascade",
        server_owned=PREVIEWED,
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    currency_id = fields.Many2one(related="run_id.currency_id")
    person_id = fields.Many2one(
        "fsm.person", string="Technician", required=True, server_owned=PREVIEWED
    )
    job_count = fields.Integer(string="Lines", server_owned=PREVIEWED)
    amount = fields.Monetary(string="Bill Amount", server_owned=PREVIEWED)
    deduction = fields.Monetary(
        string="Balance Recovered",
        help="What the bill nets of the balance the technician owes from earlier "
        "periods (capped per period).",
        server_owned=PREVIEWED,
    )
    previous_amount = fields.Monetary(string="Last Run", server_owned=PREVIEWED)
    difference = fields.Monetary(server_owned=PREVIEWED)
    carry_forward = fields.Monetary(
        string="Carried Forward",
        help="The balance the technician still owes after this run (negative).",
        server_owned=PREVIEWED,
    )
    will_bill = fields.Boolean(string="Billed", server_owned=PREVIEWED)
