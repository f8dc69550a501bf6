# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import fees
from ..tools.access import MANAGER, USER, check_group

LEDGER_STATES = [
    ("accepted", "Accepted"),
    ("held", "Held"),
    ("releasable", "Releasable"),
    ("settled", "Settled"),
    ("billed", "Billed"),
]
STATES = [*LEDGER_STATES, ("paid", "Paid")]
HOLD_REASONS = [
    ("confirmation", "Awaiting customer confirmation"),
    ("dispute", "Dispute window open"),
    ("quality", "Quality hold (low rating)"),
]
LINE_TYPES = [
    ("job", "Job"),
    ("chargeback", "Chargeback"),
]
OPEN_STATES = ("accepted", "held", "releasable")

# what to do instead of writing a server-owned field (shown in the error)
FROM_ORDER = _lt("taken from the order when it is completed")
PRICED = _lt(
    "priced by the rate card when the order is completed: add a penalty "
    "before the job is settled, or a chargeback after"
)
LEDGER = _lt(
    "follows the customer's confirmation, the dispute window, the quality hold "
    "buttons and the settlement runs"
)
SETTLED = _lt(
    "set by a settlement run: reset its bill to draft or cancel it to put the "
    "job back to the next run"
)
BOOKED = _lt("set when the held funds are booked and released")


class SettlementJobLine(models.Model):
    """What the platform owes a technician for one job (the payable ledger).

    Created when an installation order completes, priced by the rate card
    (the rule and the breakdown are frozen on the line), held until the
    customer confirms and the dispute window passes, then releasable until a
    settlement run puts it on a vendor bill.
    """

    _name = "settlement.job.line"
    _description = "Technician Job Payable"
    # every field is the server's: money, payee, ledger state and its dates
    _inherit = ("install.server.owned.mixin", "mail.thread", "mail.activity.mixin")
    _order = "completed_date desc, id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, server_owned=FROM_ORDER
    )
    line_type = fields.Selection(
        LINE_TYPES,
        string="Type",
        required=True,
        default="job",
        readonly=True,
        server_owned=FROM_ORDER,
    )
    fsm_order_id = fields.Many2one(
        "fsm.order",
        string="Order",
        index=True,
        readonly=True,
        ondelete="restrict",
        server_owned=FROM_ORDER,
    )
    person_id = fields.Many2one(
        "fsm.person",
        string="Technician",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
        server_owned=FROM_ORDER,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Payee",
        required=True,
        index=True,
        readonly=True,
        help="Who is paid: the technician's contractor, else the technician.",
        server_owned=FROM_ORDER,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, server_owned=True
    )
    currency_id = fields.Many2one(
        "res.currency", required=True, readonly=True, server_owned=PRICED
    )
    payer_partner_id = fields.Many2one(
        "res.partner",
        string="Payer",
        readonly=True,
        help="Who pays the service: the customer, the merchant or a brand "
        "(warranty work).",
        server_owned=FROM_ORDER,
    )
    payer_amount = fields.Monetary(
        string="Paid by Payer",
        readonly=True,
        help="Booked to the held-funds liability until the customer accepts.",
        server_owned=FROM_ORDER,
    )
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
    ledger_state = fields.Selection(
        LEDGER_STATES,
        default="accepted",
        required=True,
        readonly=True,
        index=True,
        server_owned=LEDGER,
    )
    state = fields.Selection(
        STATES,
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        server_owned=LEDGER,
    )
    hold_reason = fields.Selection(
        HOLD_REASONS, readonly=True, tracking=True, server_owned=LEDGER
    )
    quality_released = fields.Boolean(readonly=True, copy=False, server_owned=LEDGER)
    completed_date = fields.Datetime(readonly=True, server_owned=FROM_ORDER)
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
    run_id = fields.Many2one(
        "settlement.run",
        string="Settlement Run",
        readonly=True,
        index=True,
        server_owned=SETTLED,
    )
    move_id = fields.Many2one(
        "account.move",
        string="Vendor Bill",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The vendor bill that pays the job, or the vendor credit note of "
        "a period whose chargebacks exceeded the technician's earnings.",
        server_owned=SETTLED,
    )
    payment_state = fields.Selection(related="move_id.payment_state")
    held_move_id = fields.Many2one(
        "account.move",
        string="Held Funds Entry",
        readonly=True,
        copy=False,
        server_owned=BOOKED,
    )
    release_move_id = fields.Many2one(
        "account.move",
        string="Release Entry",
        readonly=True,
        copy=False,
        server_owned=BOOKED,
    )
    origin_line_id = fields.Many2one(
        "settlement.job.line",
        string="Origin",
        readonly=True,
        index="btree_not_null",
        help="The paid job a chargeback corrects.",
        server_owned=True,
    )
    note = fields.Text(readonly=True, server_owned=True)
    overdue_notified = fields.Boolean(readonly=True, copy=False, server_owned=True)

    _job_unique = models.UniqueIndex(
        "(fsm_order_id) WHERE line_type = 'job'",
        "An order has one job payable.",
    )

    @api.depends("ledger_state", "move_id.payment_state", "move_id.state")
    def _compute_state(self):
        for line in self:
            if (
                line.ledger_state == "billed"
                and line.move_id.state == "posted"
                and line.move_id.payment_state in ("paid", "in_payment")
            ):
                line.state = "paid"
            else:
                line.state = line.ledger_state

    def _compute_breakdown_html(self):
        for line in self:
            line.breakdown_html = line._breakdown_table()

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
        kinds = dict(
            self.env["settlement.job.penalty"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        rows += [
            (env._("Penalty: %s", kinds.get(kind, kind)), -amount)
            for kind, amount in data.get("penalties") or []
            if amount
        ]
        return rows

    def _breakdown_table(self):
        rows = self._breakdown_rows() if self.breakdown else []
        if not rows:
            return False
        cells = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>")
            % (label, self.currency_id.format(amount))
            for label, amount in rows
        )
        total = Markup(
            "<tr class='fw-bold'><td>%s</td><td class='text-end'>%s</td></tr>"
        ) % (
            self.env._("Net"),
            self.currency_id.format(self.amount),
        )
        return Markup("<table class='table table-sm'>%s%s</table>") % (cells, total)

    # ------------------------------------------------------------------
    # Creation and pricing
    # ------------------------------------------------------------------
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
        vals["breakdown"]["job"] = {
            "day": fields.Date.to_string(day),
            "order_type_id": job.order_type_id,
            "categ_ids": list(job.categ_ids),
            "state_id": job.state_id,
            "zip_code": job.zip_code,
            "distance_km": job.distance_km,
            "floor": job.floor,
            "has_lift": job.has_lift,
            "night": job.night,
            "holiday": job.holiday,
            "urgent": job.urgent,
        }
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
            if line.line_type != "job" or line.ledger_state not in OPEN_STATES:
                continue
            job_data = dict((line.breakdown or {}).get("job") or {})
            job_data["day"] = fields.Date.to_date(job_data.get("day"))
            job_data["categ_ids"] = tuple(job_data.get("categ_ids") or ())
            job = fees.Job(**job_data)
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
        vals_list = []
        for line in self:
            order = line.fsm_order_id
            card = line.rate_card_id
            if order.sla_breached and card.late_penalty:
                vals_list.append(
                    {
                        "job_line_id": line.id,
                        "kind": "late",
                        "automatic": True,
                        "amount": card.late_penalty,
                        "evidence": self.env._(
                            "Order %s breached its service level agreement.",
                            order.name,
                        ),
                    }
                )
        if vals_list:
            with server_owned_writes():
                self.env["settlement.job.penalty"].create(vals_list)

    # ------------------------------------------------------------------
    # Holds
    # ------------------------------------------------------------------
    def _hold_reason_now(self, today):
        self.ensure_one()
        order = self.fsm_order_id
        if order.quality_hold and not self.quality_released:
            return "quality"
        if not self.confirmed_date:
            return "confirmation"
        if self.dispute_until and today < self.dispute_until:
            return "dispute"
        return False

    def _refresh_hold(self):
        """Move open job lines between held and releasable."""
        today = fields.Date.context_today(self)
        released = self.browse()
        held = {}
        for line in self:
            if line.line_type != "job" or line.ledger_state not in OPEN_STATES:
                continue
            reason = line._hold_reason_now(today)
            if reason:
                if line.ledger_state != "held" or line.hold_reason != reason:
                    held[reason] = held.get(reason, self.browse()) | line
            elif line.ledger_state != "releasable":
                released |= line
        with server_owned_writes():
            for reason, lines in held.items():
                lines.write({"ledger_state": "held", "hold_reason": reason})
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
            if line.ledger_state not in OPEN_STATES or line.confirmed_date:
                continue
            days = line.fsm_order_id.type.settlement_dispute_days
            with server_owned_writes():
                line.write(
                    {"confirmed_date": day, "dispute_until": day + timedelta(days=days)}
                )
        self._refresh_hold()

    def _on_quality_hold(self):
        with server_owned_writes():
            self.filtered(lambda line: line.ledger_state in OPEN_STATES).write(
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
            if line.ledger_state != "held" or line.hold_reason != "quality":
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
                {
                    "job_line_id": line.id,
                    "kind": "quality",
                    "automatic": True,
                    "amount": line.rate_card_id.quality_penalty,
                    "evidence": self.env._(
                        "Customer rating %(stars)s/5: %(comment)s",
                        stars=rating.value,
                        comment=rating.comment or "-",
                    ),
                }
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
        group = self.env.ref("master_settlement.group_settlement_manager")
        for line in late:
            user = (
                line.company_id.settlement_accountant_id
                or group.user_ids.filtered(
                    lambda u, c=line.company_id: c in u.company_ids and not u.share
                )[:1]
            )
            line.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Technician payout overdue"),
                note=self.env._(
                    "%(job)s has been releasable since %(day)s, longer than the "
                    "%(days)s days allowed: include it in a settlement run.",
                    job=line.name,
                    day=line.releasable_date,
                    days=line.company_id.settlement_max_payout_days,
                ),
                user_id=(user or self.env.user).id,
            )
        with server_owned_writes():
            late.write({"overdue_notified": True})
        return late

    # ------------------------------------------------------------------
    # Held funds
    # ------------------------------------------------------------------
    def _book_held_funds(self):
        """What the payer pays before acceptance: receivable against the
        held-funds liability."""
        lines = self.filtered(
            lambda line: (
                line.payer_amount > 0
                and line.payer_partner_id
                and not line.held_move_id
            )
        )
        if not lines:
            return
        vals_list = []
        for line in lines:
            company = line.company_id
            accounts = company._settlement_accounts()
            receivable = line.payer_partner_id.with_company(
                company
            ).property_account_receivable_id
            vals_list.append(
                {
                    "move_type": "entry",
                    "journal_id": company._settlement_misc_journal().id,
                    "company_id": company.id,
                    "date": fields.Date.context_today(self),
                    "ref": self.env._("Held funds %s", line.name),
                    "line_ids": [
                        Command.create(
                            {
                                "name": line.name,
                                "account_id": receivable.id,
                                "partner_id": line.payer_partner_id.id,
                                "balance": line.payer_amount,
                            }
                        ),
                        Command.create(
                            {
                                "name": line.name,
                                "account_id": accounts["held"].id,
                                "partner_id": line.payer_partner_id.id,
                                "balance": -line.payer_amount,
                            }
                        ),
                    ],
                }
            )
        moves = self.env["account.move"].sudo().create(vals_list)
        moves.action_post()
        with server_owned_writes():
            for line, move in zip(lines, moves, strict=True):
                line.held_move_id = move

    def _release_held_funds(self):
        """On acceptance: held funds into the technician's accrued payable
        (the fee) and revenue (the rest)."""
        lines = self.filtered(
            lambda line: line.held_move_id and not line.release_move_id
        )
        if not lines:
            return
        vals_list = []
        for line in lines:
            company = line.company_id
            accounts = company._settlement_accounts()
            margin = line.currency_id.round(line.payer_amount - line.gross_amount)
            move_lines = [
                Command.create(
                    {
                        "name": line.name,
                        "account_id": accounts["held"].id,
                        "partner_id": line.payer_partner_id.id,
                        "balance": line.payer_amount,
                    }
                ),
                Command.create(
                    {
                        "name": line.name,
                        "account_id": accounts["accrued"].id,
                        "partner_id": line.partner_id.id,
                        "balance": -line.gross_amount,
                    }
                ),
            ]
            if margin:
                move_lines.append(
                    Command.create(
                        {
                            "name": line.name,
                            "account_id": accounts["revenue"].id,
                            "partner_id": line.payer_partner_id.id,
                            "balance": -margin,
                        }
                    )
                )
            vals_list.append(
                {
                    "move_type": "entry",
                    "journal_id": company._settlement_misc_journal().id,
                    "company_id": company.id,
                    "date": fields.Date.context_today(self),
                    "ref": self.env._("Release %s", line.name),
                    "line_ids": move_lines,
                }
            )
        moves = self.env["account.move"].sudo().create(vals_list)
        moves.action_post()
        with server_owned_writes():
            for line, move in zip(lines, moves, strict=True):
                line.release_move_id = move

    # ------------------------------------------------------------------
    # Chargebacks and bills
    # ------------------------------------------------------------------
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
            chargeback = self._create_chargeback_line(amount, reason, today)
        self.message_post(
            body=self.env._(
                "Chargeback of %(amount)s: %(reason)s",
                amount=self.currency_id.format(amount),
                reason=reason,
            )
        )
        return chargeback

    def _create_chargeback_line(self, amount, reason, today):
        return self.create(
            {
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
        )

    def _engine_line(self):
        self.ensure_one()
        data = self.breakdown or {}
        return {
            "id": self.id,
            "person_id": self.person_id.id,
            "kind": self.line_type,
            "label": self.name,
            "gross": self.gross_amount,
            "bonuses": [tuple(b) for b in data.get("bonuses") or []],
            "commission": self.commission_amount,
            "penalties": [tuple(p) for p in data.get("penalties") or []],
            "net": self.amount,
            "account": "accrued" if self.release_move_id else "cost",
        }

    def _back_to_releasable(self, reason):
        """The bill was deleted, cancelled or reset by hand: pay the lines in
        the next run."""
        if not self:
            return
        with server_owned_writes():
            self.write(
                {"ledger_state": "releasable", "move_id": False, "run_id": False}
            )
        for line in self:
            line.message_post(body=reason)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        for line in self:
            if line.ledger_state in ("settled", "billed") or line.move_id:
                raise UserError(
                    self.env._(
                        "Job payable %s is on a settlement: it cannot be deleted.",
                        line.name,
                    )
                )

    def action_view_bill(self):
        check_group(self.env, USER)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
