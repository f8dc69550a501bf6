# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.tools import clean_context

from ..models.fsm_order_milestone_log import INSPECTION_RESULTS


class FsmMilestoneLogWizard(models.TransientModel):
    """A technician logs the next milestone of an order with its evidence."""

    _name = "fsm.milestone.log.wizard"
    _description = "Log a Field Service Milestone"

    order_id = fields.Many2one("fsm.order", required=True, readonly=True)
    order_type_id = fields.Many2one(related="order_id.type")
    milestone_id = fields.Many2one(
        "fsm.milestone.template",
        required=True,
        compute="_compute_milestone_id",
        store=True,
        readonly=False,
        domain="[('order_type_id', '=', order_type_id)]",
    )
    require_gps = fields.Boolean(
        related="milestone_id.require_gps", string="GPS Required"
    )
    require_photo = fields.Boolean(
        related="milestone_id.require_photo", string="Photo Required"
    )
    require_serial = fields.Boolean(
        related="milestone_id.require_serial", string="Serial Required"
    )
    require_signature = fields.Boolean(
        related="milestone_id.require_signature", string="Signature Required"
    )
    require_inspection = fields.Boolean(
        related="milestone_id.require_inspection", string="Inspection Required"
    )
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "fsm_milestone_log_wizard_attachment_rel",
        "wizard_id",
        "attachment_id",
        string="Photos",
    )
    allowed_lot_ids = fields.Many2many(
        "stock.lot", compute="_compute_allowed_lot_ids", string="Delivered Serials"
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        domain="[('id', 'in', allowed_lot_ids)]",
    )
    signature = fields.Image(max_width=1024, max_height=1024, attachment=False)
    inspection_result = fields.Selection(INSPECTION_RESULTS)
    note = fields.Text()

    @api.depends("order_id")
    def _compute_milestone_id(self):
        for wizard in self:
            wizard.milestone_id = wizard.order_id.milestone_next_id

    @api.depends("order_id")
    def _compute_allowed_lot_ids(self):
        for wizard in self:
            wizard.allowed_lot_ids = wizard.order_id.install_line_ids.lot_ids

    def _prepare_milestone_log_vals(self):
        self.ensure_one()
        return {
            "order_id": self.order_id.id,
            "milestone_id": self.milestone_id.id,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "attachment_ids": [Command.set(self.attachment_ids.ids)],
            "lot_id": self.lot_id.id,
            "signature": self.signature,
            "inspection_result": self.inspection_result,
            "note": self.note,
        }

    def action_log(self):
        """Log the milestone; the order's rules refuse it when out of order or
        without its evidence. The caller must be allowed to change the order.
        """
        self.order_id.check_access("write")
        # the wizard's own defaults (default_order_id...) are not the log's
        self.env["fsm.order.milestone.log"].with_context(
            clean_context(self.env.context)
        ).create([wizard._prepare_milestone_log_vals() for wizard in self])
        return {"type": "ir.actions.act_window_close"}
