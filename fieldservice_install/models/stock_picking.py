# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _install_orders(self):
        """Installation orders installing goods of these transfers."""
        sale_lines = self.move_ids.sale_line_id
        if not sale_lines:
            return self.env["fsm.order"]
        return (
            self.env["fsm.install.line"]
            .search([("sale_line_id", "in", sale_lines.ids)])
            .order_id
        )

    def _action_done(self):
        res = super()._action_done()
        install_orders = self.sudo()._install_orders()
        if install_orders:
            install_orders._install_link_deliveries()
            install_orders._install_refresh_delivery()
        return res

    def write(self, vals):
        res = super().write(vals)
        if "scheduled_date" in vals:
            self.sudo()._install_orders()._install_reschedule()
        return res
