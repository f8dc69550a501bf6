# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    install_required = fields.Boolean(
        string="Needs Installation",
        related="product_id.install_required",
        store=True,
    )
    install_line_ids = fields.One2many(
        "fsm.install.line", "sale_line_id", string="Installation Lines"
    )

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
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"product_uom_qty", "product_id", "product_uom_id"} & set(vals):
            self.filtered(lambda line: line.state == "sale").order_id._install_sync()
        return res

    def unlink(self):
        orders = self.filtered(lambda line: line.install_line_ids).order_id
        res = super().unlink()
        orders._install_sync()
        return res
