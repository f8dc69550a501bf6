# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from psycopg2.errors import SerializationFailure

from odoo import Command, api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.tools.translate import LazyTranslate

from ..engine import dispatch
from ..tools.server_owned import server_owned_writes

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# plans of more orders are applied in the background, in steps of APPLY_CHUNK
# orders (one transaction each): a dispatcher's request stays short and the
# orders and technicians of a step are locked only while it runs
APPLY_NOW_MAX = 300
APPLY_CHUNK = 250
# a step that finds its technicians locked by another transaction waits this
# long before trying again
APPLY_RETRY_SECONDS = 10
APPLY_CRON = "fieldservice_install.ir_cron_dispatch_batch_apply"


class FsmDispatchBatch(models.TransientModel):
    """Dispatch many orders at once with a minimum-total-distance plan.

    Step 1 (Plan) shows who would go where, next to what the nearest-first
    (greedy) way would cost; step 2 (Apply) assigns, re-checking capacity
    under lock in case someone dispatched meanwhile. A plan of up to
    ``APPLY_NOW_MAX`` orders is applied at once, all or nothing; a larger one
    in the background, ``APPLY_CHUNK`` orders per step, the progress shown on
    the batch (an order that changed meanwhile is left out, with the reason
    on its line).
    """

    _name = "fsm.dispatch.batch"
    _inherit = ["install.server.owned.mixin"]  # noqa: RUF012
    _description = "Batch Dispatch"

    order_ids = fields.Many2many("fsm.order", string="Orders to Dispatch")
    line_ids = fields.One2many(
        "fsm.dispatch.batch.line",
        "wizard_id",
        string="Plan",
        readonly=True,
        server_owned=_lt("use the button Plan"),
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("planned", "Planned"),
            ("applying", "Applying"),
            ("done", "Applied"),
        ],
        default="draft",
        readonly=True,
        server_owned=_lt("use the buttons Plan and Apply the Plan"),
    )
    total_distance = fields.Float(
        string="Total Distance (km)", digits=(12, 1), readonly=True, server_owned=True
    )
    greedy_distance = fields.Float(
        string="Nearest-First Distance (km)",
        digits=(12, 1),
        readonly=True,
        server_owned=True,
        help="Total distance if each order took the nearest eligible technician in "
        "turn.",
    )
    unassigned_count = fields.Integer(
        string="Left Unassigned", readonly=True, server_owned=True
    )
    apply_total = fields.Integer(
        string="Orders to Assign", readonly=True, server_owned=True
    )
    applied_count = fields.Integer(string="Assigned", readonly=True, server_owned=True)
    skipped_count = fields.Integer(
        string="Not Assigned",
        readonly=True,
        server_owned=True,
        help="Orders of the plan that changed while it was applied (assigned by "
        "someone else, closed, or their technician can no longer take them): "
        "their line says why.",
    )
    apply_progress = fields.Float(
        string="Progress", compute="_compute_apply_progress", digits=(5, 1)
    )
    apply_message = fields.Char(string="Status", readonly=True, server_owned=True)

    @api.depends("apply_total", "applied_count", "skipped_count")
    def _compute_apply_progress(self):
        for batch in self:
            done = batch.applied_count + batch.skipped_count
            batch.apply_progress = (
                100.0 * done / batch.apply_total if batch.apply_total else 0.0
            )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "fsm.order":
            self._check_dispatcher()
            orders = self.env["fsm.order"].browse(
                self.env.context.get("active_ids", [])
            )
            res["order_ids"] = [
                Command.set(
                    orders.filtered(lambda o: not o.person_id and not o.is_closed).ids
                )
            ]
        return res

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Batch Dispatch"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _check_dispatcher(self):
        self.env["fsm.order"]._check_dispatcher()

    # ------------------------------------------------------------------
    # Plan
    # ------------------------------------------------------------------
    def action_plan(self):
        self.ensure_one()
        self._check_dispatcher()
        if self.state not in ("draft", "planned"):
            raise UserError(
                self.env._(
                    "This batch is being applied or was applied: start a new batch "
                    "dispatch to plan again."
                )
            )
        orders = self.order_ids.filtered(lambda o: not o.person_id and not o.is_closed)
        if not orders:
            raise UserError(
                self.env._("Select orders that are neither assigned nor closed.")
            )
        jobs, techs = orders._dispatch_inputs()
        pairs = dispatch.eligible_pairs(jobs, techs)
        plan = dispatch.plan_batch(jobs, techs, pairs)
        greedy = dispatch.plan_greedy(jobs, techs, pairs)
        tech_by_id = {t.person_id: t for t in techs}
        job_by_id = {j.order_id: j for j in jobs}
        index = dispatch.TechIndex(techs) if len(plan) < len(orders) else None
        lines = []
        for order in orders:
            person_id = plan.get(order.id)
            job = job_by_id[order.id]
            distance = None
            why = False
            if person_id:
                tech = tech_by_id[person_id]
                distance = dispatch.haversine_km(job.lat, job.lon, tech.lat, tech.lon)
            else:
                why = order._dispatch_reason_text(
                    dispatch.unplanned_reasons(
                        job, index, bool(pairs.get(job.order_id))
                    )
                )
            lines.append(
                Command.create(
                    {
                        "order_id": order.id,
                        "person_id": person_id or False,
                        "distance_km": distance or 0.0,
                        "distance_known": distance is not None,
                        "apply_note": why,
                    }
                )
            )
        with server_owned_writes():
            self.write(
                {
                    "line_ids": [Command.clear(), *lines],
                    "state": "planned",
                    "total_distance": dispatch.total_distance(plan, jobs, techs)[0],
                    "greedy_distance": dispatch.total_distance(greedy, jobs, techs)[0],
                    "unassigned_count": len(orders) - len(plan),
                    "apply_total": 0,
                    "applied_count": 0,
                    "skipped_count": 0,
                    "apply_message": False,
                }
            )
        return self._reopen()

    # ------------------------------------------------------------------
    # Apply
    # ------------------------------------------------------------------
    def action_apply(self):
        """Assign the plan: at once for a small plan (all or nothing), in the
        background for a large one (the batch shows the progress)."""
        self.ensure_one()
        self._check_dispatcher()
        if self.state != "planned":
            raise UserError(
                self.env._("Only a plan not applied yet can be applied: plan again.")
            )
        lines = self.line_ids.filtered("person_id")
        if not lines:
            raise UserError(self.env._("The plan assigns nobody: plan again."))
        if len(lines) <= APPLY_NOW_MAX:
            assigned, _skipped = self._apply_lines(lines, strict=True)
            with server_owned_writes():
                lines.write({"apply_state": "assigned"})
                self.write(
                    {
                        "state": "done",
                        "apply_total": len(lines),
                        "applied_count": len(assigned),
                    }
                )
            return {"type": "ir.actions.act_window_close"}
        with server_owned_writes():
            lines.write({"apply_state": "pending", "apply_note": False})
            self.write(
                {
                    "state": "applying",
                    "apply_total": len(lines),
                    "applied_count": 0,
                    "skipped_count": 0,
                    "apply_message": self.env._("Waiting for the background job."),
                }
            )
        self.env.ref(APPLY_CRON).sudo()._trigger()
        return self._reopen()

    def action_refresh(self):
        """Show the batch again (the progress of a background apply)."""
        self.ensure_one()
        self._check_dispatcher()
        return self._reopen()

    def _apply_lines(self, lines, strict):
        """Assign the orders of ``lines`` to their planned technicians,
        re-checked under lock (someone may have dispatched meanwhile).

        ``strict``: a line that can no longer be applied raises a
        ``UserError`` and nothing is assigned; otherwise it is left out.
        Returns ``({order: person id} assigned, {line: reason} left out)``.
        """
        orders = lines.order_id
        skipped = {}
        if strict:
            orders._dispatch_lock()
        else:
            busy = orders - orders.try_lock_for_update()
            if busy:
                orders.invalidate_recordset(["person_id"])
                reason = self.env._("another dispatcher was assigning it")
                skipped.update(
                    dict.fromkeys(
                        lines.filtered(lambda line: line.order_id in busy), reason
                    )
                )
        jobs = {j.order_id: j for j in orders._dispatch_jobs()}
        techs = {
            t.person_id: t
            for t in orders._dispatch_techs(
                orders.company_id,
                {j.day for j in jobs.values()},
                persons=lines.person_id,
            )
        }
        given = {}
        assignments = {}
        for line in lines:
            if line in skipped:
                continue
            order, job = line.order_id, jobs[line.order_id.id]
            tech = techs.get(line.person_id.id)
            if order.person_id or order.is_closed or not tech:
                if strict:
                    raise UserError(
                        self.env._(
                            "%(order)s changed since the plan was made: plan again.",
                            order=order.name,
                        )
                    )
                skipped[line] = self.env._(
                    "changed since the plan was made (assigned or closed)"
                )
                continue
            key = (line.person_id.id, job.day)
            eligible, reasons = dispatch.evaluate(job, tech, given.get(key, 0))
            if not eligible:
                why = order._dispatch_reason_text(reasons)
                if strict:
                    raise UserError(
                        self.env._(
                            "%(person)s can no longer take %(order)s (%(why)s): plan "
                            "again.",
                            person=line.person_id.name,
                            order=order.name,
                            why=why,
                        )
                    )
                skipped[line] = self.env._(
                    "%(person)s can no longer take it (%(why)s)",
                    person=line.person_id.name,
                    why=why,
                )
                continue
            given[key] = given.get(key, 0) + 1
            assignments[order] = line.person_id.id
        if assignments:
            self.env["fsm.order"]._dispatch_assign_batch(assignments)
        return assignments, skipped

    def _apply_next_chunk(self):
        """One step of a background apply: the next ``APPLY_CHUNK`` lines.

        Returns how many lines it handled (assigned or left out); 0 when the
        step must wait (its technicians are being assigned by another
        transaction: nothing of the step is kept, it runs again later).
        """
        self.ensure_one()
        self._check_dispatcher()
        pending = self.line_ids.filtered(lambda line: line.apply_state == "pending")
        chunk = pending[:APPLY_CHUNK]
        if chunk:
            try:
                with self.env.cr.savepoint():
                    assigned, skipped = self._apply_lines(chunk, strict=False)
            except (ConcurrencyError, SerializationFailure):
                self.env.invalidate_all()
                with server_owned_writes():
                    self.apply_message = self.env._(
                        "Waiting: another dispatch is assigning the same technicians."
                    )
                return 0
            with server_owned_writes():
                (chunk - self.env["fsm.dispatch.batch.line"].concat(*skipped)).write(
                    {"apply_state": "assigned"}
                )
                for reason in set(skipped.values()):
                    self.env["fsm.dispatch.batch.line"].concat(
                        *(line for line, why in skipped.items() if why == reason)
                    ).write({"apply_state": "skipped", "apply_note": reason})
                self.write(
                    {
                        "applied_count": self.applied_count + len(assigned),
                        "skipped_count": self.skipped_count + len(skipped),
                        "apply_message": self.env._(
                            "Applying: %(done)s of %(total)s orders handled.",
                            done=self.applied_count
                            + self.skipped_count
                            + len(assigned)
                            + len(skipped),
                            total=self.apply_total,
                        ),
                    }
                )
        if len(pending) <= len(chunk):
            self._apply_finish()
        return len(chunk)

    def _apply_finish(self, error=None):
        """The background apply ended: the summary on the batch and a
        notification to the dispatcher who applied it."""
        if error:
            message = self.env._(
                "Stopped: %(error)s %(assigned)s orders were assigned; plan the "
                "others again.",
                error=error,
                assigned=self.applied_count,
            )
        else:
            message = self.env._(
                "Applied: %(assigned)s orders assigned, %(skipped)s not assigned "
                "(their line says why).",
                assigned=self.applied_count,
                skipped=self.skipped_count,
            )
        with server_owned_writes():
            self.line_ids.filtered(lambda line: line.apply_state == "pending").write(
                {"apply_state": False}
            )
            self.write({"state": "done", "apply_message": message})
        self.create_uid._bus_send(
            "simple_notification",
            {
                "type": "warning" if error or self.skipped_count else "success",
                "title": self.env._("Batch dispatch"),
                "message": message,
            },
        )

    @api.model
    def _cron_apply(self):
        """Background apply of the batches waiting for it, one step per call
        (Odoo's cron calls again while progress is reported, committing in
        between). Each step runs as the dispatcher who applied the batch."""
        batch = self.sudo().search([("state", "=", "applying")], order="id", limit=1)
        if not batch:
            return
        user = batch.create_uid
        batch = batch.with_user(user).with_context(**user.context_get())
        try:
            with self.env.cr.savepoint():
                done = batch._apply_next_chunk()
        except Exception as exc:  # reported on the batch, the cron goes on
            _logger.exception("Batch dispatch %s stopped", batch.id)
            self.env.invalidate_all()
            error = exc.args[0] if isinstance(exc, UserError) else repr(exc)
            batch._apply_finish(error=str(error))
            done = 1
        cron = self.env["ir.cron"]
        if not done:  # waiting for other dispatchers' technicians
            self.env.ref(APPLY_CRON)._trigger(
                fields.Datetime.add(fields.Datetime.now(), seconds=APPLY_RETRY_SECONDS)
            )
            cron._commit_progress(0, remaining=0)
            return
        remaining = (
            self.env["fsm.dispatch.batch.line"]
            .sudo()
            .search_count(
                [("apply_state", "=", "pending"), ("wizard_id.state", "=", "applying")]
            )
        )
        cron._commit_progress(done, remaining=remaining)


class FsmDispatchBatchLine(models.TransientModel):
    _name = "fsm.dispatch.batch.line"
    _inherit = ["install.server.owned.mixin"]  # noqa: RUF012
    _description = "Batch Dispatch Plan Line"

    wizard_id = fields.Many2one(
        "fsm.dispatch.batch", required=True, index=True, ondelete="cascade"
    )
    order_id = fields.Many2one("fsm.order", required=True, server_owned=True)
    person_id = fields.Many2one("fsm.person", string="Technician", server_owned=True)
    distance_km = fields.Float(
        string="Distance (km)", digits=(12, 1), server_owned=True
    )
    distance_known = fields.Boolean(server_owned=True)
    apply_state = fields.Selection(
        [
            ("pending", "To Assign"),
            ("assigned", "Assigned"),
            ("skipped", "Not Assigned"),
        ],
        string="Result",
        readonly=True,
        server_owned=True,
    )
    apply_note = fields.Char(string="Why", readonly=True, server_owned=True)
