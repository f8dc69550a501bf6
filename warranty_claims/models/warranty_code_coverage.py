# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from odoo.addons.fieldservice_install.tools.selection import selection_labels


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyCode(models.Model):
    """The unit's warranty coverage on its public verification page."""

    _inherit = "warranty.code"

    registration_ids = fields.One2many(
        "warranty.registration", "code_id", string="Registrations"
    )

    def _public_info(self):
        """Adds whether the unit is installed, its coverage end dates per
        cost class and the link to the claim form (still no personal data)."""
        info = super()._public_info()
        # one query, only the columns shown: the public page must stay fast
        # a unit without lot yet (never received nor registered) has none
        registration = (
            self.env["warranty.registration"]
            .sudo()
            .search_fetch(
                [("lot_id", "in", self.lot_id.ids)],
                [
                    "install_date",
                    "start_date",
                    "end_date_unit",
                    "end_date_parts",
                    "end_date_labour",
                    "end_date_travel",
                ],
                limit=1,
            )
        )
        labels = selection_labels(self.env["warranty.policy.line"], "cost_class")
        coverage = []
        if registration:
            for cost_class, end in (
                ("unit", registration.end_date_unit),
                ("parts", registration.end_date_parts),
                ("labour", registration.end_date_labour),
                ("travel", registration.end_date_travel),
            ):
                if end:
                    coverage.append(
                        {
                            "class": cost_class,
                            "name": labels[cost_class],
                            "end_date": fields.Date.to_string(end),
                        }
                    )
        info.update(
            installed=bool(registration.install_date),
            install_date=fields.Date.to_string(registration.install_date)
            if registration.install_date
            else None,
            warranty_start=fields.Date.to_string(registration.start_date)
            if registration.start_date
            else None,
            coverage=coverage,
            claim_url=f"/warranty/claim/{self.code}"
            if self.state != "revoked"
            else None,
        )
        return info
