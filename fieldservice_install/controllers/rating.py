# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import escape

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><meta name="viewport"
content="width=device-width, initial-scale=1"/><title>%(title)s</title></head>
<body style="font-family: sans-serif; max-width: 30em; margin: 2em auto;">
<h1>%(title)s</h1>%(body)s</body></html>"""


class InstallRatingController(http.Controller):
    """Tokenised rating link of a completed job (no login needed).

    GET shows the order and a form (the full page comes with the portals);
    POST ``value`` (1-5) and ``comment`` records the rating once.
    ``?format=json`` answers in JSON.
    """

    def _rating(self, token):
        if not token or len(token) > 64 or "\x00" in token:
            return None
        return (
            request.env["fsm.order.rating"]
            .sudo()
            .search([("token", "=", token)], limit=1)
        )

    def _reply(self, status, title, message, as_json, extra=None):
        if as_json:
            payload = {"status": status, "message": message, **(extra or {})}
            return request.make_json_response(payload, status=status)
        body = f"<p>{escape(message)}</p>"
        if extra and extra.get("form"):
            body += extra["form"]
        html = PAGE % {"title": escape(title), "body": body}
        return request.make_response(
            html, headers=[("Content-Type", "text/html; charset=utf-8")], status=status
        )

    @http.route(
        "/install/rate/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        sitemap=False,
    )
    def rate(self, token, value=None, comment=None, format=None, **kw):
        as_json = format == "json"
        rating = self._rating(token)
        if not rating:
            return self._reply(404, "Not found", "Unknown rating link.", as_json)
        order = rating.order_id
        title = order.name
        if request.httprequest.method == "POST":
            try:
                rating._rate(value, comment)
            except UserError as err:
                status = 409 if rating.value else 400
                return self._reply(status, title, str(err), as_json)
            return self._reply(
                200,
                title,
                "Thank you for your rating!",
                as_json,
                {"value": rating.value},
            )
        if rating.value:
            return self._reply(
                200,
                title,
                "This job was already rated. Thank you!",
                as_json,
                {"value": rating.value},
            )
        form = (
            '<form method="post">'
            + "".join(
                f'<label><input type="radio" name="value" value="{i}"/> {i}★</label> '
                for i in range(1, 6)
            )
            + '<p><textarea name="comment" rows="4" style="width:100%"></textarea></p>'
            + '<button type="submit">Send</button></form>'
        )
        return self._reply(
            200,
            title,
            f"How was the installation by {order.person_id.name or '-'}?",
            as_json,
            {"form": form} if not as_json else {"order": order.name},
        )
