# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


class TestCustomerDocuments(TransactionCase):
    """Notifications to the customer at each step, and the printed documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Notified Customer", "email": "notified@example.com"}
        )
        cls.location = cls.env["fsm.location"].create(
            {"name": "Notified Site", "owner_id": cls.customer.id}
        )
        cls.person = cls.env["fsm.person"].create({"name": "Tech Notifier"})
        cls.other_person = cls.env["fsm.person"].create({"name": "Tech Other"})
        cls.install_type = cls.env.ref(
            "fieldservice_install.fsm_order_type_installation"
        )
        cls.quick_type = cls.env["fsm.order.type"].create(
            {"name": "Quick install", "internal_type": "install"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Notified Heater", "is_storable": True, "tracking": "serial"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "NOTIF-SN1", "product_id": cls.product.id}
        )

    def _order(self, order_type=None, **vals):
        return self.env["fsm.order"].create(
            {
                "location_id": self.location.id,
                "type": (order_type or self.install_type).id,
                **vals,
            }
        )

    def _customer_messages(self, order):
        """The mails sent to the customer about ``order`` (read by their
        subject: they are not messages of the order)."""
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", self.customer.ids)])
            .filtered(lambda m: order.name in (m.subject or "") + (m.body_html or ""))
        )

    def _notes(self, order):
        return order.message_ids.filtered(lambda m: "sent to" in (m.body or ""))

    # notifications --------------------------------------------------------
    def test_assigned_mail_with_tracking_link(self):
        order = self._order()
        self.assertFalse(self._customer_messages(order))
        order._dispatch_assign(self.person.id)
        mail = self._customer_messages(order)
        self.assertEqual(len(mail), 1)
        self.assertIn("is planned", mail.subject)
        self.assertIn("Tech Notifier", mail.body_html)
        self.assertIn(order.tracking_url, mail.body_html)
        self.assertEqual(mail.state, "outgoing")  # queued for sending
        # a mail of its own, from the company, made by the system: not a
        # message of the order
        self.assertFalse(mail.model)
        self.assertFalse(mail.res_id)
        self.assertEqual(mail.author_id, order.company_id.partner_id)
        self.assertEqual(mail.create_uid, self.env.ref("base.user_root"))
        self.assertNotIn(mail.mail_message_id, order.message_ids)
        # the dispatcher sees that it went out, without the link
        (note,) = self._notes(order)
        self.assertIn("Technician Assigned", note.body)
        self.assertIn("notified@example.com", note.body)
        self.assertNotIn(order.sudo().access_token, note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_no_mail_for_other_orders_nor_without_customer(self):
        repair = self.env["fsm.order"].create({"location_id": self.location.id})
        repair._dispatch_assign(self.person.id)
        self.assertFalse(self._customer_messages(repair))
        self.assertFalse(self._notes(repair))
        no_email = self.env["res.partner"].create({"name": "No Email"})
        order = self._order(install_partner_id=no_email.id)
        order._dispatch_assign(self.person.id)
        self.assertEqual(order.tracking_customer_id, no_email)
        self.assertFalse(self._notes(order))
        self.assertFalse(
            order.message_ids.filtered(lambda m: m.message_type == "comment")
        )

    def test_on_the_way_mail_on_pick_up(self):
        order = self._order(person_id=self.person.id)
        picked_up = self.env.ref(
            "fieldservice_install.fsm_milestone_template_picked_up"
        )
        self.assertTrue(picked_up.customer_template_id)
        self.env["fsm.order.milestone.log"].create(
            {
                "order_id": order.id,
                "milestone_id": picked_up.id,
                "latitude": 30.1,
                "longitude": 120.1,
            }
        )
        message = self._customer_messages(order)
        self.assertEqual(len(message), 1)
        self.assertIn("on the way", message.subject)
        self.assertIn(order.tracking_url, message.body_html)
        # the next milestones send nothing
        self.env["fsm.order.milestone.log"].create(
            {
                "order_id": order.id,
                "milestone_id": self.env.ref(
                    "fieldservice_install.fsm_milestone_template_arrived"
                ).id,
                "latitude": 30.1,
                "longitude": 120.1,
            }
        )
        self.assertEqual(len(self._customer_messages(order)), 1)

    def test_done_mail_with_rating_link(self):
        order = self._order(self.quick_type, person_id=self.person.id)
        order.action_complete()
        message = self._customer_messages(order)
        self.assertEqual(len(message), 1)
        self.assertIn("done", message.subject)
        self.assertIn(order.rating_ids.url, message.body_html)

    def test_technicians_cannot_read_the_customer_link(self):
        order = self._order(person_id=self.person.id)
        technician = new_test_user(
            self.env, login="cd_technician", groups="fieldservice.group_fsm_user"
        )
        self.assertTrue(order.with_user(technician).name)
        as_technician = order.with_user(technician)
        for field in ("access_token", "tracking_url"):
            with self.assertRaises(AccessError):
                as_technician.read([field])
        with self.assertRaises(AccessError):
            as_technician.access_token  # noqa: B018  pylint: disable=pointless-statement
        with self.assertRaises(AccessError):  # no search on it either
            as_technician.search([("access_token", "=", "x")])
        with self.assertRaises(AccessError):  # nor Odoo's portal link
            as_technician.get_portal_url()
        self.assertNotIn("access_token", as_technician.fields_get())
        self.assertIn(order.sudo().access_token, order.tracking_url)

    # reports ---------------------------------------------------------------
    def test_service_confirmation_report(self):
        order = self._order(person_id=self.person.id)
        order.write(
            {
                "install_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "lot_ids": [Command.set(self.lot.ids)],
                        }
                    )
                ]
            }
        )
        picked_up = self.env.ref(
            "fieldservice_install.fsm_milestone_template_picked_up"
        )
        photo = self.env["ir.attachment"].create({"name": "p.png", "raw": PNG})
        self.env["fsm.order.milestone.log"].create(
            {
                "order_id": order.id,
                "milestone_id": picked_up.id,
                "latitude": 30.123456,
                "longitude": 120.654321,
                "attachment_ids": [Command.set(photo.ids)],
            }
        )
        order.write(
            {
                "signature": base64.b64encode(PNG),
                "signed_by": "Notified Customer",
                "signed_on": datetime(2026, 5, 5, 10, 0),
            }
        )
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "fieldservice_install.report_service_confirmation", order.ids
            )[0]
        )
        self.assertIn("Service Confirmation", html)
        self.assertIn(order.name, html)
        self.assertIn("Tech Notifier", html)
        self.assertIn("NOTIF-SN1", html)
        self.assertIn("Picked up at logistics point", html)
        self.assertIn("30.12346, 120.65432", html)
        self.assertIn("Signed by", html)
        self.assertIn("data:image/png;base64,", html)  # the signature
        self.assertNotIn("Not signed", html)
        # the PDF action exists and renders (HTML in tests, PDF otherwise)
        content, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
            "fieldservice_install.fsm_order_report_service_confirmation", order.ids
        )
        self.assertIn(b"Service Confirmation", content)

    def test_unsigned_service_confirmation(self):
        order = self._order()
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "fieldservice_install.report_service_confirmation", order.ids
            )[0]
        )
        self.assertIn("Not signed", html)
        self.assertIn("No milestone logged", html)

    @freeze_time("2026-05-04 06:00:00")
    def test_day_sheet_per_technician_and_day(self):
        self.env.user.tz = "UTC"
        day1 = datetime(2026, 5, 5, 9, 0)
        orders = (
            self._order(person_id=self.person.id, scheduled_date_start=day1)
            | self._order(
                person_id=self.person.id,
                scheduled_date_start=datetime(2026, 5, 5, 7, 0),
            )
            | self._order(
                person_id=self.person.id,
                scheduled_date_start=datetime(2026, 5, 6, 9, 0),
            )
            | self._order(person_id=self.other_person.id, scheduled_date_start=day1)
        )
        values = self.env[
            "report.fieldservice_install.report_day_sheet"
        ]._get_report_values(orders.ids)
        sheets = [
            (sheet["person"].name, str(sheet["day"]), sheet["orders"])
            for sheet in values["sheets"]
        ]
        self.assertEqual(
            [(name, day, len(o)) for name, day, o in sheets],
            [
                ("Tech Notifier", "2026-05-05", 2),
                ("Tech Notifier", "2026-05-06", 1),
                ("Tech Other", "2026-05-05", 1),
            ],
        )
        # in planned order
        self.assertEqual(sheets[0][2].mapped("scheduled_date_start")[0].hour, 7)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "fieldservice_install.report_day_sheet", orders.ids
            )[0]
        )
        self.assertEqual(html.count("o_day_sheet"), 3)
        self.assertIn("Tech Other", html)
        self.assertIn("Notified Customer", html)
        for order in orders:
            self.assertIn(order.name, html)

    @freeze_time("2026-05-04 06:00:00")
    def test_day_sheet_wizard_from_technicians(self):
        self.env.user.tz = "UTC"
        self.person.partner_id.tz = "Asia/Shanghai"  # UTC+8
        on_day = self._order(
            person_id=self.person.id, scheduled_date_start=datetime(2026, 5, 4, 17, 0)
        )  # 5 May 01:00 in Shanghai
        self._order(  # 4 May 23:00 in Shanghai: another day
            person_id=self.person.id, scheduled_date_start=datetime(2026, 5, 4, 15, 0)
        )
        cancelled = self._order(
            person_id=self.person.id, scheduled_date_start=datetime(2026, 5, 5, 2, 0)
        )
        cancelled.action_cancel()
        other = self._order(
            person_id=self.other_person.id,
            scheduled_date_start=datetime(2026, 5, 5, 9, 0),
        )
        wizard_model = self.env["fsm.day.sheet.wizard"].with_context(
            active_model="fsm.person",
            active_ids=(self.person | self.other_person).ids,
        )
        form = Form(wizard_model)
        form.date = datetime(2026, 5, 5).date()
        wizard = form.save()
        self.assertEqual(wizard.person_ids, self.person | self.other_person)
        self.assertEqual(wizard._orders(), on_day | other)
        action = wizard.with_context(discard_logo_check=True).action_print()
        self.assertEqual(action["report_name"], "fieldservice_install.report_day_sheet")
        self.assertEqual(set(action["context"]["active_ids"]), {on_day.id, other.id})
        wizard.date = datetime(2026, 5, 9).date()
        with self.assertRaisesRegex(UserError, "no order planned"):
            wizard.action_print()
