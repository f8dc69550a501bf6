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
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if self._STOCK_POINT_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _stock_point_forget(self):
        self.env.registry.clear_cache()
