# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError

from .common import DispatchCommon


class TestOffers(DispatchCommon):
    def test_offer_first_accept_wins(self):
        self.company.dispatch_offer_count = 2
        install = self._install_order()
        offers = install.action_offer()
        self.assertEqual(len(install.dispatch_offer_ids), 2)
        self.assertEqual(install.dispatch_offer_ids.person_id, self.near | self.far)
        self.assertIn("Offered to", install.message_ids[0].body)
        far_offer = install.dispatch_offer_ids.filtered(
            lambda o: o.person_id == self.far
        )
        near_offer = install.dispatch_offer_ids - far_offer
        far_offer.action_accept()
        self.assertEqual(install.person_id, self.far)
        self.assertEqual(far_offer.state, "accepted")
        self.assertEqual(near_offer.state, "cancelled")
        with self.assertRaisesRegex(UserError, "can no longer be accepted"):
            near_offer.action_accept()
        self.assertTrue(offers)

    def test_decline_escalates_to_next(self):
        self.company.dispatch_offer_count = 1
        install = self._install_order()
        install.action_offer()
        first = install.dispatch_offer_ids
        self.assertEqual(first.person_id, self.near)
        first.action_decline()
        self.assertEqual(first.state, "declined")
        second = install.dispatch_offer_ids - first
        self.assertEqual(second.person_id, self.far)
        self.assertIn("declined", install.message_ids[1].body)

    def test_cron_expires_and_escalates(self):
        self.company.dispatch_offer_count = 1
        self.company.dispatch_offer_hours = 1
        install = self._install_order()
        install.action_offer()
        first = install.dispatch_offer_ids
        with freeze_time(datetime.now() + timedelta(hours=2)):
            self.env["fsm.dispatch.offer"]._cron_expire_and_escalate()
            self.assertEqual(first.state, "expired")
            second = install.dispatch_offer_ids - first
            self.assertEqual(second.person_id, self.far)
            with self.assertRaisesRegex(UserError, "can no longer be accepted"):
                first.action_accept()

    def test_offer_without_candidate(self):
        self.near.suspension_reason = "Training"
        self.near.action_suspend()
        self.far.active = False
        install = self._install_order()
        with self.assertRaisesRegex(UserError, "No technician can take"):
            install.action_offer()

    def test_technician_accepts_own_offer(self):
        user = self.env["res.users"].create(
            {
                "name": "Tech User",
                "login": "tech_offer_user",
                "group_ids": [(6, 0, [self.env.ref("fieldservice.group_fsm_user").id])],
            }
        )
        self.far.partner_id.user_ids = user
        self.company.dispatch_offer_count = 2
        install = self._install_order()
        install.action_offer()
        mine = self.env["fsm.dispatch.offer"].with_user(user).search([])
        self.assertEqual(mine.person_id, self.far)
        mine.action_accept()
        self.assertEqual(install.person_id, self.far)
        others = install.dispatch_offer_ids - mine
        self.assertEqual(others.state, "cancelled")

    def test_offer_settings_validated(self):
        with self.assertRaises(ValidationError):
            self.company.dispatch_offer_count = 0


class TestRating(DispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # completion is tested without the milestone steps (tested elsewhere)
        cls.env["fsm.milestone.template"].search([]).active = False

    def _completed(self, person):
        install = self._install_order()
        install.person_id = person
        install.action_complete()
        return install

    def test_rating_link_and_bayesian_average(self):
        install = self._completed(self.near)
        earlier = self.env["fsm.order.rating"].search(
            [("company_id", "=", install.company_id.id), ("value", ">", 0)]
        )  # none, or the demo data's
        stars, count = sum(earlier.mapped("value")), len(earlier)
        rating = install.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertTrue(rating.access_token)
        self.assertIn(
            f"/install/rate/{rating.id}?access_token={rating.access_token}", rating.url
        )
        rating._rate(5, "Great job")
        self.assertEqual(rating.value, 5)
        with self.assertRaisesRegex(UserError, "already rated"):
            rating._rate(4)
        for _ in range(3):
            self._completed(self.far).rating_ids._rate(4)
        # network mean = (5 + 12) / 4 = 4.25 without earlier ratings; prior 5
        mean = (stars + 5 + 12) / (count + 4)
        self.assertAlmostEqual(self.near.rating_avg, (5 * mean + 5) / 6, places=2)
        self.assertAlmostEqual(self.far.rating_avg, (5 * mean + 12) / 8, places=2)
        self.assertEqual(self.far.rating_count, 3)
        self.assertAlmostEqual(self.junior_tech.rating_avg, mean, places=2)

    def test_low_rating_holds_and_calls_back(self):
        install = self._completed(self.near)
        install.rating_ids._rate(2, "Leaking pipe")
        self.assertTrue(install.quality_hold)
        activity = install.activity_ids.filtered(
            lambda a: "Call back" in (a.summary or "")
        )
        self.assertEqual(len(activity), 1)

    def test_bad_values_refused(self):
        rating = self._completed(self.near).rating_ids
        for bad in (0, 6, "x", None):
            with self.assertRaisesRegex(UserError, "between 1 and 5"):
                rating._rate(bad)
