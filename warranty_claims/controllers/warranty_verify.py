# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from odoo import http
from odoo.http import request

from ..engine import gs1
from ..models.warranty_code import WarrantyCodeError

_logger = logging.getLogger(__name__)

STATUS = {
    "malformed": 400,
    "typo": 400,
    "forged": 404,
    "unknown": 404,
    "mismatch": 404,
}


class WarrantyVerifyController(http.Controller):
    """Public verification of a warranty code (no login, no personal data).

    ``GET /warranty/verify/<code>`` and the GS1 Digital Link printed in the
    QR code, ``GET /w/01/<gtin>/21/<serial>?c=<code>``, show the product,
    serial, validity and what the code's ``_public_info`` adds; append
    ``?format=json`` (``&format=json``) for JSON. Every request is logged in
    ``warranty.code.scan`` (one INSERT) and limited per IP address
    (``warranty_claims.verify_rate_limit`` requests per minute, 429 beyond).
    """

    @http.route(
        "/warranty/verify/<string:code>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        sitemap=False,
        website=True,
    )
    def verify(self, code, format=None, **kw):
        return self._verify(code, format == "json")

    @http.route(
        "/w/01/<string:gtin>/21/<string:serial>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        sitemap=False,
        website=True,
    )
    def digital_link(self, gtin, serial, c=None, format=None, **kw):
        return self._verify(c or "", format == "json", gtin=gtin, serial=serial)

    def _verify(self, text, as_json, gtin=None, serial=None):
        scans = request.env["warranty.code.scan"].sudo()
        ip = request.httprequest.remote_addr
        if scans._is_rate_limited(ip):
            return self._reply(
                429,
                request.env._("Too many requests"),
                request.env._(
                    "Too many verifications from your network: please wait a "
                    "minute and try again."
                ),
                as_json,
                headers=[("Retry-After", "60")],
            )
        codes = request.env["warranty.code"].sudo()
        try:
            code = codes._lookup(text, allow_revoked=True)
            info = code._public_info()
            if gtin is not None and (
                not gs1.gtin14(gtin)
                or gs1.gtin14(gtin) != info["gtin"]
                or serial != info["serial"]
            ):
                raise WarrantyCodeError(
                    request.env._(
                        "This warranty code does not belong to this product and "
                        "serial number."
                    ),
                    "mismatch",
                )
        except WarrantyCodeError as err:
            scans._log(text, err.kind, ip=ip, **self._place())
            return self._reply(
                STATUS.get(err.kind, 400),
                request.env._("Warranty code not valid"),
                err.args[0],
                as_json,
            )
        result = "revoked" if code.state == "revoked" else "valid"
        scans._log(text, result, code=code, ip=ip, **self._place())
        if as_json:
            return request.make_json_response(info, status=200)
        html = request.env["ir.qweb"]._render(
            "warranty_claims.warranty_code_verify_page",
            {"info": info, "title": request.env._("Warranty verification")},
        )
        return request.make_response(
            html, headers=[("Content-Type", "text/html; charset=utf-8")]
        )

    def _place(self):
        """Coarse location of the request (GeoIP country and city), if known."""
        try:
            geoip = request.geoip
            return {"country": geoip.country_code, "city": geoip.city.name}
        except Exception:  # no GeoIP database: no location
            _logger.debug("GeoIP lookup failed", exc_info=True)
            return {}

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
