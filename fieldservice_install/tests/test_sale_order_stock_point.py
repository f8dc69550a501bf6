# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user
from odoo.tools import mute_logger

from .common import InstallCommon


class TestStockPoint(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cn = cls.env.ref("base.cn")
        cls.zj = cls.env.ref("base.state_cn_ZJ")
        cls.js = cls.env.ref("base.state_cn_JS")
        warehouse = cls.env["stock.warehouse"]
        cls.wh_hz = warehouse.create({"name": "Hangzhou Regional", "code": "THZ"})
        cls.wh_nj = warehouse.create({"name": "Nanjing Regional", "code": "TNJ"})
        cls.dealer = cls.env["res.partner"].create(
            {"name": "Yuhang Home Store", "is_company": True}
        )
        cls.wh_dealer = warehouse.create(
            {
                "name": "Yuhang Dealer",
                "code": "TYD",
                "stock_point_type": "dealer",
                "partner_id": cls.dealer.id,
            }
        )
        cls.wh_central = warehouse.create(
            {
                "name": "Central Warehouse",
                "code": "TCW",
                "stock_point_type": "central",
                "stock_point_transit_days": 5,
            }
        )
        area = cls.env["stock.warehouse.service.area"]
        area.create(
            [
                {
                    "warehouse_id": cls.wh_hz.id,
                    "country_id": cn.id,
                    "state_id": cls.zj.id,
                    "transit_days": 1,
                },
                {
                    "warehouse_id": cls.wh_nj.id,
                    "country_id": cn.id,
                    "state_id": cls.js.id,
                    "transit_days": 1,
                },
                {
                    "warehouse_id": cls.wh_dealer.id,
                    "zip_prefix": "3111",
                    "transit_days": 0.5,
                },
            ]
        )
        cls.customer.write({"state_id": cls.zj.id, "zip": "310012"})
        cls.yuhang = cls.env["res.partner"].create(
            {
                "name": "Wu Lei",
                "street": "9 Wenyi West Road",
                "city": "Hangzhou",
                "zip": "311100",
                "state_id": cls.zj.id,
                "country_id": cn.id,
            }
        )
        cls.nanjing = cls.env["res.partner"].create(
            {
                "name": "Sun Yu",
                "street": "5 Hanzhong Road",
                "city": "Nanjing",
                "state_id": cls.js.id,
                "country_id": cn.id,
            }
        )
        quant = cls.env["stock.quant"]
        for wh, product, qty in [
            (cls.wh_hz, cls.lock, 5),
            (cls.wh_hz, cls.pipe, 5),
            (cls.wh_nj, cls.lock, 5),
            (cls.wh_nj, cls.pipe, 5),
            (cls.wh_dealer, cls.lock, 1),
            (cls.wh_central, cls.lock, 50),
            (cls.wh_central, cls.pipe, 50),
        ]:
            quant._update_available_quantity(product, wh.lot_stock_id, qty)
        cls.other_product = cls.env["product.product"].create(
            {"name": "Range Hood", "is_storable": True, "install_required": True}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.other_product, cls.wh_nj.lot_stock_id, 3
        )
        cls.company.stock_point_allow_dealer = False

    def _candidates(self, order):
        return [
            (c.warehouse_id, c.covers_address, c.all_available)
            for c in order.stock_point_candidate_ids
        ]

    # -- coverage areas -------------------------------------------------------
    def test_area_needs_a_field(self):
        with self.assertRaisesRegex(ValidationError, "at least a country"):
            self.env["stock.warehouse.service.area"].create(
                {"warehouse_id": self.wh_hz.id, "city": "  "}
            )

    def test_duplicate_area_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["stock.warehouse.service.area"].create(
                {
                    "warehouse_id": self.wh_hz.id,
                    "country_id": self.env.ref("base.cn").id,
                    "state_id": self.zj.id,
                }
            )
            self.env.flush_all()

    def test_state_must_be_in_country(self):
        with self.assertRaisesRegex(ValidationError, "is not in"):
            self.env["stock.warehouse.service.area"].create(
                {
                    "warehouse_id": self.wh_hz.id,
                    "country_id": self.env.ref("base.us").id,
                    "state_id": self.zj.id,
                }
            )

    def test_areas_edited_inline_on_warehouse_form(self):
        with Form(self.wh_nj) as form, form.service_area_ids.new() as area:
            area.city = "Suzhou"
            area.transit_days = 2
        self.assertIn("Suzhou", self.wh_nj.service_area_ids.mapped("city"))

    # -- matching on quotations -------------------------------------------------
    def test_quotation_matched_with_explanation(self):
        order = self._sale([(self.lock, 1), (self.pipe, 2)], confirm=False)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_hz)
        self.assertEqual(order.stock_point_mode, "single")
        candidates = self._candidates(order)
        self.assertEqual(candidates[0], (self.wh_hz, True, True))
        nj = next(
            c for c in order.stock_point_candidate_ids if c.warehouse_id == self.wh_nj
        )
        self.assertFalse(nj.covers_address)
        self.assertEqual(nj.reason, "Does not cover the address")
        central = order.stock_point_candidate_ids.filtered(
            lambda c: c.warehouse_id == self.wh_central
        )
        self.assertTrue(central.fallback)
        text = order.stock_point_explanation
        self.assertIn("Ships from Hangzhou Regional", text)
        self.assertIn("Not Nanjing Regional: does not cover the address", text)
        self.assertIn("Dealer warehouses are left out", text)
        self.assertNotIn(self.wh_dealer, order.stock_point_candidate_ids.warehouse_id)

    def test_recomputed_when_address_or_lines_change(self):
        order = self._sale([(self.lock, 1)], confirm=False)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_hz)
        count = len(order.stock_point_candidate_ids)
        order.partner_shipping_id = self.nanjing
        self.assertEqual(order.stock_point_warehouse_id, self.wh_nj)
        self.assertEqual(len(order.stock_point_candidate_ids), count)
        order.write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": self.other_product.id, "product_uom_qty": 5}
                    )
                ]
            }
        )
        # Nanjing has only 3 range hoods, the central warehouse none: backorder
        self.assertEqual(order.stock_point_mode, "split")
        self.assertIn(
            "Range Hood: from Central Warehouse", order.stock_point_explanation
        )
        self.assertIn(
            "Not Central Warehouse: missing 5 × Range Hood",
            order.stock_point_explanation,
        )
        order.partner_shipping_id = self.yuhang
        order.order_line.filtered(
            lambda line: line.product_id == self.other_product
        ).product_id = self.heater
        self.assertIn(
            "No stock anywhere: Electric Water Heater 60L",
            order.stock_point_explanation,
        )

    def test_recomputed_when_a_line_is_created_or_removed_directly(self):
        order = self._sale([(self.lock, 1)], partner=self.nanjing, confirm=False)
        self.assertEqual(order.stock_point_mode, "single")
        line = self.env["sale.order.line"].create(
            {"order_id": order.id, "product_id": self.heater.id}
        )
        self.assertIn("No stock anywhere", order.stock_point_explanation)
        line.unlink()
        self.assertNotIn("No stock anywhere", order.stock_point_explanation)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_nj)

    def test_partial_availability_prefers_complete_warehouse(self):
        order = self._sale([(self.lock, 6)], confirm=False)
        # Hangzhou has 5 locks, the central warehouse 50
        self.assertEqual(order.stock_point_warehouse_id, self.wh_central)
        hz = order.stock_point_candidate_ids.filtered(
            lambda c: c.warehouse_id == self.wh_hz
        )
        self.assertFalse(hz.all_available)
        self.assertEqual(hz.missing_qty, "1 × Smart Door Lock")
        self.assertIn("Ships from central warehouse", order.stock_point_explanation)

    def test_quantities_counted_in_the_product_unit(self):
        pack = self.env.ref("uom.product_uom_pack_6")
        pack.active = True
        order = self._sale([(self.lock, 1)], confirm=False)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_hz)
        order.order_line.product_uom_id = pack  # 6 locks; Hangzhou has 5
        order.action_match_stock_point()
        self.assertEqual(order.stock_point_warehouse_id, self.wh_central)
        hz = order.stock_point_candidate_ids.filtered(
            lambda c: c.warehouse_id == self.wh_hz
        )
        self.assertEqual(hz.missing_qty, "1 × Smart Door Lock")

    def test_reserved_stock_is_not_free(self):
        first = self._sale([(self.lock, 4)], confirm=False)
        first.action_confirm()  # reserves 4 of the 5 Hangzhou locks
        self.assertEqual(first.picking_ids.picking_type_id.warehouse_id, self.wh_hz)
        self.assertEqual(first.picking_ids.state, "assigned")
        second = self._sale([(self.lock, 2)], confirm=False)
        self.assertEqual(second.stock_point_warehouse_id, self.wh_central)

    def test_dealer_fulfilment_on(self):
        self.company.stock_point_allow_dealer = True
        order = self._sale([(self.lock, 1)], partner=self.yuhang, confirm=False)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_dealer)
        order.order_line.product_uom_qty = 2  # the dealer has 1
        order.action_match_stock_point()
        self.assertEqual(order.stock_point_warehouse_id, self.wh_hz)

    def test_no_covering_area_falls_back_to_central(self):
        far = self.env["res.partner"].create(
            {
                "name": "Far Away",
                "street": "1 Main St",
                "city": "Chengdu",
                "zip": "610000",
                "country_id": self.env.ref("base.cn").id,
            }
        )
        order = self._sale([(self.lock, 1)], partner=far, confirm=False)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_central)
        self.assertIn(
            "No coverage area matches the address (tried ZIP 610000, city Chengdu, "
            "state -, country China); fallback: central warehouse Central Warehouse",
            order.stock_point_explanation,
        )

    def test_uncovered_address_keeps_the_order_warehouse(self):
        self.wh_central.stock_point_type = "regional"
        far = self.env["res.partner"].create(
            {"name": "Far", "street": "1 Road", "city": "Chengdu"}
        )
        order = self._sale([(self.lock, 1)], partner=far, confirm=False)
        order.warehouse_id = self.wh_nj
        order.action_confirm()
        self.assertEqual(order.stock_point_mode, "uncovered")
        self.assertEqual(order.warehouse_id, self.wh_nj)
        self.assertFalse(order.activity_ids)
        self.assertIn("keeps its warehouse", order.stock_point_explanation)

    def test_services_and_zero_quantities_ignored(self):
        order = self._sale([(self.service, 1), (self.pipe, 0)], confirm=False)
        self.assertEqual(order.stock_point_mode, "none")
        self.assertIn("No storable product", order.stock_point_explanation)

    def test_archived_warehouse_and_area_ignored(self):
        self.wh_hz.service_area_ids.active = False
        order = self._sale([(self.lock, 1)], confirm=False)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_central)
        hz = order.stock_point_candidate_ids.filtered(
            lambda c: c.warehouse_id == self.wh_hz
        )
        self.assertFalse(hz.covers_address)
        empty = self.env["stock.warehouse"].create({"name": "Empty", "code": "TEM"})
        self.env["stock.warehouse.service.area"].create(
            {"warehouse_id": empty.id, "state_id": self.zj.id}
        )
        order.action_match_stock_point()
        self.assertIn(empty, order.stock_point_candidate_ids.warehouse_id)
        empty.active = False
        order.action_match_stock_point()
        self.assertNotIn(empty, order.stock_point_candidate_ids.warehouse_id)

    def test_network_changes_seen_by_the_next_match(self):
        """Every change of the network counts at the next match, and none
        clears Odoo's caches (they serve every model, in every worker)."""
        clear_cache = patch.object(
            type(self.env.registry),
            "clear_cache",
            side_effect=AssertionError("the registry's caches were cleared"),
        )
        self.startPatcher(clear_cache)
        order = self._sale([(self.other_product, 1)], confirm=False)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_central)
        # a shelf under Hangzhou's stock location, with the product on it
        shelf = self.env["stock.location"].create(
            {"name": "Shelf 9", "location_id": self.wh_hz.lot_stock_id.id}
        )
        self.env["stock.quant"]._update_available_quantity(self.other_product, shelf, 2)
        self.wh_hz.name = "Hangzhou Hub"
        order.action_match_stock_point()
        self.assertEqual(order.stock_point_warehouse_id, self.wh_hz)
        self.assertIn("Hangzhou Hub", order.stock_point_explanation)
        # Hangzhou's area slower than the central warehouse's fallback
        self.wh_hz.service_area_ids.transit_days = 9
        self.wh_central.stock_point_transit_days = 2
        self.env["stock.quant"]._update_available_quantity(
            self.other_product, self.wh_central.lot_stock_id, 2
        )
        order.action_match_stock_point()
        self.assertEqual(order.stock_point_warehouse_id, self.wh_hz)  # covers first
        shelf.location_id = self.wh_nj.lot_stock_id  # the shelf moves to Nanjing
        order.action_match_stock_point()
        self.assertEqual(order.stock_point_warehouse_id, self.wh_central)
        # Nanjing (which now has the shelf) covers Zhejiang for a while
        area = self.env["stock.warehouse.service.area"].create(
            {"warehouse_id": self.wh_nj.id, "state_id": self.zj.id, "transit_days": 1}
        )
        order.action_match_stock_point()
        self.assertEqual(order.stock_point_warehouse_id, self.wh_nj)
        area.unlink()
        order.action_match_stock_point()
        self.assertEqual(order.stock_point_warehouse_id, self.wh_central)

    def test_other_company_warehouses_ignored(self):
        company_b = self.env["res.company"].create({"name": "Other Brand"})
        wh_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)])
        self.env["stock.warehouse.service.area"].create(
            {"warehouse_id": wh_b.id, "state_id": self.zj.id, "transit_days": 0}
        )
        order = self._sale([(self.lock, 1)], confirm=False)
        self.assertNotIn(wh_b, order.stock_point_candidate_ids.warehouse_id)
        self.assertEqual(order.stock_point_warehouse_id, self.wh_hz)

    def test_quotation_saved_with_product_created_in_its_form(self):
        """A product created in its form (the on-hand quantity left at 0)
        leaves a quant whose quantity is NULL: saving a quotation of it
        crashed the matching."""
        with Form(self.env["product.product"]) as product_form:
            product_form.name = "Water Purifier"
            product_form.is_storable = True
        product = product_form.record
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT COUNT(*) FROM stock_quant WHERE product_id = %s"
            " AND quantity IS NULL",
            [product.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1, "the scenario changed")
        with Form(self.env["sale.order"]) as order_form:
            order_form.partner_id = self.customer
            with order_form.order_line.new() as line:
                line.product_id = product
                line.product_uom_qty = 2
            with order_form.order_line.new() as line:
                line.product_id = self.lock
        order = order_form.record
        self.assertEqual(order.stock_point_mode, "split")
        self.assertEqual(order.stock_point_warehouse_id, self.wh_hz)
        self.assertIn("Water Purifier", order.stock_point_explanation)
        # the NULL quantity counts as nothing on hand, as the ORM reads it
        free = self.env["sale.order"]._stock_point_free_qty(
            self.warehouse.ids, product.ids
        )
        self.assertEqual(free.get((self.warehouse.id, product.id), 0.0), 0.0)

    def test_match_button_refused_on_confirmed_order(self):
        order = self._sale([(self.lock, 1)])
        with self.assertRaisesRegex(UserError, "already confirmed"):
            order.action_match_stock_point()

    # -- confirmation -------------------------------------------------------------
    def test_confirmation_ships_from_match(self):
        order = self._sale([(self.lock, 1), (self.pipe, 1)])
        self.assertEqual(order.warehouse_id, self.wh_hz)
        self.assertEqual(order.picking_ids.picking_type_id.warehouse_id, self.wh_hz)
        self.assertEqual(order.install_order_ids.warehouse_id, self.wh_hz)

    def test_confirmation_setting_off_keeps_warehouse(self):
        self.company.stock_point_on_confirm = False
        order = self._sale([(self.lock, 1)], confirm=False)
        default = order.warehouse_id
        order.action_confirm()
        self.assertEqual(order.warehouse_id, default)
        self.assertEqual(order.picking_ids.picking_type_id.warehouse_id, default)

    def test_split_sourcing_creates_pickings_per_warehouse(self):
        faucet = self.env["product.product"].create(
            {"name": "Kitchen Faucet", "is_storable": True, "install_required": True}
        )
        quant = self.env["stock.quant"]
        quant._update_available_quantity(faucet, self.wh_hz.lot_stock_id, 2)
        quant._update_available_quantity(self.heater, self.wh_nj.lot_stock_id, 2)
        # Nanjing also covers Zhejiang, more slowly: faucets only in Hangzhou,
        # heaters only in Nanjing
        self.env["stock.warehouse.service.area"].create(
            {"warehouse_id": self.wh_nj.id, "state_id": self.zj.id, "transit_days": 2}
        )
        order = self._sale([(faucet, 1), (self.heater, 1)])
        self.assertEqual(order.stock_point_mode, "split")
        pickings = order.picking_ids
        self.assertEqual(len(pickings), 2)
        by_wh = {
            p.picking_type_id.warehouse_id: p.move_ids.product_id for p in pickings
        }
        self.assertEqual(by_wh[self.wh_hz], faucet)
        self.assertEqual(by_wh[self.wh_nj], self.heater)
        install = order.install_order_ids
        self.assertEqual(len(install), 1)
        self.assertEqual(install.picking_ids, pickings)
        self.assertEqual(install.install_line_ids.product_id, faucet | self.heater)

    def test_nothing_available_backorder_from_central_with_activity(self):
        dispatcher = new_test_user(self.env, login="sp_dispatcher")
        self.company.install_dispatcher_id = dispatcher
        order = self._sale([(self.heater, 1)])
        self.assertEqual(order.stock_point_mode, "backorder")
        self.assertEqual(order.warehouse_id, self.wh_central)
        self.assertEqual(
            order.picking_ids.picking_type_id.warehouse_id, self.wh_central
        )
        activity = order.activity_ids
        self.assertEqual(activity.user_id, dispatcher)
        self.assertIn("Backorder", activity.summary)

    # -- stock for installations ----------------------------------------------------
    def test_stock_for_installations_report(self):
        order = self._sale([(self.lock, 2)])
        self.env.flush_all()
        rows = self.env["fsm.install.stock.report"].search([("sale_id", "=", order.id)])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.warehouse_id, self.wh_hz)
        self.assertEqual(rows.availability, "reserved")
        self.assertEqual(rows.quantity, 2)
        self.assertEqual(
            rows.planned_date, order.install_order_ids.scheduled_date_start
        )
        short = self._sale([(self.heater, 1)])
        self.env.flush_all()
        row = self.env["fsm.install.stock.report"].search([("sale_id", "=", short.id)])
        self.assertEqual(row.availability, "short")
        self.assertEqual(row.warehouse_id, self.wh_central)
