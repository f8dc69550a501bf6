# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The whole chain across the three addons, told as the users live it.

Each test is one story, from the order a customer places to the money the
technician and the brand see; every step goes through the action or the form
the user in the story uses. Run by pytest-odoo on a database where the three
addons are installed (the tags are set here: classes outside an addon get none).
"""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, TransactionCase

from .common import log_every_milestone

SOLD = datetime(2026, 3, 2, 9, 0)


class TestStories(TransactionCase):
    test_tags = frozenset({"standard", "post_install", "install_suite"})
    test_module = "master_settlement"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.install_type = cls.env.ref(
            "fieldservice_install.fsm_order_type_installation"
        )
        cls.install_type.settlement_dispute_days = 3
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Zhang Min",
                "street": "1 Xueyuan Road",
                "city": "Hangzhou",
                "zip": "310012",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.brand = cls.env["res.partner"].create(
            {"name": "AquaBrand Co.", "is_company": True}
        )
        element = cls.env["product.category"].create({"name": "Heating Elements"})
        cls.policy = cls.env["warranty.policy"].create(
            {
                "name": "Water heaters (三包)",
                "version_ids": [
                    Command.create(
                        {
                            "name": "1",
                            "date_from": date(2020, 1, 1),
                            "start_basis": "installation",
                            "sanbao": True,
                            "labour_rate": 80.0,
                            "travel_fee": 30.0,
                            "line_ids": [
                                Command.create({"cost_class": "unit", "months": 12}),
                                Command.create(
                                    {
                                        "cost_class": "parts",
                                        "months": 36,
                                        "part_categ_ids": [Command.set(element.ids)],
                                    }
                                ),
                                Command.create({"cost_class": "labour", "months": 12}),
                                Command.create({"cost_class": "travel", "months": 12}),
                            ],
                        }
                    )
                ],
            }
        )
        category = cls.env["product.category"].create(
            {"name": "Water Heaters", "warranty_policy_id": cls.policy.id}
        )
        cls.heater = cls.env["product.product"].create(
            {
                "name": "Gas Water Heater 16L",
                "is_storable": True,
                "tracking": "serial",
                "install_required": True,
                "install_duration": 2.0,
                "categ_id": category.id,
                "warranty_brand_id": cls.brand.id,
                "list_price": 2999.0,
            }
        )
        cls.no_heat = cls.env["warranty.fault"].create(
            {
                "name": "No hot water",
                "code": "story_no_heat",
                "performance_fault": True,
                "part_categ_id": element.id,
            }
        )
        for serial in ("GWH-HZ-0001", "GWH-HZ-0002"):
            lot = cls.env["stock.lot"].create(
                {"name": serial, "product_id": cls.heater.id}
            )
            cls.env["stock.quant"]._update_available_quantity(
                cls.heater, cls.warehouse.lot_stock_id, 1, lot_id=lot
            )
        # the installer: an independent contractor with his own partner
        cls.installer = cls.env["fsm.person"].create(
            {
                "name": "Liu Qiang",
                "service_zip_prefixes": "310",
                "partner_latitude": 30.27,
                "partner_longitude": 120.15,
            }
        )
        # what the platform pays its technicians: no other rate card applies
        cls.env["settlement.rate.card"].search(
            [("company_id", "=", cls.company.id)]
        ).active = False
        cls.env["settlement.rate.card"].create(
            {
                "name": "Hangzhou 2026",
                "date_from": date(2026, 1, 1),
                "line_ids": [
                    Command.create({"base_fee": 80.0}),
                    Command.create(
                        {"order_type_id": cls.install_type.id, "base_fee": 150.0}
                    ),
                ],
            }
        )

    # the users' steps ---------------------------------------------------
    def _customer_buys_a_heater(self):
        form = Form(self.env["sale.order"])
        form.partner_id = self.customer
        with form.order_line.new() as line:
            line.product_id = self.heater
        sale = form.save()
        sale.action_confirm()
        return sale

    def _warehouse_ships(self, sale):
        delivery = sale.picking_ids
        delivery.action_assign()
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        return delivery.move_line_ids.lot_id

    def _accountant_runs_settlement(self, date_to):
        run = self.env["settlement.run"].create(
            {"date_from": date_to - timedelta(days=60), "date_to": date_to}
        )
        run.with_context(queue_job__no_delay=True).action_run()
        self.assertEqual(run.state, "done")
        return run

    def _installed_heater(self):
        """The first story up to the completed installation: (sale, order, lot)."""
        with freeze_time(SOLD):
            sale = self._customer_buys_a_heater()
            lot = self._warehouse_ships(sale)
            order = sale.install_order_ids
            with Form(order) as dispatcher:
                dispatcher.person_id = self.installer
        with freeze_time(SOLD + timedelta(days=2)):
            order.date_start = datetime.now()
            log_every_milestone(order, order.install_line_ids.lot_ids)
            order.action_complete()
        return sale, order, lot

    # the stories -------------------------------------------------------
    def test_heater_sold_online_is_installed_its_warranty_starts_installer_paid(self):
        sale, order, lot = self._installed_heater()
        self.assertEqual(sale.install_state, "done")
        self.assertEqual(order.install_line_ids.lot_ids, lot)

        # the warranty starts on the day of installation, with its installer
        registration = self.env["warranty.registration"].search(
            [("lot_id", "=", lot.id)]
        )
        self.assertEqual(len(registration), 1)
        self.assertEqual(registration.start_date, date(2026, 3, 4))
        self.assertEqual(registration.install_order_id, order)
        self.assertEqual(registration.installer_id, self.installer)
        # twelve months, the last day covered
        self.assertEqual(registration.end_date_unit, date(2027, 3, 3))

        # the installer's fee is held while the customer may still dispute it
        line = order.settlement_line_ids
        self.assertEqual(line.person_id, self.installer)
        self.assertEqual(line.amount, 150.0)
        self.assertEqual(line.confirmed_date, date(2026, 3, 4))
        with freeze_time(SOLD + timedelta(days=3)):
            early = self._accountant_runs_settlement(date(2026, 3, 5))
        self.assertFalse(early.move_ids, "paid before the dispute window closed")

        # once it closed, the nightly job releases the fee and the month's
        # run pays him with one posted bill
        with freeze_time(datetime(2026, 3, 31, 18, 0)):
            with self.enter_registry_test_mode():
                self.env.ref(
                    "master_settlement.ir_cron_settlement_release"
                ).method_direct_trigger()
            self.assertEqual(line.ledger_state, "releasable")
            run = self._accountant_runs_settlement(date(2026, 3, 31))
        bill = run.move_ids
        self.assertEqual(len(bill), 1)
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.partner_id, self.installer.partner_id)
        self.assertEqual(bill.amount_total, 150.0)
        self.assertEqual(line.move_id, bill)

    def test_heater_stops_heating_repaired_under_warranty_brand_billed(self):
        _sale, _order, lot = self._installed_heater()

        # three months later the customer reports no hot water
        with freeze_time(datetime(2026, 6, 1, 9, 0)):
            claim = self.env["warranty.claim"].create(
                {"lot_id": lot.id, "fault_id": self.no_heat.id}
            )
            claim.action_submit()
            # the warranty officer confirms the verdict the rules give
            action = claim.action_open_decision()
            wizard_model = self.env[action["res_model"]].with_context(
                **action["context"]
            )
            with Form(wizard_model) as decision:
                self.assertEqual(decision.outcome, "repair")
            decision.record.action_confirm()
            self.assertTrue(all(claim.verdict_line_ids.mapped("covered")))
            claim.action_launch_outcome()
        repair = claim.repair_order_id
        self.assertEqual(repair.person_id, self.installer, "dispatched nearby")

        # the technician repairs it in two hours
        with freeze_time(datetime(2026, 6, 3, 12, 0)):
            repair.write(
                {
                    "date_start": datetime(2026, 6, 3, 10, 0),
                    "date_end": datetime(2026, 6, 3, 12, 0),
                }
            )
            repair.action_complete()
        self.assertEqual(claim.state, "done")
        self.assertEqual(claim.amount_covered, 190.0)  # 2 h x 80 + travel 30

        # the brand is billed for the covered work, once
        billing = Form(self.env["warranty.brand.billing"]).save()
        billing.action_bill()
        invoice = claim.brand_invoice_id
        self.assertEqual(invoice.partner_id, self.brand)
        self.assertEqual(invoice.amount_untaxed, 190.0)
        self.assertIn(lot.name, claim.brand_invoice_line_id.name)

        # and the technician is owed the repair at the rate card's price
        fee = repair.settlement_line_ids
        self.assertEqual(fee.person_id, self.installer)
        self.assertEqual(fee.amount, 80.0)
