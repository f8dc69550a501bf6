# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo.exceptions import AccessError, UserError

from ..engine.photo_upload import Photo
from ..tools.server_owned import server_owned_writes
from .portal_common import NEAR, PNG, PortalTechCommon


class TestPortalSecurity(PortalTechCommon):
    """Portal technicians read through record rules and act through the
    ``_portal_*`` methods only."""

    def _as_tech(self, model, user=None):
        return self.env[model].with_user(user or self.tech_user)

    def test_technician_reads_own_jobs_only(self):
        # offered to them: they read the offer, not the order (nor its
        # customer) until they accept
        self.assertFalse(self._as_tech("fsm.order").search([]))
        with self.assertRaises(AccessError):
            self.install.with_user(self.tech_user).read(["name"])
        self.assertEqual(self._as_tech("fsm.dispatch.offer").search([]), self.offer)
        self._assign()
        self.assertEqual(self._as_tech("fsm.order").search([]), self.install)
        with self.assertRaises(AccessError):
            self.other_install.with_user(self.tech_user).read(["name"])
        self.assertEqual(
            self._as_tech("fsm.order", self.other_user).search([]),
            self.other_install,
        )
        self.assertFalse(self._as_tech("fsm.order", self.customer_user).search([]))

    def test_declined_offer_hides_the_job(self):
        self.offer.with_user(self.tech_user)._portal_answer(accept=False)
        self.assertEqual(self.offer.state, "declined")
        self.assertFalse(self._as_tech("fsm.order").search([]))
        self.assertFalse(
            self._as_tech("fsm.dispatch.offer").search([("state", "=", "offered")])
        )

    def test_offers_logs_and_ratings_are_their_own(self):
        self.assertEqual(self._as_tech("fsm.dispatch.offer").search([]), self.offer)
        with self.assertRaises(AccessError):
            self.other_offer.with_user(self.tech_user).read(["state"])
        self.env["fsm.order.milestone.log"].create(
            {
                "order_id": self.other_install.id,
                "milestone_id": self.ms["picked_up"].id,
                "latitude": NEAR[0],
                "longitude": NEAR[1],
            }
        )
        self.assertFalse(self._as_tech("fsm.order.milestone.log").search([]))
        self.assertTrue(
            self._as_tech("fsm.order.milestone.log", self.other_user).search([])
        )
        with server_owned_writes():
            rating = self.env["fsm.order.rating"].create(
                {"order_id": self.other_install.id, "person_id": self.other_tech.id}
            )
        self.assertFalse(self._as_tech("fsm.order.rating").search([]))
        self.assertEqual(
            self._as_tech("fsm.order.rating", self.other_user).search([]), rating
        )
        with self.assertRaises(AccessError):
            rating.with_user(self.other_user).read(["access_token"])

    def test_no_direct_write_nor_create(self):
        self._assign()
        with self.assertRaises(AccessError):
            self.install.with_user(self.tech_user).write({"description": "x"})
        with self.assertRaises(AccessError):
            self._as_tech("fsm.order.milestone.log").create(
                {"order_id": self.install.id, "milestone_id": self.ms["arrived"].id}
            )
        with self.assertRaises(UserError):  # the server's field
            self.offer.with_user(self.tech_user).write({"state": "accepted"})
        # the answer actions check that the offer is the caller's
        for method in ("action_accept", "action_decline"):
            with self.assertRaises(AccessError):
                getattr(self.other_offer.with_user(self.tech_user), method)()
        self.assertEqual(self.other_offer.state, "accepted")

    def test_accept_through_the_offer_logic(self):
        self.offer.with_user(self.tech_user)._portal_answer(accept=True)
        self.assertEqual(self.offer.state, "accepted")
        self.assertEqual(self.install.person_id, self.tech)
        with self.assertRaises(UserError):  # answered already
            self.offer.with_user(self.tech_user)._portal_answer(accept=True)
        with self.assertRaises(AccessError):
            self.other_offer.with_user(self.tech_user)._portal_answer(accept=False)

    def test_log_milestone_only_on_own_assigned_job(self):
        as_tech = self.install.with_user(self.tech_user)
        with self.assertRaises(AccessError):  # offered, not yet theirs
            as_tech._portal_log_milestone(
                None, {"latitude": NEAR[0], "longitude": NEAR[1]}
            )
        with self.assertRaises(AccessError):
            self.other_install.with_user(self.tech_user)._portal_log_milestone(
                None, {"latitude": NEAR[0], "longitude": NEAR[1]}
            )
        self._assign()
        log = as_tech._portal_log_milestone(
            self.ms["picked_up"].id, {"latitude": NEAR[0], "longitude": NEAR[1]}
        )
        self.assertEqual(log.user_id, self.tech_user)
        self.assertAlmostEqual(log.latitude, NEAR[0])
        self.assertEqual(
            self._as_tech("fsm.order.milestone.log").search([]), log.with_user(1)
        )

    def test_log_full_sequence_with_serial_photo_signature(self):
        self._assign()
        as_tech = self.install.with_user(self.tech_user)
        gps = {"latitude": NEAR[0], "longitude": NEAR[1]}
        photo = Photo("site.png", PNG, "image/png")
        as_tech._portal_log_milestone(self.ms["picked_up"].id, gps)
        as_tech._portal_log_milestone(self.ms["arrived"].id, gps)
        with self.assertRaisesRegex(UserError, "photo is required"):
            as_tech._portal_log_milestone(
                self.ms["inspected"].id, {"inspection_result": "pass"}
            )
        as_tech._portal_log_milestone(
            self.ms["inspected"].id, {"inspection_result": "pass"}, [photo]
        )
        with self.assertRaisesRegex(UserError, "was not delivered"):
            as_tech._portal_log_milestone(
                self.ms["installed"].id, {"serial": "NOPE-1"}, [photo]
            )
        log = as_tech._portal_log_milestone(
            self.ms["installed"].id, {"serial": " tour-sn-0001 "}, [photo]
        )
        self.assertEqual(log.lot_id, self.serials)
        self.assertEqual(log.attachment_ids.mimetype, "image/png")
        self.assertEqual(log.attachment_ids.res_model, "fsm.order.milestone.log")
        self.assertIn(self.serials, self.install.equipment_ids.lot_id)
        with self.assertRaisesRegex(UserError, "out of date"):
            as_tech._portal_log_milestone(self.ms["installed"].id, {})
        log = as_tech._portal_log_milestone(
            self.ms["confirmed"].id,
            {"signature": base64.b64encode(PNG), "signed_by": "Li Wei"},
        )
        self.assertTrue(log.signature)
        self.assertIn("Li Wei", log.note)
        self.install.with_user(self.tech_user)._portal_complete()
        self.assertEqual(self.install.install_state, "done")

    def test_bad_position_and_inspection_refused(self):
        self._assign()
        as_tech = self.install.with_user(self.tech_user)
        for lat, lon in (("abc", "1"), ("91", "0"), ("0", "-181")):
            with self.assertRaisesRegex(UserError, "not valid"):
                as_tech._portal_log_milestone(None, {"latitude": lat, "longitude": lon})
        with self.assertRaisesRegex(UserError, "GPS position is required"):
            as_tech._portal_log_milestone(None, {})
        self.assertFalse(self.install.milestone_log_ids)

    def test_job_values_follow_the_rules(self):
        with self.assertRaises(AccessError):  # offered: not theirs yet
            self.install.with_user(self.tech_user)._portal_job_values()
        self._assign()
        values = self.install.with_user(self.tech_user)._portal_job_values()
        job = values[self.install.id]
        self.assertEqual(job["serials"], ["TOUR-SN-0001"])
        self.assertEqual(job["next"]["id"], self.ms["picked_up"].id)
        self.assertIn("openstreetmap.org/?mlat=30.274100", job["map_url"])
        with self.assertRaises(AccessError):
            self.other_install.with_user(self.tech_user)._portal_job_values()

    def test_complete_refused_before_the_milestones(self):
        self._assign()
        with self.assertRaisesRegex(UserError, "cannot be completed yet"):
            self.install.with_user(self.tech_user)._portal_complete()
