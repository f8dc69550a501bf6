# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every route of the installation pages answers hostile input cleanly.

Unicode digits (``²``), files sent where a form field is text, encoded
percent signs (``%2500``), NUL characters, huge values and CSRF tokens that
are not ASCII: never a server error, never a redirect to the same address,
never a half-written record. (``warranty_claims``' sweep generates random
input for the same public routes.)
"""

import re
from datetime import timedelta
from urllib.parse import quote

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .portal_common import NEAR, PortalTechCommon

HUGE = "9" * 200_000
HOSTILE_TEXT = ("²", "a\x00b", "%00", "%2500", HUGE, "é" * 70)
# in an address: huge, but below the length servers refuse (414)
HOSTILE_IN_URL = (*(v for v in HOSTILE_TEXT if v is not HUGE), "9" * 5000)


@tagged("post_install", "-at_install")
class TestRoutesBadInput(HttpCase, PortalTechCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._assign(cls.install, cls.tech)
        cls.install.scheduled_date_start = fields.Datetime.now() + timedelta(days=2)
        quick = cls.env["fsm.order.type"].create(
            {"name": "Quick install", "internal_type": "install"}
        )
        cls.done = cls.env["fsm.order"].create(
            {
                "location_id": cls.install.location_id.id,
                "type": quick.id,
                "person_id": cls.other_tech.id,
            }
        )
        cls.done.action_complete()
        cls.rating = cls.done.rating_ids

    # helpers -----------------------------------------------------------
    @staticmethod
    def _secret(record, *names):
        record = record.sudo()
        return next(record[name] for name in names if name in record._fields)

    def _track_urls(self, order):
        """The addresses of the order's tracking page: the secret in the
        path (every version) and the portal link (where it exists)."""
        secret = self._secret(order, "access_token", "tracking_token")
        urls = [f"/install/track/{secret}"]
        if "access_url" in order._fields:
            urls.append(f"/install/track/{order.id}?access_token={secret}")
        return urls

    def _rate_urls(self):
        secret = self._secret(self.rating, "access_token", "token")
        urls = [f"/install/rate/{secret}"]
        if "access_url" in self.rating._fields:
            urls.append(f"/install/rate/{self.rating.id}?access_token={secret}")
        return urls

    @staticmethod
    def _post_url(url, suffix):
        path, _sep, query = url.partition("?")
        return f"{path}{suffix}" + (f"?{query}" if query else "")

    def _csrf(self, url):
        page = self.url_open(url)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text) or (
            re.search(r'csrf_token: "([^"]+)"', page.text)
        )
        return match.group(1)

    def _state(self):
        """What a refused request must leave unchanged."""
        # what the setup left for the commit (Odoo's tracking messages) is
        # written now, not counted as written by the first request
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        messages = self.env["mail.message"].search_count(
            [("model", "=", "fsm.order"), ("res_id", "in", self.install.ids)]
        )
        return {
            "activities": len(self.install.activity_ids),
            "messages": messages,
            "logs": len(self.install.milestone_log_ids),
            "rating": (self.rating.value, self.rating.comment),
            "offer": self.offer.state,
            "person": self.install.person_id,
        }

    def _check(self, response, url, before, status=None):
        """No server error, no redirect to itself, nothing written."""
        self.assertLess(response.status_code, 500, f"{url}: {response.text[:300]}")
        if status:
            self.assertEqual(response.status_code, status, url)
        if response.is_redirect:
            location = response.headers["Location"]
            self.assertNotEqual(
                location.split("://", 1)[-1].partition("/")[2],
                url.lstrip("/"),
                f"{url} redirects to itself",
            )
        self.assertEqual(self._state(), before, f"{url} wrote something")

    def _post(self, url, data=None, files=None):
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    # customer pages ------------------------------------------------------
    @mute_logger("odoo.http")
    def test_tracking_pages(self):
        before = self._state()
        for value in (*HOSTILE_IN_URL, "AB%2500"):
            for url in (
                f"/install/track/{quote(value, safe='%')}",
                f"/install/track/{self.install.id}?access_token={quote(value)}",
                f"{self._track_urls(self.install)[0]}?rescheduled={quote(value)}",
            ):
                response = self.url_open(url, allow_redirects=False)
                self._check(response, url, before)
                if "rescheduled" not in url:
                    self.assertEqual(response.status_code, 404, url)

    @mute_logger("odoo.http")
    def test_reschedule_form(self):
        wanted = str(fields.Date.today() + timedelta(days=5))
        for url in self._track_urls(self.install):
            post_url = self._post_url(url, "/reschedule")
            csrf = self._csrf(url)
            before = self._state()
            valid = {"wanted_date": wanted, "csrf_token": csrf}
            cases = [
                ({**valid}, {"note": ("note.txt", b"mornings", "text/plain")}),
                ({**valid}, {"wanted_date": ("d.txt", wanted.encode(), "text/plain")}),
                ({"wanted_date": wanted}, {"csrf_token": ("c.txt", csrf.encode())}),
                ({**valid, "csrf_token": "é" + csrf}, None),
                ({**valid, "csrf_token": "²"}, None),
            ]
            cases += [({**valid, "wanted_date": value}, None) for value in HOSTILE_TEXT]
            for data, files in cases:
                response = self._post(post_url, data, files)
                self._check(response, post_url, before, status=400)
            # what is text is cleaned: NULs dropped, a huge note cut
            response = self._post(post_url, {**valid, "note": "x\x00y" + HUGE})
            self.assertEqual(response.status_code, 303, response.text[:300])
            self.assertNotEqual(response.headers["Location"], post_url)
            note = str(self.install.activity_ids.note)
            self.assertIn("xy999", note)
            self.assertLess(len(note), 2000)
            self.install.activity_ids.unlink()

    @mute_logger("odoo.http")
    def test_rating_form(self):
        page_url = self._track_urls(self.done)[0]
        csrf = self._csrf(page_url)
        for url in self._rate_urls():
            before = self._state()
            for value in HOSTILE_TEXT:
                for data in (
                    {"value": value, "csrf_token": csrf},
                    {"value": "4", "comment": "ok", "csrf_token": value},
                ):
                    self._check(self._post(url, data), url, before, status=400)
                json_url = f"{url}{'&' if '?' in url else '?'}format=json"
                self._check(self._post(json_url, {"value": value}), json_url, before)
            for files in (
                {"comment": ("c.txt", b"great", "text/plain")},
                {"value": ("v.txt", b"5", "text/plain")},
                {"csrf_token": ("t.txt", csrf.encode(), "text/plain")},
            ):
                data = {"value": "4", "csrf_token": csrf}
                for name in files:
                    data.pop(name, None)
                self._check(self._post(url, data, files), url, before, status=400)
                json_url = f"{url}{'&' if '?' in url else '?'}format=json"
                self._check(
                    self._post(json_url, {"value": "4"}, files),
                    json_url,
                    before,
                    status=400,
                )
            for value in (*HOSTILE_IN_URL, "AB%2500"):
                bad = f"/install/rate/{quote(value, safe='%')}"
                self._check(self.url_open(bad, allow_redirects=False), bad, before)

    # technician pages ----------------------------------------------------
    @mute_logger("odoo.http")
    def test_technician_pages(self):
        self.authenticate(self.tech_user.login, self.tech_user.login)
        before = self._state()
        for value in HOSTILE_IN_URL:
            for url in (
                f"/my/jobs?page={quote(value)}",
                f"/my/jobs?tab={quote(value)}",
                f"/my/jobs/{self.install.id}?message={quote(value)}",
            ):
                response = self.url_open(url, allow_redirects=False)
                self._check(response, url, before, status=200)
        many = "9" * 5000
        for url in (
            "/my/jobs/page/%C2%B2",
            "/my/jobs/%C2%B2",
            "/my/offers/%C2%B2",
            f"/my/jobs/page/{many}",
            f"/my/jobs/{many}",
            f"/my/jobs/{'9' * 12}",
            f"/my/offers/{many}/accept",
            f"/my/jobs/{self.install.id}/photos/1/{many}",
        ):
            self._check(self.url_open(url, allow_redirects=False), url, before, 404)
        url = f"/my/jobs/{self.install.id}/photos/1?size=%C2%B2"
        self._check(self.url_open(url, allow_redirects=False), url, before)

    @mute_logger("odoo.http")
    def test_technician_forms(self):
        self.authenticate(self.tech_user.login, self.tech_user.login)
        csrf = self._csrf("/my/jobs")
        milestone_url = f"/my/jobs/{self.install.id}/milestone"
        valid = {
            "csrf_token": csrf,
            "milestone_id": str(self.ms["picked_up"].id),
            "latitude": str(NEAR[0]),
            "longitude": str(NEAR[1]),
        }
        before = self._state()
        cases = [
            ({**valid}, {"note": ("note.txt", b"all good", "text/plain")}),
            ({**valid}, {"serial": ("s.txt", b"TOUR-SN-0001", "text/plain")}),
            ({**valid}, {"milestone_id": ("m.txt", b"1", "text/plain")}),
            ({**valid}, {"signature": ("s.png", b"\x89PNG", "image/png")}),
            ({**valid, "csrf_token": "é" + csrf}, None),
        ]
        for name in ("milestone_id", "latitude", "longitude", "inspection_result"):
            cases += [({**valid, name: value}, None) for value in HOSTILE_TEXT]
        for data, files in cases:
            response = self._post(milestone_url, data, files)
            self._check(response, milestone_url, before, status=400)
        for url in (
            f"/my/jobs/{self.install.id}/complete",
            f"/my/offers/{self.offer.id}/accept",
            f"/my/offers/{self.offer.id}/decline",
        ):
            for data, files in (
                ({"csrf_token": "é" + csrf}, None),
                ({}, {"csrf_token": ("c.txt", csrf.encode(), "text/plain")}),
            ):
                self._check(self._post(url, data, files), url, before, status=400)
        # what is text is cleaned: NULs dropped, a huge note cut
        response = self._post(milestone_url, {**valid, "note": "x\x00y" + HUGE})
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self.install.milestone_log_ids.note, "xy" + "9" * 1998)
