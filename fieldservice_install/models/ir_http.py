# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.routing import ValidationError
from werkzeug.routing.converters import NumberConverter

from odoo import models

# ids are PostgreSQL integers
MAX_INT = 2**31 - 1


class PositiveIntConverter(NumberConverter):
    """``<install_int:name>``: a record id (or a page number, a size) in an
    address, else no match (404).

    Odoo's ``int`` converter turns any run of digits into a number: one
    larger than an id reaches the database (an error), and beyond 4,300
    digits Python refuses to convert it (an error before any controller
    runs). These numbers have at most 10 digits and are positive.
    """

    regex = r"\d{1,10}"

    def to_python(self, value):
        value = super().to_python(value)
        if not 0 < value <= MAX_INT:
            raise ValidationError()
        return value


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_converters(cls):
        return dict(super()._get_converters(), install_int=PositiveIntConverter)
