# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerTour(HttpCase):
    def test_customer_tracks_and_rates(self):
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        location = self.env["fsm.location"].create(
            {"name": "Tour Site", "owner_id": customer.id}
        )
        person = self.env["fsm.person"].create({"name": "Tour Technician"})
        quick = self.env["fsm.order.type"].create(
            {"name": "Tour install", "internal_type": "install"}
        )
        order = self.env["fsm.order"].create(
            {"location_id": location.id, "type": quick.id, "person_id": person.id}
        )
        order.action_complete()
        self.start_tour(
            order.sudo().get_portal_url(),
            "fieldservice_install_customer_tour",
        )
        rating = order.rating_ids
        self.assertEqual(rating.value, 5)
        self.assertEqual(rating.comment, "Clean and quick work")
