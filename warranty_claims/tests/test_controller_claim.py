# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import re

from odoo.tests import HttpCase, tagged

from .common_code import unit_installed_today

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
HOSTILE = "<script>alert(1)</script>'); DROP TABLE warranty_claim; --"


@tagged("post_install", "-at_install")
class TestClaimController(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration = unit_installed_today(
            cls.env, "WEB-SN1", (("unit", 12), ("labour", 6))
        )
        cls.lot = cls.registration.lot_id
        cls.code = cls.registration.code_id
        cls.fault = cls.env["warranty.fault"].create(
            {"name": "Leaking", "code": "web_leak"}
        )

    def _token(self, page):
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _send(self, url, page, files=None, **fields):
        """Send the claim form of ``page`` (at ``url``) as a visitor fills it:
        the fault, a name and a phone unless ``fields`` say otherwise."""
        data = {
            "csrf_token": self._token(page),
            "fault_id": str(self.fault.id),
            "reporter_name": "Li",
            "reporter_phone": "1",
            **fields,
        }
        return self.url_open(url, data=data, files=files)

    def test_verify_page_shows_coverage_and_claim_link(self):
        info = self.code._public_info()
        self.assertTrue(info["installed"])
        self.assertEqual(
            [line["class"] for line in info["coverage"]], ["unit", "labour"]
        )
        self.assertEqual(info["claim_url"], f"/warranty/claim/{self.code.code}")
        self.assertNotIn("partner", str(info).lower())
        page = self.url_open(f"/warranty/verify/{self.code.code}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/warranty/claim/{self.code.code}", page.text)
        self.assertIn("covered until", page.text)

    def test_form_creates_submitted_claim_and_escapes_input(self):
        url = f"/warranty/claim/{self.code.code}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("WEB-SN1", page.text)
        self.assertIn("Leaking", page.text)
        response = self.url_open(
            url,
            data={
                "csrf_token": self._token(page),
                "fault_id": str(self.fault.id),
                "description": HOSTILE,
                "reporter_name": HOSTILE[:100],
                "reporter_phone": "138 0000 0000",
            },
            files={"photos": ("leak.png", PNG, "image/png")},
        )
        self.assertEqual(response.status_code, 200, response.text)
        claim = self.env["warranty.claim"].search([("lot_id", "=", self.lot.id)])
        self.assertEqual(len(claim), 1)
        self.assertIn(claim.name, response.text)
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.source, "web")
        self.assertEqual(claim.code_id, self.code)
        self.assertEqual(claim.description, HOSTILE)  # stored as plain text
        self.assertEqual(len(claim.attachment_ids), 1)
        self.assertTrue(claim.verdict_line_ids)
        # the same fault again: a duplicate, refused with a message
        page = self.url_open(url)
        again = self._send(url, page, description=HOSTILE)
        self.assertEqual(again.status_code, 409)
        self.assertIn("already open", again.text)
        self.assertNotIn("<script>alert", again.text)
        self.assertIn("&lt;script&gt;alert(1)", again.text)  # shown back, escaped

    def test_csrf_required(self):
        url = f"/warranty/claim/{self.code.code}"
        response = self.url_open(
            url,
            data={
                "fault_id": str(self.fault.id),
                "reporter_name": "X",
                "reporter_phone": "1",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["warranty.claim"].search([("lot_id", "=", self.lot.id)])
        )

    def test_missing_fields_rejected(self):
        url = f"/warranty/claim/{self.code.code}"
        page = self.url_open(url)
        response = self.url_open(
            url,
            data={"csrf_token": self._token(page), "fault_id": "abc"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose the fault", response.text)

    def test_unknown_forged_and_revoked_codes(self):
        for code in ("NOPE", "' OR 1=1 --", "<script>x</script>", "A" * 200):
            response = self.url_open(f"/warranty/claim/{code}")
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("<script>x", response.text)
        self.code.action_revoke()
        response = self.url_open(f"/warranty/claim/{self.code.code}")
        self.assertEqual(response.status_code, 404)
        self.assertIn("revoked", response.text)
        self.assertIsNone(self.code._public_info()["claim_url"])

    # bad input: clean answers, nothing written --------------------------
    def _claims(self):
        return self.env["warranty.claim"].search_count([("lot_id", "=", self.lot.id)])

    def test_unicode_digit_fault_refused_cleanly(self):
        """``"²".isdigit()`` is true but ``int("²")`` fails: it answered 500."""
        url = f"/warranty/claim/{self.code.code}"
        for fault in ("²", "١", "１", "9" * 30, "-1", f" {self.fault.id}x"):
            page = self.url_open(url)
            response = self._send(url, page, fault_id=fault)
            self.assertEqual(response.status_code, 400, fault)
            self.assertIn("Choose the fault", response.text)
        self.assertEqual(self._claims(), 0)

    def test_text_sent_as_a_file_refused_cleanly(self):
        """A description (or any text, the CSRF token included) sent as a
        file part answered 500."""
        url = f"/warranty/claim/{self.code.code}"
        fields = {
            "fault_id": str(self.fault.id),
            "description": "Leaks",
            "reporter_name": "Li",
            "reporter_phone": "1",
        }
        for name in ("description", "reporter_name", "reporter_phone"):
            page = self.url_open(url)
            data = {**fields, "csrf_token": self._token(page)}
            data.pop(name)
            response = self.url_open(
                url, data=data, files={name: ("x.txt", b"text", "text/plain")}
            )
            self.assertEqual(response.status_code, 400, name)
            self.assertIn("cannot be sent as files", response.text)
        page = self.url_open(url)
        response = self.url_open(
            url,
            data=fields,
            files={"csrf_token": ("t.txt", self._token(page).encode(), "text/plain")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("reload the page", response.text)
        self.assertEqual(self._claims(), 0)

    def test_claim_page_shares_the_verification_limit_and_logs_scans(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "warranty_claims.verify_rate_limit", "3"
        )
        scans = self.env["warranty.code.scan"]
        first = scans.search([], order="id desc", limit=1).id or 0
        for _i in range(2):
            ok = self.url_open(f"/warranty/verify/{self.code.code}?format=json")
            self.assertEqual(ok.status_code, 200)
        url = f"/warranty/claim/{self.code.code}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        logged = scans.search([("id", ">", first)], order="id")
        self.assertEqual(len(logged), 3)
        self.assertEqual(logged[-1].code_id, self.code)
        self.assertEqual(logged[-1].result, "valid")
        # the limit is reached by verifications and claims alike
        limited = self.url_open(url)
        self.assertEqual(limited.status_code, 429)
        self.assertIn("Too many", limited.text)
        self.assertEqual(limited.headers.get("Retry-After"), "60")
        response = self._send(url, page)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self._claims(), 0)
        verify = self.url_open(f"/warranty/verify/{self.code.code}")
        self.assertEqual(verify.status_code, 429)
        self.assertEqual(len(scans.search([("id", ">", first)])), 3)

    def test_forged_code_on_claim_page_is_logged(self):
        scans = self.env["warranty.code.scan"]
        response = self.url_open("/warranty/claim/0000-0000-0000-0000")
        self.assertEqual(response.status_code, 404)
        scan = scans.search([], order="id desc", limit=1)
        self.assertEqual(scan.submitted, "0000-0000-0000-0000")
        self.assertIn(scan.result, ("forged", "typo"))

    def test_claim_on_a_printed_code_makes_the_lot(self):
        """A unit known only by its printed code (no lot yet): the claim
        from its page makes the lot through the ORM."""
        batch = self.env["warranty.code.batch"].create(
            {
                "product_id": self.lot.product_id.id,
                "quantity": 1,
                "lot_prefix": "WEBP-",
            }
        )
        self.lot.product_id.barcode = "6970000000055"
        batch._run_generation()
        code = batch.code_ids
        self.assertFalse(code.lot_id)
        url = f"/warranty/claim/{code.code}"
        page = self.url_open(url)
        self.assertIn("WEBP-000001", page.text)
        response = self._send(url, page)
        self.assertEqual(response.status_code, 200, response.text)
        claim = self.env["warranty.claim"].search([("code_id", "=", code.id)])
        self.assertEqual(claim.lot_id.name, "WEBP-000001")
        self.assertEqual(code.lot_id, claim.lot_id)
        self.assertEqual(claim.state, "submitted")
