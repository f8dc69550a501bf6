# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..engine import verdict
from ..tools import MANAGER, OFFICER, check_group
from .warranty_policy_version import START_BASIS_SELECTION

# what the server-owned fields' messages say to do instead
FROM_THE_UNIT = _lt("recorded from the installation, delivery and invoice of the unit")
RECOMPUTE = _lt("use Recompute Warranty")


class WarrantyRegistration(models.Model):
    """The warranty of one serial-numbered unit: who, where, since when, until
    when per cost class, and whether an authorised installer installed it.

    Created when the "installed" milestone scans the serial, else from the
    delivery (plus the policy's days) or the invoice by the daily cron, or by
    hand from the unit's serial (the server then reads its delivery and
    invoice).

    Owned by the server (``install.server.owned.mixin``): the installation
    (order, installer, date, authorised), the delivery and invoice dates, the
    policy, start and end dates, the code and the claims; they come from the
    milestones, deliveries and invoices, and *Recompute Warranty*. Users keep
    the customer and the notes; the unit of a registration never changes.
    """

    _name = "warranty.registration"
    _description = "Warranty Registration"
    _inherit = ("install.server.owned.mixin", "mail.thread", "mail.activity.mixin")
    _order = "start_date desc, id desc"
    _rec_name = "lot_id"

    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", required=True, index=True, tracking=True
    )
    product_id = fields.Many2one(
        related="lot_id.product_id", store=True, index=True, string="Product"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", tracking=True)
    code_id = fields.Many2one(
        "warranty.code",
        string="Warranty Code",
        index="btree_not_null",
        copy=False,
        readonly=True,
        server_owned=True,
    )
    install_order_id = fields.Many2one(
        "fsm.order",
        string="Installation Order",
        index="btree_not_null",
        readonly=True,
        server_owned=FROM_THE_UNIT,
    )
    installer_id = fields.Many2one(
        "fsm.person",
        readonly=True,
        server_owned=FROM_THE_UNIT,
    )
    install_date = fields.Date(
        string="Installed On",
        readonly=True,
        server_owned=FROM_THE_UNIT,
    )
    delivery_date = fields.Date(
        string="Delivered On",
        readonly=True,
        server_owned=FROM_THE_UNIT,
    )
    invoice_date = fields.Date(
        string="Invoiced On",
        readonly=True,
        server_owned=FROM_THE_UNIT,
    )
    authorised_installer = fields.Boolean(
        default=True,
        tracking=True,
        readonly=True,
        server_owned=FROM_THE_UNIT,
        help="Unchecked when the installer had no valid certification for the "
        "product's category: an exclusion for claims.",
    )
    policy_id = fields.Many2one(
        "warranty.policy",
        tracking=True,
        readonly=True,
        server_owned=RECOMPUTE,
    )
    policy_version_id = fields.Many2one(
        "warranty.policy.version",
        tracking=True,
        readonly=True,
        server_owned=RECOMPUTE,
        help="The version in force when the warranty started: it gives the end "
        "dates shown here. A claim is decided by the version in force on its "
        "report date.",
    )
    start_basis = fields.Selection(
        START_BASIS_SELECTION,
        string="Started by",
        tracking=True,
        readonly=True,
        server_owned=RECOMPUTE,
    )
    start_date = fields.Date(
        tracking=True,
        index=True,
        readonly=True,
        server_owned=RECOMPUTE,
    )
    pause_days = fields.Integer(
        string="Days in Repair",
        compute="_compute_pause_days",
        store=True,
        help="Days the unit spent in warranty repairs; with the policy's pause "
        "option, end dates move by as many days.",
    )
    end_date_unit = fields.Date(
        string="Whole Unit Until", compute="_compute_end_dates", store=True
    )
    end_date_parts = fields.Date(
        string="Main Parts Until", compute="_compute_end_dates", store=True
    )
    end_date_labour = fields.Date(
        string="Labour Until", compute="_compute_end_dates", store=True
    )
    end_date_travel = fields.Date(
        string="Travel Until", compute="_compute_end_dates", store=True
    )
    in_warranty = fields.Boolean(
        compute="_compute_in_warranty", search="_search_in_warranty"
    )
    claim_ids = fields.One2many(
        "warranty.claim",
        "registration_id",
        string="Claims",
        readonly=True,
        server_owned=True,
    )
    claim_count = fields.Integer(compute="_compute_claim_count")
    note = fields.Text()

    _lot_unique = models.Constraint(
        "UNIQUE(lot_id)", "A unit (serial number) is registered once."
    )

    @api.depends(
        "claim_ids.repair_start_date", "claim_ids.repair_end_date", "claim_ids.state"
    )
    def _compute_pause_days(self):
        today = fields.Date.context_today(self)
        for registration in self:
            registration.pause_days = verdict.pause_days(
                registration._engine_repairs(), today
            )

    @api.depends(
        "start_date",
        "pause_days",
        "policy_version_id.pause_in_repair",
        "policy_version_id.line_ids.months",
        "policy_version_id.line_ids.cost_class",
    )
    def _compute_end_dates(self):
        for registration in self:
            ends = {}
            version = registration.policy_version_id
            if version and registration.start_date:
                ends = verdict.end_dates(
                    version._engine_versions()[0],
                    registration.start_date,
                    registration.pause_days,
                )
            registration.end_date_unit = ends.get(verdict.UNIT, False)
            registration.end_date_parts = ends.get(verdict.PARTS, False)
            registration.end_date_labour = ends.get(verdict.LABOUR, False)
            registration.end_date_travel = ends.get(verdict.TRAVEL, False)

    def _last_end_date(self):
        self.ensure_one()
        ends = [
            d
            for d in (
                self.end_date_unit,
                self.end_date_parts,
                self.end_date_labour,
                self.end_date_travel,
            )
            if d
        ]
        return max(ends) if ends else None

    def _compute_in_warranty(self):
        today = fields.Date.context_today(self)
        for registration in self:
            end = registration._last_end_date()
            registration.in_warranty = bool(end and today <= end)

    def _search_in_warranty(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'in warranty'."))
        today = fields.Date.context_today(self)
        domain = Domain.OR(
            Domain(f, ">=", today)
            for f in (
                "end_date_unit",
                "end_date_parts",
                "end_date_labour",
                "end_date_travel",
            )
        )
        return domain if (operator == "=") == value else ~domain

    def _compute_claim_count(self):
        groups = self.env["warranty.claim"]._read_group(
            [("registration_id", "in", self.ids)],
            groupby=["registration_id"],
            aggregates=["__count"],
        )
        counts = {reg.id: n for reg, n in groups}
        for registration in self:
            registration.claim_count = counts.get(registration.id, 0)

    def _engine_repairs(self, fault=None, before=None):
        """Warranty repairs of the unit as engine values (``failed`` for the
        ones of ``fault``: the fault came back)."""
        self.ensure_one()
        repairs = []
        for claim in self.claim_ids:
            if not claim.repair_start_date or claim.state == "cancelled":
                continue
            if before and claim == before:
                continue
            repairs.append(
                verdict.Repair(
                    fault_id=claim.fault_id.id,
                    start=claim.repair_start_date,
                    end=claim.repair_end_date or None,
                    failed=bool(
                        fault and claim.fault_id == fault and claim.state == "done"
                    ),
                )
            )
        return repairs

    def action_view_claims(self):
        check_group(self, OFFICER, self.env._("Viewing the claims of a unit"))
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "warranty_claims.warranty_claim_action"
        )
        action["domain"] = [("registration_id", "=", self.id)]
        action["context"] = {
            "default_lot_id": self.lot_id.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_refresh_warranty(self):
        """Recompute the start, the policy version and the code activation."""
        check_group(self, MANAGER, self.env._("Recomputing a warranty"))
        self._warranty_refresh()
        return True

    # ------------------------------------------------------------------
    # Creation from installations, deliveries and invoices
    # ------------------------------------------------------------------
    @api.model
    def _server_owned_prepare_create(self, vals_list):
        """A unit registered by hand from its serial (no dates given): the
        server finds its delivery and invoice."""
        vals_list = super()._server_owned_prepare_create(vals_list)
        by_hand = [
            vals
            for vals in vals_list
            if vals.get("lot_id") and "delivery_date" not in vals
        ]
        lots = self.env["stock.lot"].browse([vals["lot_id"] for vals in by_hand])
        facts = self._unit_facts(lots) if lots else {}
        for vals in by_hand:
            fact = facts.get(vals["lot_id"])
            if fact:
                if not vals.get("partner_id"):
                    vals["partner_id"] = fact["partner"].commercial_partner_id.id
                vals.update(
                    delivery_date=fact["delivery_date"],
                    invoice_date=fact["invoice_date"],
                )
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        registrations = super().create(vals_list)
        with server_owned_writes():
            registrations._warranty_refresh()
        return registrations

    def _server_owned_check_write(self, vals):
        super()._server_owned_check_write(vals)
        if "lot_id" in vals:
            moved = self.filtered(lambda r: r.lot_id.id != vals["lot_id"])
            if moved:
                raise UserError(
                    self.env._(
                        "The warranty of %(serial)s cannot move to another unit: "
                        "register the other unit instead.",
                        serial=moved[0].lot_id.name,
                    )
                )

    def _warranty_refresh(self):
        """Policy, start date (engine), and the unit's code issued and activated."""
        policies = self.env["warranty.policy"]._for_products(self.product_id)
        for registration in self:
            policy = (
                policies.get(registration.product_id.id)
                or self.env["warranty.policy"].browse()
            )
            first_day = (
                registration.install_date
                or registration.delivery_date
                or registration.invoice_date
                or fields.Date.context_today(self)
            )
            version = policy._version_for(first_day) if policy else policy.browse()
            if not version:
                version = self.env["warranty.policy.version"]
            basis = version.start_basis or "installation"
            start, used = verdict.start_date(
                basis,
                version.delivery_days if version else 0,
                install=registration.install_date or None,
                delivery=registration.delivery_date or None,
                invoice=registration.invoice_date or None,
            )
            with server_owned_writes():
                registration.write(
                    {
                        "policy_id": policy.id,
                        "policy_version_id": version.id,
                        "start_date": start or False,
                        "start_basis": used or False,
                    }
                )
        self._warranty_activate_codes()

    def _warranty_activate_codes(self):
        """Issue a code to the units without one, activate it at the start."""
        code_model = self.env["warranty.code"].sudo()
        todo = self.filtered(lambda r: r.start_date)
        missing = todo.filtered(lambda r: not r.code_id)
        if missing:
            existing = code_model.search(
                [("lot_id", "in", missing.lot_id.ids), ("state", "!=", "revoked")]
            )
            by_lot = {code.lot_id.id: code for code in existing}
            lots = missing.lot_id.filtered(lambda lot: lot.id not in by_lot)
            if lots:
                for code in code_model._issue_for_lots(lots):
                    by_lot[code.lot_id.id] = code
            with server_owned_writes():
                for registration in missing:
                    if registration.lot_id.id in by_lot:
                        registration.code_id = by_lot[registration.lot_id.id]
        for registration in todo:
            code = registration.code_id.sudo()
            if code and code.state == "generated":
                code._activate(registration.start_date)

    @api.model
    def _unit_facts(self, lots):
        """``{lot id: {"partner", "delivery_date", "invoice_date", "company"}}``
        from the done customer deliveries of ``lots`` (latest delivery wins)."""
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                ],
                order="date asc, id asc",
            )
        )
        facts = {}
        for line in move_lines:
            picking = line.picking_id
            sale = line.move_id.sale_line_id.order_id
            invoices = sale.invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )
            facts[line.lot_id.id] = {
                "partner": picking.partner_id or sale.partner_shipping_id,
                "delivery_date": fields.Date.context_today(self, line.date),
                "invoice_date": min(invoices.mapped("invoice_date"), default=False),
                "company": line.company_id,
                "sale": sale,
            }
        return facts

    @api.model
    def _register_install(self, log):
        """Register (or complete) the unit whose serial the installed
        milestone ``log`` scanned; returns the registration."""
        order = log.order_id
        lot = log.lot_id
        install_date = fields.Date.context_today(self, log.timestamp)
        person = order.person_id
        authorised = bool(
            person and person._warranty_is_authorised(lot.product_id, install_date)
        )
        facts = self._unit_facts(lot).get(lot.id, {})
        vals = {
            "install_order_id": order.id,
            "installer_id": person.id,
            "install_date": install_date,
            "authorised_installer": authorised,
            "partner_id": (
                order.install_partner_id.commercial_partner_id
                or order.location_id.owner_id
                or facts.get("partner")
            ).id,
            "delivery_date": facts.get("delivery_date", False),
            "invoice_date": facts.get("invoice_date", False),
        }
        registration = self.sudo().search([("lot_id", "=", lot.id)], limit=1)
        with server_owned_writes():
            if registration:
                registration.write(vals)
                registration._warranty_refresh()
            else:
                registration = self.sudo().create(
                    {"lot_id": lot.id, "company_id": order.company_id.id, **vals}
                )
        if not authorised:
            registration.message_post(
                body=self.env._(
                    "Installed by %(person)s, who holds no valid certification for "
                    "%(category)s on %(date)s: claims are excluded (non-authorised "
                    "installer).",
                    person=person.name or self.env._("nobody"),
                    category=lot.product_id.categ_id.display_name,
                    date=install_date,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return registration

    @api.model
    def _register_delivered(self, lots=None, today=None):
        """Register delivered units that were never installed, as their
        policy says: delivery plus the policy's days (or the invoice date)
        once that day has come. Returns the new registrations."""
        today = today or fields.Date.context_today(self)
        if lots is None:
            # only the delivered lots not registered yet: the table grows
            registered = self.sudo()._search([]).subselect("lot_id")
            groups = (
                self.env["stock.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("lot_id", "!=", False),
                        ("lot_id", "not in", registered),
                        ("state", "=", "done"),
                        ("location_dest_id.usage", "=", "customer"),
                    ],
                    groupby=["lot_id"],
                )
            )
            lots = self.env["stock.lot"].union(*(lot for (lot,) in groups))
        registered = self.sudo().search([("lot_id", "in", lots.ids)]).lot_id
        lots = lots - registered
        if not lots:
            return self.browse()
        facts = self._unit_facts(lots)
        policies = self.env["warranty.policy"]._for_products(lots.product_id)
        vals_list = []
        for lot in lots:
            fact = facts.get(lot.id)
            policy = policies.get(lot.product_id.id)
            if not fact or not policy:
                continue
            version = policy._version_for(fact["delivery_date"])
            if not version:
                continue
            start, _used = verdict.start_date(
                version.start_basis,
                version.delivery_days,
                delivery=fact["delivery_date"],
                invoice=fact["invoice_date"] or None,
            )
            if not start or start > today:
                continue
            vals_list.append(
                {
                    "lot_id": lot.id,
                    "company_id": fact["company"].id,
                    "partner_id": fact["partner"].commercial_partner_id.id,
                    "delivery_date": fact["delivery_date"],
                    "invoice_date": fact["invoice_date"],
                }
            )
        with server_owned_writes():
            return self.sudo().create(vals_list)

    @api.model
    def _cron_register_delivered(self):
        self._register_delivered()
