# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    install_required = fields.Boolean(
        string="Requires Installation",
        help="Confirming a sale of this product creates an installation order.",
    )
    install_duration = fields.Float(
        string="Installation Time (h)",
        help="Hours needed to install one unit. Leave 0 to use the default of "
        "the Installation order type.",
    )
    install_skill_ids = fields.One2many(
        "product.install.skill",
        "product_tmpl_id",
        string="Installation Skills",
        help="Skills, with a minimum level, a technician needs to install it.",
    )

    @api.constrains("install_required", "type")
    def _check_install_required(self):
        for product in self:
            if product.install_required and product.type == "service":
                raise ValidationError(
                    self.env._(
                        "Product %(product)s is a service: a service cannot require "
                        "installation of itself. Set the flag on the goods to install.",
                        product=product.display_name,
                    )
                )

    @api.constrains("install_duration")
    def _check_install_duration(self):
        for product in self:
            if product.install_duration < 0:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: the installation time cannot be "
                        "negative (%(hours)s h). Enter 0 or more hours.",
                        product=product.display_name,
                        hours=product.install_duration,
                    )
                )
