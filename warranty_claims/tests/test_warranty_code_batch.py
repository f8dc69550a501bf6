# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import csv
import io
from unittest.mock import patch

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, LockError, UserError, ValidationError
from odoo.tests import Form, TransactionCase
from odoo.tools import mute_logger

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from ..engine import signer
from .common_code import GTIN13, WarrantyCodeCommon


class TestWarrantyCodeBatch(WarrantyCodeCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_code_data()
        cls.Batch = cls.env["warranty.code.batch"]

    def _batch(self, quantity=25, prefix="HPW26-"):
        """A draft batch of the product entered in the batch form."""
        form = Form(self.Batch)
        form.product_id = self.product
        form.quantity = quantity
        form.lot_prefix = prefix
        return form.save()

    def _chunks(self, size):
        return patch.object(type(self.Batch), "_generate_chunk_size", size)

    def test_form_and_generation_in_chunked_jobs(self):
        with Form(self.Batch.with_user(self.manager)) as form:
            form.product_id = self.product
            form.quantity = 25
            form.lot_prefix = "HPW26-"
            self.assertEqual(form.gtin, "0" + GTIN13)
        batch = form.record
        self.assertTrue(batch.name.startswith("WCB/"))
        self.assertEqual(batch.state, "draft")
        with self._chunks(10), trap_jobs() as trap:
            batch.with_user(self.manager).action_generate()
            self.assertEqual(batch.state, "running")
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(batch._generate_chunk, args=(0,))
            functions = self.env["queue.job.function"]
            config = functions.job_config(
                functions.job_function_name("warranty.code.batch", "_generate_chunk")
            )
            self.assertEqual(config.channel, "root.warranty_codes")
            trap.perform_enqueued_jobs()
            self.assertEqual(batch.generated_count, 10)
            self.assertEqual(batch.progress, 40.0)
            trap.assert_enqueued_job(batch._generate_chunk, args=(10,))
            trap.perform_enqueued_jobs()
            trap.perform_enqueued_jobs()
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.generated_count, 25)
        self.assertEqual(batch.progress, 100.0)
        self.assertEqual(batch.code_count, 25)
        codes = batch.code_ids
        self.assertEqual(
            sorted(codes.mapped("serial")), [f"HPW26-{i:06d}" for i in range(1, 26)]
        )
        # the units have no stock.lot until they materialise
        self.assertFalse(codes.lot_id)
        self.assertFalse(
            self.env["stock.lot"].search([("product_id", "=", self.product.id)])
            - self.lots
        )
        self.assertEqual(codes.product_id, self.product)
        self.assertEqual(codes.company_id, self.company)
        self.assertEqual(set(codes.mapped("state")), {"generated"})
        secret = self.secret()
        for code in codes:
            signer.verify(secret, code.code)
        self.assertEqual(self.Code._lookup(codes[0].code), codes[0])
        self.assertIn("25 warranty codes generated", batch.message_ids[0].body)

    def test_chunk_run_twice_does_not_duplicate(self):
        batch = self._batch(quantity=12)
        with self._chunks(5), trap_jobs():
            batch.action_generate()
            batch._generate_chunk(0)
            self.assertEqual(batch.generated_count, 5)
            # the same chunk again (a retried job) and a chunk from the future
            self.assertIn("skipped", batch._generate_chunk(0))
            self.assertIn("skipped", batch._generate_chunk(10))
            self.assertEqual(batch.generated_count, 5)
            batch._generate_chunk(5)
            batch._generate_chunk(10)
        self.assertEqual(batch.state, "done")
        self.assertEqual(len(batch.code_ids), 12)
        self.assertEqual(len(set(batch.code_ids.mapped("code"))), 12)
        self.assertIn("skipped", batch._generate_chunk(12))

    def test_generation_refused_with_clear_errors(self):
        batch = self._batch()
        self.product.barcode = "4006381333932"  # bad check digit
        with self.assertRaisesRegex(UserError, "no valid GTIN"):
            batch.action_generate()
        self.product.barcode = GTIN13
        self.product.tracking = "lot"
        with self.assertRaisesRegex(UserError, "not tracked by serial"):
            batch.action_generate()
        self.product.tracking = "serial"
        self.env["stock.lot"].create(
            {"name": "HPW26-000003", "product_id": self.product.id}
        )
        with self.assertRaisesRegex(UserError, "already exists"):
            batch.action_generate()
        self.assertEqual(batch.state, "draft")
        batch = self._batch(prefix="OK-")
        batch._run_generation()
        with self.assertRaisesRegex(UserError, "already generated"):
            batch.action_generate()

    def test_bad_quantity_and_prefix(self):
        for quantity in (0, -5, 10_000_001):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self._batch(quantity=quantity)
        for prefix in ("A/B", "with space", "<x>", "ELEVENCHARS"):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self._batch(prefix=prefix)
        self._batch(prefix="P1")
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._batch(prefix="P1")  # unique per product
            self.env.flush_all()

    def test_export_csv(self):
        batch = self._batch(quantity=4)
        with self.assertRaisesRegex(UserError, "fully generated"):
            batch.action_export_csv()
        batch._run_generation()
        action = batch.action_export_csv()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = batch.export_attachment_id
        self.assertIn(f"/web/content/{attachment.id}", action["url"])
        rows = list(csv.DictReader(io.StringIO(attachment.raw.decode())))
        self.assertEqual(len(rows), 4)
        first = rows[0]
        self.assertEqual(first["serial"], "HPW26-000001")
        self.assertEqual(first["gtin"], "0" + GTIN13)
        code = batch.code_ids.filtered(lambda c: c.serial == "HPW26-000001")
        self.assertEqual(first["code"], code.code)
        self.assertEqual(first["url"], code.verify_url)
        # exporting again replaces the attachment
        batch.action_export_csv()
        self.assertFalse(attachment.exists())

    def test_unlink_only_draft(self):
        draft = self._batch(prefix="D1")
        draft.unlink()
        done = self._batch(quantity=2, prefix="D2")
        done._run_generation()
        with self.assertRaises(UserError):
            done.unlink()

    def test_officer_cannot_generate(self):
        batch = self._batch()
        with self.assertRaises(AccessError):
            batch.with_user(self.officer).action_generate()

    def _receive(self, serials):
        """Receive one unit of each of ``serials`` from a vendor (Odoo makes
        their lots); the receipt."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        vendors = self.env.ref("stock.stock_location_suppliers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": vendors.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": len(serials),
                            "location_id": vendors.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "location_id": vendors.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                    "lot_name": serial,
                    "quantity": 1,
                }
                for serial in serials
            ]
        )
        move.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def test_receipt_makes_the_lots_and_links_the_printed_codes(self):
        """Generation writes no stock.lot: a unit's lot is made by Odoo when
        it is received (stock.lot.create) and finds its printed code."""
        lots_before = self.env["stock.lot"].search_count([])
        batch = self._batch(quantity=3, prefix="RCV-")
        batch._run_generation()
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before)
        codes = {code.serial: code for code in batch.code_ids}
        picking = self._receive(["RCV-000001", "RCV-000002"])
        lots = picking.move_line_ids.lot_id
        self.assertEqual(len(lots), 2)
        for lot in lots:
            self.assertEqual(codes[lot.name].lot_id, lot)
            self.assertEqual(lot.warranty_code_id, codes[lot.name])
        self.assertFalse(codes["RCV-000003"].lot_id)
        # a serial number entered by hand links its code as well
        lot = self.env["stock.lot"].create(
            {"name": "RCV-000003", "product_id": self.product.id}
        )
        self.assertEqual(codes["RCV-000003"].lot_id, lot)
        self.assertEqual(lot.warranty_code_id, codes["RCV-000003"])

    def test_lot_of_another_company_is_not_linked(self):
        batch = self._batch(quantity=1, prefix="MCO-")
        batch._run_generation()
        other = self.env["res.company"].create({"name": "Other Maker"})
        lot = self.env["stock.lot"].create(
            {
                "name": "MCO-000001",
                "product_id": self.product.id,
                "company_id": other.id,
            }
        )
        self.assertFalse(batch.code_ids.lot_id)
        self.assertFalse(lot.warranty_code_id)

    def test_prefix_clash_with_codes_without_lots(self):
        self._batch(quantity=2, prefix="PFX-")._run_generation()
        batch = self._batch(quantity=2, prefix="PFX")
        with self.assertRaisesRegex(UserError, r"PFX-00000[12] .* already exists"):
            batch.action_generate()
        self.assertEqual(batch.state, "draft")

    def test_chunk_locked_by_another_job_is_postponed(self):
        """The batch row is locked with Odoo's lock_for_update(): a chunk job
        finding it locked by another job is retried later, never skipped."""
        batch = self._batch(quantity=4)
        with trap_jobs():
            batch.action_generate()
        with (
            patch.object(
                type(batch),
                "lock_for_update",
                side_effect=LockError("Cannot grab a lock on records"),
                autospec=True,
            ),
            self.assertRaises(RetryableJobError),
        ):
            batch._generate_chunk(0)
        self.assertEqual(batch.generated_count, 0)
        self.assertEqual(batch._generate_chunk(0), "4 codes written (4/4)")

    def test_first_claim_makes_the_lot(self):
        """A printed code whose unit was never received: its first claim
        (code or serial typed) makes the unit's lot through the ORM."""
        batch = self._batch(quantity=3, prefix="MAT-")
        batch._run_generation()
        first, second, third = batch.code_ids.sorted("serial")
        claim = self.env["warranty.claim"].create({"code_id": first.id})
        self.assertEqual(first.lot_id.name, "MAT-000001")
        self.assertEqual(first.lot_id.product_id, self.product)
        self.assertEqual(claim.lot_id, first.lot_id)
        claims = self.env["warranty.claim"]
        code, lot = claims._find_unit("MAT-000002")
        self.assertEqual(code, second)
        self.assertEqual(lot, second.lot_id)
        self.assertEqual(lot.name, "MAT-000002")
        code, lot = claims._find_unit(third.code.lower())
        self.assertEqual((code, lot.name), (third, "MAT-000003"))
        # found again, not made twice
        self.assertEqual(claims._find_unit("MAT-000003"), (third, lot))
        self.assertEqual(
            self.env["stock.lot"].search_count([("name", "=like", "MAT-%")]), 3
        )
