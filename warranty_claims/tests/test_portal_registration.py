# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user

from odoo.addons.fieldservice_install.engine.photo_upload import Photo

from .common import PNG, WarrantyCommon


class TestPortalRegistration(WarrantyCommon):
    def test_serial_entered_in_the_technician_portal_registers_the_unit(self):
        """The portal path logs through the same milestone code: the installed
        unit's warranty is registered and its code activated."""
        portal = new_test_user(
            self.env, login="wty_portal_tech", groups="base.group_portal"
        )
        self.certified.partner_id = portal.partner_id
        sale, lot = self._sold_unit("REG-PORTAL")
        install = sale.install_order_ids
        install.person_id = self.certified
        as_tech = install.with_user(portal)
        photo = Photo("p.png", PNG, "image/png")
        for code, vals, photos in (
            ("picked_up", {"latitude": 30.1, "longitude": 120.1}, ()),
            ("arrived", {"latitude": 30.2, "longitude": 120.2}, ()),
            ("inspected", {"inspection_result": "pass"}, [photo]),
            ("installed", {"serial": "reg-portal"}, [photo]),
        ):
            as_tech._portal_log_milestone(self.ms[code].id, vals, photos)
        registration = install.warranty_registration_ids
        self.assertEqual(registration.lot_id, lot)
        self.assertEqual(registration.installer_id, self.certified)
        self.assertTrue(registration.authorised_installer)
        self.assertEqual(registration.code_id.state, "activated")
