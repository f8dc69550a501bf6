# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class WarrantyExclusion(models.Model):
    """A reason the warranty does not apply (misuse, self-disassembly...).

    The five standard exclusions come as data; policies choose the ones they
    apply, claims record the ones found.
    """

    _name = "warranty.exclusion"
    _description = "Warranty Exclusion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE(code)", "An exclusion code is unique.")
