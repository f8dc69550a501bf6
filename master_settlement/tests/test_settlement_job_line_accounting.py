# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Held funds booked and released (settlement_job_line_accounting.py)."""

from datetime import timedelta
from unittest.mock import patch

from .common import SettlementCommon


class TestSettlementJobLineAccounting(SettlementCommon):
    def test_held_funds_booked_and_released(self):
        brand = self.env["res.partner"].create({"name": "Brand Co"})
        line = self._complete(settle_payer_id=brand.id, settle_payer_amount=300.0)
        self.assertEqual(line.payer_partner_id, brand)
        accounts = self.company._settlement_accounts()
        held = line.held_move_id
        self.assertEqual(held.state, "posted")
        held_line = held.line_ids.filtered(lambda l: l.account_id == accounts["held"])
        self.assertEqual(held_line.balance, -300.0)
        self.assertFalse(line.release_move_id)
        line._on_customer_confirmed(self.today - timedelta(days=10))
        release = line.release_move_id
        self.assertEqual(release.state, "posted")
        balances = {
            key: sum(
                release.line_ids.filtered(lambda l, a=acc: l.account_id == a).mapped(
                    "balance"
                )
            )
            for key, acc in accounts.items()
        }
        self.assertEqual(balances["held"], 300.0)
        self.assertEqual(balances["accrued"], -line.gross_amount)
        self.assertEqual(balances["revenue"], -(300.0 - line.gross_amount))

    def test_entries_built_by_their_prepare_hooks(self):
        """An addon extending the held-funds or the release entry's values
        (its ``_prepare_*_move_vals``) changes the entry that is posted."""
        model = type(self.env["settlement.job.line"])

        def extended(hook):
            original = getattr(model, hook)

            def prepare(line):
                return {**original(line), "narration": f"{hook} of {line.name}"}

            return patch.object(model, hook, prepare)

        brand = self.env["res.partner"].create({"name": "Brand Co"})
        with (
            extended("_prepare_held_funds_move_vals"),
            extended("_prepare_release_move_vals"),
        ):
            line = self._complete(settle_payer_id=brand.id, settle_payer_amount=300.0)
            line._on_customer_confirmed(self.today - timedelta(days=10))
        self.assertIn(
            f"_prepare_held_funds_move_vals of {line.name}", line.held_move_id.narration
        )
        self.assertIn(
            f"_prepare_release_move_vals of {line.name}",
            line.release_move_id.narration,
        )
