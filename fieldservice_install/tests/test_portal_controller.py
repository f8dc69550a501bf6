# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from ..controllers.portal import JOB_TABS, TechnicianPortal
from ..tools.server_owned import server_owned_writes
from .portal_common import NEAR, PNG, PortalTechCommon


@tagged("post_install", "-at_install")
class TestPortalController(HttpCase, PortalTechCommon):
    """The technician portal's pages, answers and refusals over HTTP."""

    def _login(self, login="portal_tech"):
        self.authenticate(login, login)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _csrf(self, url="/my/jobs"):
        page = self._get(url)
        self.assertEqual(page.status_code, 200, page.text[:500])
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def _post(self, url, data=None, files=None, csrf=True):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    # pages -------------------------------------------------------------
    def test_jobs_page_shows_offer_and_tabs(self):
        self._assign(self.other_install, self.tech)  # a job of today
        self._login()
        page = self._get("/my/jobs")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_fsm_offer", page.text)
        self.assertIn(self.install.name, page.text)
        self.assertIn(self.other_install.name, page.text)
        for tab in ("upcoming", "done"):
            self.assertEqual(self._get(f"/my/jobs?tab={tab}").status_code, 200)
        self.assertEqual(self._get("/my/jobs?tab=nonsense").status_code, 200)

    def test_tabs_sort_jobs_by_day(self):
        tomorrow = fields.Datetime.now() + timedelta(days=2)
        self._assign(self.other_install, self.tech)
        upcoming = self._sale([(self.lock, 1)]).install_order_ids
        upcoming.write(
            {
                "person_id": self.tech.id,
                "scheduled_date_start": tomorrow,
                "scheduled_duration": 1.0,
            }
        )
        done = self.env["fsm.order"].create(
            {
                "location_id": self.install.location_id.id,
                "type": self.env["fsm.order.type"].create({"name": "Visit"}).id,
                "person_id": self.tech.id,
            }
        )
        done.action_complete()
        self._login()
        pages = {tab: self._get(f"/my/jobs?tab={tab}").text for tab in JOB_TABS}
        for tab, order in (
            ("today", self.other_install),
            ("upcoming", upcoming),
            ("done", done),
        ):
            cards = [
                re.search(r'data-order="([^"]+)"', tag).group(1)
                for tag in re.findall(r"<a[^>]*o_fsm_job_card[^>]*>", pages[tab])
            ]
            self.assertEqual(cards, [order.name], tab)

    def test_job_detail_address_map_and_serials(self):
        self._assign()
        self._login()
        page = self._get(f"/my/jobs/{self.install.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("openstreetmap.org", page.text)
        self.assertIn("88 Wensan Road", page.text)
        self.assertIn("TOUR-SN-0001", page.text)
        self.assertIn("o_fsm_milestone_form", page.text)

    def test_other_technicians_job_answers_404(self):
        self._login()
        self.assertEqual(
            self._get(f"/my/jobs/{self.other_install.id}").status_code, 404
        )
        self.assertEqual(self._get("/my/jobs/987654321").status_code, 404)
        answer = self._post(
            f"/my/jobs/{self.other_install.id}/milestone",
            {"latitude": NEAR[0], "longitude": NEAR[1]},
        )
        self.assertEqual(answer.status_code, 404)
        self.assertFalse(self.other_install.milestone_log_ids)
        answer = self._post(f"/my/offers/{self.other_offer.id}/decline")
        self.assertEqual(answer.status_code, 404)
        self.assertEqual(self.other_offer.state, "accepted")

    def test_not_a_technician_and_anonymous(self):
        self._login("portal_customer")
        self.assertEqual(self._get("/my/jobs").status_code, 404)
        self.assertEqual(self._get(f"/my/jobs/{self.install.id}").status_code, 404)
        self.authenticate(None, None)
        answer = self._get("/my/jobs")
        self.assertEqual(answer.status_code, 303)
        self.assertIn("/web/login", answer.headers["Location"])

    # actions -----------------------------------------------------------
    def test_csrf_is_enforced(self):
        self._login()
        answer = self._post(
            f"/my/offers/{self.offer.id}/accept", {"x": "1"}, csrf=False
        )
        self.assertEqual(answer.status_code, 400)
        self.assertEqual(self.offer.state, "offered")
        answer = self.url_open(
            f"/my/offers/{self.offer.id}/accept",
            data={"csrf_token": "forged"},
            allow_redirects=False,
        )
        self.assertEqual(answer.status_code, 400)
        self.assertEqual(self.offer.state, "offered")

    def test_accept_then_log_a_milestone_with_gps(self):
        self._login()
        answer = self._post(f"/my/offers/{self.offer.id}/accept")
        self.assertEqual(answer.status_code, 303)
        self.assertIn(f"/my/jobs/{self.install.id}", answer.headers["Location"])
        self.assertEqual(self.offer.state, "accepted")
        self.assertEqual(self.install.person_id, self.tech)
        answer = self._post(f"/my/offers/{self.offer.id}/accept")
        self.assertEqual(answer.status_code, 409)
        self.assertIn("can no longer be accepted", answer.text)

        answer = self._post(
            f"/my/jobs/{self.install.id}/milestone",
            {
                "milestone_id": self.ms["picked_up"].id,
                "latitude": NEAR[0],
                "longitude": NEAR[1],
            },
        )
        self.assertEqual(answer.status_code, 303)
        log = self.install.milestone_log_ids
        self.assertEqual(log.milestone_id, self.ms["picked_up"])
        self.assertEqual(log.user_id, self.tech_user)
        self.assertAlmostEqual(log.longitude, NEAR[1])

    def test_expired_offer_cannot_be_accepted(self):
        with server_owned_writes():
            self.offer.deadline = fields.Datetime.now() - timedelta(minutes=1)
        self._login()
        answer = self._post(f"/my/offers/{self.offer.id}/accept")
        self.assertEqual(answer.status_code, 409)
        self.assertIn("has expired", answer.text)
        self.assertFalse(self.install.person_id)

    def test_decline(self):
        self._login()
        answer = self._post(f"/my/offers/{self.offer.id}/decline")
        self.assertEqual(answer.status_code, 303)
        self.assertEqual(self.offer.state, "declined")

    def test_refused_milestone_explains(self):
        self._assign()
        self._login()
        answer = self._post(f"/my/jobs/{self.install.id}/milestone", {"note": "x"})
        self.assertEqual(answer.status_code, 400)
        self.assertIn("The GPS position is required", answer.text)
        self.assertFalse(self.install.milestone_log_ids)

    def _upload(self, name, content, mimetype):
        self.env["fsm.order.milestone.log"].create(
            [
                {
                    "order_id": self.install.id,
                    "milestone_id": self.ms[code].id,
                    "latitude": NEAR[0],
                    "longitude": NEAR[1],
                }
                for code in ("picked_up", "arrived")
            ]
        )
        return self._post(
            f"/my/jobs/{self.install.id}/milestone",
            {"milestone_id": self.ms["inspected"].id, "inspection_result": "pass"},
            files={"photos": (name, content, mimetype)},
        )

    def test_upload_too_big(self):
        self._assign()
        self._login()
        with patch.object(
            TechnicianPortal, "_tech_photo_max_bytes", return_value=len(PNG) - 1
        ):
            answer = self._upload("site.png", PNG, "image/png")
        self.assertEqual(answer.status_code, 413)
        self.assertIn("site.png is larger than", answer.text)
        self.assertEqual(len(self.install.milestone_log_ids), 2)

    def test_upload_wrong_type(self):
        self._assign()
        self._login()
        answer = self._upload("site.png", b"%PDF-1.7 not a photo", "image/png")
        self.assertEqual(answer.status_code, 415)
        self.assertIn("site.png is not a photo", answer.text)
        self.assertEqual(len(self.install.milestone_log_ids), 2)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "site.png")]))

    def test_upload_photo_logs_inspection(self):
        self._assign()
        self._login()
        answer = self._upload("IMG_0001.PNG", PNG, "application/octet-stream")
        self.assertEqual(answer.status_code, 303)
        log = self.install.milestone_log_ids.filtered(
            lambda g: g.milestone_id == self.ms["inspected"]
        )
        self.assertEqual(log.attachment_ids.name, "IMG_0001.png")
        self.assertEqual(log.attachment_ids.mimetype, "image/png")

    def test_photos_readable_by_their_technician_only(self):
        self.test_upload_photo_logs_inspection()
        photo = self.install.milestone_log_ids.attachment_ids
        url = f"/my/jobs/{self.install.id}/photos/{photo.id}"
        page = self._get(f"/my/jobs/{self.install.id}")
        self.assertIn(f"{url}/96", page.text)
        answer = self._get(url)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.content, PNG)
        self.assertEqual(self._get(f"{url}/96").status_code, 200)
        # no access to attachments: /web/image answers its placeholder
        self.assertNotEqual(self._get(f"/web/image/{photo.id}").content, PNG)
        other = self.env["ir.attachment"].create({"name": "x.png", "raw": PNG})
        wrong = f"/my/jobs/{self.install.id}/photos/{other.id}"
        self.assertEqual(self._get(wrong).status_code, 404)
        self._login("portal_tech_other")
        self.assertEqual(self._get(url).status_code, 404)

    def test_home_counter(self):
        self._login()
        answer = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["tech_job_count"]}
        )
        self.assertEqual(answer["tech_job_count"], 1)
