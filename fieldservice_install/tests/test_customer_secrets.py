# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's links (tracking, rating) stay the customer's.

A job goes its whole way (offered, accepted, every milestone logged, done)
with the technician working from the portal, so that the customer gets all
three notices with their links. Then, through real HTTP sessions, neither
the portal technician nor an internal technician finds any secret of those
links in what they can read: messages, tracking values, attachments, the
records of the job, the portal pages. A rating is accepted from the
customer's link only.
"""

import base64
import re

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..engine.photo_upload import Photo
from .portal_common import NEAR, PNG, PortalTechCommon
from .rpc_common import RpcMixin

LINK = re.compile(r"/install/(?:track|rate)/(?:\d+\?access_token=)?([\w-]{16,})")


@tagged("post_install", "-at_install")
class TestCustomerSecrets(HttpCase, RpcMixin, PortalTechCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"email": "li.wei@example.com", "phone": "+86 571 8765 4321"}
        )
        cls.internal_tech_user = new_test_user(
            cls.env, login="secret_internal_tech", groups="fieldservice.group_fsm_user"
        )
        cls.dispatcher = new_test_user(
            cls.env,
            login="secret_dispatcher",
            groups="fieldservice_install.group_install_dispatcher",
        )

    # helpers -----------------------------------------------------------
    def _do_the_job(self):
        """Accept the offer and do the job as the portal technician: the
        customer gets the 'planned', 'on the way' and 'done' notices."""
        self.offer.with_user(self.tech_user)._portal_answer(accept=True)
        as_tech = self.install.with_user(self.tech_user)
        gps = {"latitude": NEAR[0], "longitude": NEAR[1]}
        photo = Photo("site.png", PNG, "image/png")
        as_tech._portal_log_milestone(self.ms["picked_up"].id, gps)
        as_tech._portal_log_milestone(self.ms["arrived"].id, gps)
        as_tech._portal_log_milestone(
            self.ms["inspected"].id, {"inspection_result": "pass"}, [photo]
        )
        as_tech._portal_log_milestone(
            self.ms["installed"].id, {"serial": "TOUR-SN-0001"}, [photo]
        )
        as_tech._portal_log_milestone(
            self.ms["confirmed"].id, {"signature": base64.b64encode(PNG)}
        )
        as_tech._portal_complete()
        self.assertEqual(self.install.install_state, "done")

    def _customer_mails(self):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", self.customer.ids)])
        )

    def _secrets(self):
        """Every secret of the customer's links: those the customer's mails
        carry, and the tokens of the order and of its rating."""
        texts = " ".join(self._customer_mails().mapped("body_html"))
        secrets = set(LINK.findall(texts))
        for record in (self.install, self.install.rating_ids):
            for name in ("access_token", "tracking_token", "token"):
                if name in record._fields and record.sudo()[name]:
                    secrets.add(record.sudo()[name])
        return secrets

    def _assert_no_secret(self, text, where):
        for secret in self.secrets:
            self.assertNotIn(secret, text, f"a customer's secret in {where}")

    def _sweep(self):
        """Everything the session's user reads of the job, through RPC and
        the portal pages: no secret of the customer's links."""
        order = self.install
        message_fields = [
            name
            for name in ("body", "subject", "preview", "email_from", "record_name")
            if name in self.env["mail.message"]._fields
        ]
        self._assert_no_secret(
            self._rpc_texts("mail.message", "search_read", [], message_fields),
            "mail.message search_read",
        )
        self._assert_no_secret(
            self._rpc_texts(
                "mail.message",
                "search_read",
                [("model", "=", "fsm.order"), ("res_id", "=", order.id)],
                message_fields,
            ),
            "the order's messages",
        )
        # each message one by one, the customer's mails included (read may
        # allow what search filters out)
        message_ids = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "fsm.order"), ("res_id", "=", order.id)])
            .ids
            + self._customer_mails().mail_message_id.ids
        )
        for message_id in message_ids:
            self._assert_no_secret(
                self._rpc_texts("mail.message", "read", [message_id], message_fields),
                f"mail.message {message_id}",
            )
        self._assert_no_secret(
            self._rpc_texts("mail.mail", "search_read", [], ["body_html"]),
            "mail.mail",
        )
        self._assert_no_secret(
            self._rpc_texts("mail.tracking.value", "search_read", []),
            "mail.tracking.value",
        )
        self._assert_no_secret(
            self._rpc_texts(
                "ir.attachment",
                "search_read",
                [],
                ["name", "datas", "url", "description", "index_content"],
            ),
            "ir.attachment",
        )
        for model, ids in (
            ("fsm.order", order.ids),
            ("fsm.order.rating", order.rating_ids.ids),
            ("fsm.dispatch.offer", order.dispatch_offer_ids.ids),
            ("fsm.order.milestone.log", order.milestone_log_ids.ids),
        ):
            self._assert_no_secret(self._rpc_read_everything(model, ids), model)
        for method in ("get_portal_url", "get_access_action", "get_formview_action"):
            self._assert_no_secret(
                self._rpc_texts("fsm.order", method, order.ids), method
            )
        for url in ("/my/jobs", "/my/jobs?tab=done", f"/my/jobs/{order.id}"):
            self._assert_no_secret(self.url_open(url).text, url)

    # tests ---------------------------------------------------------------
    @mute_logger("odoo.http")
    def test_technicians_read_no_customer_link(self):
        self._do_the_job()
        self.secrets = self._secrets()
        # the three notices went out, each with its link
        self.assertEqual(len(self._customer_mails()), 3)
        self.assertGreaterEqual(len(self.secrets), 2)
        for login in (self.tech_user.login, self.internal_tech_user.login):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self._sweep()

    @mute_logger("odoo.http")
    def test_dispatchers_see_the_notices_went_out(self):
        self._do_the_job()
        self.authenticate(self.dispatcher.login, self.dispatcher.login)
        bodies = " ".join(
            message["body"]
            for message in self._rpc(
                "mail.message",
                "search_read",
                [("model", "=", "fsm.order"), ("res_id", "=", self.install.id)],
                ["body"],
            )
        )
        for notice in ("Technician Assigned", "Technician on the Way", "Done, Rate Us"):
            self.assertIn(f"Notice 'Installation: {notice}' sent to Li Wei", bodies)
        # and the dispatcher reads the link, to give it on the phone
        (order,) = self._rpc("fsm.order", "read", self.install.ids, ["tracking_url"])
        self.assertIn(self.install.sudo().access_token, order["tracking_url"])

    @mute_logger("odoo.http")
    def test_rating_only_from_the_customers_link(self):
        self._do_the_job()
        rating = self.install.rating_ids
        (rate_url,) = {
            url
            for url in re.findall(
                r'href="([^"]*/install/rate/[^"]+)"',
                " ".join(self._customer_mails().mapped("body_html")),
            )
        }
        rate_url = rate_url.replace("&amp;", "&")
        # the technician, with the customer's link (as if they had got it),
        # from their session: refused
        self.authenticate(self.tech_user.login, self.tech_user.login)
        answer = self.url_open(f"{rate_url}&format=json", data={"value": "5"})
        self.assertEqual(answer.status_code, 400)
        self.assertIn("technician of a job cannot rate it", answer.json()["message"])
        # through RPC, as technician, dispatcher or administrator: refused
        for login in (
            self.tech_user.login,
            self.internal_tech_user.login,
            self.dispatcher.login,
            "admin",
        ):
            self.authenticate(login, login)
            self._rpc_error("fsm.order.rating", "write", rating.ids, {"value": 5})
            self._rpc_error(
                "fsm.order.rating",
                "create",
                {"order_id": self.other_install.id, "value": 5},
            )
            self._rpc_error("fsm.order.rating", "_rate", rating.ids, 5)
        self.assertFalse(rating.value)
        self.assertFalse(self.install.quality_hold)
        # the customer, with the link: accepted, and the low rating holds the job
        self.authenticate(None, None)
        answer = self.url_open(
            f"{rate_url}&format=json", data={"value": "1", "comment": "Water leak"}
        )
        self.assertEqual(answer.status_code, 200, answer.text)
        self.assertEqual(rating.value, 1)
        self.assertEqual(rating.comment, "Water leak")
        self.assertTrue(self.install.quality_hold)

    @mute_logger("odoo.http")
    def test_tracking_secret_opens_the_tracking_page_only(self):
        """The tracking secret is the order's portal token: it must not also
        open the order's chatter to whoever holds the link (Odoo's portal
        chatter reads and posts with a record's token)."""
        order = self.other_install
        order.message_post(
            body="Attention: the dispatcher decides whether to stop it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        count = len(order.message_ids)
        token = order.sudo().access_token
        self.authenticate(None, None)
        self.assertEqual(
            self.url_open(
                f"/install/track/{order.id}?access_token={token}"
            ).status_code,
            200,
        )
        for route, params in (
            ("/mail/chatter_fetch", {}),
            (
                "/mail/message/post",
                {"post_data": {"body": "Spam", "message_type": "comment"}},
            ),
            ("/portal/chatter_init", {}),
        ):
            response = self.opener.post(
                f"{self.base_url()}{route}",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "thread_model": "fsm.order",
                        "thread_id": order.id,
                        "token": token,
                        **params,
                    },
                },
            )
            self.assertNotIn("dispatcher decides", response.text, route)
            self.assertNotIn('"hasReadAccess": true', response.text, route)
        order.invalidate_recordset()
        self.assertEqual(len(order.message_ids), count)

    @mute_logger("odoo.http")
    def test_new_tracking_link_for_dispatchers_only(self):
        token = self.other_install.sudo().access_token
        missing = self.env["fsm.order"].search([], order="id desc", limit=1).id + 1000
        for login in (self.tech_user.login, self.internal_tech_user.login):
            self.authenticate(login, login)
            # the same answer for an order that exists and one that does not
            errors = {
                self._rpc_error("fsm.order", "action_tracking_new_token", [order_id])
                for order_id in (self.other_install.id, missing)
            }
            self.assertEqual(len(errors), 1, errors)
            self.assertEqual(next(iter(errors))[0], "odoo.exceptions.AccessError")
        self.assertEqual(self.other_install.sudo().access_token, token)
        self.authenticate(self.dispatcher.login, self.dispatcher.login)
        self._rpc("fsm.order", "action_tracking_new_token", self.other_install.ids)
        self.assertNotEqual(self.other_install.sudo().access_token, token)
        self.assertIn("New tracking link", self.other_install.message_ids[0].body or "")
