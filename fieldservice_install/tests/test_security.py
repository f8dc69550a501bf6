# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import InstallCommon


class TestInstallSecurity(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="install_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.dispatcher = new_test_user(
            cls.env,
            login="install_dispatcher",
            groups="fieldservice_install.group_install_dispatcher",
        )
        cls.technician = new_test_user(
            cls.env, login="install_technician", groups="fieldservice.group_fsm_user"
        )

    def test_groups_hierarchy(self):
        manager_group = self.env.ref("fieldservice_install.group_install_manager")
        dispatcher_group = self.env.ref("fieldservice_install.group_install_dispatcher")
        self.assertIn(dispatcher_group, manager_group.all_implied_ids)
        self.assertIn(
            self.env.ref("fieldservice.group_fsm_manager"),
            manager_group.all_implied_ids,
        )
        self.assertEqual(
            manager_group.privilege_id,
            self.env.ref("fieldservice_install.res_groups_privilege_install"),
        )

    def test_salesman_confirms_without_field_service_rights(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        (0, 0, {"product_id": self.lock.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.install_order_count, 1)
        self.assertEqual(order.install_state, "to_plan")
        with self.assertRaises(AccessError):
            order.install_order_ids.read(["name"])

    def test_dispatcher_plans_and_technician_reads(self):
        order = self._sale([(self.lock, 1)])
        install = order.install_order_ids
        as_dispatcher = install.with_user(self.dispatcher)
        as_dispatcher.install_line_ids.sequence = 5
        as_dispatcher.action_confirm_install_date()
        self.assertTrue(install.install_date_confirmed)

        as_technician = install.with_user(self.technician)
        self.assertEqual(as_technician.install_line_ids.product_id, self.lock)
        with self.assertRaises(AccessError):
            as_technician.install_line_ids.write({"sequence": 2})
        with self.assertRaises(AccessError):
            as_technician.install_line_ids.unlink()

    def test_multi_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Dealer Co. B"})
        user_b = new_test_user(
            self.env,
            login="install_dispatcher_b",
            groups="fieldservice_install.group_install_dispatcher",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        order_a = self._sale([(self.lock, 1)])
        line_a = order_a.install_order_ids.install_line_ids
        lines_seen_by_b = self.env["fsm.install.line"].with_user(user_b).search([])
        self.assertNotIn(line_a, lines_seen_by_b)
        orders_seen_by_b = self.env["fsm.order"].with_user(user_b).search([])
        self.assertNotIn(order_a.install_order_ids, orders_seen_by_b)

        order_b = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company_b.id,
                    "order_line": [
                        (0, 0, {"product_id": self.lock.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        order_b.with_company(company_b).action_confirm()
        install_b = order_b.install_order_ids
        self.assertEqual(install_b.company_id, company_b)
        self.assertEqual(install_b.warehouse_id.company_id, company_b)
        self.assertEqual(
            self.env["fsm.install.line"].with_user(user_b).search([]),
            install_b.install_line_ids,
        )
