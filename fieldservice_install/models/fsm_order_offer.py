# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Offers of an order to technicians (the first to accept gets the job) and
the customer's ratings of the job, with the quality hold a low rating puts.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.server_owned import server_owned_writes


class FsmOrderOffer(models.Model):
    _inherit = "fsm.order"  # pylint: disable=consider-merging-classes-inherited

    # offers, ratings and the evidence below are the server's: their
    # actions and crons write them (install.server.owned.mixin)
    dispatch_offer_ids = fields.One2many(
        "fsm.dispatch.offer",
        "order_id",
        string="Offers",
        copy=False,
        readonly=True,
        server_owned=True,
    )
    rating_ids = fields.One2many(
        "fsm.order.rating",
        "order_id",
        string="Ratings",
        readonly=True,
        server_owned=True,
    )
    quality_hold = fields.Boolean(
        copy=False,
        readonly=True,
        tracking=True,
        server_owned=True,
        help="A low customer rating holds the job until the callback is done: "
        "settlement waits for it.",
    )

    def action_complete(self):
        res = super().action_complete()
        self.env["fsm.order.rating"]._for_orders(self)
        return res

    def action_offer(self):
        """Offer the orders to their best technicians; the first to accept wins."""
        self._check_dispatcher()
        self.check_access("write")
        offers = self.env["fsm.dispatch.offer"]._offer(self)
        for order in self:
            if not offers.filtered(lambda o, fo=order: o.order_id == fo):
                jobs, techs = order._dispatch_inputs()
                ranked = order._dispatch_rank(jobs[0], techs)
                raise UserError(order._dispatch_no_candidate_message(ranked))
        return offers

    def _rating_quality_hold(self, rating):
        """A low rating: hold the job for quality and plan a callback."""
        self.ensure_one()
        with server_owned_writes():
            self.quality_hold = True
        self.activity_schedule(
            **self._prepare_install_activity_vals(
                "mail.mail_activity_data_call",
                summary=self.env._("Call back the customer"),
                note=self.env._(
                    "%(order)s was rated %(stars)s/5: %(comment)s",
                    order=self.name,
                    stars=rating.value,
                    comment=rating.comment or "-",
                ),
            )
        )
