# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dispatch of field service orders: the technicians ranked for an order
(and why), and the assignment of the best eligible one. The ranking is
``engine/dispatch.py``; this reads its inputs in batches and writes its
results.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, LockError, UserError
from odoo.tools.translate import LazyTranslate

from ..engine import dispatch
from ..tools.server_owned import server_owned_writes

_lt = LazyTranslate(__name__)


class FsmOrderDispatch(models.Model):
    _inherit = "fsm.order"  # pylint: disable=consider-merging-classes-inherited

    dispatch_candidate_ids = fields.One2many(
        "fsm.dispatch.candidate",
        "order_id",
        string="Dispatch Candidates",
        copy=False,
        readonly=True,
        server_owned=_lt("use the button Rank Technicians"),
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

    def _dispatch_inputs(self):
        """``(jobs, techs)``: the orders as engine jobs, and the technicians
        of their companies with their load on the jobs' days, each read in
        a few batched queries."""
        jobs = self._dispatch_jobs()
        return jobs, self._dispatch_techs(self.company_id, {j.day for j in jobs})

    def _dispatch_rank(self, job, techs):
        """The engine's ranking of ``techs`` for the order's ``job``, with the
        weights of the order's company."""
        self.ensure_one()
        return dispatch.rank(job, techs, self.company_id._dispatch_weights())

    def action_compute_dispatch(self):
        """Rank the technicians of each order and store why (Dispatch tab)."""
        self._check_dispatcher()
        self.check_access("write")
        jobs, techs = self._dispatch_inputs()
        vals = []
        for order, job in zip(self, jobs, strict=True):
            ranked = order._dispatch_rank(job, techs)
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
        self._check_dispatcher()
        self.check_access("write")
        for order in self:
            if order.is_closed:
                raise UserError(
                    self.env._(
                        "Order %s is closed: it cannot be dispatched.", order.name
                    )
                )
        self._dispatch_lock()
        jobs, techs = self._dispatch_inputs()
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
            ranked = order._dispatch_rank(job, techs)
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
        main = dispatch.main_reasons(ranked, limit=4)
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
