# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class FsmDaySheetWizard(models.TransientModel):
    """Print the day sheets of technicians for one day: their orders planned
    that day (in each technician's time zone), not cancelled."""

    _name = "fsm.day.sheet.wizard"
    _description = "Print Technician Day Sheets"

    person_ids = fields.Many2many(
        "fsm.person",
        string="Technicians",
        required=True,
        default=lambda self: self._default_person_ids(),
    )
    date = fields.Date(required=True, default=fields.Date.context_today)

    @api.model
    def _default_person_ids(self):
        if self.env.context.get("active_model") == "fsm.person":
            return self.env["fsm.person"].browse(self.env.context.get("active_ids"))
        return self.env["fsm.person"]

    def _orders(self):
        """The orders on the day sheets, in one query."""
        self.ensure_one()
        report = self.env["report.fieldservice_install.report_day_sheet"]
        cancelled = self.env.ref("fieldservice.fsm_stage_cancelled")
        domain = Domain.FALSE
        for person in self.person_ids:
            tz = pytz.timezone(report._tz(person, self.env.company))
            start = tz.localize(datetime.combine(self.date, time.min))
            start = start.astimezone(pytz.utc).replace(tzinfo=None)
            domain |= (
                Domain("person_id", "=", person.id)
                & Domain("scheduled_date_start", ">=", start)
                & Domain("scheduled_date_start", "<", start + timedelta(days=1))
            )
        return self.env["fsm.order"].search(
            domain & Domain("stage_id", "!=", cancelled.id),
            order="person_id, scheduled_date_start",
        )

    def action_print(self):
        self.ensure_one()
        # dispatchers' wizard (access rights): checked before reading orders
        self.check_access("write")
        orders = self._orders()
        if not orders:
            raise UserError(
                self.env._(
                    "%(technicians)s have no order planned on %(date)s.",
                    technicians=", ".join(self.person_ids.mapped("name")),
                    date=fields.Date.to_string(self.date),
                )
            )
        return self.env.ref(
            "fieldservice_install.fsm_order_report_day_sheet"
        ).report_action(orders)
