# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTrackingController(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Track Customer", "email": "track@example.com"}
        )
        location = cls.env["fsm.location"].create(
            {"name": "Track Site", "owner_id": cls.customer.id}
        )
        cls.person = cls.env["fsm.person"].create({"name": "Tech Tracked"})
        install_type = cls.env.ref("fieldservice_install.fsm_order_type_installation")
        cls.order = cls.env["fsm.order"].create(
            {
                "location_id": location.id,
                "type": install_type.id,
                "person_id": cls.person.id,
                "scheduled_date_start": fields.Datetime.now() + timedelta(days=2),
            }
        )
        cls.picked_up = cls.env.ref(
            "fieldservice_install.fsm_milestone_template_picked_up"
        )
        cls.env["fsm.order.milestone.log"].create(
            {
                "order_id": cls.order.id,
                "milestone_id": cls.picked_up.id,
                "latitude": 30.123456,
                "longitude": 120.654321,
            }
        )
        # an installation type without milestones: completes at once
        quick = cls.env["fsm.order.type"].create(
            {"name": "Quick install", "internal_type": "install"}
        )
        cls.done = cls.env["fsm.order"].create(
            {"location_id": location.id, "type": quick.id, "person_id": cls.person.id}
        )
        cls.done.action_complete()
        cls.rating = cls.done.rating_ids

    def _url(self, order):
        """The order's portal link (path only)."""
        return order.sudo().get_portal_url()

    def _csrf(self, page):
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def test_token_is_unguessable_and_unique(self):
        tokens = (self.order | self.done).sudo().mapped("access_token")
        self.assertEqual(len(set(tokens)), 2)
        self.assertTrue(all(len(token) >= 32 for token in tokens))
        self.assertTrue(
            self.order.tracking_url.endswith(
                f"/install/track/{self.order.id}?access_token={tokens[0]}"
            )
        )

    def test_link_needs_its_own_secret(self):
        token = self.order.sudo().access_token
        for url in (
            f"/install/track/{self.order.id}",
            f"/install/track/{self.order.id}?access_token=",
            f"/install/track/{self.order.id}?access_token=x{token}",
            f"/install/track/{self.done.id}?access_token={token}",
            f"/install/track/987654321?access_token={token}",
        ):
            page = self.url_open(url, allow_redirects=False)
            self.assertEqual(page.status_code, 404, url)
            self.assertNotIn(self.order.name, page.text)

    def test_links_with_the_secret_in_their_path_still_work(self):
        """Links sent before the portal links: /install/track/<secret>."""
        token = self.order.sudo().access_token
        page = self.url_open(f"/install/track/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        # the page's forms post to the portal link, with the secret
        self.assertIn(f'action="/install/track/{self.order.id}/reschedule"', page.text)
        self.assertIn(f'name="access_token" value="{token}"', page.text)
        response = self.url_open(
            f"/install/track/{token}/reschedule",
            data={
                "wanted_date": str(fields.Date.today() + timedelta(days=5)),
                "csrf_token": self._csrf(page),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(self.order.activity_ids)
        rating_token = self.rating.sudo().access_token
        rate = self.url_open(f"/install/rate/{rating_token}?format=json")
        self.assertEqual(rate.status_code, 200)
        self.assertEqual(rate.json()["order"], self.done.name)

    def test_page_shows_timeline_and_technician(self):
        page = self.url_open(self._url(self.order))
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        self.assertIn("Tech Tracked", page.text)
        self.assertIn("o_fsm_install_timeline", page.text)
        self.assertIn("Picked up at logistics point", page.text)
        self.assertIn("Goods inspected", page.text)  # a step still to come
        self.assertIn("/reschedule", page.text)  # not started: can be moved
        self.assertNotIn("30.12", page.text)  # no positions for the customer
        self.assertNotIn("o_fsm_install_rate", page.text)  # not done yet

    def test_unknown_and_hostile_tokens(self):
        for token in ("nope", "<script>x", "a" * 300):
            page = self.url_open(f"/install/track/{token}")
            self.assertEqual(page.status_code, 404)
            self.assertIn("not valid", page.text)
            self.assertNotIn("<script>x", page.text)

    def test_expired_links(self):
        self.done.date_end = fields.Datetime.now() - timedelta(days=91)
        page = self.url_open(self._url(self.done))
        self.assertEqual(page.status_code, 410)
        self.assertIn("expired", page.text)
        rate = self.url_open(f"{self.rating.sudo().get_portal_url()}&format=json")
        self.assertEqual(rate.status_code, 410)
        self.done.date_end = fields.Datetime.now() - timedelta(days=89)
        self.assertEqual(self.url_open(self._url(self.done)).status_code, 200)

    def test_new_token_kills_the_old_link(self):
        old = self._url(self.order)
        self.order.action_tracking_new_token()
        self.assertEqual(self.url_open(old).status_code, 404)
        self.assertEqual(self.url_open(self._url(self.order)).status_code, 200)

    def test_reschedule_request(self):
        url = self._url(self.order)
        post_url = f"/install/track/{self.order.id}/reschedule"
        token = self.order.sudo().access_token
        wanted = fields.Date.today() + timedelta(days=5)
        # no CSRF token: refused, nothing recorded
        response = self.url_open(
            post_url, data={"wanted_date": str(wanted), "access_token": token}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.order.activity_ids)
        csrf = self._csrf(self.url_open(url))
        # no secret: not found
        response = self.url_open(
            post_url, data={"wanted_date": str(wanted), "csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.order.activity_ids)
        for bad, message in (
            ("not a date", "year-month-day"),
            ("", "year-month-day"),
            (str(fields.Date.today()), "after today"),
            ("2020-01-01", "after today"),
            (str(fields.Date.today() + timedelta(days=400)), "within 90 days"),
        ):
            response = self.url_open(
                post_url,
                data={"wanted_date": bad, "csrf_token": csrf, "access_token": token},
            )
            self.assertEqual(response.status_code, 400, bad)
            self.assertIn(message, response.text)
        self.assertFalse(self.order.activity_ids)
        response = self.url_open(
            post_url,
            data={
                "wanted_date": str(wanted),
                "note": "<b>mornings</b>",
                "csrf_token": csrf,
                "access_token": token,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("rescheduled=1", response.url)
        self.assertIn("Your request is sent", response.text)
        activity = self.order.activity_ids
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("fieldservice_install.mail_activity_type_reschedule"),
        )
        self.assertIn("mornings", str(activity.note))
        self.assertNotIn("<b>mornings", str(activity.note))
        self.assertIn(
            "move the installation", " ".join(self.order.message_ids.mapped("body"))
        )
        # the schedule itself is not changed
        self.assertGreater(self.order.scheduled_date_start, fields.Datetime.now())
        again = self.url_open(
            post_url,
            data={
                "wanted_date": str(wanted),
                "csrf_token": csrf,
                "access_token": token,
            },
        )
        self.assertEqual(again.status_code, 400)
        self.assertIn("being handled", again.text)
        self.assertEqual(len(self.order.activity_ids), 1)

    def test_reschedule_todo_goes_to_an_internal_user(self):
        """Without a company dispatcher nor a salesperson, the visitor's
        request still goes to someone who can act on it: never the public
        user the page runs as."""
        self.order.company_id.install_dispatcher_id = False
        token = self.order.sudo().access_token
        csrf = self._csrf(self.url_open(self._url(self.order)))
        wanted = fields.Date.today() + timedelta(days=5)
        response = self.url_open(
            f"/install/track/{self.order.id}/reschedule",
            data={
                "wanted_date": str(wanted),
                "csrf_token": csrf,
                "access_token": token,
            },
        )
        self.assertEqual(response.status_code, 200)
        user = self.order.activity_ids.user_id
        self.assertEqual(len(user), 1)
        self.assertFalse(user.share)
        self.assertIn(self.order.company_id, user.company_ids)

    def test_no_reschedule_once_closed(self):
        url = self._url(self.done)
        page = self.url_open(url)
        self.assertNotIn("/reschedule", page.text)
        response = self.url_open(
            f"/install/track/{self.done.id}/reschedule",
            data={
                "wanted_date": str(fields.Date.today() + timedelta(days=3)),
                "csrf_token": self._csrf(page),
                "access_token": self.done.sudo().access_token,
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("can no longer be moved", response.text)

    def test_rate_from_tracking_page_once(self):
        url = self._url(self.done)
        page = self.url_open(url)
        token = self.rating.sudo().access_token
        self.assertIn(f'action="/install/rate/{self.rating.id}"', page.text)
        self.assertIn(f'name="access_token" value="{token}"', page.text)
        csrf = self._csrf(page)
        rate_url = f"/install/rate/{self.rating.id}"
        # the HTML form needs its CSRF token
        forged = self.url_open(rate_url, data={"value": "5", "access_token": token})
        self.assertEqual(forged.status_code, 400)
        self.assertFalse(self.rating.value)
        # and the rating's secret
        stranger = self.url_open(rate_url, data={"value": "5", "csrf_token": csrf})
        self.assertEqual(stranger.status_code, 404)
        self.assertFalse(self.rating.value)
        done = self.url_open(
            rate_url,
            data={
                "value": "4",
                "comment": "Neat",
                "csrf_token": csrf,
                "access_token": token,
            },
        )
        self.assertEqual(done.status_code, 200)
        self.assertIn("Thank you for your rating", done.text)
        self.assertEqual(self.rating.value, 4)
        twice = self.url_open(
            rate_url, data={"value": "1", "csrf_token": csrf, "access_token": token}
        )
        self.assertEqual(twice.status_code, 409)
        self.assertIn("already rated", twice.text)
        self.assertEqual(self.rating.value, 4)
        page = self.url_open(url)
        self.assertIn("Thank you for your rating", page.text)
        self.assertNotIn(f'action="/install/rate/{self.rating.id}"', page.text)
