# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import HttpCase, tagged

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes


@tagged("post_install", "-at_install")
class TestVerifyTour(HttpCase):
    def test_visitor_verifies_and_claims(self):
        product = self.env["product.product"].create(
            {"name": "Tour Heater", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create(
            {"name": "TOUR-SN1", "product_id": product.id}
        )
        with server_owned_writes():  # installed today
            registration = self.env["warranty.registration"].create(
                {"lot_id": lot.id, "install_date": date.today()}
            )
        code = registration.code_id
        self.env["warranty.fault"].create({"name": "Tour fault", "code": "tour_fault"})
        self.start_tour(f"/warranty/verify/{code.code}", "warranty_claims_verify_tour")
        claim = self.env["warranty.claim"].search([("code_id", "=", code.id)])
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.reporter_name, "Tour Visitor")
        self.assertEqual(claim.source, "web")
