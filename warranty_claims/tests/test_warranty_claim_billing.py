# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from .common import WarrantyCommon


class TestBrandBilling(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_brand = cls.env["res.partner"].create(
            {"name": "LockBrand Ltd.", "is_company": True}
        )
        cls.reg1 = cls._install_unit("BIL-SN1")
        cls.reg2 = cls._install_unit("BIL-SN2")

    def _done_claim(self, registration, costs):
        claim = self._claim(registration.lot_id, self.scratch, date(2026, 6, 1))
        self._decide(claim, outcome="quotation")
        claim.action_launch_outcome()
        for cost_class, amount in costs.items():
            self._line(claim, cost_class).cost = amount
        claim.action_done()
        return claim

    def _bill(self):
        form = Form(self.env["warranty.brand.billing"])
        wizard = form.save()
        return wizard, wizard.action_bill()

    def test_one_invoice_per_brand_one_line_per_claim_never_twice(self):
        first = self._done_claim(self.reg1, {"labour": 120.0, "parts": 50.0})
        second = self._done_claim(self.reg2, {"travel": 30.0})
        self.assertEqual(first.amount_covered, 120.0)  # parts not covered
        self.assertEqual(first.billing_state, "to_bill")
        wizard, action = self._bill()
        self.assertEqual(wizard.claim_count, 2)
        invoice = self.env["account.move"].browse(action["domain"][0][2])
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.partner_id, self.brand)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(len(invoice.invoice_line_ids), 2)
        self.assertEqual(invoice.amount_untaxed, 150.0)
        line = first.brand_invoice_line_id
        self.assertEqual(line.move_id, invoice)
        self.assertIn(first.name, line.name)
        self.assertIn("BIL-SN1", line.name)
        self.assertIn(self.reg1.code_id.code, line.name)
        self.assertIn("Installed", line.name)  # milestone evidence
        self.assertIn(self.reg1.install_order_id.name, line.name)
        self.assertEqual(first.billing_state, "billed")
        self.assertEqual(second.brand_invoice_id, invoice)
        # never billed twice
        with self.assertRaisesRegex(UserError, "No completed claim"):
            self._bill()
        self.assertFalse(self.env["warranty.claim"]._bill_brands())

    def test_claims_of_other_brands_get_their_own_invoice(self):
        first = self._done_claim(self.reg1, {"labour": 100.0})
        second = self._done_claim(self.reg2, {"labour": 80.0})
        with server_owned_writes():  # a claim on another brand's product
            second.brand_id = self.other_brand
        invoices = self.env["warranty.claim"]._bill_brands()
        self.assertEqual(len(invoices), 2)
        self.assertEqual(
            set(invoices.mapped("partner_id").ids), {self.brand.id, self.other_brand.id}
        )
        self.assertNotEqual(first.brand_invoice_id, second.brand_invoice_id)

    def test_cancelled_or_deleted_invoice_puts_claims_back(self):
        claim = self._done_claim(self.reg1, {"labour": 100.0})
        invoice = self.env["warranty.claim"]._bill_brands()
        invoice.action_post()
        invoice.button_draft()
        invoice.button_cancel()
        self.assertEqual(claim.billing_state, "to_bill")
        again = self.env["warranty.claim"]._bill_brands()
        self.assertNotEqual(again, invoice)
        self.assertEqual(claim.brand_invoice_id, again)
        self.assertEqual(claim.billing_state, "billed")
        again.unlink()
        self.assertFalse(claim.brand_invoice_line_id)
        self.assertEqual(claim.billing_state, "to_bill")

    def test_cron_bills_and_nothing_without_brand(self):
        claim = self._done_claim(self.reg1, {"labour": 100.0})
        with server_owned_writes():  # a product without brand
            claim.brand_id = False
        self.assertEqual(claim.billing_state, "none")
        self.env["warranty.claim"]._cron_bill_brands()
        self.assertFalse(claim.brand_invoice_line_id)
        with server_owned_writes():
            claim.brand_id = self.brand
        self.env["warranty.claim"]._cron_bill_brands()
        self.assertEqual(claim.billing_state, "billed")
