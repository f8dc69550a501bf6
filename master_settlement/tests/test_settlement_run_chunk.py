# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A settlement run in chunks: resumable, never paying twice
(settlement_run_chunk.py)."""

from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.settlement_run_bill import SettlementRun as SettlementRunBill
from .common import SettlementRunCommon


class TestSettlementRunChunk(SettlementRunCommon):
    def test_same_run_twice_and_second_run_pay_nothing_twice(self):
        run = self._start(self._run())
        with self.assertRaisesRegex(UserError, "is done"):
            run.action_run()
        again = self._start(self._run())
        self.assertFalse(again.move_ids)
        self.assertEqual(again.state, "done")
        lines = self.env["account.move.line"].search(
            [("settlement_job_line_id", "in", (self.a1 | self.a2 | self.b1).ids)]
        )
        self.assertEqual(len(lines), 3)

    def test_interrupted_run_resumes_without_double_payment(self):
        self.company.settlement_chunk_size = 1
        original = SettlementRunBill._prepare_bill_vals
        tech_b = self.tech_b

        def failing(run, settlement, person, *args, **kwargs):
            if person == tech_b:
                raise RuntimeError("worker killed")
            return original(run, settlement, person, *args, **kwargs)

        run = self._run()
        with patch.object(SettlementRunBill, "_prepare_bill_vals", failing):
            self._start(run)
        self.assertEqual(run.state, "failed")
        self.assertIn("worker killed", run.error_message)
        self.assertEqual(run.person_done, 1)
        self.assertEqual(run.person_total, 2)
        self.assertEqual(self.a1.state, "billed")
        self.assertEqual(self.b1.state, "releasable")
        self._start(run)  # resume
        self.assertEqual(run.state, "done")
        bills = self._bills(run)
        self.assertEqual(len(bills), 2)
        self.assertEqual(
            len(bills.filtered(lambda m: m.settlement_person_id == self.tech_a)), 1
        )
        self.assertEqual(self.b1.state, "billed")

    def test_queue_jobs_per_chunk(self):
        """One job per chunk in a group, and one job finishing the run that
        waits for all of them; the progress is read from the billed jobs."""
        self.company.settlement_chunk_size = 1
        run = self._run()
        with trap_jobs() as trap:
            run.action_run()
            trap.assert_jobs_count(2, only=run._run_chunk)
            trap.assert_jobs_count(1, only=run._finish_run)
            chunks = [
                job for job in trap.enqueued_jobs if job.method_name != "_finish_run"
            ]
            (finish,) = set(trap.enqueued_jobs) - set(chunks)
            self.assertEqual(finish.depends_on, set(chunks))
            self.assertEqual(len({job.graph_uuid for job in trap.enqueued_jobs}), 1)
            self.assertEqual(run.state, "running")
            self.assertEqual(run.progress, 0.0)
            chunks[0].perform()
            self.assertEqual(run.person_done, 1)
            self.assertEqual(run.progress, 50.0)
            self.assertEqual(run.state, "running")
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.person_done, 2)
        self.assertEqual(len(self._bills(run)), 2)

    def test_run_ends_when_jobs_are_released_while_it_works(self):
        """A job of the period becomes releasable while the run's chunks
        work (the dispute-window cron, a quality release): the run still
        ends, done, and says the next run pays it."""
        self.company.settlement_chunk_size = 1
        tech_c = self.env["fsm.person"].create({"name": "Tech Late"})
        late = self._complete(tech_c)
        run = self._run()
        with trap_jobs() as trap:
            run.action_run()
            self.assertEqual(run.person_total, 2)
            late._on_customer_confirmed(self.today - timedelta(days=10))
            self.assertEqual(late.state, "releasable")
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(self._bills(run)), 2)
        self.assertEqual(late.state, "releasable")
        self.assertIn("not on this run's bills", run.message_ids[0].body)
        self.assertIn("run): 1;", run.message_ids[0].body)
        again = self._start(self._run())
        self.assertEqual(late.state, "billed")
        self.assertEqual(late.move_id.settlement_run_id, again)
