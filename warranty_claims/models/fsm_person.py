# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class FsmPerson(models.Model):
    _inherit = "fsm.person"

    def _warranty_is_authorised(self, product, day):
        """Whether this technician may install ``product`` on ``day``.

        Products of a category (or parent) requiring a certification need a
        certification valid on ``day`` for that category or one of its
        parents; other products may be installed by anyone. No technician at
        all is never authorised.
        """
        self.ensure_one()
        categ = product.categ_id
        chain = categ.browse(
            [int(c) for c in (categ.parent_path or "").split("/") if c]
        )
        if not any(chain.mapped("install_certification_required")):
            return True
        return any(
            cert.product_category_id in chain and cert.is_valid_on(day)
            for cert in self.certification_ids
        )
