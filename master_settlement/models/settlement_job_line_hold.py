# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.fieldservice_install.tools.responsible import responsible_user
from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import holds
from ..tools.access import MANAGER, check_group
from .settlement_job_line import HOLD_REASONS, LEDGER


class SettlementJobLine(models.Model):
    """Holds: a job is held until the customer confirms it and the dispute
    window passes, or while a quality hold stands; then releasable."""

    _inherit = "settlement.job.line"  # pylint: disable=consider-merging-classes-inherited

    hold_reason = fields.Selection(
        HOLD_REASONS, readonly=True, tracking=True, server_owned=LEDGER
    )
    quality_released = fields.Boolean(readonly=True, copy=False, server_owned=LEDGER)
    confirmed_date = fields.Date(
        string="Accepted On",
        readonly=True,
        help="The day the customer confirmed the job: aging counts from here.",
        server_owned=LEDGER,
    )
    dispute_until = fields.Date(
        string="Dispute Window Ends", readonly=True, server_owned=LEDGER
    )
    releasable_date = fields.Date(readonly=True, index=True, server_owned=LEDGER)
    overdue_notified = fields.Boolean(readonly=True, copy=False, server_owned=True)

    def _hold_facts(self):
        """What the hold state machine reads of the line."""
        self.ensure_one()
        return holds.LineFacts(
            line_type=self.line_type,
            ledger_state=self.ledger_state,
            hold_reason=self.hold_reason or None,
            quality_hold=bool(self.fsm_order_id.quality_hold),
            quality_released=self.quality_released,
            confirmed_date=self.confirmed_date or None,
            dispute_until=self.dispute_until or None,
        )

    def _refresh_hold(self):
        """Move open job lines between held and releasable, as the hold state
        machine says."""
        today = fields.Date.context_today(self)
        held, released_ids = holds.plan(
            {line.id: line._hold_facts() for line in self}, today
        )
        released = self.browse(released_ids)
        with server_owned_writes():
            for reason, ids in held.items():
                self.browse(ids).write({"ledger_state": "held", "hold_reason": reason})
            released.write(
                {
                    "ledger_state": "releasable",
                    "hold_reason": False,
                    "releasable_date": today,
                }
            )
        released._release_held_funds()
        return released

    def _on_customer_confirmed(self, day):
        for line in self:
            if not holds.can_confirm(line._hold_facts()):
                continue
            days = line.fsm_order_id.type.settlement_dispute_days
            with server_owned_writes():
                line.write(
                    {
                        "confirmed_date": day,
                        "dispute_until": holds.dispute_until(day, days),
                    }
                )
        self._refresh_hold()

    def _on_quality_hold(self):
        with server_owned_writes():
            self.filtered(lambda line: holds.is_open(line.ledger_state)).write(
                {"quality_released": False}
            )
        self._refresh_hold()

    def _check_manager_open(self):
        check_group(
            self.env,
            MANAGER,
            self.env._("Only a settlement accountant can release a quality hold."),
        )
        for line in self:
            if not holds.can_release_quality(line._hold_facts()):
                raise UserError(
                    self.env._("Job %s is not on a quality hold.", line.name)
                )

    def action_release_quality(self):
        """The callback went well: pay the job in full."""
        self._check_manager_open()
        with server_owned_writes():
            self.write({"quality_released": True})
        for line in self:
            line.message_post(body=self.env._("Quality hold released, no penalty."))
        self._refresh_hold()
        return True

    def action_apply_quality_penalty(self):
        """The low rating stands: apply the rate card's quality penalty, with
        the rating as evidence, and release the job."""
        self._check_manager_open()
        vals_list = []
        for line in self:
            rating = line.fsm_order_id.rating_ids[:1]
            vals_list.append(
                line._prepare_penalty_vals(
                    "quality",
                    line.rate_card_id.quality_penalty,
                    self.env._(
                        "Customer rating %(stars)s/5: %(comment)s",
                        stars=rating.value,
                        comment=rating.comment or "-",
                    ),
                )
            )
        with server_owned_writes():
            self.env["settlement.job.penalty"].create(vals_list)
            self.write({"quality_released": True})
        for line in self:
            line.message_post(
                body=self.env._(
                    "Quality penalty applied; net amount %s.",
                    line.currency_id.format(line.amount),
                )
            )
        self._refresh_hold()
        return True

    @api.model
    def _cron_release(self):
        """Release the jobs whose dispute window has passed."""
        today = fields.Date.context_today(self)
        self.search(
            [
                ("ledger_state", "=", "held"),
                ("hold_reason", "=", "dispute"),
                ("dispute_until", "<=", today),
            ]
        )._refresh_hold()

    @api.model
    def _cron_overdue(self):
        """Flag lines releasable for longer than the company's maximum payout
        delay to the settlement accountant (one activity per line)."""
        today = fields.Date.context_today(self)
        lines = self.search(
            [
                ("ledger_state", "=", "releasable"),
                ("overdue_notified", "=", False),
                ("releasable_date", "!=", False),
            ]
        )
        late = lines.filtered(
            lambda line: (
                line.company_id.settlement_max_payout_days > 0
                and (today - line.releasable_date).days
                > line.company_id.settlement_max_payout_days
            )
        )
        for line in late:
            line.activity_schedule(
                "mail.mail_activity_data_todo", **line._prepare_overdue_activity_vals()
            )
        with server_owned_writes():
            late.write({"overdue_notified": True})
        return late

    def _prepare_overdue_activity_vals(self):
        """The to-do of a payout overdue (``activity_schedule``'s values):
        for the company's settlement accountant, else who Odoo's shared
        fallback finds."""
        self.ensure_one()
        company = self.company_id
        return {
            "summary": self.env._("Technician payout overdue"),
            "note": self.env._(
                "%(job)s has been releasable since %(day)s, longer than the "
                "%(days)s days allowed: include it in a settlement run.",
                job=self.name,
                day=self.releasable_date,
                days=company.settlement_max_payout_days,
            ),
            "user_id": responsible_user(
                self.env, company, company.settlement_accountant_id, group=MANAGER
            ).id,
        }
