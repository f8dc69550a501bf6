# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Installation bookkeeping of field service orders: what the sale order
and its deliveries keep in step (products to install, deliveries, planned
date, readiness, cancellation and reopening).
"""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from ..engine.install_sync import earliest_install_start, is_fully_delivered
from ..tools.server_owned import server_owned_writes

_lt = LazyTranslate(__name__)


class FsmOrderInstall(models.Model):
    _inherit = "fsm.order"  # pylint: disable=consider-merging-classes-inherited

    install_ready = fields.Boolean(
        string="Goods Delivered",
        readonly=True,
        copy=False,
        tracking=True,
        server_owned=_lt("it follows the validated deliveries of the sale order"),
        help="Every product to install has been delivered to the customer.",
    )
    install_date_confirmed = fields.Boolean(
        string="Date Confirmed with Customer",
        readonly=True,
        copy=False,
        tracking=True,
        server_owned=_lt("use the button Confirm Date with Customer"),
        help="Once confirmed, moving the delivery no longer moves the installation.",
    )
    address_incomplete = fields.Boolean(
        compute="_compute_address_incomplete",
        store=True,
        server_owned=True,
        help="The address has no street or no city: a technician cannot find it.",
    )
    location_state_id = fields.Many2one(
        related="location_id.state_id",
        string="Province / State",
        store=True,
        server_owned=True,
    )
    install_late = fields.Boolean(
        compute="_compute_install_late", search="_search_install_late"
    )

    @api.depends(
        "location_id.street",
        "location_id.city",
        "install_partner_id",
        "is_installation",
    )
    def _compute_address_incomplete(self):
        for order in self:
            address = order.location_id
            order.address_incomplete = order.is_installation and not (
                address.street and address.city
            )

    def _compute_install_late(self):
        now = fields.Datetime.now()
        for order in self:
            order.install_late = bool(
                order.is_installation
                and order.install_state in ("to_plan", "scheduled")
                and order.scheduled_date_start
                and order.scheduled_date_start < now
            )

    def _search_install_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'late'."))
        domain = (
            Domain("is_installation", "=", True)
            & Domain("install_state", "in", ("to_plan", "scheduled"))
            & Domain("scheduled_date_start", "<", fields.Datetime.now())
        )
        return domain if (operator == "=") == value else ~domain

    def action_confirm_install_date(self):
        self._check_dispatcher()
        for order in self:
            if not order.is_installation:
                continue
            if not order.scheduled_date_start:
                raise UserError(
                    self.env._(
                        "Installation order %(order)s has no planned start: set the "
                        "date agreed with the customer first.",
                        order=order.name,
                    )
                )
        with server_owned_writes():
            self.filtered("is_installation").install_date_confirmed = True
        return True

    @api.model
    def _install_first_stage(self, company):
        """First order stage usable in ``company``.

        OCA's default stage follows the current company; installation orders are
        created for the sale order's company, which may not be the current one.
        """
        stage = self.env["fsm.stage"].search(
            Domain("stage_type", "=", "order")
            & Domain("is_default", "=", True)
            & Domain("company_id", "in", (company.id, False)),
            order="sequence asc",
            limit=1,
        )
        return stage or self.env.ref("fieldservice.fsm_stage_new")

    @api.model
    def _install_team(self, company):
        """Default team of ``company`` (or shared), else OCA's default team."""
        team = self.env["fsm.team"].search(
            Domain("company_id", "in", (company.id, False)), order="sequence", limit=1
        )
        return team or self.env.ref("fieldservice.fsm_team_default")

    def _install_delivery_moves(self):
        """Outgoing moves to the customer of the goods these orders install."""
        return self.install_line_ids.sale_line_id.move_ids.filtered(
            lambda m: m.location_dest_id.usage == "customer" and m.state != "cancel"
        )

    def _install_link_deliveries(self):
        """Point the customer deliveries (moves and pickings) to the installation."""
        order_by_sale_line = {
            line.sale_line_id.id: line.order_id
            for line in self.install_line_ids
            if line.sale_line_id
        }
        moves_by_order = defaultdict(lambda: self.env["stock.move"])
        for move in self._install_delivery_moves():
            order = order_by_sale_line.get(move.sale_line_id.id)
            if order and move.fsm_order_id != order:
                moves_by_order[order] |= move
        for order, moves in moves_by_order.items():
            moves.fsm_order_id = order
            moves.picking_id.filtered(lambda p: not p.fsm_order_id).fsm_order_id = order

    def _install_reschedule(self):
        """Plan each order at the latest scheduled delivery plus the company buffer.

        Orders whose date was confirmed with the customer, or that started or
        closed, keep their date.
        """
        orders = self.filtered(
            lambda o: (
                o.is_installation
                and not o.install_date_confirmed
                and o.install_state in ("to_plan", "scheduled")
            )
        )
        if not orders:
            return
        moves_by_order = defaultdict(lambda: self.env["stock.move"])
        for move in orders._install_delivery_moves():
            moves_by_order[move.fsm_order_id.id] |= move
        for order in orders:
            start = self._install_start(
                moves_by_order[order.id], order.company_id, order.sale_id
            )
            if start and start != order.scheduled_date_start:
                order.write(
                    {
                        "scheduled_date_start": start,
                        "scheduled_duration": order.scheduled_duration,
                        "request_early": start,
                    }
                )

    @api.model
    def _install_start(self, moves, company, sale):
        """Latest scheduled (or done) delivery of ``moves`` plus the buffer."""
        dates = [
            (m.picking_id.date_done if m.picking_id.state == "done" else None)
            or m.picking_id.scheduled_date
            or m.date
            for m in moves
        ]
        return earliest_install_start(
            dates,
            company.install_buffer_days,
            fallback=sale.commitment_date or sale.expected_date,
        )

    def _install_refresh_delivery(self):
        """Record delivered quantities and serials; mark delivered orders ready."""
        orders = self.filtered("is_installation")
        if not orders:
            return
        done_qty = defaultdict(float)
        lots = defaultdict(lambda: self.env["stock.lot"])
        for move in orders._install_delivery_moves().filtered(
            lambda m: m.state == "done"
        ):
            done_qty[move.sale_line_id.id] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
            lots[move.sale_line_id.id] |= move.move_line_ids.lot_id
        ready_stage = self.env.ref("fieldservice_install.fsm_stage_ready_to_install")
        for order in orders:
            for line in order.install_line_ids:
                key = line.sale_line_id.id
                vals = {}
                if line.qty_delivered != done_qty.get(key, 0.0):
                    vals["qty_delivered"] = done_qty.get(key, 0.0)
                if key in lots and lots[key] - line.lot_ids:
                    vals["lot_ids"] = [Command.link(lot.id) for lot in lots[key]]
                if vals:
                    line.write(vals)
            ready = is_fully_delivered(
                {line.id: line.quantity for line in order.install_line_ids},
                {line.id: line.qty_delivered for line in order.install_line_ids},
            )
            if ready and not order.install_ready:
                vals = {"install_ready": True}
                if order.stage_id == self._install_first_stage(order.company_id):
                    vals["stage_id"] = ready_stage.id
                with server_owned_writes():
                    order.write(vals)
                serials = order.install_line_ids.lot_ids.mapped("name")
                order.message_post(
                    body=self.env._(
                        "Goods delivered, ready to install. Serial numbers: %s",
                        ", ".join(serials) or self.env._("none (not tracked)"),
                    )
                )
            elif not ready and order.install_ready:
                with server_owned_writes():
                    order.install_ready = False

    @api.model
    def _install_plan_values(self, order_type, products_qty):
        """Duration (h) and required skills for ``[(product, quantity), ...]``."""
        hours = 0.0
        skills = self.env["hr.skill"]
        for product, qty in products_qty:
            hours += (
                product.install_duration or order_type.install_default_duration
            ) * qty
            skills |= product.install_skill_ids.skill_id
        return hours, skills

    def _install_refresh_plan(self):
        """Duration and required skills from the products to install."""
        for order in self.filtered("is_installation"):
            hours, skills = self._install_plan_values(
                order.type,
                [(line.product_id, line.quantity) for line in order.install_line_ids],
            )
            vals = {}
            if order.scheduled_duration != hours:
                vals["scheduled_duration"] = hours
            if skills != order.skill_ids:
                vals["skill_ids"] = [Command.set(skills.ids)]
            if vals:
                order.write(vals)

    def _install_cancel_or_warn(self, reason):
        """Cancel the orders that have not started; warn on the others.

        Installation orders are never deleted: their history stays.
        """
        not_started = self.filtered(
            lambda o: o.install_state in ("to_plan", "scheduled")
        )
        if not_started:
            not_started.action_cancel()
            for order in not_started:
                order.message_post(body=reason)
        for order in self - not_started:
            if order.install_state == "in_progress":
                order.message_post(
                    body=self.env["ir.qweb"]._render(
                        "fieldservice_install.message_install_started_warning",
                        {"reason": reason},
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )

    def _install_notify_incomplete_address(self):
        for order in self.filtered("address_incomplete"):
            order.activity_schedule(
                **order._prepare_install_activity_vals(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Address incomplete"),
                    note=self.env._(
                        "The delivery address %(address)s has no street or no "
                        "city. Complete it before dispatching a technician.",
                        address=order.location_id.display_name,
                    ),
                )
            )

    def _install_reopen(self):
        """Bring cancelled installation orders back to the first stage."""
        for order in self.filtered(lambda o: o.install_state == "cancelled"):
            with server_owned_writes():
                order.write(
                    {
                        "stage_id": self._install_first_stage(order.company_id).id,
                        "install_ready": False,
                    }
                )
            order.message_post(
                body=self.env._("Reopened: the sale order was confirmed again.")
            )
