# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    install_buffer_days = fields.Integer(
        related="company_id.install_buffer_days", readonly=False
    )
    install_dispatcher_id = fields.Many2one(
        related="company_id.install_dispatcher_id", readonly=False
    )
    milestone_checkin_max_km = fields.Float(
        related="company_id.milestone_checkin_max_km", readonly=False
    )
    stock_point_on_confirm = fields.Boolean(
        related="company_id.stock_point_on_confirm", readonly=False
    )
    stock_point_allow_dealer = fields.Boolean(
        related="company_id.stock_point_allow_dealer", readonly=False
    )
    dispatch_weight_distance = fields.Float(
        related="company_id.dispatch_weight_distance", readonly=False
    )
    dispatch_weight_load = fields.Float(
        related="company_id.dispatch_weight_load", readonly=False
    )
    dispatch_weight_rating = fields.Float(
        related="company_id.dispatch_weight_rating", readonly=False
    )
    dispatch_weight_sla = fields.Float(
        related="company_id.dispatch_weight_sla", readonly=False
    )
    dispatch_weight_cost = fields.Float(
        related="company_id.dispatch_weight_cost", readonly=False
    )
    dispatch_offer_count = fields.Integer(
        related="company_id.dispatch_offer_count", readonly=False
    )
    dispatch_offer_hours = fields.Float(
        related="company_id.dispatch_offer_hours", readonly=False
    )
