# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from .common import SettlementCommon


class TestSecurity(SettlementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line_a = cls._releasable(cls.tech_a)
        cls.line_b = cls._releasable(cls.tech_b)
        cls.portal = new_test_user(
            cls.env, login="settle_portal", groups="base.group_portal"
        )
        cls.tech_a.partner_id = cls.portal.partner_id
        cls.clerk = new_test_user(
            cls.env,
            login="settle_clerk2",
            groups="master_settlement.group_settlement_user",
        )

    def test_portal_technician_sees_only_own_lines(self):
        lines = self.env["settlement.job.line"].with_user(self.portal).search([])
        self.assertEqual(lines, self.line_a)
        self.assertEqual(lines.amount, self.line_a.amount)
        with self.assertRaises(AccessError):
            self.line_b.with_user(self.portal).read(["amount"])
        with self.assertRaises(AccessError):
            self.line_a.with_user(self.portal).check_access("write")
        with self.assertRaises(UserError):
            self.line_a.with_user(self.portal).write({"note": "x"})

    def test_clerk_reads_but_does_not_run(self):
        lines = self.env["settlement.job.line"].with_user(self.clerk).search([])
        self.assertIn(self.line_b, lines)
        with self.assertRaises(AccessError):
            self.env["settlement.run"].with_user(self.clerk).create(
                {"date_from": self.today, "date_to": self.today}
            )
        with self.assertRaises(AccessError):
            self.card.with_user(self.clerk).write({"commission_pct": 1})

    def test_clerk_opens_the_runs_with_their_bill_figures(self):
        """The run list shows the bills' count and total to a clerk, who may
        not read journal entries (the Settlement Runs menu raised an access
        error)."""
        run = self.env["settlement.run"].create(
            {"date_from": self.today, "date_to": self.today}
        )
        run.with_context(settlement_sync=True).action_run()
        self.assertEqual(run.bill_count, 2)
        clerk_run = run.with_user(self.clerk)
        clerk_run.invalidate_recordset()
        self.assertEqual(clerk_run.bill_count, 2)
        self.assertEqual(clerk_run.amount_total, run.amount_total)

    def test_dispatcher_completes_without_settlement_rights(self):
        dispatcher = new_test_user(
            self.env,
            login="settle_dispatcher",
            groups="fieldservice_install.group_install_dispatcher",
        )
        order = self._order(self.tech_b)
        with Form(order.with_user(dispatcher)) as form:
            form.settle_distance_km = 20.0
        order.with_user(dispatcher).action_complete()
        line = order.settlement_line_ids
        self.assertEqual(line.person_id, self.tech_b)
        self.assertEqual(line.surcharge_amount, 20.0)  # 10 km beyond x 2
        with self.assertRaises(AccessError):
            line.with_user(dispatcher).read(["amount"])

    def test_other_company_lines_hidden(self):
        other = self.env["res.company"].create({"name": "Other Settle Co"})
        user = new_test_user(
            self.env,
            login="settle_other",
            groups="master_settlement.group_settlement_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.env["settlement.job.line"].with_user(user).search([]))
        self.assertFalse(self.env["settlement.rate.card"].with_user(user).search([]))


class TestSettings(SettlementCommon):
    def test_settings_form(self):
        with Form(self.env["res.config.settings"]) as form:
            form.settlement_max_payout_days = 21
            form.settlement_carry_cap = 300.0
        self.assertEqual(self.company.settlement_max_payout_days, 21)
        self.assertEqual(self.company.settlement_carry_cap, 300.0)
