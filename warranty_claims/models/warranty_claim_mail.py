# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Claims sent by email to the claims alias."""

from odoo import api, models, tools

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..tools import OFFICER, check_group


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyClaim(models.Model):
    _inherit = "warranty.claim"

    # ------------------------------------------------------------------
    # Email
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim from an email to the claims alias: the code or serial is
        read from the subject, else the body."""
        check_group(self, OFFICER, self.env._("Recording a claim from an email"))
        # the caller's values may not name a server-owned field
        self._server_owned_check(custom_values or {})
        subject = msg_dict.get("subject") or ""
        body = tools.html2plaintext(msg_dict.get("body") or "")
        code, lot, error = self._find_unit_in_text(subject, body)
        name, email = tools.parse_contact_from_email(msg_dict.get("email_from") or "")
        partner = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        values = {
            # the claim number, not the subject (mail.thread's default name)
            "name": "/",
            "source": "email",
            "description": body[:10000],
            "reporter_name": name or email,
            "reporter_email": email,
            "code_id": code.id,
            "lot_id": lot.id,
            "user_id": False,
            **(custom_values or {}),
        }
        if lot and lot.company_id:
            values.setdefault("company_id", lot.company_id.id)
        if partner and not values.get("partner_id"):
            values["partner_id"] = partner.id
        if error:
            values.update(state="refused", refusal_reason=error)
        with server_owned_writes():
            claim = super().message_new(msg_dict, custom_values=values)
        if not lot and not error:
            claim.message_post(
                body=self.env._(
                    "No warranty code or serial number was recognised in the "
                    "email: ask the customer for it."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return claim
