# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    install_buffer_days = fields.Integer(
        string="Installation Buffer (days)",
        default=1,
        help="Installation orders are planned no earlier than the scheduled "
        "delivery date plus this many days.",
    )
    install_dispatcher_id = fields.Many2one(
        "res.users",
        string="Installation Dispatcher",
        help="Receives the activities raised on installation orders (incomplete "
        "address, ...). When empty, the salesperson of the sale order does.",
    )

    stock_point_on_confirm = fields.Boolean(
        string="Ship from the Matched Stock Point",
        default=True,
        help="On confirmation, sale orders ship from the warehouse (or warehouses) "
        "matched to the delivery address.",
    )
    stock_point_allow_dealer = fields.Boolean(
        string="Dealer Fulfilment",
        help="Dealer warehouses may ship orders of the addresses they cover.",
    )

    @api.constrains("install_buffer_days")
    def _check_install_buffer_days(self):
        for company in self:
            if company.install_buffer_days < 0:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: the installation buffer cannot be "
                        "negative (%(days)s days). Enter 0 or more days.",
                        company=company.name,
                        days=company.install_buffer_days,
                    )
                )
