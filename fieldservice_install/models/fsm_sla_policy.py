# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.fieldservice.models.fsm_stage import AVAILABLE_PRIORITIES


class FsmSlaPolicy(models.Model):
    """Service level of an order type and priority: hours to reach each step.

    Hours run from the order's creation; time spent paused (customer absent,
    goods damaged, waiting for parts) does not count.
    """

    _name = "fsm.sla.policy"
    _description = "Field Service SLA Policy"
    _order = "order_type_id, priority desc, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    order_type_id = fields.Many2one("fsm.order.type", required=True)
    priority = fields.Selection(AVAILABLE_PRIORITIES, required=True, default="0")
    first_contact_hours = fields.Float(string="First Contact within (h)", default=4)
    arrival_hours = fields.Float(string="Arrival within (h)", default=48)
    completion_hours = fields.Float(string="Completion within (h)", default=72)
    warn_hours = fields.Float(
        string="Warn before (h)",
        default=2,
        help="The dispatcher gets an activity this long before a deadline.",
    )

    _type_priority_unique = models.UniqueIndex(
        "(order_type_id, priority, COALESCE(company_id, 0)) WHERE active",
        "An order type has one active SLA per priority and company.",
    )

    @api.constrains(
        "first_contact_hours", "arrival_hours", "completion_hours", "warn_hours"
    )
    def _check_hours(self):
        for policy in self:
            hours = (
                policy.first_contact_hours,
                policy.arrival_hours,
                policy.completion_hours,
            )
            if min(*hours, policy.warn_hours) < 0:
                raise ValidationError(
                    self.env._("SLA %s: hours cannot be negative.", policy.name)
                )
            if not hours[0] <= hours[1] <= hours[2]:
                raise ValidationError(
                    self.env._(
                        "SLA %s: first contact, arrival and completion come in that "
                        "order: their hours must not decrease.",
                        policy.name,
                    )
                )
