# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.settlement_run_bill import SettlementRun as SettlementRunBill
from .common import SettlementCommon


class TestSettlementRun(SettlementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a1 = cls._releasable(cls.tech_a)
        cls.a2 = cls._releasable(cls.tech_a, settle_urgent=True)
        cls.b1 = cls._releasable(cls.tech_b)
        cls.held = cls._complete(cls.tech_b)  # not confirmed: stays out

    def _bills(self, run):
        return run.move_ids.filtered(lambda m: m.state == "posted")

    def _assert_amounts_as_odoo_makes_them(self, moves):
        """The run gives the amounts of its journal items (editable fields):
        each is what Odoo makes of the same document given as invoice lines
        alone (its tax engine, the document's sign), payable line included."""

        def amounts(move):
            return sorted(
                (
                    line.name or "",
                    line.account_id.id,
                    line.balance,
                    line.amount_currency,
                )
                for line in move.line_ids
            )

        for move in moves:
            with self.env.cr.savepoint(flush=False) as savepoint:
                twin = self.env["account.move"].create(
                    {
                        "move_type": move.move_type,
                        "partner_id": move.partner_id.id,
                        "journal_id": move.journal_id.id,
                        "invoice_date": move.invoice_date,
                        "date": move.date,
                        "ref": move.ref,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": line.name,
                                    "quantity": line.quantity,
                                    "price_unit": line.price_unit,
                                    "account_id": line.account_id.id,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                            for line in move.invoice_line_ids
                        ],
                    }
                )
                self.assertEqual(amounts(move), amounts(twin), move.move_type)
                savepoint.rollback()

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

    def test_preview_writes_nothing_and_diffs_last_run(self):
        first = self._start(self._run())
        new = self._releasable(self.tech_a)
        run = self._run()
        run.action_preview()
        self.assertFalse(run.move_ids)
        self.assertEqual(new.state, "releasable")
        rows = {row.person_id: row for row in run.preview_ids}
        bill_a = first.move_ids.filtered(
            lambda m: m.settlement_person_id == self.tech_a
        )
        self.assertEqual(rows[self.tech_a].amount, new.amount)
        self.assertEqual(rows[self.tech_a].previous_amount, bill_a.amount_total)
        self.assertEqual(rows[self.tech_a].difference, new.amount - bill_a.amount_total)
        self.assertEqual(rows[self.tech_b].amount, 0.0)
        self.assertFalse(rows[self.tech_b].will_bill)

    def test_same_run_twice_and_second_run_pay_nothing_twice(self):
        run = self._start(self._run())
        with self.assertRaisesRegex(UserError, "is done"):
            run.action_run()
        again = self._start(self._run())
        self.assertFalse(again.move_ids)
        self.assertEqual(again.state, "done")
        lines = self.env["account.move.line"].search(
            [("settlement_job_line_id", "in", (self.a1 | self.a2 | self.b1).ids)]
        )
        self.assertEqual(len(lines), 3)

    def test_interrupted_run_resumes_without_double_payment(self):
        self.company.settlement_chunk_size = 1
        original = SettlementRunBill._prepare_bill_vals
        tech_b = self.tech_b

        def failing(run, settlement, person, *args, **kwargs):
            if person == tech_b:
                raise RuntimeError("worker killed")
            return original(run, settlement, person, *args, **kwargs)

        run = self._run()
        with patch.object(SettlementRunBill, "_prepare_bill_vals", failing):
            self._start(run)
        self.assertEqual(run.state, "failed")
        self.assertIn("worker killed", run.error_message)
        self.assertEqual(run.person_done, 1)
        self.assertEqual(run.person_total, 2)
        self.assertEqual(self.a1.state, "billed")
        self.assertEqual(self.b1.state, "releasable")
        self._start(run)  # resume
        self.assertEqual(run.state, "done")
        bills = self._bills(run)
        self.assertEqual(len(bills), 2)
        self.assertEqual(
            len(bills.filtered(lambda m: m.settlement_person_id == self.tech_a)), 1
        )
        self.assertEqual(self.b1.state, "billed")

    def test_queue_jobs_per_chunk(self):
        """One job per chunk in a group, and one job finishing the run that
        waits for all of them; the progress is read from the billed jobs."""
        self.company.settlement_chunk_size = 1
        run = self._run()
        with trap_jobs() as trap:
            run.action_run()
            trap.assert_jobs_count(2, only=run._run_chunk)
            trap.assert_jobs_count(1, only=run._finish_run)
            chunks = [
                job for job in trap.enqueued_jobs if job.method_name != "_finish_run"
            ]
            (finish,) = set(trap.enqueued_jobs) - set(chunks)
            self.assertEqual(finish.depends_on, set(chunks))
            self.assertEqual(len({job.graph_uuid for job in trap.enqueued_jobs}), 1)
            self.assertEqual(run.state, "running")
            self.assertEqual(run.progress, 0.0)
            chunks[0].perform()
            self.assertEqual(run.person_done, 1)
            self.assertEqual(run.progress, 50.0)
            self.assertEqual(run.state, "running")
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.person_done, 2)
        self.assertEqual(len(self._bills(run)), 2)

    def test_run_ends_when_jobs_are_released_while_it_works(self):
        """A job of the period becomes releasable while the run's chunks
        work (the dispute-window cron, a quality release): the run still
        ends, done, and says the next run pays it."""
        self.company.settlement_chunk_size = 1
        tech_c = self.env["fsm.person"].create({"name": "Tech Late"})
        late = self._complete(tech_c)
        run = self._run()
        with trap_jobs() as trap:
            run.action_run()
            self.assertEqual(run.person_total, 2)
            late._on_customer_confirmed(self.today - timedelta(days=10))
            self.assertEqual(late.state, "releasable")
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(self._bills(run)), 2)
        self.assertEqual(late.state, "releasable")
        self.assertIn("not on this run's bills", run.message_ids[0].body)
        self.assertIn("run): 1;", run.message_ids[0].body)
        again = self._start(self._run())
        self.assertEqual(late.state, "billed")
        self.assertEqual(late.move_id.settlement_run_id, again)

    def test_lock_date_refused_nothing_written(self):
        self.company.purchase_lock_date = self.today
        run = self._run()
        with self.assertRaisesRegex(UserError, "locked"):
            run.action_run()
        self.assertEqual(run.state, "draft")
        self.assertFalse(
            self.env["account.move"].search([("settlement_run_id", "=", run.id)])
        )
        self.assertEqual(self.a1.state, "releasable")

    def test_foreign_currency_journal_refused(self):
        other = self.env.ref("base.EUR")
        if other == self.company.currency_id:
            other = self.env.ref("base.USD")
        journal = self.env["account.journal"].create(
            {
                "name": "Foreign bills",
                "code": "FBIL",
                "type": "purchase",
                "currency_id": other.id,
            }
        )
        with self.assertRaisesRegex(UserError, "company currency"):
            self._run(journal_id=journal).action_run()

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

    def _payable_balance(self, partner):
        """The partner's balance on its payable account (posted items;
        negative: we owe them, positive: they owe us)."""
        items = self.env["account.move.line"].search(
            [
                ("partner_id", "=", partner.id),
                ("account_id", "=", partner.property_account_payable_id.id),
                ("parent_state", "=", "posted"),
            ]
        )
        return sum(items.mapped("balance"))

    def _open_debit(self, partner):
        """What the partner owes us on its payable account, still open."""
        items = self.env["account.move.line"].search(
            [
                ("partner_id", "=", partner.id),
                ("account_id", "=", partner.property_account_payable_id.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ]
        )
        return sum(items.mapped("amount_residual"))

    def test_chargeback_next_run_and_carry_forward(self):
        """Chargebacks that exceed a technician's earnings of a period are a
        posted vendor credit note (the technician owes it, on his payable
        account), no float on a job line; the next runs' bills net it,
        capped per period, by reconciliation: after each run the payable
        balance and what is still owed are what the engine says."""
        partner = self.tech_b.partner_id
        self._start(self._run())
        # the accountant's Chargeback button on the paid job
        wizard = Form(
            self.env["settlement.chargeback.wizard"]
            .with_user(self._accountant())
            .with_context(default_job_line_id=self.b1.id)
        )
        self.assertEqual(wizard.job_line_id, self.b1)
        wizard.amount = 500.0
        wizard.reason = "Refund: unit leaked"
        action = wizard.save().action_confirm()
        chargeback = self.env["settlement.job.line"].browse(action["res_id"])
        self.assertEqual(chargeback.amount, -500.0)
        self.assertEqual(chargeback.state, "releasable")
        new_b = self._releasable(self.tech_b)
        balance_before = self._payable_balance(partner)  # the first bill, unpaid
        run = self._start(self._run())
        # net negative: no bill, a credit note of the period's lines
        refund = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_b)
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.state, "posted")
        self._assert_amounts_as_odoo_makes_them(refund)
        self.assertEqual(refund.partner_id, partner)
        owed = 500.0 - new_b.amount
        self.assertAlmostEqual(refund.amount_total, owed)
        self.assertEqual(
            sorted(refund.invoice_line_ids.settlement_job_line_id.ids),
            sorted((chargeback | new_b).ids),
        )
        self.assertEqual((chargeback | new_b).mapped("state"), ["settled", "settled"])
        self.assertEqual((chargeback | new_b).move_id, refund)
        self.assertFalse(
            self.env["settlement.job.line"].search(
                [("person_id", "=", self.tech_b.id), ("amount", "=", -owed)]
            ),
            "no balance line in the ledger",
        )
        self.assertAlmostEqual(
            self._payable_balance(partner) - balance_before, owed, places=2
        )
        self.assertAlmostEqual(self._open_debit(partner), owed, places=2)
        preview = self._run()
        preview.action_preview()
        self.assertFalse(preview.preview_ids)  # nothing releasable
        self.assertEqual(run.bill_count, 0)  # a credit note is no bill
        # next period: the balance is netted, capped per period
        self.company.settlement_carry_cap = 100.0
        jobs = self.env["settlement.job.line"]
        for _i in range(6):
            jobs |= self._releasable(self.tech_b)
        earned = sum(jobs.mapped("amount"))
        preview = self._run()
        preview.action_preview()
        row = preview.preview_ids.filtered(lambda r: r.person_id == self.tech_b)
        self.assertAlmostEqual(row.amount, earned)
        self.assertAlmostEqual(row.deduction, 100.0)
        self.assertAlmostEqual(row.carry_forward, -(owed - 100.0))
        before = self._payable_balance(partner)
        run = self._start(self._run())
        bill = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_b)
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertAlmostEqual(bill.amount_total, earned)
        # the technician is paid his earnings less the recovered 100
        self.assertAlmostEqual(bill.amount_residual, earned - 100.0)
        self.assertEqual(bill.payment_state, "partial")
        self.assertAlmostEqual(self._open_debit(partner), owed - 100.0, places=2)
        self.assertAlmostEqual(
            self._payable_balance(partner) - before, -earned, places=2
        )
        self.assertEqual(refund.payment_state, "partial")  # 100 recovered so far
        # without a cap, the next bill nets the rest
        self.company.settlement_carry_cap = 0.0
        last = self.env["settlement.job.line"]
        for _i in range(4):
            last |= self._releasable(self.tech_b)
        earned = sum(last.mapped("amount"))
        self.assertGreater(earned, owed - 100.0)
        run = self._start(self._run())
        bill = run.move_ids.filtered(lambda m: m.settlement_person_id == self.tech_b)
        self.assertAlmostEqual(bill.amount_residual, earned - (owed - 100.0))
        self.assertAlmostEqual(self._open_debit(partner), 0.0)
        self.assertEqual(refund.payment_state, "paid")
        self.assertIn(refund, bill._get_reconciled_invoices())

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

    def test_chargeback_refused_before_settlement(self):
        with self.assertRaisesRegex(UserError, "not been settled"):
            self.a1._create_chargeback(10, "x")
