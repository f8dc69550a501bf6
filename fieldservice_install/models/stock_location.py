# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    # what the stock-point matching caches of a warehouse's location tree
    # (sale.order._stock_point_locations)
    _STOCK_POINT_FIELDS = frozenset({"location_id", "usage", "active", "warehouse_id"})

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # stock-point network
        return records

    def write(self, vals):
        res = super().write(vals)
        if self._STOCK_POINT_FIELDS & set(vals):
            self.env.registry.clear_cache()  # stock-point network
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # stock-point network
        return res
