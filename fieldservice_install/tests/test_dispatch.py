# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form

from ..tools.server_owned import server_owned_writes
from .common import InstallCommon, recording_creates


class DispatchCommon(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Installation (dispatch test)",
                "skill_ids": [(0, 0, {"name": "Water heaters"})],
                "skill_level_ids": [
                    (0, 0, {"name": "Junior", "level_progress": 30}),
                    (0, 0, {"name": "Senior", "level_progress": 80}),
                ],
            }
        )
        cls.skill = cls.skill_type.skill_ids
        cls.junior, cls.senior = cls.skill_type.skill_level_ids.sorted("level_progress")
        cls.env["product.install.skill"].create(
            {
                "product_tmpl_id": cls.heater.product_tmpl_id.id,
                "skill_type_id": cls.skill_type.id,
                "skill_id": cls.skill.id,
                "min_level_id": cls.senior.id,
            }
        )
        cls.categ_parent = cls.env["product.category"].create({"name": "Appliances"})
        cls.categ = cls.env["product.category"].create(
            {
                "name": "Water Heaters",
                "parent_id": cls.categ_parent.id,
                "install_certification_required": True,
            }
        )
        cls.heater.categ_id = cls.categ
        cls.customer.write({"partner_latitude": 30.27, "partner_longitude": 120.15})
        cls.near = cls._tech("Near Zhou", 30.26, 120.16)
        cls.far = cls._tech("Far Qian", 30.60, 120.60)
        cls.junior_tech = cls._tech("Junior Sun", 30.27, 120.15, level=cls.junior)
        cls.day = date.today() + timedelta(days=3)

    @classmethod
    def _tech(cls, name, lat, lon, level=None, prefixes="310", cert=True):
        person = cls.env["fsm.person"].create(
            {
                "name": name,
                "partner_latitude": lat,
                "partner_longitude": lon,
                "service_zip_prefixes": prefixes,
                "max_jobs_per_day": 2,
            }
        )
        cls.env["fsm.person.skill"].create(
            {
                "person_id": person.id,
                "skill_id": cls.skill.id,
                "skill_type_id": cls.skill_type.id,
                "skill_level_id": (level or cls.senior).id,
            }
        )
        if cert:
            cls.env["fsm.person.certification"].create(
                {
                    "person_id": person.id,
                    "product_category_id": cls.categ_parent.id,
                    "number": f"CERT-{name}",
                    "valid_to": date.today() + timedelta(days=365),
                }
            )
        return person

    def _install_order(self):
        order = self._sale([(self.heater, 1)])
        install = order.install_order_ids
        install.scheduled_date_start = datetime.combine(self.day, datetime.min.time())
        return install


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
        # one message: the note is the body of the state change's tracking
        # message; the customer's "technician assigned" mail is another one
        self.assertEqual(len(notes), 1)
        self.assertIn("Dispatched to Near Zhou", notes.body)
        self.assertEqual(
            notes.tracking_value_ids.field_id.name, "install_state", notes.body
        )
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
        wizard = (
            self.env["fsm.dispatch.batch"]
            .with_context(active_model="fsm.order", active_ids=orders.ids)
            .create({})
        )
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
        wizard = (
            self.env["fsm.dispatch.batch"]
            .with_context(active_model="fsm.order", active_ids=order.ids)
            .create({})
        )
        wizard.action_plan()
        order.person_id = self.far
        with self.assertRaisesRegex(UserError, "changed since the plan"):
            wizard.action_apply()


class TestBatchTracking(DispatchCommon):
    """Tracking messages of many orders are created in one batch, and are the
    messages Odoo logs for one order."""

    def _commit_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are made at commit

    def _tracked(self, order, after_id):
        """The tracking messages of ``order`` since ``after_id``, as values."""
        skip = {"id", "mail_message_id", "create_date", "write_date"}
        messages = order.message_ids.filtered(
            lambda m: m.id > after_id and m.tracking_value_ids
        )
        return [
            {
                "type": (message.message_type, message.subtype_id, message.author_id),
                "internal": message.is_internal,
                "body": str(message.body),
                "values": sorted(
                    sorted(
                        (key, value) for key, value in vals.items() if key not in skip
                    )
                    for vals in message.tracking_value_ids.read()
                ),
            }
            for message in messages
        ]

    def test_batch_logs_what_one_order_logs(self):
        orders = self.env["fsm.order"].concat(
            *(self._install_order() for _i in range(4))
        )
        self._commit_tracking()
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        values = {"quality_hold": True, "sla_pause_reason": "customer_absent"}
        with server_owned_writes():  # tracked fields the server writes
            orders[0].write(values)
        self._commit_tracking()
        expected = self._tracked(orders[0], last)
        self.assertEqual(len(expected), 1)
        self.assertEqual(len(expected[0]["values"]), 2)
        with (
            recording_creates(self.env, "mail.message") as message_creates,
            recording_creates(self.env, "mail.tracking.value") as value_creates,
        ):
            with server_owned_writes():
                orders[1:].write(values)
            self._commit_tracking()
        for order in orders[1:]:
            self.assertEqual(self._tracked(order, last), expected, order.name)
        # one create of 3 messages, one of their 6 tracking values
        self.assertEqual([len(vals_list) for vals_list in message_creates], [3])
        self.assertEqual([len(vals_list) for vals_list in value_creates], [6])

    def test_batch_keeps_bodies_and_subtypes(self):
        orders = self.env["fsm.order"].concat(
            *(self._install_order() for _i in range(4))
        )
        self._commit_tracking()
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        # two orders dispatched (their note is the tracking message's body)
        self.env["fsm.order"]._dispatch_assign_batch(
            {orders[0]: self.near.id, orders[1]: self.far.id}
        )
        # a cancellation has a subtype: Odoo posts it, it is not logged
        orders[2:].write({"stage_id": self.stage_cancelled.id})
        self._commit_tracking()
        field = self.env["ir.model.fields"]._get("fsm.order", "install_state")
        install_state = (field.id, field.display_name)
        for order, name in ((orders[0], "Near Zhou"), (orders[1], "Far Qian")):
            (logged,) = self._tracked(order, last)
            self.assertIn(f"Dispatched to {name}", logged["body"])
            self.assertEqual(
                logged["type"][:2], ("notification", self.env.ref("mail.mt_note"))
            )
            items = {item for vals in logged["values"] for item in vals}
            self.assertIn(("field_id", install_state), items)
        cancelled = self.env.ref("fieldservice.mt_order_cancelled")
        for order in orders[2:]:
            (posted,) = self._tracked(order, last)
            self.assertEqual(posted["type"][1], cancelled)

    def test_batch_keeps_each_author(self):
        orders = self.env["fsm.order"].concat(
            *(self._install_order() for _i in range(4))
        )
        self._commit_tracking()
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        brand = self.env["res.partner"].create({"name": "Brand Service Desk"})
        orders[:2]._track_set_author(brand)
        with recording_creates(self.env, "mail.message") as message_creates:
            with server_owned_writes():
                orders.write({"quality_hold": True})
            self._commit_tracking()
        authors = [self._tracked(order, last)[0]["type"][2] for order in orders]
        user = self.env.user.partner_id
        self.assertEqual(authors, [brand, brand, user, user])
        # one create per author
        self.assertEqual(
            sorted(len(vals_list) for vals_list in message_creates), [2, 2]
        )
