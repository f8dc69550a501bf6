# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The life of a claim: submit, decide (through the decision wizard), start
the outcome, close, cancel, reset; each button checks its caller and the
claim's state first."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.selection import (
    selection_label,
    selection_labels,
)
from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..tools import MANAGER, OFFICER, check_group
from .warranty_claim import OPEN_STATES

OUTCOME_SELECTION = [
    ("repair", "On-site Repair"),
    ("exchange", "Exchange"),
    ("refund", "Return and Refund"),
    ("quotation", "Quotation"),
]
REMEDY_TO_OUTCOME = {
    "return": "refund",
    "exchange": "exchange",
    "repair": "repair",
    "quote": "quotation",
}
# what the decision fields' messages say to do instead
DECISION = _lt("use Decide")


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyClaim(models.Model):
    _inherit = "warranty.claim"

    outcome = fields.Selection(
        OUTCOME_SELECTION,
        tracking=True,
        copy=False,
        readonly=True,
        server_owned=DECISION,
    )
    decision_note = fields.Text(copy=False, readonly=True, server_owned=DECISION)
    decided_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, server_owned=DECISION
    )
    decision_date = fields.Datetime(readonly=True, copy=False, server_owned=DECISION)
    refusal_reason = fields.Text(
        copy=False, tracking=True, readonly=True, server_owned=DECISION
    )
    done_date = fields.Date(
        copy=False, readonly=True, server_owned=_lt("use Mark Done")
    )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_state(self, states, action):
        for claim in self:
            if claim.state not in states:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: it cannot be %(action)s.",
                        claim=claim.name,
                        state=selection_label(claim, "state", claim.state),
                        action=action,
                    )
                )

    def action_submit(self):
        check_group(self, OFFICER, self.env._("Submitting a claim"))
        self._check_state(("draft",), self.env._("submitted"))
        for claim in self:
            if not claim.lot_id:
                raise UserError(
                    self.env._(
                        "Claim %s: enter the warranty code or the serial number "
                        "of the unit.",
                        claim.name,
                    )
                )
            if not claim.fault_id:
                raise UserError(self.env._("Claim %s: choose the fault.", claim.name))
            if claim.code_id.state == "revoked":
                raise UserError(
                    self.env._(
                        "Claim %(claim)s: warranty code %(code)s is revoked: no "
                        "claim can be made on it.",
                        claim=claim.name,
                        code=claim.code_id.code,
                    )
                )
        with server_owned_writes():
            self.write({"state": "submitted"})
        self._compute_verdict()
        for claim in self:
            claim._post_verdict()
            if claim.not_sold:
                claim.activity_schedule(
                    "mail.mail_activity_data_todo",
                    **claim._prepare_not_sold_activity_vals(),
                )
        return True

    def _prepare_not_sold_activity_vals(self):
        """The to-do of a claim on a unit never sold (``activity_schedule``'s
        values), for who follows the claim up."""
        self.ensure_one()
        return {
            "summary": self.env._("Unit never sold"),
            "note": self.env._(
                "Serial %s has no registration and no delivery to a "
                "customer: check the proof of purchase.",
                self.lot_id.name,
            ),
            "user_id": self._responsible_user().id,
        }

    def action_open_decision(self):
        check_group(self, MANAGER, self.env._("Deciding a claim"))
        self.ensure_one()
        self._check_state(("submitted",), self.env._("decided"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide Claim %s", self.name),
            "res_model": "warranty.claim.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_claim_id": self.id},
        }

    def action_launch_outcome(self):
        """Create the outcome's documents (repair order, transfers, credit
        note or quotation) and start the work."""
        check_group(self, OFFICER, self.env._("Starting the outcome of a claim"))
        self._check_state(("decided",), self.env._("started"))
        for claim in self:
            if claim.outcome == "repair":
                claim._launch_repair()
            elif claim.outcome == "exchange":
                claim._launch_exchange()
            elif claim.outcome == "refund":
                claim._launch_refund()
            elif claim.outcome == "quotation":
                claim._launch_quotation()
            else:
                raise UserError(
                    self.env._("Claim %s: choose an outcome first.", claim.name)
                )
        with server_owned_writes():
            self.write({"state": "in_progress"})
        return True

    def action_done(self):
        check_group(self, OFFICER, self.env._("Closing a claim"))
        self._check_state(("in_progress",), self.env._("closed"))
        for claim in self:
            if claim.outcome == "repair" and not claim.repair_order_id.is_closed:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s: repair order %(order)s is not completed yet.",
                        claim=claim.name,
                        order=claim.repair_order_id.name,
                    )
                )
            claim._record_default_costs()
        with server_owned_writes():
            self.write({"state": "done", "done_date": fields.Date.context_today(self)})
        return True

    def action_cancel(self):
        check_group(self, OFFICER, self.env._("Cancelling a claim"))
        self._check_state(OPEN_STATES, self.env._("cancelled"))
        for claim in self:
            if claim.state == "in_progress":
                raise UserError(
                    self.env._(
                        "Claim %s is in progress: cancel its repair order, "
                        "transfers or quotation, then close it as refused.",
                        claim.name,
                    )
                )
        with server_owned_writes():
            self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        check_group(self, OFFICER, self.env._("Resetting a claim to draft"))
        self._check_state(("cancelled", "refused"), self.env._("reset to draft"))
        self.verdict_line_ids.sudo().unlink()
        with server_owned_writes():
            self.write(
                {
                    "state": "draft",
                    "remedy": False,
                    "remedy_reason": False,
                    "outcome": False,
                    "refusal_reason": False,
                }
            )
        return True

    def _confirm_verdict(self, outcome=None, note=None):
        """Decide each claim as its verdict says (no override): the outcome
        of its proposed remedy unless ``outcome`` is given."""
        for claim in self:
            claim._apply_decision(
                [(line, line.engine_covered, False) for line in claim.verdict_line_ids],
                outcome or REMEDY_TO_OUTCOME.get(claim.remedy, "repair"),
                note,
            )
        return True

    def _apply_decision(self, lines, outcome, note):
        """Write a service manager's decision: ``lines`` is a list of
        ``(verdict line, covered, override reason)``; ``outcome`` one of the
        outcomes or ``"refuse"``."""
        self.ensure_one()
        self._check_state(("submitted",), self.env._("decided"))
        foreign = [line for line, _covered, _reason in lines if line.claim_id != self]
        if foreign:
            raise UserError(
                self.env._(
                    "Claim %(claim)s: the decision names a verdict line of "
                    "another claim (%(other)s).",
                    claim=self.name,
                    other=foreign[0].claim_id.name,
                )
            )
        overrides = self.env["warranty.claim.verdict.line"]
        for line, covered, reason in lines:
            if covered != line.engine_covered and not (reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason for overriding the verdict on %s.",
                        selection_label(line, "cost_class", line.cost_class),
                    )
                )
            with server_owned_writes():
                line.write(
                    {
                        "covered": covered,
                        "override_reason": reason
                        if covered != line.engine_covered
                        else False,
                    }
                )
            if covered != line.engine_covered:
                overrides |= line
        vals = {
            "decided_by_id": self.env.uid,
            "decision_date": fields.Datetime.now(),
            "decision_note": note,
        }
        if outcome == "refuse":
            if not (note or "").strip():
                raise UserError(self.env._("Give the reason for refusing the claim."))
            vals.update(state="refused", refusal_reason=note, outcome=False)
        else:
            vals.update(state="decided", outcome=outcome)
        with server_owned_writes():
            self.write(vals)
        self.message_post_with_source(
            "warranty_claims.warranty_claim_message_decision",
            render_values={
                "outcome": outcome != "refuse"
                and selection_label(self, "outcome", outcome),
                "note": note,
                "overrides": overrides,
                "cost_classes": selection_labels(overrides, "cost_class"),
            },
            subtype_xmlid="mail.mt_note",
        )
        self._notify_decision()

    def _notify_decision(self):
        """Tell the customer (partner, else the reporter's email) the decision."""
        template = self.env.ref(
            "warranty_claims.mail_template_claim_decision", raise_if_not_found=False
        )
        for claim in self:
            if template and (claim.partner_id or claim.reporter_email):
                claim.message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
