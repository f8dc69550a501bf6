# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""RPC sweep of the job evidence: ratings, offers and their answers,
milestone entries and the order's customer-side evidence are written by
their actions only.

For each server-owned field and each kind of user (portal and internal
technician, dispatcher, service manager, administrator), a ``write``
through a real HTTP JSON-RPC session is refused and leaves the row as it
was; the actions those users may take still work.
"""

import base64

from odoo import models
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools.server_owned import server_owned_writes
from .portal_common import NEAR, PNG, PortalTechCommon
from .rpc_common import RpcMixin

ORDER_FIELDS = (
    "quality_hold",
    "first_contact_date",
    "sla_breached",
    "sla_first_contact_deadline",
    "sla_arrival_deadline",
    "sla_completion_deadline",
    "install_blocked_reason",
    "sla_paused_since",
    "sla_pause_reason",
    "access_token",
    "rating_ids",
    "dispatch_offer_ids",
    "milestone_log_ids",
)


@tagged("post_install", "-at_install")
class TestServerOwnedJobs(HttpCase, RpcMixin, PortalTechCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "portal technician": cls.tech_user,
            "internal technician": new_test_user(
                cls.env, login="owned_tech", groups="fieldservice.group_fsm_user"
            ),
            "dispatcher": new_test_user(
                cls.env,
                login="owned_dispatcher",
                groups="fieldservice_install.group_install_dispatcher",
            ),
            "service manager": new_test_user(
                cls.env,
                login="owned_manager",
                groups="fieldservice_install.group_install_manager",
            ),
            "administrator": cls.env.ref("base.user_admin"),
        }
        cls.internal_tech = cls.env["fsm.person"].create(
            {"partner_id": cls.users["internal technician"].partner_id.id}
        )
        # a job of the portal technician with a log entry and a rating
        cls._assign(cls.install, cls.tech)
        cls.log = cls.env["fsm.order.milestone.log"].create(
            {
                "order_id": cls.install.id,
                "milestone_id": cls.ms["picked_up"].id,
                "latitude": NEAR[0],
                "longitude": NEAR[1],
            }
        )
        with server_owned_writes():
            cls.rating = cls.env["fsm.order.rating"].create(
                {"order_id": cls.install.id, "person_id": cls.tech.id}
            )

    # helpers -----------------------------------------------------------
    def _login(self, user):
        login = user.login
        self.authenticate(login, "admin" if login == "admin" else login)

    def _value(self, record, name):
        """A value that differs from the record's, for ``name``."""
        field = record._fields[name]
        current = record.sudo()[name]
        if field.type == "boolean":
            return not current
        if field.type == "datetime":
            return "2020-01-01 00:00:00"
        if field.type == "date":
            return "2020-01-01"
        if field.type in ("char", "text", "html"):
            return "forged"
        if field.type in ("integer", "float", "monetary"):
            return 3
        if field.type == "selection":
            values = [key for key, _label in field._description_selection(self.env)]
            return next(value for value in values if value != current)
        if field.type == "many2one":
            return (
                self.env[field.comodel_name]
                .search([("id", "!=", current.id)], limit=1)
                .id
            )
        if field.type in ("one2many", "many2many"):
            return [(5, 0, 0)]
        if field.type in ("binary", "image"):
            return base64.b64encode(PNG).decode()
        raise AssertionError(f"no test value for {name} ({field.type})")

    def _snapshot(self, record, names):
        record.invalidate_recordset()
        return {name: record.sudo()[name] for name in names}

    def _sweep(self, record, names):
        for label, user in self.users.items():
            self._login(user)
            for name in names:
                with self.subTest(user=label, model=record._name, field=name):
                    before = self._snapshot(record, [name])
                    value = self._value(record, name)
                    error, message = self._rpc_error(
                        record._name, "write", record.ids, {name: value}
                    )
                    self.assertIn(
                        error,
                        ("odoo.exceptions.UserError", "odoo.exceptions.AccessError"),
                    )
                    self.assertEqual(self._snapshot(record, [name]), before)
                    if label in ("dispatcher", "service manager", "administrator"):
                        # users who may write the record: the server's field
                        # is named, nothing was saved
                        self.assertIn("owned by the server", message, name)

    # tests ---------------------------------------------------------------
    @mute_logger("odoo.http")
    def test_order_evidence_written_by_actions_only(self):
        self._sweep(self.install, ORDER_FIELDS)

    @mute_logger("odoo.http")
    def test_ratings_written_by_the_customer_link_only(self):
        names = [n for n in self.rating._server_owned_fields() if n != "company_id"]
        self.assertLessEqual(
            {"value", "comment", "rated_on", "person_id", "order_id", "access_token"},
            set(names),
        )
        self._sweep(self.rating, [*names, "company_id"])

    @mute_logger("odoo.http")
    def test_offers_written_by_their_actions_only(self):
        names = list(self.offer._server_owned_fields())
        self.assertLessEqual(
            {"state", "answered_on", "person_id", "order_id", "rank", "deadline"},
            set(names),
        )
        self._sweep(self.offer, names)

    @mute_logger("odoo.http")
    def test_milestone_entries_never_change(self):
        names = [
            name
            for name, field in self.log._fields.items()
            if field.store and name not in models.MAGIC_COLUMNS
        ]
        self.assertEqual(set(names), set(self.log._server_owned_fields()))
        self._sweep(self.log, names)

    @mute_logger("odoo.http")
    def test_technicians_rating_made_by_the_ratings_only(self):
        """Dispatch ranks technicians by their rating: nobody writes it (a
        technician could raise their own)."""
        self._sweep(self.internal_tech, ["rating_avg", "rating_count"])
        self._login(self.users["internal technician"])
        self._rpc("fsm.person", "write", self.internal_tech.ids, {"job_cost": 12.0})
        self.assertEqual(self.internal_tech.job_cost, 12.0)

    @mute_logger("odoo.http")
    def test_creates_naming_server_fields_refused(self):
        for label, user in self.users.items():
            self._login(user)
            with self.subTest(user=label):
                for model, vals in (
                    (
                        "fsm.order.rating",
                        {"order_id": self.other_install.id, "value": 5},
                    ),
                    (
                        "fsm.dispatch.offer",
                        {
                            "order_id": self.other_install.id,
                            "person_id": self.tech.id,
                            "deadline": "2030-01-01 00:00:00",
                            "state": "accepted",
                        },
                    ),
                    (
                        "fsm.order.milestone.log",
                        {
                            "order_id": self.install.id,
                            "milestone_id": self.ms["arrived"].id,
                            "latitude": NEAR[0],
                            "longitude": NEAR[1],
                            "timestamp": "2020-01-01 00:00:00",
                            "user_id": self.users["dispatcher"].id,
                        },
                    ),
                ):
                    count = self.env[model].sudo().search_count([])
                    self._rpc_error(model, "create", vals)
                    self.assertEqual(self.env[model].sudo().search_count([]), count)

    @mute_logger("odoo.http")
    def test_actions_check_their_caller(self):
        """Each action refuses a caller without the group or the ownership it
        needs, before doing anything."""
        order_actions = (
            "action_customer_contacted",
            "action_complete",
            "action_offer",
            "action_log_milestone",
            "action_tracking_new_token",
        )
        self._login(self.tech_user)
        for order in (self.install, self.other_install):
            for method in order_actions:
                with self.subTest(user="portal", order=order.name, method=method):
                    error, _message = self._rpc_error("fsm.order", method, order.ids)
                    self.assertEqual(error, "odoo.exceptions.AccessError")
        self._rpc_error("fsm.dispatch.offer", "action_accept", self.other_offer.ids)
        self._login(self.users["internal technician"])
        for method in ("action_offer", "action_tracking_new_token"):
            error, _message = self._rpc_error("fsm.order", method, self.install.ids)
            self.assertEqual(error, "odoo.exceptions.AccessError")
        stranger = self.env["fsm.person"].create({"name": "Stranger"})
        with server_owned_writes():
            offer = self.env["fsm.dispatch.offer"].create(
                {
                    "order_id": self.other_install.id,
                    "person_id": stranger.id,
                    "deadline": "2999-01-01 00:00:00",
                }
            )
        for method in ("action_accept", "action_decline"):
            error, _message = self._rpc_error("fsm.dispatch.offer", method, offer.ids)
            self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(offer.state, "offered")
        self.assertFalse(self.install.first_contact_date)
        self.assertEqual(self.install.install_state, "scheduled")

    @mute_logger("odoo.http")
    def test_the_actions_still_work(self):
        # the dispatcher records the first contact and renews the link
        self._login(self.users["dispatcher"])
        self._rpc("fsm.order", "action_customer_contacted", self.other_install.ids)
        self.assertTrue(self.other_install.first_contact_date)
        token = self.other_install.sudo().access_token
        self._rpc("fsm.order", "action_tracking_new_token", self.other_install.ids)
        self.assertNotEqual(self.other_install.sudo().access_token, token)
        # the internal technician logs a milestone of their job with the wizard
        self.install.person_id = self.internal_tech
        self._login(self.users["internal technician"])
        action = self._rpc("fsm.order", "action_log_milestone", self.install.ids)
        wizard_id = self._rpc(
            "fsm.milestone.log.wizard",
            "create",
            # the form sends the milestone it shows
            {
                "milestone_id": self.ms["arrived"].id,
                "latitude": NEAR[0],
                "longitude": NEAR[1],
            },
            context=action["context"],
        )
        self._rpc("fsm.milestone.log.wizard", "action_log", [wizard_id])
        arrived = self.install.milestone_log_ids - self.log
        self.assertEqual(arrived.milestone_id, self.ms["arrived"])
        self.assertEqual(arrived.user_id, self.users["internal technician"])
        # the portal technician answers their offer through RPC too
        with server_owned_writes():
            offer = self.env["fsm.dispatch.offer"].create(
                {
                    "order_id": self.other_install.id,
                    "person_id": self.tech.id,
                    "deadline": "2999-01-01 00:00:00",
                }
            )
        self._login(self.tech_user)
        self._rpc("fsm.dispatch.offer", "action_decline", offer.ids)
        self.assertEqual(offer.state, "declined")
        self.assertTrue(offer.answered_on)
