# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a technician does on a job from the portal.

Portal technicians read their orders through record rules (their own jobs
and the jobs offered to them). What they do on a job goes through these
methods: they check that the current user is the order's technician, then
let the system do the bookkeeping as the backend does.
"""

from urllib.parse import urlencode

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError

from ..tools.public_input import bad_form_message, clean_text


class FsmOrderPortal(models.Model):
    _inherit = "fsm.order"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _portal_persons(self):
        """The technicians (fsm.person) the current user is."""
        return (
            self.env["fsm.person"]
            .sudo()
            .search([("partner_id", "=", self.env.user.partner_id.id)])
        )

    def _portal_check_technician(self):
        """Raise an AccessError unless the current user may read the orders
        (record rules) and is their technician."""
        self.check_access("read")
        persons = self._portal_persons()
        if not persons or any(o.sudo().person_id not in persons for o in self):
            raise AccessError(
                self.env._("Only the technician of the job can work on it.")
            )

    @api.model
    def _portal_map_url(self, location):
        lat, lon = location.partner_latitude, location.partner_longitude
        if lat or lon:
            return (
                f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}"
                f"#map=17/{lat:.6f}/{lon:.6f}"
            )
        query = ", ".join(
            filter(
                None,
                [
                    location.street,
                    location.street2,
                    location.zip,
                    location.city,
                    location.state_id.name,
                    location.country_id.name,
                ],
            )
        )
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    @api.model
    def _portal_area_map_url(self, location):
        """A map of the area of ``location`` (ZIP code and city, never the
        street nor the position): what an offered job shows."""
        query = ", ".join(
            filter(
                None,
                [
                    location.zip,
                    location.city,
                    location.state_id.name,
                    location.country_id.name,
                ],
            )
        )
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    def _portal_job_values(self):
        """``{order id: {...}}``: what the portal shows of each of the
        technician's jobs besides its own fields (address, customer, phone,
        products, serials, next milestone). Only for the job's technician: an
        offered job shows what its offer tells (``fsm.dispatch.offer.job_*``).
        """
        self._portal_check_technician()
        templates = self.sudo()._milestone_templates()
        result = {}
        for order in self.sudo():
            location = order.location_id
            customer = order.install_partner_id or location.owner_id
            progress = order._milestone_progress(templates)
            step = progress.next_step
            result[order.id] = {
                "customer": customer.name or "",
                "phone": customer.phone or location.phone or "",
                "address": [
                    line
                    for line in (
                        location.street,
                        location.street2,
                        " ".join(filter(None, [location.zip, location.city])),
                        location.state_id.name,
                    )
                    if line
                ],
                "city": location.city or "",
                "map_url": self._portal_map_url(location),
                "products": [
                    {
                        "name": line.product_id.display_name,
                        "quantity": line.quantity,
                        "serials": line.lot_ids.mapped("name"),
                    }
                    for line in order.install_line_ids
                ],
                "serials": order.install_line_ids.lot_ids.mapped("name"),
                "next": step
                and {
                    "id": step.step_id,
                    "name": step.name,
                    "gps": step.require_gps,
                    "photo": step.require_photo,
                    "serial": step.require_serial,
                    "signature": step.require_signature,
                    "inspection": step.require_inspection,
                },
                "done_steps": len(progress.done),
                "all_steps": len(progress.done) + len(progress.missing),
                "serial_by_log": {
                    log.id: log.lot_id.name for log in order.milestone_log_ids
                },
            }
        return result

    @api.model
    def _portal_text(self, value, size):
        """``value`` of a form as text to store (see
        :func:`~..tools.public_input.clean_text`); a file sent in place of a
        field is refused with a UserError."""
        text = clean_text(value, size)
        if text is None:
            raise UserError(bad_form_message(self.env))
        return text

    @api.model
    def _portal_parse_position(self, latitude, longitude):
        """``(lat, lon)`` floats from a form or a client, zeros when absent;
        refused unless they are a position on Earth."""
        if not latitude and not longitude:
            return 0.0, 0.0
        try:
            lat, lon = float(latitude), float(longitude)
        except (TypeError, ValueError) as exc:
            raise UserError(
                self.env._("The GPS position sent is not valid: locate again.")
            ) from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UserError(
                self.env._("The GPS position sent is not valid: locate again.")
            )
        return lat, lon

    def _portal_find_serial(self, serial):
        """The delivered serial (stock.lot) the technician typed or scanned."""
        self.ensure_one()
        serial = (serial or "").strip()
        if not serial:
            return self.env["stock.lot"]
        lots = self.sudo().install_line_ids.lot_ids
        lot = lots.filtered(lambda lot: lot.name.upper() == serial.upper())[:1]
        if not lot:
            raise UserError(
                self.env._(
                    "Serial %(serial)s was not delivered for order %(order)s: scan "
                    "one of %(serials)s.",
                    serial=serial,
                    order=self.name,
                    serials=", ".join(lots.mapped("name"))
                    or self.env._("none (no serial delivered)"),
                )
            )
        return lot

    def _portal_log_milestone(self, milestone_id, values, photos=()):
        """Log the order's next milestone as its technician, from the portal.

        ``milestone_id`` is the milestone the page showed (refused when the
        order moved on meanwhile); ``values``: ``latitude``, ``longitude``,
        ``serial`` (typed or scanned), ``inspection_result``, ``signature``
        (base64 PNG), ``signed_by`` and ``note``; ``photos``: checked photos
        (``name``, ``content``, ``mimetype``). Every value is text from the
        form (anything else is refused). The time and the author are the
        server's; the order's milestone rules apply as in the backend.
        """
        self.ensure_one()
        self._portal_check_technician()
        values = {
            key: self._portal_text(values.get(key), size)
            for key, size in (
                ("latitude", 64),
                ("longitude", 64),
                ("serial", 128),
                ("inspection_result", 16),
                ("signed_by", 120),
                ("note", 2000),
            )
        } | {"signature": self._portal_text(values.get("signature"), None)}
        milestone_id = self._portal_text(milestone_id, 32)
        order = self.sudo()
        template = order.milestone_next_id
        if order.is_closed:
            raise UserError(
                self.env._(
                    "Order %s is closed: no milestone can be logged on it.", order.name
                )
            )
        if not template:
            raise UserError(
                self.env._("Order %s has no milestone left to log.", order.name)
            )
        if milestone_id and milestone_id != str(template.id):
            raise UserError(
                self.env._(
                    "Order %(order)s: '%(milestone)s' is the milestone to log now. "
                    "The page was out of date: check it and log again.",
                    order=order.name,
                    milestone=template.name,
                )
            )
        lat, lon = self._portal_parse_position(
            values.get("latitude"), values.get("longitude")
        )
        inspection = values["inspection_result"] or False
        if inspection not in (False, "pass", "fail"):
            raise UserError(self.env._("Choose Pass or Fail."))
        note, signed_by = values["note"], values["signed_by"]
        if signed_by and values["signature"]:
            note = "\n".join(
                filter(None, [self.env._("Signed by %s", signed_by), note])
            )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": photo.name,
                        "raw": photo.content,
                        "mimetype": photo.mimetype,
                    }
                    for photo in photos
                ]
            )
        )
        return (
            self.env["fsm.order.milestone.log"]
            .sudo()
            .create(
                order._prepare_portal_milestone_log_vals(
                    template,
                    {
                        "latitude": lat,
                        "longitude": lon,
                        "attachment_ids": [Command.set(attachments.ids)],
                        "lot_id": self._portal_find_serial(values["serial"]).id,
                        "signature": values["signature"] or False,
                        "inspection_result": inspection,
                        "note": note or False,
                    },
                )
            )
        )

    def _prepare_portal_milestone_log_vals(self, template, evidence):
        """Values of the milestone entry (fsm.order.milestone.log) a
        technician logs from the portal: the order, the milestone
        ``template`` and the checked ``evidence`` (position, photos, serial,
        signature, inspection result, note). The time, the author and the
        distance are added by the entry's own checks."""
        self.ensure_one()
        return {"order_id": self.id, "milestone_id": template.id, **evidence}

    def _portal_complete(self):
        """The technician completes the job once every milestone is logged."""
        self.ensure_one()
        self._portal_check_technician()
        return self.sudo().action_complete()
