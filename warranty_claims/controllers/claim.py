# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.fieldservice_install.controllers.forms import token_page
from odoo.addons.fieldservice_install.tools.public_input import (
    clean_text,
    id_param,
    text_param,
)
from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from .public_code import PublicCode

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_TEXT = {"description": 5000, "reporter_name": 128, "reporter_phone": 32}


class PhotoError(Exception):
    """An uploaded file that is refused; the message says why."""


class WarrantyClaimController(PublicCode, http.Controller):
    """Public claim form of a unit, linked from its verification page.

    GET ``/warranty/claim/<code>`` shows the form; POST (CSRF token
    required) records the claim, submits it (the verdict is computed) and
    answers with its number. Photos: at most ``MAX_PHOTOS`` JPEG, PNG or
    WebP pictures of ``MAX_PHOTO_BYTES`` each (the type is read from the
    content, not from the name); anything else is refused with a message
    and nothing is recorded. Everything typed is stored as plain text and
    shown escaped; a file sent where text is expected is refused.

    The page answers the verification page's question (is this code
    valid?): every request shares its rate limit per network and logs a
    scan. The CSRF token is checked here rather than by the route
    (``csrf=False``), so that a token sent as a file part is refused with
    a 400 instead of failing in the dispatcher; the route is not
    multilingual (see the verification controller).
    """

    def _reply(self, status, values, headers=()):
        values = {
            "code": None,
            "error": None,
            "claim_name": None,
            "values": {},
            "faults": request.env["warranty.fault"].sudo().search([]),
            "max_photos": MAX_PHOTOS,
            "max_mb": MAX_PHOTO_BYTES // (1024 * 1024),
            **values,
        }
        code = values["code"]
        if code:
            values["unit"] = f"{code.product_id.display_name} — {code.serial}"
        return token_page(
            "warranty_claims.warranty_claim_page", values, status, headers
        )

    @http.route(
        "/warranty/claim/<string:code>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        sitemap=False,
        website=True,
        multilang=False,
    )
    def claim(self, code, **post):
        record, error = self._public_code(code)
        if error and error.kind == "rate_limited":
            return self._reply(
                429, {"error": error.args[0]}, headers=[("Retry-After", "60")]
            )
        if error:
            return self._reply(404, {"error": error.args[0]})
        if record.state == "revoked":
            return self._reply(404, {"error": record._code_error("revoked").args[0]})
        if request.httprequest.method != "POST":
            return self._reply(200, {"code": record})
        token = text_param(post.pop("csrf_token", None))
        if not token or not request.validate_csrf(token):
            return self._reply(
                400,
                {
                    "error": request.env._(
                        "This form has expired: reload the page and send it again."
                    )
                },
            )
        texts = {
            key: text_param(post.get(key), limit) for key, limit in MAX_TEXT.items()
        }
        values = {key: (value or "").strip() for key, value in texts.items()}
        values["fault_id"] = text_param(post.get("fault_id"), 10) or ""
        form = {"code": record, "values": values}
        if any(value is None for key, value in texts.items() if key in post):
            return self._reply(
                400,
                {
                    **form,
                    "error": request.env._(
                        "Type the description, your name and your phone in the "
                        "form: they cannot be sent as files."
                    ),
                },
            )
        fault_id = id_param(post.get("fault_id"))
        fault = request.env["warranty.fault"].sudo().browse(fault_id or []).exists()
        if not fault or not values["reporter_name"] or not values["reporter_phone"]:
            return self._reply(
                400,
                {
                    **form,
                    "error": request.env._(
                        "Choose the fault and give your name and phone."
                    ),
                },
            )
        try:
            photos = self._read_photos(request.httprequest.files.getlist("photos"))
        except PhotoError as exc:
            return self._reply(400, {**form, "error": str(exc)})
        claim_model = request.env["warranty.claim"].sudo()
        try:
            with request.env.cr.savepoint():
                with server_owned_writes():
                    # the only owned field here is the source, set by this
                    # route; the unit's lot is made if it has none yet
                    claim = claim_model.create(
                        {
                            "source": "web",
                            "code_id": record.id,
                            "company_id": record.company_id.id,
                            "fault_id": fault.id,
                            "description": values["description"],
                            "reporter_name": values["reporter_name"],
                            "reporter_phone": values["reporter_phone"],
                            "report_date": fields.Date.context_today(claim_model),
                            "user_id": False,
                        }
                    )
                attachments = self._attachments(claim, photos)
                if attachments:
                    claim.attachment_ids = attachments
                claim.action_submit()
        except (UserError, ValidationError) as exc:
            return self._reply(409, {**form, "error": str(exc.args[0])})
        return self._reply(200, {"claim_name": claim.name})

    def _read_photos(self, files):
        """``[(name, bytes)]`` of the uploaded pictures, or ``PhotoError``."""
        files = [f for f in files if f and f.filename]
        if len(files) > MAX_PHOTOS:
            raise PhotoError(request.env._("Send at most %s photos.", MAX_PHOTOS))
        photos = []
        for upload in files:
            data = upload.read(MAX_PHOTO_BYTES + 1)
            name = clean_text(upload.filename, 128) or "photo"
            if len(data) > MAX_PHOTO_BYTES:
                raise PhotoError(
                    request.env._(
                        "%(name)s is too big: %(max)s MB at most per photo.",
                        name=name,
                        max=MAX_PHOTO_BYTES // (1024 * 1024),
                    )
                )
            if not data or guess_mimetype(data) not in PHOTO_TYPES:
                raise PhotoError(
                    request.env._(
                        "%s is not a picture: send JPEG, PNG or WebP photos.", name
                    )
                )
            photos.append((name, data))
        return photos

    def _attachments(self, claim, photos):
        return (
            request.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "datas": base64.b64encode(data),
                        "res_model": "warranty.claim",
                        "res_id": claim.id,
                    }
                    for name, data in photos
                ]
            )
        )
