# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dispatch under concurrency, on real committed transactions.

Each test works on data committed in ``setUpClass`` (two transactions must see
it) and removed in ``tearDownClass``; what the tests commit themselves is put
back in ``tearDown``. Threads are joined with a timeout: a test fails, it never
hangs.
"""

# these tests need committed data: each commit is on a cursor of their own
# pylint: disable=invalid-commit

import logging
import threading
from collections import Counter
from datetime import datetime, timedelta
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

JOIN_TIMEOUT = 60
ZIPS = "979797,979798"


class TestDispatchReliability(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.day = datetime.combine(
            datetime.now().date() + timedelta(days=41), datetime.min.time()
        ) + timedelta(hours=9)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            owner = env["res.partner"].create({"name": "Reliability Customer"})
            location = env["fsm.location"].create(
                {
                    "name": "Reliability Site",
                    "owner_id": owner.id,
                    "zip": "979797",
                    "partner_latitude": 31.2,
                    "partner_longitude": 121.4,
                }
            )
            persons = env["fsm.person"].create(
                [
                    {
                        "name": f"Reliability Technician {i}",
                        "service_zip_prefixes": "979797",
                        "max_jobs_per_day": 2,
                        "partner_latitude": 31.2 + i / 100,
                        "partner_longitude": 121.4,
                    }
                    for i in range(2)
                ]
            )
            orders = env["fsm.order"].create(
                [
                    {"location_id": location.id, "scheduled_date_start": cls.day}
                    for _i in range(5)
                ]
            )
            cls.owner_id, cls.location_id = owner.id, location.id
            cls.person_ids, cls.order_ids = persons.ids, orders.ids

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["fsm.order"].browse(cls.order_ids)
            orders.dispatch_offer_ids.unlink()
            orders.write({"person_id": False})
            orders.unlink()
            persons = env["fsm.person"].browse(cls.person_ids)
            partners = persons.partner_id
            persons.unlink()
            partners.unlink()
            location = env["fsm.location"].browse(cls.location_id)
            partner = location.partner_id
            location.unlink()
            (partner | env["res.partner"].browse(cls.owner_id)).unlink()
        super().tearDownClass()

    def tearDown(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            orders = env["fsm.order"].browse(self.order_ids)
            orders.dispatch_offer_ids.unlink()
            orders.write({"person_id": False})
            env["mail.message"].search(
                [("model", "=", "fsm.order"), ("res_id", "in", self.order_ids)]
            ).unlink()
        super().tearDown()

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _in_threads(self, *calls):
        """Run each ``call(env)`` in its own transaction, all started at once,
        through Odoo's retry-on-serialization-failure loop; return per call
        ``"ok"`` or the message of the user error it raised."""
        barrier = threading.Barrier(len(calls), timeout=JOIN_TIMEOUT)
        outcome = {}

        def worker(index, call):
            try:
                with self.registry.cursor() as cr:
                    env = self._env(cr)
                    barrier.wait()
                    try:
                        retrying(partial(call, env), env)
                        outcome[index] = "ok"
                    except UserError as err:
                        cr.rollback()
                        outcome[index] = str(err)
            except Exception as err:  # reported by the assertion below
                _logger.exception("Worker %s crashed", index)
                outcome[index] = f"crash: {err!r}"

        threads = [
            threading.Thread(target=worker, args=(i, call))
            for i, call in enumerate(calls)
        ]
        # a serialization failure is logged before it is retried
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=JOIN_TIMEOUT)
        self.assertFalse(any(t.is_alive() for t in threads), "a worker hangs")
        self.assertEqual(len(outcome), len(calls), outcome)
        for result in outcome.values():
            self.assertFalse(result.startswith("crash"), result)
        return [outcome[i] for i in range(len(calls))]

    def _assert_no_double_assignment(self, order_ids):
        """Each order has one technician, was dispatched once, and no
        technician has more jobs that day than allowed."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            orders = env["fsm.order"].browse(order_ids)
            for order in orders:
                self.assertTrue(order.person_id, order.name)
                logs = env["mail.message"].search_count(
                    [
                        ("model", "=", "fsm.order"),
                        ("res_id", "=", order.id),
                        ("body", "ilike", "Dispatched to"),
                    ]
                )
                self.assertEqual(logs, 1, f"{order.name} dispatched {logs} times")
            load = Counter(orders.person_id.ids)
            for person in orders.person_id:
                day_load = env["fsm.order"].search_count(
                    [
                        ("person_id", "=", person.id),
                        ("scheduled_date_start", ">=", self.day.date()),
                        (
                            "scheduled_date_start",
                            "<",
                            self.day.date() + timedelta(days=1),
                        ),
                    ]
                )
                self.assertLessEqual(load[person.id], person.max_jobs_per_day)
                self.assertLessEqual(day_load, person.max_jobs_per_day)
            return orders.mapped(lambda o: o.person_id.id)

    def test_same_orders_dispatched_from_two_transactions(self):
        ids = self.order_ids[:4]

        def dispatch(env):
            env["fsm.order"].browse(ids).action_dispatch()

        results = self._in_threads(dispatch, dispatch)
        self.assertEqual(results.count("ok"), 1, results)
        loser = next(r for r in results if r != "ok")
        self.assertRegex(loser, "Another dispatcher is assigning|already assigned")
        assigned = self._assert_no_double_assignment(ids)
        self.assertEqual(sorted(Counter(assigned).values()), [2, 2])

    def test_overlapping_dispatch_and_batch_wizard(self):
        """A dispatcher and the batch wizard on overlapping orders: an order
        is assigned by one of them only, and capacity holds."""
        first, second = self.order_ids[:3], self.order_ids[2:5]
        with self.registry.cursor() as cr:
            wizard = (
                self._env(cr)["fsm.dispatch.batch"]
                .with_context(active_model="fsm.order", active_ids=second)
                .create({})
            )
            wizard.action_plan()
            self.assertEqual(len(wizard.line_ids.filtered("person_id")), 3)
            wizard_id = wizard.id

        def dispatch(env):
            env["fsm.order"].browse(first).action_dispatch()

        def apply_plan(env):
            env["fsm.dispatch.batch"].browse(wizard_id).action_apply()

        results = self._in_threads(dispatch, apply_plan)
        self.assertIn("ok", results)
        with self.registry.cursor() as cr:
            assigned = (
                self._env(cr)["fsm.order"].browse(self.order_ids).filtered("person_id")
            )
            expected = set(first) | (set(second) if results == ["ok", "ok"] else set())
            if results[0] != "ok":
                expected = set(second)
            self.assertEqual(set(assigned.ids), expected, results)
        self._assert_no_double_assignment(sorted(expected))

    def test_two_technicians_accept_offers_of_one_order(self):
        order_id = self.order_ids[0]
        with self.registry.cursor() as cr:
            env = self._env(cr)
            offers = env["fsm.dispatch.offer"]._offer(
                env["fsm.order"].browse(order_id), count=2
            )
            self.assertEqual(sorted(offers.person_id.ids), sorted(self.person_ids))
            offer_ids = offers.ids

        def accept(offer_id, env):
            env["fsm.dispatch.offer"].browse(offer_id).action_accept()

        results = self._in_threads(
            partial(accept, offer_ids[0]), partial(accept, offer_ids[1])
        )
        self.assertEqual(results.count("ok"), 1, results)
        self.assertRegex(
            next(r for r in results if r != "ok"),
            "already taken|can no longer be accepted",
        )
        with self.registry.cursor() as cr:
            env = self._env(cr)
            offers = env["fsm.dispatch.offer"].browse(offer_ids)
            winner = offers[results.index("ok")]
            self.assertEqual(winner.state, "accepted")
            self.assertEqual((offers - winner).state, "cancelled")
            self.assertEqual(winner.order_id.person_id, winner.person_id)
        self._assert_no_double_assignment([order_id])

    def test_serialization_failure_retried_without_lost_work(self):
        """Another transaction updates the technician and holds its row
        while a dispatch runs: the dispatch does not wait for the row, Odoo's
        retry loop runs it again (the row still held: a retryable lock error;
        committed since the dispatch started: a serialization error) until it
        goes through; both changes are kept."""
        person_id = self.person_ids[0]
        with self.registry.cursor() as cr:
            self._env(cr)["fsm.person"].browse(self.person_ids[1]).max_jobs_per_day = 0
        self.addCleanup(self._restore_capacity)
        holding, released = threading.Event(), threading.Event()
        attempts = []

        def updater():
            with self.registry.cursor() as cr:
                cr.execute(
                    "UPDATE fsm_person SET service_zip_prefixes = %s WHERE id = %s",
                    [ZIPS, person_id],
                )
                holding.set()
                released.wait(JOIN_TIMEOUT)
                cr.commit()

        def dispatch(env):
            attempts.append(1)
            if len(attempts) == 1:
                # the snapshot is taken, then the technician is updated and
                # locked by the other transaction, committed while we wait
                env.cr.execute("SELECT 1")
                thread.start()
                holding.wait(JOIN_TIMEOUT)
                threading.Timer(1.0, released.set).start()
            env["fsm.order"].browse(self.order_ids[0]).action_dispatch()

        thread = threading.Thread(target=updater)
        with (
            self.registry.cursor() as cr,
            mute_logger("odoo.sql_db", "odoo.service.model"),
        ):
            env = self._env(cr)
            retrying(partial(dispatch, env), env)
            cr.commit()
        thread.join(JOIN_TIMEOUT)
        self.assertFalse(thread.is_alive())
        self.assertGreaterEqual(len(attempts), 2, "the first attempt must be retried")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            person = env["fsm.person"].browse(person_id)
            self.assertEqual(person.service_zip_prefixes, ZIPS)
            self.assertEqual(
                env["fsm.order"].browse(self.order_ids[0]).person_id, person
            )
        self._assert_no_double_assignment(self.order_ids[:1])

    def _restore_capacity(self):
        with self.registry.cursor() as cr:
            self._env(cr)["fsm.person"].browse(self.person_ids).write(
                {"max_jobs_per_day": 2, "service_zip_prefixes": "979797"}
            )

    def test_batch_wizard_on_locked_orders_gets_clear_error(self):
        """Found by the overlapping test: when the lock was refused, the
        message read the order names in the aborted transaction, and the
        dispatcher got a database error instead of the message."""
        ids = self.order_ids[:2]
        with self.registry.cursor() as cr:
            wizard = (
                self._env(cr)["fsm.dispatch.batch"]
                .with_context(active_model="fsm.order", active_ids=ids)
                .create({})
            )
            wizard.action_plan()
            wizard_id = wizard.id
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self._env(cr1)["fsm.order"].browse(ids)._dispatch_lock()
            wizard = self._env(cr2)["fsm.dispatch.batch"].browse(wizard_id)
            with self.assertRaisesRegex(UserError, "Another dispatcher is assigning"):
                wizard.action_apply()
            self.assertFalse(self._env(cr2)["fsm.order"].browse(ids).person_id)
            cr2.rollback()
            cr1.rollback()
