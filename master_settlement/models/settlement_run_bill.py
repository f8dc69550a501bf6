# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, models

from odoo.addons.fieldservice_install.tools.selection import selection_labels
from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import settlement as engine

POST_BATCH = 500


class SettlementRun(models.Model):
    """Bills: one vendor bill (or credit note) per technician, the balance
    owed from earlier periods netted against it, the job lines marked billed."""

    _inherit = "settlement.run"  # pylint: disable=consider-merging-classes-inherited

    def _open_balances(self, person_ids):
        """What these technicians owe from earlier periods, in one grouped
        query: ``{person_id: (amount, journal items)}``, the open debit of the
        settlement documents on their payable account (the credit notes of
        periods with a negative balance, the part of it a recovery entry
        carried on) that no bill or payment has settled yet."""
        self.ensure_one()
        if not person_ids:
            return {}
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("move_id.settlement_person_id", "in", list(person_ids)),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "liability_payable"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            groupby=["move_id.settlement_person_id"],
            aggregates=["amount_residual:sum", "id:recordset"],
        )
        return {
            person.id: (engine.money(amount), items) for person, amount, items in groups
        }

    def _build(self, lines):
        """The engine's settlements of ``lines`` and the open balances of
        their technicians."""
        owed = self._open_balances(lines.person_id.ids)
        settlements = engine.build(
            [line._engine_line() for line in lines],
            self.company_id.settlement_carry_cap,
            {person_id: amount for person_id, (amount, _items) in owed.items()},
        )
        return settlements, owed

    def _prepare_bill_vals(
        self, settlement, person, partner, journal, accounts, analytic=True
    ):
        """The vendor bill (or credit note) of one technician, as a user would
        enter it: its invoice lines; Odoo computes the payable line, the
        totals and, when posting, the number. Without ``analytic`` (no
        analytic distribution model can apply, see
        :meth:`_analytic_models_apply`), the lines are given no analytic
        distribution: what Odoo would find for each of them, one search each."""
        self.ensure_one()
        account_ids = {
            "accrued": accounts["accrued"].id,
            "cost": accounts["cost"].id,
            "revenue": accounts["revenue"].id,
        }
        role_labels = selection_labels(self.env["account.move.line"], "settlement_role")
        penalty_labels = selection_labels(self.env["settlement.job.penalty"], "kind")
        lines = []
        # the amounts of the journal items, as Odoo's tax engine finds them for
        # an untaxed line (its sign the document's direction): editable fields
        # of a journal item, given so that Odoo does not write each item's
        # amounts three times (zero, zero, then the amount); Odoo still
        # computes them, and writes its own where they differ
        sign = 1 if settlement.move_type == "in_invoice" else -1
        currency = self.company_id.currency_id
        for item in settlement.invoice_lines:
            label = item["label"]
            if item["role"] == "penalty":
                label = penalty_labels.get(label, label)
            if item["role"] != "job":
                role = role_labels[item["role"]]
                label = f"{role}: {label}" if label else role
            vals = {
                "name": label,
                "quantity": 1.0,
                "price_unit": item["amount"],
                "account_id": account_ids[item["account"]],
                "tax_ids": [Command.clear()],
                "settlement_job_line_id": item["job_line_id"] or False,
                "settlement_role": item["role"],
                "balance": currency.round(sign * item["amount"]),
                "amount_currency": currency.round(sign * item["amount"]),
            }
            if not analytic:
                vals["analytic_distribution"] = False
            lines.append(Command.create(vals))
        return {
            "move_type": settlement.move_type,
            "partner_id": partner.id,
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "currency_id": self.company_id.currency_id.id,
            "invoice_date": self.date_to,
            "date": self.date_to,
            "ref": f"{self.name}/{person.id}",
            "invoice_origin": self.name,
            "settlement_run_id": self.id,
            "settlement_person_id": person.id,
            "invoice_line_ids": lines,
        }

    def _create_moves(self, settlements, lines, journal):
        """All bills and credit notes of the chunk in one create, posted by
        Odoo in batches."""
        documents = [s for s in settlements if s.move_type]
        if not documents:
            return self.env["account.move"]
        accounts = self.company_id._settlement_accounts()
        analytic = self._analytic_models_apply()
        by_id = {line.id: line for line in lines}
        persons = self.env["fsm.person"].browse([s.person_id for s in documents])
        vals_list = [
            self._prepare_bill_vals(
                s,
                person,
                by_id[s.line_ids[0]].partner_id,
                journal,
                accounts,
                analytic=analytic,
            )
            for s, person in zip(documents, persons, strict=True)
        ]
        with server_owned_writes():
            moves = (
                self.env["account.move"]
                .with_context(
                    tracking_disable=True,
                    mail_create_nolog=True,
                    mail_create_nosubscribe=True,
                    mail_notrack=True,
                )
                .create(vals_list)
            )
        for start in range(0, len(moves), POST_BATCH):
            moves[start : start + POST_BATCH].action_post()
        return moves

    def _analytic_models_apply(self):
        """Whether an analytic distribution model may apply to the company's
        bills: then Odoo computes each line's distribution from the models (a
        search per line); without any, it finds none."""
        return bool(
            self.env["account.analytic.distribution.model"].search_count(
                [("company_id", "in", [self.company_id.id, False])], limit=1
            )
        )

    def _net_balances(self, settlements, moves, owed):
        """Net what the billed technicians owe from earlier periods against
        their new bills, in accounting, as an accountant applies an
        outstanding credit note to a bill: the open balance is reconciled
        with the bill's payable line, which is then paid that much less.

        When the carry-forward cap (or another payable account) allows only
        part of it, a recovery entry holds that part: its credit is
        reconciled with the open balance (oldest first; the rest stays open
        on the credit notes, for the next runs) and its debit with the
        bill."""
        netted = [s for s in settlements if s.billed and s.deduction]
        if not netted:
            return
        bill_of = {m.settlement_person_id.id: m for m in moves}
        direct, split = [], []
        for s in netted:
            bill = bill_of[s.person_id]
            payable = bill.line_ids.filtered(
                lambda item: item.account_id.account_type == "liability_payable"
            )
            amount, items = owed[s.person_id]
            if s.deduction >= amount and items.account_id == payable.account_id:
                direct.append(items | payable)
            else:
                split.append((s, payable, items))
        for plan in direct:
            plan.reconcile()
        if not split:
            return
        journal = self.company_id._settlement_misc_journal()
        vals_list, plans = [], []
        for s, payable, items in split:
            taken = self._recovery_takes(s.deduction, items)
            plans.append(([group for _key, _take, group in taken], payable))
            vals_list.append(
                self._prepare_recovery_move_vals(s, payable, taken, journal)
            )
        with server_owned_writes():
            entries = self.env["account.move"].create(vals_list)
        entries.action_post()
        for (groups, payable), entry in zip(plans, entries, strict=True):
            entry_items = entry.line_ids.sorted("id")
            for recovered, group in zip(entry_items, groups, strict=False):
                (recovered | group).reconcile()
            (entry_items[len(groups)] | payable).reconcile()

    def _recovery_takes(self, deduction, items):
        """``[((account, partner), amount, journal items)]``: what a recovery
        entry takes of the open balance ``items`` (oldest first, grouped by
        account and partner) to recover ``deduction``."""
        takes = []
        left = deduction
        by_account = items.sorted(lambda i: (i.date, i.id)).grouped(
            lambda item: (item.account_id, item.partner_id)
        )
        for key, group in by_account.items():
            take = engine.money(min(left, sum(group.mapped("amount_residual"))))
            if take <= 0:
                continue
            left = engine.money(left - take)
            takes.append((key, take, group))
        return takes

    def _prepare_recovery_move_vals(self, settlement, payable, takes, journal):
        """The recovery entry of one technician: a credit per open balance it
        takes (``takes``, see :meth:`_recovery_takes`), and the debit of the
        amount recovered on the new bill's payable line (``payable``)."""
        self.ensure_one()
        bill = payable.move_id
        entry_lines = [
            Command.create(
                {
                    "name": self.env._("Earlier balance recovered"),
                    "account_id": account.id,
                    "partner_id": partner.id,
                    "balance": -take,
                    "settlement_role": "carry",
                }
            )
            for (account, partner), take, _group in takes
        ]
        entry_lines.append(
            Command.create(
                {
                    "name": self.env._("Recovered on %s", bill.name),
                    "account_id": payable[:1].account_id.id,
                    "partner_id": bill.partner_id.id,
                    "balance": settlement.deduction,
                    "settlement_role": "carry",
                }
            )
        )
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "date": self.date_to,
            "ref": self.env._(
                "%(run)s: balance recovered on %(bill)s",
                run=self.name,
                bill=bill.name,
            ),
            "settlement_person_id": settlement.person_id,
            "line_ids": entry_lines,
        }

    def _write_settled(self, settlements, lines, moves):
        """Job lines to billed, or settled when on a credit note (a negative
        period) or netted to zero."""
        line_model = self.env["settlement.job.line"]
        move_of = {move.settlement_person_id.id: move for move in moves}
        on_move = {}
        settled_ids = []
        for s in settlements:
            move = move_of.get(s.person_id)
            if move:
                state = "billed" if s.billed else "settled"
                on_move.setdefault((state, move.id), []).extend(s.line_ids)
            else:
                settled_ids.extend(s.line_ids)
        with server_owned_writes():
            for (state, move_id), ids in on_move.items():
                line_model.browse(ids).write(
                    {"ledger_state": state, "move_id": move_id, "run_id": self.id}
                )
            if settled_ids:
                line_model.browse(settled_ids).write(
                    {"ledger_state": "settled", "run_id": self.id}
                )
