# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The warranty's dates: the policy version, the start, the days in repair,
the end per cost class, computed by the plain-Python engine
``engine/verdict.py``."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..engine import verdict
from ..tools import MANAGER, check_group
from .warranty_policy_version import START_BASIS_SELECTION

RECOMPUTE = _lt("use Recompute Warranty")


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyRegistration(models.Model):
    _inherit = "warranty.registration"

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

    def action_refresh_warranty(self):
        """Recompute the start, the policy version and the code activation."""
        check_group(self, MANAGER, self.env._("Recomputing a warranty"))
        self._warranty_refresh()
        return True

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
