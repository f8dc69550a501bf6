# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dispatch, stock points and installation sync: who may call what, which
fields only the server writes, and Odoo's own tracking."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..tools.server_owned import server_owned_writes
from .common import DispatchCommon


@tagged("post_install", "-at_install")
class TestDispatchTrust(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = new_test_user(
            cls.env,
            login="trust_dispatcher",
            groups="fieldservice_install.group_install_dispatcher",
        )
        # a field service user: reads and edits orders, does not dispatch
        cls.fsm_user = new_test_user(
            cls.env,
            login="trust_fsm_user",
            groups="fieldservice.group_fsm_user,sales_team.group_sale_salesman",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="trust_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.admin = cls.env.ref("base.user_admin")

    # -- callers ------------------------------------------------------------
    def test_dispatch_actions_refused_to_non_dispatchers(self):
        install = self._install_order()
        as_user = install.with_user(self.fsm_user)
        for action in (
            as_user.action_dispatch,
            as_user.action_compute_dispatch,
            as_user.action_confirm_install_date,
            self.near.with_user(self.fsm_user).action_reinstate,
        ):
            with (
                self.subTest(action=action.__name__),
                self.assertRaisesRegex(AccessError, "Only dispatchers"),
            ):
                action()
        self.assertFalse(install.person_id)
        self.assertFalse(install.dispatch_candidate_ids)
        self.assertFalse(install.install_date_confirmed)
        with self.assertRaisesRegex(AccessError, "Only dispatchers"):
            self.env["fsm.dispatch.batch"].with_user(self.fsm_user).with_context(
                active_model="fsm.order", active_ids=install.ids
            ).default_get(["order_ids"])
        wizard = (
            self.env["fsm.dispatch.batch"]
            .with_user(self.dispatcher)
            .with_context(active_model="fsm.order", active_ids=install.ids)
            .create({})
        )
        wizard.action_plan()
        with self.assertRaises(AccessError):
            wizard.with_user(self.fsm_user).action_apply()
        self.assertFalse(install.person_id)
        # a dispatcher does it all
        as_dispatcher = install.with_user(self.dispatcher)
        as_dispatcher.action_compute_dispatch()
        self.assertTrue(install.dispatch_candidate_ids)
        wizard.action_apply()
        self.assertEqual(install.person_id, self.near)
        as_dispatcher.action_confirm_install_date()
        self.assertTrue(install.install_date_confirmed)

    def test_sale_actions_check_the_caller(self):
        order = self._sale([(self.heater, 1)], confirm=False)
        other = new_test_user(
            self.env,
            login="trust_other_salesman",
            groups="sales_team.group_sale_salesman",
        )
        # this salesman sees their own quotations only
        with self.assertRaises(AccessError):
            order.with_user(other).action_match_stock_point()
        order.user_id = self.fsm_user
        order.with_user(self.salesman).action_match_stock_point()
        order.action_confirm()
        with self.assertRaisesRegex(AccessError, "field service users"):
            order.with_user(self.salesman).action_view_install_orders()
        action = order.with_user(self.fsm_user).action_view_install_orders()
        self.assertEqual(action["res_id"], order.install_order_ids.id)

    # -- server-owned fields -------------------------------------------------
    def _assert_refused(self, records, vals):
        """``vals`` refused on ``records`` for the dispatcher, the
        administrator and the superuser alike; nothing written."""
        before = records.read(list(vals))
        for user in (self.dispatcher, self.admin):
            with (
                self.subTest(model=records._name, user=user.login),
                self.assertRaisesRegex(UserError, "owned by the server"),
            ):
                records.with_user(user).write(vals)
        with self.assertRaisesRegex(UserError, "owned by the server"):
            records.sudo().write(vals)
        records.invalidate_recordset()
        self.assertEqual(records.read(list(vals)), before)

    def test_dispatch_results_are_server_owned(self):
        install = self._install_order()
        install.action_compute_dispatch()
        candidate = install.dispatch_candidate_ids[0]
        self._assert_refused(candidate, {"score": 0.99, "rank": 7})
        self._assert_refused(candidate, {"reasons": "none", "eligible": False})
        with self.assertRaisesRegex(UserError, "Rank Technicians"):
            self.env["fsm.dispatch.candidate"].with_user(self.dispatcher).create(
                {"order_id": install.id, "person_id": self.far.id, "score": 1.0}
            )
        self._assert_refused(
            install,
            {
                "install_state": "done",
                "install_ready": True,
                "install_date_confirmed": True,
            },
        )
        self._assert_refused(self.near, {"rating_avg": 5.0, "rating_count": 99})
        self._assert_refused(self.near, {"last_dispatch_date": "2020-01-01 00:00:00"})
        wizard = (
            self.env["fsm.dispatch.batch"]
            .with_user(self.dispatcher)
            .with_context(active_model="fsm.order", active_ids=install.ids)
            .create({})
        )
        wizard.action_plan()
        self._assert_refused(wizard, {"total_distance": 0.0, "state": "done"})
        self._assert_refused(wizard.line_ids, {"person_id": self.far.id})
        # a plan line made up through RPC: refused
        with self.assertRaisesRegex(UserError, "owned by the server"):
            wizard.write(
                {
                    "line_ids": [
                        (0, 0, {"order_id": install.id, "person_id": self.far.id})
                    ]
                }
            )
        self.assertEqual(wizard.line_ids.person_id, self.near)
        # the server's own code still writes them
        with server_owned_writes():
            candidate.score = 0.5
        self.assertEqual(candidate.score, 0.5)

    def test_stock_point_results_are_server_owned(self):
        order = self._sale([(self.heater, 1), (self.pipe, 1)], confirm=False)
        self.assertTrue(order.stock_point_candidate_ids)
        other = self.env["stock.warehouse"].create({"name": "Elsewhere", "code": "ELS"})
        self._assert_refused(
            order,
            {
                "stock_point_warehouse_id": other.id,
                "stock_point_mode": "uncovered",
                "stock_point_explanation": "made up",
            },
        )
        self._assert_refused(
            order.stock_point_candidate_ids[0], {"warehouse_id": other.id, "rank": 9}
        )
        self._assert_refused(
            order.order_line[0], {"stock_point_warehouse_id": other.id}
        )
        self._assert_refused(order, {"install_state": "done"})
        # what a salesman edits stays editable
        order.with_user(self.admin).write({"note": "Call before coming"})

    # -- tracking --------------------------------------------------------------
    def test_tracking_is_odoos_own(self):
        self.assertNotIn("install.mail.tracking.batch", self.env)
        for name in ("_message_track", "_message_log"):
            method = getattr(type(self.env["fsm.order"]), name)
            self.assertFalse(
                method.__module__.startswith("odoo.addons.fieldservice_install"),
                f"{name} is overridden by {method.__module__}",
            )
        orders = self._install_order() | self._install_order()
        self.env.flush_all()
        self.env.cr.precommit.run()  # created in an earlier transaction
        self.env["fsm.order"]._dispatch_assign_batch(
            {orders[0]: self.near.id, orders[1]: self.far.id}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are made at commit
        for order, name in zip(orders, ("Near Zhou", "Far Qian"), strict=True):
            notes = order.message_ids.filtered(lambda m: "Dispatched to" in m.body)
            self.assertEqual(len(notes), 1)
            self.assertIn(name, notes.body)
            tracked = order.message_ids.tracking_value_ids.filtered(
                lambda v: v.field_id.name == "install_state"
            )
            self.assertEqual(tracked.old_value_char, "To Plan")
            self.assertEqual(tracked.new_value_char, "Scheduled")
