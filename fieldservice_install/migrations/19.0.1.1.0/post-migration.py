# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Drop the unique constraints of the renamed token columns (the new
``access_token`` fields have their own), through Odoo's reflection of them."""

from odoo import SUPERUSER_ID, api

OLD_CONSTRAINTS = ("fsm_order_tracking_token_unique", "fsm_order_rating_token_unique")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.model.constraint"].search(
        [
            ("name", "in", OLD_CONSTRAINTS),
            ("module.name", "=", "fieldservice_install"),
        ]
    ).unlink()
