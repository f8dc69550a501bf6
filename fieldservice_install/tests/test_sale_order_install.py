# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import Form

from odoo.addons.fieldservice_install.models.sale_order_line import SaleOrderLine

from .common import InstallCommon


class TestInstallOrderFromSale(InstallCommon):
    def _skip_milestones(self):
        """Completion without milestones (tested in test_fsm_order_milestone)."""
        self.env["fsm.milestone.template"].search(
            [("order_type_id", "=", self.install_type.id)]
        ).active = False

    def test_confirm_creates_one_installation_order(self):
        # the quotation as a salesperson makes it, then confirmed
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            for product, qty in ((self.heater, 2), (self.lock, 1), (self.pipe, 3)):
                with form.order_line.new() as line:
                    line.product_id = product
                    line.product_uom_qty = qty
        order = form.record
        order.action_confirm()
        install = order.install_order_ids
        self.assertEqual(len(install), 1)
        self.assertTrue(install.is_installation)
        self.assertEqual(install.type, self.install_type)
        self.assertEqual(install.sale_id, order)
        self.assertEqual(install.warehouse_id, order.warehouse_id)
        self.assertEqual(install.install_partner_id, order.partner_shipping_id)
        self.assertEqual(install.location_id.partner_id, order.partner_shipping_id)
        lines = install.install_line_ids.sorted("product_id")
        self.assertEqual(
            [(line.product_id, line.quantity) for line in install.install_line_ids],
            [(self.heater, 2.0), (self.lock, 1.0)],
        )
        self.assertEqual(lines.sale_line_id.product_id, self.heater | self.lock)
        self.assertEqual(install.install_state, "to_plan")
        self.assertEqual(order.install_state, "to_plan")
        self.assertEqual(order.install_order_count, 1)
        # heater 1.5 h x 2 + lock without duration uses the type default 2 h
        self.assertAlmostEqual(install.scheduled_duration, 5.0)
        self.assertIn("Installation order(s) created", order.message_ids[0].body)

    def test_values_through_fieldservice_sale_hook(self):
        """The installation order's values come from fieldservice_sale's
        ``_prepare_fsm_values``, as every field service order made from a sale
        order: what another module adds there reaches it."""
        sale_order_class = type(self.env["sale.order"])
        prepare = sale_order_class._prepare_fsm_values
        calls = []

        def prepare_urgent(order, **kwargs):
            calls.append((order, kwargs))
            return dict(prepare(order, **kwargs), priority="3")

        templates = self.env["fsm.template"].create(
            [
                {"name": "Heater", "instructions": "<p>Check the pressure valve</p>"},
                {"name": "Lock", "instructions": "<p>Pair the keypad</p>"},
            ]
        )
        self.heater.fsm_order_template_id = templates[0]
        self.lock.fsm_order_template_id = templates[1]
        with patch.object(sale_order_class, "_prepare_fsm_values", prepare_urgent):
            order = self._sale([(self.heater, 1), (self.lock, 1)])
        install = order.install_order_ids
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0][0], order)
        self.assertEqual(calls[0][1]["so_id"], order.id)
        self.assertEqual(install.priority, "3")
        # the templates of every product to install, the first one the order's
        self.assertEqual(install.template_id, templates[0])
        self.assertIn("pressure valve", install.todo)
        self.assertIn("keypad", install.todo)
        # and it stays an installation at the delivery address
        self.assertEqual(install.type, self.install_type)
        self.assertEqual(install.sale_id, order)
        self.assertFalse(install.sale_line_id)
        self.assertEqual(install.location_id.partner_id, order.partner_shipping_id)
        self.assertEqual(
            install.location_directions or False,
            install.location_id.complete_direction or False,
        )

    def test_no_installable_product_no_order(self):
        order = self._sale([(self.pipe, 1), (self.service, 1)])
        self.assertFalse(order.install_order_ids)
        self.assertEqual(order.install_state, "none")
        self.assertFalse(order.order_line.filtered("install_required"))

    def test_line_flag_and_smart_button(self):
        order = self._sale([(self.heater, 1), (self.pipe, 1)])
        self.assertEqual(
            order.order_line.filtered("install_required").product_id, self.heater
        )
        action = order.action_view_install_orders()
        self.assertEqual(action["res_model"], "fsm.order")
        self.assertEqual(action["res_id"], order.install_order_ids.id)

    def test_planned_after_delivery_plus_buffer(self):
        self.company.install_buffer_days = 3
        order = self._sale([(self.heater, 1)])
        install = order.install_order_ids
        delivery = order.picking_ids
        self.assertEqual(install.picking_ids, delivery)
        self.assertEqual(
            install.scheduled_date_start, delivery.scheduled_date + timedelta(days=3)
        )
        self.assertEqual(install.request_early, install.scheduled_date_start)
        self.assertEqual(
            install.scheduled_date_end,
            install.scheduled_date_start + timedelta(hours=1.5),
        )

    def test_location_reused_for_same_address(self):
        first = self._sale([(self.heater, 1)])
        second = self._sale([(self.lock, 1)])
        self.assertEqual(
            first.install_order_ids.location_id, second.install_order_ids.location_id
        )
        self.assertEqual(
            self.env["fsm.location"].search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            1,
        )
        # the customer's contact keeps its type
        self.assertEqual(self.customer.type, "contact")

    def test_one_order_per_delivery_address(self):
        other_address = self.env["res.partner"].create(
            {
                "name": "Li Wei (holiday flat)",
                "parent_id": self.customer.id,
                "type": "delivery",
                "street": "3 Lakeside",
                "city": "Suzhou",
            }
        )

        def per_line_address(line):
            return other_address if line.product_id == self.lock else self.customer

        with patch.object(SaleOrderLine, "_install_delivery_partner", per_line_address):
            order = self._sale([(self.heater, 1), (self.lock, 2)])
            self.assertEqual(len(order.install_order_ids), 2)
            by_partner = {
                fso.install_partner_id: fso.install_line_ids.product_id
                for fso in order.install_order_ids
            }
            self.assertEqual(by_partner[self.customer], self.heater)
            self.assertEqual(by_partner[other_address], self.lock)
            # confirming again changes nothing
            order._install_sync(reopen_cancelled=True)
            self.assertEqual(len(order.install_order_ids), 2)

    def test_sync_is_idempotent(self):
        order = self._sale([(self.heater, 2)])
        install = order.install_order_ids
        lines = install.install_line_ids
        for _ in range(3):
            order._install_sync()
            order._install_sync(reopen_cancelled=True)
        self.assertEqual(order.install_order_ids, install)
        self.assertEqual(install.install_line_ids, lines)
        self.assertEqual(lines.quantity, 2.0)

    def test_cancel_and_reconfirm_never_duplicates(self):
        order = self._sale([(self.heater, 1), (self.lock, 1)])
        install = order.install_order_ids
        order._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(install.install_state, "cancelled")
        self.assertEqual(install.stage_id, self.stage_cancelled)
        self.assertTrue(install.exists(), "installation orders are never deleted")
        self.assertEqual(order.install_state, "cancelled")

        order.action_draft()
        order.action_confirm()
        self.assertEqual(order.install_order_ids, install)
        self.assertEqual(install.install_state, "to_plan")
        self.assertEqual(install.stage_id, self.stage_new)
        self.assertEqual(len(install.install_line_ids), 2)
        self.assertEqual(
            self.env["fsm.order"].search_count([("sale_id", "=", order.id)]), 1
        )

    def test_cancel_started_installation_posts_message(self):
        order = self._sale([(self.heater, 1)])
        install = order.install_order_ids
        install.date_start = install.scheduled_date_start
        self.assertEqual(install.install_state, "in_progress")
        order._action_cancel()
        self.assertEqual(install.install_state, "in_progress")
        self.assertIn("has started", install.message_ids[0].body)
        self.assertIn(order.name, install.message_ids[0].body)

    def test_line_added_after_confirmation(self):
        order = self._sale([(self.heater, 1), (self.pipe, 1)])
        install = order.install_order_ids
        order.write(
            {
                "order_line": [
                    Command.create({"product_id": self.lock.id, "product_uom_qty": 2})
                ]
            }
        )
        self.assertEqual(order.install_order_ids, install)
        self.assertEqual(
            sorted(
                install.install_line_ids.mapped(
                    lambda line: (line.product_id.id, line.quantity)
                )
            ),
            sorted([(self.heater.id, 1.0), (self.lock.id, 2.0)]),
        )
        self.assertAlmostEqual(install.scheduled_duration, 1.5 + 2 * 2.0)

    def test_line_added_through_the_form(self):
        order = self._sale([(self.heater, 1)])
        with Form(order) as form, form.order_line.new() as line:
            line.product_id = self.lock
            line.product_uom_qty = 1
        self.assertEqual(
            order.install_order_ids.install_line_ids.product_id, self.heater | self.lock
        )

    def test_quantity_reduced_and_removed(self):
        order = self._sale([(self.heater, 3), (self.lock, 1)])
        install = order.install_order_ids
        heater_line = order.order_line.filtered(
            lambda line: line.product_id == self.heater
        )
        lock_line = order.order_line.filtered(lambda line: line.product_id == self.lock)
        heater_line.product_uom_qty = 2
        self.assertEqual(
            install.install_line_ids.filtered(
                lambda line: line.product_id == self.heater
            ).quantity,
            2.0,
        )
        lock_line.product_uom_qty = 0
        self.assertEqual(install.install_line_ids.product_id, self.heater)
        self.assertEqual(install.install_state, "to_plan")
        heater_line.product_uom_qty = 0
        self.assertFalse(install.install_line_ids)
        self.assertEqual(install.install_state, "cancelled")
        self.assertTrue(install.exists())
        # and back again: the cancelled order is not reused, a new one is created
        heater_line.product_uom_qty = 1
        self.assertEqual(len(order.install_order_ids), 2)
        self.assertEqual(order.install_state, "to_plan")

    def test_quantity_increase_after_installation_done(self):
        self._skip_milestones()
        order = self._sale([(self.lock, 1)])
        first = order.install_order_ids
        first.with_context(
            bypass_order_completed_stage=True
        ).stage_id = self.stage_completed
        self.assertEqual(order.install_state, "done")
        order.order_line.product_uom_qty = 3
        second = order.install_order_ids - first
        self.assertEqual(len(second), 1)
        self.assertEqual(second.install_line_ids.quantity, 2.0)
        self.assertEqual(first.install_line_ids.quantity, 1.0)
        self.assertEqual(order.install_state, "in_progress")

    def test_sale_install_state_follows_orders(self):
        self._skip_milestones()
        order = self._sale([(self.heater, 1)])
        install = order.install_order_ids
        person = self.env["fsm.person"].create({"name": "Wang Fang"})
        install.person_id = person
        self.assertEqual(order.install_state, "scheduled")
        install.date_start = install.scheduled_date_start
        self.assertEqual(order.install_state, "in_progress")
        install.action_complete()
        self.assertEqual(order.install_state, "done")

    def test_confirmed_date_kept_when_commitment_date_changes(self):
        order = self._sale([(self.heater, 1)])
        install = order.install_order_ids
        agreed = install.scheduled_date_start + timedelta(days=5)
        # the dispatcher moves the order to the agreed date, confirms it
        with Form(install) as form:
            form.scheduled_date_start = agreed
        install.action_confirm_install_date()
        with Form(order) as form:
            form.commitment_date = agreed + timedelta(days=20)
        self.assertEqual(install.scheduled_date_start, agreed)
