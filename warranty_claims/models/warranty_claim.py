# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The warranty claim: what the user records about the unit and the fault,
its number, its checks. Each concern of the claim has a file of its own,
a thin ``_inherit`` with its fields next to its methods:

- ``warranty_claim_lookup.py``: finding the unit from a code or a serial;
- ``warranty_claim_verdict.py``: the engine's verdict per cost class;
- ``warranty_claim_workflow.py``: the buttons, the decision;
- ``warranty_claim_outcome.py``: repair order, transfers, credit note, quotation;
- ``warranty_claim_mail.py``: claims sent by email;
- ``warranty_claim_billing.py``: the covered costs billed to the brands.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.responsible import responsible_user
from odoo.addons.fieldservice_install.tools.selection import selection_label

from ..tools import MANAGER

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
SOURCE_SELECTION = [("backend", "Backend"), ("web", "Code Page"), ("email", "Email")]

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
        res = super()._server_owned_check_write(vals)
        self._check_state_locked(vals)
        return res

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
                        state=selection_label(claim, "state", claim.state),
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

    def _responsible_user(self):
        """Who follows the claim up: its responsible, else the current
        internal user, else a warranty manager of the company (claims from
        the public page or by email)."""
        self.ensure_one()
        return responsible_user(self.env, self.company_id, self.user_id, group=MANAGER)
