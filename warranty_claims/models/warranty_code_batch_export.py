# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The codes of a generated batch exported for the label printer."""

import io

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..tools import MANAGER, check_group


class WarrantyCodeBatch(models.Model):
    _inherit = "warranty.code.batch"  # pylint: disable=consider-merging-classes-inherited

    def action_export_csv(self):
        """CSV for the label printer: code, serial, GTIN, URL (one row per
        unit), attached to the batch and downloaded."""
        check_group(self, MANAGER, self.env._("Exporting the codes of a batch"))
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                self.env._("Export the codes once the batch is fully generated.")
            )
        self.env.flush_all()
        base = self.env["warranty.code"]._base_url(self.company_id)
        buffer = io.BytesIO()
        query = SQL(
            """COPY (
                   SELECT c.code, c.serial, %(gtin)s AS gtin,
                          %(base)s || '/w/01/' || %(gtin)s || '/21/' || c.serial
                          || '?c=' || c.code AS url
                     FROM warranty_code c
                    WHERE c.batch_id = %(batch)s
                 ORDER BY c.serial
               ) TO STDOUT WITH (FORMAT csv, HEADER)""",
            gtin=self.gtin,
            base=base,
            batch=self.id,
        )
        self.env.cr.copy_expert(self.env.cr.mogrify(query.code, query.params), buffer)
        attachment = self.env["ir.attachment"].create(
            self._prepare_export_attachment_vals(buffer.getvalue())
        )
        self.export_attachment_id.unlink()
        with server_owned_writes():
            self.export_attachment_id = attachment
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _prepare_export_attachment_vals(self, data):
        """The CSV file of the batch's codes (``data``, bytes), attached to it."""
        self.ensure_one()
        return {
            "name": f"{self.name.replace('/', '-')}-codes.csv",
            "raw": data,
            "mimetype": "text/csv",
            "res_model": self._name,
            "res_id": self.id,
        }
