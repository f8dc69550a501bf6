# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Warranty code generation jobs retried and delivered twice, on real
committed transactions (as the job runner does them).

Invariants: the batch ends with exactly ``quantity`` codes and serial
numbers, none twice, each code signed by the company.
"""

# these tests need committed data: each commit is on a cursor of their own
# pylint: disable=invalid-commit

import threading
from unittest.mock import patch

import psycopg2

from odoo.tools import mute_logger

from odoo.addons.fieldservice_install.tests.queue_common import (
    CommittingJobCase,
    perform_job,
)
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..engine import signer
from ..models.warranty_code_batch import WarrantyCodeBatch

JOIN_TIMEOUT = 60
QUANTITY = 25
CHUNK = 10
BARCODE = "6970000000017"
NOISY = ("odoo.sql_db", "odoo.addons.queue_job")


class TestCodeBatchReliability(CommittingJobCase):
    join_timeout = JOIN_TIMEOUT

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            products = cls._env(cr)["product.product"]
            # left by a run that was killed before its clean-up
            product = products.search([("barcode", "=", BARCODE)]) or products.create(
                {
                    "name": "Reliable Heat Pump",
                    "is_storable": True,
                    "tracking": "serial",
                    "barcode": BARCODE,
                }
            )
            cls.product_id = product.id

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            product = cls._env(cr)["product.product"].browse(cls.product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        chunks = patch.object(WarrantyCodeBatch, "_generate_chunk_size", CHUNK)
        chunks.start()
        self.addCleanup(chunks.stop)
        with self.registry.cursor() as cr:
            batch = self._env(cr)["warranty.code.batch"].create(
                {
                    "product_id": self.product_id,
                    "quantity": QUANTITY,
                    "lot_prefix": "REL26-",
                }
            )
            batch.action_generate()
            self.batch_id = batch.id
        self.addCleanup(self._clean)

    def _clean(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["queue.job"].search(
                [("model_name", "=", "warranty.code.batch")]
            ).filtered(lambda j: j.records.ids == [self.batch_id]).unlink()
            cr.execute("DELETE FROM warranty_code WHERE batch_id = %s", [self.batch_id])
            cr.execute("DELETE FROM warranty_code_batch WHERE id = %s", [self.batch_id])

    def _pending(self):
        with self.registry.cursor() as cr:
            return [
                job.uuid
                for job in self._env(cr)["queue.job"].search(
                    [
                        ("model_name", "=", "warranty.code.batch"),
                        ("state", "in", ("pending", "enqueued")),
                    ],
                    order="id",
                )
                if job.records.ids == [self.batch_id]
            ]

    def _perform(self, uuid):
        """What the job runner does with one job: acquire it (committed),
        perform it, commit."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            if not perform_job(env, uuid, mute=NOISY):
                return None
            return Job.load(env, uuid).state

    def _run_all(self, limit=10):
        for _i in range(limit):
            pending = self._pending()
            if not pending:
                return
            for uuid in pending:
                self._perform(uuid)
        raise AssertionError("the generation does not end")

    def _assert_batch(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            batch = env["warranty.code.batch"].browse(self.batch_id)
            self.assertEqual(batch.state, "done")
            self.assertEqual(batch.generated_count, QUANTITY)
            codes = batch.code_ids
            self.assertEqual(len(codes), QUANTITY)
            self.assertEqual(len(set(codes.mapped("code"))), QUANTITY)
            self.assertEqual(
                sorted(codes.mapped("serial")),
                [f"REL26-{i:06d}" for i in range(1, QUANTITY + 1)],
            )
            # the units' lots are made when they materialise, not here
            self.assertFalse(
                env["stock.lot"].search_count([("product_id", "=", self.product_id)])
            )
            secret = env["warranty.code"]._company_secret(batch.company_id)
            serials = {signer.verify(secret, code) for code in codes.mapped("code")}
            self.assertEqual(len(serials), QUANTITY)

    def test_chunk_job_retried_after_failure_writes_once(self):
        """The second chunk fails after writing its codes (a retryable
        error): its transaction is rolled back, the job postponed and
        retried; the batch ends with each code once."""
        original = WarrantyCodeBatch._generate_codes
        calls = []

        def flaky(batch, count):
            original(batch, count)
            calls.append(batch.generated_count)
            if len(calls) == 2:
                raise RetryableJobError("database restarted", seconds=0)

        with patch.object(WarrantyCodeBatch, "_generate_codes", flaky):
            self._run_all()
        self.assertEqual(calls, [10, 20, 20, 25])
        self._assert_batch()

    def test_same_chunk_delivered_twice_at_once(self):
        """Two workers get the same chunk job at the same moment: one writes
        the chunk, the other finds it written (or, finding the batch locked
        or hitting the serialization failure, is postponed and then finds it
        written)."""
        (uuid,) = self._pending()
        barrier = threading.Barrier(2, timeout=JOIN_TIMEOUT)
        outcome = []

        def worker():
            with self.registry.cursor() as cr:
                env = self._env(cr)
                barrier.wait()
                job = Job.load(env, uuid)
                try:
                    job.perform()
                    cr.commit()
                    outcome.append(job.result)
                except (
                    psycopg2.OperationalError,
                    RetryableJobError,
                ) as err:  # the runner retries
                    cr.rollback()
                    outcome.append(f"retry: {err.__class__.__name__}")

        threads = [threading.Thread(target=worker) for _i in range(2)]
        with mute_logger(*NOISY):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(JOIN_TIMEOUT)
        self.assertFalse(any(t.is_alive() for t in threads), "a worker hangs")
        self.assertEqual(len(outcome), 2, outcome)
        written = [r for r in outcome if r and r.startswith("10 codes written")]
        self.assertEqual(len(written), 1, outcome)
        self._run_all()
        self._assert_batch()
