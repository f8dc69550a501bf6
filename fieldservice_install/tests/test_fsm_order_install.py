# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo.tests import Form

from .common import InstallCommon


class TestInstallDelivery(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.serials = cls._stock(
            cls.heater, serials=["EWH-0001", "EWH-0002", "EWH-0003"]
        )
        cls._stock(cls.lock, 10)
        cls._stock(cls.pipe, 10)

    def test_validated_delivery_brings_serials_and_readiness(self):
        order = self._sale([(self.heater, 2), (self.lock, 1), (self.pipe, 1)])
        install = order.install_order_ids
        self.assertFalse(install.install_ready)
        self.assertEqual(install.picking_ids, order.picking_ids)
        picking = self._deliver(order)
        self.assertEqual(picking.state, "done")
        heater_line = install.install_line_ids.filtered(
            lambda line: line.product_id == self.heater
        )
        lock_line = install.install_line_ids - heater_line
        self.assertEqual(len(heater_line.lot_ids), 2)
        self.assertTrue(heater_line.lot_ids <= self.serials)
        self.assertEqual(heater_line.lot_ids, picking.move_line_ids.lot_id)
        self.assertEqual(heater_line.qty_delivered, 2.0)
        self.assertFalse(lock_line.lot_ids)
        self.assertEqual(lock_line.qty_delivered, 1.0)
        self.assertTrue(install.install_ready)
        self.assertEqual(install.stage_id, self.stage_ready)
        self.assertIn("EWH-000", install.message_ids[0].body)

    def test_partial_delivery_is_not_ready(self):
        order = self._sale([(self.heater, 2)])
        install = order.install_order_ids
        picking = order.picking_ids
        picking.action_assign()
        move = picking.move_ids
        move.move_line_ids[1].unlink()
        move.picked = True
        wizard = picking.button_validate()
        Form.from_action(self.env, wizard).save().process()
        self.assertEqual(picking.state, "done")
        line = install.install_line_ids
        self.assertEqual(line.qty_delivered, 1.0)
        self.assertEqual(len(line.lot_ids), 1)
        self.assertFalse(install.install_ready)
        self.assertEqual(install.stage_id, self.stage_new)
        backorder = order.picking_ids - picking
        self.assertEqual(len(backorder), 1)
        self._deliver(order)
        self.assertEqual(line.qty_delivered, 2.0)
        self.assertEqual(len(line.lot_ids), 2)
        self.assertTrue(install.install_ready)

    def test_delivery_date_moves_installation(self):
        order = self._sale([(self.lock, 1)])
        install = order.install_order_ids
        picking = order.picking_ids
        new_date = picking.scheduled_date + timedelta(days=4)
        with Form(picking) as form:
            form.scheduled_date = new_date
        self.assertEqual(install.scheduled_date_start, new_date + timedelta(days=1))

    def test_confirmed_installation_date_does_not_move(self):
        order = self._sale([(self.lock, 1)])
        install = order.install_order_ids
        agreed = install.scheduled_date_start
        install.action_confirm_install_date()
        self.assertTrue(install.install_date_confirmed)
        order.picking_ids.scheduled_date = agreed + timedelta(days=10)
        self.assertEqual(install.scheduled_date_start, agreed)

    def test_started_installation_date_does_not_move(self):
        order = self._sale([(self.lock, 1)])
        install = order.install_order_ids
        planned = install.scheduled_date_start
        install.date_start = planned
        order.picking_ids.scheduled_date = planned + timedelta(days=10)
        self.assertEqual(install.scheduled_date_start, planned)
