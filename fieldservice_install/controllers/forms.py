# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Checks every form of the installation pages makes first.

A form field sent as a file part (``multipart/form-data`` with a file name)
reaches a route as a file object where the code expects text; Odoo's own
CSRF check fails on it with a server error. The routes that take forms
therefore check their CSRF token themselves (``csrf=False`` on the route)
with :func:`csrf_ok`, after :func:`unexpected_files` refused the file parts
they do not expect. Odoo's check also fails with a server error on a token
that is not ASCII (it compares with :func:`hmac.compare_digest`).
"""

from odoo.http import request


def unexpected_files(allowed=()):
    """Names of the file parts of the request other than ``allowed``."""
    return sorted(name for name in request.httprequest.files if name not in allowed)


def csrf_ok():
    """Whether the request's ``csrf_token`` field is text and valid."""
    token = request.params.get("csrf_token")
    return (
        isinstance(token, str)
        and bool(token)
        and token.isascii()
        and request.validate_csrf(token)
    )
