# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the public verification page shows of a code: its GS1 Digital Link,
its QR code, the public facts of the unit, and the clone alert raised by
its scans."""

import base64
import io

from odoo import api, fields, models

from odoo.addons.fieldservice_install.tools.responsible import responsible_user
from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import gs1
from ..tools import MANAGER

try:
    import qrcode
except ImportError:  # pragma: no cover - listed in external_dependencies
    qrcode = None


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyCode(models.Model):
    _inherit = "warranty.code"

    gtin = fields.Char(
        string="GTIN",
        compute="_compute_verify_url",
        help="The product barcode as a 14-digit GTIN.",
    )
    verify_url = fields.Char(
        string="Verification URL",
        compute="_compute_verify_url",
        help="GS1 Digital Link printed in the QR code of the unit.",
    )
    qr_image = fields.Binary(string="QR Code", compute="_compute_qr_image")

    @api.depends("code", "serial", "product_id.barcode", "company_id.website")
    def _compute_verify_url(self):
        for record in self:
            gtin = gs1.gtin14(record.product_id.barcode)
            record.gtin = gtin or False
            record.verify_url = (
                record.code
                and gtin
                and gs1.digital_link(
                    self._base_url(record.company_id),
                    gtin,
                    record.serial,
                    record.code,
                )
                or False
            )

    @api.depends("verify_url")
    def _compute_qr_image(self):
        for record in self:
            record.qr_image = (
                record.verify_url and qrcode and self._qr_png(record.verify_url)
            ) or False

    @api.model
    def _qr_png(self, data):
        """Base64 PNG of a QR code encoding ``data``."""
        image = qrcode.make(data, box_size=4, border=2)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue())

    @api.model
    def _base_url(self, company):
        """Base URL of the verification links: the company's website, else
        this server's."""
        return gs1.base_url(
            company.website
            or self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        )

    def _flag_cloned(self, places):
        """Flag the code as possibly cloned (scanned in ``places``, a set of
        (country, city)): a chatter note and a to-do for who follows the
        code up."""
        self.ensure_one()
        code = self.sudo()
        with server_owned_writes():
            code.possibly_cloned = True
        where = ", ".join(
            sorted(
                f"{city}, {country}" if city else country for country, city in places
            )
        )
        note = self.env._(
            "Scanned in very different places within %(hours)s hours: %(places)s. "
            "The label may have been copied.",
            hours=f"{self.env['warranty.code.scan']._clone_window():g}",
            places=where,
        )
        code.message_post(body=note, subtype_xmlid="mail.mt_note")
        code.activity_schedule(
            "mail.mail_activity_data_todo", **code._prepare_clone_activity_vals(note)
        )

    def _prepare_clone_activity_vals(self, note):
        """The to-do of a possibly cloned code (``activity_schedule``'s
        values): for the batch's responsible, else the code's creator, else a
        warranty manager of the company."""
        self.ensure_one()
        return {
            "summary": self.env._("Possibly cloned warranty code"),
            "note": note,
            "user_id": responsible_user(
                self.env,
                self.company_id,
                self.batch_id.user_id,
                self.create_uid,
                group=MANAGER,
            ).id,
        }

    def _public_info(self):
        """What anybody holding the code may see: no personal data.

        The public page (HTML and JSON) shows this dict. Extensions may add
        ``"installed"`` (bool) and ``"coverage"``: a list of
        ``{"name": str, "end_date": "YYYY-MM-DD"}``, both rendered by the
        page template; any other key is only in the JSON answer. Read only
        what is shown (``fetch`` the columns): the page must stay fast.
        """
        self.ensure_one()
        # the public page reads only these columns (not whole records)
        self.fetch(["serial", "activation_date"])
        self.product_id.fetch(["barcode", "product_tmpl_id"])
        self.product_id.product_tmpl_id.fetch(["name"])
        self.company_id.fetch(["name"])
        return {
            "code": self.code,
            "product": self.product_id.product_tmpl_id.name,
            "gtin": gs1.gtin14(self.product_id.barcode) or None,
            "serial": self.serial,
            "brand": self.company_id.name,
            "state": self.state,
            "valid": self.state != "revoked",
            "activation_date": self.activation_date
            and fields.Date.to_string(self.activation_date)
            or None,
        }
