# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, LockError, UserError

from ..engine import dispatch


class FsmDispatchOffer(models.Model):
    """An order offered to a crowdsourced technician, who accepts or declines.

    The first technician to accept gets the order; offers not answered before
    their deadline expire and a cron offers the order to the next candidates.
    Every offer and answer stays as a record and in the order's chatter.
    """

    _name = "fsm.dispatch.offer"
    _description = "Field Service Order Offer"
    _order = "create_date desc, id desc"

    order_id = fields.Many2one(
        "fsm.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    person_id = fields.Many2one(
        "fsm.person", string="Technician", required=True, index=True, ondelete="cascade"
    )
    rank = fields.Integer(help="The technician's rank when the offer was made.")
    state = fields.Selection(
        [
            ("offered", "Offered"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="offered",
        required=True,
        index=True,
    )
    deadline = fields.Datetime(required=True)
    answered_on = fields.Datetime(readonly=True)

    _order_person_unique = models.Constraint(
        "UNIQUE(order_id, person_id)", "An order is offered once to a technician."
    )

    # ------------------------------------------------------------------
    @api.model
    def _offer(self, orders, count=None):
        """Offer each order to its next ``count`` best eligible technicians."""
        offers = self.browse()
        jobs = orders._dispatch_jobs()
        techs = orders._dispatch_techs(orders.company_id, {j.day for j in jobs})
        now = fields.Datetime.now()
        vals = []
        for order, job in zip(orders, jobs, strict=True):
            if order.person_id or order.is_closed:
                continue
            company = order.company_id
            asked = set(order.dispatch_offer_ids.person_id.ids)
            ranked = dispatch.rank(job, techs, company._dispatch_weights())
            fresh = [r for r in ranked if r.eligible and r.person_id not in asked]
            deadline = now + timedelta(hours=company.dispatch_offer_hours)
            vals += [
                {
                    "order_id": order.id,
                    "person_id": r.person_id,
                    "rank": r.rank,
                    "deadline": deadline,
                }
                for r in fresh[: count or company.dispatch_offer_count]
            ]
        offers = self.create(vals)
        for order in offers.order_id:
            order_offers = offers.filtered(lambda o, fo=order: o.order_id == fo)
            order.message_post(
                body=self.env._(
                    "Offered to %(names)s until %(deadline)s.",
                    names=", ".join(order_offers.person_id.mapped("name")),
                    deadline=fields.Datetime.to_string(order_offers[0].deadline),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return offers

    def _lock_order(self):
        """Lock the order: concurrent accepts of one order take turns (the
        second runs again a moment later through Odoo's retry loop, and finds
        the order taken)."""
        try:
            self.order_id.lock_for_update()
        except LockError as exc:
            raise ConcurrencyError("order accepted by another technician") from exc
        self.order_id.invalidate_recordset(["person_id"])
        self.invalidate_recordset(["state"])

    def action_accept(self):
        """The first technician to accept gets the order."""
        self.ensure_one()
        self._lock_order()  # concurrent accepts of the same order queue here
        order = self.order_id
        if self.state != "offered":
            raise UserError(
                self.env._(
                    "This offer for %(order)s is %(state)s: it can no longer be "
                    "accepted.",
                    order=order.name,
                    state=dict(self._fields["state"].selection)[self.state],
                )
            )
        if self.deadline < fields.Datetime.now():
            self.write({"state": "expired"})
            raise UserError(self.env._("The offer for %s has expired.", order.name))
        if order.person_id:
            self.write({"state": "cancelled", "answered_on": fields.Datetime.now()})
            raise UserError(
                self.env._(
                    "%(order)s was already taken by another technician.",
                    order=order.name,
                )
            )
        self.write({"state": "accepted", "answered_on": fields.Datetime.now()})
        # the technician sees only their own offers and cannot plan orders:
        # closing the other offers and assigning is the system's bookkeeping
        order = order.sudo()
        (order.dispatch_offer_ids - self).filtered(
            lambda o: o.state == "offered"
        ).write({"state": "cancelled"})
        order._dispatch_assign(self.person_id.id)
        order.message_post(
            body=self.env._("%s accepted the offer.", self.person_id.name),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_decline(self):
        for offer in self:
            if offer.state != "offered":
                raise UserError(
                    self.env._(
                        "Only open offers can be declined (%s).", offer.order_id.name
                    )
                )
        self.write({"state": "declined", "answered_on": fields.Datetime.now()})
        for offer in self:
            offer.order_id.message_post(
                body=self.env._("%s declined the offer.", offer.person_id.name),
                subtype_xmlid="mail.mt_note",
            )
        self._escalate(self.sudo().order_id)
        return True

    def _portal_answer(self, accept):
        """The portal technician accepts or declines their own offer.

        Record rules decide which offers the user reads; the offer must also
        be the user's own. The answer then goes through :meth:`action_accept`
        / :meth:`action_decline` (locking, first come first served, the
        escalation), as the system's bookkeeping.
        """
        self.ensure_one()
        self.check_access("read")
        persons = self.env["fsm.order"]._portal_persons()
        if self.sudo().person_id not in persons:
            raise AccessError(self.env._("This offer was made to someone else."))
        offer = self.sudo()
        return offer.action_accept() if accept else offer.action_decline()

    @api.model
    def _escalate(self, orders):
        """Orders left without a taker or an open offer go to the next candidates."""
        waiting = orders.filtered(
            lambda o: (
                not o.person_id
                and not o.is_closed
                and o.dispatch_offer_ids
                and not o.dispatch_offer_ids.filtered(lambda f: f.state == "offered")
            )
        )
        return self._offer(waiting) if waiting else self.browse()

    @api.model
    def _cron_expire_and_escalate(self):
        expired = self.search(
            [("state", "=", "offered"), ("deadline", "<", fields.Datetime.now())]
        )
        expired.write({"state": "expired"})
        for order in expired.order_id:
            order.message_post(
                body=self.env._(
                    "Offer expired for %s.",
                    ", ".join(
                        expired.filtered(
                            lambda o, fo=order: o.order_id == fo
                        ).person_id.mapped("name")
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return self._escalate(expired.order_id)
