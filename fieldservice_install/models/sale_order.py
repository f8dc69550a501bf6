# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models

from ..engine.install_sync import (
    ExistingLine,
    WantedLine,
    aggregate_install_state,
    plan_install_sync,
)

SALE_INSTALL_STATES = [
    ("none", "No Installation"),
    ("to_plan", "To Plan"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Installed"),
    ("cancelled", "Cancelled"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    install_order_ids = fields.One2many(
        "fsm.order",
        "sale_id",
        string="Installation Orders",
        domain=[("is_installation", "=", True)],
        readonly=True,
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
    )

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

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _action_confirm(self):
        res = super()._action_confirm()
        self._install_sync(reopen_cancelled=True)
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        for order in self.sudo():
            order.install_order_ids._install_cancel_or_warn(
                self.env._("Sale order %s was cancelled.", order.name)
            )
        return res

    def write(self, vals):
        keep_dates = {}
        if "commitment_date" in vals:
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

    def action_view_install_orders(self):
        self.ensure_one()
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

    # ------------------------------------------------------------------
    # Installation orders
    # ------------------------------------------------------------------
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
                        {
                            "sale_line_id": sale_line_id,
                            "product_id": product_id,
                            "quantity": qty,
                        },
                    )
                )
            line_model = self.env["fsm.install.line"]
            for line_id, qty in plan.update:
                line_model.browse(line_id).quantity = qty
                touched |= line_model.browse(line_id).order_id
            to_remove |= line_model.browse(plan.remove)
            touched |= to_remove.order_id
            to_empty |= self.env["fsm.order"].browse(plan.emptied_orders)

        new_orders = self.env["fsm.order"].create(new_order_vals)
        new_by_key = dict(zip(new_order_keys, new_orders.ids, strict=True))
        line_vals = []
        for so_id, key, open_id, vals in pending_lines:
            vals["order_id"] = open_id or new_by_key[(so_id, key)]
            line_vals.append(vals)
        created_lines = self.env["fsm.install.line"].create(line_vals)
        touched |= created_lines.order_id | new_orders
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
        if new_orders:
            new_orders._install_notify_incomplete_address()
            for order in new_orders.sale_id:
                order._install_post_created(
                    new_orders.filtered(lambda o, so=order: o.sale_id == so)
                )
        return new_orders

    def _install_location(self, partner):
        """The field service location of a delivery address, created if missing."""
        location_model = self.env["fsm.location"].with_context(active_test=False)
        location = location_model.search([("partner_id", "=", partner.id)], limit=1)
        if not location:
            partner_type = partner.type
            location = location_model.create(
                {
                    "partner_id": partner.id,
                    "owner_id": partner.commercial_partner_id.id,
                }
            )
            # Creating a location retypes the partner as "location"; the customer's
            # contact keeps its own type (delivery address, contact...).
            if partner.type != partner_type:
                partner.type = partner_type
        return location

    def _prepare_install_order_vals(self, partner):
        """Values of a new installation order for the delivery address ``partner``."""
        self.ensure_one()
        products = self.order_line.filtered(
            lambda line: line.product_id.install_required
        ).product_id
        template = products.fsm_order_template_id[:1]
        order_type = self.env.ref("fieldservice_install.fsm_order_type_installation")
        fsm_order = self.env["fsm.order"]
        vals = {
            "type": order_type.id,
            "sale_id": self.id,
            "install_partner_id": partner.id,
            "location_id": self._install_location(partner).id,
            "company_id": self.company_id.id,
            "stage_id": fsm_order._install_first_stage(self.company_id).id,
            "team_id": fsm_order._install_team(self.company_id).id,
            "warehouse_id": self.warehouse_id.id,
            "description": Markup("<p>%s</p>")
            % self.env._("Installation for %(order)s", order=self.name),
        }
        if template:
            vals.update(
                {
                    "template_id": template.id,
                    "todo": template.instructions,
                    "category_ids": [(6, 0, template.category_ids.ids)],
                }
            )
            if template.team_id:
                vals["team_id"] = template.team_id.id
        return vals

    def _install_post_created(self, install_orders):
        self.ensure_one()
        links = Markup(", ").join(
            Markup('<a href="#" data-oe-model="fsm.order" data-oe-id="%s">%s</a>')
            % (fso.id, fso.name)
            for fso in install_orders
        )
        self.message_post(
            body=Markup("%s %s") % (self.env._("Installation order(s) created:"), links)
        )
