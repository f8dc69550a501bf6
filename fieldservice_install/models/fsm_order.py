# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import secrets
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, LockError, UserError
from odoo.fields import Domain
from odoo.tools import format_date, format_datetime, plaintext2html
from odoo.tools.translate import LazyTranslate

from ..engine import dispatch, milestones
from ..engine.install_sync import earliest_install_start, is_fully_delivered
from ..tools.server_owned import server_owned_writes

INSTALL_STATE_SELECTION = [
    ("to_plan", "To Plan"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
TRACKING_DAYS_PARAM = "fieldservice_install.tracking_link_days"
TRACKING_DAYS_DEFAULT = 90
RESCHEDULE_MAX_DAYS = 90
RESCHEDULE_NOTE_MAX = 500

_lt = LazyTranslate(__name__)


class FsmOrder(models.Model):
    _name = "fsm.order"
    # the mixin first, so that its create/write come before mail.thread's
    _inherit = ("install.server.owned.mixin", "fsm.order", "portal.mixin")
    # OCA's computed fields stay OCA's: only the fields marked server_owned
    _server_owned_computed = False

    is_installation = fields.Boolean(
        compute="_compute_is_installation", store=True, index=True, server_owned=True
    )
    install_line_ids = fields.One2many(
        "fsm.install.line", "order_id", string="Products to Install", copy=False
    )
    install_partner_id = fields.Many2one(
        "res.partner",
        string="Delivery Address",
        index="btree_not_null",
        readonly=True,
        help="The delivery address this installation order gathers.",
    )
    install_state = fields.Selection(
        INSTALL_STATE_SELECTION,
        compute="_compute_install_state",
        store=True,
        index=True,
        tracking=True,
        server_owned=True,
    )
    install_ready = fields.Boolean(
        string="Goods Delivered",
        readonly=True,
        copy=False,
        tracking=True,
        server_owned=_lt("it follows the validated deliveries of the sale order"),
        help="Every product to install has been delivered to the customer.",
    )
    install_date_confirmed = fields.Boolean(
        string="Date Confirmed with Customer",
        readonly=True,
        copy=False,
        tracking=True,
        server_owned=_lt("use the button Confirm Date with Customer"),
        help="Once confirmed, moving the delivery no longer moves the installation.",
    )
    address_incomplete = fields.Boolean(
        compute="_compute_address_incomplete",
        store=True,
        server_owned=True,
        help="The address has no street or no city: a technician cannot find it.",
    )
    location_state_id = fields.Many2one(
        related="location_id.state_id",
        string="Province / State",
        store=True,
        server_owned=True,
    )
    install_late = fields.Boolean(
        compute="_compute_install_late", search="_search_install_late"
    )
    dispatch_candidate_ids = fields.One2many(
        "fsm.dispatch.candidate",
        "order_id",
        string="Dispatch Candidates",
        copy=False,
        readonly=True,
        server_owned=_lt("use the button Rank Technicians"),
    )

    @api.depends("type.internal_type")
    def _compute_is_installation(self):
        for order in self:
            order.is_installation = order.type.internal_type == "install"

    @api.depends("stage_id", "person_id", "scheduled_date_start", "date_start")
    def _compute_install_state(self):
        completed = self.env.ref("fieldservice.fsm_stage_completed")
        cancelled = self.env.ref("fieldservice.fsm_stage_cancelled")
        for order in self:
            if order.stage_id == completed:
                order.install_state = "done"
            elif order.stage_id == cancelled:
                order.install_state = "cancelled"
            elif order.date_start:
                order.install_state = "in_progress"
            elif order.person_id and order.scheduled_date_start:
                order.install_state = "scheduled"
            else:
                order.install_state = "to_plan"

    @api.depends(
        "location_id.street",
        "location_id.city",
        "install_partner_id",
        "is_installation",
    )
    def _compute_address_incomplete(self):
        for order in self:
            address = order.location_id
            order.address_incomplete = order.is_installation and not (
                address.street and address.city
            )

    def _compute_install_late(self):
        now = fields.Datetime.now()
        for order in self:
            order.install_late = bool(
                order.is_installation
                and order.install_state in ("to_plan", "scheduled")
                and order.scheduled_date_start
                and order.scheduled_date_start < now
            )

    def _search_install_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'late'."))
        domain = (
            Domain("is_installation", "=", True)
            & Domain("install_state", "in", ("to_plan", "scheduled"))
            & Domain("scheduled_date_start", "<", fields.Datetime.now())
        )
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm_install_date(self):
        self._dispatch_check_dispatcher()
        for order in self:
            if not order.is_installation:
                continue
            if not order.scheduled_date_start:
                raise UserError(
                    self.env._(
                        "Installation order %(order)s has no planned start: set the "
                        "date agreed with the customer first.",
                        order=order.name,
                    )
                )
        with server_owned_writes():
            self.filtered("is_installation").install_date_confirmed = True
        return True

    def action_view_sale_order(self):
        self.ensure_one()
        # the order and its sale order, as the user may read them
        self.check_access("read")
        self.sale_id.check_access("read")
        return self.action_view_sales()

    # ------------------------------------------------------------------
    # Dispatch
    # ------------------------------------------------------------------
    def _dispatch_check_dispatcher(self):
        """Dispatch actions are for dispatchers; the system's own flows run
        them as superuser."""
        if self.env.su or self.env.user.has_group("fieldservice.group_fsm_dispatcher"):
            return
        raise AccessError(
            self.env._(
                "Only dispatchers plan and assign field service orders: ask a "
                "dispatcher, or your administrator for the Dispatcher access."
            )
        )

    def _dispatch_reason_text(self, codes):
        labels = {
            "inactive": self.env._("archived"),
            "suspended": self.env._("suspended"),
            "skill": self.env._("skill level too low"),
            "certification": self.env._("no valid certification"),
            "area": self.env._("outside service area"),
            "capacity": self.env._("no free capacity that day"),
            "blocked": self.env._("blocked for this customer"),
            "no_coordinates": self.env._("distance unknown (no coordinates)"),
        }
        return ", ".join(labels.get(code, code) for code in codes)

    def _dispatch_day(self):
        self.ensure_one()
        when = self.scheduled_date_start or fields.Datetime.now()
        return fields.Datetime.context_timestamp(self, when).date()

    def _dispatch_jobs(self):
        """The orders as dispatch engine jobs (products' skills and certifications)."""
        now = fields.Datetime.now()
        jobs = []
        for order in self:
            location = order.location_id
            skills = {}
            certifications = set()
            for line in order.install_line_ids:
                for req in line.product_id.install_skill_ids:
                    skills[req.skill_id.id] = max(
                        skills.get(req.skill_id.id, 0), req.min_level_progress
                    )
                categ = line.product_id.categ_id
                chain = categ.browse(
                    [int(c) for c in (categ.parent_path or "").split("/") if c]
                )
                if any(chain.mapped("install_certification_required")):
                    certifications.add(frozenset(chain.ids))
            for skill in order.skill_ids:
                skills.setdefault(skill.id, 0)
            has_coords = location.partner_latitude or location.partner_longitude
            slack = None
            if order.request_late:
                slack = (order.request_late - now).total_seconds() / 3600
            jobs.append(
                dispatch.Job(
                    order_id=order.id,
                    day=order._dispatch_day(),
                    lat=location.partner_latitude if has_coords else None,
                    lon=location.partner_longitude if has_coords else None,
                    zip=location.zip or "",
                    territory_id=location.territory_id.id,
                    customer_id=(
                        order.install_partner_id.commercial_partner_id.id
                        or location.owner_id.id
                    ),
                    skills=tuple(sorted(skills.items())),
                    certifications=tuple(sorted(certifications, key=sorted)),
                    slack_hours=slack,
                    hours=order.scheduled_duration or 1.0,
                )
            )
        return jobs

    @api.model
    def _dispatch_techs(self, companies, days, persons=None):
        """Technicians of ``companies`` (or ``persons``, when given) as engine
        values, with their load per day.

        Concurrent runs count each other's assignments through the lock of
        the technicians they assign (:meth:`_dispatch_lock_technicians`).
        """
        if persons is None:
            persons = self.env["fsm.person"].search(
                [("company_id", "in", [*companies.ids, False])]
            )
        load = defaultdict(int)
        if days:
            closed = self.env["fsm.stage"].search([("is_closed", "=", True)])
            for person, day, count in self._read_group(
                [
                    ("person_id", "in", persons.ids),
                    ("stage_id", "not in", closed.ids),
                    ("scheduled_date_start", ">=", min(days)),
                    ("scheduled_date_start", "<", max(days) + timedelta(days=1)),
                ],
                groupby=["person_id", "scheduled_date_start:day"],
                aggregates=["__count"],
            ):
                day = day.date() if hasattr(day, "date") else day
                load[person.id, day] += count
        load_by_person = defaultdict(list)
        for (person_id, day), count in load.items():
            load_by_person[person_id].append((day, count))
        skills = defaultdict(list)
        for ps in self.env["fsm.person.skill"].search(
            [("person_id", "in", persons.ids)]
        ):
            skills[ps.person_id.id].append((ps.skill_id.id, ps.level_progress))
        techs = []
        for person in persons:
            partner = person.partner_id
            has_coords = partner.partner_latitude or partner.partner_longitude
            techs.append(
                dispatch.Tech(
                    person_id=person.id,
                    name=person.name,
                    active=person.active,
                    suspended=person.dispatch_state == "suspended",
                    skills=tuple(skills[person.id]),
                    certifications=tuple(
                        (c.product_category_id.id, c.valid_from, c.valid_to)
                        for c in person.certification_ids
                    ),
                    zip_prefixes=person._zip_prefixes(),
                    territory_ids=frozenset(person.territory_ids.ids),
                    lat=partner.partner_latitude if has_coords else None,
                    lon=partner.partner_longitude if has_coords else None,
                    max_jobs_per_day=person.max_jobs_per_day,
                    load=tuple(load_by_person[person.id]),
                    rating=person.rating_avg,
                    cost=person.job_cost,
                    blocked_customer_ids=frozenset(person.blocked_partner_ids.ids),
                )
            )
        return techs

    def action_compute_dispatch(self):
        """Rank the technicians of each order and store why (Dispatch tab)."""
        self._dispatch_check_dispatcher()
        self.check_access("write")
        jobs = self._dispatch_jobs()
        techs = self._dispatch_techs(self.company_id, {j.day for j in jobs})
        vals = []
        for order, job in zip(self, jobs, strict=True):
            ranked = dispatch.rank(job, techs, order.company_id._dispatch_weights())
            shown = [r for r in ranked if r.eligible or "area" not in r.reasons][:50]
            vals += [order._prepare_dispatch_candidate_vals(r) for r in shown]
        self.dispatch_candidate_ids.unlink()
        with server_owned_writes():
            self.env["fsm.dispatch.candidate"].create(vals)
        return True

    def _prepare_dispatch_candidate_vals(self, ranked):
        self.ensure_one()
        return {
            "order_id": self.id,
            "rank": ranked.rank,
            "person_id": ranked.person_id,
            "eligible": ranked.eligible,
            "reasons": self._dispatch_reason_text(ranked.reasons),
            "distance_km": ranked.distance_km or 0.0,
            "distance_known": ranked.distance_km is not None,
            "score": ranked.score,
            "score_distance": ranked.subscores["distance"],
            "score_load": ranked.subscores["load"],
            "score_rating": ranked.subscores["rating"],
            "score_sla": ranked.subscores["sla"],
            "score_cost": ranked.subscores["cost"],
        }

    def _dispatch_lock(self):
        """Lock the orders' rows; another dispatcher holding them gets an error.

        A refused lock leaves the transaction usable (no row is waited for):
        the error message reads the orders' names."""
        try:
            self.lock_for_update()
        except LockError as exc:
            raise UserError(
                self.env._(
                    "Another dispatcher is assigning %s right now. Reload the "
                    "order and try again.",
                    ", ".join(self.mapped("name")),
                )
            ) from exc
        self.invalidate_recordset(["person_id"])

    @api.model
    def _dispatch_lock_technicians(self, persons):
        """Lock the rows of the technicians about to get jobs.

        Concurrent runs assigning the same technician serialize here, so that
        capacity is never exceeded: a technician another transaction is
        assigning right now makes this one start again a moment later
        (Odoo's retry loop), and one assigned by a transaction committed since
        this one started fails with a serialization error, retried alike;
        the new attempt counts the other run's jobs.
        """
        try:
            persons.lock_for_update()
        except LockError as exc:
            raise ConcurrencyError(
                "technicians being assigned by another transaction"
            ) from exc

    def action_dispatch(self):
        """Assign each order to its best eligible technician."""
        self._dispatch_check_dispatcher()
        self.check_access("write")
        for order in self:
            if order.is_closed:
                raise UserError(
                    self.env._(
                        "Order %s is closed: it cannot be dispatched.", order.name
                    )
                )
        self._dispatch_lock()
        jobs = self._dispatch_jobs()
        techs = self._dispatch_techs(self.company_id, {j.day for j in jobs})
        given = defaultdict(int)
        assignments = {}
        for order, job in zip(self, jobs, strict=True):
            if order.person_id:
                raise UserError(
                    self.env._(
                        "Order %(order)s is already assigned to %(person)s.",
                        order=order.name,
                        person=order.person_id.name,
                    )
                )
            ranked = dispatch.rank(job, techs, order.company_id._dispatch_weights())
            best = next(
                (
                    r
                    for r in ranked
                    if dispatch.evaluate(
                        job,
                        next(t for t in techs if t.person_id == r.person_id),
                        given[(r.person_id, job.day)],
                    )[0]
                ),
                None,
            )
            if best is None:
                raise UserError(order._dispatch_no_candidate_message(ranked))
            given[(best.person_id, job.day)] += 1
            assignments[order] = best.person_id
        self._dispatch_assign_batch(assignments)
        return True

    def _dispatch_assign(self, person_id):
        self.ensure_one()
        self._dispatch_assign_batch({self: person_id})

    @api.model
    def _dispatch_assign_batch(self, assignments):
        """Assign ``{order: person id}`` in a few batched writes.

        The technicians' rows are locked first and their
        ``last_dispatch_date`` written (the rows concurrent runs serialize
        on), then one write per technician for the orders (Odoo tracks the
        changes, as for any write), and the "Dispatched to" notes are logged
        in one batch.
        """
        now = fields.Datetime.now()
        by_person = defaultdict(lambda: self.env["fsm.order"])
        for order, person_id in assignments.items():
            by_person[person_id] |= order
        persons = self.env["fsm.person"].browse(list(by_person))
        self._dispatch_lock_technicians(persons)
        bodies = {}
        for person in persons:
            orders = by_person[person.id]
            bodies.update(
                dict.fromkeys(orders.ids, self.env._("Dispatched to %s.", person.name))
            )
            unscheduled = orders.filtered(lambda o: not o.scheduled_date_start)
            (orders - unscheduled).write({"person_id": person.id})
            # OCA computes the end from the duration given, reading the order's
            # own start: its write takes one order at a time
            for order in unscheduled:
                order.write(
                    {
                        "person_id": person.id,
                        "scheduled_date_start": now,
                        "scheduled_duration": order.scheduled_duration,
                    }
                )
        with server_owned_writes():
            persons.write({"last_dispatch_date": now})
        self.env["fsm.order"].browse(list(bodies))._message_log_batch(bodies=bodies)
        orders = self.env["fsm.order"].concat(*by_person.values())
        orders._tracking_notify("fieldservice_install.mail_template_install_assigned")

    def _dispatch_no_candidate_message(self, ranked):
        self.ensure_one()
        counts = defaultdict(int)
        for item in ranked:
            for code in item.reasons:
                if code != "no_coordinates":
                    counts[code] += 1
        main = sorted(counts.items(), key=lambda kv: -kv[1])[:4]
        details = "; ".join(
            f"{self._dispatch_reason_text([code])}: {count}" for code, count in main
        )
        return self.env._(
            "No technician can take %(order)s (%(count)s checked). Main reasons: "
            "%(details)s.",
            order=self.name,
            count=len(ranked),
            details=details or self.env._("no technician in the company"),
        )

    # ------------------------------------------------------------------
    # Offers, ratings and service level
    # ------------------------------------------------------------------
    # offers, ratings and the evidence below are the server's: their
    # actions and crons write them (install.server.owned.mixin)
    dispatch_offer_ids = fields.One2many(
        "fsm.dispatch.offer",
        "order_id",
        string="Offers",
        copy=False,
        readonly=True,
        server_owned=True,
    )
    rating_ids = fields.One2many(
        "fsm.order.rating",
        "order_id",
        string="Ratings",
        readonly=True,
        server_owned=True,
    )
    quality_hold = fields.Boolean(
        copy=False,
        readonly=True,
        tracking=True,
        server_owned=True,
        help="A low customer rating holds the job until the callback is done: "
        "settlement waits for it.",
    )
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
            policy, start = order.sla_policy_id, order.create_date
            if not policy or not start:
                order.sla_first_contact_deadline = False
                order.sla_arrival_deadline = False
                order.sla_completion_deadline = False
                continue
            pause = order.sla_paused_hours
            order.sla_first_contact_deadline = start + timedelta(
                hours=policy.first_contact_hours + pause
            )
            order.sla_arrival_deadline = start + timedelta(
                hours=policy.arrival_hours + pause
            )
            order.sla_completion_deadline = start + timedelta(
                hours=policy.completion_hours + pause
            )

    def _sla_steps(self):
        """``[(code, deadline, reached at or None), ...]`` of one order."""
        self.ensure_one()
        completed = self.env.ref("fieldservice.fsm_stage_completed")
        done_at = self.date_end or (
            self.write_date if self.stage_id == completed else None
        )
        return [
            ("first_contact", self.sla_first_contact_deadline, self.first_contact_date),
            ("arrival", self.sla_arrival_deadline, self._sla_arrival_date()),
            ("completion", self.sla_completion_deadline, done_at),
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
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        step_labels = {
            "first_contact": self.env._("first contact"),
            "arrival": self.env._("arrival"),
            "completion": self.env._("completion"),
        }
        for order in self.filtered("sla_policy_id"):
            if order.sla_paused_since:
                continue
            warned = set(filter(None, (order.sla_warned or "").split(",")))
            breached = order.sla_breached
            for code, deadline, reached in order._sla_steps():
                if not deadline:
                    continue
                if (reached or now) > deadline:
                    breached = True
                elif (
                    not reached
                    and code not in warned
                    and now
                    >= deadline - timedelta(hours=order.sla_policy_id.warn_hours)
                ):
                    warned.add(code)
                    user = order._install_responsible_user()
                    order.activity_schedule(
                        activity_type_id=activity_type.id,
                        summary=self.env._("SLA deadline close"),
                        note=self.env._(
                            "%(order)s: the %(step)s deadline is %(deadline)s.",
                            order=order.name,
                            step=step_labels[code],
                            deadline=fields.Datetime.to_string(deadline),
                        ),
                        user_id=user.id,
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

    def action_complete(self):
        # the caller may change the orders: checked before the rating link,
        # the SLA and the customer's notice are made (as superuser)
        self.check_access("write")
        res = super().action_complete()
        self.env["fsm.order.rating"]._for_orders(self)
        self._sla_check()
        self._tracking_notify("fieldservice_install.mail_template_install_done")
        return res

    def action_offer(self):
        """Offer the orders to their best technicians; the first to accept wins."""
        self._check_dispatcher()
        self.check_access("write")
        offers = self.env["fsm.dispatch.offer"]._offer(self)
        for order in self:
            if not offers.filtered(lambda o, fo=order: o.order_id == fo):
                jobs = order._dispatch_jobs()
                techs = order._dispatch_techs(order.company_id, {jobs[0].day})
                ranked = dispatch.rank(
                    jobs[0], techs, order.company_id._dispatch_weights()
                )
                raise UserError(order._dispatch_no_candidate_message(ranked))
        return offers

    def _rating_quality_hold(self, rating):
        """A low rating: hold the job for quality and plan a callback."""
        self.ensure_one()
        with server_owned_writes():
            self.quality_hold = True
        user = self._install_responsible_user()
        self.activity_schedule(
            "mail.mail_activity_data_call",
            summary=self.env._("Call back the customer"),
            note=self.env._(
                "%(order)s was rated %(stars)s/5: %(comment)s",
                order=self.name,
                stars=rating.value,
                comment=rating.comment or "-",
            ),
            user_id=user.id,
        )

    # ------------------------------------------------------------------
    # Installation bookkeeping (called by sale orders and deliveries)
    # ------------------------------------------------------------------
    @api.model
    def _install_first_stage(self, company):
        """First order stage usable in ``company``.

        OCA's default stage follows the current company; installation orders are
        created for the sale order's company, which may not be the current one.
        """
        stage = self.env["fsm.stage"].search(
            Domain("stage_type", "=", "order")
            & Domain("is_default", "=", True)
            & Domain("company_id", "in", (company.id, False)),
            order="sequence asc",
            limit=1,
        )
        return stage or self.env.ref("fieldservice.fsm_stage_new")

    @api.model
    def _install_team(self, company):
        """Default team of ``company`` (or shared), else OCA's default team."""
        team = self.env["fsm.team"].search(
            Domain("company_id", "in", (company.id, False)), order="sequence", limit=1
        )
        return team or self.env.ref("fieldservice.fsm_team_default")

    def _install_delivery_moves(self):
        """Outgoing moves to the customer of the goods these orders install."""
        return self.install_line_ids.sale_line_id.move_ids.filtered(
            lambda m: m.location_dest_id.usage == "customer" and m.state != "cancel"
        )

    def _install_link_deliveries(self):
        """Point the customer deliveries (moves and pickings) to the installation."""
        order_by_sale_line = {
            line.sale_line_id.id: line.order_id
            for line in self.install_line_ids
            if line.sale_line_id
        }
        moves_by_order = defaultdict(lambda: self.env["stock.move"])
        for move in self._install_delivery_moves():
            order = order_by_sale_line.get(move.sale_line_id.id)
            if order and move.fsm_order_id != order:
                moves_by_order[order] |= move
        for order, moves in moves_by_order.items():
            moves.fsm_order_id = order
            moves.picking_id.filtered(lambda p: not p.fsm_order_id).fsm_order_id = order

    def _install_reschedule(self):
        """Plan each order at the latest scheduled delivery plus the company buffer.

        Orders whose date was confirmed with the customer, or that started or
        closed, keep their date.
        """
        orders = self.filtered(
            lambda o: (
                o.is_installation
                and not o.install_date_confirmed
                and o.install_state in ("to_plan", "scheduled")
            )
        )
        if not orders:
            return
        moves_by_order = defaultdict(lambda: self.env["stock.move"])
        for move in orders._install_delivery_moves():
            moves_by_order[move.fsm_order_id.id] |= move
        for order in orders:
            start = self._install_start(
                moves_by_order[order.id], order.company_id, order.sale_id
            )
            if start and start != order.scheduled_date_start:
                order.write(
                    {
                        "scheduled_date_start": start,
                        "scheduled_duration": order.scheduled_duration,
                        "request_early": start,
                    }
                )

    @api.model
    def _install_start(self, moves, company, sale):
        """Latest scheduled (or done) delivery of ``moves`` plus the buffer."""
        dates = [
            (m.picking_id.date_done if m.picking_id.state == "done" else None)
            or m.picking_id.scheduled_date
            or m.date
            for m in moves
        ]
        return earliest_install_start(
            dates,
            company.install_buffer_days,
            fallback=sale.commitment_date or sale.expected_date,
        )

    def _install_refresh_delivery(self):
        """Record delivered quantities and serials; mark delivered orders ready."""
        orders = self.filtered("is_installation")
        if not orders:
            return
        done_qty = defaultdict(float)
        lots = defaultdict(lambda: self.env["stock.lot"])
        for move in orders._install_delivery_moves().filtered(
            lambda m: m.state == "done"
        ):
            done_qty[move.sale_line_id.id] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
            lots[move.sale_line_id.id] |= move.move_line_ids.lot_id
        ready_stage = self.env.ref("fieldservice_install.fsm_stage_ready_to_install")
        for order in orders:
            for line in order.install_line_ids:
                key = line.sale_line_id.id
                vals = {}
                if line.qty_delivered != done_qty.get(key, 0.0):
                    vals["qty_delivered"] = done_qty.get(key, 0.0)
                if key in lots and lots[key] - line.lot_ids:
                    vals["lot_ids"] = [Command.link(lot.id) for lot in lots[key]]
                if vals:
                    line.write(vals)
            ready = is_fully_delivered(
                {line.id: line.quantity for line in order.install_line_ids},
                {line.id: line.qty_delivered for line in order.install_line_ids},
            )
            if ready and not order.install_ready:
                vals = {"install_ready": True}
                if order.stage_id == self._install_first_stage(order.company_id):
                    vals["stage_id"] = ready_stage.id
                with server_owned_writes():
                    order.write(vals)
                serials = order.install_line_ids.lot_ids.mapped("name")
                order.message_post(
                    body=self.env._(
                        "Goods delivered, ready to install. Serial numbers: %s",
                        ", ".join(serials) or self.env._("none (not tracked)"),
                    )
                )
            elif not ready and order.install_ready:
                with server_owned_writes():
                    order.install_ready = False

    @api.model
    def _install_plan_values(self, order_type, products_qty):
        """Duration (h) and required skills for ``[(product, quantity), ...]``."""
        hours = 0.0
        skills = self.env["hr.skill"]
        for product, qty in products_qty:
            hours += (
                product.install_duration or order_type.install_default_duration
            ) * qty
            skills |= product.install_skill_ids.skill_id
        return hours, skills

    def _install_refresh_plan(self):
        """Duration and required skills from the products to install."""
        for order in self.filtered("is_installation"):
            hours, skills = self._install_plan_values(
                order.type,
                [(line.product_id, line.quantity) for line in order.install_line_ids],
            )
            vals = {}
            if order.scheduled_duration != hours:
                vals["scheduled_duration"] = hours
            if skills != order.skill_ids:
                vals["skill_ids"] = [Command.set(skills.ids)]
            if vals:
                order.write(vals)

    def _install_cancel_or_warn(self, reason):
        """Cancel the orders that have not started; warn on the others.

        Installation orders are never deleted: their history stays.
        """
        not_started = self.filtered(
            lambda o: o.install_state in ("to_plan", "scheduled")
        )
        if not_started:
            not_started.action_cancel()
            for order in not_started:
                order.message_post(body=reason)
        for order in self - not_started:
            if order.install_state == "in_progress":
                order.message_post(
                    body=Markup("<strong>%s</strong> %s")
                    % (
                        self.env._("Attention:"),
                        self.env._(
                            "%s The installation has started: the dispatcher "
                            "decides whether to stop it.",
                            reason,
                        ),
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )

    def _install_responsible_user(self):
        """Who gets the order's activities: the company's installation dispatcher,
        else the salesperson of the sale order, else the current user."""
        self.ensure_one()
        return (
            self.company_id.install_dispatcher_id
            or self.sale_id.user_id
            or self.env.user
        )

    def _install_notify_incomplete_address(self):
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for order in self.filtered("address_incomplete"):
            user = order._install_responsible_user()
            order.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Address incomplete"),
                note=self.env._(
                    "The delivery address %(address)s has no street or no city. "
                    "Complete it before dispatching a technician.",
                    address=order.location_id.display_name,
                ),
                user_id=user.id,
            )

    def _install_reopen(self):
        """Bring cancelled installation orders back to the first stage."""
        for order in self.filtered(lambda o: o.install_state == "cancelled"):
            with server_owned_writes():
                order.write(
                    {
                        "stage_id": self._install_first_stage(order.company_id).id,
                        "install_ready": False,
                    }
                )
            order.message_post(
                body=self.env._("Reopened: the sale order was confirmed again.")
            )

    # ------------------------------------------------------------------
    # Milestones
    # ------------------------------------------------------------------
    # Technicians log the steps of the order's type (fsm.milestone.template)
    # in sequence and with their evidence; fsm.order.milestone.log keeps them,
    # append-only. The ordering and evidence rules are engine/milestones.py.
    #
    # SLA pause, for the SLA deadlines built on top: ``sla_paused_since`` is
    # when the SLA clock stopped and ``sla_pause_reason`` why; both are empty
    # while the clock runs and are set and cleared together, by _sla_pause()
    # and _sla_resume() only. One pause at a time: pausing a paused order keeps
    # the first pause and reason. _sla_resume(reason) resumes only the orders
    # paused for that reason (any reason without one): a passing inspection
    # resumes a 'goods_damaged' pause, never another one.
    milestone_log_ids = fields.One2many(
        "fsm.order.milestone.log",
        "order_id",
        copy=False,
        readonly=True,
        server_owned=True,
    )
    milestone_next_id = fields.Many2one(
        "fsm.milestone.template",
        string="Next Milestone",
        compute="_compute_milestone_next_id",
        help="The milestone to log next; empty when all are logged.",
    )
    milestone_required = fields.Boolean(
        compute="_compute_milestone_next_id",
        help="The order type has milestones: the order completes once all are logged.",
    )
    install_blocked_reason = fields.Selection(
        [("goods_damaged", "Goods Damaged")],
        string="Blocked",
        copy=False,
        readonly=True,
        tracking=True,
        server_owned=True,
        help="Why the installation cannot go on. Goods damaged: the goods "
        "inspection failed; the warehouse sends a replacement and a later passing "
        "inspection unblocks the order.",
    )
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

    @api.depends("type", "milestone_log_ids", "install_line_ids.lot_ids")
    def _compute_milestone_next_id(self):
        templates = self._milestone_templates()
        for order in self:
            progress = order._milestone_progress(templates)
            order.milestone_required = bool(progress.done or progress.missing)
            order.milestone_next_id = (
                progress.next_step.step_id if progress.next_step else False
            )

    def write(self, vals):
        # the stage is looked up (a query) only when it is written
        completed = vals.get("stage_id") and self.env.ref(
            "fieldservice.fsm_stage_completed"
        )
        reaching = self.browse()
        if completed and vals["stage_id"] == completed.id:
            # action_complete() and every other way to the completed stage
            reaching = self.filtered(lambda o: o.stage_id != completed)
            reaching._milestone_check_complete()
        res = super().write(vals)
        if reaching:
            reaching._on_completed()
        return res

    def _on_completed(self):
        """Hook: these orders just reached the completed stage, whatever the
        way (*Complete*, a stage changed on the kanban, an import). The other
        addons extend it (call super): the warranty closes the claim of a
        repair, the settlement books the technician's job payable."""

    @api.ondelete(at_uninstall=False)
    def _unlink_except_milestone_logged(self):
        logged = self.filtered("milestone_log_ids")
        if logged:
            raise UserError(
                self.env._(
                    "Orders %s have logged milestones: their log is kept. Cancel "
                    "them instead of deleting them.",
                    ", ".join(logged.mapped("name")),
                )
            )

    def action_log_milestone(self):
        """Open the wizard logging the next milestone of the order."""
        self.ensure_one()
        self.check_access("write")
        if self.is_closed:
            raise UserError(
                self.env._(
                    "Order %s is closed: no milestone can be logged on it.", self.name
                )
            )
        if not self.milestone_next_id:
            raise UserError(
                self.env._(
                    "Order %s has no milestone left to log: complete it.", self.name
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Milestone"),
            "res_model": "fsm.milestone.log.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------------
    # Technician portal
    # ------------------------------------------------------------------
    # Portal technicians read their orders through record rules (their own
    # jobs and the jobs offered to them). What they do on a job goes through
    # these methods: they check that the current user is the order's
    # technician, then let the system do the bookkeeping as the backend does.
    @api.model
    def _portal_persons(self):
        """The technicians (fsm.person) the current user is."""
        return (
            self.env["fsm.person"]
            .sudo()
            .search([("partner_id", "=", self.env.user.partner_id.id)])
        )

    def _portal_check_technician(self):
        """Raise an AccessError unless the current user may read the orders
        (record rules) and is their technician."""
        self.check_access("read")
        persons = self._portal_persons()
        if not persons or any(o.sudo().person_id not in persons for o in self):
            raise AccessError(
                self.env._("Only the technician of the job can work on it.")
            )

    @api.model
    def _portal_map_url(self, location):
        lat, lon = location.partner_latitude, location.partner_longitude
        if lat or lon:
            return (
                f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}"
                f"#map=17/{lat:.6f}/{lon:.6f}"
            )
        query = ", ".join(
            filter(
                None,
                [
                    location.street,
                    location.street2,
                    location.zip,
                    location.city,
                    location.state_id.name,
                    location.country_id.name,
                ],
            )
        )
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    @api.model
    def _portal_area_map_url(self, location):
        """A map of the area of ``location`` (ZIP code and city, never the
        street nor the position): what an offered job shows."""
        query = ", ".join(
            filter(
                None,
                [
                    location.zip,
                    location.city,
                    location.state_id.name,
                    location.country_id.name,
                ],
            )
        )
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    def _portal_job_values(self):
        """``{order id: {...}}``: what the portal shows of each of the
        technician's jobs besides its own fields (address, customer, phone,
        products, serials, next milestone). Only for the job's technician: an
        offered job shows what its offer tells (``fsm.dispatch.offer.job_*``).
        """
        self._portal_check_technician()
        templates = self.sudo()._milestone_templates()
        result = {}
        for order in self.sudo():
            location = order.location_id
            customer = order.install_partner_id or location.owner_id
            progress = order._milestone_progress(templates)
            step = progress.next_step
            result[order.id] = {
                "customer": customer.name or "",
                "phone": customer.phone or location.phone or "",
                "address": [
                    line
                    for line in (
                        location.street,
                        location.street2,
                        " ".join(filter(None, [location.zip, location.city])),
                        location.state_id.name,
                    )
                    if line
                ],
                "city": location.city or "",
                "map_url": self._portal_map_url(location),
                "products": [
                    {
                        "name": line.product_id.display_name,
                        "quantity": line.quantity,
                        "serials": line.lot_ids.mapped("name"),
                    }
                    for line in order.install_line_ids
                ],
                "serials": order.install_line_ids.lot_ids.mapped("name"),
                "next": step
                and {
                    "id": step.step_id,
                    "name": step.name,
                    "gps": step.require_gps,
                    "photo": step.require_photo,
                    "serial": step.require_serial,
                    "signature": step.require_signature,
                    "inspection": step.require_inspection,
                },
                "done_steps": len(progress.done),
                "all_steps": len(progress.done) + len(progress.missing),
                "serial_by_log": {
                    log.id: log.lot_id.name for log in order.milestone_log_ids
                },
            }
        return result

    @api.model
    def _portal_text(self, value, size):
        """``value`` of a form as text: stripped, without NUL characters
        (they cannot be stored), cut at ``size`` characters; ``""`` when
        absent. Numbers and bytes (from Python callers) are made text;
        anything else (a file sent in place of a field) is refused with a
        UserError."""
        if value is None or value is False:
            return ""
        if isinstance(value, bytes):
            value = value.decode(errors="replace")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise UserError(
                self.env._(
                    "The form sent a file where text was expected: send it again."
                )
            )
        return value.replace("\x00", "").strip()[:size]

    @api.model
    def _portal_parse_position(self, latitude, longitude):
        """``(lat, lon)`` floats from a form or a client, zeros when absent;
        refused unless they are a position on Earth."""
        if not latitude and not longitude:
            return 0.0, 0.0
        try:
            lat, lon = float(latitude), float(longitude)
        except (TypeError, ValueError) as exc:
            raise UserError(
                self.env._("The GPS position sent is not valid: locate again.")
            ) from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UserError(
                self.env._("The GPS position sent is not valid: locate again.")
            )
        return lat, lon

    def _portal_find_serial(self, serial):
        """The delivered serial (stock.lot) the technician typed or scanned."""
        self.ensure_one()
        serial = (serial or "").strip()
        if not serial:
            return self.env["stock.lot"]
        lots = self.sudo().install_line_ids.lot_ids
        lot = lots.filtered(lambda lot: lot.name.upper() == serial.upper())[:1]
        if not lot:
            raise UserError(
                self.env._(
                    "Serial %(serial)s was not delivered for order %(order)s: scan "
                    "one of %(serials)s.",
                    serial=serial,
                    order=self.name,
                    serials=", ".join(lots.mapped("name"))
                    or self.env._("none (no serial delivered)"),
                )
            )
        return lot

    def _portal_log_milestone(self, milestone_id, values, photos=()):
        """Log the order's next milestone as its technician, from the portal.

        ``milestone_id`` is the milestone the page showed (refused when the
        order moved on meanwhile); ``values``: ``latitude``, ``longitude``,
        ``serial`` (typed or scanned), ``inspection_result``, ``signature``
        (base64 PNG), ``signed_by`` and ``note``; ``photos``: checked photos
        (``name``, ``content``, ``mimetype``). Every value is text from the
        form (anything else is refused). The time and the author are the
        server's; the order's milestone rules apply as in the backend.
        """
        self.ensure_one()
        self._portal_check_technician()
        values = {
            key: self._portal_text(values.get(key), size)
            for key, size in (
                ("latitude", 64),
                ("longitude", 64),
                ("serial", 128),
                ("inspection_result", 16),
                ("signed_by", 120),
                ("note", 2000),
            )
        } | {"signature": self._portal_text(values.get("signature"), None)}
        milestone_id = self._portal_text(milestone_id, 32)
        order = self.sudo()
        template = order.milestone_next_id
        if order.is_closed:
            raise UserError(
                self.env._(
                    "Order %s is closed: no milestone can be logged on it.", order.name
                )
            )
        if not template:
            raise UserError(
                self.env._("Order %s has no milestone left to log.", order.name)
            )
        if milestone_id and milestone_id != str(template.id):
            raise UserError(
                self.env._(
                    "Order %(order)s: '%(milestone)s' is the milestone to log now. "
                    "The page was out of date: check it and log again.",
                    order=order.name,
                    milestone=template.name,
                )
            )
        lat, lon = self._portal_parse_position(
            values.get("latitude"), values.get("longitude")
        )
        inspection = values["inspection_result"] or False
        if inspection not in (False, "pass", "fail"):
            raise UserError(self.env._("Choose Pass or Fail."))
        note, signed_by = values["note"], values["signed_by"]
        if signed_by and values["signature"]:
            note = "\n".join(
                filter(None, [self.env._("Signed by %s", signed_by), note])
            )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": photo.name,
                        "raw": photo.content,
                        "mimetype": photo.mimetype,
                    }
                    for photo in photos
                ]
            )
        )
        return (
            self.env["fsm.order.milestone.log"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "milestone_id": template.id,
                    "latitude": lat,
                    "longitude": lon,
                    "attachment_ids": [Command.set(attachments.ids)],
                    "lot_id": self._portal_find_serial(values["serial"]).id,
                    "signature": values["signature"] or False,
                    "inspection_result": inspection,
                    "note": note or False,
                }
            )
        )

    def _portal_complete(self):
        """The technician completes the job once every milestone is logged."""
        self.ensure_one()
        self._portal_check_technician()
        return self.sudo().action_complete()

    def _milestone_templates(self):
        """Active milestone templates of the orders' types."""
        return self.env["fsm.milestone.template"].search(
            [("order_type_id", "in", self.type.ids)]
        )

    @api.model
    def _milestone_steps(self, templates):
        return [
            milestones.Step(
                step_id=t.id,
                code=t.code,
                name=t.name,
                sequence=t.sequence,
                require_gps=t.require_gps,
                require_photo=t.require_photo,
                require_serial=t.require_serial,
                require_signature=t.require_signature,
                require_inspection=t.require_inspection,
            )
            for t in templates
        ]

    def _milestone_serials(self):
        """Ids of the serials delivered for the order."""
        self.ensure_one()
        return frozenset(self.install_line_ids.lot_ids.ids)

    def _milestone_logged_entries(self):
        """The order's log as engine entries, in log order (what counts for
        progress: milestone, serial, inspection result)."""
        self.ensure_one()
        return [
            milestones.Entry(
                step_id=log.milestone_id.id,
                lot_id=log.lot_id.id or None,
                inspection=log.inspection_result or None,
            )
            for log in self.milestone_log_ids.sorted(lambda g: (g.timestamp, g.id))
        ]

    def _milestone_progress(self, templates):
        """Engine progress of the order, ``templates`` of all types given."""
        self.ensure_one()
        mine = templates.filtered(lambda t: t.order_type_id == self.type)
        return milestones.progress(
            self._milestone_steps(mine),
            self._milestone_logged_entries(),
            self._milestone_serials(),
        )

    def _milestone_check_complete(self):
        templates = self._milestone_templates()
        for order in self:
            progress = order._milestone_progress(templates)
            if not progress.complete:
                raise UserError(
                    self.env._(
                        "Order %(order)s cannot be completed yet: the milestones "
                        "%(missing)s are not logged. Log '%(next)s' next.",
                        order=order.name,
                        missing=", ".join(f"'{s.name}'" for s in progress.missing),
                        next=progress.next_step.name,
                    )
                )

    @api.model
    def _milestone_photo_count(self, attachments):
        return len(
            attachments.filtered(lambda a: (a.mimetype or "").startswith("image/"))
        )

    @api.model
    def _milestone_prepare_log_vals_list(self, vals_list):
        """Check new log entries against their orders' rules; complete them.

        ``vals_list`` holds what the technician gives (the order, the
        milestone and the evidence: position, photos, serial, signature,
        inspection result, note). The caller must be allowed to change the
        orders. Adds what the server decides: the time and the author (the
        current user), the distance to the site and the far-from-site flag.
        Entries of one batch count for the ones after them. Raises a UserError
        naming the order, the milestone and what to do.
        """
        log_model = self.env["fsm.order.milestone.log"]
        orders = self.browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        orders.check_access("write")
        templates = orders._milestone_templates()
        entries = {order.id: order._milestone_logged_entries() for order in orders}
        now = fields.Datetime.now()
        result = []
        for vals in vals_list:
            vals = dict(vals, timestamp=now, user_id=self.env.uid)
            order = self.browse(vals.get("order_id"))
            template = templates.browse(vals.get("milestone_id"))
            if not order or not template:
                result.append(vals)  # the required fields refuse it
                continue
            if order.is_closed:
                raise UserError(
                    self.env._(
                        "Order %(order)s is closed: '%(milestone)s' cannot be "
                        "logged on it.",
                        order=order.name,
                        milestone=template.name,
                    )
                )
            attachments = log_model.new(
                {"attachment_ids": vals.get("attachment_ids", [])}
            ).attachment_ids._origin
            lat, lon = self._portal_parse_position(
                vals.get("latitude"), vals.get("longitude")
            )
            vals.update(latitude=lat, longitude=lon)
            has_gps = bool(lat or lon)
            entry = milestones.Entry(
                step_id=template.id,
                lat=lat if has_gps else None,
                lon=lon if has_gps else None,
                photos=self._milestone_photo_count(attachments),
                lot_id=vals.get("lot_id") or None,
                signature=bool(vals.get("signature")),
                inspection=vals.get("inspection_result") or None,
            )
            steps = self._milestone_steps(
                templates.filtered(lambda t, o=order: t.order_type_id == o.type)
            )
            serials = order._milestone_serials()
            problems = milestones.check_entry(steps, entries[order.id], entry, serials)
            if problems:
                raise UserError(order._milestone_problem_message(template, problems))
            location = order.location_id
            site_known = bool(location.partner_latitude or location.partner_longitude)
            distance = dispatch.haversine_km(
                entry.lat,
                entry.lon,
                location.partner_latitude if site_known else None,
                location.partner_longitude if site_known else None,
            )
            status = milestones.checkin_status(
                distance, order.company_id.milestone_checkin_max_km
            )
            vals.update(
                distance_known=distance is not None,
                distance_km=distance or 0.0,
                far_from_site=template.is_site_checkin and status == milestones.FAR,
            )
            entries[order.id].append(entry)
            result.append(vals)
        return result

    def _milestone_problem_message(self, template, problems):
        self.ensure_one()
        lot_model = self.env["stock.lot"]
        serials = ", ".join(self.install_line_ids.lot_ids.mapped("name"))
        texts = {
            "unknown_step": self.env._(
                "It is not a milestone of order type %s: choose one of its milestones.",
                self.type.name,
            ),
            "done": self.env._("It is already logged: log the next milestone."),
            "gps": self.env._(
                "The GPS position is required: allow location access on the "
                "device and log again."
            ),
            "photo": self.env._("A photo is required: attach at least one picture."),
            "serial": self.env._(
                "A serial number is required: scan the serial of the installed unit "
                "(%s).",
                serials,
            ),
            "signature": self.env._(
                "The customer's signature is required: let the customer sign."
            ),
            "inspection": self.env._(
                "The inspection result is required: choose Pass or Fail."
            ),
        }
        lines = []
        for problem in problems:
            if problem.code == "order":
                lines.append(self.env._("Log '%s' first.", problem.step.name))
            elif problem.code == "serial_unknown":
                lines.append(
                    self.env._(
                        "Serial %(serial)s was not delivered for this order: scan "
                        "one of %(serials)s.",
                        serial=lot_model.browse(problem.lot_id).name,
                        serials=serials or self.env._("none (no serial delivered)"),
                    )
                )
            elif problem.code == "serial_repeated":
                lines.append(
                    self.env._(
                        "Serial %s is already logged: scan the next unit.",
                        lot_model.browse(problem.lot_id).name,
                    )
                )
            else:
                lines.append(texts[problem.code])
        return self.env._(
            "Order %(order)s: milestone '%(milestone)s' refused. %(problems)s",
            order=self.name,
            milestone=template.name,
            problems=" ".join(lines),
        )

    def _milestone_after_log(self, logs):
        """Chatter, equipment, blocking and SLA pause after new ``logs``."""
        for log in logs:
            order, template = log.order_id, log.milestone_id
            lines = [self.env._("Milestone logged: %s.", template.name)]
            if template.is_site_checkin:
                lines.append(order._milestone_checkin_text(log))
            if template.register_equipment and log.lot_id:
                equipment = order._milestone_register_equipment(log)
                lines.append(
                    self.env._(
                        "Serial %(serial)s registered as installed equipment "
                        "%(equipment)s.",
                        serial=log.lot_id.name,
                        equipment=equipment.name,
                    )
                )
            if template.require_inspection and log.inspection_result == "fail":
                order._milestone_block_goods_damaged(log)
                lines.append(
                    self.env._(
                        "Goods inspection failed: the order is blocked (goods "
                        "damaged), the SLA is paused and the warehouse is asked "
                        "for a replacement."
                    )
                )
            elif (
                template.require_inspection
                and log.inspection_result == "pass"
                and order.install_blocked_reason == "goods_damaged"
            ):
                with server_owned_writes():
                    order.install_blocked_reason = False
                order._sla_resume("goods_damaged", log.timestamp)
                lines.append(
                    self.env._(
                        "Goods inspection passed: the order is unblocked and the "
                        "SLA runs again."
                    )
                )
            order.message_post(
                body=Markup("<br/>").join(lines), subtype_xmlid="mail.mt_note"
            )
            if template.customer_template_id:
                order._tracking_notify(template.customer_template_id)

    def _milestone_checkin_text(self, log):
        self.ensure_one()
        if not log.distance_known:
            return self.env._(
                "Check-in distance unknown: %s.",
                self.env._("the location has no coordinates")
                if log.latitude or log.longitude
                else self.env._("no GPS position was sent"),
            )
        if log.far_from_site:
            return self.env._(
                "Attention: checked in %(distance)s km from the site, farther "
                "than the allowed %(max)s km.",
                distance=f"{log.distance_km:.2f}",
                max=f"{self.company_id.milestone_checkin_max_km:.2f}",
            )
        return self.env._("Checked in %s km from the site.", f"{log.distance_km:.2f}")

    def _prepare_milestone_equipment_vals(self, log, equipment):
        """Values of the equipment installed by ``log`` (new when empty)."""
        self.ensure_one()
        vals = {
            "location_id": self.location_id.id,
            "current_location_id": self.location_id.id,
            "install_date": fields.Date.context_today(self, log.timestamp),
        }
        if not equipment:
            lot = log.lot_id
            vals.update(
                name=f"{lot.product_id.name} ({lot.name})",
                product_id=lot.product_id.id,
                lot_id=lot.id,
                company_id=self.company_id.id,
                owned_by_id=self.location_id.owner_id.id,
            )
        return vals

    def _milestone_register_equipment(self, log):
        """The serial of ``log`` as equipment installed at the order's location.

        Reuses the equipment fieldservice_equipment_stock created for the serial.
        Technicians cannot edit equipment: this is done as superuser, for the
        serial the rules accepted only.
        """
        self.ensure_one()
        lot = log.lot_id.sudo()
        equipment_model = self.env["fsm.equipment"].sudo()
        equipment = lot.fsm_equipment_id or equipment_model.search(
            [("lot_id", "=", lot.id)], limit=1
        )
        vals = self._prepare_milestone_equipment_vals(log, equipment)
        if equipment:
            equipment.write(vals)
        else:
            equipment = equipment_model.create(vals)
        if equipment not in self.equipment_ids:
            self.equipment_ids = [Command.link(equipment.id)]
        return equipment

    def _milestone_block_goods_damaged(self, log):
        """Block the order, pause its SLA, ask the warehouse for a replacement."""
        self.ensure_one()
        with server_owned_writes():
            self.install_blocked_reason = "goods_damaged"
        self._sla_pause("goods_damaged", log.timestamp)
        products = log.lot_id.product_id or self.install_line_ids.product_id
        user = self._install_responsible_user()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Send replacement goods"),
            note=self.env._(
                "The goods inspection of order %(order)s failed: %(products)s "
                "damaged. Send a replacement from %(warehouse)s to %(location)s.",
                order=self.name,
                products=", ".join(products.mapped("display_name"))
                + (f" ({log.lot_id.name})" if log.lot_id else ""),
                warehouse=self.warehouse_id.name or self.env._("the warehouse"),
                location=self.location_id.display_name,
            ),
            user_id=user.id,
        )

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
            hours = max((when - order.sla_paused_since).total_seconds(), 0) / 3600
            with server_owned_writes():
                order.sla_paused_hours += hours
            order.message_post(
                body=self.env._("SLA clock resumed after %s h paused.", f"{hours:.1f}"),
                subtype_xmlid="mail.mt_note",
            )
        with server_owned_writes():
            paused.write({"sla_paused_since": False, "sla_pause_reason": False})
        return paused

    # ------------------------------------------------------------------
    # Customer side: tokenised tracking page, reschedule requests and the
    # notifications sent to the customer at each step
    # ------------------------------------------------------------------
    # The tracking link is Odoo's portal link of the order
    # (portal.mixin): ``/install/track/<id>?access_token=<secret>``. The
    # secret is the server's (made when the order is created, renewed by
    # action_tracking_new_token) and only dispatchers read it: portal.mixin
    # lets whoever reads a record read its token, which would give every
    # technician of the job the customer's link. Computed rather than a
    # default: a default would give every order of an existing database one
    # and the same secret when the column is added.
    access_token = fields.Char(
        compute="_compute_access_token",
        store=True,
        precompute=True,
        readonly=True,
        groups="fieldservice.group_fsm_dispatcher",
        server_owned=True,
    )
    tracking_url = fields.Char(
        string="Tracking Link",
        compute="_compute_tracking_url",
        groups="fieldservice.group_fsm_dispatcher",
        help="The customer follows the order here, without an account. The "
        "link expires some time after the order is closed.",
    )
    tracking_customer_id = fields.Many2one(
        "res.partner",
        string="Customer to Notify",
        compute="_compute_tracking_customer_id",
        help="Who receives the notifications: the delivery address of the "
        "installation, else the location's contact, else its owner.",
    )

    _access_token_unique = models.Constraint(
        "UNIQUE(access_token)", "Tracking links are unique."
    )

    def _compute_access_token(self):
        for order in self:
            if not order.access_token:
                order.access_token = secrets.token_urlsafe(24)

    def _compute_access_url(self):
        super()._compute_access_url()
        for order in self:
            order.access_url = f"/install/track/{order.id}"

    def _compute_tracking_url(self):
        for order in self.sudo():
            order.tracking_url = order.access_token and (
                order.get_base_url() + order.get_portal_url()
            )

    @api.depends("install_partner_id", "location_id.contact_id", "location_id.owner_id")
    def _compute_tracking_customer_id(self):
        for order in self:
            order.tracking_customer_id = (
                order.install_partner_id
                or order.location_id.contact_id
                or order.location_id.owner_id
            )

    def _portal_ensure_token(self):
        # the token is made by the server (Odoo's own token generation)
        with server_owned_writes():
            return super()._portal_ensure_token()

    def _get_access_action(self, access_uid=None, force_website=False):
        """A portal technician opening their job (a notification, a link to
        the record) lands on the job's page of the technician portal, never
        on the customer's tracking link, which is not theirs."""
        self.ensure_one()
        user = (
            self.env["res.users"].sudo().browse(access_uid)
            if access_uid
            else self.env.user
        )
        if (
            user.share
            and not force_website
            and self.sudo().person_id.partner_id == user.partner_id
        ):
            return {
                "type": "ir.actions.act_url",
                "url": f"/my/jobs/{self.id}",
                "target": "self",
                "res_id": self.id,
            }
        return super()._get_access_action(
            access_uid=access_uid, force_website=force_website
        )

    @api.model
    def _get_thread_with_access(self, thread_id, *, mode="read", **kwargs):
        """The tracking secret opens the tracking page only: not the order's
        chatter (Odoo's portal chatter reads and posts on a record with its
        token, or a hash of it), whose messages are the company's."""
        for key in ("token", "hash", "pid"):
            kwargs.pop(key, None)
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)

    def _check_dispatcher(self):
        """Raise an AccessError unless the current user is a dispatcher."""
        if not self.env.su and not self.env.user.has_group(
            "fieldservice.group_fsm_dispatcher"
        ):
            raise AccessError(
                self.env._("Only a field service dispatcher can do this.")
            )

    def action_tracking_new_token(self):
        """Replace the tracking link (the old one stops working at once)."""
        self._check_dispatcher()
        self.check_access("write")
        with server_owned_writes():
            for order in self:
                order.sudo().access_token = secrets.token_urlsafe(24)
        self._message_log_batch(
            bodies=dict.fromkeys(
                self.ids,
                self.env._("New tracking link: the previous one no longer works."),
            )
        )
        return True

    @api.model
    def _tracking_valid_token(self, token):
        """Whether ``token`` can be a secret of a link at all (text, not too
        long, no NUL character, which PostgreSQL refuses)."""
        return isinstance(token, str) and 0 < len(token) <= 64 and "\x00" not in token

    @api.model
    def _tracking_from_token(self, token):
        """The order of a tracking secret (sudo), or an empty recordset.

        Links sent before the tracking link was the order's portal link
        carried the secret in their path: the same secret, looked up here."""
        if not self._tracking_valid_token(token):
            return self.sudo().browse()
        return self.sudo().search([("access_token", "=", token)], limit=1)

    @api.model
    def _tracking_from_id(self, order_id, token):
        """The order ``order_id`` (sudo) when ``token`` is its secret, else an
        empty recordset (compared in constant time)."""
        order = self.sudo().browse(order_id).exists()
        if (
            order
            and self._tracking_valid_token(token)
            and order.access_token
            and secrets.compare_digest(
                order.access_token.encode(), token.encode(errors="replace")
            )
        ):
            return order
        return self.sudo().browse()

    def _tracking_expiry(self):
        """When the tracking link stops working: some days (system parameter
        ``fieldservice_install.tracking_link_days``, 90 by default) after the
        order is closed; ``None`` while it is open."""
        self.ensure_one()
        if not self.stage_id.is_closed:
            return None
        try:
            days = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(TRACKING_DAYS_PARAM, TRACKING_DAYS_DEFAULT)
            )
        except ValueError:
            days = TRACKING_DAYS_DEFAULT
        closed_on = self.date_end or self.write_date
        return closed_on + timedelta(days=days)

    def _tracking_expired(self):
        expiry = self._tracking_expiry()
        return bool(expiry and expiry < fields.Datetime.now())

    def _tracking_tz(self):
        self.ensure_one()
        return (
            self.tracking_customer_id.tz
            or self.company_id.partner_id.tz
            or self.env.user.tz
            or "UTC"
        )

    def _tracking_timeline(self):
        """The steps shown to the customer, in order: ``[{"name", "done",
        "when"}]``. Only times: positions and photos stay internal."""
        self.ensure_one()
        tz = self._tracking_tz()

        def when(value):
            return format_datetime(self.env, value, tz=tz, dt_format="short")

        steps = [
            {
                "name": self.env._("Order received"),
                "done": True,
                "when": when(self.create_date),
            },
            {
                "name": self.env._("Visit planned"),
                "done": bool(self.person_id),
                "when": when(self.scheduled_date_start)
                if self.person_id and self.scheduled_date_start
                else "",
            },
        ]
        logged = {}
        for log in self.milestone_log_ids.sorted("timestamp"):
            logged.setdefault(log.milestone_id, log.timestamp)
        templates = self.env["fsm.milestone.template"].search(
            [("order_type_id", "=", self.type.id)]
        )
        for template in templates | self.env["fsm.milestone.template"].concat(*logged):
            steps.append(
                {
                    "name": template.name,
                    "done": template in logged,
                    "when": when(logged[template]) if template in logged else "",
                }
            )
        done = self.install_state == "done" or (
            self.stage_id == self.env.ref("fieldservice.fsm_stage_completed")
        )
        steps.append(
            {
                "name": self.env._("Completed"),
                "done": done,
                "when": when(self.date_end) if done and self.date_end else "",
            }
        )
        return steps

    def _tracking_can_reschedule(self):
        self.ensure_one()
        return not self.stage_id.is_closed and not self.date_start

    def _tracking_request_reschedule(self, wanted, note=""):
        """The customer asks for another date: validated, then a to-do for
        the dispatcher and a note in the chatter. The schedule itself is not
        changed: the dispatcher calls the customer back."""
        self.ensure_one()
        if not self._tracking_can_reschedule():
            raise UserError(
                self.env._(
                    "The installation has started or is closed: it can no "
                    "longer be moved. Call us if needed."
                )
            )
        note = self._portal_text(note, RESCHEDULE_NOTE_MAX)
        try:
            wanted = fields.Date.to_date(self._portal_text(wanted, 32))
        except (TypeError, ValueError):
            wanted = None
        if not wanted:
            raise UserError(self.env._("Give the date you want (year-month-day)."))
        today = fields.Date.context_today(self.with_context(tz=self._tracking_tz()))
        if wanted <= today:
            raise UserError(self.env._("Choose a date after today."))
        if wanted > today + timedelta(days=RESCHEDULE_MAX_DAYS):
            raise UserError(
                self.env._(
                    "Choose a date within %s days; for a later date please call us.",
                    RESCHEDULE_MAX_DAYS,
                )
            )
        activity_type = self.env.ref(
            "fieldservice_install.mail_activity_type_reschedule"
        )
        if self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
            raise UserError(
                self.env._(
                    "Your previous request is being handled: we will call you "
                    "back soon."
                )
            )
        text = self.env._(
            "The customer asks to move the installation to %(date)s. %(note)s",
            date=format_date(self.env, wanted),
            note=note,
        )
        self.activity_schedule(
            activity_type_id=activity_type.id,
            summary=self.env._("Reschedule request: %s", format_date(self.env, wanted)),
            note=plaintext2html(text),
            user_id=self._install_responsible_user().id,
        )
        self.message_post(body=text, subtype_xmlid="mail.mt_note")
        return True

    # ------------------------------------------------------------------
    # Customer notifications
    # ------------------------------------------------------------------
    def _tracking_notify(self, template):
        """Send ``template`` (a mail template or its xml id) to the customer
        of each installation order who has an email address (the body is
        short plain sentences, ready for a text message).

        The mail carries the customer's links (tracking, rating): it is sent
        as a mail of its own, not as a message of the order, made by the
        superuser and from the company, so that no user but the system
        administrators can read it (technicians read the order's messages,
        and the messages they wrote). The order's chatter gets a note, without
        the links, saying which notice went to whom. Returns the mails."""
        if isinstance(template, str):
            template = self.env.ref(template, raise_if_not_found=False)
        # by email only: customers without an address get nothing (and large
        # dispatch batches of such orders post nothing)
        orders = self.filtered(
            lambda o: o.is_installation and o.tracking_customer_id.email
        )
        mails = self.env["mail.mail"].sudo()
        if not template or not orders:
            return mails
        template = template.with_user(api.SUPERUSER_ID)
        for company in orders.company_id:
            company_orders = orders.filtered(lambda o, c=company: o.company_id == c)
            mails |= template.send_mail_batch(
                company_orders.ids,
                email_values={
                    "model": False,
                    "res_id": False,
                    "author_id": company.partner_id.id,
                },
            )
        customers = {order.id: order.tracking_customer_id for order in orders}
        orders._message_log_batch(
            bodies={
                order_id: self.env._(
                    "Notice '%(notice)s' sent to %(customer)s (%(email)s).",
                    notice=template.name,
                    customer=customer.name,
                    email=customer.email,
                )
                for order_id, customer in customers.items()
            }
        )
        return mails
