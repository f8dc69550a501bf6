# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class FsmOrderType(models.Model):
    _inherit = "fsm.order.type"

    internal_type = fields.Selection(
        selection_add=[("warranty_repair", "Warranty Repair")],
        ondelete={"warranty_repair": "set default"},
    )
