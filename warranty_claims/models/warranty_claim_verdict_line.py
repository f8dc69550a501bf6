# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import AccessError

from .warranty_policy_line import COST_CLASS_SELECTION


class WarrantyClaimVerdictLine(models.Model):
    """The verdict on one cost class of a claim: the engine's answer, the
    manager's decision (with the reason of an override) and the cost."""

    _name = "warranty.claim.verdict.line"
    _description = "Warranty Claim Verdict Line"
    _order = "claim_id, id"

    claim_id = fields.Many2one(
        "warranty.claim", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    cost_class = fields.Selection(COST_CLASS_SELECTION, required=True, readonly=True)
    engine_covered = fields.Boolean(string="Covered by Policy", readonly=True)
    covered = fields.Boolean(readonly=True)
    reason_code = fields.Char(readonly=True)
    reason = fields.Char(readonly=True)
    override_reason = fields.Char(readonly=True)
    policy_line_id = fields.Many2one(
        "warranty.policy.line", readonly=True, ondelete="set null"
    )
    end_date = fields.Date(string="Covered Until", readonly=True)
    cost = fields.Monetary(
        help="Cost of this class on the claim (covered costs are billed to the brand)."
    )

    def _label(self, field, value):
        """The user's-language label of ``value`` in selection ``field``."""
        return dict(self._fields[field]._description_selection(self.env)).get(
            value, value or ""
        )

    def write(self, vals):
        """Only the decision (a service manager) changes what is covered."""
        if (
            {"covered", "engine_covered", "override_reason", "reason"} & set(vals)
            and not self.env.su
            and not self.env.user.has_group("warranty_claims.group_warranty_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a warranty manager decides what a claim covers: use "
                    "the Decide button."
                )
            )
        return super().write(vals)
