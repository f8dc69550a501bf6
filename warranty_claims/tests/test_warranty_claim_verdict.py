# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import Form
from odoo.tools import html2plaintext

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from .common import WarrantyCommon


class TestClaimVerdict(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration = cls._install_unit("CLM-SN1")
        cls.lot = cls.registration.lot_id

    def test_backend_form_and_verdict_per_class(self):
        form = Form(self.env["warranty.claim"])
        form.lot_id = self.lot
        form.fault_id = self.scratch
        form.report_date = date(2026, 6, 1)
        claim = form.save()
        self.assertTrue(claim.name.startswith("WC/"))
        self.assertEqual(claim.registration_id, self.registration)
        self.assertEqual(claim.partner_id, self.customer)
        self.assertEqual(claim.state, "draft")
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.policy_version_id, self.version)
        lines = {line.cost_class: line for line in claim.verdict_line_ids}
        self.assertTrue(lines["unit"].covered)
        self.assertEqual(lines["unit"].end_date, date(2027, 1, 14))
        self.assertIn("until 2027-01-14", lines["unit"].reason)
        self.assertTrue(lines["labour"].covered)
        self.assertTrue(lines["travel"].covered)
        self.assertEqual(lines["parts"].reason_code, "part_not_listed")
        self.assertEqual(claim.remedy, "repair")
        # the verdict's note in the chatter: each class and the remedy
        note = " ".join(html2plaintext(claim.message_ids[0].body).split())
        self.assertIn(f"Verdict, policy version: {self.version.display_name}", note)
        self.assertIn("*Whole Unit* covered Covered: 12 months", note)
        self.assertIn("*Main Parts* not covered The failed part", note)
        self.assertIn("Proposed remedy: On-site Repair Covered: repair.", note)

    def test_main_parts_by_category_and_subcategory(self):
        late = date(2028, 3, 1)  # unit expired, parts still covered
        claim = self._claim(self.lot, self.no_heat, late)
        self.assertEqual(claim.part_categ_id, self.element)
        self.assertTrue(self._line(claim, "parts").covered)
        self.assertEqual(self._line(claim, "unit").reason_code, "expired")
        self.assertFalse(self._line(claim, "labour").covered)
        claim.action_cancel()
        sub = self._claim(
            self.lot, self.no_heat, late, part_categ_id=self.element_800w.id
        )
        self.assertTrue(self._line(sub, "parts").covered)
        sub.action_cancel()
        knob = self._claim(self.lot, self.no_heat, late, part_categ_id=self.knob.id)
        self.assertEqual(self._line(knob, "parts").reason_code, "part_not_listed")

    def test_boundaries_of_unit_and_travel(self):
        last = self._claim(self.lot, self.scratch, date(2027, 1, 14))
        self.assertTrue(self._line(last, "unit").covered)
        self.assertFalse(self._line(last, "travel").covered)
        last.action_cancel()
        after = self._claim(self.lot, self.scratch, date(2027, 1, 15))
        self.assertEqual(self._line(after, "unit").reason_code, "expired")
        self.assertIn("ended on 2027-01-14", self._line(after, "unit").reason)
        self.assertEqual(after.remedy, "quote")

    def test_each_exclusion_refuses_the_claim(self):
        for exclusion in self.env["warranty.exclusion"].search([]):
            claim = self._claim(self.lot, self.scratch, exclusion_ids=exclusion)
            self.assertFalse(claim.verdict_line_ids.filtered("covered"), exclusion.code)
            self.assertEqual(
                set(claim.verdict_line_ids.mapped("reason_code")), {"excluded"}
            )
            self.assertIn(exclusion.name, claim.verdict_line_ids[0].reason)
            claim.action_cancel()

    def test_exclusion_not_in_policy_is_ignored(self):
        self.version.exclusion_ids = self.env.ref(
            "warranty_claims.warranty_exclusion_misuse"
        )
        claim = self._claim(
            self.lot,
            self.scratch,
            exclusion_ids=self.env.ref("warranty_claims.warranty_exclusion_transport"),
        )
        self.assertTrue(self._line(claim, "unit").covered)

    def test_sanbao_return_within_7_days(self):
        claim = self._claim(self.lot, self.no_heat, date(2026, 1, 22))
        self.assertEqual(claim.remedy, "return")
        self.assertIn("within 7 days", claim.remedy_reason)

    def test_sanbao_exchange_within_15_days(self):
        claim = self._claim(self.lot, self.no_heat, date(2026, 1, 23))
        self.assertEqual(claim.remedy, "exchange")
        claim.action_cancel()
        claim = self._claim(self.lot, self.no_heat, date(2026, 1, 30))
        self.assertEqual(claim.remedy, "exchange")
        claim.action_cancel()
        claim = self._claim(self.lot, self.no_heat, date(2026, 1, 31))
        self.assertEqual(claim.remedy, "repair")

    def test_sanbao_off_or_non_performance_fault_is_repaired(self):
        claim = self._claim(self.lot, self.scratch, date(2026, 1, 16))
        self.assertEqual(claim.remedy, "repair")
        claim.action_cancel()
        self.version.sanbao = False
        claim = self._claim(self.lot, self.no_heat, date(2026, 1, 16))
        self.assertEqual(claim.remedy, "repair")

    def _repaired(self, day, end_day):
        claim = self._claim(self.lot, self.no_heat, day)
        with server_owned_writes():  # a repair done earlier
            claim.write(
                {
                    "state": "done",
                    "outcome": "repair",
                    "repair_start_date": day,
                    "repair_end_date": end_day,
                }
            )
        return claim

    def test_exchange_after_two_failed_repairs(self):
        self._repaired(date(2026, 3, 1), date(2026, 3, 3))
        second = self._claim(self.lot, self.no_heat, date(2026, 4, 1))
        self.assertEqual(second.remedy, "repair")
        with server_owned_writes():
            second.write(
                {
                    "state": "done",
                    "repair_start_date": date(2026, 4, 1),
                    "repair_end_date": date(2026, 4, 2),
                }
            )
        third = self._claim(self.lot, self.no_heat, date(2026, 5, 1))
        self.assertEqual(third.remedy, "exchange")
        self.assertIn("2 repairs of the same fault failed", third.remedy_reason)
        # another fault does not count
        other = self._claim(self.lot, self.scratch, date(2026, 5, 1))
        self.assertEqual(other.remedy, "repair")

    def test_clock_pauses_during_repairs(self):
        self._repaired(date(2026, 3, 1), date(2026, 3, 11))
        self.assertEqual(self.registration.pause_days, 10)
        self.assertEqual(self.registration.end_date_unit, date(2027, 1, 24))
        claim = self._claim(self.lot, self.scratch, date(2027, 1, 24))
        self.assertTrue(self._line(claim, "unit").covered)
        self.assertIn("10 days in repair", self._line(claim, "unit").reason)
        claim.action_cancel()
        claim = self._claim(self.lot, self.scratch, date(2027, 1, 25))
        self.assertFalse(self._line(claim, "unit").covered)
