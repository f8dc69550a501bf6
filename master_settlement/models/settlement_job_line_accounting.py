# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, fields, models

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from .settlement_job_line import BOOKED


class SettlementJobLine(models.Model):
    """Held funds: what the payer paid is booked against a liability until the
    customer accepts the job, then released to the technician's payable."""

    _inherit = "settlement.job.line"  # pylint: disable=consider-merging-classes-inherited

    held_move_id = fields.Many2one(
        "account.move",
        string="Held Funds Entry",
        readonly=True,
        copy=False,
        server_owned=BOOKED,
    )
    release_move_id = fields.Many2one(
        "account.move",
        string="Release Entry",
        readonly=True,
        copy=False,
        server_owned=BOOKED,
    )

    def _book_held_funds(self):
        """What the payer pays before acceptance: receivable against the
        held-funds liability (one entry per line, all in one create)."""
        lines = self.filtered(
            lambda line: (
                line.payer_amount > 0
                and line.payer_partner_id
                and not line.held_move_id
            )
        )
        lines._post_settlement_entries("held_move_id", "_prepare_held_funds_move_vals")

    def _prepare_held_funds_move_vals(self):
        """The entry booking what the payer paid: the payer's receivable
        against the held-funds liability."""
        self.ensure_one()
        company = self.company_id
        accounts = company._settlement_accounts()
        receivable = self.payer_partner_id.with_company(
            company
        ).property_account_receivable_id
        return self._prepare_settlement_entry_vals(
            self.env._("Held funds %s", self.name),
            [
                (receivable, self.payer_partner_id, self.payer_amount),
                (accounts["held"], self.payer_partner_id, -self.payer_amount),
            ],
        )

    def _release_held_funds(self):
        """On acceptance: held funds into the technician's accrued payable
        (the fee) and revenue (the rest)."""
        lines = self.filtered(
            lambda line: line.held_move_id and not line.release_move_id
        )
        lines._post_settlement_entries("release_move_id", "_prepare_release_move_vals")

    def _prepare_release_move_vals(self):
        """The entry releasing the held funds on acceptance: the technician's
        fee to the accrued payable, the margin to revenue."""
        self.ensure_one()
        accounts = self.company_id._settlement_accounts()
        margin = self.currency_id.round(self.payer_amount - self.gross_amount)
        items = [
            (accounts["held"], self.payer_partner_id, self.payer_amount),
            (accounts["accrued"], self.partner_id, -self.gross_amount),
        ]
        if margin:
            items.append((accounts["revenue"], self.payer_partner_id, -margin))
        return self._prepare_settlement_entry_vals(
            self.env._("Release %s", self.name), items
        )

    def _post_settlement_entries(self, fname, prepare):
        """Create and post the entry of each line (``prepare``: the unbound
        hook giving one line's values) in one batch, and link each to its
        line in ``fname``."""
        if not self:
            return
        moves = self.env["account.move"].sudo().create([prepare(line) for line in self])
        moves.action_post()
        with server_owned_writes():
            for line, move in zip(self, moves, strict=True):
                line[fname] = move

    def _post_settlement_entries(self, fname, prepare):
        """Create and post the entry of each line (``prepare``: the name of
        the hook giving one line's values) in one batch, and link each to its
        line in ``fname``."""
        if not self:
            return
        moves = (
            self.env["account.move"]
            .sudo()
            .create([getattr(line, prepare)() for line in self])
        )
        moves.action_post()
        with server_owned_writes():
            for line, move in zip(self, moves, strict=True):
                line[fname] = move

    def _prepare_settlement_entry_vals(self, ref, items):
        """A miscellaneous entry of the line in the company's held-funds
        journal, dated today: ``items`` are ``(account, partner, balance)``."""
        self.ensure_one()
        company = self.company_id
        return {
            "move_type": "entry",
            "journal_id": company._settlement_misc_journal().id,
            "company_id": company.id,
            "date": fields.Date.context_today(self),
            "ref": ref,
            "line_ids": [
                Command.create(
                    {
                        "name": self.name,
                        "account_id": account.id,
                        "partner_id": partner.id,
                        "balance": balance,
                    }
                )
                for account, partner, balance in items
            ],
        }
