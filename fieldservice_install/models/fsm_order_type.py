# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsmOrderType(models.Model):
    _inherit = "fsm.order.type"

    internal_type = fields.Selection(
        selection_add=[("install", "Installation")],
        ondelete={"install": "set default"},
    )
    install_default_duration = fields.Float(
        string="Default Installation Time (h)",
        default=2.0,
        help="Hours per unit for installable products without their own time.",
    )

    @api.constrains("install_default_duration")
    def _check_install_default_duration(self):
        for order_type in self:
            if order_type.install_default_duration < 0:
                raise ValidationError(
                    self.env._(
                        "Order type %(type)s: the default installation time cannot "
                        "be negative.",
                        type=order_type.name,
                    )
                )
