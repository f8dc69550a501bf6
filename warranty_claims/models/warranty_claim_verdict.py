# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The verdict of a claim: the engine's answer per cost class, its reasons in
words, the proposed remedy, posted in the chatter."""

from odoo import fields, models
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.selection import (
    selection_label,
    selection_labels,
)
from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..engine import verdict
from ..tools import OFFICER, check_group

REMEDY_SELECTION = [
    ("return", "Return and Refund"),
    ("exchange", "Exchange"),
    ("repair", "On-site Repair"),
    ("quote", "Quotation (at cost)"),
]
# what the verdict fields' messages say to do instead
VERDICT = _lt("computed by Submit or Re-evaluate")


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyClaim(models.Model):
    _inherit = "warranty.claim"

    verdict_line_ids = fields.One2many(
        "warranty.claim.verdict.line", "claim_id", string="Verdict", copy=False
    )
    policy_version_id = fields.Many2one(
        "warranty.policy.version",
        string="Policy Version Applied",
        readonly=True,
        copy=False,
        server_owned=VERDICT,
    )
    remedy = fields.Selection(
        REMEDY_SELECTION,
        string="Proposed Remedy",
        readonly=True,
        copy=False,
        server_owned=VERDICT,
    )
    remedy_reason = fields.Char(readonly=True, copy=False, server_owned=VERDICT)
    verdict_date = fields.Datetime(readonly=True, copy=False, server_owned=VERDICT)

    # ------------------------------------------------------------------
    # Verdict
    # ------------------------------------------------------------------
    def _engine_claim(self):
        self.ensure_one()
        categ = self.part_categ_id
        chain = frozenset(int(c) for c in (categ.parent_path or "").split("/") if c)
        exclusions = set(self.exclusion_ids.mapped("code"))
        if self.registration_id and not self.registration_id.authorised_installer:
            exclusions.add("unauthorised_installer")
        return verdict.Claim(
            report_date=self.report_date,
            fault_id=self.fault_id.id or None,
            performance_fault=self.fault_id.performance_fault,
            part_category_ids=chain,
            exclusions=frozenset(exclusions),
        )

    def _compute_verdict(self):
        """Run the engine and store its verdict lines (replacing earlier ones)."""
        policies = self.env["warranty.policy"]._for_products(self.product_id)
        line_model = self.env["warranty.claim.verdict.line"]
        vals_list = []
        for claim in self:
            registration = claim.registration_id
            policy = policies.get(claim.product_id.id)
            versions = policy.version_ids._engine_versions() if policy else []
            repairs = (
                registration._engine_repairs(claim.fault_id, before=claim)
                if registration
                else []
            )
            result = verdict.decide(
                versions,
                registration.start_date or None,
                claim._engine_claim(),
                repairs,
                registered=bool(registration),
            )
            claim.verdict_line_ids.sudo().unlink()
            version = self.env["warranty.policy.version"].browse(
                result.version_id or []
            )
            for item in result.classes:
                vals_list.append(
                    {
                        "claim_id": claim.id,
                        "cost_class": item.cost_class,
                        "engine_covered": item.covered,
                        "covered": item.covered,
                        "reason_code": item.reason,
                        "reason": claim._verdict_reason_text(item.reason, item.params),
                        "policy_line_id": item.params.get("line_id") or False,
                        "end_date": item.params.get("end") or False,
                    }
                )
            with server_owned_writes():
                claim.write(
                    {
                        "policy_version_id": version.id,
                        "remedy": result.remedy,
                        "remedy_reason": claim._verdict_reason_text(
                            result.remedy_reason, result.remedy_params
                        ),
                        "verdict_date": fields.Datetime.now(),
                    }
                )
        # lines are made by the verdict only (users have no create right)
        with server_owned_writes():
            line_model.sudo().create(vals_list)

    def _verdict_reason_text(self, code, params):
        exclusions = self.env["warranty.exclusion"].search(
            [("code", "in", params.get("exclusions") or [])]
        )
        texts = {
            verdict.COVERED: self.env._(
                "Covered: %(months)s months from %(start)s, until %(end)s%(pause)s.",
                months=params.get("months"),
                start=params.get("start"),
                end=params.get("end"),
                pause=self.env._(" (incl. %s days in repair)", params.get("pause_days"))
                if params.get("pause_days")
                else "",
            ),
            verdict.EXPIRED: self.env._(
                "Expired: %(months)s months from %(start)s ended on %(end)s.",
                months=params.get("months"),
                start=params.get("start"),
                end=params.get("end"),
            ),
            verdict.NOT_IN_POLICY: self.env._("Not covered by the policy."),
            verdict.PART_NOT_LISTED: self.env._(
                "The failed part (%s) is not one of the policy's main parts.",
                self.part_categ_id.display_name or self.env._("none given"),
            ),
            verdict.EXCLUDED: self.env._(
                "Excluded: %s.", ", ".join(exclusions.mapped("name"))
            ),
            verdict.NO_POLICY: self.env._(
                "No warranty policy version in force on %s for this product.",
                params.get("date") or self.report_date,
            ),
            verdict.NOT_REGISTERED: self.env._(
                "The unit has no warranty registration (never sold, installed or "
                "delivered): ask for the proof of purchase."
            ),
            verdict.RETURN_7: self.env._(
                "三包: performance fault %(days)s days after the start (return "
                "within %(limit)s days).",
                days=params.get("days"),
                limit=params.get("limit"),
            ),
            verdict.EXCHANGE_15: self.env._(
                "三包: performance fault %(days)s days after the start (exchange "
                "within %(limit)s days).",
                days=params.get("days"),
                limit=params.get("limit"),
            ),
            verdict.FAILED_REPAIRS: self.env._(
                "三包: %(count)s repairs of the same fault failed (exchange after "
                "%(limit)s).",
                count=params.get("count"),
                limit=params.get("limit"),
            ),
            verdict.PERFORMANCE_REPAIR: self.env._("Covered: repair."),
            verdict.OUT_OF_WARRANTY: self.env._(
                "Nothing covered: a quotation at cost."
            ),
        }
        return texts.get(code, code)

    def _post_verdict(self):
        """The verdict as a note in the claim's chatter."""
        self.ensure_one()
        self.message_post_with_source(
            "warranty_claims.warranty_claim_message_verdict",
            render_values={
                "cost_classes": selection_labels(self.verdict_line_ids, "cost_class"),
                "remedy": selection_label(self, "remedy", self.remedy),
            },
            subtype_xmlid="mail.mt_note",
        )

    def action_recompute_verdict(self):
        check_group(self, OFFICER, self.env._("Re-evaluating a claim"))
        self._check_state(("submitted",), self.env._("re-evaluated"))
        self._compute_verdict()
        for claim in self:
            claim._post_verdict()
        return True
