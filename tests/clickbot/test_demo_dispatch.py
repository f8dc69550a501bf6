# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo shows what dispatch does: on a database with demo data, every
demo technician covers his city and has a home base, and the dispatcher who
ranks the technicians of an open demo installation order finds eligible ones
of that city with their distances, or, for an order nobody is qualified for,
the reason of each.

Runs with the clickbot, on the database created ``--with-demo``; skipped on
one without demo data."""

import unittest

from odoo.tests import TransactionCase


class TestDemoDispatch(TransactionCase):
    # Classes outside an addon get no Odoo test tags of their own.
    test_tags = frozenset({"post_install", "click_install_suite"})
    test_module = "fieldservice_install"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["ir.module.module"].search(
            [("name", "=", "fieldservice_install"), ("demo", "=", True)]
        ):
            raise unittest.SkipTest("no demo data (create the database --with-demo)")
        data = cls.env["ir.model.data"].search(
            [("module", "=", "fieldservice_install"), ("model", "=", "fsm.person")]
        )
        cls.technicians = cls.env["fsm.person"].browse(data.mapped("res_id"))

    def test_demo_technicians_cover_their_city_from_a_home_base(self):
        self.assertGreaterEqual(len(self.technicians), 10)
        for technician in self.technicians:
            self.assertTrue(technician.service_zip_prefixes, technician.name)
            self.assertTrue(technician.partner_latitude, technician.name)
            self.assertTrue(technician.partner_longitude, technician.name)

    def test_open_demo_installations_find_technicians_of_their_city(self):
        orders = self.env["fsm.order"].search(
            [
                (
                    "type",
                    "=",
                    self.env.ref("fieldservice_install.fsm_order_type_installation").id,
                ),
                ("person_id", "=", False),
                ("is_closed", "=", False),
            ]
        )
        self.assertTrue(orders, "the demo has installations to dispatch")
        orders.action_compute_dispatch()
        dispatchable = orders.filtered(
            lambda order: order.dispatch_candidate_ids.filtered("eligible")
        )
        # most find a technician; an order nobody may take says why
        self.assertGreater(len(dispatchable), len(orders) / 2)
        for order in orders - dispatchable:
            self.assertTrue(order.dispatch_candidate_ids, order.name)
            self.assertTrue(all(order.dispatch_candidate_ids.mapped("reasons")))
        for order in dispatchable:
            best = order.dispatch_candidate_ids.filtered("eligible").sorted("rank")[0]
            self.assertEqual(best.person_id.city, order.location_id.city, order.name)
            self.assertTrue(best.distance_known, order.name)
