# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.utils import redirect

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .forms import csrf_ok, unexpected_files
from .rating import token_page


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

    def _render(self, template, values, status=200):
        return token_page(template, values, status)

    def _message(self, status, title, message):
        return self._render(
            "fieldservice_install.tracking_message_page",
            {"title": title, "message": message},
            status,
        )

    def _not_found(self):
        return self._message(
            404,
            request.env._("Link not found"),
            request.env._(
                "This tracking link is not valid. Check the link in your "
                "message or call us."
            ),
        )

    def _bad_form(self):
        return self._message(
            400,
            request.env._("Form not sent"),
            request.env._(
                "The form sent a file where text was expected, or has expired: "
                "reload the page and send it again."
            ),
        )

    def _order_or_reply(self, order):
        """(order, None) for a usable link, else (None, error response)."""
        if not order:
            return None, self._not_found()
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
        return self._render(
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

    def _reschedule(self, order, wanted_date, note):
        if unexpected_files() or not csrf_ok():
            return self._bad_form()
        order, reply = self._order_or_reply(order)
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
                    "wanted_date": wanted_date[:32]
                    if isinstance(wanted_date, str)
                    else "",
                    "note": note[:500] if isinstance(note, str) else "",
                },
                status=400,
            )
        return redirect(order.get_portal_url(query_string="&rescheduled=1"), 303)

    # ------------------------------------------------------------------
    # The order's portal link
    # ------------------------------------------------------------------
    @http.route(
        "/install/track/<install_int:order_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        website=True,
        multilang=False,
    )
    def track_order(self, order_id, access_token=None, **kw):
        order = request.env["fsm.order"]._tracking_from_id(order_id, access_token)
        order, reply = self._order_or_reply(order)
        return reply or self._page(order)

    @http.route(
        "/install/track/<install_int:order_id>/reschedule",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,  # checked by _reschedule (Odoo's check fails on files)
        sitemap=False,
        website=True,
        multilang=False,
    )
    def reschedule_order(
        self, order_id, access_token=None, wanted_date=None, note=None, **kw
    ):
        order = request.env["fsm.order"]._tracking_from_id(order_id, access_token)
        return self._reschedule(order, wanted_date, note)

    # ------------------------------------------------------------------
    # Links sent with the secret in their path
    # ------------------------------------------------------------------
    @http.route(
        "/install/track/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        website=True,
        multilang=False,
    )
    def track(self, token, **kw):
        order = request.env["fsm.order"]._tracking_from_token(token)
        order, reply = self._order_or_reply(order)
        return reply or self._page(order)

    @http.route(
        "/install/track/<string:token>/reschedule",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,  # checked by _reschedule (Odoo's check fails on files)
        sitemap=False,
        website=True,
        multilang=False,
    )
    def reschedule(self, token, wanted_date=None, note=None, **kw):
        order = request.env["fsm.order"]._tracking_from_token(token)
        return self._reschedule(order, wanted_date, note)
