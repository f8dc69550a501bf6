# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools.translate import _lt

RUN_OWNED = _lt("set by the settlement run that made the bill")


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["install.server.owned.mixin", "account.move.line"]  # noqa: RUF012
    # Odoo's computed fields stay Odoo's: only the fields marked server_owned
    _server_owned_computed = False

    settlement_job_line_id = fields.Many2one(
        "settlement.job.line",
        string="Settled Job",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
        server_owned=RUN_OWNED,
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
        server_owned=RUN_OWNED,
    )

    _settlement_job_once = models.UniqueIndex(
        "(settlement_job_line_id) WHERE settlement_job_line_id IS NOT NULL"
        " AND parent_state = 'posted'",
        "A technician job can be on one posted bill only.",
    )
