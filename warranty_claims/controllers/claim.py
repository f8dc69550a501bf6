# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from markupsafe import Markup, escape

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><meta name="viewport"
content="width=device-width, initial-scale=1"/><title>%(title)s</title></head>
<body style="font-family: sans-serif; max-width: 34em; margin: 2em auto;">
<h1>%(title)s</h1>%(body)s</body></html>"""

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_TEXT = {"description": 5000, "reporter_name": 128, "reporter_phone": 32}


class WarrantyClaimController(http.Controller):
    """Public claim form of a unit, linked from its verification page.

    GET ``/warranty/claim/<code>`` shows the form; POST (CSRF token
    required) records the claim, submits it (the verdict is computed) and
    answers with its number. Everything typed is stored as plain text and
    shown escaped.
    """

    def _reply(self, status, title, body):
        html = PAGE % {"title": escape(title), "body": body}
        return request.make_response(
            html, headers=[("Content-Type", "text/html; charset=utf-8")], status=status
        )

    def _form(self, code, values=None, error=None):
        values = values or {}
        faults = request.env["warranty.fault"].sudo().search([])
        options = Markup("").join(
            Markup('<option value="%s"%s>%s</option>')
            % (
                fault.id,
                Markup(" selected") if str(fault.id) == values.get("fault_id") else "",
                fault.name,
            )
            for fault in faults
        )
        lot = code.lot_id
        body = Markup("")
        if error:
            body += Markup('<p style="color: #a00;">%s</p>') % error
        body += Markup(
            "<p>%s</p>"
            '<form method="post" enctype="multipart/form-data">'
            '<input type="hidden" name="csrf_token" value="%s"/>'
            '<p><label>%s<br/><select name="fault_id" required="required">'
            "%s</select></label></p>"
            '<p><label>%s<br/><textarea name="description" rows="5" '
            'style="width:100%%" maxlength="5000">%s</textarea></label></p>'
            '<p><label>%s<br/><input type="file" name="photos" accept="image/*" '
            'multiple="multiple"/></label></p>'
            '<p><label>%s<br/><input name="reporter_name" required="required" '
            'maxlength="128" value="%s"/></label></p>'
            '<p><label>%s<br/><input name="reporter_phone" required="required" '
            'maxlength="32" value="%s"/></label></p>'
            '<button type="submit">%s</button></form>'
        ) % (
            f"{lot.product_id.display_name} — {lot.name}",
            request.csrf_token(),
            request.env._("Fault"),
            options,
            request.env._("What happens?"),
            values.get("description", ""),
            request.env._("Photos"),
            request.env._("Your name"),
            values.get("reporter_name", ""),
            request.env._("Your phone"),
            values.get("reporter_phone", ""),
            request.env._("Send the claim"),
        )
        return body

    def _code(self, code):
        """The code record, or the message to show."""
        if not code or len(code) > 64:
            return None, request.env._("Unknown warranty code.")
        try:
            record = request.env["warranty.code"].sudo()._lookup(code)
        except UserError as exc:
            return None, str(exc.args[0])
        return record, None

    @http.route(
        "/warranty/claim/<string:code>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def claim(self, code, **post):
        title = request.env._("Warranty Claim")
        record, error = self._code(code)
        if not record:
            return self._reply(404, title, Markup("<p>%s</p>") % error)
        if request.httprequest.method != "POST":
            return self._reply(200, title, self._form(record))
        values = {
            key: (post.get(key) or "").replace("\x00", "").strip()[:limit]
            for key, limit in MAX_TEXT.items()
        }
        values["fault_id"] = post.get("fault_id") or ""
        fault = (
            request.env["warranty.fault"]
            .sudo()
            .browse(int(values["fault_id"]) if values["fault_id"].isdigit() else [])
            .exists()
        )
        if not fault or not values["reporter_name"] or not values["reporter_phone"]:
            return self._reply(
                400,
                title,
                self._form(
                    record,
                    values,
                    request.env._("Choose the fault and give your name and phone."),
                ),
            )
        photos = request.httprequest.files.getlist("photos")[:MAX_PHOTOS]
        claim_model = request.env["warranty.claim"].sudo()
        try:
            with request.env.cr.savepoint():
                claim = claim_model.create(
                    {
                        "source": "web",
                        "code_id": record.id,
                        "lot_id": record.lot_id.id,
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
            return self._reply(409, title, self._form(record, values, str(exc.args[0])))
        return self._reply(
            200,
            title,
            Markup("<p>%s</p>")
            % request.env._(
                "Thank you: your claim %s is recorded. We will call you.", claim.name
            ),
        )

    def _attachments(self, claim, photos):
        vals_list = []
        for photo in photos:
            data = photo.read(MAX_PHOTO_BYTES + 1)
            if not data or len(data) > MAX_PHOTO_BYTES:
                continue
            if not (photo.mimetype or "").startswith("image/"):
                continue
            vals_list.append(
                {
                    "name": (photo.filename or "photo")[:128],
                    "datas": base64.b64encode(data),
                    "res_model": "warranty.claim",
                    "res_id": claim.id,
                }
            )
        return request.env["ir.attachment"].sudo().create(vals_list)
