# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo.tests import HttpCase, tagged

from .common_code import unit_installed_today
from .test_controller_claim import PNG


@tagged("post_install", "-at_install")
class TestClaimPhotos(HttpCase):
    """Uploads of the public claim form are limited in size, number and type."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.code = unit_installed_today(cls.env, "PH-SN1", classes=()).code_id
        cls.fault = cls.env["warranty.fault"].create(
            {"name": "Noisy", "code": "photo_noisy"}
        )
        cls.url = f"/warranty/claim/{cls.code.code}"

    def _post(self, files):
        page = self.url_open(self.url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(
            self.url,
            data={
                "csrf_token": csrf,
                "fault_id": str(self.fault.id),
                "description": "It hums",
                "reporter_name": "Zhao",
                "reporter_phone": "139",
            },
            files=[("photos", f) for f in files],
        )

    def _claims(self):
        return self.env["warranty.claim"].search([("code_id", "=", self.code.id)])

    def test_page_uses_the_frontend_layout(self):
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_warranty_claim", page.text)
        self.assertIn("web.assets_frontend", page.text)
        self.assertIn('enctype="multipart/form-data"', page.text)

    def test_too_big_photo_refused(self):
        big = PNG + b"\0" * (5 * 1024 * 1024)
        response = self._post([("big.png", big, "image/png")])
        self.assertEqual(response.status_code, 400)
        self.assertIn("big.png is too big", response.text)
        self.assertIn("It hums", response.text)  # the form keeps what was typed
        self.assertFalse(self._claims())

    def test_wrong_type_refused_whatever_its_name(self):
        for name, data, mimetype in (
            ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
            ("fake.png", b"%PDF-1.4 not a picture", "image/png"),
            ("script.html", b"<script>alert(1)</script>", "text/html"),
        ):
            response = self._post([(name, data, mimetype)])
            self.assertEqual(response.status_code, 400, name)
            self.assertIn("is not a picture", response.text)
        self.assertFalse(self._claims())

    def test_too_many_photos_refused(self):
        response = self._post([(f"p{i}.png", PNG, "image/png") for i in range(6)])
        self.assertEqual(response.status_code, 400)
        self.assertIn("at most 5 photos", response.text)
        self.assertFalse(self._claims())

    def test_good_photos_kept(self):
        response = self._post(
            [("a.png", PNG, "image/png"), ("b.png", PNG, "image/png")]
        )
        self.assertEqual(response.status_code, 200, response.text)
        claim = self._claims()
        self.assertIn(claim.name, response.text)
        self.assertEqual(len(claim.attachment_ids), 2)
        self.assertEqual(set(claim.attachment_ids.mapped("mimetype")), {"image/png"})

    def test_photo_name_with_nul_is_cleaned(self):
        """A file name with a NUL (sent as is, not percent-encoded) is stored
        without it instead of failing in the database."""
        page = self.url_open(self.url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        fields = {
            "csrf_token": csrf,
            "fault_id": str(self.fault.id),
            "reporter_name": "Zhao",
            "reporter_phone": "139",
        }
        boundary = "----nul-boundary"
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
            f"\r\n\r\n{value}\r\n".encode()
            for name, value in fields.items()
        )
        body += (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            'name="photos"; filename="a\x00b.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        body += PNG + f"\r\n--{boundary}--\r\n".encode()
        response = self.url_open(
            self.url,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(self._claims().attachment_ids.name, "ab.png")
