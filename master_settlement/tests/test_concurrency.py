# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two settlement runs at once, on two real database transactions."""

from psycopg2.errors import UniqueViolation

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes


class TestSettlementConcurrency(BaseCase):
    """Job lines are committed (both transactions must see them) and removed
    afterwards; nothing the runs write is committed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            # created once per company, outside the runs: both runs share them
            company._settlement_setup()
            person = env["fsm.person"].create({"name": "Concurrent Technician"})
            today = fields.Date.context_today(person)
            with server_owned_writes():
                lines = env["settlement.job.line"].create(
                    [
                        {
                            "name": f"CONC-{i}",
                            "person_id": person.id,
                            "partner_id": person.partner_id.id,
                            "company_id": company.id,
                            "currency_id": company.currency_id.id,
                            "gross_amount": 100.0,
                            "amount": 100.0,
                            "breakdown": {"base": 100.0},
                            "ledger_state": "releasable",
                            "releasable_date": today,
                        }
                        for i in range(3)
                    ]
                )
            cls.person_id, cls.line_ids, cls.today = person.id, lines.ids, today

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["settlement.job.line"].browse(cls.line_ids).unlink()
            person = env["fsm.person"].browse(cls.person_id)
            partner = person.partner_id
            person.unlink()
            partner.unlink()
        super().tearDownClass()

    def _run(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        run = env["settlement.run"].create(
            {"date_from": self.today, "date_to": self.today}
        )
        with server_owned_writes():
            run.write({"state": "running", "person_total": 1})
        return run

    def test_second_run_skips_lines_locked_by_the_first(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = self._run(cr1)
            self.assertEqual(first._run_chunk([self.person_id]), 1)
            # the first run holds the lines until it commits
            second = self._run(cr2)
            cr2.execute("SET LOCAL lock_timeout = '5s'")
            self.assertEqual(second._run_chunk([self.person_id]), 0)
            self.assertFalse(second.move_ids)
            lines = second.env["settlement.job.line"].browse(self.line_ids)
            self.assertEqual(set(lines.mapped("ledger_state")), {"releasable"})
            bill = first.move_ids
            self.assertEqual(len(bill), 1)
            self.assertEqual(bill.amount_total, 300.0)
            self.assertEqual(bill.state, "posted")
            cr2.rollback()
            cr1.rollback()

    def test_database_refuses_a_second_posted_bill_for_a_job(self):
        """Whatever the code path, a job is on one posted bill only."""
        with self.registry.cursor() as cr1:
            first = self._run(cr1)
            first._run_chunk([self.person_id])
            lines = first.env["settlement.job.line"].browse(self.line_ids)
            self.assertEqual(set(lines.mapped("ledger_state")), {"billed"})
            job_line = first.move_ids.invoice_line_ids.settlement_job_line_id[:1]
            vals = {
                "move_type": "in_invoice",
                "partner_id": lines[0].partner_id.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "again",
                            "price_unit": 1.0,
                            "settlement_job_line_id": job_line.id,
                        }
                    )
                ],
            }
            # nobody puts a job on a bill by hand: the field is the run's
            with self.assertRaisesRegex(UserError, "Settled Job"):
                first.env["account.move"].create(vals)
            # and the database refuses a second posted bill even to the server
            with (
                self.assertRaises(UniqueViolation),
                cr1.savepoint(),
                server_owned_writes(),
            ):
                other = first.env["account.move"].create(vals)
                other.action_post()
                other.flush_recordset()
                cr1.flush()
            cr1.rollback()
