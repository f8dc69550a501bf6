# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
# every field: the ranking the dispatch engine computed
RANKED = _lt("use the button Rank Technicians of the order")


class FsmDispatchCandidate(models.Model):
    """A technician ranked for an order (the order's Dispatch tab): computed by
    ``fsm.order.action_compute_dispatch``, never edited."""

    _name = "fsm.dispatch.candidate"
    _inherit = ["install.server.owned.mixin"]  # noqa: RUF012
    _description = "Dispatch Candidate of a Field Service Order"
    _order = "order_id, rank"

    order_id = fields.Many2one(
        "fsm.order", required=True, index=True, ondelete="cascade", server_owned=RANKED
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    rank = fields.Integer(server_owned=RANKED)
    person_id = fields.Many2one(
        "fsm.person",
        string="Technician",
        required=True,
        ondelete="cascade",
        server_owned=RANKED,
    )
    eligible = fields.Boolean(server_owned=RANKED)
    reasons = fields.Char(
        help="Failed filters, and missing coordinates.", server_owned=RANKED
    )
    distance_km = fields.Float(
        string="Distance (km)", digits=(12, 1), server_owned=RANKED
    )
    distance_known = fields.Boolean(server_owned=RANKED)
    score = fields.Float(digits=(4, 3), server_owned=RANKED)
    score_distance = fields.Float(
        string="Distance Score", digits=(4, 3), server_owned=RANKED
    )
    score_load = fields.Float(string="Load Score", digits=(4, 3), server_owned=RANKED)
    score_rating = fields.Float(
        string="Rating Score", digits=(4, 3), server_owned=RANKED
    )
    score_sla = fields.Float(string="SLA Score", digits=(4, 3), server_owned=RANKED)
    score_cost = fields.Float(string="Cost Score", digits=(4, 3), server_owned=RANKED)
