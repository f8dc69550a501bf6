# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Field service orders, the core every concern shares.

The order's concerns live in files of their own, each a thin ``_inherit`` of
``fsm.order`` with its fields next to its methods (imported in this order by
``models/__init__.py``):

- ``fsm_order_install.py``: installation bookkeeping (sale order, deliveries);
- ``fsm_order_dispatch.py``: ranking technicians and assigning orders;
- ``fsm_order_offer.py``: offers to technicians and customer ratings;
- ``fsm_order_sla.py``: service level deadlines, warnings, pauses;
- ``fsm_order_milestone.py``: milestones logged by the technicians;
- ``fsm_order_portal.py``: what the technician does from the portal;
- ``fsm_order_tracking.py``: the customer's tracking link and notices.

Here: the installation fields every concern reads, the callers' checks, and
the stage write with its one hook :meth:`FsmOrder._on_completed`.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.responsible import responsible_user

INSTALL_STATE_SELECTION = [
    ("to_plan", "To Plan"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class FsmOrder(models.Model):
    _name = "fsm.order"
    # the mixin first, so that its create/write come before mail.thread's
    _inherit = ("install.server.owned.mixin", "fsm.order", "portal.mixin")
    # OCA's computed fields stay OCA's: only the fields marked server_owned
    _server_owned_computed = False

    is_installation = fields.Boolean(
        compute="_compute_is_installation", store=True, index=True, server_owned=True
    )
    install_line_ids = fields.One2many(
        "fsm.install.line", "order_id", string="Products to Install", copy=False
    )
    install_partner_id = fields.Many2one(
        "res.partner",
        string="Delivery Address",
        index="btree_not_null",
        readonly=True,
        help="The delivery address this installation order gathers.",
    )
    install_state = fields.Selection(
        INSTALL_STATE_SELECTION,
        compute="_compute_install_state",
        store=True,
        index=True,
        tracking=True,
        server_owned=True,
    )

    @api.depends("type.internal_type")
    def _compute_is_installation(self):
        for order in self:
            order.is_installation = order.type.internal_type == "install"

    @api.depends("stage_id", "person_id", "scheduled_date_start", "date_start")
    def _compute_install_state(self):
        completed = self.env.ref("fieldservice.fsm_stage_completed")
        cancelled = self.env.ref("fieldservice.fsm_stage_cancelled")
        for order in self:
            if order.stage_id == completed:
                order.install_state = "done"
            elif order.stage_id == cancelled:
                order.install_state = "cancelled"
            elif order.date_start:
                order.install_state = "in_progress"
            elif order.person_id and order.scheduled_date_start:
                order.install_state = "scheduled"
            else:
                order.install_state = "to_plan"

    def action_view_sales(self):
        # the order and its sale order, as the user may read them
        self.ensure_one()
        self.check_access("read")
        (self.sale_line_id.order_id or self.sale_id).check_access("read")
        return super().action_view_sales()

    def _check_dispatcher(self):
        """Raise an AccessError unless the current user is a dispatcher.

        Planning, assigning and offering orders, and renewing a customer's
        link, are for dispatchers; the system's own flows run them as
        superuser."""
        if self.env.su or self.env.user.has_group("fieldservice.group_fsm_dispatcher"):
            return
        raise AccessError(
            self.env._(
                "Only dispatchers plan and assign field service orders: ask a "
                "dispatcher, or your administrator for the Dispatcher access."
            )
        )

    def action_complete(self):
        # the caller may change the orders: checked before the concerns make
        # what follows (rating link, SLA, customer's notice) as superuser
        self.check_access("write")
        return super().action_complete()

    def _install_responsible_user(self):
        """Who gets the order's to-dos: the company's installation dispatcher,
        else the salesperson of the sale order, else the current user, else a
        dispatcher of the company (when they cannot act on it: archived,
        portal, another company)."""
        self.ensure_one()
        return responsible_user(
            self.env,
            self.company_id,
            self.company_id.install_dispatcher_id,
            self.sale_id.user_id,
            group="fieldservice.group_fsm_dispatcher",
        )

    def _prepare_install_activity_vals(self, act_type_xmlid, summary, note):
        """Values of a to-do of the order (what ``activity_schedule`` takes):
        its activity type (an xml id), summary and note, for
        :meth:`_install_responsible_user`. Extend it to add or change values."""
        self.ensure_one()
        return {
            "act_type_xmlid": act_type_xmlid,
            "summary": summary,
            "note": note,
            "user_id": self._install_responsible_user().id,
        }

    def write(self, vals):
        # the stage is looked up (a query) only when it is written
        completed = vals.get("stage_id") and self.env.ref(
            "fieldservice.fsm_stage_completed"
        )
        reaching = self.browse()
        if completed and vals["stage_id"] == completed.id:
            # action_complete() and every other way to the completed stage
            reaching = self.filtered(lambda o: o.stage_id != completed)
            reaching._check_completable()
        res = super().write(vals)
        if reaching:
            reaching._on_completed()
        return res

    def _check_completable(self):
        """Hook: raise a UserError when these orders cannot reach the
        completed stage yet (the milestones extend it)."""

    def _on_completed(self):
        """Hook: these orders just reached the completed stage, whatever the
        way (*Complete*, a stage changed on the kanban, an import). The other
        addons extend it (call super): the warranty closes the claim of a
        repair, the settlement books the technician's job payable."""
