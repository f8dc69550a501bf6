# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import date
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ConcurrencyError, UserError
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import signer
from .common_code import GTIN13, WarrantyCodeCommon

COVERAGE_KEYS = {
    "installed",
    "install_date",
    "warranty_start",
    "coverage",
    "claim_url",
}


class TestWarrantyCode(WarrantyCodeCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_code_data()
        cls.codes = cls.Code._issue_for_lots(cls.lots)

    def assertCodeError(self, text, kind, **kwargs):
        with self.assertRaises(UserError) as caught:
            self.Code._lookup(text, **kwargs)
        self.assertEqual(caught.exception.kind, kind)
        return caught.exception

    # issuance -----------------------------------------------------------
    def test_issue_for_lots_is_lazy_and_ordered(self):
        # one code per lot, in the order of the lots (recordsets compare as
        # sets: compare their ids)
        self.assertEqual([code.lot_id.id for code in self.codes], self.lots.ids)
        self.assertEqual(set(self.codes.mapped("state")), {"generated"})
        self.assertEqual(self.codes.product_id, self.product)
        self.assertEqual(self.codes.company_id, self.company)
        self.assertFalse(self.codes.batch_id)
        # existing codes come back, a new lot gets a new code
        new_lot = self.env["stock.lot"].create(
            {"name": "HP-NEW", "product_id": self.product.id}
        )
        again = self.Code._issue_for_lots(new_lot | self.lots[1])
        self.assertEqual(again[1], self.codes[1])
        self.assertNotIn(again[0], self.codes)
        self.assertEqual(again[0].lot_id, new_lot)
        self.assertEqual(self.Code._issue_for_lots(self.env["stock.lot"]), self.Code)

    def test_codes_are_signed_and_grouped(self):
        secret = self.secret()
        for code in self.codes:
            self.assertRegex(code.code, r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
            signer.verify(secret, code.code)
        self.assertEqual(len(set(self.codes.mapped("code"))), 3)

    def test_revoked_code_is_reissued(self):
        old = self.codes[0]
        old.action_revoke()
        new = self.Code._issue_for_lots(self.lots[0])
        self.assertNotEqual(new, old)
        self.assertEqual(new.state, "generated")
        self.assertEqual(self.lots[0].warranty_code_id, new)
        self.assertEqual(self.lots[0].warranty_code_ids, old | new)

    def test_one_valid_code_per_lot(self):
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
            server_owned_writes(),
        ):
            self.Code.create(
                {
                    "code": self.Code._sign_new(self.company, 1)[0],
                    "serial": self.lots[0].name,
                    "lot_id": self.lots[0].id,
                    "product_id": self.product.id,
                }
            )
            self.env.flush_all()

    # lookup ---------------------------------------------------------------
    def test_lookup_normalises(self):
        code = self.codes[0]
        text = code.code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
        self.assertEqual(self.Code._lookup(text), code)
        self.assertEqual(self.Code._lookup(code.code, company=self.company), code)

    def test_search_code_as_typed(self):
        code = self.codes[0]
        typed = code.code.lower().replace("-", " ").replace("0", "o")
        self.assertEqual(self.Code.search([("code_typed", "ilike", typed)]), code)
        part = code.code[5:12].lower()  # across a dash
        self.assertIn(code, self.Code.search([("code_typed", "ilike", part)]))
        self.assertFalse(self.Code.search([("code_typed", "ilike", "ZZZZ-ZZZZ-ZZ")]))
        self.assertFalse(self.Code.search([("code_typed", "ilike", "%_'\\")]))

    def test_lookup_errors(self):
        code = self.codes[0].code
        self.assertCodeError("ABC", "malformed")
        self.assertCodeError("' OR 1=1; --", "malformed")
        symbols = list(code.replace("-", ""))
        symbols[3] = "Z" if symbols[3] != "Z" else "Y"
        error = self.assertCodeError("".join(symbols), "typo")
        self.assertIn("typing error", str(error))
        # signed with another secret: forged
        self.assertCodeError(signer.sign(b"s" * 32, 424242), "forged")
        # signed with our secret but never issued: unknown
        self.assertCodeError(signer.sign(self.secret(), 2**35 - 5), "unknown")

    def test_lookup_revoked(self):
        code = self.codes[0]
        code.action_revoke()
        error = self.assertCodeError(code.code, "revoked")
        self.assertIn("revoked", str(error))
        self.assertEqual(self.Code._lookup(code.code, allow_revoked=True), code)

    def test_lookup_other_company(self):
        other = self.env["res.company"].create({"name": "Other Brand"})
        lot = self.env["stock.lot"].create(
            {"name": "OB-1", "product_id": self.product.id, "company_id": other.id}
        )
        theirs = self.Code._issue_for_lots(lot)
        self.assertEqual(theirs.company_id, other)
        self.assertNotEqual(self.secret(other), self.secret())
        self.assertEqual(self.Code._lookup(theirs.code), theirs)
        # with our company: their tag is not ours
        self.assertCodeError(theirs.code, "forged", company=self.company)

    # life cycle -------------------------------------------------------------
    def test_activate_and_revoke(self):
        code = self.codes[0]
        code._activate(date(2026, 3, 1))
        self.assertEqual(code.state, "activated")
        self.assertEqual(code.activation_date, date(2026, 3, 1))
        code._activate(date(2026, 4, 1))  # first activation date stays
        self.assertEqual(code.activation_date, date(2026, 3, 1))
        code.action_revoke()
        self.assertEqual(code.state, "revoked")
        with self.assertRaises(UserError):
            code.action_revoke()
        with self.assertRaises(UserError):
            code._activate()

    def test_public_info_has_no_personal_data(self):
        code = self.codes[0]
        code._activate(date(2026, 5, 4))
        info = code._public_info()
        # the registration part (coverage, installed, claim link) adds no
        # personal data either: see test_controller_claim
        self.assertEqual(
            {key: info[key] for key in info if key not in COVERAGE_KEYS},
            {
                "code": code.code,
                "product": self.product.name,
                "gtin": "0" + GTIN13,
                "serial": "HP-0001",
                "brand": self.company.name,
                "state": "activated",
                "valid": True,
                "activation_date": "2026-05-04",
            },
        )

    def test_qr_and_url(self):
        code = self.codes[0]
        self.assertEqual(
            code.verify_url,
            f"https://brand.example.cn/w/01/0{GTIN13}/21/HP-0001?c={code.code}",
        )
        self.assertEqual(code.gtin, "0" + GTIN13)
        png = base64.b64decode(code.qr_image)
        self.assertTrue(png.startswith(b"\x89PNG"))
        self.product.barcode = False
        self.assertFalse(code.verify_url)
        self.assertFalse(code.qr_image)

    # security -----------------------------------------------------------------
    def test_secret_is_hidden(self):
        params = self.env["ir.config_parameter"].sudo()
        key = f"warranty_claims.code_secret.{self.company.id}"
        self.assertEqual(len(bytes.fromhex(params.get_param(key))), 32)
        self.assertEqual(self.secret(), self.secret())  # stable
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(self.manager).get_param(key)
        views = self.env["ir.ui.view"].search([("arch_db", "ilike", "code_secret")])
        self.assertFalse(views)

    def test_secret_created_through_the_orm(self):
        """A company's first code creates its secret with set_param (no SQL
        into Odoo's table, no cache cleared by hand); a concurrent creation
        is retried by Odoo's retry loop."""
        other = self.env["res.company"].create({"name": "New Brand"})
        Params = type(self.env["ir.config_parameter"])
        with patch.object(
            Params, "set_param", autospec=True, side_effect=Params.set_param
        ) as set_param:
            secret = self.Code._company_secret(other)
        set_param.assert_called_once()
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .search([("key", "=", f"warranty_claims.code_secret.{other.id}")])
        )
        self.assertEqual(bytes.fromhex(param.value), secret)
        self.assertEqual(self.Code._company_secret(other), secret)
        late = self.env["res.company"].create({"name": "Late Brand"})
        with (
            patch.object(
                Params,
                "set_param",
                side_effect=psycopg2.errors.UniqueViolation("duplicate key"),
            ),
            self.assertRaises(ConcurrencyError),
        ):
            self.Code._company_secret(late)
        self.assertIsNone(self.Code._company_secret(late, create=False))

    def test_access_rights(self):
        code = self.codes[0]
        self.assertEqual(code.with_user(self.officer).code, code.code)
        with self.assertRaises(AccessError):
            code.with_user(self.officer).action_revoke()
        code.with_user(self.manager).action_revoke()
        self.assertEqual(code.state, "revoked")
        other = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        outsider = new_test_user(
            self.env,
            login="code_outsider",
            groups="warranty_claims.group_warranty_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(self.Code.with_user(outsider).search([]))
        batch = self.env["warranty.code.batch"].create(
            {"product_id": self.product.id, "quantity": 1, "lot_prefix": "MC"}
        )
        Batch = self.env["warranty.code.batch"]
        self.assertFalse(Batch.with_user(outsider).search([("id", "=", batch.id)]))
        self.assertTrue(Batch.with_user(self.officer).search([("id", "=", batch.id)]))
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.Code.with_user(public).search([])

    def test_lot_button(self):
        lot = self.env["stock.lot"].create(
            {"name": "HP-BTN", "product_id": self.product.id}
        )
        action = lot.with_user(self.manager).action_issue_warranty_code()
        self.assertEqual(action["res_model"], "warranty.code")
        self.assertEqual(action["res_id"], lot.warranty_code_id.id)
        self.assertEqual(
            lot.with_user(self.manager).action_issue_warranty_code()["res_id"],
            action["res_id"],
        )
        plain = self.env["product.product"].create(
            {"name": "Lot Tracked", "is_storable": True, "tracking": "lot"}
        )
        lot2 = self.env["stock.lot"].create({"name": "L1", "product_id": plain.id})
        with self.assertRaises(UserError):
            lot2.action_issue_warranty_code()

    def test_delivery_issues_codes(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        lots = self.env["stock.lot"].create(
            [{"name": f"DLV-{i}", "product_id": self.product.id} for i in (1, 2)]
        )
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                self.product, warehouse.lot_stock_id, 1, lot_id=lot
            )
        customer = self.env["res.partner"].create({"name": "Zhang Min"})
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, lots)
        self.assertFalse(lots.warranty_code_id)
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(lots.warranty_code_id), 2)
        self.assertEqual(lots.warranty_code_id.lot_id, lots)
        self.assertNotIn(customer.name, str(lots.warranty_code_id[0]._public_info()))

    # scans and clones -------------------------------------------------------
    def test_scan_log_and_network(self):
        code = self.codes[0]
        self.Scan._log(code.code, "valid", code, "203.0.113.77", "cn", "Hangzhou")
        self.Scan._log("junk", "malformed", ip="2001:db8:1234:5678::1")
        scans = self.Scan.search([("ip", "!=", False)], order="id")
        self.assertEqual(scans[-2].code_id, code)
        self.assertEqual(scans[-2].network, "203.0.113.0/24")
        self.assertEqual(scans[-2].country_code, "CN")
        self.assertEqual(scans[-2].company_id, self.company)
        self.assertEqual(scans[-1].network, "2001:db8:1234::/48")
        self.assertFalse(scans[-1].code_id)
        self.assertEqual(code.scan_count, 1)
        self.assertFalse(code.possibly_cloned)

    def test_cloned_when_far_apart_in_short_time(self):
        code = self.codes[0]
        batch = self.env["warranty.code.batch"].create(
            {
                "product_id": self.product.id,
                "quantity": 1,
                "lot_prefix": "CL",
                "user_id": self.manager.id,
            }
        )
        with server_owned_writes():
            code.sudo().batch_id = batch
        with freeze_time("2026-06-01 08:00:00"):
            self.Scan._log(code.code, "valid", code, "1.2.3.4", "CN", "Shanghai")
            self.Scan._log(code.code, "valid", code, "1.2.3.5", "CN", "Shanghai")
            self.Scan._log(code.code, "valid", code, "1.2.3.6", "CN", None)
        self.assertFalse(code.possibly_cloned)
        with freeze_time("2026-06-01 13:00:00"):
            flagged = self.Scan._log(
                code.code, "valid", code, "5.6.7.8", "CN", "Kashgar"
            )
        self.assertTrue(flagged)
        self.assertTrue(code.possibly_cloned)
        self.assertIn("Kashgar", code.message_ids[0].body)
        activity = code.activity_ids
        self.assertEqual(activity.user_id, self.manager)

    def test_cloned_code_of_nobody_goes_to_a_warranty_manager(self):
        """A code issued by the server (no batch, made by the superuser) that
        looks cloned is followed up by a warranty manager of its company."""
        code = self.codes[2]
        self.assertFalse(code.batch_id)
        self.assertFalse(code.create_uid.active)
        with freeze_time("2026-06-01 08:00:00"):
            self.Scan._log(code.code, "valid", code, "1.2.3.4", "CN", "Shanghai")
            self.Scan._log(code.code, "valid", code, "5.6.7.8", "FR", "Lyon")
        self.assertTrue(code.possibly_cloned)
        user = code.activity_ids.user_id
        self.assertEqual(len(user), 1)
        self.assertTrue(user.has_group("warranty_claims.group_warranty_manager"))

    def test_not_cloned_outside_window_or_without_place(self):
        code = self.codes[1]
        self.env["ir.config_parameter"].sudo().set_param(
            "warranty_claims.clone_window_hours", "6"
        )
        with freeze_time("2026-06-01 08:00:00"):
            self.Scan._log(code.code, "valid", code, "1.2.3.4", "CN", "Shanghai")
        with freeze_time("2026-06-01 15:00:00"):
            self.Scan._log(code.code, "valid", code, "5.6.7.8", "DE", "Berlin")
            self.Scan._log(code.code, "valid", code, "5.6.7.9")  # no GeoIP
        self.assertFalse(code.possibly_cloned)
        with freeze_time("2026-06-01 16:00:00"):
            self.Scan._log(code.code, "valid", code, "9.9.9.9", "FR", "Paris")
        self.assertTrue(code.possibly_cloned)

    def test_rate_limit_counts_last_minute_per_network(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "warranty_claims.verify_rate_limit", "2"
        )
        with freeze_time("2026-06-01 08:00:00"):
            self.Scan._log("x", "malformed", ip="198.18.7.1")
            self.assertFalse(self.Scan._is_rate_limited("198.18.7.1"))
            self.Scan._log("x", "malformed", ip="198.18.7.1")
            self.assertTrue(self.Scan._is_rate_limited("198.18.7.1"))
            # the same /24 shares the limit, the next /24 does not
            self.assertTrue(self.Scan._is_rate_limited("198.18.7.2"))
            self.assertFalse(self.Scan._is_rate_limited("198.18.8.1"))
            # IPv6: per /48
            self.Scan._log("x", "malformed", ip="2001:db8:1:aaaa::1")
            self.Scan._log("x", "malformed", ip="2001:db8:1:bbbb::2")
            self.assertTrue(self.Scan._is_rate_limited("2001:db8:1:cccc::3"))
            self.assertFalse(self.Scan._is_rate_limited("2001:db8:2::1"))
            # not an address: counted by itself
            self.assertFalse(self.Scan._is_rate_limited("not-an-ip"))
            self.assertFalse(self.Scan._is_rate_limited(None))
        with freeze_time("2026-06-01 08:01:30"):
            self.assertFalse(self.Scan._is_rate_limited("198.18.7.1"))
