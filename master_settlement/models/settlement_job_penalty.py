# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_trusted,
)

PENALTY_KINDS = [
    ("late", "Late Arrival"),
    ("rework", "Rework"),
    ("quality", "Quality Hold"),
]


class SettlementJobPenalty(models.Model):
    """A penalty on a job, with its evidence; the rate card caps each kind.

    A clerk's penalty (rework...) is the clerk's input: its amount and
    evidence are theirs to enter, and the job line reprices (the line's
    amounts are the server's). A penalty applied by the system (late arrival
    from the order's SLA breach, the quality penalty of the accountant's
    *Apply Quality Penalty*) is ``automatic``: it changes only through those
    actions, so that nobody lowers it by hand.
    """

    _name = "settlement.job.penalty"
    _description = "Technician Job Penalty"
    _inherit = ["install.server.owned.mixin"]  # noqa: RUF012
    _order = "job_line_id, id"

    job_line_id = fields.Many2one(
        "settlement.job.line", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="job_line_id.company_id", store=True)
    automatic = fields.Boolean(
        readonly=True,
        copy=False,
        help="Applied by the system (late arrival, quality hold): it changes "
        "only through the action that applied it.",
        server_owned=_lt(
            "set by the SLA breach at completion and by Apply Quality Penalty"
        ),
    )
    currency_id = fields.Many2one(related="job_line_id.currency_id")
    kind = fields.Selection(PENALTY_KINDS, required=True)
    amount = fields.Monetary(required=True)
    evidence = fields.Text(required=True, help="Why: what shows the penalty is due.")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "settlement_job_penalty_attachment_rel",
        "penalty_id",
        "attachment_id",
        string="Evidence Files",
    )

    @api.constrains("amount", "evidence")
    def _check_penalty(self):
        for penalty in self:
            if penalty.amount <= 0:
                raise ValidationError(
                    self.env._(
                        "Penalty on %s: the amount must be positive.",
                        penalty.job_line_id.name,
                    )
                )
            if not (penalty.evidence or "").strip():
                raise ValidationError(
                    self.env._(
                        "Penalty on %s: describe the evidence.",
                        penalty.job_line_id.name,
                    )
                )

    def _check_line_open(self):
        for penalty in self:
            if penalty.job_line_id.ledger_state not in (
                "accepted",
                "held",
                "releasable",
            ):
                raise UserError(
                    self.env._(
                        "Job %s is already settled: record a chargeback instead "
                        "of a penalty.",
                        penalty.job_line_id.name,
                    )
                )

    def _check_not_automatic(self):
        """A penalty the system applied is changed by the system only."""
        if server_owned_trusted():
            return
        automatic = self.filtered("automatic")
        if automatic:
            raise UserError(
                self.env._(
                    "The %(kind)s penalty of job %(job)s was applied by the system "
                    "(SLA breach, quality decision): it cannot be changed or "
                    "deleted by hand. Record a chargeback after settlement if it "
                    "was wrong.",
                    kind=automatic[0].kind,
                    job=automatic[0].job_line_id.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        penalties = super().create(vals_list)
        penalties._check_penalty()
        penalties._check_line_open()
        penalties.job_line_id._reprice()
        return penalties

    def write(self, vals):
        self._check_not_automatic()
        self._check_line_open()
        lines = self.job_line_id
        res = super().write(vals)
        if "job_line_id" in vals:
            self._check_line_open()
        (lines | self.job_line_id)._reprice()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        self._check_not_automatic()
        self._check_line_open()

    def unlink(self):
        lines = self.job_line_id
        res = super().unlink()
        lines.exists()._reprice()
        return res
