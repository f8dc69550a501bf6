# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockWarehouseServiceArea(models.Model):
    _name = "stock.warehouse.service.area"
    _description = "Warehouse Coverage Area"
    _order = "warehouse_id, priority, id"

    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="warehouse_id.company_id", store=True, index=True, precompute=True
    )
    stock_point_type = fields.Selection(related="warehouse_id.stock_point_type")
    active = fields.Boolean(default=True)
    country_id = fields.Many2one("res.country")
    state_id = fields.Many2one(
        "res.country.state",
        string="State / Province",
        domain="[('country_id', '=?', country_id)]",
    )
    city = fields.Char()
    zip_prefix = fields.Char(
        string="ZIP Prefix", help="Covers every ZIP code starting with it."
    )
    transit_days = fields.Float(
        default=1.0, help="Days for goods to reach an address in this area."
    )
    priority = fields.Integer(
        default=10, help="Among equally fast warehouses, the lower number ships."
    )

    _unique_area = models.UniqueIndex(
        "(warehouse_id, COALESCE(country_id, 0), COALESCE(state_id, 0),"
        " COALESCE(lower(city), ''), COALESCE(upper(zip_prefix), ''))",
        "This warehouse already has a coverage area with the same country, state, "
        "city and ZIP prefix.",
    )

    @api.depends("warehouse_id", "country_id", "state_id", "city", "zip_prefix")
    def _compute_display_name(self):
        for area in self:
            parts = [
                area.zip_prefix and f"{area.zip_prefix}*",
                area.city,
                area.state_id.name,
                area.country_id.name,
            ]
            code = area.warehouse_id.code or area.warehouse_id.name or ""
            area.display_name = f"{code}: {', '.join(p for p in parts if p)}"

    @api.constrains("country_id", "state_id", "city", "zip_prefix", "transit_days")
    def _check_area(self):
        for area in self:
            if not (
                area.country_id
                or area.state_id
                or (area.city or "").strip()
                or (area.zip_prefix or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Coverage area of warehouse %(warehouse)s: set at least a "
                        "country, a state, a city or a ZIP prefix.",
                        warehouse=area.warehouse_id.display_name,
                    )
                )
            if (
                area.state_id
                and area.country_id
                and area.state_id.country_id != area.country_id
            ):
                raise ValidationError(
                    self.env._(
                        "Coverage area of warehouse %(warehouse)s: %(state)s is not "
                        "in %(country)s.",
                        warehouse=area.warehouse_id.display_name,
                        state=area.state_id.name,
                        country=area.country_id.name,
                    )
                )
            if area.transit_days < 0:
                raise ValidationError(
                    self.env._(
                        "Coverage area of warehouse %(warehouse)s: transit days "
                        "cannot be negative.",
                        warehouse=area.warehouse_id.display_name,
                    )
                )

    @api.onchange("state_id")
    def _onchange_state_id(self):
        if self.state_id and not self.country_id:
            self.country_id = self.state_id.country_id
