# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SettlementBonus(models.Model):
    """A campaign bonus paid per job completed within its dates."""

    _name = "settlement.bonus"
    _description = "Technician Campaign Bonus"
    _order = "date_from desc, id"

    card_id = fields.Many2one(
        "settlement.rate.card", required=True, index=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="card_id.currency_id")
    name = fields.Char(string="Campaign", required=True, translate=True)
    order_type_id = fields.Many2one(
        "fsm.order.type", string="Service Type", help="Empty: every service type."
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="Until", required=True)
    amount = fields.Monetary(string="Bonus per Job", required=True)

    @api.constrains("amount", "date_from", "date_to")
    def _check_bonus(self):
        for bonus in self:
            if bonus.amount < 0:
                raise ValidationError(
                    self.env._("Bonus %s cannot be negative.", bonus.name)
                )
            if bonus.date_to < bonus.date_from:
                raise ValidationError(
                    self.env._("Bonus %s ends before it starts.", bonus.name)
                )
