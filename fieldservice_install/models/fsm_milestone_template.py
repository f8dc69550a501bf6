# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class FsmMilestoneTemplate(models.Model):
    """A step a technician logs, in sequence, on the orders of a type."""

    _name = "fsm.milestone.template"
    _description = "Field Service Milestone Template"
    _order = "order_type_id, sequence, id"

    order_type_id = fields.Many2one(
        "fsm.order.type",
        required=True,
        index=True,
        ondelete="cascade",
    )
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    require_gps = fields.Boolean(
        string="GPS Position", help="The technician's position is recorded."
    )
    require_photo = fields.Boolean(string="Photo", help="At least one picture.")
    require_serial = fields.Boolean(
        string="Serial Scan",
        help="Each serial number delivered for the order is scanned (one entry "
        "per serial). Orders without delivered serials need no scan.",
    )
    require_signature = fields.Boolean(
        string="Customer Signature", help="The customer signs on the device."
    )
    require_inspection = fields.Boolean(
        string="Inspection Result",
        help="Pass or fail. A failure blocks the order as goods damaged, asks the "
        "warehouse for a replacement and pauses the SLA until a later inspection "
        "passes.",
    )
    is_site_checkin = fields.Boolean(
        string="Check-in at the Site",
        help="The position is compared with the location's: farther than the "
        "company's check-in distance is flagged on the order.",
    )
    register_equipment = fields.Boolean(
        help="The scanned serial becomes installed equipment at the order's "
        "location, with its installation date.",
    )
    customer_template_id = fields.Many2one(
        "mail.template",
        string="Customer Notification",
        domain=[("model", "=", "fsm.order")],
        help="Sent to the customer when this milestone is logged (e.g. "
        '"the technician is on the way").',
    )

    _code_unique = models.Constraint(
        "UNIQUE(order_type_id, code)",
        "A milestone code is used once per order type.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_logged(self):
        logged = self.env["fsm.order.milestone.log"].search(
            [("milestone_id", "in", self.ids)]
        )
        if logged:
            raise UserError(
                self.env._(
                    "Milestones %s are logged on orders: their log is kept. "
                    "Archive them instead.",
                    ", ".join(logged.milestone_id.mapped("name")),
                )
            )
