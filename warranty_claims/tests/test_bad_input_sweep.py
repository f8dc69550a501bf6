# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad-input sweep (hypothesis) of the public, token and code based pages.

Every request, whatever its path segments, query string or form, gets a clean
answer (a status below 500) and either does the whole of its job or writes
nothing: no half-created claim, no rating without its effects, no more than
one scan log line per verification.

A new public route is one line in ``ROUTES``: its method, its path with
``{0}``, ``{1}``... for the generated segments and the names of the query or
form fields to generate. A generated value is random text or one of the
``VALID`` placeholders (a real code, token, CSRF token...), so that examples
reach past the first check.

Routes marked ``strict`` (all of them) also get unicode digits,
encoded percent signs, huge values and fields sent as file parts (even on a
GET), must never redirect to themselves, and log at most one scan per
request (the claim page answers the same question as the verification).

The suite runs the same 25 examples per route every time (derandomized, so
that CI is repeatable); ``SWEEP_EXAMPLES=500`` runs that many random ones.
"""

import os
import re
from collections import namedtuple
from urllib.parse import quote, urlencode, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from .common_code import unit_installed_today

Route = namedtuple("Route", "name method path fields strict", defaults=(False,))

ROUTES = [
    Route("verify", "GET", "/warranty/verify/{0}", ("format",), True),
    Route("digital link", "GET", "/w/01/{0}/21/{1}", ("c", "format"), True),
    Route("claim form", "GET", "/warranty/claim/{0}", ("x",), True),
    Route(
        "claim post",
        "POST",
        "/warranty/claim/{0}",
        ("csrf_token", "fault_id", "description", "reporter_name", "reporter_phone"),
        True,
    ),
    Route("rating page", "GET", "/install/rate/{0}", ("format",), True),
    Route(
        "rating post", "POST", "/install/rate/{0}", ("value", "comment", "format"), True
    ),
    Route("tracking page", "GET", "/install/track/{0}", (), True),
    Route(
        "reschedule post",
        "POST",
        "/install/track/{0}/reschedule",
        ("csrf_token", "wanted_date", "note"),
        True,
    ),
]
VALID = ("<code>", "<gtin>", "<serial>", "<token>", "<track>", "<fault>", "<csrf>")
EXAMPLES = int(os.environ.get("SWEEP_EXAMPLES") or 25)

values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(VALID),
    st.sampled_from(["json", "1", "5", "0", "-1", "9" * 30, "", " ", "%00"]),
    st.text(alphabet="\x00'\"<>&;%/\\.-", max_size=8),
    st.sampled_from(VALID).map(lambda v: v + "x"),
)
FILE = "<file>"  # sent as a file part
# the strict routes' values: the above, and what broke them
strict_values = st.one_of(
    values,
    st.sampled_from(
        [
            "²",
            "١٢",
            "１２３",
            "%25",
            "%2500",
            "AB%2500",
            "%252F",
            "\x00",
            "A\x00B",
            "7" * 5000,
            "é" * 3000,
            FILE,
        ]
    ),
    st.sampled_from(VALID).map(lambda v: v + "%00"),
)
SCANNING = ("verify", "digital link", "claim form", "claim post")


@tagged("post_install", "-at_install")
class TestPublicRoutesBadInput(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "warranty_claims.verify_rate_limit", "0"
        )
        cls.code = unit_installed_today(
            cls.env, "SWEEP-SN1", barcode="6979797979797"
        ).code_id
        cls.fault = cls.env["warranty.fault"].create(
            {"name": "Sweep leak", "code": "sweep_leak"}
        )
        owner = cls.env["res.partner"].create({"name": "Sweep Customer"})
        location = cls.env["fsm.location"].create(
            {"name": "Sweep Site", "owner_id": owner.id}
        )
        person = cls.env["fsm.person"].create({"name": "Sweep Technician"})
        # a type of visit of its own: no milestone to log before completing
        visit = cls.env["fsm.order.type"].create({"name": "Sweep visit"})
        cls.order = cls.env["fsm.order"].create(
            {"location_id": location.id, "person_id": person.id, "type": visit.id}
        )
        cls.order.action_complete()
        cls.rating = cls.order.rating_ids

    def setUp(self):
        super().setUp()
        page = self.url_open(f"/warranty/claim/{self.code.code}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.valid = {
            "<code>": self.code.code,
            "<gtin>": "06979797979797",
            "<serial>": self.code.lot_id.name,
            "<token>": self.rating.sudo().access_token,
            "<track>": self.order.sudo().access_token,
            "<fault>": str(self.fault.id),
            "<csrf>": csrf,
        }

    def _value(self, value):
        """The generated value, its placeholder (and what follows it) made
        real."""
        for placeholder, real in self.valid.items():
            if value.startswith(placeholder):
                return real + value[len(placeholder) :]
        return value

    def _counts(self):
        self.env.invalidate_all()
        return {
            "claims": self.env["warranty.claim"].search_count([]),
            "attachments": self.env["ir.attachment"].search_count(
                [("res_model", "=", "warranty.claim")]
            ),
            "registrations": self.env["warranty.registration"].search_count([]),
            "scans": self.env["warranty.code.scan"].search_count([]),
            "rated": self.env["fsm.order.rating"].search_count(
                [("value", "!=", False)]
            ),
            "order notes": self.env["mail.message"].search_count(
                [("model", "=", "fsm.order"), ("res_id", "=", self.order.id)]
            ),
        }

    def _request(self, route, segments, data):
        # a "/" in a segment, or an empty one, leaves the route (Odoo's own
        # not-found handling, which answers 500 to a NUL in the URL)
        segments = [s for s in segments if s != FILE] + ["_"] * segments.count(FILE)
        path = route.path.format(
            *(quote(self._value(s).replace("/", "_"), safe="") or "_" for s in segments)
        )
        files = {
            key: ("part.txt", b"text\x00\xff", "text/plain")
            for key in data
            if data[key] == FILE
        }
        data = {key: self._value(value) for key, value in data.items() if value != FILE}
        if route.method == "GET":
            url = f"{path}?{urlencode(data)}" if data else path
            return self.url_open(
                url, files=files or None, allow_redirects=False, method="GET"
            )
        if not data and not files:
            data = {"x": ""}  # a POST, even empty
        return self.url_open(
            path, data=data, files=files or None, allow_redirects=False
        )

    def _check(self, route, response, before, after):
        """No server error; the request did all its job or wrote nothing."""
        self.assertLess(response.status_code, 500, response.text[:500])
        if route.strict and response.is_redirect:
            self.assertNotEqual(
                urlsplit(response.headers["Location"]).path,
                urlsplit(response.request.url).path,
                f"{route.name} redirects to itself",
            )
        changed = {key for key in before if before[key] != after[key]}
        if route.name in SCANNING:
            self.assertLessEqual(after["scans"] - before["scans"], 1)
            changed.discard("scans")
        if route.name == "claim post" and after["claims"] != before["claims"]:
            self.assertEqual(response.status_code, 200)
            self.assertEqual(after["claims"] - before["claims"], 1)
            claim = self.env["warranty.claim"].search([], order="id desc", limit=1)
            self.assertNotEqual(claim.state, "draft")
            self.assertIn(claim.name, response.text)
            changed -= {"claims", "attachments"}
        if route.name == "rating post" and after["rated"] != before["rated"]:
            self.assertEqual(response.status_code, 200)
            self.assertEqual(after["rated"] - before["rated"], 1)
            self.assertIn(self.rating.value, range(1, 6))
            self.assertGreater(after["order notes"], before["order notes"])
            changed -= {"rated", "order notes"}
            # rate again in the next example (server-owned: test data)
            with server_owned_writes():
                self.rating.sudo().write({"value": False, "comment": False})
                self.order.sudo().quality_hold = False
        self.assertFalse(
            changed, f"{route.name} wrote {changed} and answered {response.status_code}"
        )

    def _sweep(self, route):
        arity = route.path.count("{")

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=not os.environ.get("SWEEP_EXAMPLES"),
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            st.lists(
                strict_values if route.strict else values,
                min_size=arity,
                max_size=arity,
            ),
            st.dictionaries(
                st.sampled_from(route.fields or ("x",)),
                strict_values if route.strict else values,
            ),
        )
        def sweep(segments, data):
            if not route.fields:
                data = {}
            before = self._counts()
            response = self._request(route, segments, data)
            self._check(route, response, before, self._counts())

        sweep()

    def test_public_routes_bad_input(self):
        for route in ROUTES:
            # refused CSRF tokens are logged as warnings
            with self.subTest(route=route.name), mute_logger("odoo.http"):
                self._sweep(route)

    def test_valid_inputs_reach_the_end(self):
        """The placeholders are real: the sweep does reach past the checks."""
        ok = self.url_open(f"/w/01/06979797979797/21/SWEEP-SN1?c={self.code.code}")
        self.assertEqual(ok.status_code, 200)
        self.assertEqual(
            self.url_open(
                f"/install/rate/{self.rating.sudo().access_token}"
            ).status_code,
            200,
        )
