# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models

from ..models.warranty_claim_workflow import OUTCOME_SELECTION, REMEDY_TO_OUTCOME
from ..tools import MANAGER, check_group


class WarrantyClaimDecision(models.TransientModel):
    """A service manager confirms or overrides the verdict per cost class
    (an override needs its reason) and chooses the outcome."""

    _name = "warranty.claim.decision"
    _description = "Warranty Claim Decision"

    claim_id = fields.Many2one("warranty.claim", required=True, ondelete="cascade")
    remedy = fields.Selection(related="claim_id.remedy")
    remedy_reason = fields.Char(related="claim_id.remedy_reason")
    line_ids = fields.One2many(
        "warranty.claim.decision.line", "wizard_id", string="Cost Classes"
    )
    outcome = fields.Selection(
        [*OUTCOME_SELECTION, ("refuse", "Refuse the Claim")],
        required=True,
        compute="_compute_outcome",
        store=True,
        readonly=False,
    )
    note = fields.Text(
        string="Decision Note",
        help="Required to refuse the claim; posted in the chatter.",
    )

    @api.depends("claim_id")
    def _compute_outcome(self):
        for wizard in self:
            claim = wizard.claim_id
            if not claim.verdict_line_ids.filtered("engine_covered"):
                wizard.outcome = "quotation" if claim.partner_id else "refuse"
            else:
                wizard.outcome = REMEDY_TO_OUTCOME.get(claim.remedy, "repair")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        claim = self.env["warranty.claim"].browse(res.get("claim_id"))
        if claim and "line_ids" in fields_list:
            res["line_ids"] = [
                Command.create(
                    {
                        "verdict_line_id": line.id,
                        "covered": line.covered,
                    }
                )
                for line in claim.verdict_line_ids
            ]
        return res

    def action_confirm(self):
        check_group(self, MANAGER, self.env._("Deciding a claim"))
        self.ensure_one()
        self.claim_id._apply_decision(
            [
                (line.verdict_line_id, line.covered, line.override_reason)
                for line in self.line_ids
            ],
            self.outcome,
            self.note,
        )
        return {"type": "ir.actions.act_window_close"}


class WarrantyClaimDecisionLine(models.TransientModel):
    _name = "warranty.claim.decision.line"
    _description = "Warranty Claim Decision per Cost Class"

    wizard_id = fields.Many2one(
        "warranty.claim.decision", required=True, ondelete="cascade"
    )
    verdict_line_id = fields.Many2one(
        "warranty.claim.verdict.line", required=True, ondelete="cascade"
    )
    cost_class = fields.Selection(related="verdict_line_id.cost_class")
    engine_covered = fields.Boolean(related="verdict_line_id.engine_covered")
    reason = fields.Char(related="verdict_line_id.reason")
    covered = fields.Boolean()
    override_reason = fields.Char(
        help="Required when the decision differs from the policy's verdict."
    )
