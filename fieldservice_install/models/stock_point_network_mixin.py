# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class StockPointNetworkMixin(models.AbstractModel):
    """Records that make up the stock-point network (warehouses, coverage
    areas, locations): changing them clears what matching caches
    (``sale.order._stock_point_network`` and ``_stock_point_locations``).

    ``_stock_point_fields``: the fields a write must touch to clear the cache;
    ``None``: any write clears it. Cleared after the change, so that a read
    during the operation cannot cache the old network again.
    """

    _name = "stock.point.network.mixin"
    _description = "Stock-Point Network Member"

    _stock_point_fields = None

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if self._stock_point_fields is None or self._stock_point_fields & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
