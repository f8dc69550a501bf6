# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class FsmDispatchCandidate(models.Model):
    _name = "fsm.dispatch.candidate"
    _description = "Dispatch Candidate of a Field Service Order"
    _order = "order_id, rank"

    order_id = fields.Many2one(
        "fsm.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    rank = fields.Integer()
    person_id = fields.Many2one(
        "fsm.person", string="Technician", required=True, ondelete="cascade"
    )
    eligible = fields.Boolean()
    reasons = fields.Char(help="Failed filters, and missing coordinates.")
    distance_km = fields.Float(string="Distance (km)", digits=(12, 1))
    distance_known = fields.Boolean()
    score = fields.Float(digits=(4, 3))
    score_distance = fields.Float(string="Distance Score", digits=(4, 3))
    score_load = fields.Float(string="Load Score", digits=(4, 3))
    score_rating = fields.Float(string="Rating Score", digits=(4, 3))
    score_sla = fields.Float(string="SLA Score", digits=(4, 3))
    score_cost = fields.Float(string="Cost Score", digits=(4, 3))
