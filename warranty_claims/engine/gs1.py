# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""GTINs and GS1 Digital Link URLs of warranty codes.

No ORM here. In: a product barcode (text), a base URL, a serial number and a
warranty code. Out: the GTIN as 14 digits (:func:`gtin14`, ``None`` when the
barcode is not a GTIN-8/12/13/14 with a right GS1 check digit) and the URL
``<base>/w/01/<GTIN-14>/21/<serial>?c=<code>`` (:func:`digital_link`) printed
in the QR code of each unit.
"""

import re

_SERIAL = re.compile(r"[A-Za-z0-9._-]{1,20}")


def check_digit(digits):
    """The GS1 check digit of ``digits`` (the GTIN without its last digit)."""
    total = sum(
        int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits))
    )
    return str((10 - total % 10) % 10)


def gtin14(barcode):
    """``barcode`` as a 14-digit GTIN, or ``None`` when it is not a GTIN."""
    barcode = (barcode or "").strip()
    if len(barcode) not in (8, 12, 13, 14) or not barcode.isascii():
        return None
    if not barcode.isdigit() or check_digit(barcode[:-1]) != barcode[-1]:
        return None
    return barcode.zfill(14)


def valid_serial(serial):
    """Whether ``serial`` fits a GS1 AI (21) URL path without escaping
    (1-20 letters, digits, ``.``, ``_`` or ``-``)."""
    return bool(serial and _SERIAL.fullmatch(serial))


def base_url(website):
    """``website`` as an ``https://`` base URL without a trailing slash."""
    website = (website or "").strip().rstrip("/")
    if not website:
        return ""
    if "://" not in website:
        website = "https://" + website
    return website


def digital_link(base, gtin, serial, code):
    """The GS1 Digital Link URL of one unit and its warranty code."""
    return f"{base}/w/01/{gtin}/21/{serial}?c={code}"
