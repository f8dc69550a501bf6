# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes
from odoo.addons.queue_job import delay
from odoo.addons.queue_job.job import ENQUEUED, PENDING, WAIT_DEPENDENCIES
from odoo.addons.queue_job.utils import must_run_without_delay

from ..tools.access import MANAGER, check_group
from .settlement_run import RUN_ACTIONS

_logger = logging.getLogger(__name__)


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
    """Running: the technicians in chunks (background jobs, or here when jobs
    run without delay), resumable, ended by one finishing job."""

    _inherit = "settlement.run"  # pylint: disable=consider-merging-classes-inherited

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
    error_message = fields.Text(readonly=True, server_owned=RUN_ACTIONS)

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
