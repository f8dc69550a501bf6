# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from .common import WarrantyCommon


class TestCustomerDocuments(WarrantyCommon):
    """The claim decision mail and the warranty card PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "li.wei@example.com"
        cls.registration = cls._install_unit("CARD-SN1")
        cls.lot = cls.registration.lot_id
        cls.code = cls.registration.code_id

    def _customer_mails(self, claim):
        return claim.message_ids.filtered(
            lambda m: (
                m.message_type == "comment"
                and "decision on your claim" in (m.subject or "")
            )
        )

    def test_decision_mail_accepted(self):
        claim = self._claim(self.lot)
        self.assertFalse(self._customer_mails(claim))
        self._decide(claim, outcome="repair")
        message = self._customer_mails(claim)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.customer)
        self.assertIn("accepted", message.body)
        self.assertIn("repair the unit on site", message.body)
        self.assertTrue(
            self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        )

    def test_decision_mail_refused_to_reporter_email(self):
        claim = self._claim(
            self.lot, reporter_name="Walk-in", reporter_email="walkin@example.com"
        )
        claim.partner_id = False
        self._decide(claim, outcome="refuse", note="Frozen pipes are not covered.")
        self.assertEqual(claim.state, "refused")
        message = self._customer_mails(claim)
        self.assertEqual(len(message), 1)
        self.assertIn("walkin@example.com", message.partner_ids.mapped("email"))
        self.assertIn("not covered by the warranty", message.body)
        self.assertIn("Frozen pipes", message.body)

    def test_no_decision_mail_without_address(self):
        claim = self._claim(self.lot)
        self.customer.email = False
        self._decide(claim, outcome="repair")
        mails = self.env["mail.mail"].search(
            [("mail_message_id", "in", self._customer_mails(claim).ids)]
        )
        self.assertFalse(mails.filtered(lambda m: m.email_to or m.recipient_ids.email))

    def test_warranty_card(self):
        self.heater.barcode = "4006381333931"
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "warranty_claims.report_warranty_card", self.code.ids
            )[0]
        )
        self.assertIn("Warranty Card", html)
        self.assertIn(self.code.code, html)
        self.assertIn("CARD-SN1", html)
        self.assertIn("data:image/png;base64,", html)  # the QR code
        info = self.code._public_info()
        self.assertTrue(info["coverage"])
        for line in info["coverage"]:
            self.assertIn(line["name"], html)
            self.assertIn(line["end_date"], html)
        self.assertIn(self.code.verify_url.replace("&", "&amp;"), html)
        content, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
            "warranty_claims.warranty_code_report_card", self.code.ids
        )
        self.assertIn(b"Warranty Card", content)

    def test_warranty_card_before_installation(self):
        _sale, lot = self._sold_unit("CARD-SN2")
        code = self.env["warranty.code"].search([("lot_id", "=", lot.id)])
        self.assertTrue(code, "a delivered unit has its warranty code")
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "warranty_claims.report_warranty_card", code.ids
            )[0]
        )
        self.assertIn("set when the unit is installed", html)
        # no GTIN: the QR code links to the code page
        self.assertFalse(code.verify_url)
        self.assertIn("data:image/png;base64,", html)
        self.assertIn(f"/warranty/verify/{code.code}", html)
