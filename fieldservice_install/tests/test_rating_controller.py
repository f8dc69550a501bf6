# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestRatingController(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["fsm.milestone.template"].search([]).active = False
        owner = cls.env["res.partner"].create({"name": "Rating Customer"})
        location = cls.env["fsm.location"].create(
            {"name": "Rating Site", "owner_id": owner.id}
        )
        cls.person = cls.env["fsm.person"].create({"name": "Tech Rated"})
        cls.order = cls.env["fsm.order"].create(
            {"location_id": location.id, "person_id": cls.person.id}
        )
        cls.order.action_complete()
        cls.rating = cls.order.rating_ids

    def test_page_rate_once_and_errors(self):
        url = self.rating.sudo().get_portal_url()
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tech Rated", page.text)
        self.assertIn('name="value"', page.text)

        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        bad = self.url_open(url, data={"value": "9", "csrf_token": csrf})
        self.assertEqual(bad.status_code, 400)

        done = self.url_open(
            url + "&format=json", data={"value": "2", "comment": "Late"}
        )
        self.assertEqual(done.status_code, 200)
        self.assertEqual(done.json()["value"], 2)
        self.assertEqual(self.rating.value, 2)
        self.assertTrue(self.order.quality_hold)

        again = self.url_open(url, data={"value": "5", "csrf_token": csrf})
        self.assertEqual(again.status_code, 409)
        self.assertEqual(self.rating.value, 2)

    def test_unknown_and_hostile_tokens(self):
        for token in ("nope", "' OR 1=1 --", "<script>x</script>", "a" * 300):
            response = self.url_open(f"/install/rate/{token}?format=json")
            self.assertIn(response.status_code, (404,))
            self.assertNotIn("<script>x", response.text)
