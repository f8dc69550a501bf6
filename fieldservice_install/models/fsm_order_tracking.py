# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's side of an order: the tokenised tracking page, reschedule
requests and the notices sent to the customer at each step.
"""

import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime, plaintext2html

from ..tools.server_owned import server_owned_writes

TRACKING_DAYS_PARAM = "fieldservice_install.tracking_link_days"
TRACKING_DAYS_DEFAULT = 90
RESCHEDULE_MAX_DAYS = 90
RESCHEDULE_NOTE_MAX = 500


class FsmOrderTracking(models.Model):
    _inherit = "fsm.order"  # pylint: disable=consider-merging-classes-inherited

    # The tracking link is Odoo's portal link of the order
    # (portal.mixin): ``/install/track/<id>?access_token=<secret>``. The
    # secret is the server's (made when the order is created, renewed by
    # action_tracking_new_token) and only dispatchers read it: portal.mixin
    # lets whoever reads a record read its token, which would give every
    # technician of the job the customer's link. Computed rather than a
    # default: a default would give every order of an existing database one
    # and the same secret when the column is added.
    access_token = fields.Char(
        compute="_compute_access_token",
        store=True,
        precompute=True,
        readonly=True,
        groups="fieldservice.group_fsm_dispatcher",
        server_owned=True,
    )
    tracking_url = fields.Char(
        string="Tracking Link",
        compute="_compute_tracking_url",
        groups="fieldservice.group_fsm_dispatcher",
        help="The customer follows the order here, without an account. The "
        "link expires some time after the order is closed.",
    )
    tracking_customer_id = fields.Many2one(
        "res.partner",
        string="Customer to Notify",
        compute="_compute_tracking_customer_id",
        help="Who receives the notifications: the delivery address of the "
        "installation, else the location's contact, else its owner.",
    )
    _access_token_unique = models.Constraint(
        "UNIQUE(access_token)", "Tracking links are unique."
    )

    def _compute_access_token(self):
        for order in self:
            if not order.access_token:
                order.access_token = secrets.token_urlsafe(24)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for order in self:
            order.access_url = f"/install/track/{order.id}"
        return res

    def _compute_tracking_url(self):
        for order in self.sudo():
            order.tracking_url = order.access_token and (
                order.get_base_url() + order.get_portal_url()
            )

    @api.depends("install_partner_id", "location_id.contact_id", "location_id.owner_id")
    def _compute_tracking_customer_id(self):
        for order in self:
            order.tracking_customer_id = (
                order.install_partner_id
                or order.location_id.contact_id
                or order.location_id.owner_id
            )

    def _portal_ensure_token(self):
        # the token is made by the server (Odoo's own token generation)
        with server_owned_writes():
            return super()._portal_ensure_token()

    def _get_access_action(self, access_uid=None, force_website=False):
        """A portal technician opening their job (a notification, a link to
        the record) lands on the job's page of the technician portal, never
        on the customer's tracking link, which is not theirs."""
        self.ensure_one()
        user = (
            self.env["res.users"].sudo().browse(access_uid)
            if access_uid
            else self.env.user
        )
        if (
            user.share
            and not force_website
            and self.sudo().person_id.partner_id == user.partner_id
        ):
            return {
                "type": "ir.actions.act_url",
                "url": f"/my/jobs/{self.id}",
                "target": "self",
                "res_id": self.id,
            }
        return super()._get_access_action(
            access_uid=access_uid, force_website=force_website
        )

    @api.model
    def _get_thread_with_access(self, thread_id, *, mode="read", **kwargs):
        """The tracking secret opens the tracking page only: not the order's
        chatter (Odoo's portal chatter reads and posts on a record with its
        token, or a hash of it), whose messages are the company's."""
        for key in ("token", "hash", "pid"):
            kwargs.pop(key, None)
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)

    def action_tracking_new_token(self):
        """Replace the tracking link (the old one stops working at once)."""
        self._check_dispatcher()
        self.check_access("write")
        with server_owned_writes():
            for order in self:
                order.sudo().access_token = secrets.token_urlsafe(24)
        self._message_log_batch(
            bodies=dict.fromkeys(
                self.ids,
                self.env._("New tracking link: the previous one no longer works."),
            )
        )
        return True

    def _tracking_expiry(self):
        """When the tracking link stops working: some days (system parameter
        ``fieldservice_install.tracking_link_days``, 90 by default) after the
        order is closed; ``None`` while it is open."""
        self.ensure_one()
        if not self.stage_id.is_closed:
            return None
        try:
            days = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(TRACKING_DAYS_PARAM, TRACKING_DAYS_DEFAULT)
            )
        except ValueError:
            days = TRACKING_DAYS_DEFAULT
        closed_on = self.date_end or self.write_date
        return closed_on + timedelta(days=days)

    def _tracking_expired(self):
        expiry = self._tracking_expiry()
        return bool(expiry and expiry < fields.Datetime.now())

    def _tracking_tz(self):
        self.ensure_one()
        return (
            self.tracking_customer_id.tz
            or self.company_id.partner_id.tz
            or self.env.user.tz
            or "UTC"
        )

    def _tracking_timeline(self):
        """The steps shown to the customer, in order: ``[{"name", "done",
        "when"}]``. Only times: positions and photos stay internal."""
        self.ensure_one()
        tz = self._tracking_tz()

        def when(value):
            return format_datetime(self.env, value, tz=tz, dt_format="short")

        steps = [
            {
                "name": self.env._("Order received"),
                "done": True,
                "when": when(self.create_date),
            },
            {
                "name": self.env._("Visit planned"),
                "done": bool(self.person_id),
                "when": when(self.scheduled_date_start)
                if self.person_id and self.scheduled_date_start
                else "",
            },
        ]
        logged = {}
        for log in self.milestone_log_ids.sorted("timestamp"):
            logged.setdefault(log.milestone_id, log.timestamp)
        templates = self.env["fsm.milestone.template"].search(
            [("order_type_id", "=", self.type.id)]
        )
        for template in templates | self.env["fsm.milestone.template"].concat(*logged):
            steps.append(
                {
                    "name": template.name,
                    "done": template in logged,
                    "when": when(logged[template]) if template in logged else "",
                }
            )
        done = self.install_state == "done" or (
            self.stage_id == self.env.ref("fieldservice.fsm_stage_completed")
        )
        steps.append(
            {
                "name": self.env._("Completed"),
                "done": done,
                "when": when(self.date_end) if done and self.date_end else "",
            }
        )
        return steps

    def _tracking_can_reschedule(self):
        self.ensure_one()
        return not self.stage_id.is_closed and not self.date_start

    def _tracking_request_reschedule(self, wanted, note=""):
        """The customer asks for another date: validated, then a to-do for
        the dispatcher and a note in the chatter. The schedule itself is not
        changed: the dispatcher calls the customer back."""
        self.ensure_one()
        if not self._tracking_can_reschedule():
            raise UserError(
                self.env._(
                    "The installation has started or is closed: it can no "
                    "longer be moved. Call us if needed."
                )
            )
        note = self._portal_text(note, RESCHEDULE_NOTE_MAX)
        try:
            wanted = fields.Date.to_date(self._portal_text(wanted, 32))
        except (TypeError, ValueError):
            wanted = None
        if not wanted:
            raise UserError(self.env._("Give the date you want (year-month-day)."))
        today = fields.Date.context_today(self.with_context(tz=self._tracking_tz()))
        if wanted <= today:
            raise UserError(self.env._("Choose a date after today."))
        if wanted > today + timedelta(days=RESCHEDULE_MAX_DAYS):
            raise UserError(
                self.env._(
                    "Choose a date within %s days; for a later date please call us.",
                    RESCHEDULE_MAX_DAYS,
                )
            )
        activity_xmlid = "fieldservice_install.mail_activity_type_reschedule"
        activity_type = self.env.ref(activity_xmlid)
        if self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
            raise UserError(
                self.env._(
                    "Your previous request is being handled: we will call you "
                    "back soon."
                )
            )
        text = self.env._(
            "The customer asks to move the installation to %(date)s. %(note)s",
            date=format_date(self.env, wanted),
            note=note,
        )
        self.activity_schedule(
            **self._prepare_install_activity_vals(
                activity_xmlid,
                summary=self.env._(
                    "Reschedule request: %s", format_date(self.env, wanted)
                ),
                note=plaintext2html(text),
            )
        )
        self.message_post(body=text, subtype_xmlid="mail.mt_note")
        return True

    def action_complete(self):
        res = super().action_complete()
        self._tracking_notify("fieldservice_install.mail_template_install_done")
        return res

    @api.model
    def _prepare_tracking_mail_values(self, company):
        """Values of the customer's notices (mail.mail) of ``company``'s
        orders, over the template's: mails of their own, not messages of the
        order (they carry the customer's links), from the company."""
        return {"model": False, "res_id": False, "author_id": company.partner_id.id}

    def _tracking_notify(self, template):
        """Send ``template`` (a mail template or its xml id) to the customer
        of each installation order who has an email address (the body is
        short plain sentences, ready for a text message).

        The mail carries the customer's links (tracking, rating): it is sent
        as a mail of its own, not as a message of the order, made by the
        superuser and from the company, so that no user but the system
        administrators can read it (technicians read the order's messages,
        and the messages they wrote). The order's chatter gets a note, without
        the links, saying which notice went to whom. Returns the mails."""
        if isinstance(template, str):
            template = self.env.ref(template, raise_if_not_found=False)
        # by email only: customers without an address get nothing (and large
        # dispatch batches of such orders post nothing)
        orders = self.filtered(
            lambda o: o.is_installation and o.tracking_customer_id.email
        )
        mails = self.env["mail.mail"].sudo()
        if not template or not orders:
            return mails
        template = template.with_user(api.SUPERUSER_ID)
        for company in orders.company_id:
            company_orders = orders.filtered(lambda o, c=company: o.company_id == c)
            mails |= template.send_mail_batch(
                company_orders.ids,
                email_values=self._prepare_tracking_mail_values(company),
            )
        customers = {order.id: order.tracking_customer_id for order in orders}
        orders._message_log_batch(
            bodies={
                order_id: self.env._(
                    "Notice '%(notice)s' sent to %(customer)s (%(email)s).",
                    notice=template.name,
                    customer=customer.name,
                    email=customer.email,
                )
                for order_id, customer in customers.items()
            }
        )
        return mails
