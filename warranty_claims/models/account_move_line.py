# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    warranty_claim_ids = fields.One2many(
        "warranty.claim",
        "brand_invoice_line_id",
        string="Warranty Claims Billed",
        groups="warranty_claims.group_warranty_user",
        help="The claim whose covered costs this line bills to the brand. "
        "Deleting the line or cancelling its invoice makes the claim billable "
        "again.",
    )
