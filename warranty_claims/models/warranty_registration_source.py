# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Registering units: from the installed milestone, from deliveries and
invoices (the daily cron), by hand from a serial."""

from odoo import api, fields, models
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..engine import verdict

FROM_THE_UNIT = _lt("recorded from the installation, delivery and invoice of the unit")


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyRegistration(models.Model):
    _inherit = "warranty.registration"

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
