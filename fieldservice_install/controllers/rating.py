# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..tools.public_input import bad_form_message
from .forms import form_ok, secret_record, token_page


class InstallRatingController(http.Controller):
    """Tokenised rating link of a completed job (no login needed).

    ``/install/rate/<id>?access_token=<secret>`` (the rating's portal link;
    links sent before carried the secret in their path,
    ``/install/rate/<secret>``, and still work): GET shows the rating page;
    POST ``value`` (1-5) and ``comment`` records the rating once. The HTML
    form carries a CSRF token, checked here: the route itself accepts POSTs
    without one only for ``?format=json`` (machine clients holding the
    secret link), which answers in JSON. The job's technician is refused,
    even with the link. Links expire with the order's tracking link.
    """

    def _usable(self, rating):
        """The rating, ``None`` when unknown, ``False`` when expired."""
        if not rating:
            return None
        if rating.order_id._tracking_expired():
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
                "track_url": order and order.get_portal_url(),
            },
            status,
        )

    @http.route(
        [
            "/install/rate/<install_int:rating_id>",
            "/install/rate/<string:token>",
        ],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        sitemap=False,
        website=True,
        multilang=False,
    )
    def rate_link(self, rating_id=None, token=None, access_token=None, **kw):
        rating = secret_record(
            request.env["fsm.order.rating"],
            rating_id,
            access_token if rating_id else token,
        )
        return self._rate(rating, kw)

    def _rate(self, rating, params):
        """The page of ``rating`` (sudo, or empty for an unknown link) for the
        request's ``params`` (``value``, ``comment``, ``format``)."""
        as_json = params.get("format") == "json"
        rating = self._usable(rating)
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
            if not form_ok(check_csrf=not as_json):
                return self._reply(
                    400, title, bad_form_message(request.env), as_json, rating=rating
                )
            try:
                with request.env.cr.savepoint():
                    rating._rate(params.get("value"), params.get("comment"))
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
