# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.fieldservice_install.tools.selection import selection_label

COST_CLASS_SELECTION = [
    ("unit", "Whole Unit"),
    ("parts", "Main Parts"),
    ("labour", "Labour"),
    ("travel", "Travel"),
]


class WarrantyPolicyLine(models.Model):
    """Coverage of one cost class for a number of months from the start."""

    _name = "warranty.policy.line"
    _description = "Warranty Coverage Line"
    _order = "version_id, cost_class, id"

    version_id = fields.Many2one(
        "warranty.policy.version", required=True, index=True, ondelete="cascade"
    )
    policy_id = fields.Many2one(related="version_id.policy_id", store=True)
    cost_class = fields.Selection(COST_CLASS_SELECTION, required=True)
    months = fields.Integer(required=True, default=12)
    part_categ_ids = fields.Many2many(
        "product.category",
        "warranty_policy_line_part_categ_rel",
        "line_id",
        "categ_id",
        string="Main Part Categories",
        help="Main parts covered by this line (with their sub-categories). Only "
        "used for the Main Parts class.",
    )

    _class_unique = models.Constraint(
        "UNIQUE(version_id, cost_class)",
        "A policy version covers each cost class once.",
    )

    @api.constrains("months")
    def _check_months(self):
        for line in self:
            if line.months <= 0:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the coverage of %(cls)s must last at "
                        "least one month.",
                        policy=line.version_id.display_name,
                        cls=selection_label(line, "cost_class", line.cost_class),
                    )
                )
