# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Money and ledger fields of the settlement are the server's, for every user
and through RPC: a write through ``/web/dataset/call_kw`` is refused and the
row is unchanged; the users' own actions still work; every action checks its
caller's group first."""

from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.fieldservice_install.tests.rpc_common import RpcMixin
from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from .common import SettlementCommon

CLERK = "master_settlement.group_settlement_user"
ACCOUNTANT = "master_settlement.group_settlement_manager"


@tagged("post_install", "-at_install")
class TestServerOwnedRpc(RpcMixin, HttpCase, SettlementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, login="owned_clerk", groups=CLERK)
        cls.accountant = new_test_user(
            cls.env, login="owned_accountant", groups=ACCOUNTANT
        )
        cls.dispatcher = new_test_user(
            cls.env,
            login="owned_dispatcher",
            groups="fieldservice_install.group_install_dispatcher",
        )
        cls.portal = new_test_user(
            cls.env, login="owned_portal", groups="base.group_portal"
        )
        cls.tech_a.partner_id = cls.portal.partner_id
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.password = "owned_admin"
        # a line in its dispute window, a billed one, a releasable one
        cls.disputed = cls._complete(cls.tech_b)
        cls.disputed._on_customer_confirmed(cls.today)
        cls.billed = cls._releasable(cls.tech_b)
        run = cls.env["settlement.run"].create(
            {"date_from": cls.today - timedelta(days=30), "date_to": cls.today}
        )
        run.with_context(settlement_sync=True).action_run()
        cls.bill = cls.billed.move_id
        cls.priced = cls._releasable(cls.tech_a)

    def _login(self, user):
        self.authenticate(
            user.login, "owned_admin" if user == self.admin else user.login
        )

    def _assert_refused(self, model, method, args, *fragments):
        """The call is refused with a UserError naming ``fragments``."""
        name, message = self._rpc_error(model, method, *args)
        self.assertEqual(name, "odoo.exceptions.UserError")
        for fragment in fragments:
            self.assertIn(fragment, message)

    # ------------------------------------------------------------------
    def test_money_and_ledger_writes_refused_for_everybody(self):
        """Clerk, accountant and administrator: a write of the amount, the
        fee, the payee, the ledger state of a line in its dispute window or
        the amount of a billed line is refused, naming the field, and the
        row is unchanged."""
        fnames = ["amount", "gross_amount", "partner_id", "ledger_state", "move_id"]
        cases = [
            (self.priced, {"amount": 1000.0}, "Net Amount"),
            (self.priced, {"gross_amount": 1000.0}, "Fee"),
            (self.priced, {"partner_id": "USER"}, "Payee"),
            (self.disputed, {"ledger_state": "releasable"}, "Ledger State"),
            (self.billed, {"amount": 1.0}, "Net Amount"),
            (self.billed, {"move_id": False, "run_id": False}, "Vendor Bill"),
        ]
        self.assertEqual(self.disputed.hold_reason, "dispute")
        self.assertEqual(self.billed.state, "billed")
        for user in (self.clerk, self.accountant, self.admin):
            self._login(user)
            for line, vals, label in cases:
                vals = {
                    key: user.partner_id.id if value == "USER" else value
                    for key, value in vals.items()
                }
                before = line.read(fnames)
                with self.subTest(user=user.login, vals=vals):
                    self._assert_refused(
                        "settlement.job.line",
                        "write",
                        [line.ids, vals],
                        label,
                        "owned by the server",
                    )
                    self.env.invalidate_all()
                    self.assertEqual(line.read(fnames), before)
        self.assertEqual(self.disputed.state, "held")
        self.assertEqual(self.billed.amount, self.bill.amount_total)

    def test_run_preview_and_bill_fields_refused(self):
        """A run's state and counters, a preview's figures and a bill's
        settlement marks are the server's too (a released bill cannot be made
        postable again by hand)."""
        run = self.billed.run_id
        run_bill = self.bill
        preview = self.env["settlement.run"].create(
            {"date_from": self.today, "date_to": self.today}
        )
        preview.action_preview()
        self.assertTrue(preview.preview_ids)
        run_bill.button_draft()
        self.assertTrue(run_bill.settlement_released)
        self._login(self.admin)
        for model, record, vals, label in [
            ("settlement.run", run, {"state": "draft"}, "State"),
            ("settlement.run", run, {"person_done": 0}, "Technicians Done"),
            ("settlement.run.preview", preview.preview_ids[:1], {"amount": 9}, "Bill"),
            (
                "account.move",
                run_bill,
                {"settlement_released": False},
                "Settlement Released",
            ),
            ("account.move", run_bill, {"settlement_run_id": False}, "Settlement Run"),
        ]:
            with self.subTest(model=model, vals=vals):
                before = record.read(list(vals))
                self._assert_refused(model, "write", [record.ids, vals], label)
                self.env.invalidate_all()
                self.assertEqual(record.read(list(vals)), before)
        # the run's period and journal are fixed once it started
        self._assert_refused(
            "settlement.run",
            "write",
            [run.ids, {"date_to": str(self.today)}],
            "has started",
        )
        self._assert_refused(
            "settlement.run",
            "create",
            [
                {
                    "date_from": str(self.today),
                    "date_to": str(self.today),
                    "state": "done",
                }
            ],
            "State",
        )

    def test_allowed_actions_still_work(self):
        """The clerk adds a penalty (the line reprices), the accountant
        releases a quality hold, previews and runs a settlement."""
        self._login(self.clerk)
        net = self.priced.amount
        self._rpc(
            "settlement.job.line",
            "write",
            self.priced.ids,
            {
                "penalty_ids": [
                    Command.create(
                        {"kind": "rework", "amount": 25.0, "evidence": "Redone"}
                    )
                ]
            },
        )
        self.env.invalidate_all()
        self.assertEqual(self.priced.amount, net - 25.0)
        self.assertEqual(self.priced.penalty_amount, 25.0)
        # a penalty the system applied stays as applied
        order = self._order(self.tech_a)
        with server_owned_writes():
            order.sla_breached = True
        order.action_complete()
        late = order.settlement_line_ids.penalty_ids
        self.assertTrue(late.automatic)
        self._assert_refused(
            "settlement.job.penalty",
            "write",
            [late.ids, {"amount": 0.01}],
            "applied by the system",
        )
        self.env.invalidate_all()
        self.assertEqual(late.amount, 15.0)

        quality = self._releasable(self.tech_b)
        quality.fsm_order_id.rating_ids._rate(1, "Leak")
        self.assertEqual(quality.hold_reason, "quality")
        self._login(self.accountant)
        self._rpc("settlement.job.line", "action_release_quality", quality.ids)
        self.env.invalidate_all()
        self.assertEqual(quality.state, "releasable")
        run_id = self._rpc(
            "settlement.run",
            "create",
            {"date_from": str(self.today), "date_to": str(self.today)},
        )
        run = self.env["settlement.run"].browse(run_id)
        for method in ("action_preview", "action_run"):
            self._rpc(
                "settlement.run", method, run.ids, context={"settlement_sync": True}
            )
        self.env.invalidate_all()
        self.assertEqual(run.state, "done")
        self.assertEqual(self.priced.state, "billed")
        self.assertEqual(quality.state, "billed")

    def test_actions_check_the_caller_first(self):
        """Each action refuses a caller outside its group, before reading or
        writing anything."""
        run = self.env["settlement.run"].create(
            {"date_from": self.today, "date_to": self.today}
        )
        quality = self._releasable(self.tech_b)
        quality.fsm_order_id.rating_ids._rate(1, "Leak")
        order = self.priced.fsm_order_id
        for user, model, method, record in [
            (self.clerk, "settlement.run", "action_preview", run),
            (self.clerk, "settlement.run", "action_run", run),
            (self.clerk, "settlement.job.line", "action_release_quality", quality),
            (
                self.clerk,
                "settlement.job.line",
                "action_apply_quality_penalty",
                quality,
            ),
            (self.clerk, "settlement.rate.card", "action_new_version", self.card),
            (self.clerk, "fsm.order", "action_create_settlement_line", order),
            (self.dispatcher, "fsm.order", "action_view_settlement_lines", order),
            (self.dispatcher, "settlement.run", "action_view_bills", run),
            (self.portal, "settlement.job.line", "action_view_bill", self.priced),
        ]:
            self._login(user)
            with self.subTest(user=user.login, method=method):
                name, _message = self._rpc_error(model, method, record.ids)
                self.assertEqual(name, "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertEqual(run.state, "draft")
        self.assertFalse(run.preview_ids)
        self.assertEqual(quality.hold_reason, "quality")
        self.assertFalse(quality.penalty_ids)
        self.assertFalse(self.card.date_to)
