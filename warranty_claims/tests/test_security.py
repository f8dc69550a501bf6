# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import WarrantyCommon


class TestWarrantySecurity(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env, login="wty_officer", groups="warranty_claims.group_warranty_user"
        )
        cls.manager = new_test_user(
            cls.env,
            login="wty_manager",
            groups="warranty_claims.group_warranty_manager",
        )
        cls.registration = cls._install_unit("SEC-SN1")

    def test_officers_reach_the_warranty_menus(self):
        """The Warranty menus are in the Field Service app: its officers and
        managers see the app (they saw no menu of it)."""
        claims_menu = self.env.ref("warranty_claims.warranty_claim_menu")
        root = self.env.ref("fieldservice.root")
        for user in (self.officer, self.manager):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(root.id, visible, user.login)
            self.assertIn(claims_menu.id, visible, user.login)

    def test_officer_records_manager_decides(self):
        claim = (
            self.env["warranty.claim"]
            .with_user(self.officer)
            .create(
                {
                    "lot_id": self.registration.lot_id.id,
                    "fault_id": self.scratch.id,
                    "report_date": date(2026, 6, 1),
                }
            )
        )
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        with self.assertRaises(AccessError):
            self.env["warranty.claim.decision"].with_user(self.officer).create(
                {"claim_id": claim.id}
            )
        with self.assertRaises(AccessError):
            self.policy.with_user(self.officer).name = "Changed"
        line = claim.verdict_line_ids.filtered(lambda l: l.cost_class == "parts")
        # what is covered is decided through the Decide wizard only, by
        # nobody writing the line (managers and administrators included)
        for user in (self.officer, self.manager, self.env.user):
            with self.assertRaisesRegex(UserError, "Covered: use Decide"):
                line.with_user(user).covered = True
        self.assertFalse(line.covered)
        line.cost = 12.0  # officers record costs
        self._decide(claim.with_user(self.manager))
        self.assertEqual(claim.state, "decided")
        self.assertEqual(claim.decided_by_id, self.manager)

    def test_other_company_claims_hidden(self):
        other = self.env["res.company"].create({"name": "Other Appliances Co."})
        claim = self._claim(self.registration.lot_id, self.scratch, submit=False)
        claim.company_id = other
        self.registration.company_id = other
        claims = self.env["warranty.claim"].with_user(self.officer).search([])
        self.assertNotIn(claim, claims)
        registrations = (
            self.env["warranty.registration"].with_user(self.officer).search([])
        )
        self.assertNotIn(self.registration, registrations)

    def test_salesman_reads_products_with_policy(self):
        salesman = new_test_user(
            self.env, login="wty_sales", groups="sales_team.group_sale_salesman"
        )
        product = self.heater.with_user(salesman)
        self.assertEqual(
            product.categ_id.parent_id.warranty_policy_id.name, "Water heaters"
        )

    def test_decision_names_only_lines_of_its_claim(self):
        """The decision wizard writes what is covered: a wizard line pointing
        at another claim's verdict line is refused, nothing is written."""
        decided = self._claim(self.registration.lot_id, self.scratch)
        self._decide(decided)
        other_line = decided.verdict_line_ids[0]
        covered = other_line.covered
        second = self._install_unit("SEC-SN2")
        claim = self._claim(second.lot_id, self.scratch)
        wizard = (
            self.env["warranty.claim.decision"]
            .with_user(self.manager)
            .create(
                {
                    "claim_id": claim.id,
                    "outcome": "repair",
                    "line_ids": [
                        Command.create(
                            {
                                "verdict_line_id": other_line.id,
                                "covered": not covered,
                                "override_reason": "because",
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "another claim"):
            wizard.action_confirm()
        self.assertEqual(other_line.covered, covered)
        self.assertEqual(claim.state, "submitted")

    def test_costs_are_final_once_the_claim_is_done(self):
        claim = self._claim(self.registration.lot_id, self.scratch)
        self._decide(claim.with_user(self.manager), outcome="quotation")
        line = claim.verdict_line_ids[0].with_user(self.officer)
        line.cost = 5.0
        claim.action_launch_outcome()
        claim.action_done()
        self.assertEqual(claim.state, "done")
        with self.assertRaisesRegex(UserError, "costs of its classes are final"):
            line.cost = 500.0
        self.assertEqual(line.cost, 5.0)
