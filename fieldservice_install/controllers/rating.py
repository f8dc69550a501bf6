# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request


def token_page(template, values, status=200):
    """A page of a secret link: not cached, and the link not sent on as a
    referrer."""
    html = request.env["ir.qweb"]._render(template, values)
    return request.make_response(
        html,
        headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("Referrer-Policy", "no-referrer"),
        ],
        status=status,
    )


class InstallRatingController(http.Controller):
    """Tokenised rating link of a completed job (no login needed).

    GET shows the rating page; POST ``value`` (1-5) and ``comment`` records
    the rating once. The HTML form carries a CSRF token, checked here: the
    route itself accepts POSTs without one only for ``?format=json``
    (machine clients holding the secret link), which answers in JSON.
    Links expire with the order's tracking link.
    """

    def _rating(self, token):
        if not token or len(token) > 64 or "\x00" in token:
            return None
        rating = (
            request.env["fsm.order.rating"]
            .sudo()
            .search([("token", "=", token)], limit=1)
        )
        if rating and rating.order_id._tracking_expired():
            return False
        return rating

    def _reply(self, status, title, message, as_json, extra=None, rating=None):
        if as_json:
            payload = {"status": status, "message": message, **(extra or {})}
            return request.make_json_response(payload, status=status)
        order = rating.order_id if rating else None
        return token_page(
            "fieldservice_install.rating_page",
            {
                "title": title,
                "message": message,
                "status": status,
                "rating": rating,
                "order": order,
                "person": order.person_id.sudo() if order else None,
                "show_form": bool(rating and not rating.value),
                "track_url": order
                and order.tracking_token
                and f"/install/track/{order.tracking_token}",
                "token": rating.token if rating else "",
            },
            status,
        )

    @http.route(
        "/install/rate/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        sitemap=False,
        website=True,
    )
    def rate(self, token, value=None, comment=None, format=None, **kw):
        as_json = format == "json"
        rating = self._rating(token)
        if rating is False:
            return self._reply(
                410,
                request.env._("Link expired"),
                request.env._("This rating link has expired. Thank you anyway!"),
                as_json,
            )
        if not rating:
            return self._reply(
                404,
                request.env._("Not found"),
                request.env._("Unknown rating link."),
                as_json,
            )
        title = rating.order_id.name
        if request.httprequest.method == "POST":
            if not as_json and not request.validate_csrf(kw.get("csrf_token")):
                return self._reply(
                    400,
                    title,
                    request.env._(
                        "This form has expired: reload the page and send it again."
                    ),
                    as_json,
                    rating=rating,
                )
            try:
                rating._rate(value, comment)
            except UserError as err:
                status = 409 if rating.value else 400
                return self._reply(status, title, err.args[0], as_json, rating=rating)
            return self._reply(
                200,
                title,
                request.env._("Thank you for your rating!"),
                as_json,
                {"value": rating.value},
                rating=rating,
            )
        if rating.value:
            return self._reply(
                200,
                title,
                request.env._("This job was already rated. Thank you!"),
                as_json,
                {"value": rating.value},
                rating=rating,
            )
        return self._reply(
            200,
            title,
            request.env._(
                "How was the installation by %s?", rating.order_id.person_id.name or "-"
            ),
            as_json,
            {"order": rating.order_id.name},
            rating=rating,
        )
