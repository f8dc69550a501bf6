# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    # the mixin first, so that its create/write come before the others
    _inherit = ["install.server.owned.mixin", "sale.order.line"]  # noqa: RUF012
    # Odoo's computed fields stay Odoo's: only the fields marked server_owned
    _server_owned_computed = False

    install_required = fields.Boolean(
        string="Needs Installation",
        related="product_id.install_required",
        store=True,
    )
    install_line_ids = fields.One2many(
        "fsm.install.line", "sale_line_id", string="Installation Lines"
    )
    stock_point_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Ships From",
        copy=False,
        readonly=True,
        server_owned=_lt("use the button Match Stock Point of the quotation"),
        help="Warehouse matched to the delivery address for this product, when the "
        "order is split over several warehouses.",
    )

    @api.depends("stock_point_warehouse_id")
    def _compute_warehouse_id(self):
        res = super()._compute_warehouse_id()
        for line in self:
            if line.stock_point_warehouse_id and not line.route_ids:
                line.warehouse_id = line.stock_point_warehouse_id
        return res

    def _install_delivery_partner(self):
        """The address the goods of this line are installed at (override hook)."""
        self.ensure_one()
        return self.order_id.partner_shipping_id

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(
            lambda line: line.state == "sale" and line.install_required
        ).order_id._install_sync()
        lines.order_id._stock_point_rematch()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"product_uom_qty", "product_id", "product_uom_id"} & set(vals):
            self.filtered(lambda line: line.state == "sale").order_id._install_sync()
            self.order_id._stock_point_rematch()
        return res

    def unlink(self):
        orders = self.order_id
        with_install = self.filtered(lambda line: line.install_line_ids).order_id
        res = super().unlink()
        with_install._install_sync()
        orders.exists()._stock_point_rematch()
        return res
