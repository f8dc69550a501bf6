# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    stock_point_type = fields.Selection(
        [("regional", "Regional"), ("dealer", "Dealer"), ("central", "Central")],
        default="regional",
        required=True,
        help="Regional and dealer warehouses ship to the addresses their coverage "
        "areas cover; a central warehouse covers every address as last resort.",
    )
    service_area_ids = fields.One2many(
        "stock.warehouse.service.area", "warehouse_id", string="Coverage Areas"
    )
    stock_point_transit_days = fields.Float(
        string="Fallback Transit Days",
        default=3.0,
        help="Transit days of a central warehouse to addresses none of its "
        "coverage areas cover.",
    )
    stock_point_priority = fields.Integer(
        string="Fallback Priority",
        default=10,
        help="Priority of a central warehouse shipping as last resort.",
    )

    @api.constrains("stock_point_type", "partner_id")
    def _check_dealer_partner(self):
        for warehouse in self:
            if warehouse.stock_point_type == "dealer" and not warehouse.partner_id:
                raise ValidationError(
                    self.env._(
                        "Warehouse %(warehouse)s is a dealer warehouse: set its "
                        "dealer in the Address field.",
                        warehouse=warehouse.display_name,
                    )
                )

    @api.constrains("stock_point_transit_days")
    def _check_stock_point_transit_days(self):
        for warehouse in self:
            if warehouse.stock_point_transit_days < 0:
                raise ValidationError(
                    self.env._(
                        "Warehouse %(warehouse)s: transit days cannot be negative.",
                        warehouse=warehouse.display_name,
                    )
                )
