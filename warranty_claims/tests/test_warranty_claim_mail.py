# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from .common import WarrantyCommon

MAIL = """Return-Path: <{email_from}>
To: warranty@example.com
From: {email_from}
Subject: {subject}
Message-ID: <{msgid}@example.com>
Date: Mon, 1 Jun 2026 10:00:00 +0800
Content-Type: text/plain; charset="utf-8"

{body}
"""


class TestClaimEmail(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration = cls._install_unit("MAIL-SN1")
        cls.alias = cls.env.ref("warranty_claims.mail_alias_warranty_claim")

    def _receive(self, subject, body, msgid):
        mail = MAIL.format(
            email_from="Li Wei <li.wei@example.com>",
            subject=subject,
            body=body,
            msgid=msgid,
        )
        claim_id = self.env["mail.thread"].message_process(
            "warranty.claim", mail.encode()
        )
        return self.env["warranty.claim"].browse(claim_id)

    def test_alias_record(self):
        self.assertEqual(self.alias.alias_model_id.model, "warranty.claim")
        self.assertEqual(self.alias.alias_name, "warranty")

    def test_serial_in_subject(self):
        claim = self._receive(
            "Heater MAIL-SN1 broken", "No hot water since Monday.", "m1"
        )
        self.assertEqual(claim.lot_id, self.registration.lot_id)
        # numbered as every claim (mail.thread would name it by the subject)
        self.assertRegex(claim.name, r"^WC/\d{4}/\d+$")
        self.assertEqual(claim.source, "email")
        self.assertEqual(claim.state, "draft")
        self.assertEqual(claim.reporter_email, "li.wei@example.com")
        self.assertEqual(claim.reporter_name, "Li Wei")
        self.assertIn("No hot water", claim.description)
        self.assertEqual(claim.registration_id, self.registration)

    def test_code_in_body(self):
        code = self.registration.code_id.code
        claim = self._receive("Warranty claim", f"Hello, my code is {code}.", "m2")
        self.assertEqual(claim.code_id, self.registration.code_id)
        self.assertEqual(claim.lot_id, self.registration.lot_id)

    def test_revoked_code_is_refused(self):
        code = self.registration.code_id
        code.action_revoke()
        claim = self._receive("Claim", f"Code {code.code}", "m3")
        self.assertEqual(claim.state, "refused")
        self.assertIn("revoked", claim.refusal_reason)
        self.assertFalse(claim.lot_id)

    def test_nothing_recognised(self):
        claim = self._receive("Help", "My heater does not work.", "m4")
        self.assertFalse(claim.lot_id)
        self.assertEqual(claim.state, "draft")
        self.assertIn(
            "No warranty code or serial number",
            " ".join(claim.message_ids.mapped("body")),
        )
