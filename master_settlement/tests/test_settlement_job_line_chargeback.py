# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Chargebacks of paid jobs (settlement_job_line_chargeback.py)."""

from odoo.exceptions import UserError
from odoo.tests import Form

from .common import SettlementRunCommon


class TestSettlementJobLineChargeback(SettlementRunCommon):
    def test_chargeback_next_run_and_carry_forward(self):
        """Chargebacks that exceed a technician's earnings of a period are a
        posted vendor credit note (the technician owes it, on his payable
        account), no float on a job line; the next runs' bills net it,
        capped per period, by reconciliation: after each run the payable
        balance and what is still owed are what the engine says."""
        partner = self.tech_b.partner_id
        self._start(self._run())
        # the accountant's Chargeback button on the paid job
        wizard = Form(
            self.env["settlement.chargeback.wizard"]
            .with_user(self._accountant())
            .with_context(default_job_line_id=self.b1.id)
        )
        self.assertEqual(wizard.job_line_id, self.b1)
        wizard.amount = 500.0
        wizard.reason = "Refund: unit leaked"
        action = wizard.save().action_confirm()
        chargeback = self.env["settlement.job.line"].browse(action["res_id"])
        self.assertEqual(chargeback.amount, -500.0)
        self.assertEqual(chargeback.state, "releasable")
        new_b = self._releasable(self.tech_b)
        balance_before = self._payable_balance(partner)  # the first bill, unpaid
        run = self._start(self._run())
        # net negative: no bill, a credit note of the period's lines
        refund = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_b)
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.state, "posted")
        self._assert_amounts_as_odoo_makes_them(refund)
        self.assertEqual(refund.partner_id, partner)
        owed = 500.0 - new_b.amount
        self.assertAlmostEqual(refund.amount_total, owed)
        self.assertEqual(
            sorted(refund.invoice_line_ids.settlement_job_line_id.ids),
            sorted((chargeback | new_b).ids),
        )
        self.assertEqual((chargeback | new_b).mapped("state"), ["settled", "settled"])
        self.assertEqual((chargeback | new_b).move_id, refund)
        self.assertFalse(
            self.env["settlement.job.line"].search(
                [("person_id", "=", self.tech_b.id), ("amount", "=", -owed)]
            ),
            "no balance line in the ledger",
        )
        self.assertAlmostEqual(
            self._payable_balance(partner) - balance_before, owed, places=2
        )
        self.assertAlmostEqual(self._open_debit(partner), owed, places=2)
        preview = self._run()
        preview.action_preview()
        self.assertFalse(preview.preview_ids)  # nothing releasable
        self.assertEqual(run.bill_count, 0)  # a credit note is no bill
        # next period: the balance is netted, capped per period
        self.company.settlement_carry_cap = 100.0
        jobs = self.env["settlement.job.line"]
        for _i in range(6):
            jobs |= self._releasable(self.tech_b)
        earned = sum(jobs.mapped("amount"))
        preview = self._run()
        preview.action_preview()
        row = preview.preview_ids.filtered(lambda r: r.person_id == self.tech_b)
        self.assertAlmostEqual(row.amount, earned)
        self.assertAlmostEqual(row.deduction, 100.0)
        self.assertAlmostEqual(row.carry_forward, -(owed - 100.0))
        before = self._payable_balance(partner)
        run = self._start(self._run())
        bill = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_b)
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertAlmostEqual(bill.amount_total, earned)
        # the technician is paid his earnings less the recovered 100
        self.assertAlmostEqual(bill.amount_residual, earned - 100.0)
        self.assertEqual(bill.payment_state, "partial")
        self.assertAlmostEqual(self._open_debit(partner), owed - 100.0, places=2)
        self.assertAlmostEqual(
            self._payable_balance(partner) - before, -earned, places=2
        )
        self.assertEqual(refund.payment_state, "partial")  # 100 recovered so far
        # without a cap, the next bill nets the rest
        self.company.settlement_carry_cap = 0.0
        last = self.env["settlement.job.line"]
        for _i in range(4):
            last |= self._releasable(self.tech_b)
        earned = sum(last.mapped("amount"))
        self.assertGreater(earned, owed - 100.0)
        run = self._start(self._run())
        bill = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_b)
        self.assertAlmostEqual(bill.amount_residual, earned - (owed - 100.0))
        self.assertAlmostEqual(self._open_debit(partner), 0.0)
        self.assertEqual(refund.payment_state, "paid")
        self.assertIn(refund, bill._get_reconciled_invoices())

    def test_chargeback_refused_before_settlement(self):
        with self.assertRaisesRegex(UserError, "not been settled"):
            self.a1._create_chargeback(10, "x")
