# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError

from .common import DispatchCommon


class TestSla(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["fsm.milestone.template"].search([]).active = False
        cls.policy = cls.env["fsm.sla.policy"].create(
            {
                "name": "Installation normal",
                "order_type_id": cls.install_type.id,
                "priority": "0",
                "first_contact_hours": 4,
                "arrival_hours": 48,
                "completion_hours": 72,
                "warn_hours": 2,
            }
        )

    def test_deadlines_and_breach(self):
        install = self._install_order()
        self.assertEqual(install.sla_policy_id, self.policy)
        created = install.create_date
        self.assertEqual(
            install.sla_first_contact_deadline, created + timedelta(hours=4)
        )
        self.assertEqual(install.sla_completion_deadline, created + timedelta(hours=72))
        with freeze_time(created + timedelta(hours=5)):
            self.env["fsm.order"]._cron_sla_watch()
        self.assertTrue(install.sla_breached)
        breached = self.env["fsm.order"].search([("sla_breached", "=", True)])
        self.assertIn(install, breached)

    def test_warning_before_breach(self):
        install = self._install_order()
        with freeze_time(install.create_date + timedelta(hours=3)):
            self.env["fsm.order"]._cron_sla_watch()
            self.env["fsm.order"]._cron_sla_watch()  # warns once
        warnings = install.activity_ids.filtered(lambda a: "SLA" in (a.summary or ""))
        self.assertEqual(len(warnings), 1)
        self.assertFalse(install.sla_breached)

    def test_contact_in_time_and_pause_stops_the_clock(self):
        install = self._install_order()
        created = install.create_date
        with freeze_time(created + timedelta(hours=1)):
            install.action_customer_contacted()
        with freeze_time(created + timedelta(hours=10)):
            install._sla_pause("customer_absent")
        with freeze_time(created + timedelta(hours=40)):
            install._sla_resume()
        install.date_start = created + timedelta(hours=45)  # arrived in time
        self.assertAlmostEqual(install.sla_paused_hours, 30, places=2)
        self.assertEqual(
            install.sla_completion_deadline, created + timedelta(hours=72 + 30)
        )
        with freeze_time(created + timedelta(hours=80)):
            self.env["fsm.order"]._cron_sla_watch()
        self.assertFalse(install.sla_breached)

    def test_policy_hours_validated(self):
        with self.assertRaisesRegex(ValidationError, "must not decrease"):
            self.policy.arrival_hours = 100
