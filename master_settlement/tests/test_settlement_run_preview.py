# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The preview of a settlement run (settlement_run_preview.py)."""

from .common import SettlementRunCommon


class TestSettlementRunPreview(SettlementRunCommon):
    def test_preview_writes_nothing_and_diffs_last_run(self):
        first = self._start(self._run())
        new = self._releasable(self.tech_a)
        run = self._run()
        run.action_preview()
        self.assertFalse(run.move_ids)
        self.assertEqual(new.state, "releasable")
        rows = {row.person_id: row for row in run.preview_ids}
        bill_a = first.move_ids.filtered(
            lambda m: m.settlement_person_id == self.tech_a
        )
        self.assertEqual(rows[self.tech_a].amount, new.amount)
        self.assertEqual(rows[self.tech_a].previous_amount, bill_a.amount_total)
        self.assertEqual(rows[self.tech_a].difference, new.amount - bill_a.amount_total)
        self.assertEqual(rows[self.tech_b].amount, 0.0)
        self.assertFalse(rows[self.tech_b].will_bill)
