# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the public warranty pages share: reading what a visitor sent, and
the validity question of a code (rate limit per network, one scan logged).

Everything a visitor sends is untrusted: a query or form value may be a file
part, a NUL, unicode digits, a huge text. :func:`text_param` turns a value
into plain text or ``None``; :func:`id_param` into a database id or ``None``
(both shared by the suite's addons, in ``fieldservice_install.tools``).
"""

import logging

from odoo.http import request

from odoo.addons.fieldservice_install.tools.public_input import text_param

from ..engine import gs1
from ..models.warranty_code import WarrantyCodeError

_logger = logging.getLogger(__name__)


class PublicCode:
    """Mixed into the controllers of the public pages that answer whether a
    code is valid (verification, digital link, claim form): they share the
    rate limit and the scan log."""

    def _place(self):
        """Coarse location of the request (GeoIP country and city), if known."""
        try:
            geoip = request.geoip
            return {"country": geoip.country_code, "city": geoip.city.name}
        except Exception:  # no GeoIP database: no location
            _logger.debug("GeoIP lookup failed", exc_info=True)
            return {}

    def _public_code(self, text, gtin=None, serial=None):
        """The code record of ``text``, or the error: ``(code, None)`` or
        ``(None, error)``, ``error`` a :class:`WarrantyCodeError` whose
        ``kind`` is ``rate_limited``, ``malformed``, ``typo``, ``forged``,
        ``unknown`` or ``mismatch`` (``gtin`` and ``serial`` of a digital
        link that are not the code's). A revoked code is returned (its state
        says it). Every request but a rate-limited one logs one scan."""
        scans = request.env["warranty.code.scan"].sudo()
        ip = request.httprequest.remote_addr
        if scans._is_rate_limited(ip):
            return None, WarrantyCodeError(
                request.env._(
                    "Too many verifications from your network: please wait a "
                    "minute and try again."
                ),
                "rate_limited",
            )
        text = text_param(text)
        codes = request.env["warranty.code"].sudo()
        try:
            if text is None:
                raise codes._code_error("malformed")
            code = codes._lookup(text, allow_revoked=True)
            if gtin is not None and (
                not gs1.gtin14(gtin)
                or gs1.gtin14(gtin) != gs1.gtin14(code.product_id.barcode)
                or serial != code.serial
            ):
                raise WarrantyCodeError(
                    request.env._(
                        "This warranty code does not belong to this product and "
                        "serial number."
                    ),
                    "mismatch",
                )
        except WarrantyCodeError as err:
            scans._log(text or "", err.kind, ip=ip, **self._place())
            return None, err
        result = "revoked" if code.state == "revoked" else "valid"
        scans._log(text, result, code=code, ip=ip, **self._place())
        return code, None
