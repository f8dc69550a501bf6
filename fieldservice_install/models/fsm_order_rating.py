# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from ..tools.public_input import id_param
from ..tools.server_owned import server_owned_writes

RATED_BY_CUSTOMER = _lt("the customer rates through the link of the rating mail")


class FsmOrderRating(models.Model):
    """The customer's rating of a completed job, given through a tokenised link.

    The link is Odoo's portal link of the rating (portal.mixin):
    ``/install/rate/<id>?access_token=<secret>``; links sent before carried
    the secret in their path (``/install/rate/<secret>``), which still works.
    Odoo's own ``rating.mixin`` is not used: its ``rating.rating`` records
    (and their access tokens) are readable and writable by every internal
    user, technicians included, and its pages rate on three levels, where the
    quality hold and the dispatch ranking work on 1 to 5 stars.

    Everything a rating records is the server's: only the customer's link
    (:meth:`_rate`) gives the stars, nobody writes them through the ORM.
    """

    _name = "fsm.order.rating"
    _inherit = ("install.server.owned.mixin", "portal.mixin")
    _description = "Field Service Job Rating"
    _order = "rated_on desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one(
        "fsm.order",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        server_owned=True,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    person_id = fields.Many2one(
        "fsm.person",
        string="Technician",
        index=True,
        readonly=True,
        server_owned=True,
    )
    # the customer's secret: dispatchers only (portal.mixin lets whoever
    # reads the record read it)
    access_token = fields.Char(
        required=True,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(24),
        groups="fieldservice.group_fsm_dispatcher",
        server_owned=True,
    )
    value = fields.Integer(
        string="Stars",
        readonly=True,
        help="1 to 5; 0: not rated",
        server_owned=RATED_BY_CUSTOMER,
    )
    comment = fields.Text(readonly=True, server_owned=RATED_BY_CUSTOMER)
    rated_on = fields.Datetime(readonly=True, server_owned=RATED_BY_CUSTOMER)
    url = fields.Char(
        compute="_compute_url",
        string="Rating Link",
        groups="fieldservice.group_fsm_dispatcher",
    )

    _order_unique = models.Constraint("UNIQUE(order_id)", "A job has one rating link.")
    _access_token_unique = models.Constraint(
        "UNIQUE(access_token)", "Rating links are unique."
    )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for rating in self:
            rating.access_url = f"/install/rate/{rating.id}"
        return res

    def _compute_url(self):
        for rating in self.sudo():
            rating.url = rating.get_base_url() + rating.get_portal_url()

    def _portal_ensure_token(self):
        # the token is made by the server (Odoo's own token generation)
        with server_owned_writes():
            return super()._portal_ensure_token()

    @api.model
    def _for_orders(self, orders):
        """The rating link of each order, created when missing."""
        existing = self.sudo().search([("order_id", "in", orders.ids)])
        missing = orders - existing.order_id
        with server_owned_writes():
            created = self.sudo().create(
                [{"order_id": o.id, "person_id": o.person_id.id} for o in missing]
            )
        return existing | created

    def _rate(self, value, comment=""):
        """Record the customer's stars; a low rating holds the job for quality.

        Called by the rating link's page (the customer holds the link) and
        by the server's own data. The job's technician is refused even with
        the link: a job is never rated by the one who did it.
        """
        self.ensure_one()
        if self.value:
            raise UserError(self.env._("This job was already rated. Thank you!"))
        partner = self.env.user.partner_id
        if partner and partner == self.sudo().person_id.partner_id:
            raise UserError(
                self.env._(
                    "The technician of a job cannot rate it: the customer rates "
                    "it through the link of the rating mail."
                )
            )
        if isinstance(value, str):  # from the link's form: ASCII digits only
            value = id_param(value) or 0
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise UserError(self.env._("Give between 1 and 5 stars."))
        comment = self.env["fsm.order"]._portal_text(comment, 2000)
        with server_owned_writes():
            self.write(
                {
                    "value": value,
                    "comment": comment,
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
