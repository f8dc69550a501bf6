# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.utils import redirect

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .rating import token_page


class InstallTrackingController(http.Controller):
    """The customer's tracking page of an installation order (no account).

    ``GET /install/track/<token>`` shows the order's steps (times only, no
    positions nor photos), the technician's name and rating, a reschedule
    form while the work has not started and the rating form once done.
    ``POST /install/track/<token>/reschedule`` (CSRF token required) asks
    the dispatcher for another date. Unknown tokens answer 404, links of
    orders closed long ago 410.
    """

    def _render(self, template, values, status=200):
        return token_page(template, values, status)

    def _message(self, status, title, message):
        return self._render(
            "fieldservice_install.tracking_message_page",
            {"title": title, "message": message},
            status,
        )

    def _order_or_reply(self, token):
        """(order, None) for a usable token, else (None, error response)."""
        order = request.env["fsm.order"]._tracking_from_token(token)
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

    def _page(self, order, token, error=None, values=None, status=200):
        rating = order.rating_ids[:1].sudo()
        person = order.person_id.sudo()
        return self._render(
            "fieldservice_install.tracking_page",
            {
                "order": order,
                "token": token,
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
        "/install/track/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        website=True,
    )
    def track(self, token, **kw):
        order, reply = self._order_or_reply(token)
        if reply:
            return reply
        return self._page(order, token)

    @http.route(
        "/install/track/<string:token>/reschedule",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        website=True,
    )
    def reschedule(self, token, wanted_date=None, note=None, **kw):
        order, reply = self._order_or_reply(token)
        if reply:
            return reply
        try:
            order._tracking_request_reschedule(wanted_date, note)
        except UserError as err:
            return self._page(
                order,
                token,
                error=err.args[0],
                values={"wanted_date": wanted_date or "", "note": note or ""},
                status=400,
            )
        return redirect(f"/install/track/{token}?rescheduled=1", code=303)
