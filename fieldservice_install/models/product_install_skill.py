# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductInstallSkill(models.Model):
    _name = "product.install.skill"
    _description = "Skill Required to Install a Product"
    _order = "product_tmpl_id, skill_type_id, skill_id"

    product_tmpl_id = fields.Many2one(
        "product.template", required=True, index=True, ondelete="cascade"
    )
    skill_type_id = fields.Many2one("hr.skill.type", required=True)
    skill_id = fields.Many2one(
        "hr.skill", required=True, domain="[('skill_type_id', '=', skill_type_id)]"
    )
    min_level_id = fields.Many2one(
        "hr.skill.level",
        string="Minimum Level",
        required=True,
        domain="[('skill_type_id', '=', skill_type_id)]",
    )
    min_level_progress = fields.Integer(
        related="min_level_id.level_progress", store=True
    )

    _product_skill_unique = models.Constraint(
        "UNIQUE(product_tmpl_id, skill_id)",
        "A product lists each required skill once.",
    )

    @api.constrains("skill_id", "skill_type_id", "min_level_id")
    def _check_skill_type(self):
        for req in self:
            if req.skill_id.skill_type_id != req.skill_type_id:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: skill %(skill)s is not of type "
                        "%(type)s. Pick a skill of that type.",
                        product=req.product_tmpl_id.display_name,
                        skill=req.skill_id.name,
                        type=req.skill_type_id.name,
                    )
                )
            if req.min_level_id.skill_type_id != req.skill_type_id:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: level %(level)s does not belong to "
                        "skill type %(type)s. Pick one of its levels.",
                        product=req.product_tmpl_id.display_name,
                        level=req.min_level_id.name,
                        type=req.skill_type_id.name,
                    )
                )
