# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from markupsafe import Markup

from odoo import Command, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..engine import verdict
from ..tools import MANAGER, OFFICER, check_group

CLAIM_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("decided", "Decided"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("draft", "submitted", "decided", "in_progress")
REMEDY_SELECTION = [
    ("return", "Return and Refund"),
    ("exchange", "Exchange"),
    ("repair", "On-site Repair"),
    ("quote", "Quotation (at cost)"),
]
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
SOURCE_SELECTION = [("backend", "Backend"), ("web", "Code Page"), ("email", "Email")]
# what the server-owned fields' messages say to do instead
VERDICT = _lt("computed by Submit or Re-evaluate")
DECISION = _lt("use Decide")
OUTCOME = _lt("created by Start Outcome")

# fields the user records -> the states in which they may still change (the
# verdict, decision and outcomes were computed from them)
STATE_LOCKED = {
    "code_id": ("draft",),
    "lot_id": ("draft",),
    "fault_id": ("draft",),
    "report_date": ("draft",),
    "company_id": ("draft",),
    "partner_id": ("draft", "submitted"),
    "part_categ_id": ("draft", "submitted"),
    "exclusion_ids": ("draft", "submitted"),
}
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{3,127}")


class WarrantyClaim(models.Model):
    """A customer's warranty claim on one unit, decided per cost class.

    Owned by the server (``install.server.owned.mixin``): the number, state,
    source, verdict, decision, outcome documents, repair and done dates,
    covered amount, brand and brand invoice line; they change only through
    the claim's buttons, the decision wizard, the repair order and the brand
    billing. What the user records (unit, fault, report date, exclusions,
    customer) is frozen once the workflow has used it (``STATE_LOCKED``).
    """

    _name = "warranty.claim"
    _description = "Warranty Claim"
    _inherit = ("install.server.owned.mixin", "mail.thread", "mail.activity.mixin")

    _order = "report_date desc, id desc"

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        server_owned=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        CLAIM_STATES,
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
        readonly=True,
        server_owned=_lt("use the claim's buttons (Submit, Decide, Start Outcome...)"),
    )
    source = fields.Selection(
        SOURCE_SELECTION,
        required=True,
        default="backend",
        readonly=True,
        copy=False,
        server_owned=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
    )
    code_id = fields.Many2one(
        "warranty.code", string="Warranty Code", index="btree_not_null", tracking=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        tracking=True,
        compute="_compute_lot_id",
        store=True,
        readonly=False,
    )
    product_id = fields.Many2one(
        related="lot_id.product_id", store=True, string="Product"
    )
    registration_id = fields.Many2one(
        "warranty.registration",
        compute="_compute_registration_id",
        store=True,
        index="btree_not_null",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    reporter_name = fields.Char(tracking=True)
    reporter_phone = fields.Char()
    reporter_email = fields.Char()
    fault_id = fields.Many2one("warranty.fault", tracking=True)
    performance_fault = fields.Boolean(related="fault_id.performance_fault")
    part_categ_id = fields.Many2one(
        "product.category",
        string="Failed Part Category",
        compute="_compute_part_categ_id",
        store=True,
        readonly=False,
    )
    description = fields.Text()
    report_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "warranty_claim_attachment_rel",
        "claim_id",
        "attachment_id",
        string="Photos",
    )
    exclusion_ids = fields.Many2many(
        "warranty.exclusion",
        "warranty_claim_exclusion_rel",
        "claim_id",
        "exclusion_id",
        string="Exclusions Found",
        tracking=True,
        help="What the inspection found (misuse, self-disassembly...). A "
        "non-authorised installer recorded on the registration counts without "
        "being listed here.",
    )
    not_sold = fields.Boolean(
        string="Never Sold",
        compute="_compute_not_sold",
        store=True,
        help="No warranty registration and no delivery to a customer: the unit "
        "was never sold. Check the proof of purchase.",
    )
    # verdict --------------------------------------------------------------
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
    # decision -------------------------------------------------------------
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
    # outcomes -------------------------------------------------------------
    repair_order_id = fields.Many2one(
        "fsm.order",
        copy=False,
        index="btree_not_null",
        readonly=True,
        server_owned=OUTCOME,
    )
    picking_ids = fields.One2many(
        "stock.picking",
        "warranty_claim_id",
        string="Transfers",
        copy=False,
        readonly=True,
        server_owned=OUTCOME,
    )
    refund_move_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        copy=False,
        index="btree_not_null",
        readonly=True,
        server_owned=OUTCOME,
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Quotation",
        copy=False,
        index="btree_not_null",
        readonly=True,
        server_owned=OUTCOME,
    )
    picking_count = fields.Integer(compute="_compute_picking_count")
    repair_start_date = fields.Date(
        copy=False,
        readonly=True,
        server_owned=_lt("set when the repair order is created"),
        help="The unit went into repair (the warranty clock pauses).",
    )
    repair_end_date = fields.Date(
        copy=False,
        readonly=True,
        server_owned=_lt("set when the repair order is completed"),
        help="The repair was completed.",
    )
    done_date = fields.Date(
        copy=False, readonly=True, server_owned=_lt("use Mark Done")
    )
    # billing --------------------------------------------------------------
    amount_covered = fields.Monetary(
        string="Covered Costs",
        compute="_compute_amount_covered",
        store=True,
        help="Costs of the covered classes: billed to the brand once done.",
    )
    brand_id = fields.Many2one(
        "res.partner",
        compute="_compute_brand_id",
        store=True,
        index="btree_not_null",
        server_owned=_lt("set the Warranty Brand of the product"),
    )
    brand_invoice_line_id = fields.Many2one(
        "account.move.line",
        copy=False,
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        server_owned=_lt("use Bill Brands"),
    )
    brand_invoice_id = fields.Many2one(
        related="brand_invoice_line_id.move_id", string="Brand Invoice"
    )
    billing_state = fields.Selection(
        [("none", "Nothing to Bill"), ("to_bill", "To Bill"), ("billed", "Billed")],
        compute="_compute_billing_state",
        store=True,
        index=True,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("code_id")
    def _compute_lot_id(self):
        for claim in self:
            if claim.code_id:
                claim.lot_id = claim.code_id.lot_id

    @api.depends("lot_id")
    def _compute_registration_id(self):
        registrations = self.env["warranty.registration"].search(
            [("lot_id", "in", self.lot_id.ids)]
        )
        by_lot = {r.lot_id.id: r for r in registrations}
        for claim in self:
            claim.registration_id = by_lot.get(claim.lot_id.id, False)

    @api.depends("registration_id")
    def _compute_partner_id(self):
        for claim in self:
            if claim.registration_id.partner_id:
                claim.partner_id = claim.registration_id.partner_id

    @api.depends("fault_id")
    def _compute_part_categ_id(self):
        for claim in self:
            if claim.fault_id.part_categ_id:
                claim.part_categ_id = claim.fault_id.part_categ_id

    @api.depends("lot_id", "registration_id")
    def _compute_not_sold(self):
        lots = self.filtered(lambda c: c.lot_id and not c.registration_id).lot_id
        delivered = set()
        if lots:
            groups = (
                self.env["stock.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("lot_id", "in", lots.ids),
                        ("state", "=", "done"),
                        ("location_dest_id.usage", "=", "customer"),
                    ],
                    groupby=["lot_id"],
                )
            )
            delivered = {lot.id for (lot,) in groups}
        for claim in self:
            claim.not_sold = bool(
                claim.lot_id
                and not claim.registration_id
                and claim.lot_id.id not in delivered
            )

    @api.depends("product_id.warranty_brand_id")
    def _compute_brand_id(self):
        for claim in self:
            claim.brand_id = claim.product_id.warranty_brand_id

    @api.depends("verdict_line_ids.covered", "verdict_line_ids.cost")
    def _compute_amount_covered(self):
        for claim in self:
            claim.amount_covered = sum(
                line.cost for line in claim.verdict_line_ids if line.covered
            )

    @api.depends(
        "state",
        "amount_covered",
        "brand_id",
        "brand_invoice_line_id",
        "brand_invoice_line_id.parent_state",
    )
    def _compute_billing_state(self):
        for claim in self:
            line = claim.brand_invoice_line_id
            if line and line.parent_state != "cancel":
                claim.billing_state = "billed"
            elif (
                claim.state == "done"
                and claim.brand_id
                and claim.currency_id.compare_amounts(claim.amount_covered, 0) > 0
            ):
                claim.billing_state = "to_bill"
            else:
                claim.billing_state = "none"

    def _compute_picking_count(self):
        for claim in self:
            claim.picking_count = len(claim.picking_ids)

    # ------------------------------------------------------------------
    # CRUD and checks
    # ------------------------------------------------------------------
    @api.model
    def _server_owned_prepare_create(self, vals_list):
        vals_list = super()._server_owned_prepare_create(vals_list)
        for vals in vals_list:
            self._unit_vals(vals)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("warranty.claim") or self.env._("New")
        return vals_list

    def _server_owned_check_write(self, vals):
        super()._server_owned_check_write(vals)
        self._check_state_locked(vals)

    def write(self, vals):
        self._unit_vals(vals)
        return super().write(vals)

    def _check_state_locked(self, vals):
        """Refuse a change of what the workflow already used (the unit, the
        fault, the report date... see ``STATE_LOCKED``)."""
        for name, states in STATE_LOCKED.items():
            if name not in vals:
                continue
            claim = self.filtered(lambda c, states=states: c.state not in states)[:1]
            if claim:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: its %(field)s can no longer "
                        "change (the verdict and decision were made with it). "
                        "Cancel or refuse it and reset it to draft to correct it.",
                        claim=claim.name,
                        state=claim._label("state", claim.state),
                        field=self._fields[name]._description_string(self.env),
                    )
                )

    @api.model
    def _unit_vals(self, vals):
        """A claim on a code whose unit has no lot yet makes the lot (the
        unit materialises with its first claim) and names it in ``vals``."""
        code_id = vals.get("code_id")
        if code_id and not vals.get("lot_id"):
            code = self.env["warranty.code"].browse(code_id)
            vals["lot_id"] = code._ensure_lots().id

    @api.constrains("lot_id", "fault_id", "state")
    def _check_duplicate_open(self):
        open_claims = self.filtered(
            lambda c: c.state in OPEN_STATES and c.lot_id and c.fault_id
        )
        if not open_claims:
            return
        others = self.search(
            [
                ("lot_id", "in", open_claims.lot_id.ids),
                ("fault_id", "in", open_claims.fault_id.ids),
                ("state", "in", OPEN_STATES),
            ]
        )
        for claim in open_claims:
            twin = others.filtered(
                lambda o, c=claim: (
                    o != c and o.lot_id == c.lot_id and o.fault_id == c.fault_id
                )
            )[:1]
            if twin:
                raise ValidationError(
                    self.env._(
                        "Claim %(twin)s is already open for unit %(serial)s and "
                        "fault '%(fault)s': add to it instead of opening another.",
                        twin=twin.name,
                        serial=claim.lot_id.name,
                        fault=claim.fault_id.name,
                    )
                )

    @api.constrains("code_id", "lot_id")
    def _check_code_lot(self):
        for claim in self:
            if claim.code_id and claim.lot_id and claim.code_id.lot_id != claim.lot_id:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: code %(code)s belongs to serial "
                        "%(code_serial)s, not to %(serial)s.",
                        claim=claim.name,
                        code=claim.code_id.code,
                        code_serial=claim.code_id.lot_id.name,
                        serial=claim.lot_id.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for claim in self:
            if claim.state not in ("draft", "cancelled"):
                raise UserError(
                    self.env._(
                        "Claim %s is under way: cancel it instead of deleting it.",
                        claim.name,
                    )
                )

    # ------------------------------------------------------------------
    # Unit lookup (backend, code page, email)
    # ------------------------------------------------------------------
    @api.model
    def _find_unit(self, text, company=None, allow_revoked=False):
        """``(code, lot)`` for a warranty code or a serial number ``text``.

        A code is checked (format, signature, revocation): a ``UserError``
        says why it is refused. A serial is found as such (a lot, or the
        serial of a printed code whose unit has no lot yet); its unit's code
        must not be revoked either (unless ``allow_revoked``). The lot of a
        valid code is made when the unit has none yet (it materialises with
        its first claim); a revoked code may come with no lot.
        """
        text = (text or "").strip()
        if not text:
            raise UserError(self.env._("Enter the warranty code or the serial number."))
        code_model = self.env["warranty.code"].sudo()
        lot_domain = Domain("name", "=", text)
        if company:
            lot_domain &= Domain("company_id", "in", (company.id, False))
        lot = self.env["stock.lot"].sudo().search(lot_domain, limit=1)
        if lot:
            codes = code_model.search([("lot_id", "=", lot.id)], order="id desc")
            code = codes.filtered(lambda c: c.state != "revoked")[:1] or codes[:1]
            if code.state == "revoked" and not allow_revoked:
                raise code_model._code_error("revoked")
            return code, lot
        code_domain = Domain("serial", "=", text) & Domain("lot_id", "=", False)
        if company:
            code_domain &= Domain("company_id", "=", company.id)
        codes = code_model.search(code_domain, order="id desc")
        code = codes.filtered(lambda c: c.state != "revoked")[:1] or codes[:1]
        if not code:
            code = code_model._lookup(
                text, company=company, allow_revoked=allow_revoked
            )
        if code.state == "revoked":
            if not allow_revoked:
                raise code_model._code_error("revoked")
            return code, code.lot_id
        return code, code._ensure_lots()

    @api.model
    def _find_unit_in_text(self, *texts):
        """The first code or serial found in ``texts`` (email subject, body):
        ``(code, lot, error)``, the error when only a revoked unit was found."""
        error = None
        seen = set()
        for text in texts:
            for token in TOKEN_RE.findall(text or "")[:200]:
                token = token.rstrip("._-")
                if token in seen:
                    continue
                seen.add(token)
                try:
                    code, lot = self._find_unit(token, allow_revoked=True)
                except UserError:
                    continue
                if code.state == "revoked":
                    error = code._code_error("revoked").args[0]
                    continue
                if lot:
                    return code, lot, None
        return self.env["warranty.code"], self.env["stock.lot"], error

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

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _label(self, field, value):
        """The user's-language label of ``value`` in selection ``field``."""
        return dict(self._fields[field]._description_selection(self.env)).get(
            value, value or ""
        )

    def _check_state(self, states, action):
        for claim in self:
            if claim.state not in states:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: it cannot be %(action)s.",
                        claim=claim.name,
                        state=claim._label("state", claim.state),
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
                    summary=self.env._("Unit never sold"),
                    note=self.env._(
                        "Serial %s has no registration and no delivery to a "
                        "customer: check the proof of purchase.",
                        claim.lot_id.name,
                    ),
                    user_id=claim._responsible_user().id,
                )
        return True

    def _responsible_user(self):
        """Who follows the claim up: its responsible, else the current
        internal user, else a warranty manager of the company (claims from
        the public page or by email)."""
        self.ensure_one()
        if self.user_id:
            return self.user_id
        if not self.env.user.share:
            return self.env.user
        group = self.env.ref("warranty_claims.group_warranty_manager")
        managers = group.sudo().all_user_ids.filtered(
            lambda u: not u.share and self.company_id in u.company_ids
        )
        return managers[:1] or self.env.ref("base.user_admin")

    def _post_verdict(self):
        self.ensure_one()
        rows = Markup("").join(
            Markup("<li>%s: %s — %s</li>")
            % (
                line._label("cost_class", line.cost_class),
                self.env._("covered") if line.covered else self.env._("not covered"),
                line.reason,
            )
            for line in self.verdict_line_ids
        )
        self.message_post(
            body=Markup("%s<ul>%s</ul>%s")
            % (
                self.env._("Verdict (%s):", self.policy_version_id.display_name or "-"),
                rows,
                self.env._(
                    "Proposed remedy: %(remedy)s. %(reason)s",
                    remedy=self._label("remedy", self.remedy) or "-",
                    reason=self.remedy_reason or "",
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def action_recompute_verdict(self):
        check_group(self, OFFICER, self.env._("Re-evaluating a claim"))
        self._check_state(("submitted",), self.env._("re-evaluated"))
        self._compute_verdict()
        for claim in self:
            claim._post_verdict()
        return True

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
        changes = []
        for line, covered, reason in lines:
            if covered != line.engine_covered and not (reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason for overriding the verdict on %s.",
                        line._label("cost_class", line.cost_class),
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
                changes.append(
                    self.env._(
                        "%(cls)s overridden to %(value)s: %(reason)s",
                        cls=line._label("cost_class", line.cost_class),
                        value=self.env._("covered")
                        if covered
                        else self.env._("not covered"),
                        reason=reason,
                    )
                )
        vals = {
            "decided_by_id": self.env.uid,
            "decision_date": fields.Datetime.now(),
            "decision_note": note,
        }
        if outcome == "refuse":
            if not (note or "").strip():
                raise UserError(self.env._("Give the reason for refusing the claim."))
            vals.update(state="refused", refusal_reason=note, outcome=False)
            summary = self.env._("Claim refused: %s", note)
        else:
            vals.update(state="decided", outcome=outcome)
            summary = self.env._("Decision: %s.", self._label("outcome", outcome)) + (
                f" {note}" if note else ""
            )
        with server_owned_writes():
            self.write(vals)
        body = Markup("<br/>").join([summary, *changes])
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
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

    # ------------------------------------------------------------------
    # Outcomes
    # ------------------------------------------------------------------
    def _warehouse(self):
        self.ensure_one()
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def _customer(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "Claim %s: enter the customer first (name and address).",
                    self.name,
                )
            )
        return self.partner_id

    def _prepare_repair_order_vals(self):
        self.ensure_one()
        partner = self._customer()
        location = self.registration_id.install_order_id.location_id
        if not location:
            location = self.env["sale.order"]._install_location(partner)
        skills = self.product_id.install_skill_ids.skill_id
        return {
            "type": self.env.ref("warranty_claims.fsm_order_type_repair").id,
            "location_id": location.id,
            "company_id": self.company_id.id,
            "stage_id": self.env["fsm.order"]._install_first_stage(self.company_id).id,
            "team_id": self.env["fsm.order"]._install_team(self.company_id).id,
            "warranty_claim_id": self.id,
            "scheduled_duration": self.product_id.install_duration or 1.0,
            "skill_ids": [Command.set(skills.ids)],
            "equipment_ids": [Command.set(self.lot_id.fsm_equipment_id.ids)]
            if "fsm_equipment_id" in self.lot_id._fields
            else [],
            "description": Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    "Warranty repair of %(product)s, serial %(serial)s, claim "
                    "%(claim)s: %(fault)s.",
                    product=self.product_id.display_name,
                    serial=self.lot_id.name,
                    claim=self.name,
                    fault=self.fault_id.name,
                ),
                self.description or "",
            ),
        }

    def _launch_repair(self):
        self.ensure_one()
        with server_owned_writes():
            # the order's warranty_claim_id is owned: this claim's, computed here
            order = self.env["fsm.order"].create(self._prepare_repair_order_vals())
            self.write(
                {
                    "repair_order_id": order.id,
                    "repair_start_date": fields.Date.context_today(self),
                }
            )
        try:
            with self.env.cr.savepoint():
                order.action_dispatch()
            self.message_post(
                body=self.env._(
                    "Repair order %(order)s dispatched to %(person)s.",
                    order=order.name,
                    person=order.person_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        except UserError as exc:
            self.message_post(
                body=self.env._(
                    "Repair order %(order)s created but not dispatched: %(error)s",
                    order=order.name,
                    error=exc.args[0],
                ),
                subtype_xmlid="mail.mt_note",
            )
        return order

    def _prepare_picking_vals(self, picking_type, source, dest):
        self.ensure_one()
        partner = self._customer()
        return {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": source.id,
            "location_dest_id": dest.id,
            "origin": self.name,
            "warranty_claim_id": self.id,
            "company_id": self.company_id.id,
            "move_ids": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": 1.0,
                        "product_uom": self.product_id.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": dest.id,
                        "company_id": self.company_id.id,
                    }
                )
            ],
        }

    def _launch_exchange(self):
        """A replacement delivery of the product to the customer."""
        self.ensure_one()
        warehouse = self._warehouse()
        picking_type = warehouse.out_type_id
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            self._prepare_picking_vals(
                picking_type, picking_type.default_location_src_id, customers
            )
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _launch_return(self):
        """The faulty unit comes back from the customer."""
        self.ensure_one()
        warehouse = self._warehouse()
        picking_type = warehouse.in_type_id
        customers = self.env.ref("stock.stock_location_customers")
        vals = self._prepare_picking_vals(
            picking_type, customers, picking_type.default_location_dest_id
        )
        picking = self.env["stock.picking"].create(vals)
        picking.action_confirm()
        return picking

    def _refund_price(self):
        self.ensure_one()
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", self.lot_id.id),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                ],
                order="date desc",
                limit=1,
            )
        )
        sale_line = lines.move_id.sale_line_id
        if sale_line:
            return sale_line.price_unit, sale_line.tax_ids
        return self.product_id.lst_price, self.product_id.taxes_id.filtered(
            lambda t: t.company_id == self.company_id
        )

    def _launch_refund(self):
        """A return transfer of the unit and a draft credit note to the customer."""
        self.ensure_one()
        self._launch_return()
        price, taxes = self._refund_price()
        refund = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self._customer().id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.name,
                    "ref": self.env._(
                        "Warranty return %(claim)s, serial %(serial)s",
                        claim=self.name,
                        serial=self.lot_id.name,
                    ),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "quantity": 1.0,
                                "price_unit": price,
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    ],
                }
            )
        )
        with server_owned_writes():
            self.refund_move_id = refund
        return refund

    def _launch_quotation(self):
        """A quotation for a repair at the customer's cost."""
        self.ensure_one()
        service = self.env.ref("warranty_claims.product_product_paid_repair")
        order = self.env["sale.order"].create(
            {
                "partner_id": self._customer().id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "order_line": [
                    Command.create(
                        {
                            "product_id": service.id,
                            "name": self.env._(
                                "Repair of %(product)s, serial %(serial)s "
                                "(out of warranty): %(fault)s",
                                product=self.product_id.display_name,
                                serial=self.lot_id.name,
                                fault=self.fault_id.name,
                            ),
                        }
                    )
                ],
            }
        )
        with server_owned_writes():
            self.sale_order_id = order
        return order

    def _repair_completed(self, order):
        """The repair order finished: end of the repair, costs, claim done."""
        for claim in self.filtered(lambda c: c.state == "in_progress"):
            end = fields.Date.context_today(
                self, order.date_end or fields.Datetime.now()
            )
            with server_owned_writes():
                claim.repair_end_date = end
                claim._record_default_costs()
                claim.write({"state": "done", "done_date": end})
            claim.message_post(
                body=self.env._(
                    "Repair order %s completed: the claim is done.", order.name
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _record_default_costs(self):
        """Costs per class where none was entered: labour (hours worked ×
        the policy's rate) and travel (its flat fee) from the repair order,
        the unit's cost for an exchange or a return."""
        self.ensure_one()
        version = self.policy_version_id
        order = self.repair_order_id
        hours = order.duration or order.scheduled_duration or 0.0
        defaults = {
            "labour": hours * version.labour_rate if order else 0.0,
            "travel": version.travel_fee if order else 0.0,
            "unit": self.product_id.standard_price
            if self.outcome in ("exchange", "refund")
            else 0.0,
        }
        with server_owned_writes():
            for line in self.verdict_line_ids:
                if not line.cost and defaults.get(line.cost_class):
                    line.cost = defaults[line.cost_class]

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------
    def _action_open(self, model, records, name):
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        else:
            action.update(view_mode="list,form", domain=[("id", "in", records.ids)])
        return action

    def action_view_repair_order(self):
        check_group(self, OFFICER, self.env._("Viewing the repair order of a claim"))
        self.ensure_one()
        return self._action_open(
            "fsm.order", self.repair_order_id, self.env._("Repair Order")
        )

    def action_view_pickings(self):
        check_group(self, OFFICER, self.env._("Viewing the transfers of a claim"))
        self.ensure_one()
        return self._action_open(
            "stock.picking", self.picking_ids, self.env._("Transfers")
        )

    def action_view_refund(self):
        check_group(self, OFFICER, self.env._("Viewing the credit note of a claim"))
        self.ensure_one()
        return self._action_open(
            "account.move", self.refund_move_id, self.env._("Credit Note")
        )

    def action_view_quotation(self):
        check_group(self, OFFICER, self.env._("Viewing the quotation of a claim"))
        self.ensure_one()
        return self._action_open(
            "sale.order", self.sale_order_id, self.env._("Quotation")
        )

    def action_view_brand_invoice(self):
        check_group(self, OFFICER, self.env._("Viewing the brand invoice of a claim"))
        self.ensure_one()
        return self._action_open(
            "account.move", self.brand_invoice_id, self.env._("Brand Invoice")
        )

    # ------------------------------------------------------------------
    # Email
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim from an email to the claims alias: the code or serial is
        read from the subject, else the body."""
        check_group(self, OFFICER, self.env._("Recording a claim from an email"))
        # the caller's values may not name a server-owned field
        self._server_owned_check(custom_values or {})
        subject = msg_dict.get("subject") or ""
        body = tools.html2plaintext(msg_dict.get("body") or "")
        code, lot, error = self._find_unit_in_text(subject, body)
        name, email = tools.parse_contact_from_email(msg_dict.get("email_from") or "")
        partner = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        values = {
            # the claim number, not the subject (mail.thread's default name)
            "name": "/",
            "source": "email",
            "description": body[:10000],
            "reporter_name": name or email,
            "reporter_email": email,
            "code_id": code.id,
            "lot_id": lot.id,
            "user_id": False,
            **(custom_values or {}),
        }
        if lot and lot.company_id:
            values.setdefault("company_id", lot.company_id.id)
        if partner and not values.get("partner_id"):
            values["partner_id"] = partner.id
        if error:
            values.update(state="refused", refusal_reason=error)
        with server_owned_writes():
            claim = super().message_new(msg_dict, custom_values=values)
        if not lot and not error:
            claim.message_post(
                body=self.env._(
                    "No warranty code or serial number was recognised in the "
                    "email: ask the customer for it."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return claim

    # ------------------------------------------------------------------
    # Billing the brands
    # ------------------------------------------------------------------
    def _brand_evidence(self):
        """One line of evidence: code, serial, dates, milestones, classes."""
        self.ensure_one()
        registration = self.registration_id
        parts = [
            self.env._("Claim %s", self.name),
            self.env._(
                "code %s", self.code_id.code or registration.code_id.code or "-"
            ),
            self.env._(
                "serial %(serial)s (%(product)s)",
                serial=self.lot_id.name,
                product=self.product_id.display_name,
            ),
            self.env._("reported %s", self.report_date),
        ]
        if registration.start_date:
            parts.append(self.env._("warranty from %s", registration.start_date))
        install = registration.install_order_id
        if install:
            milestones = ", ".join(
                f"{log.milestone_id.name} {fields.Date.to_string(log.timestamp.date())}"
                for log in install.milestone_log_ids
                if log.lot_id in (self.lot_id, self.env["stock.lot"])
            )
            parts.append(
                self.env._(
                    "installed %(date)s by %(person)s (%(order)s: %(milestones)s)",
                    date=registration.install_date,
                    person=registration.installer_id.name or "-",
                    order=install.name,
                    milestones=milestones or "-",
                )
            )
        if self.repair_order_id:
            parts.append(
                self.env._(
                    "repair %(order)s %(start)s → %(end)s",
                    order=self.repair_order_id.name,
                    start=self.repair_start_date,
                    end=self.repair_end_date,
                )
            )
        parts.append(
            ", ".join(
                "{} {}".format(
                    line._label("cost_class", line.cost_class),
                    self.currency_id.format(line.cost),
                )
                for line in self.verdict_line_ids
                if line.covered and line.cost
            )
        )
        return "; ".join(parts)

    @api.model
    def _bill_brands(self, claims=None, date_to=None):
        """Invoice the covered costs of completed claims to their brands: one
        draft invoice per brand and company, one line per claim. Claims
        already on a live invoice are skipped. Returns the invoices."""
        domain = Domain("billing_state", "=", "to_bill")
        if claims is not None:
            domain &= Domain("id", "in", claims.ids)
        if date_to:
            domain &= Domain("done_date", "<=", date_to)
        todo = self.search(domain, order="company_id, brand_id, done_date, id")
        if not todo:
            return self.env["account.move"]
        todo.lock_for_update()
        service = self.env.ref("warranty_claims.product_product_brand_service")
        moves = self.env["account.move"]
        groups = {}
        for claim in todo:
            groups.setdefault((claim.company_id, claim.brand_id), []).append(claim)
        for (company, brand), group in groups.items():
            move = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": brand.id,
                        "company_id": company.id,
                        "invoice_origin": self.env._("Warranty claims"),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": service.id,
                                    "name": claim._brand_evidence(),
                                    "quantity": 1.0,
                                    "price_unit": claim.amount_covered,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                            for claim in group
                        ],
                    }
                )
            )
            lines = move.invoice_line_ids.sorted("id")
            with server_owned_writes():
                for claim, line in zip(group, lines, strict=True):
                    claim.brand_invoice_line_id = line
            moves |= move
        return moves

    @api.model
    def _cron_bill_brands(self):
        self._bill_brands()
