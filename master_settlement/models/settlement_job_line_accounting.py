# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, fields, models

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from .settlement_job_line import BOOKED


class SettlementJobLine(models.Model):
    """Held funds: what the payer paid is booked against a liability until the
    customer accepts the job, then released to the technician's payable."""

    _inherit = "settlement.job.line"

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
        held-funds liability."""
        lines = self.filtered(
            lambda line: (
                line.payer_amount > 0
                and line.payer_partner_id
                and not line.held_move_id
            )
        )
        if not lines:
            return
        vals_list = []
        for line in lines:
            company = line.company_id
            accounts = company._settlement_accounts()
            receivable = line.payer_partner_id.with_company(
                company
            ).property_account_receivable_id
            vals_list.append(
                {
                    "move_type": "entry",
                    "journal_id": company._settlement_misc_journal().id,
                    "company_id": company.id,
                    "date": fields.Date.context_today(self),
                    "ref": self.env._("Held funds %s", line.name),
                    "line_ids": [
                        Command.create(
                            {
                                "name": line.name,
                                "account_id": receivable.id,
                                "partner_id": line.payer_partner_id.id,
                                "balance": line.payer_amount,
                            }
                        ),
                        Command.create(
                            {
                                "name": line.name,
                                "account_id": accounts["held"].id,
                                "partner_id": line.payer_partner_id.id,
                                "balance": -line.payer_amount,
                            }
                        ),
                    ],
                }
            )
        moves = self.env["account.move"].sudo().create(vals_list)
        moves.action_post()
        with server_owned_writes():
            for line, move in zip(lines, moves, strict=True):
                line.held_move_id = move

    def _release_held_funds(self):
        """On acceptance: held funds into the technician's accrued payable
        (the fee) and revenue (the rest)."""
        lines = self.filtered(
            lambda line: line.held_move_id and not line.release_move_id
        )
        if not lines:
            return
        vals_list = []
        for line in lines:
            company = line.company_id
            accounts = company._settlement_accounts()
            margin = line.currency_id.round(line.payer_amount - line.gross_amount)
            move_lines = [
                Command.create(
                    {
                        "name": line.name,
                        "account_id": accounts["held"].id,
                        "partner_id": line.payer_partner_id.id,
                        "balance": line.payer_amount,
                    }
                ),
                Command.create(
                    {
                        "name": line.name,
                        "account_id": accounts["accrued"].id,
                        "partner_id": line.partner_id.id,
                        "balance": -line.gross_amount,
                    }
                ),
            ]
            if margin:
                move_lines.append(
                    Command.create(
                        {
                            "name": line.name,
                            "account_id": accounts["revenue"].id,
                            "partner_id": line.payer_partner_id.id,
                            "balance": -margin,
                        }
                    )
                )
            vals_list.append(
                {
                    "move_type": "entry",
                    "journal_id": company._settlement_misc_journal().id,
                    "company_id": company.id,
                    "date": fields.Date.context_today(self),
                    "ref": self.env._("Release %s", line.name),
                    "line_ids": move_lines,
                }
            )
        moves = self.env["account.move"].sudo().create(vals_list)
        moves.action_post()
        with server_owned_writes():
            for line, move in zip(lines, moves, strict=True):
                line.release_move_id = move
