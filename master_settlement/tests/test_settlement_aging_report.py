# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The aging of the releasable job payables (report/settlement_aging_report.py)."""

from datetime import timedelta

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from .common import SettlementCommon


class TestSettlementAgingReport(SettlementCommon):
    def test_aging_buckets(self):
        line = self._releasable()
        old = self._releasable()
        with server_owned_writes():
            line.confirmed_date = self.today - timedelta(days=20)
            old.confirmed_date = self.today - timedelta(days=70)
        self.env.flush_all()
        rows = self.env["settlement.aging.report"].search(
            [("job_line_id", "in", (line | old).ids)]
        )
        buckets = {row.job_line_id: row.bucket for row in rows}
        self.assertEqual(buckets[line], "16_30")
        self.assertEqual(buckets[old], "60_plus")
