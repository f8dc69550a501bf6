# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Installation orders of sale orders: made on confirmation (one per
delivery address), kept in step with the lines and the commitment date,
cancelled or warned when the sale order is cancelled. The plan is
``engine/install_sync.py``.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import plaintext2html
from odoo.tools.translate import LazyTranslate

from ..engine.install_sync import (
    ExistingLine,
    WantedLine,
    aggregate_install_state,
    plan_install_sync,
)

_lt = LazyTranslate(__name__)

SALE_INSTALL_STATES = [
    ("none", "No Installation"),
    ("to_plan", "To Plan"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Installed"),
    ("cancelled", "Cancelled"),
]


class SaleOrderInstall(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    install_order_ids = fields.One2many(
        "fsm.order",
        "sale_id",
        string="Installation Orders",
        domain=[("is_installation", "=", True)],
        readonly=True,
        server_owned=_lt("confirming the sale order creates them"),
    )
    install_order_count = fields.Integer(
        compute="_compute_install_order_count", compute_sudo=True
    )
    install_state = fields.Selection(
        SALE_INSTALL_STATES,
        string="Installation",
        compute="_compute_install_state",
        store=True,
        index=True,
        default="none",
        server_owned=True,
    )

    def _action_confirm(self):
        res = super()._action_confirm()
        self._install_sync(reopen_cancelled=True)
        return res

    def write(self, vals):
        keep_dates = {}
        if "commitment_date" in vals:
            # read as superuser below: the caller's right to write comes first
            self.check_access("write")
            # fieldservice_sale copies the commitment date on every field service
            # order; an installation date agreed with the customer must not move.
            keep_dates = {
                fso: fso.scheduled_date_start
                for fso in self.sudo().install_order_ids
                if fso.install_date_confirmed
                or fso.install_state not in ("to_plan", "scheduled")
            }
        res = super().write(vals)
        if "commitment_date" in vals:
            for fso, date in keep_dates.items():
                if fso.scheduled_date_start != date:
                    fso.write(
                        {
                            "scheduled_date_start": date,
                            "scheduled_duration": fso.scheduled_duration,
                        }
                    )
            self.sudo().install_order_ids._install_reschedule()
        return res

    @api.depends("install_order_ids")
    def _compute_install_order_count(self):
        for order in self:
            order.install_order_count = len(order.install_order_ids)

    @api.depends("install_order_ids.install_state")
    def _compute_install_state(self):
        for order in self:
            order.install_state = aggregate_install_state(
                order.install_order_ids.mapped("install_state")
            )

    def _action_cancel(self):
        res = super()._action_cancel()
        for order in self.sudo():
            order.install_order_ids._install_cancel_or_warn(
                self.env._("Sale order %s was cancelled.", order.name)
            )
        return res

    def action_view_install_orders(self):
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group("fieldservice.group_fsm_user_own"):
            raise AccessError(
                self.env._(
                    "Installation orders are for field service users: ask your "
                    "administrator for access to Field Service."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "fieldservice_install.fsm_order_install_action"
        )
        orders = self.install_order_ids
        if len(orders) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = orders.id
        else:
            action["domain"] = [("id", "in", orders.ids)]
        action["context"] = {"create": False}
        return action

    def _install_sync(self, reopen_cancelled=False):
        """Create / update the installation orders of confirmed sale orders.

        Idempotent: it can run after every change of the sale order. With
        ``reopen_cancelled`` (a re-confirmation), installation orders cancelled
        with the sale order are reused instead of duplicated.

        Runs as superuser: whoever may confirm or edit the sale order keeps its
        installation orders in step, without field service access rights.
        """
        return self.sudo()._install_sync_as_superuser(reopen_cancelled)

    def _install_sync_as_superuser(self, reopen_cancelled):
        orders = self.filtered(lambda o: o.state == "sale")
        lines = orders.order_line.filtered(
            lambda line: (
                not line.display_type
                and line.product_id.install_required
                and line.product_uom_qty > 0
            )
        )
        existing_orders = orders.install_order_ids
        if not lines and not existing_orders:
            return self.env["fsm.order"]

        def is_open(fso):
            if fso.install_state == "done":
                return False
            return fso.install_state != "cancelled" or reopen_cancelled

        touched = self.env["fsm.order"]
        new_order_vals, new_order_keys = [], []
        pending_lines = []  # (sale order, group key, vals)
        to_remove = self.env["fsm.install.line"]
        to_empty = self.env["fsm.order"]
        for order in orders:
            so_lines = lines.filtered(lambda line, o=order: line.order_id == o)
            fsos = order.install_order_ids
            wanted = [
                WantedLine(
                    line.id,
                    line._install_delivery_partner().id,
                    line.product_id.id,
                    line.product_uom_id._compute_quantity(
                        line.product_uom_qty, line.product_id.uom_id
                    ),
                )
                for line in so_lines
            ]
            existing = [
                ExistingLine(
                    il.id, il.sale_line_id.id, fso.id, il.quantity, is_open(fso)
                )
                for fso in fsos
                for il in fso.install_line_ids
            ]
            open_by_group = {}
            for fso in fsos.sorted(lambda o: (o.install_state == "cancelled", o.id)):
                if is_open(fso):
                    open_by_group.setdefault(fso.install_partner_id.id, fso.id)
            plan = plan_install_sync(wanted, existing, open_by_group)
            if reopen_cancelled:
                touched |= fsos.browse(plan.kept_orders).filtered(
                    lambda o: o.install_state == "cancelled"
                )
            if plan.is_noop and not plan.emptied_orders:
                continue
            for key in plan.new_groups:
                new_order_vals.append(
                    order._prepare_install_order_vals(
                        self.env["res.partner"].browse(key)
                    )
                )
                new_order_keys.append((order.id, key))
            for key, sale_line_id, product_id, qty in plan.create:
                pending_lines.append(
                    (
                        order.id,
                        key,
                        open_by_group.get(key),
                        self._prepare_install_line_vals(sale_line_id, product_id, qty),
                    )
                )
            line_model = self.env["fsm.install.line"]
            for line_id, qty in plan.update:
                line_model.browse(line_id).quantity = qty
                touched |= line_model.browse(line_id).order_id
            to_remove |= line_model.browse(plan.remove)
            touched |= to_remove.order_id
            to_empty |= self.env["fsm.order"].browse(plan.emptied_orders)

        new_orders = self._install_create_orders(
            new_order_vals, new_order_keys, pending_lines
        )
        created_lines = self.env["fsm.install.line"].create(
            [
                dict(vals, order_id=open_id)
                for _so_id, _key, open_id, vals in pending_lines
                if open_id
            ]
        )
        touched |= created_lines.order_id
        to_remove.unlink()

        to_empty -= created_lines.order_id
        to_empty.filtered(
            lambda o: o.install_state != "cancelled"
        )._install_cancel_or_warn(
            self.env._("No product on this order needs installing any more.")
        )
        touched -= to_empty
        touched._install_reopen()
        touched._install_refresh_plan()
        touched._install_link_deliveries()
        touched._install_reschedule()
        touched._install_refresh_delivery()
        return new_orders

    @api.model
    def _prepare_install_line_vals(self, sale_line_id, product_id, quantity):
        """Values of a product to install (fsm.install.line) of a sale order
        line, without its installation order (set when it is known)."""
        return {
            "sale_line_id": sale_line_id,
            "product_id": product_id,
            "quantity": quantity,
        }

    def _install_create_orders(self, order_vals, order_keys, pending_lines):
        """Create new installation orders with their lines, planned in one go.

        Duration, skills and planned start are computed beforehand, so each
        order is inserted once and not rewritten right after.
        """
        if not order_vals:
            return self.env["fsm.order"]
        lines_by_key = {}
        for so_id, key, open_id, vals in pending_lines:
            if not open_id:
                lines_by_key.setdefault((so_id, key), []).append(vals)
        fsm_order = self.env["fsm.order"]
        for vals, key in zip(order_vals, order_keys, strict=True):
            line_vals = lines_by_key[key]
            sale = self.browse(key[0])
            sale_lines = self.env["sale.order.line"].browse(
                [lv["sale_line_id"] for lv in line_vals]
            )
            hours, skills = fsm_order._install_plan_values(
                self.env["fsm.order.type"].browse(vals["type"]),
                [
                    (
                        self.env["product.product"].browse(lv["product_id"]),
                        lv["quantity"],
                    )
                    for lv in line_vals
                ],
            )
            moves = sale_lines.move_ids.filtered(
                lambda m: m.location_dest_id.usage == "customer" and m.state != "cancel"
            )
            start = fsm_order._install_start(moves, sale.company_id, sale)
            vals.update(
                {
                    "install_line_ids": [Command.create(lv) for lv in line_vals],
                    "scheduled_duration": hours,
                    "skill_ids": [Command.set(skills.ids)],
                    "scheduled_date_start": start,
                    "request_early": start,
                }
            )
        new_orders = fsm_order.with_context(mail_create_nolog=True).create(order_vals)
        new_orders._install_link_deliveries()
        new_orders._install_notify_incomplete_address()
        for sale in new_orders.sale_id:
            sale._install_post_created(
                new_orders.filtered(lambda o, so=sale: o.sale_id == so)
            )
        return new_orders

    @api.model
    def _prepare_install_location_vals(self, partner):
        """Values of the field service location (fsm.location) made for the
        delivery address ``partner``."""
        return {"partner_id": partner.id, "owner_id": partner.commercial_partner_id.id}

    def _install_location(self, partner):
        """The field service location of a delivery address, created if missing."""
        location_model = self.env["fsm.location"].with_context(active_test=False)
        location = location_model.search([("partner_id", "=", partner.id)], limit=1)
        if not location:
            partner_type = partner.type
            location = location_model.create(
                self._prepare_install_location_vals(partner)
            )
            # Creating a location retypes the partner as "location"; the customer's
            # contact keeps its own type (delivery address, contact...).
            if partner.type != partner_type:
                partner.type = partner_type
        return location

    def _prepare_install_order_vals(self, partner):
        """Values of a new installation order for the delivery address ``partner``.

        Built on ``fieldservice_sale``'s ``_prepare_fsm_values`` (the hook of
        every field service order made from a sale order: what other modules
        add there reaches installation orders too), then made an installation:
        its type, the field service location of ``partner``, the stage and team
        of the sale order's company. The service templates of the products to
        install give the instructions and categories (the first one is the
        order's template). Duration, skills and dates are set from the products
        and deliveries by :meth:`_install_create_orders`.
        """
        self.ensure_one()
        products = self.order_line.filtered(
            lambda line: line.product_id.install_required
        ).product_id
        templates = products.fsm_order_template_id
        template = templates[:1]
        vals = self._prepare_fsm_values(
            so_id=self.id, template_id=template.id, template_ids=templates.ids
        )
        # the directions follow the installation's own location
        vals.pop("location_directions", None)
        order_type = self.env.ref("fieldservice_install.fsm_order_type_installation")
        fsm_order = self.env["fsm.order"]
        vals.update(
            {
                "type": order_type.id,
                "install_partner_id": partner.id,
                "location_id": self._install_location(partner).id,
                "stage_id": fsm_order._install_first_stage(self.company_id).id,
                "team_id": (
                    template.team_id or fsm_order._install_team(self.company_id)
                ).id,
                "warehouse_id": self.warehouse_id.id,
                "description": plaintext2html(
                    self.env._("Installation for %(order)s", order=self.name)
                ),
            }
        )
        return vals

    def _install_post_created(self, install_orders):
        self.ensure_one()
        self.message_post(
            body=self.env["ir.qweb"]._render(
                "fieldservice_install.message_install_orders_created",
                {"orders": install_orders},
            )
        )
