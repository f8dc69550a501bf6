# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tools import mute_logger

from .common import WarrantyCommon


class TestPolicy(WarrantyCommon):
    def test_overlapping_versions_refused(self):
        """Versions are added in the policy's form; they may not overlap."""
        with (
            self.assertRaisesRegex(ValidationError, "overlap"),
            self.cr.savepoint(),
            Form(self.policy) as form,
            form.version_ids.new() as version,
        ):
            version.name = "2"
            version.date_from = date(2026, 6, 1)
        self.env.invalidate_all()
        with Form(self.policy) as form:
            with form.version_ids.edit(0) as first:
                first.date_to = date(2026, 5, 31)
            with form.version_ids.new() as version:
                version.name = "2"
                version.date_from = date(2026, 6, 1)
        second = self.policy.version_ids - self.version
        self.assertEqual(second.name, "2")
        self.assertEqual(self.policy._version_for(date(2026, 5, 31)), self.version)
        self.assertEqual(self.policy._version_for(date(2026, 6, 1)), second)
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            second.date_to = date(2026, 1, 1)

    def test_non_positive_months_refused(self):
        with self.assertRaises(ValidationError):
            self.version.line_ids[0].months = 0

    def test_product_policy_wins_over_category_and_parents_inherit(self):
        policies = self.env["warranty.policy"]._for_products(self.heater)
        self.assertEqual(policies[self.heater.id], self.policy)  # from the parent
        special = self.env["warranty.policy"].create({"name": "Special"})
        self.categ.warranty_policy_id = special
        policies = self.env["warranty.policy"]._for_products(self.heater)
        self.assertEqual(policies[self.heater.id], special)  # nearest category
        own = self.env["warranty.policy"].create({"name": "Own"})
        self.heater.product_tmpl_id.warranty_policy_id = own
        policies = self.env["warranty.policy"]._for_products(self.heater)
        self.assertEqual(policies[self.heater.id], own)
        self.assertFalse(
            self.env["warranty.policy"]._for_products(self.pipe)[self.pipe.id]
        )

    def test_policy_form_with_lines(self):
        form = Form(self.env["warranty.policy.version"])
        form.policy_id = self.env["warranty.policy"].create({"name": "Locks"})
        form.name = "1"
        form.sanbao = True
        self.assertTrue(form.pause_in_repair)  # 三包 pauses the clock
        with form.line_ids.new() as line:
            line.cost_class = "unit"
            line.months = 24
        version = form.save()
        self.assertEqual(version.line_ids.months, 24)
        self.assertEqual(
            set(version.exclusion_ids.mapped("code")),
            {
                "misuse",
                "self_disassembly",
                "transport",
                "unauthorised_installer",
                "no_proof",
            },
        )
        with (
            self.assertRaises(psycopg2.IntegrityError),  # one line per class
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            version.line_ids = [Command.create({"cost_class": "unit", "months": 6})]

    def test_version_applied_is_the_one_in_force_on_report_date(self):
        registration = self._install_unit("POL-SN1")
        self.version.date_to = date(2026, 12, 31)
        longer = self.env["warranty.policy.version"].create(
            {
                "policy_id": self.policy.id,
                "name": "2",
                "date_from": date(2027, 1, 1),
                "line_ids": [Command.create({"cost_class": "unit", "months": 24})],
            }
        )
        early = self._claim(registration.lot_id, self.scratch, date(2026, 12, 1))
        self.assertEqual(early.policy_version_id, self.version)
        early.action_cancel()
        late = self._claim(registration.lot_id, self.scratch, date(2027, 6, 1))
        self.assertEqual(late.policy_version_id, longer)
        self.assertTrue(self._line(late, "unit").covered)
        self.assertEqual(self._line(late, "travel").reason_code, "not_in_policy")

    def test_forms_open(self):
        form = Form(self.env["warranty.policy"])
        form.name = "Ranges"
        policy = form.save()
        self.assertEqual(policy.company_id, self.env.company)
        self.assertFalse(policy.current_version_id)
        self.assertEqual(self.policy.current_version_id, self.version)
        self.assertTrue(self.policy.sanbao)
        registration = self._install_unit("POL-FORM")
        with Form(registration) as reg_form:
            reg_form.note = "Customer asked for the manual."
        self.assertEqual(registration.note, "Customer asked for the manual.")
        with freeze_time("2028-06-01"):
            self.assertTrue(registration.in_warranty)  # main parts still run
            found = self.env["warranty.registration"].search(
                [("in_warranty", "=", True), ("id", "=", registration.id)]
            )
            self.assertEqual(found, registration)
        with freeze_time("2029-01-15"):
            registration.invalidate_recordset(["in_warranty"])
            self.assertFalse(registration.in_warranty)
            found = self.env["warranty.registration"].search(
                [("in_warranty", "=", False), ("id", "=", registration.id)]
            )
            self.assertEqual(found, registration)
