# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every form and secret link of the installation pages does first.

Forms: a form field sent as a file part (``multipart/form-data`` with a file
name) reaches a route as a file object where the code expects text; Odoo's
own CSRF check fails on it with a server error. The routes that take forms
therefore check their CSRF token themselves (``csrf=False`` on the route)
with :func:`form_ok`, which also refuses the file parts they do not expect.
Odoo's check also fails with a server error on a token that is not ASCII (it
compares with :func:`hmac.compare_digest`). A refused form shows
:func:`~odoo.addons.fieldservice_install.tools.public_input.bad_form_message`.

Secret links (the customer's tracking and rating pages): the record is found
by :func:`secret_record` and the page answered by :func:`token_page`.
"""

from odoo.http import request
from odoo.tools import consteq

# a secret is made by secrets.token_urlsafe(24): 32 characters
SECRET_MAX_LENGTH = 64


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


def form_ok(allowed_files=(), check_csrf=True):
    """Whether the posted form can be read: no file part but
    ``allowed_files``, and (unless ``check_csrf`` is false) a valid CSRF
    token."""
    if unexpected_files(allowed_files):
        return False
    return not check_csrf or csrf_ok()


def _valid_secret(token):
    """Whether ``token`` can be a secret of a link at all (text, not too
    long, no NUL character, which PostgreSQL refuses)."""
    return (
        isinstance(token, str)
        and 0 < len(token) <= SECRET_MAX_LENGTH
        and "\x00" not in token
    )


def secret_record(model, record_id, token):
    """The record of ``model`` (sudo) a secret link opens, or an empty
    recordset.

    ``record_id`` and ``token``: the link ``<path>/<id>?access_token=<secret>``
    (the record's portal link; the secret compared in constant time). Without
    ``record_id``: the links sent before, which carried the secret in their
    path, looked up by it.
    """
    records = model.sudo()
    if not _valid_secret(token):
        return records.browse()
    if not record_id:
        return records.search([("access_token", "=", token)], limit=1)
    record = records.browse(record_id).exists()
    # compared as bytes: a text that is not ASCII would raise
    if record.access_token and consteq(
        record.access_token.encode(), token.encode(errors="replace")
    ):
        return record
    return records.browse()


def token_page(template, values, status=200, headers=()):
    """A page of a secret link (or of a unit's code): not cached, and the
    link not sent on as a referrer; ``headers``: more of them."""
    html = request.env["ir.qweb"]._render(template, values)
    return request.make_response(
        html,
        headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("Referrer-Policy", "no-referrer"),
            *headers,
        ],
        status=status,
    )
