# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cross-addon scenario: sale order -> installation order -> delivery -> ready.

Run by pytest-odoo on a database where the three addons are installed. Classes
outside an addon get no Odoo test tags of their own: they are set here.
"""

from odoo import Command
from odoo.tests import Form, TransactionCase

from .common import log_every_milestone


class TestSaleToInstallation(TransactionCase):
    test_tags = frozenset({"standard", "at_install", "install_suite"})
    test_module = "fieldservice_install"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhang Min", "street": "1 Xueyuan Road", "city": "Nanjing"}
        )
        cls.heater = cls.env["product.product"].create(
            {
                "name": "Gas Water Heater 16L",
                "is_storable": True,
                "tracking": "serial",
                "install_required": True,
                "install_duration": 2.0,
            }
        )
        cls.valve = cls.env["product.product"].create(
            {"name": "Safety Valve", "is_storable": True}
        )
        lots = cls.env["stock.lot"].create(
            [{"name": f"GWH-NJ-{i:04d}", "product_id": cls.heater.id} for i in range(3)]
        )
        quant = cls.env["stock.quant"]
        for lot in lots:
            quant._update_available_quantity(
                cls.heater, cls.warehouse.lot_stock_id, 1, lot_id=lot
            )
        quant._update_available_quantity(cls.valve, cls.warehouse.lot_stock_id, 10)

    def test_sale_to_ready_installation_with_serials(self):
        form = Form(self.env["sale.order"])
        form.partner_id = self.customer
        with form.order_line.new() as line:
            line.product_id = self.heater
            line.product_uom_qty = 2
        with form.order_line.new() as line:
            line.product_id = self.valve
            line.product_uom_qty = 2
        order = form.save()
        order.action_confirm()

        install = order.install_order_ids
        self.assertEqual(len(install), 1)
        self.assertEqual(order.install_state, "to_plan")
        self.assertEqual(install.install_line_ids.product_id, self.heater)
        delivery = order.picking_ids
        self.assertEqual(install.picking_ids, delivery)
        self.assertGreater(install.scheduled_date_start, delivery.scheduled_date)

        delivery.action_assign()
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")

        line = install.install_line_ids
        self.assertEqual(line.qty_delivered, 2)
        self.assertEqual(
            sorted(line.lot_ids.mapped("name")),
            sorted(delivery.move_line_ids.lot_id.mapped("name")),
        )
        self.assertEqual(len(line.lot_ids), 2)
        self.assertTrue(install.install_ready)
        self.assertEqual(
            install.stage_id,
            self.env.ref("fieldservice_install.fsm_stage_ready_to_install"),
        )

        # the dispatcher plans it, the technician completes it
        person = self.env["fsm.person"].create({"name": "Tech Liu"})
        with Form(install) as install_form:
            install_form.person_id = person
        self.assertEqual(order.install_state, "scheduled")
        install.date_start = install.scheduled_date_start
        # the technician logs the milestones in order, with their evidence
        log_every_milestone(install, line.lot_ids, position=(32.06, 118.79))
        self.assertFalse(install.milestone_next_id)
        self.assertEqual(install.equipment_ids.lot_id, line.lot_ids)
        install.action_complete()
        self.assertEqual(order.install_state, "done")

        # a late addition to the order opens a new installation order
        order.write({"order_line": [Command.create({"product_id": self.heater.id})]})
        self.assertEqual(len(order.install_order_ids), 2)
        self.assertEqual(order.install_state, "in_progress")
