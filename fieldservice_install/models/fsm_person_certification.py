# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsmPersonCertification(models.Model):
    _name = "fsm.person.certification"
    _description = "Technician Installation Certification"
    _order = "person_id, valid_to desc, id"

    person_id = fields.Many2one(
        "fsm.person", string="Technician", required=True, index=True, ondelete="cascade"
    )
    product_category_id = fields.Many2one(
        "product.category",
        required=True,
        help="Valid for this category and its sub-categories.",
    )
    number = fields.Char(string="Certificate Number", required=True)
    valid_from = fields.Date()
    valid_to = fields.Date()
    is_valid_today = fields.Boolean(
        compute="_compute_is_valid_today", string="Valid Today"
    )

    def _compute_is_valid_today(self):
        today = fields.Date.context_today(self)
        for cert in self:
            cert.is_valid_today = cert.is_valid_on(today)

    def is_valid_on(self, day):
        self.ensure_one()
        return (not self.valid_from or self.valid_from <= day) and (
            not self.valid_to or day <= self.valid_to
        )

    @api.constrains("valid_from", "valid_to")
    def _check_dates(self):
        for cert in self:
            if cert.valid_from and cert.valid_to and cert.valid_to < cert.valid_from:
                raise ValidationError(
                    self.env._(
                        "Certification %(number)s of %(person)s ends before it "
                        "starts: fix its validity dates.",
                        number=cert.number,
                        person=cert.person_id.name,
                    )
                )
