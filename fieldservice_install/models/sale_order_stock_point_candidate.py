# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class SaleOrderStockPointCandidate(models.Model):
    _name = "sale.order.stock.point.candidate"
    _description = "Stock Point Candidate of a Sale Order"
    _order = "order_id, rank"
    # derived rows, rewritten by every match: who and when is the order's
    _log_access = False

    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="cascade"
    )
    # not stored: a foreign key checked on every row written costs more than
    # the join the company rule makes on the order
    company_id = fields.Many2one(related="order_id.company_id")
    rank = fields.Integer(required=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, ondelete="cascade")
    stock_point_type = fields.Selection(related="warehouse_id.stock_point_type")
    area_id = fields.Many2one(
        "stock.warehouse.service.area", string="Matching Area", ondelete="set null"
    )
    covers_address = fields.Boolean()
    fallback = fields.Boolean(string="Last Resort")
    all_available = fields.Boolean()
    missing_qty = fields.Char(string="Missing Quantities")
    transit_days = fields.Float()
    priority = fields.Integer()
    reason = fields.Char()
