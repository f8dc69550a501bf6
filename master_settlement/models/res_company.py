# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, fields, models
from odoo.exceptions import UserError

# (company field, code, name, account type): created on demand when unset
SETTLEMENT_ACCOUNTS = [
    (
        "settlement_held_account_id",
        "TSH01",
        "Held Service Funds",
        "liability_current",
    ),
    (
        "settlement_accrued_account_id",
        "TSA01",
        "Accrued Technician Payable",
        "liability_current",
    ),
    (
        "settlement_revenue_account_id",
        "TSR01",
        "Installation Service Revenue",
        "income",
    ),
    (
        "settlement_cost_account_id",
        "TSC01",
        "Technician Fees",
        "expense_direct_cost",
    ),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    settlement_journal_id = fields.Many2one(
        "account.journal",
        domain="[('type', '=', 'purchase'), ('company_id', '=', id)]",
        help="Purchase journal of the technicians' vendor bills.",
    )
    settlement_misc_journal_id = fields.Many2one(
        "account.journal",
        string="Held Funds Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="Journal of the held-funds and release entries.",
    )
    settlement_held_account_id = fields.Many2one(
        "account.account",
        string="Held Funds Account",
        help="Liability holding what payers paid for a job until the customer "
        "accepts it.",
    )
    settlement_accrued_account_id = fields.Many2one(
        "account.account",
        string="Accrued Technician Payable",
        help="Credited with the technician's fee when held funds are released; "
        "the vendor bill clears it.",
    )
    settlement_revenue_account_id = fields.Many2one(
        "account.account",
        help="Platform margin, commission withheld and penalties.",
    )
    settlement_cost_account_id = fields.Many2one(
        "account.account",
        string="Technician Fee Expense Account",
        help="Fees of jobs without held funds, bonuses and chargebacks.",
    )
    settlement_max_payout_days = fields.Integer(
        string="Maximum Payout Delay (days)",
        default=30,
        help="A job releasable for longer than this is flagged to the accountant.",
    )
    settlement_carry_cap = fields.Monetary(
        string="Carry-forward Cap per Period",
        currency_field="currency_id",
        help="The most a technician's payout is reduced per run by an earlier "
        "negative balance; 0: no cap.",
    )
    settlement_accountant_id = fields.Many2one(
        "res.users",
        help="Receives the activities about late payouts.",
    )
    settlement_chunk_size = fields.Integer(
        string="Technicians per Settlement Job",
        default=200,
        help="A settlement run is cut into background jobs of this many "
        "technicians each.",
    )

    def _settlement_journal(self):
        """The purchase journal of technician bills, created when missing."""
        self.ensure_one()
        if not self.settlement_journal_id:
            journal = (
                self.env["account.journal"]
                .sudo()
                .search([("company_id", "=", self.id), ("code", "=", "TSET")], limit=1)
            )
            if not journal:
                journal = (
                    self.env["account.journal"]
                    .sudo()
                    .create(self._prepare_settlement_journal_vals())
                )
            self.sudo().settlement_journal_id = journal
        return self.settlement_journal_id

    def _settlement_misc_journal(self):
        """The journal of held-funds entries, created when missing."""
        self.ensure_one()
        if not self.settlement_misc_journal_id:
            journal_model = self.env["account.journal"].sudo()
            journal = journal_model.search(
                [("company_id", "=", self.id), ("code", "=", "THLD")], limit=1
            ) or journal_model.create(self._prepare_settlement_misc_journal_vals())
            self.sudo().settlement_misc_journal_id = journal
        return self.settlement_misc_journal_id

    def _settlement_accounts(self):
        """{"held", "accrued", "revenue", "cost"}: the settlement accounts,
        created when missing."""
        self.ensure_one()
        accounts = {}
        account_model = self.env["account.account"].sudo().with_company(self)
        for fname, code, name, account_type in SETTLEMENT_ACCOUNTS:
            account = self[fname]
            if not account:
                account = account_model.search(
                    [
                        ("company_ids", "in", self.id),
                        ("code", "=", code),
                    ],
                    limit=1,
                ) or account_model.create(
                    self._prepare_settlement_account_vals(code, name, account_type)
                )
                self.sudo()[fname] = account
            accounts[fname.split("_")[1]] = account
        return accounts

    def _prepare_settlement_journal_vals(self):
        """The purchase journal of the technicians' bills."""
        self.ensure_one()
        return {
            "name": self.env._("Technician Settlement"),
            "code": "TSET",
            "type": "purchase",
            "company_id": self.id,
        }

    def _prepare_settlement_misc_journal_vals(self):
        """The journal of the held-funds, release and recovery entries."""
        self.ensure_one()
        return {
            "name": self.env._("Held Service Funds"),
            "code": "THLD",
            "type": "general",
            "company_id": self.id,
        }

    def _prepare_settlement_account_vals(self, code, name, account_type):
        """One settlement account of the company (see SETTLEMENT_ACCOUNTS)."""
        self.ensure_one()
        return {
            "name": name,
            "code": code,
            "account_type": account_type,
            "company_ids": [Command.set(self.ids)],
        }

    def _settlement_setup(self):
        """Make what a settlement run's chunks use (the journals and the
        accounts) before they start: created while chunks work side by side,
        each would write the company's row, and all but one fail to
        serialize."""
        self.ensure_one()
        self._settlement_journal()
        self._settlement_misc_journal()
        self._settlement_accounts()

    def _settlement_check_currency(self, journal):
        self.ensure_one()
        if journal.currency_id and journal.currency_id != self.currency_id:
            raise UserError(
                self.env._(
                    "Journal %(journal)s is in %(journal_currency)s but %(company)s "
                    "settles technicians in %(currency)s: pick a journal in the "
                    "company currency.",
                    journal=journal.display_name,
                    journal_currency=journal.currency_id.name,
                    company=self.name,
                    currency=self.currency_id.name,
                )
            )
