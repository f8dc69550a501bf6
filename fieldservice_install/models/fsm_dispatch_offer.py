# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, LockError, UserError
from odoo.tools.translate import _lt

from ..tools.selection import selection_label
from ..tools.server_owned import server_owned_writes

BY_OFFER_ACTIONS = _lt(
    "offers are made by Offer to Technicians and answered by Accept or Decline"
)


class FsmDispatchOffer(models.Model):
    """An order offered to a crowdsourced technician, who accepts or declines.

    The first technician to accept gets the order; offers not answered before
    their deadline expire and a cron offers the order to the next candidates.
    Every offer and answer stays as a record and in the order's chatter:
    they are the server's, made and changed by the actions only.

    A technician reads their offers, not the orders offered (record rules):
    the offer itself tells the area and the work (``job_*`` fields), never
    the customer's name, street or phone, until the technician accepts.
    """

    _name = "fsm.dispatch.offer"
    _inherit = ("install.server.owned.mixin",)
    _description = "Field Service Order Offer"
    _order = "create_date desc, id desc"

    order_id = fields.Many2one(
        "fsm.order",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        server_owned=BY_OFFER_ACTIONS,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    person_id = fields.Many2one(
        "fsm.person",
        string="Technician",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        server_owned=BY_OFFER_ACTIONS,
    )
    rank = fields.Integer(
        help="The technician's rank when the offer was made.",
        readonly=True,
        server_owned=BY_OFFER_ACTIONS,
    )
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
        readonly=True,
        server_owned=BY_OFFER_ACTIONS,
    )
    deadline = fields.Datetime(
        required=True, readonly=True, server_owned=BY_OFFER_ACTIONS
    )
    answered_on = fields.Datetime(readonly=True, server_owned=BY_OFFER_ACTIONS)
    # what the technician may know of the job before accepting it
    job_name = fields.Char(string="Job", compute="_compute_job", compute_sudo=True)
    job_area = fields.Char(
        string="Area",
        compute="_compute_job",
        compute_sudo=True,
        help="ZIP code, city and state of the site (not the street).",
    )
    job_work = fields.Char(
        string="Work",
        compute="_compute_job",
        compute_sudo=True,
        help="The products to install and their quantities.",
    )
    job_date = fields.Datetime(
        string="Planned Start", compute="_compute_job", compute_sudo=True
    )
    job_hours = fields.Float(
        string="Duration (h)", compute="_compute_job", compute_sudo=True
    )
    job_map_url = fields.Char(
        string="Area Map", compute="_compute_job", compute_sudo=True
    )

    _order_person_unique = models.Constraint(
        "UNIQUE(order_id, person_id)", "An order is offered once to a technician."
    )

    @api.depends(
        "order_id.location_id",
        "order_id.install_line_ids",
        "order_id.scheduled_date_start",
        "order_id.scheduled_duration",
    )
    def _compute_job(self):
        for offer in self:
            order = offer.order_id
            location = order.location_id
            offer.job_name = order.name
            offer.job_area = ", ".join(
                filter(
                    None,
                    [
                        " ".join(filter(None, [location.zip, location.city])),
                        location.state_id.name,
                        location.country_id.name,
                    ],
                )
            )
            offer.job_work = ", ".join(
                f"{line.quantity:g} × {line.product_id.display_name}"
                for line in order.install_line_ids
            ) or (order.type.name or "")
            offer.job_date = order.scheduled_date_start
            offer.job_hours = order.scheduled_duration
            offer.job_map_url = order._portal_area_map_url(location)

    # ------------------------------------------------------------------
    @api.model
    def _offer(self, orders, count=None):
        """Offer each order to its next ``count`` best eligible technicians."""
        offers = self.browse()
        jobs, techs = orders._dispatch_inputs()
        now = fields.Datetime.now()
        vals = []
        for order, job in zip(orders, jobs, strict=True):
            if order.person_id or order.is_closed:
                continue
            company = order.company_id
            asked = set(order.dispatch_offer_ids.person_id.ids)
            ranked = order._dispatch_rank(job, techs)
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
        with server_owned_writes():
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

    def _check_answer_access(self):
        """Raise an AccessError unless the current user may answer the offers:
        a dispatcher, or the technician the offer was made to."""
        if self.env.su or self.env.user.has_group("fieldservice.group_fsm_dispatcher"):
            return
        partner = self.env.user.partner_id
        if any(offer.sudo().person_id.partner_id != partner for offer in self):
            raise AccessError(self.env._("This offer was made to someone else."))
        self.check_access("read")

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
        self._check_answer_access()
        # the technician cannot plan orders: the answer, closing the other
        # offers and assigning are the system's bookkeeping
        offer = self.sudo()
        offer._lock_order()  # concurrent accepts of the same order queue here
        order = offer.order_id
        now = fields.Datetime.now()
        if offer.state != "offered":
            raise UserError(
                self.env._(
                    "This offer for %(order)s is %(state)s: it can no longer be "
                    "accepted.",
                    order=order.name,
                    state=selection_label(offer, "state", offer.state),
                )
            )
        if offer.deadline < now:
            with server_owned_writes():
                offer.write({"state": "expired"})
            raise UserError(self.env._("The offer for %s has expired.", order.name))
        if order.person_id:
            with server_owned_writes():
                offer.write({"state": "cancelled", "answered_on": now})
            raise UserError(
                self.env._(
                    "%(order)s was already taken by another technician.",
                    order=order.name,
                )
            )
        with server_owned_writes():
            offer.write({"state": "accepted", "answered_on": now})
            (order.dispatch_offer_ids - offer).filtered(
                lambda o: o.state == "offered"
            ).write({"state": "cancelled"})
        order._dispatch_assign(offer.person_id.id)
        order.message_post(
            body=self.env._("%s accepted the offer.", offer.person_id.name),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_decline(self):
        self._check_answer_access()
        offers = self.sudo()
        for offer in offers:
            if offer.state != "offered":
                raise UserError(
                    self.env._(
                        "Only open offers can be declined (%s).", offer.order_id.name
                    )
                )
        with server_owned_writes():
            offers.write({"state": "declined", "answered_on": fields.Datetime.now()})
        for offer in offers:
            offer.order_id.message_post(
                body=self.env._("%s declined the offer.", offer.person_id.name),
                subtype_xmlid="mail.mt_note",
            )
        offers._escalate(offers.order_id)
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
        return self.action_accept() if accept else self.action_decline()

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
        with server_owned_writes():
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
