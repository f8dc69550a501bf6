# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .common import WarrantyCommon


class TestOutcomes(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.certified.write(
            {
                "service_zip_prefixes": "310",
                "partner_latitude": 30.27,
                "partner_longitude": 120.15,
            }
        )
        cls.registration = cls._install_unit("OUT-SN1")
        cls.lot = cls.registration.lot_id
        cls.sale_line = cls.env["sale.order.line"].search(
            [("move_ids.move_line_ids.lot_id", "=", cls.lot.id)], limit=1
        )

    def _decided(self, fault, day, outcome=None):
        claim = self._claim(self.lot, fault, day)
        self._decide(claim, outcome=outcome)
        return claim

    def test_repair_order_dispatched_then_completed(self):
        with freeze_time("2026-06-01 08:00:00"):
            claim = self._decided(self.scratch, date(2026, 6, 1))
            self.assertEqual(claim.outcome, "repair")
            claim.action_launch_outcome()
        self.assertEqual(claim.state, "in_progress")
        order = claim.repair_order_id
        self.assertEqual(
            order.type, self.env.ref("warranty_claims.fsm_order_type_repair")
        )
        self.assertEqual(
            order.location_id, self.registration.install_order_id.location_id
        )
        self.assertEqual(order.warranty_claim_id, claim)
        self.assertIn(
            f"Claim: {claim.name} Product: {self.heater.display_name} "
            f"Serial number: {self.lot.name} Fault: {self.scratch.name}",
            " ".join(html2plaintext(order.description).split()),
        )
        self.assertEqual(order.person_id, self.certified, "dispatched by the engine")
        self.assertIn("dispatched to Certified Wang", claim.message_ids[0].body)
        self.assertEqual(claim.repair_start_date, date(2026, 6, 1))
        with self.assertRaisesRegex(UserError, "not completed yet"):
            claim.action_done()
        with freeze_time("2026-06-04 10:00:00"):
            order.write(
                {
                    "date_start": datetime(2026, 6, 4, 8, 0),
                    "date_end": datetime(2026, 6, 4, 10, 0),
                }
            )
            order.action_complete()
        self.assertEqual(claim.state, "done")
        self.assertEqual(claim.repair_end_date, date(2026, 6, 4))
        self.assertEqual(self._line(claim, "labour").cost, 160.0)  # 2 h x 80
        self.assertEqual(self._line(claim, "travel").cost, 30.0)
        self.assertEqual(claim.amount_covered, 190.0)
        self.assertEqual(claim.billing_state, "to_bill")
        # the clock paused 3 days
        self.assertEqual(self.registration.pause_days, 3)
        self.assertEqual(self.registration.end_date_unit, date(2027, 1, 17))

    def test_repair_without_technician_is_created_not_dispatched(self):
        self.certified.write(
            {"dispatch_state": "suspended", "suspension_reason": "On leave"}
        )
        claim = self._decided(self.scratch, date(2026, 6, 1))
        claim.action_launch_outcome()
        self.assertTrue(claim.repair_order_id)
        self.assertFalse(claim.repair_order_id.person_id)
        self.assertIn("not dispatched", claim.message_ids[0].body)

    def test_exchange_creates_replacement_delivery(self):
        self._stock(self.heater, serials=["OUT-SPARE"])
        claim = self._decided(self.no_heat, date(2026, 1, 25))
        self.assertEqual(claim.outcome, "exchange")
        claim.action_launch_outcome()
        picking = claim.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_code, "outgoing")
        self.assertEqual(picking.partner_id, self.customer)
        self.assertEqual(picking.move_ids.product_id, self.heater)
        self.assertEqual(picking.origin, claim.name)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(claim.action_view_pickings()["res_id"], picking.id)
        claim.action_done()
        self.assertEqual(self._line(claim, "unit").cost, 900.0)

    def test_return_creates_return_picking_and_credit_note(self):
        claim = self._decided(self.no_heat, date(2026, 1, 20))
        self.assertEqual(claim.outcome, "refund")
        claim.action_launch_outcome()
        picking = claim.picking_ids
        self.assertEqual(picking.picking_type_code, "incoming")
        self.assertEqual(picking.location_id.usage, "customer")
        refund = claim.refund_move_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.partner_id, self.customer)
        self.assertEqual(refund.invoice_line_ids.price_unit, self.sale_line.price_unit)
        self.assertEqual(claim.action_view_refund()["res_id"], refund.id)
        self.assertEqual(refund.warranty_claim_count, 1)

    def test_out_of_warranty_gets_a_quotation(self):
        claim = self._claim(self.lot, self.scratch, date(2027, 3, 1))
        self.assertEqual(claim.remedy, "quote")
        self._decide(claim)
        self.assertEqual(claim.outcome, "quotation")
        claim.action_launch_outcome()
        quote = claim.sale_order_id
        self.assertEqual(quote.state, "draft")
        self.assertEqual(quote.partner_id, self.customer)
        self.assertEqual(
            quote.order_line.product_id,
            self.env.ref("warranty_claims.product_product_paid_repair"),
        )
        self.assertIn("OUT-SN1", quote.order_line.name)
        self.assertEqual(claim.action_view_quotation()["res_id"], quote.id)
        claim.action_done()
        self.assertEqual(claim.amount_covered, 0.0)
        self.assertEqual(claim.billing_state, "none")

    def test_in_progress_claim_cannot_be_cancelled(self):
        claim = self._decided(self.scratch, date(2026, 6, 1), outcome="quotation")
        claim.action_launch_outcome()
        with self.assertRaisesRegex(UserError, "in progress"):
            claim.action_cancel()
