# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from lxml import html

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form

from .common import SettlementCommon


class TestRateCard(SettlementCommon):
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

    def test_frozen_rule_cannot_change_new_version(self):
        """A rule that priced a job is frozen: the accountant makes a new
        version of the card and changes the fee there, in its form."""
        accountant = self._accountant()
        line = self._complete()
        card = self.card.with_user(accountant)
        form = Form(card)
        with form.line_ids.edit(1) as rule:
            rule.base_fee = 120.0
        with self.assertRaisesRegex(UserError, "new version"):
            form.save()
        card.invalidate_recordset()
        card.action_new_version()
        new = self.env["settlement.rate.card"].search(
            [("previous_id", "=", self.card.id)]
        )
        self.assertEqual(new.version, 2)
        self.assertEqual(self.card.date_to, new.date_from - timedelta(days=1))
        with (
            Form(new.with_user(accountant)) as form,
            form.line_ids.edit(1) as rule,
        ):
            self.assertEqual(rule.order_type_id, self.order_type)
            rule.base_fee = 120.0
        self.assertEqual(new.line_ids.filtered("order_type_id").base_fee, 120.0)
        self.assertEqual(line.base_fee, 100.0)  # the job keeps its price

    def test_overlapping_card_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "defined twice"),
            self.env.cr.savepoint(),
        ):
            self.env["settlement.rate.card"].create(
                {
                    "name": "Overlap",
                    "date_from": self.today,
                    "line_ids": [
                        Command.create(
                            {"order_type_id": self.order_type.id, "base_fee": 90.0}
                        )
                    ],
                }
            )
        # another key, or after the first card ends, is fine
        self.env["settlement.rate.card"].create(
            {
                "name": "Region",
                "date_from": self.today,
                "line_ids": [
                    Command.create(
                        {
                            "order_type_id": self.order_type.id,
                            "state_id": self.state_zj.id,
                            "base_fee": 110.0,
                        }
                    )
                ],
            }
        )
        self.assertEqual(self._complete().base_fee, 110.0)  # region is more specific

    def test_negative_base_fee_and_amounts_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.card.line_ids[0].base_fee = -1
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.card.per_km = -2

    def test_currency_mismatch_refused(self):
        other = self.env.ref("base.EUR")
        if other == self.company.currency_id:
            other = self.env.ref("base.USD")
        with self.assertRaisesRegex(ValidationError, "company currency"):
            self.card.currency_id = other

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

    def test_form_creates_card(self):
        with Form(self.env["settlement.rate.card"]) as form:
            form.name = "Form card"
            form.date_from = self.today + timedelta(days=400)
            with form.line_ids.new() as rule:
                rule.zip_prefix = "9"
                rule.base_fee = 70
        self.assertEqual(form.record.line_ids.base_fee, 70)
