# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outcome of a decided claim: the repair order, the transfers, the credit
note or the quotation, their costs, and the buttons that open them."""

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)

from ..tools import OFFICER, check_group

# what the outcome fields' messages say to do instead
OUTCOME = _lt("created by Start Outcome")


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyClaim(models.Model):
    _inherit = "warranty.claim"

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
            "description": self.env["ir.qweb"]._render(
                "warranty_claims.warranty_claim_repair_description", {"claim": self}
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
            "move_ids": [Command.create(self._prepare_picking_move_vals(source, dest))],
        }

    def _prepare_picking_move_vals(self, source, dest):
        """The move of the claim's unit in its transfer from ``source`` to
        ``dest``."""
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "product_uom_qty": 1.0,
            "product_uom": self.product_id.uom_id.id,
            "location_id": source.id,
            "location_dest_id": dest.id,
            "company_id": self.company_id.id,
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
        refund = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_refund_vals())
        )
        with server_owned_writes():
            self.refund_move_id = refund
        return refund

    def _prepare_refund_vals(self):
        """The draft credit note of a returned unit: the price it was sold
        at (else its sales price), with its taxes."""
        self.ensure_one()
        price, taxes = self._refund_price()
        return {
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

    def _launch_quotation(self):
        """A quotation for a repair at the customer's cost."""
        self.ensure_one()
        order = self.env["sale.order"].create(self._prepare_quotation_vals())
        with server_owned_writes():
            self.sale_order_id = order
        return order

    def _prepare_quotation_vals(self):
        """The quotation of a repair at the customer's cost: one line of the
        paid repair service."""
        self.ensure_one()
        service = self.env.ref("warranty_claims.product_product_paid_repair")
        return {
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
