# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.http import request

from odoo.addons.fieldservice_install.tools.public_input import text_param

from .public_code import PublicCode

STATUS = {
    "rate_limited": 429,
    "malformed": 400,
    "typo": 400,
    "forged": 404,
    "unknown": 404,
    "mismatch": 404,
}


class WarrantyVerifyController(PublicCode, http.Controller):
    """Public verification of a warranty code (no login, no personal data).

    ``GET /warranty/verify/<code>`` and the GS1 Digital Link printed in the
    QR code, ``GET /w/01/<gtin>/21/<serial>?c=<code>``, show the product,
    serial, validity and what the code's ``_public_info`` adds; append
    ``?format=json`` (``&format=json``) for JSON. Every request is logged in
    ``warranty.code.scan`` (one INSERT) and limited per network of the
    client (``warranty_claims.verify_rate_limit`` requests per minute from
    one IPv4 /24 or IPv6 /48, 429 beyond), a limit the claim form shares.

    The routes are not multilingual (``multilang=False``): a code or a
    serial is no page slug, and the website's canonical-URL redirection
    decodes the path twice (``AB%2500`` redirected to itself forever).
    """

    @http.route(
        "/warranty/verify/<string:code>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        sitemap=False,
        website=True,
        multilang=False,
    )
    def verify(self, code, format=None, **kw):
        return self._verify(code, text_param(format) == "json")

    @http.route(
        "/w/01/<string:gtin>/21/<string:serial>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        sitemap=False,
        website=True,
        multilang=False,
    )
    def digital_link(self, gtin, serial, c=None, format=None, **kw):
        return self._verify(
            "" if c is None else c,
            text_param(format) == "json",
            gtin=gtin,
            serial=serial,
        )

    def _verify(self, text, as_json, gtin=None, serial=None):
        code, error = self._public_code(text, gtin=gtin, serial=serial)
        if error and error.kind == "rate_limited":
            return self._reply(
                429,
                request.env._("Too many requests"),
                error.args[0],
                as_json,
                headers=[("Retry-After", "60")],
            )
        if error:
            return self._reply(
                STATUS.get(error.kind, 400),
                request.env._("Warranty code not valid"),
                error.args[0],
                as_json,
            )
        info = code._public_info()
        if as_json:
            return request.make_json_response(info, status=200)
        html = request.env["ir.qweb"]._render(
            "warranty_claims.warranty_code_verify_page",
            {"info": info, "title": request.env._("Warranty verification")},
        )
        return request.make_response(
            html, headers=[("Content-Type", "text/html; charset=utf-8")]
        )

    def _reply(self, status, title, message, as_json, headers=None):
        if as_json:
            response = request.make_json_response(
                {"status": status, "error": message}, status=status
            )
            for key, value in headers or []:
                response.headers[key] = value
            return response
        html = request.env["ir.qweb"]._render(
            "warranty_claims.warranty_code_verify_page",
            {"info": None, "title": title, "message": message},
        )
        return request.make_response(
            html,
            headers=[("Content-Type", "text/html; charset=utf-8"), *(headers or [])],
            status=status,
        )
