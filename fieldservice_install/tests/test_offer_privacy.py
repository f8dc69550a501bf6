# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A job merely offered to a portal technician shows the area and the work,
never the customer's name, street or phone: through RPC (``read``,
``search_read`` of the order, its location, the customer, the offer) as on
the portal pages. Once the technician accepts, the job is theirs and they
see what the work needs."""

import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .portal_common import PortalTechCommon
from .rpc_common import RpcMixin


@tagged("post_install", "-at_install")
class TestOfferPrivacy(HttpCase, RpcMixin, PortalTechCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"phone": "+86 571 8765 4321", "email": "li.wei@example.com"}
        )
        cls.install.location_id.phone = "+86 571 8765 4321"
        cls.private = ("Li Wei", "Wensan", "8765 4321", "li.wei@example.com")

    def _assert_private_hidden(self, text, where):
        for value in self.private:
            self.assertNotIn(value, text, f"{value!r} in {where}")

    def _csrf(self):
        page = self.url_open("/my/jobs")
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    @mute_logger("odoo.http")
    def test_offered_job_shows_the_area_and_the_work(self):
        self.authenticate(self.tech_user.login, self.tech_user.login)
        order, location = self.install, self.install.location_id
        # the order, its location and the customer: not readable
        for model, ids, names in (
            ("fsm.order", order.ids, ["street", "phone", "location_id", "name"]),
            ("fsm.location", location.ids, ["name", "street", "phone"]),
            ("res.partner", self.customer.ids, ["name", "phone", "street"]),
        ):
            error, _message = self._rpc_error(model, "read", ids, names)
            self.assertEqual(error, "odoo.exceptions.AccessError", model)
        for domain in ([], [("id", "=", order.id)]):
            self.assertFalse(
                self._rpc("fsm.order", "search_read", domain, ["name", "street"])
            )
        self.assertFalse(self._rpc("fsm.order", "name_search", "S"))
        self._assert_private_hidden(
            self._rpc_texts(
                "mail.message",
                "search_read",
                [("model", "=", "fsm.order"), ("res_id", "=", order.id)],
                ["body"],
            ),
            "the order's messages",
        )
        # the offer tells the area and the work
        offer_text = self._rpc_read_everything("fsm.dispatch.offer", self.offer.ids)
        self._assert_private_hidden(offer_text, "the offer")
        (offer,) = self._rpc(
            "fsm.dispatch.offer",
            "read",
            self.offer.ids,
            ["job_name", "job_area", "job_work", "job_map_url"],
        )
        self.assertEqual(offer["job_name"], order.name)
        self.assertIn("310012 Hangzhou", offer["job_area"])
        self.assertEqual(offer["job_work"], "1 × Electric Water Heater 60L")
        self.assertNotIn("mlat", offer["job_map_url"])  # the area, not the site
        # the portal pages alike
        for url in ("/my/jobs", f"/my/offers/{self.offer.id}"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            self._assert_private_hidden(page.text, url)
            self.assertIn("Hangzhou", page.text)
            self.assertIn("Electric Water Heater 60L", page.text)
        self.assertIn(
            f'href="/my/offers/{self.offer.id}"', self.url_open("/my/jobs").text
        )
        self.assertEqual(self.url_open(f"/my/jobs/{order.id}").status_code, 404)
        # another technician's offer: not even that
        self.assertEqual(
            self.url_open(f"/my/offers/{self.other_offer.id}").status_code, 404
        )
        self._rpc_error(
            "fsm.dispatch.offer", "read", self.other_offer.ids, ["job_area"]
        )

        # accepted: the job is theirs, with what the work needs
        answer = self.url_open(
            f"/my/offers/{self.offer.id}/accept",
            data={"csrf_token": self._csrf()},
            allow_redirects=False,
        )
        self.assertEqual(answer.status_code, 303)
        (values,) = self._rpc("fsm.order", "read", order.ids, ["street", "phone"])
        self.assertEqual(values["street"], "88 Wensan Road")
        self.assertEqual(values["phone"], "+86 571 8765 4321")
        page = self.url_open(f"/my/jobs/{order.id}").text
        self.assertIn("88 Wensan Road", page)
        self.assertIn("tel:+865718765" + "4321", page)
        self.assertIn("Li Wei", page)
