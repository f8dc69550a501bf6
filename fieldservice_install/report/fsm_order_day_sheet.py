# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models


class ReportFsmOrderDaySheet(models.AbstractModel):
    """The technicians' day sheets: the chosen orders grouped by technician
    and planned day (in the technician's time zone), in planned order."""

    _name = "report.fieldservice_install.report_day_sheet"
    _description = "Technician Day Sheet"

    @api.model
    def _tz(self, person, company):
        """The technician's time zone, else the company's, else the user's."""
        return (
            person.partner_id.tz or company.partner_id.tz or self.env.user.tz or "UTC"
        )

    @api.model
    def _get_report_values(self, docids, data=None):
        orders = self.env["fsm.order"].browse(docids).exists()
        groups = defaultdict(lambda: self.env["fsm.order"])
        for order in orders:
            start = order.scheduled_date_start
            tz = self._tz(order.person_id, order.company_id)
            day = (
                fields.Datetime.context_timestamp(
                    order.with_context(tz=tz), start
                ).date()
                if start
                else False
            )
            groups[(order.person_id, day)] |= order
        sheets = [
            {
                "person": person,
                "day": day,
                "tz": self._tz(person, group[:1].company_id),
                "orders": group.sorted(
                    lambda o: (o.scheduled_date_start or fields.Datetime.now(), o.id)
                ),
            }
            for (person, day), group in sorted(
                groups.items(),
                key=lambda kv: (kv[0][0].name or "", kv[0][1] or fields.Date.today()),
            )
        ]
        return {
            "doc_ids": orders.ids,
            "doc_model": "fsm.order",
            "docs": orders,
            "sheets": sheets,
        }
