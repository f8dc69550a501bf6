# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.fieldservice_install.tools.selection import selection_labels
from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import fees, holds
from .settlement_job_line import PRICED


class SettlementJobLine(models.Model):
    """Pricing: the rate card's rule and breakdown frozen on the line, the
    penalties that reprice it."""

    _inherit = "settlement.job.line"  # pylint: disable=consider-merging-classes-inherited

    rate_card_id = fields.Many2one(
        "settlement.rate.card",
        index=True,
        readonly=True,
        ondelete="restrict",
        server_owned=PRICED,
    )
    rate_line_id = fields.Many2one(
        "settlement.rate.card.line",
        string="Pricing Rule",
        readonly=True,
        ondelete="restrict",
        server_owned=PRICED,
    )
    breakdown = fields.Json(readonly=True, copy=False, server_owned=PRICED)
    breakdown_html = fields.Html(
        string="Price Breakdown", compute="_compute_breakdown_html", sanitize=False
    )
    base_fee = fields.Monetary(readonly=True, server_owned=PRICED)
    surcharge_amount = fields.Monetary(
        string="Surcharges", readonly=True, server_owned=PRICED
    )
    gross_amount = fields.Monetary(string="Fee", readonly=True, server_owned=PRICED)
    bonus_amount = fields.Monetary(string="Bonuses", readonly=True, server_owned=PRICED)
    commission_amount = fields.Monetary(
        string="Commission", readonly=True, server_owned=PRICED
    )
    penalty_amount = fields.Monetary(
        string="Penalties", readonly=True, server_owned=PRICED
    )
    amount = fields.Monetary(
        string="Net Amount", readonly=True, tracking=True, server_owned=PRICED
    )
    # the clerk's input: penalties with their evidence (the line reprices)
    penalty_ids = fields.One2many(
        "settlement.job.penalty", "job_line_id", string="Penalty Lines"
    )

    def _compute_breakdown_html(self):
        """The frozen price breakdown, rendered by the QWeb template the
        technician's statement uses too."""
        qweb = self.env["ir.qweb"]
        for line in self:
            line.breakdown_html = bool(line.breakdown) and qweb._render(
                "master_settlement.settlement_job_line_breakdown", {"job": line}
            )

    def _breakdown_rows(self):
        """``(label, amount)`` of the frozen price breakdown."""
        self.ensure_one()
        data = self.breakdown or {}
        env = self.env
        rows = [(env._("Base fee"), data.get("base", 0.0))]
        labels = [
            ("distance", env._("Distance (%s km beyond)", data.get("distance_km", 0))),
            ("floor", env._("Floors without lift (%s)", data.get("floors", 0))),
            ("night", env._("Night uplift")),
            ("holiday", env._("Public holiday uplift")),
            ("urgent", env._("Urgent")),
        ]
        rows += [(label, data[key]) for key, label in labels if data.get(key)]
        rows += [
            (env._("Bonus: %s", name), amount)
            for name, amount in data.get("bonuses") or []
        ]
        if data.get("commission"):
            rows.append(
                (
                    env._("Commission (%s%%)", data.get("commission_pct", 0)),
                    -data["commission"],
                )
            )
        kinds = selection_labels(self.env["settlement.job.penalty"], "kind")
        rows += [
            (env._("Penalty: %s", kinds.get(kind, kind)), -amount)
            for kind, amount in data.get("penalties") or []
            if amount
        ]
        return rows

    @api.model
    def _create_for_orders(self, orders, raise_unpriced=False):
        """The job payable of each completed order with a technician (one per
        order, whatever the number of calls).

        An order no rate card prices does not block its completion: it gets
        a note and the settlement accountant an activity, and the payable is
        created from the order once a base fee exists (``raise_unpriced``
        then tells why it still cannot be).
        """
        existing = self.search(
            [("fsm_order_id", "in", orders.ids), ("line_type", "=", "job")]
        ).fsm_order_id
        todo = orders.filtered(lambda o: o.person_id and o not in existing)
        vals_list = []
        for order in todo:
            vals, problem = self._prepare_job_line_vals(order)
            if vals:
                vals_list.append(vals)
            elif raise_unpriced:
                raise UserError(problem)
            elif problem:
                order._settlement_notify_unpriced(problem)
        if not vals_list:
            return self.browse()
        with server_owned_writes():
            lines = self.create(vals_list)
        lines._add_automatic_penalties()
        lines._book_held_funds()
        for line in lines:
            confirmed = line.fsm_order_id.milestone_log_ids.filtered(
                lambda log: log.milestone_id.code == "confirmed"
            )[:1]
            if confirmed:
                line._on_customer_confirmed(
                    fields.Date.context_today(self, confirmed.timestamp)
                )
        lines._refresh_hold()
        return lines

    @api.model
    def _find_card(self, company, day):
        return self.env["settlement.rate.card"].search(
            [
                ("company_id", "=", company.id),
                ("date_from", "<=", day),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", day),
            ],
            order="date_from desc, id desc",
        )

    @api.model
    def _prepare_job_line_vals(self, order):
        """``(vals, None)``, or ``(None, why)`` when no rate card prices the
        order (``why`` is empty when the company has no rate card at all)."""
        company = order.company_id
        when = order.date_end or fields.Datetime.now()
        day = fields.Date.context_today(self, when)
        job = order._settlement_engine_job(day)
        cards = self._find_card(company, day)
        if not cards and not self.env["settlement.rate.card"].search_count(
            [("company_id", "=", company.id)], limit=1
        ):
            return None, None  # the company does not settle technicians here
        rules = [line._engine_rule() for line in cards.line_ids]
        rule = fees.match_rule(rules, job)
        if not rule:
            return None, (
                self.env._(
                    "No rate card of %(company)s prices order %(order)s (service "
                    "type %(type)s, %(region)s) on %(day)s: add a base fee for it "
                    "before completing the order.",
                    company=company.name,
                    order=order.name,
                    type=order.type.name or "-",
                    region=order.location_state_id.name or order.location_id.zip or "-",
                    day=day,
                )
            )
        rate_line = self.env["settlement.rate.card.line"].browse(rule["id"])
        card = rate_line.card_id
        person = order.person_id
        vals = {
            "name": order.name,
            "line_type": "job",
            "fsm_order_id": order.id,
            "person_id": person.id,
            "partner_id": (person.contractor_partner_id or person.partner_id).id,
            "company_id": company.id,
            "currency_id": card.currency_id.id,
            "payer_partner_id": order._settlement_payer().id,
            "payer_amount": order.settle_payer_amount,
            "rate_card_id": card.id,
            "rate_line_id": rate_line.id,
            "completed_date": when,
        }
        vals.update(
            self._price_vals(
                fees.price(
                    rule["base_fee"], card._engine_card(), job, card._engine_bonuses()
                )
            )
        )
        vals["breakdown"]["job"] = fees.job_to_json(job)
        return vals, None

    @api.model
    def _price_vals(self, result):
        return {
            "breakdown": result,
            "base_fee": result["base"],
            "surcharge_amount": result["surcharges"],
            "gross_amount": result["gross"],
            "bonus_amount": result["bonus"],
            "commission_amount": result["commission"],
            "penalty_amount": result["penalty"],
            "amount": result["net"],
        }

    def _reprice(self):
        """Apply the penalties again on the frozen inputs (open job lines)."""
        for line in self:
            if line.line_type != "job" or not holds.is_open(line.ledger_state):
                continue
            job = fees.job_from_json((line.breakdown or {}).get("job") or {})
            card = line.rate_card_id
            penalties = [(p.kind, p.amount) for p in line.penalty_ids]
            result = fees.price(
                line.base_fee,
                card._engine_card(),
                job,
                card._engine_bonuses(),
                penalties,
            )
            result["job"] = (line.breakdown or {}).get("job")
            with server_owned_writes():
                line.write(self._price_vals(result))

    def _add_automatic_penalties(self):
        """Late arrival: the order breached its SLA."""
        vals_list = [
            line._prepare_penalty_vals(
                "late",
                line.rate_card_id.late_penalty,
                self.env._(
                    "Order %s breached its service level agreement.",
                    line.fsm_order_id.name,
                ),
            )
            for line in self
            if line.fsm_order_id.sla_breached and line.rate_card_id.late_penalty
        ]
        if vals_list:
            with server_owned_writes():
                self.env["settlement.job.penalty"].create(vals_list)

    def _prepare_penalty_vals(self, kind, amount, evidence):
        """A penalty the server applies to the line (from the rate card, with
        its evidence): the line reprices when it is created."""
        self.ensure_one()
        return {
            "job_line_id": self.id,
            "kind": kind,
            "automatic": True,
            "amount": amount,
            "evidence": evidence,
        }
