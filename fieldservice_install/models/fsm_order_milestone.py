# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Milestones of field service orders.

Technicians log the steps of the order's type (fsm.milestone.template) in
sequence and with their evidence; fsm.order.milestone.log keeps them,
append-only. The ordering and evidence rules are ``engine/milestones.py``.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..engine import dispatch, milestones
from ..tools.server_owned import server_owned_writes


class FsmOrderMilestone(models.Model):
    _inherit = "fsm.order"  # pylint: disable=consider-merging-classes-inherited

    milestone_log_ids = fields.One2many(
        "fsm.order.milestone.log",
        "order_id",
        copy=False,
        readonly=True,
        server_owned=True,
    )
    milestone_next_id = fields.Many2one(
        "fsm.milestone.template",
        string="Next Milestone",
        compute="_compute_milestone_next_id",
        help="The milestone to log next; empty when all are logged.",
    )
    milestone_required = fields.Boolean(
        compute="_compute_milestone_next_id",
        help="The order type has milestones: the order completes once all are logged.",
    )
    install_blocked_reason = fields.Selection(
        [("goods_damaged", "Goods Damaged")],
        string="Blocked",
        copy=False,
        readonly=True,
        tracking=True,
        server_owned=True,
        help="Why the installation cannot go on. Goods damaged: the goods "
        "inspection failed; the warehouse sends a replacement and a later passing "
        "inspection unblocks the order.",
    )

    @api.depends("type", "milestone_log_ids", "install_line_ids.lot_ids")
    def _compute_milestone_next_id(self):
        templates = self._milestone_templates()
        for order in self:
            progress = order._milestone_progress(templates)
            order.milestone_required = bool(progress.done or progress.missing)
            order.milestone_next_id = (
                progress.next_step.step_id if progress.next_step else False
            )

    def _check_completable(self):
        res = super()._check_completable()
        self._milestone_check_complete()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_milestone_logged(self):
        logged = self.filtered("milestone_log_ids")
        if logged:
            raise UserError(
                self.env._(
                    "Orders %s have logged milestones: their log is kept. Cancel "
                    "them instead of deleting them.",
                    ", ".join(logged.mapped("name")),
                )
            )

    def action_log_milestone(self):
        """Open the wizard logging the next milestone of the order."""
        self.ensure_one()
        self.check_access("write")
        if self.is_closed:
            raise UserError(
                self.env._(
                    "Order %s is closed: no milestone can be logged on it.", self.name
                )
            )
        if not self.milestone_next_id:
            raise UserError(
                self.env._(
                    "Order %s has no milestone left to log: complete it.", self.name
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Milestone"),
            "res_model": "fsm.milestone.log.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _milestone_templates(self):
        """Active milestone templates of the orders' types."""
        return self.env["fsm.milestone.template"].search(
            [("order_type_id", "in", self.type.ids)]
        )

    @api.model
    def _milestone_steps(self, templates):
        return [
            milestones.Step(
                step_id=t.id,
                code=t.code,
                name=t.name,
                sequence=t.sequence,
                require_gps=t.require_gps,
                require_photo=t.require_photo,
                require_serial=t.require_serial,
                require_signature=t.require_signature,
                require_inspection=t.require_inspection,
            )
            for t in templates
        ]

    def _milestone_serials(self):
        """Ids of the serials delivered for the order."""
        self.ensure_one()
        return frozenset(self.install_line_ids.lot_ids.ids)

    def _milestone_logged_entries(self):
        """The order's log as engine entries, in log order (what counts for
        progress: milestone, serial, inspection result)."""
        self.ensure_one()
        return [
            milestones.Entry(
                step_id=log.milestone_id.id,
                lot_id=log.lot_id.id or None,
                inspection=log.inspection_result or None,
            )
            for log in self.milestone_log_ids.sorted(lambda g: (g.timestamp, g.id))
        ]

    def _milestone_progress(self, templates):
        """Engine progress of the order, ``templates`` of all types given."""
        self.ensure_one()
        mine = templates.filtered(lambda t: t.order_type_id == self.type)
        return milestones.progress(
            self._milestone_steps(mine),
            self._milestone_logged_entries(),
            self._milestone_serials(),
        )

    def _milestone_check_complete(self):
        templates = self._milestone_templates()
        for order in self:
            progress = order._milestone_progress(templates)
            if not progress.complete:
                raise UserError(
                    self.env._(
                        "Order %(order)s cannot be completed yet: the milestones "
                        "%(missing)s are not logged. Log '%(next)s' next.",
                        order=order.name,
                        missing=", ".join(f"'{s.name}'" for s in progress.missing),
                        next=progress.next_step.name,
                    )
                )

    @api.model
    def _milestone_photo_count(self, attachments):
        return len(
            attachments.filtered(lambda a: (a.mimetype or "").startswith("image/"))
        )

    @api.model
    def _milestone_prepare_log_vals_list(self, vals_list):
        """Check new log entries against their orders' rules; complete them.

        ``vals_list`` holds what the technician gives (the order, the
        milestone and the evidence: position, photos, serial, signature,
        inspection result, note). The caller must be allowed to change the
        orders. Adds what the server decides: the time and the author (the
        current user), the distance to the site and the far-from-site flag.
        Entries of one batch count for the ones after them. Raises a UserError
        naming the order, the milestone and what to do.
        """
        log_model = self.env["fsm.order.milestone.log"]
        orders = self.browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        orders.check_access("write")
        templates = orders._milestone_templates()
        entries = {order.id: order._milestone_logged_entries() for order in orders}
        now = fields.Datetime.now()
        result = []
        for vals in vals_list:
            vals = dict(vals, timestamp=now, user_id=self.env.uid)
            order = self.browse(vals.get("order_id"))
            template = templates.browse(vals.get("milestone_id"))
            if not order or not template:
                result.append(vals)  # the required fields refuse it
                continue
            if order.is_closed:
                raise UserError(
                    self.env._(
                        "Order %(order)s is closed: '%(milestone)s' cannot be "
                        "logged on it.",
                        order=order.name,
                        milestone=template.name,
                    )
                )
            attachments = log_model.new(
                {"attachment_ids": vals.get("attachment_ids", [])}
            ).attachment_ids._origin
            lat, lon = self._portal_parse_position(
                vals.get("latitude"), vals.get("longitude")
            )
            vals.update(latitude=lat, longitude=lon)
            has_gps = bool(lat or lon)
            entry = milestones.Entry(
                step_id=template.id,
                lat=lat if has_gps else None,
                lon=lon if has_gps else None,
                photos=self._milestone_photo_count(attachments),
                lot_id=vals.get("lot_id") or None,
                signature=bool(vals.get("signature")),
                inspection=vals.get("inspection_result") or None,
            )
            steps = self._milestone_steps(
                templates.filtered(lambda t, o=order: t.order_type_id == o.type)
            )
            serials = order._milestone_serials()
            problems = milestones.check_entry(steps, entries[order.id], entry, serials)
            if problems:
                raise UserError(order._milestone_problem_message(template, problems))
            location = order.location_id
            site_known = bool(location.partner_latitude or location.partner_longitude)
            distance = dispatch.haversine_km(
                entry.lat,
                entry.lon,
                location.partner_latitude if site_known else None,
                location.partner_longitude if site_known else None,
            )
            status = milestones.checkin_status(
                distance, order.company_id.milestone_checkin_max_km
            )
            vals.update(
                distance_known=distance is not None,
                distance_km=distance or 0.0,
                far_from_site=template.is_site_checkin and status == milestones.FAR,
            )
            entries[order.id].append(entry)
            result.append(vals)
        return result

    def _milestone_problem_message(self, template, problems):
        self.ensure_one()
        lot_model = self.env["stock.lot"]
        serials = ", ".join(self.install_line_ids.lot_ids.mapped("name"))
        texts = {
            "unknown_step": self.env._(
                "It is not a milestone of order type %s: choose one of its milestones.",
                self.type.name,
            ),
            "done": self.env._("It is already logged: log the next milestone."),
            "gps": self.env._(
                "The GPS position is required: allow location access on the "
                "device and log again."
            ),
            "photo": self.env._("A photo is required: attach at least one picture."),
            "serial": self.env._(
                "A serial number is required: scan the serial of the installed unit "
                "(%s).",
                serials,
            ),
            "signature": self.env._(
                "The customer's signature is required: let the customer sign."
            ),
            "inspection": self.env._(
                "The inspection result is required: choose Pass or Fail."
            ),
        }
        lines = []
        for problem in problems:
            if problem.code == "order":
                lines.append(self.env._("Log '%s' first.", problem.step.name))
            elif problem.code == "serial_unknown":
                lines.append(
                    self.env._(
                        "Serial %(serial)s was not delivered for this order: scan "
                        "one of %(serials)s.",
                        serial=lot_model.browse(problem.lot_id).name,
                        serials=serials or self.env._("none (no serial delivered)"),
                    )
                )
            elif problem.code == "serial_repeated":
                lines.append(
                    self.env._(
                        "Serial %s is already logged: scan the next unit.",
                        lot_model.browse(problem.lot_id).name,
                    )
                )
            else:
                lines.append(texts[problem.code])
        return self.env._(
            "Order %(order)s: milestone '%(milestone)s' refused. %(problems)s",
            order=self.name,
            milestone=template.name,
            problems=" ".join(lines),
        )

    def _milestone_after_log(self, logs):
        """Chatter, equipment, blocking and SLA pause after new ``logs``."""
        for log in logs:
            order, template = log.order_id, log.milestone_id
            lines = [self.env._("Milestone logged: %s.", template.name)]
            if template.is_site_checkin:
                lines.append(order._milestone_checkin_text(log))
            if template.register_equipment and log.lot_id:
                equipment = order._milestone_register_equipment(log)
                lines.append(
                    self.env._(
                        "Serial %(serial)s registered as installed equipment "
                        "%(equipment)s.",
                        serial=log.lot_id.name,
                        equipment=equipment.name,
                    )
                )
            if template.require_inspection and log.inspection_result == "fail":
                order._milestone_block_goods_damaged(log)
                lines.append(
                    self.env._(
                        "Goods inspection failed: the order is blocked (goods "
                        "damaged), the SLA is paused and the warehouse is asked "
                        "for a replacement."
                    )
                )
            elif (
                template.require_inspection
                and log.inspection_result == "pass"
                and order.install_blocked_reason == "goods_damaged"
            ):
                with server_owned_writes():
                    order.install_blocked_reason = False
                order._sla_resume("goods_damaged", log.timestamp)
                lines.append(
                    self.env._(
                        "Goods inspection passed: the order is unblocked and the "
                        "SLA runs again."
                    )
                )
            order.message_post(
                body=self.env["ir.qweb"]._render(
                    "fieldservice_install.message_milestone_logged", {"lines": lines}
                ),
                subtype_xmlid="mail.mt_note",
            )
            if template.customer_template_id:
                order._tracking_notify(template.customer_template_id)

    def _milestone_checkin_text(self, log):
        self.ensure_one()
        if not log.distance_known:
            return self.env._(
                "Check-in distance unknown: %s.",
                self.env._("the location has no coordinates")
                if log.latitude or log.longitude
                else self.env._("no GPS position was sent"),
            )
        if log.far_from_site:
            return self.env._(
                "Attention: checked in %(distance)s km from the site, farther "
                "than the allowed %(max)s km.",
                distance=f"{log.distance_km:.2f}",
                max=f"{self.company_id.milestone_checkin_max_km:.2f}",
            )
        return self.env._("Checked in %s km from the site.", f"{log.distance_km:.2f}")

    def _prepare_milestone_equipment_vals(self, log, equipment):
        """Values of the equipment installed by ``log`` (new when empty)."""
        self.ensure_one()
        vals = {
            "location_id": self.location_id.id,
            "current_location_id": self.location_id.id,
            "install_date": fields.Date.context_today(self, log.timestamp),
        }
        if not equipment:
            lot = log.lot_id
            vals.update(
                name=f"{lot.product_id.name} ({lot.name})",
                product_id=lot.product_id.id,
                lot_id=lot.id,
                company_id=self.company_id.id,
                owned_by_id=self.location_id.owner_id.id,
            )
        return vals

    def _milestone_register_equipment(self, log):
        """The serial of ``log`` as equipment installed at the order's location.

        Reuses the equipment fieldservice_equipment_stock created for the serial.
        Technicians cannot edit equipment: this is done as superuser, for the
        serial the rules accepted only.
        """
        self.ensure_one()
        lot = log.lot_id.sudo()
        equipment_model = self.env["fsm.equipment"].sudo()
        equipment = lot.fsm_equipment_id or equipment_model.search(
            [("lot_id", "=", lot.id)], limit=1
        )
        vals = self._prepare_milestone_equipment_vals(log, equipment)
        if equipment:
            equipment.write(vals)
        else:
            equipment = equipment_model.create(vals)
        if equipment not in self.equipment_ids:
            self.equipment_ids = [Command.link(equipment.id)]
        return equipment

    def _milestone_block_goods_damaged(self, log):
        """Block the order, pause its SLA, ask the warehouse for a replacement."""
        self.ensure_one()
        with server_owned_writes():
            self.install_blocked_reason = "goods_damaged"
        self._sla_pause("goods_damaged", log.timestamp)
        products = log.lot_id.product_id or self.install_line_ids.product_id
        self.activity_schedule(
            **self._prepare_install_activity_vals(
                "mail.mail_activity_data_todo",
                summary=self.env._("Send replacement goods"),
                note=self.env._(
                    "The goods inspection of order %(order)s failed: %(products)s "
                    "damaged. Send a replacement from %(warehouse)s to %(location)s.",
                    order=self.name,
                    products=", ".join(products.mapped("display_name"))
                    + (f" ({log.lot_id.name})" if log.lot_id else ""),
                    warehouse=self.warehouse_id.name or self.env._("the warehouse"),
                    location=self.location_id.display_name,
                ),
            )
        )
