# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsmOrderType(models.Model):
    _inherit = "fsm.order.type"

    settlement_dispute_days = fields.Integer(
        string="Dispute Window (days)",
        default=7,
        help="Days after the customer confirms during which the job fee stays held.",
    )

    @api.constrains("settlement_dispute_days")
    def _check_settlement_dispute_days(self):
        for order_type in self:
            if order_type.settlement_dispute_days < 0:
                raise ValidationError(
                    self.env._(
                        "Order type %s: the dispute window cannot be negative.",
                        order_type.name,
                    )
                )
