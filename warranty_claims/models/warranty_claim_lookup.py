# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Finding the unit a claim is about: a warranty code or a serial number typed
in the backend, on the code page or in an email."""

import re

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Domain

TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{3,127}")


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyClaim(models.Model):
    _inherit = "warranty.claim"

    # ------------------------------------------------------------------
    # Unit lookup (backend, code page, email)
    # ------------------------------------------------------------------
    @api.model
    def _find_unit(self, text, company=None, allow_revoked=False):
        """``(code, lot)`` for a warranty code or a serial number ``text``.

        A code is checked (format, signature, revocation): a ``UserError``
        says why it is refused. A serial is found as such (a lot, or the
        serial of a printed code whose unit has no lot yet); its unit's code
        must not be revoked either (unless ``allow_revoked``). The lot of a
        valid code is made when the unit has none yet (it materialises with
        its first claim); a revoked code may come with no lot.
        """
        text = (text or "").strip()
        if not text:
            raise UserError(self.env._("Enter the warranty code or the serial number."))
        code_model = self.env["warranty.code"].sudo()
        lot_domain = Domain("name", "=", text)
        if company:
            lot_domain &= Domain("company_id", "in", (company.id, False))
        lot = self.env["stock.lot"].sudo().search(lot_domain, limit=1)
        if lot:
            codes = code_model.search([("lot_id", "=", lot.id)], order="id desc")
            code = codes.filtered(lambda c: c.state != "revoked")[:1] or codes[:1]
            if code.state == "revoked" and not allow_revoked:
                raise code_model._code_error("revoked")
            return code, lot
        code_domain = Domain("serial", "=", text) & Domain("lot_id", "=", False)
        if company:
            code_domain &= Domain("company_id", "=", company.id)
        codes = code_model.search(code_domain, order="id desc")
        code = codes.filtered(lambda c: c.state != "revoked")[:1] or codes[:1]
        if not code:
            code = code_model._lookup(
                text, company=company, allow_revoked=allow_revoked
            )
        if code.state == "revoked":
            if not allow_revoked:
                raise code_model._code_error("revoked")
            return code, code.lot_id
        return code, code._ensure_lots()

    @api.model
    def _find_unit_in_text(self, *texts):
        """The first code or serial found in ``texts`` (email subject, body):
        ``(code, lot, error)``, the error when only a revoked unit was found."""
        error = None
        seen = set()
        for text in texts:
            for token in TOKEN_RE.findall(text or "")[:200]:
                token = token.rstrip("._-")
                if token in seen:
                    continue
                seen.add(token)
                try:
                    code, lot = self._find_unit(token, allow_revoked=True)
                except UserError:
                    continue
                if code.state == "revoked":
                    error = code._code_error("revoked").args[0]
                    continue
                if lot:
                    return code, lot, None
        return self.env["warranty.code"], self.env["stock.lot"], error
