# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError


class FsmOrderRating(models.Model):
    """The customer's rating of a completed job, given through a tokenised link."""

    _name = "fsm.order.rating"
    _description = "Field Service Job Rating"
    _order = "rated_on desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one(
        "fsm.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    person_id = fields.Many2one(
        "fsm.person", string="Technician", index=True, readonly=True
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        groups="fieldservice.group_fsm_dispatcher",
    )
    value = fields.Integer(string="Stars", readonly=True, help="1 to 5; 0: not rated")
    comment = fields.Text(readonly=True)
    rated_on = fields.Datetime(readonly=True)
    url = fields.Char(
        compute="_compute_url",
        string="Rating Link",
        groups="fieldservice.group_fsm_dispatcher",
    )

    _order_unique = models.Constraint("UNIQUE(order_id)", "A job has one rating link.")
    _token_unique = models.Constraint("UNIQUE(token)", "Rating tokens are unique.")

    def _compute_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for rating in self:
            rating.url = f"{base}/install/rate/{rating.sudo().token}"

    @api.model
    def _for_orders(self, orders):
        """The rating link of each order, created when missing."""
        existing = self.sudo().search([("order_id", "in", orders.ids)])
        missing = orders - existing.order_id
        created = self.sudo().create(
            [{"order_id": o.id, "person_id": o.person_id.id} for o in missing]
        )
        return existing | created

    def _rate(self, value, comment=""):
        """Record the customer's stars; a low rating holds the job for quality."""
        self.ensure_one()
        if self.value:
            raise UserError(self.env._("This job was already rated. Thank you!"))
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise UserError(self.env._("Give between 1 and 5 stars."))
        self.write(
            {
                "value": value,
                "comment": (comment or "").replace("\x00", "").strip()[:2000],
                "rated_on": fields.Datetime.now(),
            }
        )
        order = self.order_id
        order.message_post(
            body=self.env._(
                "Customer rating: %(stars)s/5. %(comment)s",
                stars=value,
                comment=self.comment or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        if value <= order.company_id.rating_callback_threshold:
            order._rating_quality_hold(self)
        self.env["fsm.person"]._recompute_rating(self.company_id)
        return True
