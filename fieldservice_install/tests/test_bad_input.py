# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError, ValidationError

from .common import InstallCommon


class TestInstallBadInput(InstallCommon):
    def test_incomplete_address_flagged_with_activity(self):
        dispatcher = self.env["res.users"].create(
            {"name": "Dispatcher Zhao", "login": "dispatcher_zhao"}
        )
        self.company.install_dispatcher_id = dispatcher
        customer = self.env["res.partner"].create(
            {"name": "Chen Jie", "city": "Nanjing"}  # no street
        )
        order = self._sale([(self.heater, 1)], partner=customer)
        self.assertEqual(order.state, "sale")
        install = order.install_order_ids
        self.assertEqual(len(install), 1)
        self.assertTrue(install.address_incomplete)
        activity = install.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, dispatcher)
        self.assertEqual(activity.summary, "Address incomplete")
        # completing the address clears the flag
        customer.street = "12 Zhongshan Road"
        self.assertFalse(install.address_incomplete)

    def test_incomplete_address_activity_falls_back_to_salesperson(self):
        salesman = self.env["res.users"].create(
            {"name": "Sales Sun", "login": "sales_sun"}
        )
        customer = self.env["res.partner"].create(
            {"name": "No City", "street": "1 Road"}
        )
        order = self._sale([(self.lock, 1)], partner=customer, user_id=salesman.id)
        self.assertEqual(order.install_order_ids.activity_ids.user_id, salesman)

    def test_complete_address_has_no_activity(self):
        order = self._sale([(self.lock, 1)])
        self.assertFalse(order.install_order_ids.address_incomplete)
        self.assertFalse(order.install_order_ids.activity_ids)

    def test_duration_defaults_to_order_type(self):
        self.install_type.install_default_duration = 3.0
        order = self._sale([(self.lock, 2)])
        self.assertAlmostEqual(order.install_order_ids.scheduled_duration, 6.0)

    def test_negative_default_duration_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.install_type.install_default_duration = -2

    def test_negative_buffer_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.install_buffer_days = -1

    def test_archived_product_and_partner(self):
        order = self._sale([(self.heater, 1)], confirm=False)
        self.heater.active = False
        self.customer.active = False
        order.action_confirm()
        install = order.install_order_ids
        self.assertEqual(install.install_line_ids.product_id, self.heater)
        self.assertEqual(install.location_id.partner_id, self.customer)
        # a second order for the archived customer reuses its location
        self.heater.active = True
        again = self._sale([(self.heater, 1)])
        self.assertEqual(again.install_order_ids.location_id, install.location_id)

    def test_confirm_date_without_planned_start(self):
        order = self._sale([(self.lock, 1)])
        install = order.install_order_ids
        install.scheduled_date_start = False
        with self.assertRaisesRegex(UserError, install.name):
            install.action_confirm_install_date()

    def test_install_line_quantity_must_be_positive(self):
        order = self._sale([(self.lock, 1)])
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            order.install_order_ids.install_line_ids.quantity = 0
