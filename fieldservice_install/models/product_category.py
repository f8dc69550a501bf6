# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    install_certification_required = fields.Boolean(
        string="Installer Certification Required",
        help="Only technicians with a valid certification for this category (or "
        "one of its parents) may install its products.",
    )
