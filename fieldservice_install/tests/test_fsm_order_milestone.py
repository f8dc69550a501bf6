# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Milestones of an order (models/fsm_order_milestone.py): ordering and
completion, serials and equipment, check-in distance, inspection, the
append-only log and its access, the wizard. Over 500 lines: one class, its
sections sharing the order, the technicians and the helpers of setUpClass."""

import base64
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from .common import InstallCommon

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
SIGNATURE = base64.b64encode(PNG)
SITE = (30.2741, 120.1551)  # Hangzhou
NEAR = (30.2760, 120.1551)  # about 0.2 km north
FAR = (30.2921, 120.1551)  # about 2 km north


class TestMilestones(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher_user = new_test_user(
            cls.env,
            login="ms_dispatcher",
            groups="fieldservice_install.group_install_dispatcher",
        )
        cls.company.install_dispatcher_id = cls.dispatcher_user
        cls.company.milestone_checkin_max_km = 0.5
        cls.technician = new_test_user(
            cls.env,
            login="ms_technician",
            groups="fieldservice.group_fsm_user_own",
        )
        cls.manager = new_test_user(
            cls.env,
            login="ms_manager",
            groups="fieldservice_install.group_install_manager",
        )
        cls.ms = {
            code: cls.env.ref(f"fieldservice_install.fsm_milestone_template_{code}")
            for code in ("picked_up", "arrived", "inspected", "installed", "confirmed")
        }
        cls.serials = cls._stock(cls.heater, serials=["MS-SN1", "MS-SN2"])
        cls.sale = cls._sale([(cls.heater, 2)])
        cls.install = cls.sale.install_order_ids
        cls.location = cls.install.location_id
        cls.location.write({"partner_latitude": SITE[0], "partner_longitude": SITE[1]})

    def setUp(self):
        super().setUp()
        self._deliver(self.sale)
        self.assertEqual(self.install.install_line_ids.lot_ids, self.serials)

    # helpers -----------------------------------------------------------
    def _photo(self, user=None):
        attachment = self.env["ir.attachment"]
        if user:
            attachment = attachment.with_user(user)
        return attachment.create({"name": "photo.png", "raw": PNG})

    def _log(self, code, order=None, user=None, **vals):
        model = self.env["fsm.order.milestone.log"]
        if user:
            model = model.with_user(user)
        return model.create(
            {
                "order_id": (order or self.install).id,
                "milestone_id": self.ms[code].id,
                **vals,
            }
        )

    def _log_until(self, last, order=None):
        """Log every milestone up to ``last`` (included), with its evidence."""
        order = order or self.install
        steps = {
            "picked_up": lambda: self._log(
                "picked_up", order, latitude=30.1, longitude=120.1
            ),
            "arrived": lambda: self._log(
                "arrived", order, latitude=NEAR[0], longitude=NEAR[1]
            ),
            "inspected": lambda: self._log(
                "inspected",
                order,
                attachment_ids=[Command.set(self._photo().ids)],
                inspection_result="pass",
            ),
            "installed": lambda: [
                self._log(
                    "installed",
                    order,
                    lot_id=lot.id,
                    attachment_ids=[Command.set(self._photo().ids)],
                )
                for lot in order.install_line_ids.lot_ids or [self.env["stock.lot"]]
            ],
            "confirmed": lambda: self._log("confirmed", order, signature=SIGNATURE),
        }
        for code, step in steps.items():
            step()
            if code == last:
                return

    def _chatter(self, order=None):
        return " | ".join((order or self.install).message_ids.mapped("body"))

    # ordering and completion ------------------------------------------
    def test_next_milestone_follows_the_sequence(self):
        self.assertTrue(self.install.milestone_required)
        self.assertEqual(self.install.milestone_next_id, self.ms["picked_up"])
        self._log_until("arrived")
        self.assertEqual(self.install.milestone_next_id, self.ms["inspected"])
        log = self.install.milestone_log_ids[-1]
        self.assertEqual(log.user_id, self.env.user)
        self.assertEqual(log.company_id, self.install.company_id)

    def test_out_of_order_refused_with_missing_step_named(self):
        self._log_until("picked_up")
        with self.assertRaisesRegex(
            UserError, "Log 'Arrived \\(door check-in\\)' first"
        ):
            self._log(
                "inspected",
                attachment_ids=[Command.set(self._photo().ids)],
                inspection_result="pass",
            )
        with self.assertRaisesRegex(UserError, "Log 'Picked up at logistics point'"):
            self._log("confirmed", self._sale([(self.lock, 1)]).install_order_ids)
        self.assertEqual(len(self.install.milestone_log_ids), 1)

    def test_logged_milestone_not_logged_twice(self):
        self._log_until("picked_up")
        with self.assertRaisesRegex(UserError, "already logged"):
            self._log("picked_up", latitude=30.1, longitude=120.1)

    def test_evidence_required(self):
        with self.assertRaisesRegex(UserError, "GPS position is required"):
            self._log("picked_up")
        self._log_until("arrived")
        with self.assertRaisesRegex(UserError, "photo is required"):
            self._log("inspected", inspection_result="pass")
        with self.assertRaisesRegex(UserError, "photo is required"):
            not_a_photo = self.env["ir.attachment"].create(
                {"name": "notes.txt", "raw": b"not a picture"}
            )
            self._log(
                "inspected",
                inspection_result="pass",
                attachment_ids=[Command.set(not_a_photo.ids)],
            )
        with self.assertRaisesRegex(UserError, "inspection result is required"):
            self._log("inspected", attachment_ids=[Command.set(self._photo().ids)])
        self._log(
            "inspected",
            attachment_ids=[Command.set(self._photo().ids)],
            inspection_result="pass",
        )
        with self.assertRaisesRegex(UserError, "serial number is required.*MS-SN1"):
            self._log("installed", attachment_ids=[Command.set(self._photo().ids)])
        with self.assertRaisesRegex(UserError, "photo is required"):
            self._log("installed", lot_id=self.serials[0].id)
        for lot in self.serials:
            self._log(
                "installed",
                lot_id=lot.id,
                attachment_ids=[Command.set(self._photo().ids)],
            )
        with self.assertRaisesRegex(UserError, "signature is required"):
            self._log("confirmed")
        self._log("confirmed", signature=SIGNATURE)
        self.assertFalse(self.install.milestone_next_id)
        self.assertTrue(self.install.milestone_log_ids[-1].signature)

    def test_completion_blocked_until_all_logged(self):
        with self.assertRaisesRegex(UserError, "cannot be completed yet"):
            self.install.action_complete()
        self._log_until("installed")
        with self.assertRaisesRegex(
            UserError, "'Customer confirmed' are not logged. Log 'Customer confirmed'"
        ):
            self.install.action_complete()
        # the Kanban / any other way to the completed stage is guarded too
        with self.assertRaisesRegex(UserError, "cannot be completed yet"):
            self.install.with_context(
                bypass_order_completed_stage=True
            ).stage_id = self.stage_completed
        self.assertNotEqual(self.install.stage_id, self.stage_completed)

        self.assertEqual(self.install.milestone_next_id, self.ms["confirmed"])
        self._log("confirmed", signature=SIGNATURE)
        self.install.action_complete()
        self.assertEqual(self.install.stage_id, self.stage_completed)
        self.assertEqual(self.install.install_state, "done")
        with self.assertRaisesRegex(UserError, "is closed"):
            self._log("confirmed", signature=SIGNATURE)

    def test_order_types_without_milestones_complete_freely(self):
        other_type = self.env["fsm.order.type"].create({"name": "Repair"})
        order = self.env["fsm.order"].create(
            {"location_id": self.location.id, "type": other_type.id}
        )
        self.assertFalse(order.milestone_required)
        order.action_complete()
        self.assertEqual(order.stage_id, self.stage_completed)

    def test_archived_template_no_longer_required(self):
        self._log_until("installed")
        self.ms["confirmed"].active = False
        self.install.action_complete()
        self.assertEqual(self.install.stage_id, self.stage_completed)

    # serials and equipment --------------------------------------------
    def test_unknown_serial_refused(self):
        self._log_until("inspected")
        stranger = self._stock(self.heater, serials=["MS-OTHER"])
        with self.assertRaisesRegex(
            UserError,
            "Serial MS-OTHER was not delivered for this order: scan one of "
            "MS-SN1, MS-SN2",
        ):
            self._log(
                "installed",
                lot_id=stranger.id,
                attachment_ids=[Command.set(self._photo().ids)],
            )
        self._log(
            "installed",
            lot_id=self.serials[0].id,
            attachment_ids=[Command.set(self._photo().ids)],
        )
        with self.assertRaisesRegex(UserError, "Serial MS-SN1 is already logged"):
            self._log(
                "installed",
                lot_id=self.serials[0].id,
                attachment_ids=[Command.set(self._photo().ids)],
            )
        # one of two units installed: still the next milestone
        self.assertEqual(self.install.milestone_next_id, self.ms["installed"])

    def test_installed_registers_new_equipment(self):
        self._log_until("inspected")
        lot = self.serials[0]
        self.assertFalse(self.env["fsm.equipment"].search([("lot_id", "=", lot.id)]))
        with freeze_time("2026-12-01 03:00:00"):
            self._log(
                "installed",
                lot_id=lot.id,
                attachment_ids=[Command.set(self._photo().ids)],
            )
        equipment = self.env["fsm.equipment"].search([("lot_id", "=", lot.id)])
        self.assertEqual(len(equipment), 1)
        self.assertEqual(equipment.product_id, self.heater)
        self.assertEqual(equipment.install_date, date(2026, 12, 1))
        self.assertEqual(equipment.location_id, self.location)
        self.assertEqual(equipment.current_location_id, self.location)
        self.assertEqual(equipment.company_id, self.install.company_id)
        self.assertEqual(lot.fsm_equipment_id, equipment)
        self.assertIn(equipment, self.install.equipment_ids)

    def test_installed_reuses_equipment_of_the_serial(self):
        lot = self.serials[1]
        existing = self.env["fsm.equipment"].create(
            {
                "name": "Heater from stock",
                "product_id": self.heater.id,
                "lot_id": lot.id,
            }
        )
        self.assertEqual(lot.fsm_equipment_id, existing)
        self._log_until("inspected")
        with freeze_time("2026-12-02 03:00:00"):
            self._log(
                "installed",
                lot_id=lot.id,
                attachment_ids=[Command.set(self._photo().ids)],
            )
        self.assertEqual(
            self.env["fsm.equipment"].search([("lot_id", "=", lot.id)]), existing
        )
        self.assertEqual(existing.install_date, date(2026, 12, 2))
        self.assertEqual(existing.current_location_id, self.location)
        self.assertEqual(existing.name, "Heater from stock")

    def test_untracked_products_need_no_serial(self):
        install = self._sale([(self.lock, 1)]).install_order_ids
        self._log_until("confirmed", order=install)
        self.assertFalse(install.milestone_next_id)
        install.action_complete()
        self.assertEqual(install.install_state, "done")

    # check-in distance ------------------------------------------------
    def test_far_checkin_flagged(self):
        self._log_until("picked_up")
        log = self._log("arrived", latitude=FAR[0], longitude=FAR[1])
        self.assertTrue(log.distance_known)
        self.assertAlmostEqual(log.distance_km, 2.0, delta=0.1)
        self.assertTrue(log.far_from_site)
        self.assertIn("farther than the allowed 0.50 km", self._chatter())
        self.assertIn("Milestone logged: Arrived (door check-in)", self._chatter())

    def test_near_checkin_not_flagged_and_distance_configurable(self):
        self._log_until("picked_up")
        near = self._log("arrived", latitude=NEAR[0], longitude=NEAR[1])
        self.assertFalse(near.far_from_site)
        self.assertAlmostEqual(near.distance_km, 0.2, delta=0.05)
        # the GPS at the logistics point is far but is not a check-in
        self.assertFalse(self.install.milestone_log_ids[0].far_from_site)
        self.assertTrue(self.install.milestone_log_ids[0].distance_known)

        other = self._sale([(self.lock, 1)]).install_order_ids
        settings = Form(self.env["res.config.settings"])
        settings.milestone_checkin_max_km = 5.0
        settings.save().execute()
        self.assertEqual(self.company.milestone_checkin_max_km, 5.0)
        self._log("picked_up", other, latitude=30.1, longitude=120.1)
        self.assertFalse(
            self._log("arrived", other, latitude=FAR[0], longitude=FAR[1]).far_from_site
        )

    def test_missing_coordinates_no_crash(self):
        self.location.write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        self._log_until("picked_up")
        log = self._log("arrived", latitude=FAR[0], longitude=FAR[1])
        self.assertFalse(log.distance_known)
        self.assertFalse(log.far_from_site)
        self.assertEqual(log.distance_km, 0.0)
        self.assertIn(
            "distance unknown: the location has no coordinates", self._chatter()
        )

    # inspection -------------------------------------------------------
    def test_inspection_fail_blocks_and_pass_unblocks(self):
        self._log_until("arrived")
        with freeze_time("2026-12-01 08:00:00"):
            self._log(
                "inspected",
                attachment_ids=[Command.set(self._photo().ids)],
                inspection_result="fail",
                note="Dented casing",
            )
        install = self.install
        self.assertEqual(install.install_blocked_reason, "goods_damaged")
        self.assertEqual(install.sla_pause_reason, "goods_damaged")
        self.assertEqual(install.sla_paused_since, datetime(2026, 12, 1, 8, 0))
        activity = install.activity_ids.filtered(
            lambda a: a.summary == "Send replacement goods"
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.dispatcher_user)
        self.assertIn(self.heater.name, activity.note)
        self.assertIn(install.name, activity.note)
        # nothing goes on until a new inspection passes
        self.assertEqual(install.milestone_next_id, self.ms["inspected"])
        with self.assertRaisesRegex(UserError, "Log 'Goods inspected' first"):
            self._log(
                "installed",
                lot_id=self.serials[0].id,
                attachment_ids=[Command.set(self._photo().ids)],
            )
        with self.assertRaisesRegex(UserError, "cannot be completed yet"):
            install.action_complete()

        with freeze_time("2026-12-03 08:00:00"):
            self._log(
                "inspected",
                attachment_ids=[Command.set(self._photo().ids)],
                inspection_result="pass",
            )
        self.assertFalse(install.install_blocked_reason)
        self.assertFalse(install.sla_paused_since)
        self.assertFalse(install.sla_pause_reason)
        self.assertEqual(install.milestone_next_id, self.ms["installed"])
        self.assertIn("SLA clock resumed after 48.0 h paused", self._chatter())

    def test_failed_inspection_keeps_an_earlier_pause(self):
        self.install._sla_pause("customer_absent")
        since = self.install.sla_paused_since
        self._log_until("arrived")
        self._log(
            "inspected",
            attachment_ids=[Command.set(self._photo().ids)],
            inspection_result="fail",
        )
        self.assertEqual(self.install.install_blocked_reason, "goods_damaged")
        self.assertEqual(self.install.sla_pause_reason, "customer_absent")
        self.assertEqual(self.install.sla_paused_since, since)
        self._log(
            "inspected",
            attachment_ids=[Command.set(self._photo().ids)],
            inspection_result="pass",
        )
        # only the reason that paused resumes the clock
        self.assertFalse(self.install.install_blocked_reason)
        self.assertEqual(self.install.sla_pause_reason, "customer_absent")

    # append-only, access --------------------------------------------------
    def test_log_is_append_only(self):
        self._log_until("picked_up")
        log = self.install.milestone_log_ids
        with self.assertRaisesRegex(UserError, "append-only"):
            log.note = "changed"
        with self.assertRaisesRegex(UserError, "append-only"):
            log.unlink()
        as_manager = log.with_user(self.manager)
        self.assertEqual(as_manager.milestone_id, self.ms["picked_up"])
        with self.assertRaisesRegex(UserError, "append-only"):
            as_manager.write({"latitude": 1.0})
        with self.assertRaises(AccessError):
            as_manager.unlink()
        with self.assertRaises(AccessError):
            log.with_user(self.technician).unlink()
        # the evidence cannot be removed either
        log_with_photo = self._log("arrived", latitude=NEAR[0], longitude=NEAR[1])
        photo = self._photo()
        self._log(
            "inspected",
            attachment_ids=[Command.set(photo.ids)],
            inspection_result="pass",
        )
        self.assertEqual(photo.res_model, "fsm.order.milestone.log")
        with self.assertRaises(AccessError):
            photo.with_user(self.manager).unlink()
        self.assertTrue(log_with_photo.exists())

    def test_order_with_log_cannot_be_deleted(self):
        order = self.env["fsm.order"].create(
            {"location_id": self.location.id, "type": self.install_type.id}
        )
        self._log("picked_up", order, latitude=30.1, longitude=120.1)
        with self.assertRaisesRegex(UserError, "have logged milestones"):
            order.unlink()
        self.assertTrue(order.exists())

    def test_logged_template_cannot_be_deleted(self):
        self._log_until("picked_up")
        with self.assertRaisesRegex(UserError, "Archive them instead"):
            self.ms["picked_up"].unlink()
        unused = self.env["fsm.milestone.template"].create(
            {
                "order_type_id": self.ms["confirmed"].order_type_id.id,
                "code": "photo_of_site",
                "name": "Photo of the site",
                "sequence": 60,
            }
        )
        unused.unlink()  # logged nowhere (the demo data logs the defaults)
        self.assertTrue(self.ms["picked_up"].exists())

    def test_technician_logs_but_cannot_configure(self):
        install = self.install.with_user(self.technician)
        self.assertEqual(install.milestone_next_id, self.ms["picked_up"])
        log = self._log(
            "picked_up", user=self.technician, latitude=30.1, longitude=120.1
        )
        self.assertEqual(log.user_id, self.technician)
        with self.assertRaises(AccessError):
            self.ms["picked_up"].with_user(self.technician).name = "Other"
        self.ms["picked_up"].with_user(self.manager).name = "Collected"
        self.assertEqual(self.ms["picked_up"].name, "Collected")

    def test_timestamp_and_author_set_by_server(self):
        # naming them is refused (they used to be silently replaced), for
        # every user, the superuser included; nothing is logged
        for user, env in ((self.technician, None), (None, self.env(su=True))):
            with self.assertRaisesRegex(UserError, "Logged by") as caught:
                model = self.env["fsm.order.milestone.log"]
                (model.with_env(env) if env else model.with_user(user)).create(
                    {
                        "order_id": self.install.id,
                        "milestone_id": self.ms["picked_up"].id,
                        "latitude": 30.1,
                        "longitude": 120.1,
                        "timestamp": "2020-01-01 00:00:00",
                        "user_id": self.manager.id,
                        "distance_km": 0.0,
                    }
                )
            self.assertIn("Distance to Site", str(caught.exception))
            self.assertFalse(self.install.milestone_log_ids)
        log = self._log(
            "picked_up", user=self.technician, latitude=30.1, longitude=120.1
        )
        self.assertEqual(log.user_id, self.technician)
        self.assertGreater(log.timestamp, datetime(2025, 1, 1))
        # and the author under sudo is the current user, not the superuser
        log = (
            self.env["fsm.order.milestone.log"]
            .with_user(self.technician)
            .sudo()
            .create(
                {
                    "order_id": self.install.id,
                    "milestone_id": self.ms["arrived"].id,
                    "latitude": NEAR[0],
                    "longitude": NEAR[1],
                }
            )
        )
        self.assertEqual(log.user_id, self.technician)

    def test_log_entries_never_change(self):
        """Every field of an entry is the server's: written by nobody, the
        administrator and the superuser included; context defaults are
        refused too (they would skip the order's rules)."""
        log = self._log("picked_up", latitude=30.1, longitude=120.1)
        for env in (self.env, self.env(su=True)):
            for vals in (
                {"latitude": 0.0},
                {"timestamp": "2020-01-01 00:00:00"},
                {"note": "changed"},
                {"lot_id": self.serials[0].id},
            ):
                with self.assertRaises(UserError):
                    log.with_env(env).write(vals)
        self.assertEqual(log.latitude, 30.1)
        self.assertFalse(log.note)
        with self.assertRaisesRegex(UserError, "Latitude"):
            self.env["fsm.order.milestone.log"].with_context(
                default_latitude=95.0
            ).create(
                {"order_id": self.install.id, "milestone_id": self.ms["arrived"].id}
            )
        with self.assertRaisesRegex(UserError, "GPS position sent is not valid"):
            self._log("arrived", latitude=95.0, longitude=NEAR[1])
        self.assertEqual(len(self.install.milestone_log_ids), 1)

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Milestones Co. B"})
        user_b = new_test_user(
            self.env,
            login="ms_technician_b",
            groups="fieldservice.group_fsm_user_own",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self._log_until("picked_up")
        log = self.install.milestone_log_ids
        self.assertEqual(log.company_id, self.company)
        logs_b = self.env["fsm.order.milestone.log"].with_user(user_b)
        self.assertFalse(logs_b.search([("id", "=", log.id)]))
        with self.assertRaises(AccessError):
            log.with_user(user_b).read(["note"])
        self.assertEqual(
            self.env["fsm.order.milestone.log"]
            .with_user(self.technician)
            .search([("id", "=", log.id)]),
            log,
        )

    # the wizard, as a technician would --------------------------------
    def _wizard_form(self, user):
        action = self.install.with_user(user).action_log_milestone()
        self.assertEqual(action["res_model"], "fsm.milestone.log.wizard")
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )

    def test_wizard_logs_each_milestone(self):
        tech = self.technician
        with self._wizard_form(tech) as wizard:
            self.assertEqual(wizard.milestone_id, self.ms["picked_up"])
            self.assertTrue(wizard.require_gps)
            self.assertFalse(wizard.require_photo)
            wizard.latitude, wizard.longitude = 30.1, 120.1
        wizard.record.action_log()

        with self._wizard_form(tech) as wizard:
            self.assertEqual(wizard.milestone_id, self.ms["arrived"])
            wizard.latitude, wizard.longitude = FAR
        wizard.record.action_log()
        self.assertTrue(self.install.milestone_log_ids[-1].far_from_site)

        with self._wizard_form(tech) as wizard:
            self.assertEqual(wizard.milestone_id, self.ms["inspected"])
            self.assertTrue(wizard.require_inspection)
            wizard.inspection_result = "pass"
            wizard.attachment_ids.add(self._photo(tech))
        wizard.record.action_log()
        log = self.install.milestone_log_ids[-1]
        self.assertEqual(log.inspection_result, "pass")
        self.assertEqual(log.attachment_ids.res_model, log._name)
        self.assertEqual(log.attachment_ids.res_id, log.id)

        for lot in self.serials:
            with self._wizard_form(tech) as wizard:
                self.assertEqual(wizard.milestone_id, self.ms["installed"])
                wizard.lot_id = lot
                wizard.attachment_ids.add(self._photo(tech))
            self.assertEqual(wizard.record.allowed_lot_ids, self.serials)
            wizard.record.action_log()
        self.assertEqual(
            self.env["fsm.equipment"]
            .search([("lot_id", "in", self.serials.ids)])
            .lot_id,
            self.serials,
        )

        with self._wizard_form(tech) as wizard:
            self.assertEqual(wizard.milestone_id, self.ms["confirmed"])
            self.assertTrue(wizard.require_signature)
            wizard.signature = SIGNATURE
            wizard.note = "Customer happy"
        wizard.record.action_log()
        self.assertEqual(self.install.milestone_log_ids[-1].note, "Customer happy")
        self.assertEqual(
            self.install.milestone_log_ids.user_id,
            tech,
            "every entry by the technician",
        )
        self.install.with_user(tech).action_complete()
        self.assertEqual(self.install.install_state, "done")
        with self.assertRaisesRegex(UserError, "is closed"):
            self.install.action_log_milestone()

    def test_wizard_refuses_missing_evidence(self):
        with self._wizard_form(self.technician) as wizard:
            wizard.milestone_id = self.ms["arrived"]
            wizard.latitude, wizard.longitude = NEAR
        with self.assertRaisesRegex(UserError, "Log 'Picked up at logistics point'"):
            wizard.record.action_log()
        self.assertFalse(self.install.milestone_log_ids)
