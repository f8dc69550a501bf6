# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from psycopg2 import OperationalError

from odoo import Command, api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)
from odoo.addons.queue_job import delay
from odoo.addons.queue_job.job import ENQUEUED, PENDING, WAIT_DEPENDENCIES
from odoo.addons.queue_job.utils import must_run_without_delay

from ..engine import settlement as engine
from ..tools.access import MANAGER, USER, check_group

_logger = logging.getLogger(__name__)

POST_BATCH = 500
RUN_ACTIONS = _lt("changes through Preview and Run (or Resume) only")
# what the accountant chooses while the run is a draft
FROZEN_ONCE_STARTED = ("company_id", "date_from", "date_to", "journal_id")


def is_concurrency_error(error):
    """Whether ``error`` is one that Odoo's retry loop (``retrying``, the job
    runner) retries in a new transaction: a serialization failure, a deadlock,
    a lock not available."""
    if isinstance(error, ConcurrencyError):
        return True
    return (
        isinstance(error, OperationalError)
        and error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
    )


class SettlementRun(models.Model):
    """Pays every releasable job of a period: one posted vendor bill per
    technician (a vendor credit note when their chargebacks exceed their
    earnings), in chunks of technicians (background jobs), each chunk
    committed on its own so that a run stopped half way resumes where it
    stopped and never pays a job twice.

    The chunks of a run write no row they share: the company's journals and
    accounts are made by the request that starts the run, the progress is
    read from the job lines the chunks bill, and the run is finished by one
    more job that queue_job starts once every chunk is done. Chunks of one
    run, on two workers or two servers at once, never wait for each other nor
    fail to serialize on each other."""

    _name = "settlement.run"
    _description = "Technician Settlement Run"
    _inherit = ["install.server.owned.mixin", "mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "date_to desc, id desc"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        server_owned=_lt("given by the settlement run sequence"),
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
        help="Empty: the company's settlement journal (created when missing). "
        "Fixed once the run has started.",
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
        server_owned=RUN_ACTIONS,
    )
    line_ids = fields.One2many(
        "settlement.job.line",
        "run_id",
        string="Job Lines",
        readonly=True,
        server_owned=RUN_ACTIONS,
    )
    move_ids = fields.One2many(
        "account.move",
        "settlement_run_id",
        string="Vendor Bills",
        readonly=True,
        server_owned=RUN_ACTIONS,
    )
    preview_ids = fields.One2many(
        "settlement.run.preview", "run_id", readonly=True, server_owned=RUN_ACTIONS
    )
    preview_date = fields.Datetime(readonly=True, server_owned=RUN_ACTIONS)
    person_total = fields.Integer(
        string="Technicians", readonly=True, server_owned=RUN_ACTIONS
    )
    person_done = fields.Integer(
        string="Technicians Done",
        compute="_compute_progress",
        help="Technicians whose jobs this run has billed or settled.",
        server_owned=RUN_ACTIONS,
    )
    progress = fields.Float(compute="_compute_progress")
    bill_count = fields.Integer(compute="_compute_bill_stats")
    amount_total = fields.Monetary(string="Total Billed", compute="_compute_bill_stats")
    error_message = fields.Text(readonly=True, server_owned=RUN_ACTIONS)

    _dates = models.Constraint(
        "CHECK(date_to >= date_from)",
        "A settlement period cannot end before it starts.",
    )

    @api.model
    def _server_owned_prepare_create(self, vals_list):
        # the reference from the sequence
        return [
            {
                **vals,
                "name": vals.get("name")
                if vals.get("name", "/") != "/"
                else self.env["ir.sequence"].next_by_code("settlement.run"),
            }
            for vals in super()._server_owned_prepare_create(vals_list)
        ]

    def _server_owned_check_write(self, vals):
        super()._server_owned_check_write(vals)
        frozen = [name for name in FROZEN_ONCE_STARTED if name in vals]
        started = self.filtered(lambda run: run.state != "draft") if frozen else None
        if started:
            raise UserError(
                self.env._(
                    "Settlement %(run)s has started: its company, period and "
                    "journal are those of its bills and can no longer change "
                    "(%(fields)s). Nothing was saved.",
                    run=started[0].name,
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in frozen
                    ),
                )
            )

    @api.depends("person_total", "state", "line_ids.person_id")
    def _compute_progress(self):
        """Read from the job lines the run has billed or settled (one grouped
        query): the chunks count nothing themselves."""
        done = dict(
            self.env["settlement.job.line"]._read_group(
                [("run_id", "in", self.ids)],
                groupby=["run_id"],
                aggregates=["person_id:count_distinct"],
            )
        )
        for run in self:
            if run.state == "done":
                run.person_done = run.person_total
                run.progress = 100.0
                continue
            run.person_done = min(done.get(run, 0), run.person_total)
            run.progress = (
                100.0 * run.person_done / run.person_total if run.person_total else 0.0
            )

    def _compute_bill_stats(self):
        # the run's figures, for every user who reads the run (a settlement
        # clerk has no access to journal entries)
        groups = {
            run: (count, total)
            for run, count, total in self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("settlement_run_id", "in", self.ids),
                    ("state", "=", "posted"),
                    ("move_type", "=", "in_invoice"),
                ],
                groupby=["settlement_run_id"],
                aggregates=["__count", "amount_total:sum"],
            )
        }
        for run in self:
            run.bill_count, run.amount_total = groups.get(run.sudo(), (0, 0.0))

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
            [
                ("settlement_run_id", "=", previous.id),
                ("state", "=", "posted"),
                ("move_type", "=", "in_invoice"),
            ],
            groupby=["settlement_person_id"],
            aggregates=["amount_total:sum"],
        )
        return previous, {person.id: total for person, total in groups}

    def _open_balances(self, person_ids):
        """What these technicians owe from earlier periods, in one grouped
        query: ``{person_id: (amount, journal items)}``, the open debit of the
        settlement documents on their payable account (the credit notes of
        periods with a negative balance, the part of it a recovery entry
        carried on) that no bill or payment has settled yet."""
        self.ensure_one()
        if not person_ids:
            return {}
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("move_id.settlement_person_id", "in", list(person_ids)),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "liability_payable"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            groupby=["move_id.settlement_person_id"],
            aggregates=["amount_residual:sum", "id:recordset"],
        )
        return {
            person.id: (engine.money(amount), items) for person, amount, items in groups
        }

    def _build(self, lines):
        """The engine's settlements of ``lines`` and the open balances of
        their technicians."""
        owed = self._open_balances(lines.person_id.ids)
        settlements = engine.build(
            [line._engine_line() for line in lines],
            self.company_id.settlement_carry_cap,
            {person_id: amount for person_id, (amount, _items) in owed.items()},
        )
        return settlements, owed

    def action_preview(self):
        """Compute the bills without writing anything but the preview rows."""
        check_group(self.env, MANAGER)
        for run in self:
            if run.state != "draft":
                raise UserError(
                    self.env._("Settlement %s has already started.", run.name)
                )
            run._check_runnable()
            lines = self.env["settlement.job.line"].search(run._line_domain())
            settlements, _owed = run._build(lines)
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
                            "deduction": s.deduction if s else 0.0,
                            "previous_amount": prev,
                            "difference": engine.money(now - prev),
                            "carry_forward": s.carry_forward if s else 0.0,
                            "will_bill": bool(s and s.billed),
                        }
                    )
                )
            with server_owned_writes():
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
        """Start (or resume) the run: the chunks of technicians as a group of
        background jobs, then the job that finishes the run; all done here
        when jobs run without delay."""
        check_group(self.env, MANAGER)
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                self.env._("Settlement %s is done: start a new run.", self.name)
            )
        journal = self._check_runnable()
        # what every chunk uses is made here, once: chunks working at once
        # never create it (nor write it on the company) side by side
        self.company_id._settlement_setup()
        resume = self.state != "draft"
        if resume:
            self._cancel_waiting_jobs()
        persons = self._pending_person_ids()
        vals = {"state": "running", "error_message": False, "journal_id": journal.id}
        if resume:
            billed = set(self._billed_person_ids())
            vals["person_total"] = max(self.person_total, len(billed | set(persons)))
        else:
            vals["person_total"] = len(persons)
        with server_owned_writes():
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
            self._enqueue_chunks(chunks)
        return True

    def _pending_person_ids(self):
        groups = self.env["settlement.job.line"]._read_group(
            self._line_domain(), groupby=["person_id"]
        )
        return sorted(person.id for (person,) in groups)

    def _billed_person_ids(self):
        """The technicians whose jobs this run has billed or settled."""
        groups = self.env["settlement.job.line"]._read_group(
            [("run_id", "=", self.id)], groupby=["person_id"]
        )
        return [person.id for (person,) in groups]

    def _enqueue_chunks(self, chunks):
        """One job per chunk, in a queue_job group: the workers of the
        ``root.settlement`` channel run them side by side. The job finishing
        the run depends on the group: queue_job starts it once every chunk is
        done (none of them has to know whether it is the last)."""
        finish = self.delayable(
            description=self.env._("Settlement %s: finish", self.name)
        )._finish_run()
        delay.group(
            *(
                self.delayable(
                    description=self.env._(
                        "Settlement %(run)s: %(count)s technicians",
                        run=self.name,
                        count=len(chunk),
                    )
                )._run_chunk(chunk)
                for chunk in chunks
            )
        ).on_done(finish).delay()

    def _run_jobs(self, states):
        """The queue jobs of this run in these states."""
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("model_name", "=", self._name),
                    ("method_name", "in", ("_run_chunk", "_finish_run")),
                    ("state", "in", list(states)),
                ]
            )
        )
        return jobs.filtered(lambda job: job.records.ids == self.ids)

    def _cancel_waiting_jobs(self):
        """On resume, the jobs of the run not started yet (chunks waiting for
        a worker, the job that would finish the run after a chunk that failed)
        are cancelled: the new group covers every technician left. A chunk
        still working, or dead and requeued later, finds the lines it would
        bill locked or billed: nothing is paid twice."""
        self._run_jobs((WAIT_DEPENDENCIES, PENDING, ENQUEUED)).button_cancelled()

    def _run_sync(self, chunks):
        """Run the chunks here, each in its own savepoint, then finish the
        run: a failing chunk leaves the finished ones billed and the run
        failed (resumable).

        A concurrency error (another transaction changed the job lines since
        this one started) is not a failure of the run: it goes up to Odoo's
        retry loop, which runs the whole call again in a new transaction."""
        for chunk in chunks:
            try:
                with self.env.cr.savepoint():
                    self._run_chunk(chunk)
            except Exception as err:
                if is_concurrency_error(err):
                    raise
                _logger.exception("Settlement %s failed", self.name)
                self._fail(err)
                return False
        self._finish()
        return True

    def _fail(self, error):
        with server_owned_writes():
            self.write({"state": "failed", "error_message": str(error)})
        self.message_post(
            body=self.env._(
                "Settlement stopped: %s. Fix the cause and resume the run: "
                "the technicians already billed are not billed again.",
                error,
            )
        )

    def _on_chunk_failed(self, exc_message=None, **_failure):
        """queue_job's hook when a chunk job failed for good (an error, or no
        retry left): the run is failed, to be resumed. Its transaction is the
        job runner's own; when another chunk failing at the same moment marks
        the run first, this one leaves it so."""
        self.ensure_one()
        if self.state not in ("running", "failed"):
            return
        try:
            with self.env.cr.savepoint():
                self._fail(exc_message or self.env._("a background job failed"))
        except Exception as err:
            if not is_concurrency_error(err):
                raise
            _logger.info("Settlement %s: already marked failed", self.name)

    def _lock_lines(self, person_ids):
        """``(locked, taken)``: the releasable lines of these technicians
        that this transaction now holds, and those another transaction holds
        (another run billing them): two runs at once never share a line.

        A line another transaction has changed and committed since this one
        started cannot be locked: PostgreSQL refuses with a serialization
        failure, which Odoo's retry loop (or the job runner) retries in a new
        transaction, where the line shows what the other one made of it."""
        self.ensure_one()
        lines = self.env["settlement.job.line"].search(
            self._line_domain(person_ids), order="person_id, id"
        )
        locked = lines.try_lock_for_update()
        return locked, lines - locked

    def _run_chunk(self, person_ids):
        """Bill these technicians (a background job; one transaction). A
        chunk writes no row another chunk of the run writes: not the run,
        not the company."""
        self.ensure_one()
        if self.state not in ("running", "failed"):
            return False
        journal = self._journal()
        lines, taken = self._lock_lines(person_ids)
        settlements, owed = self._build(lines)
        moves = self._create_moves(settlements, lines, journal)
        self._net_balances(settlements, moves, owed)
        self._write_settled(settlements, lines, moves)
        if taken:
            self._log_taken(taken)
        # computed here, in the caller's context (e.g. without tracking), not
        # by the transaction's first environment when the savepoint is left
        self.env.flush_all()
        return len(moves.filtered(lambda m: m.move_type == "in_invoice"))

    def _finish_run(self):
        """The last job of a run, started by queue_job once every chunk of
        its group is done."""
        self.ensure_one()
        if self.state not in ("running", "failed"):
            return False
        self._finish()
        return True

    def _log_taken(self, taken):
        """Tell the run's chatter which lines another transaction was settling
        when this run reached them: they are left to it."""
        others = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("running", "failed")),
                ("id", "!=", self.id),
            ]
        )
        self.message_post(
            body=self.env._(
                "%(count)s job lines of %(persons)s technicians were being settled "
                "by another transaction when this run reached them (%(runs)s): "
                "they were left to it, and are not billed by this run. If it "
                "failed, the next run pays them.",
                count=len(taken),
                persons=len(taken.person_id),
                runs=", ".join(others.mapped("name"))
                or self.env._("another settlement run in progress"),
            )
        )

    def _prepare_bill_vals(
        self, settlement, person, partner, journal, accounts, analytic=True
    ):
        """The vendor bill (or credit note) of one technician, as a user would
        enter it: its invoice lines; Odoo computes the payable line, the
        totals and, when posting, the number. Without ``analytic`` (no
        analytic distribution model can apply, see
        :meth:`_analytic_models_apply`), the lines are given no analytic
        distribution: what Odoo would find for each of them, one search each."""
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
        lines = []
        # the amounts of the journal items, as Odoo's tax engine finds them for
        # an untaxed line (its sign the document's direction): editable fields
        # of a journal item, given so that Odoo does not write each item's
        # amounts three times (zero, zero, then the amount); Odoo still
        # computes them, and writes its own where they differ
        sign = 1 if settlement.move_type == "in_invoice" else -1
        currency = self.company_id.currency_id
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
                "balance": currency.round(sign * item["amount"]),
                "amount_currency": currency.round(sign * item["amount"]),
            }
            if not analytic:
                vals["analytic_distribution"] = False
            lines.append(Command.create(vals))
        return {
            "move_type": settlement.move_type,
            "partner_id": partner.id,
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "currency_id": self.company_id.currency_id.id,
            "invoice_date": self.date_to,
            "date": self.date_to,
            "ref": f"{self.name}/{person.id}",
            "invoice_origin": self.name,
            "settlement_run_id": self.id,
            "settlement_person_id": person.id,
            "invoice_line_ids": lines,
        }

    def _create_moves(self, settlements, lines, journal):
        """All bills and credit notes of the chunk in one create, posted by
        Odoo in batches."""
        documents = [s for s in settlements if s.move_type]
        if not documents:
            return self.env["account.move"]
        accounts = self.company_id._settlement_accounts()
        analytic = self._analytic_models_apply()
        by_id = {line.id: line for line in lines}
        persons = self.env["fsm.person"].browse([s.person_id for s in documents])
        vals_list = [
            self._prepare_bill_vals(
                s,
                person,
                by_id[s.line_ids[0]].partner_id,
                journal,
                accounts,
                analytic=analytic,
            )
            for s, person in zip(documents, persons, strict=True)
        ]
        with server_owned_writes():
            moves = (
                self.env["account.move"]
                .with_context(
                    tracking_disable=True,
                    mail_create_nolog=True,
                    mail_create_nosubscribe=True,
                    mail_notrack=True,
                )
                .create(vals_list)
            )
        for start in range(0, len(moves), POST_BATCH):
            moves[start : start + POST_BATCH].action_post()
        return moves

    def _analytic_models_apply(self):
        """Whether an analytic distribution model may apply to the company's
        bills: then Odoo computes each line's distribution from the models (a
        search per line); without any, it finds none."""
        return bool(
            self.env["account.analytic.distribution.model"].search_count(
                [("company_id", "in", [self.company_id.id, False])], limit=1
            )
        )

    def _net_balances(self, settlements, moves, owed):
        """Net what the billed technicians owe from earlier periods against
        their new bills, in accounting, as an accountant applies an
        outstanding credit note to a bill: the open balance is reconciled
        with the bill's payable line, which is then paid that much less.

        When the carry-forward cap (or another payable account) allows only
        part of it, a recovery entry holds that part: its credit is
        reconciled with the open balance (oldest first; the rest stays open
        on the credit notes, for the next runs) and its debit with the
        bill."""
        netted = [s for s in settlements if s.billed and s.deduction]
        if not netted:
            return
        bill_of = {m.settlement_person_id.id: m for m in moves}
        direct, split = [], []
        for s in netted:
            bill = bill_of[s.person_id]
            payable = bill.line_ids.filtered(
                lambda item: item.account_id.account_type == "liability_payable"
            )
            amount, items = owed[s.person_id]
            if s.deduction >= amount and items.account_id == payable.account_id:
                direct.append(items | payable)
            else:
                split.append((s, payable, items))
        for plan in direct:
            plan.reconcile()
        if not split:
            return
        journal = self.company_id._settlement_misc_journal()
        vals_list, plans = [], []
        for s, payable, items in split:
            bill = payable.move_id
            entry_lines, groups = [], []
            left = s.deduction
            by_account = items.sorted(lambda i: (i.date, i.id)).grouped(
                lambda item: (item.account_id, item.partner_id)
            )
            for (account, partner), group in by_account.items():
                take = engine.money(min(left, sum(group.mapped("amount_residual"))))
                if take <= 0:
                    continue
                left = engine.money(left - take)
                groups.append(group)
                entry_lines.append(
                    Command.create(
                        {
                            "name": self.env._("Earlier balance recovered"),
                            "account_id": account.id,
                            "partner_id": partner.id,
                            "balance": -take,
                            "settlement_role": "carry",
                        }
                    )
                )
            entry_lines.append(
                Command.create(
                    {
                        "name": self.env._("Recovered on %s", bill.name),
                        "account_id": payable[:1].account_id.id,
                        "partner_id": bill.partner_id.id,
                        "balance": s.deduction,
                        "settlement_role": "carry",
                    }
                )
            )
            plans.append((groups, payable))
            vals_list.append(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "company_id": self.company_id.id,
                    "date": self.date_to,
                    "ref": self.env._(
                        "%(run)s: balance recovered on %(bill)s",
                        run=self.name,
                        bill=bill.name,
                    ),
                    "settlement_person_id": s.person_id,
                    "line_ids": entry_lines,
                }
            )
        with server_owned_writes():
            entries = self.env["account.move"].create(vals_list)
        entries.action_post()
        for (groups, payable), entry in zip(plans, entries, strict=True):
            entry_items = entry.line_ids.sorted("id")
            for recovered, group in zip(entry_items, groups, strict=False):
                (recovered | group).reconcile()
            (entry_items[len(groups)] | payable).reconcile()

    def _write_settled(self, settlements, lines, moves):
        """Job lines to billed, or settled when on a credit note (a negative
        period) or netted to zero."""
        line_model = self.env["settlement.job.line"]
        move_of = {move.settlement_person_id.id: move for move in moves}
        on_move = {}
        settled_ids = []
        for s in settlements:
            move = move_of.get(s.person_id)
            if move:
                state = "billed" if s.billed else "settled"
                on_move.setdefault((state, move.id), []).extend(s.line_ids)
            else:
                settled_ids.extend(s.line_ids)
        with server_owned_writes():
            for (state, move_id), ids in on_move.items():
                line_model.browse(ids).write(
                    {"ledger_state": state, "move_id": move_id, "run_id": self.id}
                )
            if settled_ids:
                line_model.browse(settled_ids).write(
                    {"ledger_state": "settled", "run_id": self.id}
                )

    def _finish(self):
        """The run is done: every technician it started with was billed, or
        left to the transaction holding their lines. Jobs that became
        releasable in the period while it worked (or that a run holding them
        left again) are not waited for: the next run pays them, and the
        chatter says how many."""
        with server_owned_writes():
            self.write({"state": "done", "error_message": False})
        body = self.env._(
            "Settlement done: %(count)s bills, %(total)s.",
            count=self.bill_count,
            total=self.currency_id.format(self.amount_total),
        )
        left = self.env["settlement.job.line"].search_count(self._line_domain())
        if left:
            body = self.env._(
                "%(done)s Jobs of the period releasable and not on this run's "
                "bills (released while it worked, or being billed by another "
                "run): %(count)s; the next run pays those still open.",
                done=body,
                count=left,
            )
        self.message_post(body=body)

    def action_view_bills(self):
        check_group(self.env, USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("settlement_run_id", "=", self.id)]
        action["context"] = {"default_move_type": "in_invoice", "create": False}
        return action

    def action_view_lines(self):
        check_group(self.env, USER)
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
