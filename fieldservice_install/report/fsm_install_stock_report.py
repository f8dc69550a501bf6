# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL


class FsmInstallStockReport(models.Model):
    """Stock for installations: what each warehouse ships for upcoming installs.

    One row per open customer delivery move of an installation line, with the
    planned installation date and whether the goods are reserved, available in
    the shipping warehouse (free stock covers what is not reserved) or short.
    """

    _name = "fsm.install.stock.report"
    _description = "Stock for Installations"
    _auto = False
    _order = "planned_date, warehouse_id, id"

    install_line_id = fields.Many2one("fsm.install.line", readonly=True)
    install_order_id = fields.Many2one(
        "fsm.order", string="Installation Order", readonly=True
    )
    sale_id = fields.Many2one("sale.order", string="Sale Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    planned_date = fields.Datetime(string="Planned Installation", readonly=True)
    quantity = fields.Float(string="To Ship", digits="Product Unit", readonly=True)
    reserved_qty = fields.Float(string="Reserved", digits="Product Unit", readonly=True)
    free_qty = fields.Float(
        string="Free in Warehouse", digits="Product Unit", readonly=True
    )
    availability = fields.Selection(
        [("reserved", "Reserved"), ("available", "Available"), ("short", "Short")],
        readonly=True,
    )

    def _query(self):
        return SQL(
            """
            WITH moves AS (
                SELECT m.id, il.id AS install_line_id, il.order_id AS install_order_id,
                       so.id AS sale_id, il.company_id, m.product_id, m.picking_id,
                       pt.warehouse_id, fo.scheduled_date_start AS planned_date,
                       m.product_qty AS quantity,
                       CASE WHEN m.state IN ('assigned', 'partially_available')
                            THEN LEAST(m.product_qty, m.quantity * m.product_qty
                                       / NULLIF(m.product_uom_qty, 0))
                            ELSE 0 END AS reserved_qty
                  FROM fsm_install_line il
                  JOIN fsm_order fo ON fo.id = il.order_id
                  JOIN sale_order_line sol ON sol.id = il.sale_line_id
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN stock_move m ON m.sale_line_id = il.sale_line_id
                  JOIN stock_location ld ON ld.id = m.location_dest_id
                  LEFT JOIN stock_picking_type pt ON pt.id = m.picking_type_id
                 WHERE ld.usage = 'customer'
                   AND m.state NOT IN ('draft', 'done', 'cancel')
                   AND fo.install_state IN ('to_plan', 'scheduled', 'in_progress')
            ), free AS (
                SELECT l.warehouse_id, q.product_id,
                       SUM(q.quantity - q.reserved_quantity) AS free_qty
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                  JOIN stock_warehouse w ON w.id = l.warehouse_id
                  JOIN stock_location ls ON ls.id = w.lot_stock_id
                 WHERE l.usage = 'internal'
                   AND l.parent_path LIKE ls.parent_path || '%%'
                   AND q.product_id IN (SELECT product_id FROM moves)
                 GROUP BY l.warehouse_id, q.product_id
            )
            SELECT mv.*, COALESCE(f.free_qty, 0) AS free_qty,
                   CASE WHEN mv.reserved_qty >= mv.quantity THEN 'reserved'
                        WHEN COALESCE(f.free_qty, 0) >= mv.quantity - mv.reserved_qty
                        THEN 'available'
                        ELSE 'short' END AS availability
              FROM moves mv
              LEFT JOIN free f
                ON f.warehouse_id = mv.warehouse_id AND f.product_id = mv.product_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
