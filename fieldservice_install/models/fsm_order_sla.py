# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Service level of field service orders: the policy, its deadlines, the
warnings before them, the breaches, and the pauses of the clock.

``sla_paused_since`` is when the SLA clock stopped and ``sla_pause_reason``
why; both are empty while the clock runs and are set and cleared together,
by :meth:`_sla_pause` and :meth:`_sla_resume` only. One pause at a time:
pausing a paused order keeps the first pause and reason.
``_sla_resume(reason)`` resumes only the orders paused for that reason (any
reason without one): a passing inspection resumes a 'goods_damaged' pause,
never another one.
"""

from odoo import api, fields, models

from ..engine import sla
from ..tools.server_owned import server_owned_writes


class FsmOrderSla(models.Model):
    _inherit = "fsm.order"  # pylint: disable=consider-merging-classes-inherited

    sla_policy_id = fields.Many2one(
        "fsm.sla.policy",
        string="SLA",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
    )
    first_contact_date = fields.Datetime(
        copy=False, readonly=True, tracking=True, server_owned=True
    )
    sla_paused_hours = fields.Float(
        string="SLA Paused (h)",
        readonly=True,
        server_owned=True,
        copy=False,
        help="Time the SLA clock stood still; deadlines move by as much.",
    )
    sla_first_contact_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, server_owned=True
    )
    sla_arrival_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, server_owned=True
    )
    sla_completion_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, server_owned=True
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        server_owned=True,
    )
    sla_warned = fields.Char(
        string="SLA Warned",
        readonly=True,
        copy=False,
        server_owned=True,
        help="Deadlines already warned about.",
    )

    @api.depends("type", "priority", "company_id")
    def _compute_sla_policy_id(self):
        policies = self.env["fsm.sla.policy"].search(
            [("order_type_id", "in", self.type.ids)]
        )
        for order in self:
            order.sla_policy_id = next(
                (
                    p
                    for p in policies
                    if p.order_type_id == order.type
                    and p.priority == order.priority
                    and p.company_id in (order.company_id, self.env["res.company"])
                ),
                False,
            )

    @api.depends(
        "sla_policy_id.first_contact_hours",
        "sla_policy_id.arrival_hours",
        "sla_policy_id.completion_hours",
        "create_date",
        "sla_paused_hours",
    )
    def _compute_sla_deadlines(self):
        for order in self:
            policy = order.sla_policy_id
            found = sla.deadlines(
                order._sla_engine_policy() if policy else None,
                order.create_date or None,
                order.sla_paused_hours,
            )
            order.sla_first_contact_deadline = found["first_contact"] or False
            order.sla_arrival_deadline = found["arrival"] or False
            order.sla_completion_deadline = found["completion"] or False

    def _sla_engine_policy(self):
        """The order's SLA policy as the engine's :class:`~..engine.sla.Policy`."""
        self.ensure_one()
        policy = self.sla_policy_id
        return sla.Policy(
            first_contact_hours=policy.first_contact_hours,
            arrival_hours=policy.arrival_hours,
            completion_hours=policy.completion_hours,
            warn_hours=policy.warn_hours,
        )

    def _sla_steps(self):
        """The order's steps as the engine's :class:`~..engine.sla.Step` s."""
        self.ensure_one()
        completed = self.env.ref("fieldservice.fsm_stage_completed")
        done_at = self.date_end or (
            self.write_date if self.stage_id == completed else None
        )
        return [
            sla.Step(
                "first_contact",
                self.sla_first_contact_deadline or None,
                self.first_contact_date or None,
            ),
            sla.Step(
                "arrival",
                self.sla_arrival_deadline or None,
                self._sla_arrival_date() or None,
            ),
            sla.Step("completion", self.sla_completion_deadline or None, done_at),
        ]

    def _sla_arrival_date(self):
        self.ensure_one()
        return self.date_start

    def action_customer_contacted(self):
        """Record the first contact with the customer (now), for the SLA."""
        self.check_access("write")
        with server_owned_writes():
            self.filtered(lambda o: not o.first_contact_date).write(
                {"first_contact_date": fields.Datetime.now()}
            )
        self._sla_check()
        return True

    def _sla_check(self, now=None):
        """Flag breaches; warn the dispatcher before a deadline (once each)."""
        now = now or fields.Datetime.now()
        step_labels = {
            "first_contact": self.env._("first contact"),
            "arrival": self.env._("arrival"),
            "completion": self.env._("completion"),
        }
        for order in self.filtered("sla_policy_id"):
            if order.sla_paused_since:
                continue
            warned = set(filter(None, (order.sla_warned or "").split(",")))
            verdict = sla.check(
                order._sla_steps(),
                now,
                order.sla_policy_id.warn_hours,
                warned=warned,
                breached=order.sla_breached,
            )
            breached = verdict.breached
            for step in verdict.warn:
                warned.add(step.code)
                order.activity_schedule(
                    **order._prepare_install_activity_vals(
                        "mail.mail_activity_data_warning",
                        summary=self.env._("SLA deadline close"),
                        note=self.env._(
                            "%(order)s: the %(step)s deadline is %(deadline)s.",
                            order=order.name,
                            step=step_labels[step.code],
                            deadline=fields.Datetime.to_string(step.deadline),
                        ),
                    )
                )
            vals = {}
            if breached != order.sla_breached:
                vals["sla_breached"] = breached
            if ",".join(sorted(warned)) != (order.sla_warned or ""):
                vals["sla_warned"] = ",".join(sorted(warned))
            if vals:
                with server_owned_writes():
                    order.write(vals)

    @api.model
    def _cron_sla_watch(self):
        self.search(
            [
                ("sla_policy_id", "!=", False),
                ("sla_breached", "=", False),
                ("stage_id.is_closed", "=", False),
            ]
        )._sla_check()

    sla_paused_since = fields.Datetime(
        string="SLA Paused Since",
        copy=False,
        readonly=True,
        tracking=True,
        server_owned=True,
        help="When the SLA clock stopped; empty while it runs. The time until it "
        "runs again does not count against the SLA.",
    )
    sla_pause_reason = fields.Selection(
        [
            ("goods_damaged", "Goods Damaged"),
            ("customer_absent", "Customer Absent"),
            ("waiting_parts", "Waiting for Parts"),
        ],
        string="SLA Pause Reason",
        copy=False,
        readonly=True,
        tracking=True,
        server_owned=True,
        help="Why the SLA clock is stopped; empty while it runs.",
    )

    def action_complete(self):
        res = super().action_complete()
        self._sla_check()
        return res

    def _sla_pause(self, reason, when=None):
        """Stop the SLA clock of the running orders for ``reason``.

        Orders already paused keep their pause. Returns the orders paused now.
        """
        running = self.filtered(lambda o: not o.sla_paused_since)
        with server_owned_writes():
            running.write(
                {
                    "sla_paused_since": when or fields.Datetime.now(),
                    "sla_pause_reason": reason,
                }
            )
        return running

    def _sla_resume(self, reason=None, when=None):
        """Restart the SLA clock of the orders paused for ``reason`` (any
        reason when empty). Posts how long it was paused; returns the orders
        resumed. SLA deadlines add the paused time here (override, call super).
        """
        when = when or fields.Datetime.now()
        paused = self.filtered(
            lambda o: o.sla_paused_since and reason in (None, o.sla_pause_reason)
        )
        for order in paused:
            hours = sla.paused_hours(order.sla_paused_since, when)
            with server_owned_writes():
                order.sla_paused_hours += hours
            order.message_post(
                body=self.env._("SLA clock resumed after %s h paused.", f"{hours:.1f}"),
                subtype_xmlid="mail.mt_note",
            )
        with server_owned_writes():
            paused.write({"sla_paused_since": False, "sla_pause_reason": False})
        return paused
