# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Billing the covered costs of done claims to the product brands."""

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.selection import selection_label
from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..tools import OFFICER, check_group


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyClaim(models.Model):
    _inherit = "warranty.claim"

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
                    selection_label(line, "cost_class", line.cost_class),
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
        moves = self.env["account.move"]
        groups = {}
        for claim in todo:
            groups.setdefault((claim.company_id, claim.brand_id), []).append(claim)
        for (company, brand), group in groups.items():
            claims = self.browse([claim.id for claim in group])
            move = (
                self.env["account.move"]
                .with_company(company)
                .create(claims._prepare_brand_invoice_vals(company, brand))
            )
            lines = move.invoice_line_ids.sorted("id")
            with server_owned_writes():
                for claim, line in zip(group, lines, strict=True):
                    claim.brand_invoice_line_id = line
            moves |= move
        return moves

    def _prepare_brand_invoice_vals(self, company, brand):
        """The draft invoice of ``brand`` for the claims ``self`` (done, of
        ``company``): one line per claim, in the order of ``self``."""
        return {
            "move_type": "out_invoice",
            "partner_id": brand.id,
            "company_id": company.id,
            "invoice_origin": self.env._("Warranty claims"),
            "invoice_line_ids": [
                Command.create(claim._prepare_brand_invoice_line_vals())
                for claim in self
            ],
        }

    def _prepare_brand_invoice_line_vals(self):
        """The claim's line on its brand's invoice: the covered costs, with
        the evidence in the label, untaxed."""
        self.ensure_one()
        service = self.env.ref("warranty_claims.product_product_brand_service")
        return {
            "product_id": service.id,
            "name": self._brand_evidence(),
            "quantity": 1.0,
            "price_unit": self.amount_covered,
            "tax_ids": [Command.clear()],
        }

    @api.model
    def _cron_bill_brands(self):
        self._bill_brands()

    def action_view_brand_invoice(self):
        check_group(self, OFFICER, self.env._("Viewing the brand invoice of a claim"))
        self.ensure_one()
        return self._action_open(
            "account.move", self.brand_invoice_id, self.env._("Brand Invoice")
        )
