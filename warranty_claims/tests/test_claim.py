# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import UserError, ValidationError
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
        self.assertIn(f"Verdict ({self.version.display_name}):", note)
        self.assertIn("Whole Unit: covered — Covered: 12 months", note)
        self.assertIn("Main Parts: not covered — The failed part", note)
        self.assertIn("Proposed remedy: On-site Repair.", note)

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
            claim = self._claim(
                self.lot, self.scratch, exclusion_ids=[(6, 0, exclusion.ids)]
            )
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
            exclusion_ids=[
                (6, 0, self.env.ref("warranty_claims.warranty_exclusion_transport").ids)
            ],
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

    def test_duplicate_open_claim_prevented(self):
        first = self._claim(self.lot, self.no_heat)
        with (
            self.assertRaisesRegex(ValidationError, "already open"),
            self.cr.savepoint(),
        ):
            self._claim(self.lot, self.no_heat, submit=False)
        self.env.invalidate_all()
        self._claim(self.lot, self.scratch)  # another fault is fine
        first.action_cancel()
        self._claim(self.lot, self.no_heat)  # the first one is closed

    def test_unknown_and_revoked_codes_refused(self):
        claim_model = self.env["warranty.claim"]
        with self.assertRaises(UserError):
            claim_model._find_unit("NOT-A-CODE-0000")
        code = self.registration.code_id
        found_code, found_lot = claim_model._find_unit(code.code)
        self.assertEqual((found_code, found_lot), (code, self.lot))
        claim = self._claim(self.lot, self.scratch, submit=False, code_id=code.id)
        code.action_revoke()
        with self.assertRaisesRegex(UserError, "revoked"):
            claim.action_submit()
        with self.assertRaisesRegex(UserError, "revoked"):
            claim_model._find_unit(self.lot.name)

    def test_unit_never_sold_is_flagged(self):
        lot = self._stock(self.heater, serials=["CLM-UNSOLD"])
        claim = self._claim(lot, self.scratch)
        self.assertTrue(claim.not_sold)
        self.assertFalse(claim.verdict_line_ids.filtered("covered"))
        self.assertEqual(claim.verdict_line_ids[0].reason_code, "not_registered")
        self.assertEqual(claim.activity_ids.summary, "Unit never sold")
        self.assertFalse(self._claim(self.lot, self.scratch).not_sold)
        # claims from the public page: a warranty manager follows them up
        public = self.env.ref("base.public_user")
        claim.user_id = False
        responsible = claim.with_user(public).sudo()._responsible_user()
        self.assertTrue(responsible.has_group("warranty_claims.group_warranty_manager"))
        self.assertFalse(responsible.share)

    def test_submit_needs_unit_and_fault(self):
        claim = self.env["warranty.claim"].create({"fault_id": self.scratch.id})
        with self.assertRaisesRegex(UserError, "serial number"):
            claim.action_submit()
        claim = self.env["warranty.claim"].create({"lot_id": self.lot.id})
        with self.assertRaisesRegex(UserError, "choose the fault"):
            claim.action_submit()


class TestClaimDecision(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration = cls._install_unit("DEC-SN1")
        cls.lot = cls.registration.lot_id

    def test_confirm_verdict(self):
        claim = self._claim(self.lot, self.scratch)
        self._decide(claim)
        self.assertEqual(claim.state, "decided")
        self.assertEqual(claim.outcome, "repair")
        self.assertEqual(claim.decided_by_id, self.env.user)
        self.assertIn(
            "Decision: On-site Repair",
            # the internal note; the customer's decision mail comes after it
            claim.message_ids.filtered(lambda m: m.message_type != "comment")[0].body,
        )

    def test_override_needs_reason_and_is_posted(self):
        claim = self._claim(self.lot, self.scratch)
        with self.assertRaisesRegex(UserError, "reason for overriding"):
            self._decide(claim, overrides={"parts": (True, "")})
        self._decide(claim, overrides={"parts": (True, "Goodwill: loyal customer")})
        parts = self._line(claim, "parts")
        self.assertTrue(parts.covered)
        self.assertFalse(parts.engine_covered)
        self.assertEqual(parts.override_reason, "Goodwill: loyal customer")
        self.assertIn(
            "Goodwill: loyal customer",
            # the internal note; the customer's decision mail comes after it
            claim.message_ids.filtered(lambda m: m.message_type != "comment")[0].body,
        )

    def test_refuse_needs_note(self):
        claim = self._claim(self.lot, self.scratch)
        with self.assertRaisesRegex(UserError, "reason for refusing"):
            claim._apply_decision([], "refuse", "")
        self._decide(claim, outcome="refuse", note="Photos show a dropped unit")
        self.assertEqual(claim.state, "refused")
        self.assertEqual(claim.refusal_reason, "Photos show a dropped unit")
        claim.action_reset_draft()
        self.assertEqual(claim.state, "draft")
        self.assertFalse(claim.verdict_line_ids)

    def test_state_checks(self):
        claim = self._claim(self.lot, self.scratch, submit=False)
        with self.assertRaisesRegex(UserError, "cannot be decided"):
            claim.action_open_decision()
        with self.assertRaisesRegex(UserError, "cannot be started"):
            claim.action_launch_outcome()
        claim.action_submit()
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            claim.unlink()
