# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settlement runs under concurrency, failures and retries, on real committed
transactions.

The job lines are committed in ``setUpClass`` (every transaction must see
them) in a period of their own, long ago, so that no other job of the database
is paid by these runs; ``tearDown`` removes what a test committed (bills back
to draft and deleted, runs, queue jobs) and puts the lines back. Threads are
joined with a timeout: a test fails, it never hangs.

The invariants checked after each scenario: every line is billed, on one
posted bill line only, and the bills add up to the lines.
"""

# these tests need committed data: each commit is on a cursor of their own
# pylint: disable=invalid-commit

import logging
import threading
from datetime import date
from functools import partial
from unittest.mock import patch

from odoo.service.model import retrying
from odoo.tools import mute_logger

from odoo.addons.fieldservice_install.tests.queue_common import (
    CommittingJobCase,
    perform_job,
)
from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes
from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..models.res_company import SETTLEMENT_ACCOUNTS
from ..models.settlement_run_bill import SettlementRun as SettlementRunBill
from ..models.settlement_run_chunk import SettlementRun as SettlementRunChunk

_logger = logging.getLogger(__name__)

JOIN_TIMEOUT = 120
DAY = date(2001, 1, 10)
PERIOD = {"date_from": date(2001, 1, 1), "date_to": date(2001, 1, 31)}
PERSONS = 6
NOISY = ("odoo.sql_db", "odoo.service.model", "odoo.addons.queue_job")


class TestSettlementReliability(CommittingJobCase):
    join_timeout = JOIN_TIMEOUT

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            company = env.company
            company._settlement_setup()
            cls.chunk_size = company.settlement_chunk_size
            company.settlement_chunk_size = 2
            persons = env["fsm.person"].create(
                [{"name": f"Reliable Technician {i}"} for i in range(PERSONS)]
            )
            vals = []
            for i, person in enumerate(persons):
                for amount in (100.0 + i, 37.5):
                    vals.append(
                        {
                            "name": f"REL-{i}-{amount}",
                            "person_id": person.id,
                            "partner_id": person.partner_id.id,
                            "company_id": company.id,
                            "currency_id": company.currency_id.id,
                            "gross_amount": amount,
                            "amount": amount,
                            "breakdown": {"base": amount},
                            "ledger_state": "releasable",
                            "releasable_date": DAY,
                        }
                    )
            with server_owned_writes():
                lines = env["settlement.job.line"].create(vals)
            cls.person_ids, cls.line_ids = persons.ids, lines.ids
            cls.total = sum(lines.mapped("amount"))

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            env.company.settlement_chunk_size = cls.chunk_size
            env["settlement.job.line"].browse(cls.line_ids).unlink()
            persons = env["fsm.person"].browse(cls.person_ids)
            partners = persons.partner_id
            persons.unlink()
            partners.unlink()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.run_ids = []
        self.addCleanup(self._clean)

    def _clean(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            moves = env["account.move"].search(
                [("settlement_person_id", "in", self.person_ids)]
            )
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            env["queue.job"].search([("model_name", "=", "settlement.run")]).filtered(
                lambda j: set(j.records.ids) & set(self.run_ids)
            ).unlink()
            runs = env["settlement.run"].browse(self.run_ids).exists()
            with server_owned_writes():
                runs.write({"state": "draft"})
                runs.unlink()
                env["settlement.job.line"].browse(self.line_ids).write(
                    {"ledger_state": "releasable", "move_id": False, "run_id": False}
                )

    @staticmethod
    def _start_and_join(threads):
        """Start the threads together and wait for each (at most the
        timeout: a thread still alive then is a run that hangs)."""
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_TIMEOUT)

    def _new_runs(self, count):
        with self.registry.cursor() as cr:
            runs = self._env(cr)["settlement.run"].create([PERIOD] * count)
            self.run_ids += runs.ids
            return runs.ids

    def _assert_ledger(self):
        """No lost line, no line in two bills, sums match; ``{bill: run}``."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            lines = env["settlement.job.line"].browse(self.line_ids)
            self.assertEqual(set(lines.mapped("ledger_state")), {"billed"})
            bill_lines = env["account.move.line"].search(
                [
                    ("settlement_job_line_id", "in", self.line_ids),
                    ("parent_state", "=", "posted"),
                ]
            )
            self.assertEqual(
                sorted(bill_lines.settlement_job_line_id.ids), sorted(self.line_ids)
            )
            self.assertEqual(len(bill_lines), len(self.line_ids), "a line billed twice")
            for line in lines:
                billed = bill_lines.filtered(
                    lambda b, job=line: b.settlement_job_line_id == job
                )
                self.assertEqual(billed.move_id, line.move_id)
                self.assertEqual(billed.price_subtotal, line.amount)
            bills = env["account.move"].search(
                [
                    ("settlement_person_id", "in", self.person_ids),
                    ("state", "=", "posted"),
                ]
            )
            self.assertEqual(bills, lines.move_id)
            self.assertAlmostEqual(sum(bills.mapped("amount_total")), self.total)
            for bill in bills:
                self.assertEqual(
                    bill.amount_total,
                    sum(
                        lines.filtered(lambda x, b=bill: x.move_id == b).mapped(
                            "amount"
                        )
                    ),
                )
            return {bill.id: bill.settlement_run_id.id for bill in bills}

    # ------------------------------------------------------------------
    def test_two_runs_at_once(self):
        """Two runs of the same period started at the same moment, each in
        Odoo's retry loop as an RPC call is: each line is paid once, by one of
        them, and both runs end done by themselves: no crash, no run left
        running or failed, nothing to resume."""
        run_ids = self._new_runs(2)
        barrier = threading.Barrier(2, timeout=JOIN_TIMEOUT)
        outcome = {}

        def worker(run_id):
            try:
                with self.registry.cursor() as cr:
                    env = self._env(cr)(context={"settlement_sync": True})
                    barrier.wait()
                    run = env["settlement.run"].browse(run_id)
                    retrying(run.action_run, env)
                    cr.commit()
                    outcome[run_id] = run.state
            except Exception as err:  # reported by the assertion below
                _logger.exception("Settlement worker crashed")
                outcome[run_id] = f"crash: {err!r}"

        threads = [threading.Thread(target=worker, args=(i,)) for i in run_ids]
        with mute_logger(
            *NOISY, "odoo.addons.master_settlement.models.settlement_run_chunk"
        ):
            self._start_and_join(threads)
        self.assertFalse(any(t.is_alive() for t in threads), "a run hangs")
        self.assertEqual(outcome, dict.fromkeys(run_ids, "done"))
        with self.registry.cursor() as cr:
            runs = self._env(cr)["settlement.run"].browse(run_ids)
            self.assertEqual(runs.mapped("state"), ["done", "done"])
            self.assertEqual(sum(runs.mapped("bill_count")), PERSONS)
        bills = self._assert_ledger()
        self.assertLessEqual(set(bills.values()), set(run_ids), outcome)

    def test_run_finding_every_line_taken_finishes(self):
        """A run reaching lines another run's transaction holds (locked,
        not committed) leaves them to it and finishes: done, no bill, and its
        chatter says the lines were taken. It never stays running."""
        first_id, second_id = self._new_runs(2)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = self._env(cr1)(context={"settlement_sync": True})[
                "settlement.run"
            ].browse(first_id)
            # the first run's chunk holds every line until it commits
            with server_owned_writes():
                first.write({"state": "running", "person_total": PERSONS})
            self.assertEqual(first._run_chunk(self.person_ids), PERSONS)
            second = self._env(cr2)(context={"settlement_sync": True})[
                "settlement.run"
            ].browse(second_id)
            cr2.execute("SET LOCAL lock_timeout = '10s'")
            with mute_logger(*NOISY):
                retrying(second.action_run, second.env)
            self.assertEqual(second.state, "done")
            self.assertEqual(second.bill_count, 0)
            self.assertFalse(second.move_ids)
            self.assertTrue(
                any("another transaction" in m.body for m in second.message_ids),
                second.message_ids.mapped("body"),
            )
            lines = second.env["settlement.job.line"].browse(self.line_ids)
            self.assertEqual(set(lines.mapped("ledger_state")), {"releasable"})
            cr2.rollback()
            cr1.rollback()

    def test_serialization_failure_in_a_run_retried_not_broken(self):
        """A run whose transaction started before another run billed and
        committed the lines: locking them fails to serialize; the call goes
        to Odoo's retry loop (no failed run, no broken transaction), whose
        next attempt sees the lines billed and ends the run done with no
        bill."""
        first_id, second_id = self._new_runs(2)
        attempts = []
        with self.registry.cursor() as cr2:
            env2 = self._env(cr2)(context={"settlement_sync": True})
            second = env2["settlement.run"].browse(second_id)
            self.assertEqual(second.state, "draft")  # the snapshot of cr2
            with self.registry.cursor() as cr1:
                env1 = self._env(cr1)(context={"settlement_sync": True})
                env1["settlement.run"].browse(first_id).action_run()
            # the first run is committed: every line is billed

            def attempt():
                attempts.append(1)
                return second.action_run()

            with mute_logger(*NOISY):
                retrying(attempt, env2)
            cr2.commit()
            self.assertEqual(len(attempts), 2, "the first attempt must fail")
            self.assertEqual(second.state, "done")
            self.assertFalse(second.error_message)
            self.assertEqual(second.bill_count, 0)
        bills = self._assert_ledger()
        self.assertEqual(set(bills.values()), {first_id})

    def test_run_killed_mid_way_then_resumed(self):
        """Chunks run as background jobs, each committed on its own; the worker
        dies in the middle of the second chunk (after its first bill): that
        chunk's transaction is lost. Resuming the run cancels the jobs not
        started (the third chunk, the job that would finish the run) and
        bills the rest in a new group; the dead job, requeued, pays nothing
        twice."""
        (run_id,) = self._new_runs(1)
        with self.registry.cursor() as cr:
            self._env(cr)["settlement.run"].browse(run_id).action_run()
        uuids = self._job_uuids(run_id)
        (finish,) = self._job_uuids(run_id, method="_finish_run")
        self.assertEqual(len(uuids), PERSONS // 2)
        self.assertEqual(self._job_states([finish]), ["wait_dependencies"])
        self._perform(uuids[0])
        original = SettlementRunBill._prepare_bill_vals
        killer_person = self.person_ids[3]

        def dying(run, settlement, person, *args, **kwargs):
            if person.id == killer_person:
                raise KeyboardInterrupt("worker killed")
            return original(run, settlement, person, *args, **kwargs)

        with (
            patch.object(SettlementRunBill, "_prepare_bill_vals", dying),
            self.assertRaises(KeyboardInterrupt),
        ):
            self._perform(uuids[1])
        with self.registry.cursor() as cr:
            env = self._env(cr)
            run = env["settlement.run"].browse(run_id)
            self.assertEqual(run.state, "running")
            self.assertEqual(run.person_done, 2)
            self.assertEqual(
                Job.load(env, uuids[1]).state, "started", "the dead job's mark"
            )
            lines = env["settlement.job.line"].browse(self.line_ids)
            self.assertEqual(
                lines.filtered(lambda x: x.ledger_state == "billed").person_id.ids,
                self.person_ids[:2],
            )
        # the user resumes the run: a new group for the technicians left
        with self.registry.cursor() as cr:
            self._env(cr)["settlement.run"].browse(run_id).action_run()
        self.assertEqual(
            self._job_states([uuids[2], finish]), ["cancelled", "cancelled"]
        )
        new = self._job_uuids(run_id, states=("pending",))
        (new_finish,) = self._job_uuids(
            run_id, states=("wait_dependencies",), method="_finish_run"
        )
        self.assertEqual(len(new), 2)
        self._perform(new[0])
        with self.registry.cursor() as cr:
            run = self._env(cr)["settlement.run"].browse(run_id)
            self.assertEqual(run.bill_count, 4)
            self.assertEqual(run.person_done, 4)
        # then the queue requeues the dead job, which finds nothing left to pay
        self._perform(uuids[1])
        self._perform(new[1])
        self.assertEqual(self._job_states([new_finish]), ["pending"])
        self._perform(new_finish)
        with self.registry.cursor() as cr:
            run = self._env(cr)["settlement.run"].browse(run_id)
            self.assertEqual(run.state, "done")
            self.assertEqual(run.bill_count, PERSONS)
        self._assert_ledger()

    def test_job_retried_after_failure_without_duplicate(self):
        """A chunk job fails after writing its bills (a retryable error): its
        transaction is rolled back and the job postponed; the retry bills the
        chunk once. Running the finished job once more changes nothing."""
        (run_id,) = self._new_runs(1)
        with self.registry.cursor() as cr:
            self._env(cr)["settlement.run"].browse(run_id).action_run()
        uuids = self._job_uuids(run_id)
        (finish,) = self._job_uuids(run_id, method="_finish_run")
        original = SettlementRunBill._write_settled
        calls = []

        def flaky(run, *args):
            result = original(run, *args)
            calls.append(1)
            if len(calls) == 1:
                raise RetryableJobError("mail server away", seconds=0)
            return result

        with patch.object(SettlementRunBill, "_write_settled", flaky):
            self._perform(uuids[0])
            with self.registry.cursor() as cr:
                job = Job.load(self._env(cr), uuids[0])
                self.assertEqual(job.state, "pending")
                self.assertEqual(job.retry, 1)
                self.assertFalse(
                    self._env(cr)["account.move"].search(
                        [("settlement_run_id", "=", run_id)]
                    )
                )
            for uuid in uuids:
                self._perform(uuid)
        self.assertEqual(len(calls), 1 + len(uuids))
        self.assertEqual(self._job_states([finish]), ["pending"])
        self._perform(finish)
        self.assertEqual(set(self._job_states([*uuids, finish])), {"done"})
        with self.registry.cursor() as cr:
            self.assertEqual(
                self._env(cr)["settlement.run"].browse(run_id).state, "done"
            )
        bills = self._assert_ledger()
        # a finished job delivered again (e.g. a runner restarted)
        self._perform(uuids[0])
        self.assertEqual(self._assert_ledger(), bills)

    def test_chunk_failing_for_good_fails_the_run(self):
        """A chunk job that fails for good (an error, not a concurrency one)
        marks the run failed with the error, through queue_job's on-fail hook:
        the run does not stay running. Resuming bills the technicians left."""
        (run_id,) = self._new_runs(1)
        with self.registry.cursor() as cr:
            self._env(cr)["settlement.run"].browse(run_id).action_run()
        uuids = self._job_uuids(run_id)
        self._perform(uuids[0])

        def broken(run, *args):
            raise ValueError("journal misconfigured")

        with (
            patch.object(SettlementRunBill, "_write_settled", broken),
            self.assertRaises(ValueError),
        ):
            self._perform(uuids[1])
        self.assertEqual(self._job_states(uuids[1:2]), ["failed"])
        with self.registry.cursor() as cr:
            run = self._env(cr)["settlement.run"].browse(run_id)
            self.assertEqual(run.state, "failed")
            self.assertIn("journal misconfigured", run.error_message)
            self.assertTrue(
                any("journal misconfigured" in m.body for m in run.message_ids)
            )
        self._perform(uuids[2])  # the chunks left still bill
        (finish,) = self._job_uuids(run_id, method="_finish_run")
        self.assertEqual(self._job_states([finish]), ["wait_dependencies"])
        with self.registry.cursor() as cr:
            run = self._env(cr)["settlement.run"].browse(run_id)
            self.assertEqual(run.state, "failed")
            run.action_run()  # resume: the two technicians of the failed chunk
        self.assertEqual(self._job_states([finish]), ["cancelled"])
        (new,) = self._job_uuids(run_id, states=("pending",))
        self._perform(new)
        (new_finish,) = self._job_uuids(
            run_id, states=("pending",), method="_finish_run"
        )
        self._perform(new_finish)
        with self.registry.cursor() as cr:
            run = self._env(cr)["settlement.run"].browse(run_id)
            self.assertEqual(run.state, "done")
            self.assertFalse(run.error_message)
        self._assert_ledger()

    def test_write_on_the_run_does_not_disturb_a_chunk(self):
        """Another transaction writes on the run while a chunk is billed: the
        chunk writes nothing on the run (its progress is read from the job
        lines), so it commits at its first attempt, and the other
        transaction's write is kept."""
        (run_id,) = self._new_runs(1)
        with self.registry.cursor() as cr:
            run = self._env(cr)["settlement.run"].browse(run_id)
            with server_owned_writes():
                run.write({"state": "running", "person_total": PERSONS})
        holding, release = threading.Event(), threading.Event()
        attempts = []

        def updater():
            with self.registry.cursor() as cr:
                cr.execute(
                    "UPDATE settlement_run SET error_message = 'noted' WHERE id = %s",
                    [run_id],
                )
                holding.set()
                release.wait(JOIN_TIMEOUT)
                cr.commit()

        thread = threading.Thread(target=updater)

        def chunk(env):
            attempts.append(1)
            if len(attempts) == 1:
                env.cr.execute("SELECT 1")  # the transaction's snapshot
                thread.start()
                holding.wait(JOIN_TIMEOUT)
                threading.Timer(1.0, release.set).start()
            env["settlement.run"].browse(run_id)._run_chunk(self.person_ids)

        with self.registry.cursor() as cr, mute_logger(*NOISY):
            env = self._env(cr)
            retrying(partial(chunk, env), env)
            cr.commit()
        thread.join(JOIN_TIMEOUT)
        self.assertFalse(thread.is_alive())
        self.assertEqual(len(attempts), 1, "the chunk was redone")
        with self.registry.cursor() as cr:
            run = self._env(cr)["settlement.run"].browse(run_id)
            self.assertEqual(run.error_message, "noted")
            self.assertEqual(run.state, "running")  # its last job finishes it
            self.assertEqual(run.person_done, PERSONS)
            self.assertEqual(run.progress, 100.0)
        self.assertEqual(len(self._assert_ledger()), PERSONS)

    def test_two_chunks_of_a_run_at_once(self):
        """Two workers run two chunks of one run at the same moment, as the
        job runner does with two of its channel's slots: neither waits for
        nor fails on the other (each job done at its first attempt, no
        postponed job), then the job finishing the run ends it."""
        self._two_chunks_at_once()

    def test_two_chunks_at_once_on_a_new_company_setup(self):
        """The same on a company whose settlement accounts are not made yet:
        the run makes them before its chunks start, so that two chunks do
        not both write them on the company."""
        fnames = [fname for fname, *_rest in SETTLEMENT_ACCOUNTS]
        with self.registry.cursor() as cr:
            company = self._env(cr).company
            saved = {fname: company[fname].id for fname in fnames}
            company.write(dict.fromkeys(fnames, False))

        def restore():
            with self.registry.cursor() as cr:
                self._env(cr).company.write(saved)

        self.addCleanup(restore)
        self._two_chunks_at_once()
        with self.registry.cursor() as cr:
            company = self._env(cr).company
            self.assertEqual({fname: company[fname].id for fname in fnames}, saved)

    def _two_chunks_at_once(self):
        with self.registry.cursor() as cr:
            company = self._env(cr).company
            company.settlement_chunk_size = PERSONS // 2
        (run_id,) = self._new_runs(1)
        with self.registry.cursor() as cr:
            self._env(cr)["settlement.run"].browse(run_id).action_run()
        uuids = self._job_uuids(run_id)
        self.assertEqual(len(uuids), 2)
        # both transactions hold their technicians' lines before either goes
        # on billing: they overlap from there to their commits
        barrier = threading.Barrier(2, timeout=JOIN_TIMEOUT)
        original = SettlementRunChunk._lock_lines

        def lock_then_meet(run, person_ids):
            result = original(run, person_ids)
            barrier.wait()
            return result

        outcome = {}

        def worker(uuid):
            try:
                with self.registry.cursor() as cr:
                    cr.execute(
                        "UPDATE queue_job SET state = 'enqueued' WHERE uuid = %s",
                        [uuid],
                    )
                    cr.commit()
                    env = self._env(cr)
                    job = RunJobController._acquire_job(env, uuid)
                    RunJobController._runjob(env, job)
                    cr.commit()
                    outcome[uuid] = "ran"
            except Exception as err:  # reported by the assertion below
                _logger.exception("Settlement chunk crashed")
                outcome[uuid] = f"crash: {err!r}"

        threads = [threading.Thread(target=worker, args=(u,)) for u in uuids]
        with (
            patch.object(SettlementRunChunk, "_lock_lines", lock_then_meet),
            mute_logger(*NOISY),
        ):
            self._start_and_join(threads)
        self.assertFalse(any(t.is_alive() for t in threads), "a chunk hangs")
        self.assertEqual(outcome, dict.fromkeys(uuids, "ran"))
        with self.registry.cursor() as cr:
            env = self._env(cr)
            jobs = [Job.load(env, uuid) for uuid in uuids]
            self.assertEqual(
                [(job.state, job.retry) for job in jobs],
                [("done", 1), ("done", 1)],
                [job.result for job in jobs],
            )
            self.assertEqual(env["settlement.run"].browse(run_id).state, "running")
        (finish,) = self._job_uuids(run_id, method="_finish_run")
        self._perform(finish)
        with self.registry.cursor() as cr:
            run = self._env(cr)["settlement.run"].browse(run_id)
            self.assertEqual(run.state, "done")
            self.assertEqual(run.person_done, PERSONS)
        self.assertEqual(len(self._assert_ledger()), PERSONS)

    # ------------------------------------------------------------------
    def _job_uuids(self, run_id, states=None, method="_run_chunk"):
        with self.registry.cursor() as cr:
            jobs = (
                self._env(cr)["queue.job"]
                .search(
                    [
                        ("model_name", "=", "settlement.run"),
                        ("method_name", "=", method),
                    ]
                    + ([("state", "in", states)] if states else []),
                    order="id",
                )
                .filtered(lambda j: j.records.ids == [run_id])
            )
            # chunks in the order of their technicians (a group stores its
            # jobs in no particular order)
            return [job.uuid for job in jobs.sorted(lambda j: (j.args, j.id))]

    def _job_states(self, uuids):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            return [Job.load(env, uuid).state for uuid in uuids]

    def _perform(self, uuid):
        """What the job runner does with one job: acquire it (committed),
        perform it, commit."""
        with self.registry.cursor() as cr:
            job = perform_job(self._env(cr), uuid, NOISY)
            self.assertTrue(job, f"job {uuid} could not be acquired")
