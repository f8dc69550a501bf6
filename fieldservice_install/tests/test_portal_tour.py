# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, tagged

from .portal_common import PortalTechCommon


@tagged("post_install", "-at_install")
class TestPortalTour(HttpCase, PortalTechCommon):
    browser_size = "390x844"  # a phone
    touch_enabled = True

    def test_technician_tour(self):
        self.start_tour(
            "/my/jobs", "fieldservice_install_technician_tour", login="portal_tech"
        )
        self.assertEqual(self.offer.state, "accepted")
        self.assertEqual(self.install.person_id, self.tech)
        logs = self.install.milestone_log_ids
        self.assertEqual(
            logs.milestone_id.mapped("code"),
            ["picked_up", "arrived", "inspected", "installed", "confirmed"],
        )
        self.assertEqual(set(logs.user_id.ids), {self.tech_user.id})
        self.assertTrue(all(log.distance_known for log in logs[:2]))
        installed = logs.filtered(lambda g: g.milestone_id.code == "installed")
        self.assertEqual(installed.lot_id, self.serials)
        self.assertEqual(installed.attachment_ids.mimetype, "image/png")
        confirmed = logs.filtered(lambda g: g.milestone_id.code == "confirmed")
        self.assertTrue(confirmed.signature)
        self.assertEqual(self.install.install_state, "done")
