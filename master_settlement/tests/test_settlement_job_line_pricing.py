# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pricing of job payables by the rate card, penalties
(settlement_job_line_pricing.py)."""

from lxml import html

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..tools.access import USER
from .common import SettlementCommon


class TestSettlementJobLinePricing(SettlementCommon):
    def test_job_priced_with_surcharges_bonus_commission(self):
        line = self._complete(
            settle_distance_km=25,
            settle_floor=4,
            settle_has_lift=False,
            settle_night=True,
            settle_urgent=True,
        )
        self.assertEqual(line.rate_line_id.order_type_id, self.order_type)
        self.assertEqual(line.base_fee, 100.0)
        # distance 15 km x 2 + 3 floors x 5 + night 20% + urgent 30
        self.assertEqual(line.surcharge_amount, 30 + 15 + 20 + 30)
        self.assertEqual(line.gross_amount, 195.0)
        self.assertEqual(line.commission_amount, 19.5)
        self.assertEqual(line.bonus_amount, 10.0)
        self.assertEqual(line.amount, 195 + 10 - 19.5)
        self.assertEqual(line.breakdown["bonuses"], [["Summer heat", 10.0]])
        # the form's breakdown (QWeb): one row per part of the price, then the net
        rows = [
            [cell.text_content().strip() for cell in row]
            for row in html.fromstring(line.breakdown_html).iter("tr")
        ]
        self.assertEqual(len(rows), len(line._breakdown_rows()) + 1)
        self.assertEqual(rows[0][0], "Base fee")
        self.assertIn("Bonus: Summer heat", [label for label, _amount in rows])
        self.assertEqual(rows[-1][0], "Net")
        self.assertIn("185.50", rows[-1][1])

    def test_penalties_capped_with_evidence(self):
        """The clerk adds penalties with their evidence on the job's form: the
        line reprices, capped by the rate card."""
        clerk = new_test_user(self.env, login="settle_clerk", groups=USER)
        line = self._complete()
        net = line.amount
        with Form(line.with_user(clerk)) as form:
            for evidence in ("x", "y"):
                with form.penalty_ids.new() as penalty:
                    penalty.kind = "rework"
                    penalty.amount = 30
                    penalty.evidence = evidence
        self.assertEqual(line.penalty_amount, 50.0)  # capped at 50
        self.assertEqual(line.amount, net - 50.0)
        with (
            self.assertRaisesRegex(ValidationError, "evidence"),
            self.env.cr.savepoint(),
        ):
            self.env["settlement.job.penalty"].create(
                {"job_line_id": line.id, "kind": "late", "amount": 5, "evidence": " "}
            )
        with Form(line.with_user(self._accountant())) as form:
            form.penalty_ids.remove(0)
        self.assertEqual(line.penalty_amount, 30.0)

    def test_late_penalty_from_sla_breach(self):
        order = self._order()
        with server_owned_writes():
            order.sla_breached = True
        order.action_complete()
        line = order.settlement_line_ids
        self.assertEqual(line.penalty_ids.kind, "late")
        self.assertEqual(line.penalty_amount, 15.0)

    def test_unpriced_order_completes_and_notifies(self):
        self.card.line_ids.filtered(lambda r: not r.order_type_id).unlink()
        other_type = self.env["fsm.order.type"].create({"name": "Repair"})
        order = self._order(type=other_type.id)
        order.action_complete()
        self.assertTrue(order.stage_id.is_closed)
        self.assertFalse(order.settlement_line_ids)
        activity = order.activity_ids.filtered(
            lambda a: a.summary == "Job not priced for settlement"
        )
        self.assertEqual(len(activity), 1)
        self.assertIn("No rate card", activity.note)
        with self.assertRaisesRegex(UserError, "No rate card"):
            order.action_create_settlement_line()
        self.card.line_ids.create(
            {"card_id": self.card.id, "order_type_id": other_type.id, "base_fee": 55}
        )
        order.action_create_settlement_line()
        self.assertEqual(order.settlement_line_ids.base_fee, 55.0)

    def test_unpriced_activity_skips_an_archived_accountant(self):
        gone = self._accountant(archived=True)
        order = self._order(type=self.env["fsm.order.type"].create({"name": "X"}).id)
        self.card.line_ids.filtered(lambda r: not r.order_type_id).unlink()
        order.action_complete()
        activity = order.activity_ids.filtered(
            lambda a: a.summary == "Job not priced for settlement"
        )
        self._assert_can_act(activity.user_id, gone)

    def test_company_without_rate_card_not_settled(self):
        self.card.active = False
        order = self._order()
        order.action_complete()
        self.assertFalse(order.settlement_line_ids)
        self.assertFalse(
            order.activity_ids.filtered(
                lambda a: a.summary == "Job not priced for settlement"
            )
        )
