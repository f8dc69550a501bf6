# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError

from ..engine import verdict
from ..tools import OFFICER, check_group


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

    The dates (policy, start, pause, ends) are in
    ``warranty_registration_dates.py``; the registration from installations,
    deliveries, invoices and by hand in ``warranty_registration_source.py``.
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

    def _server_owned_check_write(self, vals):
        res = super()._server_owned_check_write(vals)
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
        return res
