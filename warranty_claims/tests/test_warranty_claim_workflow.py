# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo.exceptions import UserError, ValidationError

from .common import WarrantyCommon


class TestClaimWorkflow(WarrantyCommon):
    """Submit, decide, refuse, reset: what each step needs and checks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration = cls._install_unit("DEC-SN1")
        cls.lot = cls.registration.lot_id

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
