# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.utils import redirect

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..tools.public_input import bad_form_message, text_param
from .forms import form_ok, secret_record, token_page

# the secret link's routes: the order's portal link, and the links sent
# before, which carried the secret in their path
TRACK_ROUTES = [
    "/install/track/<install_int:order_id>",
    "/install/track/<string:token>",
]


class InstallTrackingController(http.Controller):
    """The customer's tracking page of an installation order (no account).

    ``GET /install/track/<id>?access_token=<secret>`` (the order's portal
    link) shows the order's steps (times only, no positions nor photos), the
    technician's name and rating, a reschedule form while the work has not
    started and the rating form once done. ``POST
    /install/track/<id>/reschedule`` (the secret and a CSRF token in the
    form) asks the dispatcher for another date. Links sent before carried
    the secret in their path (``/install/track/<secret>``): they still work.
    A wrong secret answers 404 (whether the order exists or not), links of
    orders closed long ago 410, malformed forms 400.
    """

    def _order(self, order_id, token, access_token):
        """The order of the link (sudo), or an empty recordset."""
        return secret_record(
            request.env["fsm.order"], order_id, access_token if order_id else token
        )

    def _message(self, status, title, message):
        return token_page(
            "fieldservice_install.tracking_message_page",
            {"title": title, "message": message},
            status,
        )

    def _order_or_reply(self, order):
        """(order, None) for a usable link, else (None, error response)."""
        if not order:
            return None, self._message(
                404,
                request.env._("Link not found"),
                request.env._(
                    "This tracking link is not valid. Check the link in your "
                    "message or call us."
                ),
            )
        if order._tracking_expired():
            return None, self._message(
                410,
                request.env._("Link expired"),
                request.env._(
                    "This tracking link has expired: the installation was "
                    "closed some time ago. Call us if you need anything."
                ),
            )
        return order, None

    def _page(self, order, error=None, values=None, status=200):
        rating = order.rating_ids[:1].sudo()
        person = order.person_id.sudo()
        return token_page(
            "fieldservice_install.tracking_page",
            {
                "order": order,
                "token": order.access_token,
                "steps": order._tracking_timeline(),
                "person": person,
                "person_stars": round(person.rating_avg, 1) if person else 0,
                "products": order.install_line_ids.product_id.mapped(
                    "product_tmpl_id.name"
                ),
                "can_reschedule": order._tracking_can_reschedule(),
                "rating": rating,
                "rescheduled": request.params.get("rescheduled") == "1",
                "error": error,
                "values": values or {},
            },
            status,
        )

    @http.route(
        TRACK_ROUTES,
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        website=True,
        multilang=False,
    )
    def track_order(self, order_id=None, token=None, access_token=None, **kw):
        order, reply = self._order_or_reply(self._order(order_id, token, access_token))
        return reply or self._page(order)

    @http.route(
        [f"{route}/reschedule" for route in TRACK_ROUTES],
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,  # checked by form_ok (Odoo's check fails on files)
        sitemap=False,
        website=True,
        multilang=False,
    )
    def reschedule_order(
        self,
        order_id=None,
        token=None,
        access_token=None,
        wanted_date=None,
        note=None,
        **kw,
    ):
        if not form_ok():
            return self._message(
                400, request.env._("Form not sent"), bad_form_message(request.env)
            )
        order, reply = self._order_or_reply(self._order(order_id, token, access_token))
        if reply:
            return reply
        try:
            with request.env.cr.savepoint():
                order._tracking_request_reschedule(wanted_date, note)
        except UserError as err:
            return self._page(
                order,
                error=err.args[0],
                # shown again in the form: text only, as long as the form takes
                values={
                    "wanted_date": text_param(wanted_date, 32) or "",
                    "note": text_param(note, 500) or "",
                },
                status=400,
            )
        return redirect(order.get_portal_url(query_string="&rescheduled=1"), 303)
