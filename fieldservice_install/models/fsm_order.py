# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import dispatch
from ..engine.install_sync import earliest_install_start, is_fully_delivered

INSTALL_STATE_SELECTION = [
    ("to_plan", "To Plan"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class FsmOrder(models.Model):
    _inherit = "fsm.order"

    is_installation = fields.Boolean(
        compute="_compute_is_installation", store=True, index=True
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
    )
    install_ready = fields.Boolean(
        string="Goods Delivered",
        readonly=True,
        copy=False,
        tracking=True,
        help="Every product to install has been delivered to the customer.",
    )
    install_date_confirmed = fields.Boolean(
        string="Date Confirmed with Customer",
        copy=False,
        tracking=True,
        help="Once confirmed, moving the delivery no longer moves the installation.",
    )
    address_incomplete = fields.Boolean(
        compute="_compute_address_incomplete",
        store=True,
        help="The address has no street or no city: a technician cannot find it.",
    )
    location_state_id = fields.Many2one(
        related="location_id.state_id", string="Province / State", store=True
    )
    install_late = fields.Boolean(
        compute="_compute_install_late", search="_search_install_late"
    )
    dispatch_candidate_ids = fields.One2many(
        "fsm.dispatch.candidate", "order_id", string="Dispatch Candidates", copy=False
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
        self.filtered("is_installation").install_date_confirmed = True
        return True

    def action_view_sale_order(self):
        self.ensure_one()
        return self.action_view_sales()

    # ------------------------------------------------------------------
    # Dispatch
    # ------------------------------------------------------------------
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
    def _dispatch_techs(self, companies, days, lock=False):
        """Technicians of ``companies`` as engine values, with their load per day.

        With ``lock``, their rows are locked first so that concurrent dispatch
        runs count each other's assignments (capacity is never exceeded).
        """
        persons = self.env["fsm.person"].search(
            [("company_id", "in", [*companies.ids, False])]
        )
        if lock and persons:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM fsm_person WHERE id = ANY(%s) "
                    "ORDER BY id FOR UPDATE",
                    persons.ids,
                )
            )
            self.env.invalidate_all()
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
                load[(person.id, day.date() if hasattr(day, "date") else day)] += count
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
                    load=tuple(
                        (day, count)
                        for (pid, day), count in load.items()
                        if pid == person.id
                    ),
                    rating=person.rating_avg,
                    cost=person.job_cost,
                    blocked_customer_ids=frozenset(person.blocked_partner_ids.ids),
                )
            )
        return techs

    def action_compute_dispatch(self):
        """Rank the technicians of each order and store why (Dispatch tab)."""
        jobs = self._dispatch_jobs()
        techs = self._dispatch_techs(self.company_id, {j.day for j in jobs})
        vals = []
        for order, job in zip(self, jobs, strict=True):
            ranked = dispatch.rank(job, techs, order.company_id._dispatch_weights())
            shown = [r for r in ranked if r.eligible or "area" not in r.reasons][:50]
            vals += [order._prepare_dispatch_candidate_vals(r) for r in shown]
        self.dispatch_candidate_ids.unlink()
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
        """Lock the orders' rows; another dispatcher holding them gets an error."""
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM fsm_order WHERE id = ANY(%s) FOR UPDATE NOWAIT",
                    self.ids,
                )
            )
        except psycopg2.errors.LockNotAvailable as exc:
            raise UserError(
                self.env._(
                    "Another dispatcher is assigning %s right now. Reload the "
                    "order and try again.",
                    ", ".join(self.mapped("name")),
                )
            ) from exc
        self.invalidate_recordset(["person_id"])

    def action_dispatch(self):
        """Assign each order to its best eligible technician."""
        for order in self:
            if order.is_closed:
                raise UserError(
                    self.env._(
                        "Order %s is closed: it cannot be dispatched.", order.name
                    )
                )
        self._dispatch_lock()
        jobs = self._dispatch_jobs()
        techs = self._dispatch_techs(self.company_id, {j.day for j in jobs}, lock=True)
        given = defaultdict(int)
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
            order._dispatch_assign(best.person_id)
        return True

    def _dispatch_assign(self, person_id):
        self.ensure_one()
        person = self.env["fsm.person"].browse(person_id)
        vals = {"person_id": person_id}
        if not self.scheduled_date_start:
            vals["scheduled_date_start"] = fields.Datetime.now()
            vals["scheduled_duration"] = self.scheduled_duration
        self.write(vals)
        person.last_dispatch_date = fields.Datetime.now()
        self.message_post(
            body=self.env._("Dispatched to %s.", person.name),
            subtype_xmlid="mail.mt_note",
        )

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
                order.write(vals)
                serials = order.install_line_ids.lot_ids.mapped("name")
                order.message_post(
                    body=self.env._(
                        "Goods delivered, ready to install. Serial numbers: %s",
                        ", ".join(serials) or self.env._("none (not tracked)"),
                    )
                )
            elif not ready and order.install_ready:
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

    def _install_notify_incomplete_address(self):
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for order in self.filtered("address_incomplete"):
            user = (
                order.company_id.install_dispatcher_id
                or order.sale_id.user_id
                or self.env.user
            )
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
            order.write(
                {
                    "stage_id": self._install_first_stage(order.company_id).id,
                    "install_ready": False,
                }
            )
            order.message_post(
                body=self.env._("Reopened: the sale order was confirmed again.")
            )
