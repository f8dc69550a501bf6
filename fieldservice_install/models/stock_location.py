# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class StockLocation(models.Model):
    _name = "stock.location"
    _inherit = ["stock.location", "stock.point.network.mixin"]  # noqa: RUF012

    # what the stock-point matching caches of a warehouse's location tree
    # (sale.order._stock_point_locations)
    _stock_point_fields = frozenset({"location_id", "usage", "active", "warehouse_id"})
