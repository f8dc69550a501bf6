# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import ConcurrencyError, UserError, ValidationError
from odoo.tests import Form

from ..wizards import fsm_dispatch_batch as batch_module
from .common import DispatchCommon


class TestDispatch(DispatchCommon):
    def test_candidates_ranked_with_reasons(self):
        install = self._install_order()
        install.action_compute_dispatch()
        cands = install.dispatch_candidate_ids
        by_person = {c.person_id: c for c in cands}
        self.assertEqual(cands[0].person_id, self.near)
        self.assertTrue(by_person[self.near].eligible)
        self.assertTrue(by_person[self.far].eligible)
        self.assertGreater(by_person[self.far].distance_km, 40)
        self.assertGreater(by_person[self.near].score, by_person[self.far].score)
        self.assertFalse(by_person[self.junior_tech].eligible)
        self.assertEqual(by_person[self.junior_tech].reasons, "skill level too low")

    def test_dispatch_assigns_best(self):
        install = self._install_order()
        install.action_dispatch()
        self.assertEqual(install.person_id, self.near)
        self.assertEqual(install.install_state, "scheduled")
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are made at commit
        notes = install.message_ids.filtered(
            lambda m: "Dispatched to" in (m.body or "")
        )
        # one note, logged even for an order created in the same transaction
        # (whose changes Odoo does not track)
        self.assertEqual(len(notes), 1)
        self.assertIn("Dispatched to Near Zhou", notes.body)
        self.assertEqual(notes.message_type, "notification")
        with self.assertRaisesRegex(UserError, "already assigned"):
            install.action_dispatch()

    def test_capacity_respected(self):
        self.near.max_jobs_per_day = 1
        first = self._install_order()
        first.action_dispatch()
        second = self._install_order()
        second.action_dispatch()
        self.assertEqual(first.person_id, self.near)
        self.assertEqual(second.person_id, self.far)
        # both at once: the near technician gets one only
        self.near.max_jobs_per_day = 2
        third, fourth = self._install_order(), self._install_order()
        (third | fourth).action_dispatch()
        self.assertEqual(
            sorted((third | fourth).person_id.mapped("name")), ["Far Qian", "Near Zhou"]
        )

    def test_expired_certification_reason(self):
        self.near.certification_ids.valid_to = date.today() - timedelta(days=1)
        install = self._install_order()
        install.action_compute_dispatch()
        near = install.dispatch_candidate_ids.filtered(
            lambda c: c.person_id == self.near
        )
        self.assertFalse(near.eligible)
        self.assertIn("no valid certification", near.reasons)
        install.action_dispatch()
        self.assertEqual(install.person_id, self.far)

    def test_suspended_and_blocked(self):
        self.near.suspension_reason = "Customer complaint under review"
        self.near.action_suspend()
        self.far.blocked_partner_ids = self.customer
        install = self._install_order()
        with self.assertRaisesRegex(UserError, "No technician can take") as err:
            install.action_dispatch()
        self.assertIn("Main reasons:", str(err.exception))
        # the reasons of each technician (a demo database has more of them)
        install.action_compute_dispatch()
        reasons = {c.person_id: c.reasons for c in install.dispatch_candidate_ids}
        self.assertIn("suspended", reasons[self.near])
        self.assertIn("blocked for this customer", reasons[self.far])
        self.assertIn("skill level too low", reasons[self.junior_tech])
        self.near.action_reinstate()
        install.action_dispatch()
        self.assertEqual(install.person_id, self.near)

    def test_missing_coordinates_ranked_last(self):
        self.near.write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        install = self._install_order()
        install.action_compute_dispatch()
        eligible = install.dispatch_candidate_ids.filtered("eligible")
        self.assertEqual(eligible[-1].person_id, self.near)
        self.assertFalse(eligible[-1].distance_known)
        self.assertIn("distance unknown", eligible[-1].reasons)

    def test_location_without_coordinates_still_dispatches(self):
        self.customer.write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        install = self._install_order()
        install.action_dispatch()
        self.assertTrue(install.person_id)

    def test_bad_input_refused(self):
        with self.assertRaisesRegex(ValidationError, "capacity cannot be negative"):
            self.near.max_jobs_per_day = -1
        with self.assertRaisesRegex(ValidationError, "weights cannot be negative"):
            self.company.dispatch_weight_rating = -0.5
        with self.assertRaisesRegex(ValidationError, "reason of the suspension"):
            self.near.dispatch_state = "suspended"
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.near.certification_ids.valid_from = date.today() + timedelta(days=400)

    def test_technician_form(self):
        with Form(self.far) as form:
            form.service_zip_prefixes = "310, 311"
            with form.certification_ids.new() as cert:
                cert.product_category_id = self.categ
                cert.number = "HZ-2026-001"
        self.assertEqual(self.far._zip_prefixes(), ("310", "311"))
        self.assertEqual(len(self.far.certification_ids), 2)


class TestBatchDispatch(DispatchCommon):
    def test_batch_plan_then_apply(self):
        self.near.max_jobs_per_day = 1
        orders = self._install_order() | self._install_order() | self._install_order()
        # Action > Batch Dispatch on the selected orders
        wizard = Form(
            self.env["fsm.dispatch.batch"].with_context(
                active_model="fsm.order", active_ids=orders.ids
            )
        ).save()
        self.assertEqual(wizard.order_ids, orders)
        wizard.action_plan()
        self.assertEqual(wizard.state, "planned")
        self.assertFalse(orders.person_id, "planning assigns nobody")
        planned = wizard.line_ids.filtered("person_id")
        # near: 1 slot, far: 2 slots; junior is not skilled enough
        self.assertEqual(len(planned), 3)
        self.assertEqual(
            sorted(planned.person_id.mapped("name")), ["Far Qian", "Near Zhou"]
        )
        self.assertEqual(wizard.unassigned_count, 0)
        self.assertLessEqual(wizard.total_distance, wizard.greedy_distance + 1e-6)
        wizard.action_apply()
        self.assertEqual(
            sorted(order.person_id.name for order in orders),
            ["Far Qian", "Far Qian", "Near Zhou"],
        )

    def test_batch_plan_says_why_an_order_is_left_out(self):
        self.near.max_jobs_per_day = 1
        self.far.max_jobs_per_day = 1
        orders = self._install_order() | self._install_order() | self._install_order()
        wizard = Form(
            self.env["fsm.dispatch.batch"].with_context(
                active_model="fsm.order", active_ids=orders.ids
            )
        ).save()
        action = wizard.action_plan()
        self.assertEqual(action["name"], "Batch Dispatch")
        self.assertEqual(wizard.unassigned_count, 1)
        left_out = wizard.line_ids.filtered(lambda line: not line.person_id)
        self.assertEqual(left_out.apply_note, "no free capacity that day")
        self.assertFalse(
            any(wizard.line_ids.filtered("person_id").mapped("apply_note"))
        )

    def test_unscheduled_orders_end_after_their_own_duration(self):
        orders = self.env["fsm.order"].concat(
            *(self._sale([(self.heater, 1)]).install_order_ids for _i in range(3))
        )
        orders.scheduled_date_start = False
        for order, hours in zip(orders, (2.0, 3.0, 2.0), strict=True):
            order.scheduled_duration = hours
        self.env["fsm.order"]._dispatch_assign_batch(
            dict.fromkeys(orders, self.near.id)
        )
        self.assertEqual(orders.person_id, self.near)
        for order, hours in zip(orders, (2.0, 3.0, 2.0), strict=True):
            self.assertTrue(order.scheduled_date_start)
            self.assertEqual(
                order.scheduled_date_end - order.scheduled_date_start,
                timedelta(hours=hours),
            )

    def test_apply_refuses_stale_plan(self):
        order = self._install_order()
        wizard = Form(
            self.env["fsm.dispatch.batch"].with_context(
                active_model="fsm.order", active_ids=order.ids
            )
        ).save()
        wizard.action_plan()
        order.person_id = self.far
        with self.assertRaisesRegex(UserError, "changed since the plan"):
            wizard.action_apply()


class TestBatchDispatchBackground(DispatchCommon):
    """A plan larger than ``APPLY_NOW_MAX`` is applied by a cron, in steps of
    ``APPLY_CHUNK`` orders, the progress on the batch."""

    def setUp(self):
        super().setUp()
        self.startPatcher(patch.object(batch_module, "APPLY_NOW_MAX", 1))
        self.startPatcher(patch.object(batch_module, "APPLY_CHUNK", 2))
        self.cron = self.env.ref("fieldservice_install.ir_cron_dispatch_batch_apply")
        self.steps = []
        self.startPatcher(
            patch.object(
                type(self.env["ir.cron"]),
                "_commit_progress",
                lambda cron, processed=0, remaining=None, deactivate=False: (
                    self.steps.append((processed, remaining)) or 60.0
                ),
            )
        )
        self.orders = self.env["fsm.order"].concat(
            *(self._install_order() for _i in range(3))
        )
        self.wizard = (
            self.env["fsm.dispatch.batch"]
            .with_context(active_model="fsm.order", active_ids=self.orders.ids)
            .create({})
        )
        self.wizard.action_plan()
        self.assertEqual(len(self.wizard.line_ids.filtered("person_id")), 3)

    def _triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])

    def test_applied_in_steps_with_progress(self):
        triggers = self._triggers()
        action = self.wizard.action_apply()
        self.assertEqual(action["res_id"], self.wizard.id, "the batch shows again")
        self.assertEqual(self.wizard.state, "applying")
        self.assertEqual(self.wizard.apply_total, 3)
        self.assertEqual(self.wizard.apply_progress, 0.0)
        self.assertTrue(self._triggers() - triggers, "the cron is triggered")
        self.assertFalse(self.orders.person_id, "nothing assigned in the request")
        # someone assigns the last planned order meanwhile
        last_line = self.wizard.line_ids.sorted("id")[-1]
        last_line.order_id.person_id = self.junior_tech
        self.env["fsm.dispatch.batch"]._cron_apply()
        self.assertEqual(self.steps, [(2, 1)])
        self.assertEqual(self.wizard.applied_count, 2)
        self.assertAlmostEqual(self.wizard.apply_progress, 200 / 3, places=1)
        self.assertIn("2 of 3", self.wizard.apply_message)
        self.env["fsm.dispatch.batch"]._cron_apply()
        self.assertEqual(self.steps, [(2, 1), (1, 0)])
        self.assertEqual(self.wizard.state, "done")
        self.assertEqual((self.wizard.applied_count, self.wizard.skipped_count), (2, 1))
        self.assertEqual(self.wizard.apply_progress, 100.0)
        self.assertIn("2 orders assigned, 1 not assigned", self.wizard.apply_message)
        self.assertEqual(last_line.apply_state, "skipped")
        self.assertIn("changed since the plan", last_line.apply_note)
        self.assertEqual(last_line.order_id.person_id, self.junior_tech)
        for line in self.wizard.line_ids - last_line:
            self.assertEqual(line.apply_state, "assigned")
            self.assertEqual(line.order_id.person_id, line.person_id)
        # nothing left: the cron does nothing
        self.env["fsm.dispatch.batch"]._cron_apply()
        self.assertEqual(len(self.steps), 2)
        with self.assertRaisesRegex(UserError, "not applied yet"):
            self.wizard.action_apply()

    def test_step_waits_for_technicians_locked_elsewhere(self):
        self.wizard.action_apply()
        order_model = type(self.env["fsm.order"])
        with patch.object(
            order_model,
            "_dispatch_lock_technicians",
            side_effect=ConcurrencyError("locked"),
        ):
            triggers = self._triggers()
            self.env["fsm.dispatch.batch"]._cron_apply()
        self.assertEqual(self.steps, [(0, 0)])
        later = self._triggers() - triggers
        self.assertEqual(len(later), 1, "tried again a moment later")
        self.assertGreater(later.call_at, fields.Datetime.now())
        self.assertFalse(self.orders.person_id, "nothing of the step is kept")
        self.assertEqual(self.wizard.state, "applying")
        self.assertIn("Waiting", self.wizard.apply_message)
        self.env["fsm.dispatch.batch"]._cron_apply()
        self.env["fsm.dispatch.batch"]._cron_apply()
        self.assertEqual(self.wizard.state, "done")
        self.assertEqual(self.wizard.applied_count, 3)

    def test_step_error_stops_the_batch_with_its_reason(self):
        self.wizard.action_apply()
        order_model = type(self.env["fsm.order"])
        with patch.object(
            order_model,
            "_dispatch_assign_batch",
            side_effect=UserError("The technician's calendar is closed."),
        ):
            self.env["fsm.dispatch.batch"]._cron_apply()
        self.assertEqual(self.wizard.state, "done")
        self.assertIn("calendar is closed", self.wizard.apply_message)
        self.assertIn("Stopped", self.wizard.apply_message)
        self.assertFalse(self.orders.person_id)
