# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class WarrantyFault(models.Model):
    """A type of fault a customer reports (no hot water, leak, noise...)."""

    _name = "warranty.fault"
    _description = "Warranty Fault Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    performance_fault = fields.Boolean(
        help="A performance fault (性能故障) under China's 三包 rules: return "
        "within 7 days, exchange within 15 days, exchange after repeated failed "
        "repairs, when the product's policy applies 三包.",
    )
    part_categ_id = fields.Many2one(
        "product.category",
        string="Failed Part Category",
        help="The part category this fault usually concerns: proposed on new "
        "claims and checked against the policy's main parts.",
    )
    description = fields.Text(translate=True)

    _code_unique = models.Constraint("UNIQUE(code)", "A fault code is unique.")
