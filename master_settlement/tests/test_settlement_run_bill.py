# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The bills and credit notes of a settlement run, and the netting of
earlier balances (settlement_run_bill.py)."""

from odoo import Command
from odoo.exceptions import UserError

from .common import SettlementRunCommon


class TestSettlementRunBill(SettlementRunCommon):
    def test_bills_numbered_in_the_journal_sequence(self):
        """A run's bills take consecutive numbers of the settlement journal,
        after a bill posted there before, and the next bill posted by hand
        continues after them: Odoo numbers them, the suite overrides none of
        its numbering or totals."""
        for model, private in (
            ("account.move", {"_compute_name", "_settlement_continue_sequence"}),
            ("account.move.line", {"_compute_totals"}),
        ):
            for cls in type(self.env[model]).__mro__:
                if cls.__module__.startswith("odoo.addons.master_settlement"):
                    self.assertFalse(private & set(vars(cls)), cls)
        tech_c = self.env["fsm.person"].create({"name": "Tech C"})
        self._releasable(tech_c)
        journal = self.company._settlement_journal()
        cost = self.company._settlement_accounts()["cost"]
        manual = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.tech_a.partner_id.id,
                "journal_id": journal.id,
                "invoice_date": self.today,
                "date": self.today,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Before",
                            "quantity": 1,
                            "price_unit": 5,
                            "account_id": cost.id,
                        }
                    )
                ],
            }
        )
        manual.action_post()
        run = self._start(self._run())
        bills = self._bills(run).sorted(lambda m: (m.ref, m.id))
        self.assertEqual(len(bills), 3)
        numbers = [manual.sequence_number, *bills.mapped("sequence_number")]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)), numbers)
        self.assertEqual(set(bills.mapped("sequence_prefix")), {manual.sequence_prefix})
        for bill in bills:
            self.assertEqual(
                bill.name, f"{bill.sequence_prefix}{bill.sequence_number:04d}"
            )
        after = manual.copy({"invoice_date": self.today, "date": self.today})
        after.action_post()
        self.assertEqual(after.sequence_number, numbers[-1] + 1)
        self.assertEqual(after.sequence_prefix, manual.sequence_prefix)

    def test_bill_journal_items_hold_what_odoo_computes(self):
        """The run gives its bills as invoice lines and Odoo makes the journal
        items: after posting, each stored computed field holds what Odoo's own
        computation gives, the payable line is Odoo's and the totals of the
        untaxed settlement lines are what Odoo's tax engine gives."""
        self.env["settlement.job.penalty"].create(
            {"job_line_id": self.a2.id, "kind": "rework", "amount": 25, "evidence": "x"}
        )
        run = self._start(self._run())
        self._assert_amounts_as_odoo_makes_them(self._bills(run))
        lines = self._bills(run).line_ids
        self.assertEqual(set(lines.mapped("parent_state")), {"posted"})
        fnames = [
            "date",
            "invoice_date",
            "ref",
            "parent_state",
            "move_name",
            "amount_residual",
            "amount_residual_currency",
            "reconciled",
            "price_subtotal",
            "price_total",
            "no_followup",
            "debit",
            "credit",
        ]
        self.env.invalidate_all()
        stored = lines.read(fnames)
        for fname in fnames:
            self.env.add_to_compute(lines._fields[fname], lines)
        self.assertEqual(lines.read(fnames), stored)
        # the untaxed totals, as Odoo's tax engine computes them
        taxes = self.env["account.tax"]
        for line in lines.filtered(lambda l: l.display_type == "product"):
            base_line = line.move_id._prepare_product_base_line_for_taxes_computation(
                line
            )
            taxes._add_tax_details_in_base_line(base_line, line.company_id)
            taxes._round_base_lines_tax_details([base_line], line.company_id)
            details = base_line["tax_details"]
            self.assertEqual(line.price_subtotal, details["total_excluded_currency"])
            self.assertEqual(line.price_total, details["total_included_currency"])
        # a tax added by hand on a settlement line goes Odoo's way
        tax = self.env["account.tax"].create(
            {"name": "Test 10%", "amount": 10, "type_tax_use": "purchase"}
        )
        bill = lines.move_id[:1]
        bill.button_draft()
        jobs = bill.invoice_line_ids.filtered(lambda l: l.settlement_role == "job")
        job_line = jobs[:1]
        job_line.tax_ids = tax
        self.assertAlmostEqual(job_line.price_total, job_line.price_subtotal * 1.1)

    def test_analytic_distribution_models_still_apply(self):
        """Bills are given no analytic distribution only when no model can
        apply; a company's model applies to the run's bills as Odoo's own."""
        run = self._run()
        self.assertFalse(run._analytic_models_apply())
        plan = self.env["account.analytic.plan"].create({"name": "Regions"})
        analytic = self.env["account.analytic.account"].create(
            {"name": "East", "plan_id": plan.id}
        )
        self.env["account.analytic.distribution.model"].create(
            {
                "partner_id": self.tech_a.partner_id.id,
                "analytic_distribution": {str(analytic.id): 100},
            }
        )
        self.assertTrue(run._analytic_models_apply())
        self._start(run)
        bill_a = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_a)
        bill_b = run.move_ids - bill_a
        self.assertEqual(
            bill_a.invoice_line_ids.mapped("analytic_distribution"),
            [{str(analytic.id): 100.0}] * len(bill_a.invoice_line_ids),
        )
        self.assertFalse(any(bill_b.invoice_line_ids.mapped("analytic_distribution")))

    def test_run_posts_one_bill_per_technician(self):
        self.env["settlement.job.penalty"].create(
            {
                "job_line_id": self.a2.id,
                "kind": "rework",
                "amount": 25,
                "evidence": "Redo",
            }
        )
        run = self._start(self._run())
        self.assertEqual(run.state, "done")
        self.assertEqual(run.progress, 100.0)
        bills = self._bills(run)
        self.assertEqual(len(bills), 2)
        self.assertEqual(set(bills.mapped("move_type")), {"in_invoice"})
        self.assertEqual(bills.journal_id.type, "purchase")
        self.assertEqual(bills.journal_id, self.company.settlement_journal_id)
        self.assertEqual(len(set(bills.mapped("ref"))), 2)
        self.assertEqual(set(bills.mapped("invoice_date")), {self.today})
        bill_a = bills.filtered(lambda m: m.settlement_person_id == self.tech_a)
        self.assertEqual(bill_a.partner_id, self.tech_a.partner_id)
        self.assertEqual(bill_a.amount_total, self.a1.amount + self.a2.amount)
        roles = bill_a.invoice_line_ids.mapped("settlement_role")
        self.assertEqual(roles.count("job"), 2)
        self.assertEqual(roles.count("bonus"), 1)
        self.assertEqual(roles.count("commission"), 1)
        self.assertEqual(roles.count("penalty"), 1)
        commission = bill_a.invoice_line_ids.filtered(
            lambda l: l.settlement_role == "commission"
        )
        self.assertEqual(
            commission.price_subtotal,
            -sum((self.a1 | self.a2).mapped("commission_amount")),
        )
        self.assertEqual(
            bill_a.line_ids.filtered(
                lambda l: l.display_type == "payment_term"
            ).balance,
            -bill_a.amount_total,
        )
        penalty = bill_a.invoice_line_ids.filtered(
            lambda l: l.settlement_role == "penalty"
        )
        self.assertEqual(penalty.price_subtotal, -25.0)
        self.assertEqual((self.a1 | self.a2 | self.b1).mapped("state"), ["billed"] * 3)
        self.assertEqual(self.a1.move_id, bill_a)
        self.assertEqual(self.held.state, "held")
        # the statement prints every job and its breakdown
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("master_settlement.settlement_statement", bill_a.ids)[0]
            .decode()
        )
        self.assertIn(self.a2.name, html)
        self.assertIn("Urgent", html)
        self.assertIn("Redo", html)  # the penalty's evidence under its breakdown

    def test_bill_reset_or_deleted_puts_lines_back(self):
        run = self._start(self._run())
        bill = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_a)
        bill.button_draft()
        self.assertEqual(self.a1.state, "releasable")
        self.assertFalse(self.a1.move_id)
        self.assertIn("reset to draft", self.a1.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "twice"):
            bill.action_post()
        bill.unlink()
        rerun = self._start(self._run())
        self.assertEqual(self.a1.move_id.settlement_run_id, rerun)
        self.assertEqual(self.a1.state, "billed")
        bill_b = run.move_ids
        bill_b.button_cancel() if bill_b.state == "draft" else None
        self.assertEqual(self.b1.state, "billed")

    def test_paid_when_bill_paid(self):
        run = self._start(self._run())
        bill = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_b)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=bill.ids
        ).create({})._create_payments()
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.b1.state, "paid")
        self.assertEqual(self.a1.state, "billed")

    def test_carry_forward_in_accounting_two_runs(self):
        """Amounts: after two runs, the technician's payable balance and what
        he still owes are the engine's figures."""
        self.company.settlement_carry_cap = 50.0
        partner = self.tech_b.partner_id
        # run 1: the first jobs paid
        self._start(self._run())
        paid = self.b1.amount
        chargeback = self.b1._create_chargeback(300.0, "Rework by another technician")
        self.assertEqual(chargeback.amount, -300.0)
        start = self._payable_balance(partner)
        self.assertAlmostEqual(start, -paid)
        # run 2: the chargeback alone: a credit note of 300
        self._start(self._run())
        self.assertAlmostEqual(self._payable_balance(partner), 300.0 - paid)
        self.assertAlmostEqual(self._open_debit(partner), 300.0)
        # run 3: two jobs; the engine nets 50 (the cap)
        jobs = self._releasable(self.tech_b) | self._releasable(self.tech_b)
        lines = self.env["settlement.job.line"].search(
            self._run()._line_domain([self.tech_b.id])
        )
        self.assertEqual(lines, jobs)
        run = self._run()
        settlements, owed = run._build(lines)
        (expected,) = settlements
        self.assertEqual(owed[self.tech_b.id][0], 300.0)
        self.assertAlmostEqual(expected.deduction, 50.0)
        self._start(run)
        bill = run.move_ids
        self.assertAlmostEqual(bill.amount_total, expected.total)
        self.assertAlmostEqual(bill.amount_residual, expected.payout)
        self.assertAlmostEqual(self._open_debit(partner), -expected.carry_forward)
        self.assertAlmostEqual(
            self._payable_balance(partner),
            -paid + 300.0 - expected.total,
        )
        self.assertAlmostEqual(
            self._payable_balance(partner),
            -paid - expected.payout - expected.carry_forward,
        )
