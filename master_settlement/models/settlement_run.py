# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.utils import must_run_without_delay

from ..engine import settlement as engine

_logger = logging.getLogger(__name__)

POST_BATCH = 500


class SettlementRun(models.Model):
    """Pays every releasable job of a period: one posted vendor bill per
    technician, in chunks of technicians (background jobs), each chunk
    committed on its own so that a run stopped half way resumes where it
    stopped and never pays a job twice."""

    _name = "settlement.run"
    _description = "Technician Settlement Run"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "date_to desc, id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda s: s.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    journal_id = fields.Many2one(
        "account.journal",
        domain="[('type', '=', 'purchase'), ('company_id', '=', company_id)]",
        help="Empty: the company's settlement journal (created when missing).",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "settlement.job.line", "run_id", string="Job Lines", readonly=True
    )
    move_ids = fields.One2many(
        "account.move", "settlement_run_id", string="Vendor Bills", readonly=True
    )
    preview_ids = fields.One2many("settlement.run.preview", "run_id", readonly=True)
    preview_date = fields.Datetime(readonly=True)
    person_total = fields.Integer(string="Technicians", readonly=True)
    person_done = fields.Integer(string="Technicians Done", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    bill_count = fields.Integer(compute="_compute_bill_stats")
    amount_total = fields.Monetary(string="Total Billed", compute="_compute_bill_stats")
    error_message = fields.Text(readonly=True)

    _dates = models.Constraint(
        "CHECK(date_to >= date_from)",
        "A settlement period cannot end before it starts.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("settlement.run")
        return super().create(vals_list)

    @api.depends("person_total", "person_done", "state")
    def _compute_progress(self):
        for run in self:
            if run.state == "done":
                run.progress = 100.0
            else:
                run.progress = (
                    100.0 * run.person_done / run.person_total
                    if run.person_total
                    else 0.0
                )

    def _compute_bill_stats(self):
        groups = {
            run: (count, total)
            for run, count, total in self.env["account.move"]._read_group(
                [("settlement_run_id", "in", self.ids), ("state", "=", "posted")],
                groupby=["settlement_run_id"],
                aggregates=["__count", "amount_total:sum"],
            )
        }
        for run in self:
            run.bill_count, run.amount_total = groups.get(run, (0, 0.0))

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _journal(self):
        self.ensure_one()
        return self.journal_id or self.company_id._settlement_journal()

    def _check_runnable(self):
        self.ensure_one()
        company = self.company_id
        journal = self._journal()
        if journal.type != "purchase" or journal.company_id != company:
            raise UserError(
                self.env._(
                    "Journal %(journal)s is not a purchase journal of %(company)s.",
                    journal=journal.display_name,
                    company=company.name,
                )
            )
        company._settlement_check_currency(journal)
        locks = company._get_violated_lock_dates(self.date_to, False, journal)
        if locks:
            raise UserError(
                self.env._(
                    "Settlement %(run)s cannot bill on %(day)s: the period is "
                    "locked (%(locks)s). Pick a period after the lock date or ask "
                    "an adviser to move it. Nothing was written.",
                    run=self.name,
                    day=self.date_to,
                    locks=company._format_lock_dates(locks),
                )
            )
        foreign = self.env["settlement.job.line"].search_count(
            self._line_domain() + [("currency_id", "!=", company.currency_id.id)],
            limit=1,
        )
        if foreign:
            raise UserError(
                self.env._(
                    "Some releasable jobs of %(company)s are not in %(currency)s: "
                    "bills are in the company currency; reprice them first.",
                    company=company.name,
                    currency=company.currency_id.name,
                )
            )
        return journal

    def _line_domain(self, person_ids=None):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("ledger_state", "=", "releasable"),
            ("releasable_date", "<=", self.date_to),
        ]
        if person_ids is not None:
            domain.append(("person_id", "in", list(person_ids)))
        return domain

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def _previous_totals(self):
        """Per technician, what the last finished run of the company billed."""
        self.ensure_one()
        previous = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "done"),
                ("id", "!=", self.id),
            ],
            order="date_to desc, id desc",
            limit=1,
        )
        if not previous:
            return previous, {}
        groups = self.env["account.move"]._read_group(
            [("settlement_run_id", "=", previous.id), ("state", "=", "posted")],
            groupby=["settlement_person_id"],
            aggregates=["amount_total:sum"],
        )
        return previous, {person.id: total for person, total in groups}

    def action_preview(self):
        """Compute the bills without writing anything but the preview rows."""
        for run in self:
            if run.state != "draft":
                raise UserError(
                    self.env._("Settlement %s has already started.", run.name)
                )
            run._check_runnable()
            lines = self.env["settlement.job.line"].search(run._line_domain())
            settlements = engine.build(
                [line._engine_line() for line in lines],
                run.company_id.settlement_carry_cap,
            )
            current = {s.person_id: s.total for s in settlements if s.billed}
            _previous, before = run._previous_totals()
            by_person = {s.person_id: s for s in settlements}
            rows = engine.diff(current, before)
            persons = self.env["fsm.person"].browse(
                {row[0] for row in rows} | set(by_person)
            )
            vals = []
            for person in persons:
                s = by_person.get(person.id)
                now, prev = current.get(person.id, 0.0), before.get(person.id, 0.0)
                vals.append(
                    Command.create(
                        {
                            "person_id": person.id,
                            "job_count": len(s.line_ids) if s else 0,
                            "amount": now,
                            "previous_amount": prev,
                            "difference": engine.money(now - prev),
                            "carry_forward": s.carry_forward if s else 0.0,
                            "will_bill": bool(s and s.billed),
                        }
                    )
                )
            run.write(
                {
                    "preview_ids": [Command.clear(), *vals],
                    "preview_date": fields.Datetime.now(),
                }
            )
        return True

    # ------------------------------------------------------------------
    # Run
    # ------------------------------------------------------------------
    def action_run(self):
        """Start (or resume) the run: one background job per chunk of
        technicians; done at once when jobs run without delay."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                self.env._("Settlement %s is done: start a new run.", self.name)
            )
        journal = self._check_runnable()
        persons = self._pending_person_ids()
        vals = {"state": "running", "error_message": False, "journal_id": journal.id}
        if self.state == "draft" or not self.person_total:
            vals.update(person_total=len(persons), person_done=0)
        else:  # resume: what is left
            vals.update(person_done=max(0, self.person_total - len(persons)))
        self.write(vals)
        self.message_post(
            body=self.env._(
                "Settlement started for %(count)s technicians.", count=len(persons)
            )
        )
        size = max(1, self.company_id.settlement_chunk_size or 200)
        chunks = [persons[i : i + size] for i in range(0, len(persons), size)]
        if not chunks:
            self._finish()
        elif must_run_without_delay(self.env) or self.env.context.get(
            "settlement_sync"
        ):
            self._run_sync(chunks)
        else:
            for chunk in chunks:
                self.with_delay(
                    identity_key=identity_exact,
                    description=self.env._(
                        "Settlement %(run)s: %(count)s technicians",
                        run=self.name,
                        count=len(chunk),
                    ),
                )._run_chunk(chunk)
        return True

    def _pending_person_ids(self):
        groups = self.env["settlement.job.line"]._read_group(
            self._line_domain(), groupby=["person_id"]
        )
        return sorted(person.id for (person,) in groups)

    def _run_sync(self, chunks):
        """Run the chunks here, each in its own savepoint: a failing chunk
        leaves the finished ones billed and the run failed (resumable)."""
        for chunk in chunks:
            try:
                with self.env.cr.savepoint():
                    self._run_chunk(chunk)
            except Exception as err:  # recorded on the run, resumable
                _logger.exception("Settlement %s failed", self.name)
                self.write({"state": "failed", "error_message": str(err)})
                self.message_post(
                    body=self.env._(
                        "Settlement stopped: %s. Fix the cause and resume the run: "
                        "the technicians already billed are not billed again.",
                        err,
                    )
                )
                return False
        return True

    def _lock_lines(self, person_ids):
        """Lock the releasable lines of these technicians that no other
        transaction holds (SKIP LOCKED): two runs at once never share a line."""
        self.ensure_one()
        self.env["settlement.job.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM settlement_job_line
                 WHERE company_id = %s
                   AND person_id = ANY(%s)
                   AND ledger_state = 'releasable'
                   AND releasable_date <= %s
                 ORDER BY person_id, id
                   FOR UPDATE SKIP LOCKED
                """,
                self.company_id.id,
                list(person_ids),
                self.date_to,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        lines = self.env["settlement.job.line"].browse(ids)
        lines.invalidate_recordset(["ledger_state", "move_id"])
        return lines.filtered(lambda line: line.ledger_state == "releasable")

    def _run_chunk(self, person_ids):
        """Bill these technicians (a background job; one transaction)."""
        self.ensure_one()
        if self.state not in ("running", "failed"):
            return False
        journal = self._journal()
        lines = self._lock_lines(person_ids)
        settlements = engine.build(
            [line._engine_line() for line in lines],
            self.company_id.settlement_carry_cap,
        )
        bills = self._create_bills(settlements, lines, journal)
        self._write_settled(settlements, lines, bills)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE settlement_run SET person_done = LEAST(person_total, "
                "person_done + %s) WHERE id = %s RETURNING person_done, person_total",
                len(person_ids),
                self.id,
            )
        )
        done, total = self.env.cr.fetchone()
        self.invalidate_recordset(["person_done"])
        if done >= total and not self._pending_person_ids():
            self._finish()
        return len(bills)

    def _prepare_bill_vals(
        self, settlement, person, partner, journal, accounts, journal_items=True
    ):
        """The vendor bill of one technician.

        With ``journal_items`` the bill carries its complete journal items
        (the invoice lines and the payable line), so that it is created with
        ``skip_invoice_sync`` and without recomputing taxes, terms and
        analytics line by line: there are none on a technician bill. Without
        it, the bill is given as invoice lines for Odoo to complete.
        """
        self.ensure_one()
        account_ids = {
            "accrued": accounts["accrued"].id,
            "cost": accounts["cost"].id,
            "revenue": accounts["revenue"].id,
        }
        role_labels = dict(
            self.env["account.move.line"]
            ._fields["settlement_role"]
            ._description_selection(self.env)
        )
        penalty_labels = dict(
            self.env["settlement.job.penalty"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        currency = self.company_id.currency_id
        ref = f"{self.name}/{person.id}"
        # the values Odoo computes for a draft bill's journal items, given at
        # creation: they are recomputed all the same (none is protected), but
        # find the same values, so the items are updated once, when posted,
        # rather than once per field set (the job lines' accounts reconcile
        # nothing: no residual; a different value is simply recomputed)
        draft_values = {
            "date": self.date_to,
            "invoice_date": self.date_to,
            "ref": ref,
            "parent_state": "draft",
            "amount_residual": 0.0,
            "amount_residual_currency": 0.0,
            "reconciled": False,
        }
        lines = []
        for item in settlement.invoice_lines:
            label = item["label"]
            if item["role"] == "penalty":
                label = penalty_labels.get(label, label)
            if item["role"] != "job":
                role = role_labels[item["role"]]
                label = f"{role}: {label}" if label else role
            vals = {
                "name": label,
                "quantity": 1.0,
                "price_unit": item["amount"],
                "account_id": account_ids[item["account"]],
                "tax_ids": [Command.clear()],
                "settlement_job_line_id": item["job_line_id"] or False,
                "settlement_role": item["role"],
            }
            if journal_items:
                vals.update(draft_values)
                vals.update(
                    display_type="product",
                    balance=item["amount"],
                    amount_currency=item["amount"],
                    currency_id=currency.id,
                    partner_id=partner.id,
                    analytic_distribution=False,
                    product_uom_id=False,
                    # no tax on a technician bill: what _compute_totals gives
                    price_subtotal=item["amount"],
                    price_total=item["amount"],
                )
            lines.append(Command.create(vals))
        vals = {
            "move_type": "in_invoice",
            "partner_id": partner.id,
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "currency_id": currency.id,
            "invoice_date": self.date_to,
            "date": self.date_to,
            "ref": ref,
            "invoice_origin": self.name,
            "settlement_run_id": self.id,
            "settlement_person_id": person.id,
        }
        if not journal_items:
            vals["invoice_line_ids"] = lines
            return vals
        payable = partner.with_company(self.company_id).property_account_payable_id
        lines.append(
            Command.create(
                {
                    **draft_values,
                    "amount_residual": -settlement.total,
                    "amount_residual_currency": -settlement.total,
                    "price_subtotal": 0.0,
                    "price_total": 0.0,
                    "name": vals["ref"],
                    "display_type": "payment_term",
                    "account_id": payable.id,
                    "partner_id": partner.id,
                    "balance": -settlement.total,
                    "amount_currency": -settlement.total,
                    "currency_id": currency.id,
                    "date_maturity": self.date_to,
                }
            )
        )
        vals["line_ids"] = lines
        return vals

    def _create_bills(self, settlements, lines, journal):
        """All bills of the chunk in one create, posted in batches."""
        to_bill = [s for s in settlements if s.billed]
        if not to_bill:
            return self.env["account.move"]
        accounts = self.company_id._settlement_accounts()
        by_id = {line.id: line for line in lines}
        persons = self.env["fsm.person"].browse([s.person_id for s in to_bill])
        vals_list = []
        for s, person in zip(to_bill, persons, strict=True):
            partner = by_id[s.line_ids[0]].partner_id
            vals_list.append(
                self._prepare_bill_vals(s, person, partner, journal, accounts)
            )
        moves = (
            self.env["account.move"]
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
                skip_invoice_sync=True,
                skip_invoice_line_sync=True,
                skip_analytic_sync=True,
            )
            .create(vals_list)
        )
        posting = moves.with_context(settlement_bulk_naming=True)
        for start in range(0, len(moves), POST_BATCH):
            posting[start : start + POST_BATCH]._post(soft=False)
        return moves

    def _write_settled(self, settlements, lines, bills):
        """Job lines to billed (or settled when netted into a carry forward)
        and the balance carried to the next run."""
        line_model = self.env["settlement.job.line"]
        bill_of = {bill.settlement_person_id.id: bill for bill in bills}
        by_id = {line.id: line for line in lines}
        billed = {}
        settled_ids = []
        carry_vals = []
        next_day = self.date_to + timedelta(days=1)
        for s in settlements:
            bill = bill_of.get(s.person_id)
            if bill:
                billed.setdefault(bill.id, []).extend(s.line_ids)
            else:
                settled_ids.extend(s.line_ids)
            if s.carry_forward < 0:
                first = by_id[s.line_ids[0]]
                carry_vals.append(
                    {
                        "name": self.env._("Balance from %s", self.name),
                        "line_type": "carry",
                        "person_id": s.person_id,
                        "partner_id": first.partner_id.id,
                        "company_id": self.company_id.id,
                        "currency_id": self.company_id.currency_id.id,
                        "gross_amount": s.carry_forward,
                        "amount": s.carry_forward,
                        "breakdown": {"base": s.carry_forward},
                        "ledger_state": "releasable",
                        "releasable_date": next_day,
                        "confirmed_date": self.date_to,
                        "completed_date": fields.Datetime.now(),
                    }
                )
        for bill_id, ids in billed.items():
            line_model.browse(ids).write(
                {"ledger_state": "billed", "move_id": bill_id, "run_id": self.id}
            )
        if settled_ids:
            line_model.browse(settled_ids).write(
                {"ledger_state": "settled", "run_id": self.id}
            )
        if carry_vals:
            line_model.create(carry_vals)

    def _finish(self):
        self.write({"state": "done", "person_done": self.person_total})
        self.message_post(
            body=self.env._(
                "Settlement done: %(count)s bills, %(total)s.",
                count=self.bill_count,
                total=self.currency_id.format(self.amount_total),
            )
        )

    def action_view_bills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("settlement_run_id", "=", self.id)]
        action["context"] = {"default_move_type": "in_invoice", "create": False}
        return action

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "master_settlement.settlement_job_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        for run in self:
            if run.state != "draft":
                raise UserError(
                    self.env._(
                        "Settlement %s has started: it cannot be deleted.", run.name
                    )
                )
