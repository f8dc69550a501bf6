# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two dispatchers at once, on two real database transactions."""

# these tests need committed data: each commit is on a cursor of their own
# pylint: disable=invalid-commit

import threading
import time
from datetime import datetime, timedelta
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ConcurrencyError, UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger


class TestDispatchConcurrency(BaseCase):
    """Data is committed (two transactions must see it) and removed afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        day = datetime.combine(
            datetime.now().date() + timedelta(days=5), datetime.min.time()
        )
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            owner = env["res.partner"].create({"name": "Concurrency Customer"})
            location = env["fsm.location"].create(
                {
                    "name": "Concurrency Site",
                    "owner_id": owner.id,
                    "zip": "310099",
                    "partner_latitude": 30.2,
                    "partner_longitude": 120.1,
                }
            )
            person = env["fsm.person"].create(
                {
                    "name": "Only Technician",
                    "service_zip_prefixes": "310099",
                    "max_jobs_per_day": 1,
                    "partner_latitude": 30.2,
                    "partner_longitude": 120.1,
                }
            )
            orders = env["fsm.order"].create(
                [
                    {"location_id": location.id, "scheduled_date_start": day},
                    {"location_id": location.id, "scheduled_date_start": day},
                ]
            )
            cls.owner_id, cls.location_id = owner.id, location.id
            cls.person_id, cls.order_ids = person.id, orders.ids

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["fsm.order"].browse(cls.order_ids).write({"person_id": False})
            env["fsm.order"].browse(cls.order_ids).unlink()
            person = env["fsm.person"].browse(cls.person_id)
            partner = person.partner_id
            person.unlink()
            partner.unlink()
            location = env["fsm.location"].browse(cls.location_id)
            partner = location.partner_id
            location.unlink()
            (partner | env["res.partner"].browse(cls.owner_id)).unlink()
        super().tearDownClass()

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_same_order_second_dispatcher_gets_clear_error(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = self._env(cr1)["fsm.order"].browse(self.order_ids[0])
            first._dispatch_lock()  # dispatcher 1 is assigning it
            second = self._env(cr2)["fsm.order"].browse(self.order_ids[0])
            with self.assertRaisesRegex(UserError, "Another dispatcher is assigning"):
                second.action_dispatch()
            cr2.rollback()
            cr1.rollback()

    def test_technician_being_assigned_elsewhere_is_not_waited_for(self):
        """The technicians' row locks are taken with ``lock_for_update()``:
        a run finding one locked by another transaction does not wait for it
        (a worker blocked for as long as the other runs) but asks Odoo's
        retry loop to run it again a moment later."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self._env(cr1)["fsm.person"].browse(self.person_id).lock_for_update()
            # the old way waited here: give up after 3 s instead of hanging
            cr2.execute("SET LOCAL lock_timeout = '3s'")
            order = self._env(cr2)["fsm.order"].browse(self.order_ids[0])
            with self.assertRaises(ConcurrencyError):
                order.action_dispatch()
            cr2.rollback()
            cr1.rollback()

    def test_overlapping_runs_never_exceed_capacity(self):
        outcome = {"attempts": 0}
        started = threading.Event()

        def attempt(env):
            outcome["attempts"] += 1
            started.set()
            env["fsm.order"].browse(self.order_ids[1]).action_dispatch()

        def second_run():
            # through Odoo's retry loop, as an RPC call runs
            with self.registry.cursor() as cr:
                env = self._env(cr)
                try:
                    retrying(partial(attempt, env), env)
                    outcome["result"] = "assigned"
                except UserError as err:
                    outcome["result"] = str(err)

        try:
            with (
                mute_logger("odoo.sql_db", "odoo.service.model"),
                self.registry.cursor() as cr1,
            ):
                self._env(cr1)["fsm.order"].browse(self.order_ids[0]).action_dispatch()
                thread = threading.Thread(target=second_run)
                thread.start()
                started.wait(timeout=30)
                time.sleep(0.5)  # the second run finds the technician taken
                cr1.commit()
                thread.join(timeout=60)
            self.assertFalse(thread.is_alive())
            self.assertGreaterEqual(outcome["attempts"], 2, "the second run retried")
            self.assertIn("No technician can take", outcome["result"])
            self.assertIn("no free capacity that day: 1", outcome["result"])
            with self.registry.cursor() as cr:
                orders = self._env(cr)["fsm.order"].browse(self.order_ids)
                self.assertEqual(orders[0].person_id.id, self.person_id)
                self.assertFalse(orders[1].person_id)
        finally:
            with self.registry.cursor() as cr:
                self._env(cr)["fsm.order"].browse(self.order_ids).write(
                    {"person_id": False}
                )
