# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class FsmEquipment(models.Model):
    _inherit = "fsm.equipment"

    install_date = fields.Date(
        string="Installation Date",
        copy=False,
        tracking=True,
        help="Day the 'installed' milestone was logged for this serial; warranties "
        "run from it.",
    )
