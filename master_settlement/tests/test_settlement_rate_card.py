# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rate cards: versions, overlaps, amounts, currency (settlement_rate_card.py)."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form

from .common import SettlementCommon


class TestSettlementRateCard(SettlementCommon):
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

    def test_form_creates_card(self):
        with Form(self.env["settlement.rate.card"]) as form:
            form.name = "Form card"
            form.date_from = self.today + timedelta(days=400)
            with form.line_ids.new() as rule:
                rule.zip_prefix = "9"
                rule.base_fee = 70
        self.assertEqual(form.record.line_ids.base_fee, 70)
