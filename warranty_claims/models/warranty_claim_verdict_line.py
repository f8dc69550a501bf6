# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.selection import selection_label

from .warranty_policy_line import COST_CLASS_SELECTION

# a claim in these states still takes the costs of its classes
COST_STATES = ("submitted", "decided", "in_progress")


class WarrantyClaimVerdictLine(models.Model):
    """The verdict on one cost class of a claim: the engine's answer, the
    manager's decision (with the reason of an override) and the cost.

    Owned by the server (``install.server.owned.mixin``): the lines are made
    by the verdict (Submit, Re-evaluate) and decided by the decision wizard.
    Users record the cost of each class while the claim is under way; once
    it is done (billed to the brand) or closed, costs are final.
    """

    _name = "warranty.claim.verdict.line"
    _description = "Warranty Claim Verdict Line"
    _inherit = ("install.server.owned.mixin",)
    _order = "claim_id, id"

    claim_id = fields.Many2one(
        "warranty.claim",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        server_owned=True,
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    cost_class = fields.Selection(
        COST_CLASS_SELECTION, required=True, readonly=True, server_owned=True
    )
    engine_covered = fields.Boolean(
        string="Covered by Policy",
        readonly=True,
        server_owned=_lt("computed by Submit or Re-evaluate"),
    )
    covered = fields.Boolean(readonly=True, server_owned=_lt("use Decide"))
    reason_code = fields.Char(readonly=True, server_owned=True)
    reason = fields.Char(readonly=True, server_owned=True)
    override_reason = fields.Char(readonly=True, server_owned=_lt("use Decide"))
    policy_line_id = fields.Many2one(
        "warranty.policy.line",
        readonly=True,
        ondelete="set null",
        server_owned=True,
    )
    end_date = fields.Date(string="Covered Until", readonly=True, server_owned=True)
    cost = fields.Monetary(
        help="Cost of this class on the claim (covered costs are billed to the brand)."
    )

    def _server_owned_check_write(self, vals):
        """The cost of a class changes while its claim is under way."""
        res = super()._server_owned_check_write(vals)
        if "cost" in vals:
            closed = self.filtered(lambda line: line.claim_id.state not in COST_STATES)
            if closed:
                claim = closed[0].claim_id
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: the costs of its classes "
                        "are final (a done claim is billed to the brand with "
                        "them).",
                        claim=claim.name,
                        state=selection_label(claim, "state", claim.state),
                    )
                )
        return res
