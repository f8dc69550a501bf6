# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The settlement run's checks before it bills (settlement_run.py)."""

from odoo.exceptions import UserError

from .common import SettlementRunCommon


class TestSettlementRun(SettlementRunCommon):
    def test_lock_date_refused_nothing_written(self):
        self.company.purchase_lock_date = self.today
        run = self._run()
        with self.assertRaisesRegex(UserError, "locked"):
            run.action_run()
        self.assertEqual(run.state, "draft")
        self.assertFalse(
            self.env["account.move"].search([("settlement_run_id", "=", run.id)])
        )
        self.assertEqual(self.a1.state, "releasable")

    def test_foreign_currency_journal_refused(self):
        other = self.env.ref("base.EUR")
        if other == self.company.currency_id:
            other = self.env.ref("base.USD")
        journal = self.env["account.journal"].create(
            {
                "name": "Foreign bills",
                "code": "FBIL",
                "type": "purchase",
                "currency_id": other.id,
            }
        )
        with self.assertRaisesRegex(UserError, "company currency"):
            self._run(journal_id=journal).action_run()
