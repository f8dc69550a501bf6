# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes


class SettlementJobLine(models.Model):
    """Chargebacks: a refund or rework found after a job was paid, charged
    back by the next run as a negative line."""

    _inherit = "settlement.job.line"  # pylint: disable=consider-merging-classes-inherited

    origin_line_id = fields.Many2one(
        "settlement.job.line",
        string="Origin",
        readonly=True,
        index="btree_not_null",
        help="The paid job a chargeback corrects.",
        server_owned=True,
    )

    def _create_chargeback(self, amount, reason):
        """A refund or rework found after payment: a negative line paid back
        by the next run."""
        self.ensure_one()
        if self.ledger_state not in ("billed", "settled") or self.line_type != "job":
            raise UserError(
                self.env._(
                    "Job %s has not been settled yet: apply a penalty instead of a "
                    "chargeback.",
                    self.name,
                )
            )
        if amount <= 0:
            raise UserError(self.env._("A chargeback amount must be positive."))
        today = fields.Date.context_today(self)
        with server_owned_writes():
            chargeback = self.create(
                self._prepare_chargeback_vals(amount, reason, today)
            )
        self.message_post(
            body=self.env._(
                "Chargeback of %(amount)s: %(reason)s",
                amount=self.currency_id.format(amount),
                reason=reason,
            )
        )
        return chargeback

    def _prepare_chargeback_vals(self, amount, reason, today):
        """The chargeback line of this paid job: ``amount`` taken back,
        releasable at once (the next run nets it)."""
        self.ensure_one()
        return {
            "name": self.env._("Chargeback %s", self.name),
            "line_type": "chargeback",
            "fsm_order_id": self.fsm_order_id.id,
            "person_id": self.person_id.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "origin_line_id": self.id,
            "gross_amount": -amount,
            "amount": -amount,
            "breakdown": {"base": -amount},
            "ledger_state": "releasable",
            "releasable_date": today,
            "completed_date": fields.Datetime.now(),
            "confirmed_date": today,
            "note": reason,
        }
