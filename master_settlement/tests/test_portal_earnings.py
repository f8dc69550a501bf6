# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SettlementCommon


@tagged("post_install", "-at_install")
class TestPortalEarnings(HttpCase, SettlementCommon):
    """/my/earnings: the technician's own job payables and statements."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="earn_portal", name="Tech Alpha", groups="base.group_portal"
        )
        cls.other_portal = new_test_user(
            cls.env, login="earn_portal_b", groups="base.group_portal"
        )
        cls.tech_a.partner_id = cls.portal.partner_id
        cls.tech_b.partner_id = cls.other_portal.partner_id
        cls.line_a = cls._releasable(cls.tech_a)
        cls.line_b = cls._releasable(cls.tech_b)
        cls.settle_run = cls.env["settlement.run"].create(
            {"date_from": cls.today.replace(day=1), "date_to": cls.today}
        )
        cls.settle_run.with_context(queue_job__no_delay=True).action_run()
        cls.bill_a = cls.settle_run.move_ids.filtered(
            lambda m: m.settlement_person_id == cls.tech_a
        )
        cls.bill_b = cls.settle_run.move_ids - cls.bill_a
        cls.open_a = cls._complete(cls.tech_a)  # not settled yet

    def test_earnings_show_own_lines_and_statements(self):
        self.authenticate("earn_portal", "earn_portal")
        page = self.url_open("/my/earnings")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.line_a.name, page.text)
        self.assertIn(self.open_a.name, page.text)
        self.assertNotIn(self.line_b.name, page.text)
        self.assertIn(self.bill_a.name, page.text)
        self.assertNotIn(self.bill_b.name, page.text)
        self.assertIn(f"/my/earnings/statements/{self.bill_a.id}", page.text)

    def test_credit_note_of_a_negative_period_shown(self):
        """A period whose chargebacks exceed the technician's earnings is a
        credit note: the technician sees what he owes among his statements
        and can download it."""
        self.line_a._create_chargeback(500.0, "Refund")
        run = self.env["settlement.run"].create(
            {"date_from": self.today.replace(day=1), "date_to": self.today}
        )
        run.with_context(settlement_sync=True).action_run()
        refund = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_a)
        self.assertEqual(refund.move_type, "in_refund")
        self.authenticate("earn_portal", "earn_portal")
        page = self.url_open("/my/earnings")
        self.assertIn(refund.name, page.text)
        self.assertIn("Owed by you", page.text)
        answer = self.url_open(f"/my/earnings/statements/{refund.id}?download=1")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], "application/pdf")

    def test_statement_download_own_only(self):
        self.authenticate("earn_portal", "earn_portal")
        answer = self.url_open(f"/my/earnings/statements/{self.bill_a.id}?download=1")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", answer.headers["Content-Disposition"])
        answer = self.url_open(f"/my/earnings/statements/{self.bill_b.id}")
        self.assertEqual(answer.status_code, 404)

    def test_not_a_technician(self):
        new_test_user(self.env, login="earn_customer", groups="base.group_portal")
        self.authenticate("earn_customer", "earn_customer")
        self.assertEqual(self.url_open("/my/earnings").status_code, 404)
        answer = self.url_open(f"/my/earnings/statements/{self.bill_a.id}")
        self.assertEqual(answer.status_code, 404)

    def test_home_counter(self):
        self.authenticate("earn_portal", "earn_portal")
        answer = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["tech_earning_count"]}
        )
        self.assertEqual(answer["tech_earning_count"], 2)
