# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from ..controllers.warranty_verify import WarrantyVerifyController
from ..engine import signer
from .common_code import GTIN13, WarrantyCodeCommon


@tagged("post_install", "-at_install")
class TestWarrantyVerify(WarrantyCodeCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_code_data()
        cls.env["ir.config_parameter"].sudo().set_param(
            "warranty_claims.verify_rate_limit", "1000"
        )
        cls.codes = cls.Code._issue_for_lots(cls.lots)
        cls.code = cls.codes[0]
        cls.code._activate()
        # a customer in the same database: never on the public page
        cls.first_scan = cls.Scan.search([], order="id desc", limit=1).id or 0
        cls.customer = cls.env["res.partner"].create(
            {"name": "Wang Fang", "phone": "+86 138 0000 1111"}
        )

    def scans(self, result=None):
        domain = [("id", ">", self.first_scan)]
        if result:
            domain.append(("result", "=", result))
        return self.Scan.search(domain)

    def test_page_and_json(self):
        page = self.url_open(f"/warranty/verify/{self.code.code}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Genuine warranty code", page.text)
        self.assertIn("Heat Pump Water Heater", page.text)
        self.assertIn("HP-0001", page.text)
        self.assertIn("0" + GTIN13, page.text)
        self.assertNotIn("Wang Fang", page.text)
        # the customer's phone (the page's asset hashes may hold any digits)
        self.assertNotIn("0000 1111", page.text)

        data = self.url_open(
            f"/warranty/verify/{self.code.code.lower()}?format=json"
        ).json()
        self.assertEqual(data["serial"], "HP-0001")
        self.assertEqual(data["state"], "activated")
        self.assertTrue(data["valid"])
        self.assertEqual(data, self.code._public_info())

        scans = self.scans("valid")
        self.assertEqual(len(scans), 2)
        self.assertEqual(scans.code_id, self.code)
        self.assertEqual(set(scans.mapped("ip")), {"127.0.0.1"})
        self.assertEqual(set(scans.mapped("network")), {"127.0.0.0/24"})

    def test_gs1_digital_link(self):
        url = self.code.verify_url.split("brand.example.cn", 1)[1]
        self.assertTrue(url.startswith(f"/w/01/0{GTIN13}/21/HP-0001?c="))
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("HP-0001", page.text)
        data = self.url_open(url + "&format=json").json()
        self.assertEqual(data["code"], self.code.code)
        # 13-digit GTIN in the path is fine too
        self.assertEqual(
            self.url_open(url.replace(f"0{GTIN13}", GTIN13)).status_code, 200
        )
        # another unit's serial, or no code
        other = self.url_open(url.replace("HP-0001", "HP-0002"))
        self.assertEqual(other.status_code, 404)
        self.assertIn("does not belong", other.text)
        missing = self.url_open(f"/w/01/0{GTIN13}/21/HP-0001")
        self.assertEqual(missing.status_code, 400)
        self.assertEqual(self.scans("mismatch").submitted, self.code.code)

    def test_bad_codes(self):
        good = self.code.code.replace("-", "")
        typo = good[:5] + ("Z" if good[5] != "Z" else "Y") + good[6:]
        cases = {
            "nope": 400,
            typo: 400,
            signer.sign(b"f" * 32, 77): 404,  # forged
            signer.sign(self.secret(), 2**35 - 9): 404,  # genuine but unknown
        }
        for text, status in cases.items():
            page = self.url_open(f"/warranty/verify/{text}")
            self.assertEqual(page.status_code, status, text)
            self.assertIn("Warranty code not valid", page.text)
            self.assertNotIn("Traceback", page.text)
            data = self.url_open(f"/warranty/verify/{text}?format=json").json()
            self.assertEqual(data["status"], status)
            self.assertTrue(data["error"])
        self.assertEqual(len(self.scans("typo")), 2)
        self.assertEqual(len(self.scans("forged")), 2)
        self.assertEqual(len(self.scans("unknown")), 2)

    def test_hostile_input_is_harmless(self):
        count = self.Code.search_count([])
        for text in (
            "' OR 1=1 --",
            "x'); DROP TABLE warranty_code; --",
            "<script>alert(1)</script>",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "A" * 300,
        ):
            page = self.url_open(f"/warranty/verify/{text}")
            self.assertIn(page.status_code, (400, 404), text)
            self.assertNotIn("<script>alert", page.text)
            gs1 = self.url_open(f"/w/01/{GTIN13}/21/HP-0001?c={text}")
            self.assertIn(gs1.status_code, (400, 404), text)
            self.assertNotIn("<script>alert", gs1.text)
        self.assertEqual(self.Code.search_count([]), count)
        submitted = self.scans("malformed").mapped("submitted")
        self.assertIn("<script>alert(1)</script>", submitted)
        self.assertTrue(all(len(s) <= 40 for s in submitted))

    def test_revoked_code(self):
        code = self.codes[1]
        code.action_revoke()
        page = self.url_open(f"/warranty/verify/{code.code}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Revoked warranty code", page.text)
        data = self.url_open(f"/warranty/verify/{code.code}?format=json").json()
        self.assertFalse(data["valid"])
        self.assertEqual(data["state"], "revoked")
        self.assertEqual(len(self.scans("revoked")), 2)

    def test_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "warranty_claims.verify_rate_limit", "3"
        )
        for _i in range(3):
            ok = self.url_open(f"/warranty/verify/{self.code.code}?format=json")
            self.assertEqual(ok.status_code, 200)
        limited = self.url_open(f"/warranty/verify/{self.code.code}?format=json")
        self.assertEqual(limited.status_code, 429)
        self.assertEqual(limited.headers.get("Retry-After"), "60")
        page = self.url_open(f"/warranty/verify/{self.code.code}")
        self.assertEqual(page.status_code, 429)
        self.assertIn("Too many", page.text)
        self.assertEqual(len(self.scans()), 3)  # refused requests are not logged

    def test_scans_far_apart_flag_the_code(self):
        places = iter(
            [
                {"country": "CN", "city": "Shanghai"},
                {"country": "CN", "city": "Shanghai"},
                {"country": "NG", "city": "Lagos"},
            ]
        )
        with patch.object(
            WarrantyVerifyController, "_place", lambda self: next(places)
        ):
            for _i in range(3):
                ok = self.url_open(f"/warranty/verify/{self.code.code}?format=json")
                self.assertEqual(ok.status_code, 200)
        self.assertTrue(self.code.possibly_cloned)
        self.assertEqual(
            self.scans("valid").mapped("city"), ["Lagos", "Shanghai", "Shanghai"]
        )
        self.assertIn("Lagos", "".join(self.code.message_ids.mapped("body")))
        # the public answer does not change (no personal data, no alarm)
        data = self.url_open(f"/warranty/verify/{self.code.code}?format=json").json()
        self.assertTrue(data["valid"])

    def test_page_escapes_data(self):
        self.product.name = "Heater <script>alert(2)</script>"
        page = self.url_open(f"/warranty/verify/{self.code.code}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("<script>alert(2)", page.text)
        self.assertIn("&lt;script&gt;alert(2)", page.text)

    def test_encoded_percent_answers_instead_of_redirecting_to_itself(self):
        """``/warranty/verify/AB%2500`` answered 301 to itself, forever (the
        website's canonical URL decodes the path twice)."""
        for path in (
            "/warranty/verify/AB%2500",
            "/warranty/verify/%25",
            "/warranty/claim/AB%2500",
            f"/w/01/0{GTIN13}/21/HP%2500?c=AB%2500",
            f"/w/01/%2500/21/HP-0001?c={self.code.code}",
        ):
            response = self.url_open(path, allow_redirects=False)
            self.assertIn(response.status_code, (400, 404), path)
            self.assertNotIn("Traceback", response.text)
        # the code itself with an encoded percent sign after it
        response = self.url_open(
            f"/warranty/verify/{self.code.code}%2500", allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)

    def test_code_sent_as_a_file_part(self):
        """``c`` (or ``format``) sent as a file part, even on a GET: it
        answered 500."""
        url = f"/w/01/0{GTIN13}/21/HP-0001"
        response = self.url_open(
            url,
            files={"c": ("c.txt", self.code.code.encode(), "text/plain")},
            method="GET",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Warranty code not valid", response.text)
        response = self.url_open(
            f"{url}?c={self.code.code}",
            files={"format": ("f.txt", b"json", "text/plain")},
            method="GET",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("HP-0001", response.text)

    def test_rate_limit_counts_the_network(self):
        """Addresses of one network share the limit (the code said networks
        and counted exact addresses)."""
        self.env["ir.config_parameter"].sudo().set_param(
            "warranty_claims.verify_rate_limit", "3"
        )
        # the test client is 127.0.0.1: two scans from its /24, one elsewhere
        self.Scan._log(self.code.code, "valid", self.code, "127.0.0.9")
        self.Scan._log(self.code.code, "valid", self.code, "127.0.0.200")
        self.Scan._log(self.code.code, "valid", self.code, "127.0.1.1")
        ok = self.url_open(f"/warranty/verify/{self.code.code}?format=json")
        self.assertEqual(ok.status_code, 200)
        limited = self.url_open(f"/warranty/verify/{self.code.code}?format=json")
        self.assertEqual(limited.status_code, 429)
