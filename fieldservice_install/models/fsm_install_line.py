# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsmInstallLine(models.Model):
    _name = "fsm.install.line"
    _description = "Installation Order Line"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one(
        "fsm.order",
        string="Installation Order",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Order Line",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    sale_id = fields.Many2one(related="sale_line_id.order_id", string="Sale Order")
    product_id = fields.Many2one(
        "product.product", required=True, ondelete="restrict", index=True
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(digits="Product Unit", required=True, default=1.0)
    qty_delivered = fields.Float(
        string="Delivered", digits="Product Unit", readonly=True, copy=False
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        "fsm_install_line_stock_lot_rel",
        "line_id",
        "lot_id",
        string="Serial Numbers",
        copy=False,
        domain="[('product_id', '=', product_id)]",
        help="Lots / serial numbers delivered for this line.",
    )
    warehouse_id = fields.Many2one(related="order_id.warehouse_id", store=True)
    scheduled_date_start = fields.Datetime(
        related="order_id.scheduled_date_start", string="Planned Installation"
    )
    install_state = fields.Selection(related="order_id.install_state")

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "Installation order %(order)s: the quantity of %(product)s "
                        "must be positive. Remove the line instead.",
                        order=line.order_id.name,
                        product=line.product_id.display_name,
                    )
                )
