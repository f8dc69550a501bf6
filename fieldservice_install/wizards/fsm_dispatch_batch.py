# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..engine import dispatch


class FsmDispatchBatch(models.TransientModel):
    """Dispatch many orders at once with a minimum-total-distance plan.

    Step 1 (Plan) shows who would go where, next to what the nearest-first
    (greedy) way would cost; step 2 (Apply) assigns, re-checking capacity
    under lock in case someone dispatched meanwhile.
    """

    _name = "fsm.dispatch.batch"
    _description = "Batch Dispatch"

    order_ids = fields.Many2many("fsm.order", string="Orders to Dispatch")
    line_ids = fields.One2many("fsm.dispatch.batch.line", "wizard_id", string="Plan")
    state = fields.Selection(
        [("draft", "Draft"), ("planned", "Planned")], default="draft"
    )
    total_distance = fields.Float(string="Total Distance (km)", digits=(12, 1))
    greedy_distance = fields.Float(
        string="Nearest-First Distance (km)",
        digits=(12, 1),
        help="Total distance if each order took the nearest eligible technician in "
        "turn.",
    )
    unassigned_count = fields.Integer(string="Left Unassigned")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "fsm.order":
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
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_plan(self):
        self.ensure_one()
        orders = self.order_ids.filtered(lambda o: not o.person_id and not o.is_closed)
        if not orders:
            raise UserError(
                self.env._("Select orders that are neither assigned nor closed.")
            )
        jobs = orders._dispatch_jobs()
        techs = orders._dispatch_techs(orders.company_id, {j.day for j in jobs})
        pairs = dispatch.eligible_pairs(jobs, techs)
        plan = dispatch.plan_batch(jobs, techs, pairs)
        greedy = dispatch.plan_greedy(jobs, techs, pairs)
        tech_by_id = {t.person_id: t for t in techs}
        job_by_id = {j.order_id: j for j in jobs}
        lines = []
        for order in orders:
            person_id = plan.get(order.id)
            job = job_by_id[order.id]
            distance = None
            if person_id:
                tech = tech_by_id[person_id]
                distance = dispatch.haversine_km(job.lat, job.lon, tech.lat, tech.lon)
            lines.append(
                Command.create(
                    {
                        "order_id": order.id,
                        "person_id": person_id or False,
                        "distance_km": distance or 0.0,
                        "distance_known": distance is not None,
                    }
                )
            )
        self.write(
            {
                "line_ids": [Command.clear(), *lines],
                "state": "planned",
                "total_distance": dispatch.total_distance(plan, jobs, techs)[0],
                "greedy_distance": dispatch.total_distance(greedy, jobs, techs)[0],
                "unassigned_count": len(orders) - len(plan),
            }
        )
        return self._reopen()

    def action_apply(self):
        self.ensure_one()
        lines = self.line_ids.filtered("person_id")
        if not lines:
            raise UserError(self.env._("The plan assigns nobody: plan again."))
        orders = lines.order_id
        orders._dispatch_lock()
        jobs = {j.order_id: j for j in orders._dispatch_jobs()}
        techs = {
            t.person_id: t
            for t in orders._dispatch_techs(
                orders.company_id, {j.day for j in jobs.values()}, lock=True
            )
        }
        given = {}
        for line in lines:
            order, job = line.order_id, jobs[line.order_id.id]
            tech = techs.get(line.person_id.id)
            key = (line.person_id.id, job.day)
            if order.person_id or not tech:
                raise UserError(
                    self.env._(
                        "%(order)s changed since the plan was made: plan again.",
                        order=order.name,
                    )
                )
            eligible, reasons = dispatch.evaluate(job, tech, given.get(key, 0))
            if not eligible:
                raise UserError(
                    self.env._(
                        "%(person)s can no longer take %(order)s (%(why)s): plan "
                        "again.",
                        person=line.person_id.name,
                        order=order.name,
                        why=order._dispatch_reason_text(reasons),
                    )
                )
            given[key] = given.get(key, 0) + 1
        self.env["fsm.order"]._dispatch_assign_batch(
            {line.order_id: line.person_id.id for line in lines}
        )
        return {"type": "ir.actions.act_window_close"}


class FsmDispatchBatchLine(models.TransientModel):
    _name = "fsm.dispatch.batch.line"
    _description = "Batch Dispatch Plan Line"

    wizard_id = fields.Many2one("fsm.dispatch.batch", required=True, ondelete="cascade")
    order_id = fields.Many2one("fsm.order", required=True)
    person_id = fields.Many2one("fsm.person", string="Technician")
    distance_km = fields.Float(string="Distance (km)", digits=(12, 1))
    distance_known = fields.Boolean()
