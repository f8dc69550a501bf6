# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    settlement_job_line_id = fields.Many2one(
        "settlement.job.line",
        string="Settled Job",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    settlement_role = fields.Selection(
        [
            ("job", "Job"),
            ("chargeback", "Chargeback"),
            ("bonus", "Bonus"),
            ("commission", "Commission"),
            ("penalty", "Penalty"),
            ("carry", "Balance Brought Forward"),
        ],
        readonly=True,
        copy=False,
    )

    _settlement_job_once = models.UniqueIndex(
        "(settlement_job_line_id) WHERE settlement_job_line_id IS NOT NULL"
        " AND parent_state = 'posted'",
        "A technician job can be on one posted bill only.",
    )
