# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    settlement_journal_id = fields.Many2one(
        related="company_id.settlement_journal_id", readonly=False
    )
    settlement_held_account_id = fields.Many2one(
        related="company_id.settlement_held_account_id", readonly=False
    )
    settlement_accrued_account_id = fields.Many2one(
        related="company_id.settlement_accrued_account_id", readonly=False
    )
    settlement_revenue_account_id = fields.Many2one(
        related="company_id.settlement_revenue_account_id", readonly=False
    )
    settlement_cost_account_id = fields.Many2one(
        related="company_id.settlement_cost_account_id", readonly=False
    )
    settlement_max_payout_days = fields.Integer(
        related="company_id.settlement_max_payout_days", readonly=False
    )
    settlement_carry_cap = fields.Monetary(
        related="company_id.settlement_carry_cap", readonly=False
    )
    settlement_accountant_id = fields.Many2one(
        related="company_id.settlement_accountant_id", readonly=False
    )
    settlement_chunk_size = fields.Integer(
        related="company_id.settlement_chunk_size", readonly=False
    )
