# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
# every field: what the stock-point matching computed
MATCHED = _lt("use the button Match Stock Point of the quotation")


class SaleOrderStockPointCandidate(models.Model):
    """A warehouse considered for a sale order, and why (written by
    ``sale.order._stock_point_match``, never edited)."""

    _name = "sale.order.stock.point.candidate"
    _inherit = ["install.server.owned.mixin"]  # noqa: RUF012
    _description = "Stock Point Candidate of a Sale Order"
    _order = "order_id, rank"
    # derived rows, rewritten by every match: who and when is the order's
    _log_access = False

    order_id = fields.Many2one(
        "sale.order",
        required=True,
        index=True,
        ondelete="cascade",
        server_owned=MATCHED,
    )
    # not stored: a foreign key checked on every row written costs more than
    # the join the company rule makes on the order
    company_id = fields.Many2one(related="order_id.company_id")
    rank = fields.Integer(required=True, server_owned=MATCHED)
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, ondelete="cascade", server_owned=MATCHED
    )
    stock_point_type = fields.Selection(related="warehouse_id.stock_point_type")
    area_id = fields.Many2one(
        "stock.warehouse.service.area",
        string="Matching Area",
        ondelete="set null",
        server_owned=MATCHED,
    )
    covers_address = fields.Boolean(server_owned=MATCHED)
    fallback = fields.Boolean(string="Last Resort", server_owned=MATCHED)
    all_available = fields.Boolean(server_owned=MATCHED)
    missing_qty = fields.Char(string="Missing Quantities", server_owned=MATCHED)
    transit_days = fields.Float(server_owned=MATCHED)
    priority = fields.Integer(server_owned=MATCHED)
    reason = fields.Char(server_owned=MATCHED)
