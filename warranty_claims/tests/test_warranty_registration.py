# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user

from .common import INSTALL_DAY, PNG, WarrantyCommon


class TestRegistration(WarrantyCommon):
    def test_installed_milestone_registers_and_activates_code(self):
        registration = self._install_unit("REG-SN1")
        self.assertEqual(len(registration), 1)
        self.assertEqual(registration.product_id, self.heater)
        self.assertEqual(registration.install_date, INSTALL_DAY)
        self.assertEqual(registration.start_date, INSTALL_DAY)
        self.assertEqual(registration.start_basis, "installation")
        self.assertEqual(registration.installer_id, self.certified)
        self.assertTrue(registration.authorised_installer)
        self.assertEqual(registration.policy_version_id, self.version)
        self.assertEqual(registration.partner_id, self.customer)
        self.assertEqual(registration.delivery_date, INSTALL_DAY)
        self.assertEqual(registration.end_date_unit, date(2027, 1, 14))
        self.assertEqual(registration.end_date_parts, date(2029, 1, 14))
        self.assertEqual(registration.end_date_labour, date(2027, 1, 14))
        self.assertEqual(registration.end_date_travel, date(2026, 7, 14))
        code = registration.code_id
        self.assertTrue(code, "a code is issued lazily for the unit")
        self.assertEqual(code.lot_id, registration.lot_id)
        self.assertEqual(code.state, "activated")
        self.assertEqual(code.activation_date, INSTALL_DAY)
        install = registration.install_order_id
        self.assertIn("Warranty of REG-SN1 registered", install.message_ids[0].body)
        self.assertEqual(install.warranty_registration_ids, registration)

    def test_existing_code_is_activated_not_reissued(self):
        lot = self._stock(self.heater, serials=["REG-PRE"])
        code = self.env["warranty.code"]._issue_for_lots(lot)
        self.assertEqual(code.state, "generated")
        sale = self._sale([(self.heater, 1)])
        self._deliver(sale)
        install = sale.install_order_ids
        install.person_id = self.certified
        self._log_install(install, lot)
        registration = install.warranty_registration_ids
        self.assertEqual(registration.code_id, code)
        self.assertEqual(code.state, "activated")
        self.assertEqual(
            self.env["warranty.code"].search_count([("lot_id", "=", lot.id)]), 1
        )

    def test_non_authorised_installer_recorded_and_excluded(self):
        registration = self._install_unit("REG-SN2", person=self.uncertified)
        self.assertFalse(registration.authorised_installer)
        self.assertIn("no valid certification", registration.message_ids[0].body)
        claim = self._claim(registration.lot_id, self.scratch)
        self.assertFalse(claim.verdict_line_ids.filtered("covered"))
        self.assertEqual(
            set(claim.verdict_line_ids.mapped("reason_code")), {"excluded"}
        )
        self.assertIn("Non-authorised installer", claim.verdict_line_ids[0].reason)

    def test_expired_certification_is_not_authorised(self):
        self.certified.certification_ids.valid_to = INSTALL_DAY - timedelta(days=1)
        registration = self._install_unit("REG-SN3")
        self.assertFalse(registration.authorised_installer)

    def test_category_without_certification_needs_none(self):
        self.categ.install_certification_required = False
        registration = self._install_unit("REG-SN4", person=self.uncertified)
        self.assertTrue(registration.authorised_installer)

    def test_delivered_never_installed_starts_after_delivery_days(self):
        with freeze_time("2026-02-01"):
            _sale, lot = self._sold_unit("REG-DLV")
        registration_model = self.env["warranty.registration"]
        # 15 days after the delivery: not yet
        registration_model._register_delivered(today=date(2026, 2, 15))
        self.assertFalse(registration_model.search([("lot_id", "=", lot.id)]))
        registration_model._register_delivered(today=date(2026, 2, 16))
        registration = registration_model.search([("lot_id", "=", lot.id)])
        self.assertEqual(registration.start_date, date(2026, 2, 16))
        self.assertEqual(registration.start_basis, "delivery")
        self.assertEqual(registration.delivery_date, date(2026, 2, 1))
        self.assertEqual(registration.code_id.state, "activated")
        # the cron does not register twice
        self.assertFalse(registration_model._register_delivered(today=date(2026, 3, 1)))

    def test_invoice_basis_starts_on_invoice_date(self):
        self.version.start_basis = "invoice"
        with freeze_time("2026-02-01"):
            sale, lot = self._sold_unit("REG-INV")
            invoice = sale._create_invoices()
            invoice.invoice_date = date(2026, 2, 3)
            invoice.action_post()
        registration = self.env["warranty.registration"]._register_delivered(
            today=date(2026, 2, 4)
        )
        self.assertEqual(registration.lot_id, lot)
        self.assertEqual(registration.start_date, date(2026, 2, 3))
        self.assertEqual(registration.start_basis, "invoice")

    def test_installation_after_delivery_restarts_the_warranty(self):
        with freeze_time("2026-02-01"):
            sale, lot = self._sold_unit("REG-LATE")
        registration_model = self.env["warranty.registration"]
        registration = registration_model._register_delivered(today=date(2026, 3, 1))
        self.assertEqual(registration.start_basis, "delivery")
        with freeze_time("2026-03-05"):
            install = sale.install_order_ids
            install.person_id = self.certified
            self._log_install(install, lot)
        self.assertEqual(registration.start_basis, "installation")
        self.assertEqual(registration.start_date, date(2026, 3, 5))
        self.assertEqual(registration.install_order_id, install)

    def test_technician_logging_the_scan_registers_the_unit(self):
        technician = new_test_user(
            self.env, login="wty_tech", groups="fieldservice.group_fsm_user_own"
        )
        sale, lot = self._sold_unit("REG-TECH")
        install = sale.install_order_ids
        install.person_id = self.certified
        logs = self.env["fsm.order.milestone.log"].with_user(technician)
        photo = self.env["ir.attachment"].with_user(technician)
        for code, vals in (
            ("picked_up", {"latitude": 30.1, "longitude": 120.1}),
            ("arrived", {"latitude": 30.2, "longitude": 120.2}),
            (
                "inspected",
                {
                    "inspection_result": "pass",
                    "attachment_ids": [
                        Command.set(photo.create({"name": "p.png", "raw": PNG}).ids)
                    ],
                },
            ),
            (
                "installed",
                {
                    "lot_id": lot.id,
                    "attachment_ids": [
                        Command.set(photo.create({"name": "p.png", "raw": PNG}).ids)
                    ],
                },
            ),
        ):
            logs.create(
                {"order_id": install.id, "milestone_id": self.ms[code].id, **vals}
            )
        registration = install.warranty_registration_ids
        self.assertEqual(registration.lot_id, lot)
        self.assertEqual(registration.installer_id, self.certified)
        self.assertEqual(registration.code_id.state, "activated")

    def test_officer_registers_a_delivered_unit_by_hand(self):
        """The dates are the server's: a unit registered by hand from its
        serial gets its delivery and invoice from the unit's moves."""
        officer = new_test_user(
            self.env,
            login="wty_reg_officer",
            groups="warranty_claims.group_warranty_user,stock.group_stock_user",
        )
        with freeze_time("2026-02-01"):
            _sale, lot = self._sold_unit("REG-HAND")
        form = Form(self.env["warranty.registration"].with_user(officer))
        form.lot_id = lot
        registration = form.save()
        self.assertEqual(registration.delivery_date, date(2026, 2, 1))
        self.assertEqual(registration.partner_id, self.customer)
        self.assertEqual(registration.start_date, date(2026, 2, 16))
        self.assertEqual(registration.start_basis, "delivery")
        self.assertEqual(registration.code_id.state, "activated")
        # the unit of a registration never changes; the customer may
        other = self._stock(self.heater, serials=["REG-HAND-2"])
        with self.assertRaisesRegex(UserError, "cannot move to another unit"):
            registration.with_user(officer).lot_id = other
        registration.with_user(officer).partner_id = officer.partner_id
        self.assertEqual(registration.partner_id, officer.partner_id)
        with self.assertRaisesRegex(UserError, "Installed On"):
            registration.with_user(officer).install_date = date(2026, 1, 1)
