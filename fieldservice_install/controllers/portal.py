# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time, timedelta

import pytz

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager

from ..engine import photo_upload
from ..tools.public_input import bad_form_message, id_param
from .forms import form_ok

JOB_TABS = ("today", "upcoming", "done")
OPEN_STATES = ("to_plan", "scheduled", "in_progress")


class TechnicianPortal(CustomerPortal):
    """The technician's pages: their jobs, offers and milestones.

    Every read goes through the portal user's own access rights: the record
    rules for portal technicians decide which orders, offers, milestone
    entries and ratings exist for them, so another technician's job id
    answers 404. A job merely offered is not theirs yet: its offer shows the
    area and the work (``/my/offers/<id>``), not the customer, the street nor
    the phone. Actions go through the models' ``_portal_*`` methods, which
    check the same rules and that the user is the job's technician. The
    forms' CSRF tokens are checked here (see :mod:`.forms`).
    """

    _jobs_per_page = 20

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _tech_persons(self):
        return request.env["fsm.order"]._portal_persons()

    def _tech_day_bounds(self):
        """Start of today and of tomorrow in the user's time zone, in UTC."""
        tz = pytz.timezone(request.env.user.tz or "UTC")
        today = datetime.now(tz).date()
        start = tz.localize(datetime.combine(today, time.min))
        end = start + timedelta(days=1)
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _tech_job_domains(self, persons):
        _start, tomorrow = self._tech_day_bounds()
        mine = [("person_id", "in", persons.ids)]
        open_ = [*mine, ("install_state", "in", OPEN_STATES)]
        return {
            "today": [
                *open_,
                "|",
                ("install_state", "=", "in_progress"),
                ("scheduled_date_start", "<", tomorrow),
            ],
            "upcoming": [
                *open_,
                ("install_state", "!=", "in_progress"),
                "|",
                ("scheduled_date_start", ">=", tomorrow),
                ("scheduled_date_start", "=", False),
            ],
            "done": [*mine, ("install_state", "=", "done")],
        }

    def _tech_offers(self, order=None):
        domain = [("state", "=", "offered")]
        if order:
            domain.append(("order_id", "=", order.id))
        return request.env["fsm.dispatch.offer"].search(domain)

    def _tech_own(self, record, is_mine):
        """``record`` when the portal user reads it (record rules) and
        ``is_mine(record)`` holds, else 404."""
        try:
            record.check_access("read")
            if not record.exists() or not is_mine(record):
                raise MissingError(record._name)
        except (AccessError, MissingError):
            raise request.not_found() from None
        return record

    def _tech_order(self, order_id):
        """The user's own job as the portal user reads it, else 404."""
        return self._tech_own(
            request.env["fsm.order"].browse(order_id),
            lambda order: order.sudo().person_id in self._tech_persons(),
        )

    def _tech_offer(self, offer_id):
        """The technician's own offer, else 404."""
        return self._tech_own(
            request.env["fsm.dispatch.offer"].browse(offer_id),
            lambda _offer: bool(self._tech_persons()),
        )

    def _tech_render(self, template, values, error=None, status=200):
        """A page of the technician portal: the portal layout, ``values``,
        the error and the message to show."""
        values = {
            **self._prepare_portal_layout_values(),
            **values,
            "error": error,
            "message": request.params.get("message"),
        }
        return request.render(template, values, status=status)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "tech_job_count" in counters:
            persons = self._tech_persons()
            values["tech_job_count"] = (
                request.env["fsm.order"].search_count(
                    [
                        ("person_id", "in", persons.ids),
                        ("install_state", "in", OPEN_STATES),
                    ]
                )
                + len(self._tech_offers())
                if persons
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------
    @http.route(
        ["/my/jobs", "/my/jobs/page/<install_int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_jobs(self, tab="today", page=1, **kw):
        persons = self._tech_persons()
        if not persons:
            raise request.not_found()
        if tab not in JOB_TABS:
            tab = "today"
        # from the path a positive int; from the query string any text (Odoo's
        # pager fails on digits that are not 0-9, such as "²", and on numbers
        # too long for Python to convert)
        if not isinstance(page, int):
            page = id_param(page) or 1
        return self._render_jobs(persons, tab, page)

    def _render_jobs(self, persons, tab, page=1, error=None, status=200):
        order_model = request.env["fsm.order"]
        domains = self._tech_job_domains(persons)
        counts = {name: order_model.search_count(d) for name, d in domains.items()}
        job_pager = pager(
            url="/my/jobs",
            url_args={"tab": tab},
            total=counts[tab],
            page=page,
            step=self._jobs_per_page,
        )
        orders = order_model.search(
            domains[tab],
            order="scheduled_date_start desc, id desc"
            if tab == "done"
            else "scheduled_date_start asc, id asc",
            limit=self._jobs_per_page,
            offset=job_pager["offset"],
        )
        offers = self._tech_offers()
        return self._tech_render(
            "fieldservice_install.portal_my_jobs",
            {
                "page_name": "tech_jobs",
                "tab": tab,
                "counts": counts,
                "orders": orders,
                "offers": offers,
                "job_values": orders._portal_job_values(),
                "pager": job_pager,
            },
            error=error,
            status=status,
        )

    @http.route(
        "/my/jobs/<install_int:order_id>",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_job(self, order_id, **kw):
        order = self._tech_order(order_id)
        return self._render_job(order)

    @http.route(
        "/my/offers/<install_int:offer_id>",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_offer(self, offer_id, **kw):
        """A job offered to the technician: its area, work and date, and the
        answer buttons while the offer is open."""
        offer = self._tech_offer(offer_id)
        return self._tech_render(
            "fieldservice_install.portal_my_offer",
            {"page_name": "tech_offer", "offer": offer},
        )

    def _render_job(self, order, error=None, status=200):
        persons = self._tech_persons()
        job = order._portal_job_values()[order.id]
        is_mine = order.sudo().person_id in persons
        logs = request.env["fsm.order.milestone.log"].search(
            [("order_id", "=", order.id)]
        )
        return self._tech_render(
            "fieldservice_install.portal_my_job",
            {
                "page_name": "tech_job",
                "order": order,
                "job": job,
                "is_mine": is_mine,
                "offer": self._tech_offers(order)[:1],
                "logs": logs,
                "photos_by_log": {
                    log.id: log.sudo().attachment_ids.filtered(
                        lambda a: a.mimetype in photo_upload.MIMETYPES
                    )
                    for log in logs
                },
                "ratings": request.env["fsm.order.rating"].search(
                    [("order_id", "=", order.id), ("value", ">", 0)]
                ),
                "can_log": is_mine
                and job["next"]
                and order.install_state in OPEN_STATES,
                "can_complete": is_mine
                and not job["next"]
                and order.install_state in OPEN_STATES,
                "max_photo_mb": self._tech_photo_max_bytes() // (1024 * 1024),
                "photo_types": ",".join(photo_upload.MIMETYPES) + ",.heic,.heif",
            },
            error=error,
            status=status,
        )

    @http.route(
        [
            "/my/jobs/<install_int:order_id>/photos/<install_int:photo_id>",
            "/my/jobs/<install_int:order_id>/photos/<install_int:photo_id>/<install_int:size>",
        ],
        type="http",
        auth="user",
        readonly=True,
    )
    def portal_job_photo(self, order_id, photo_id, size=0, **kw):
        """A photo of a milestone entry of the job (a thumbnail with ``size``).

        Portal users have no access to attachments: the entry is read with
        the user's rights (the milestone log rules), then its photo served.
        """
        order = self._tech_order(order_id)
        logs = request.env["fsm.order.milestone.log"].search(
            [("order_id", "=", order.id)]
        )
        photo = logs.sudo().attachment_ids.filtered(lambda a: a.id == photo_id)
        if not photo or photo.mimetype not in photo_upload.MIMETYPES:
            raise request.not_found()
        # from the path a positive int; from the query string anything
        size = min(size, 1024) if isinstance(size, int) else 0
        stream = request.env["ir.binary"]._get_image_stream_from(
            photo, width=size, height=size
        )
        return stream.get_response(as_attachment=False, max_age=3600, immutable=False)

    # ------------------------------------------------------------------
    # Actions (POST forms, CSRF-checked)
    # ------------------------------------------------------------------
    def _tech_photo_max_bytes(self):
        return photo_upload.DEFAULT_MAX_BYTES

    def _tech_read_photos(self):
        """``(photos, error message, status)`` from the uploaded files."""
        max_bytes = self._tech_photo_max_bytes()
        files = [
            (upload.filename, upload.read(max_bytes + 1))
            for upload in request.httprequest.files.getlist("photos")
            if upload.filename
        ]
        photos, problems = photo_upload.check_photos(files, max_bytes=max_bytes)
        if not problems:
            return photos, None, 200
        env = request.env
        max_mb = max_bytes // (1024 * 1024)
        lines = []
        for problem in problems:
            name = problem.name or env._("A file")
            if problem.code == "size":
                lines.append(
                    env._(
                        "%(name)s is larger than %(max)s MB: take a smaller picture.",
                        name=name,
                        max=max_mb,
                    )
                )
            elif problem.code == "type":
                lines.append(
                    env._(
                        "%s is not a photo: send a JPEG, PNG, WebP or HEIC picture.",
                        name,
                    )
                )
            elif problem.code == "empty":
                lines.append(env._("%s is empty: take the picture again.", name))
            else:
                lines.append(
                    env._(
                        "%(name)s: at most %(max)s photos per milestone.",
                        name=name,
                        max=photo_upload.DEFAULT_MAX_COUNT,
                    )
                )
        message = " ".join(lines)
        codes = {p.code for p in problems}
        status = 413 if "size" in codes else 415 if "type" in codes else 400
        return photos, message, status

    @http.route(
        "/my/jobs/<install_int:order_id>/milestone",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,  # checked below (Odoo's check fails on files)
        website=True,
    )
    def portal_job_milestone(self, order_id, milestone_id=None, **post):
        order = self._tech_order(order_id)
        if not form_ok(allowed_files=("photos",)):
            return self._render_job(
                order, error=bad_form_message(request.env), status=400
            )
        photos, error, status = self._tech_read_photos()
        if error:
            return self._render_job(order, error=error, status=status)
        try:
            with request.env.cr.savepoint():
                log = order._portal_log_milestone(milestone_id, post, photos)
        except AccessError:
            raise request.not_found() from None
        except (UserError, ValueError) as exc:
            return self._render_job(order, error=str(exc), status=400)
        return request.redirect(
            f"/my/jobs/{order.id}?message=logged&milestone={log.milestone_id.id}"
        )

    @http.route(
        "/my/jobs/<install_int:order_id>/complete",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,  # checked below (Odoo's check fails on files)
        website=True,
    )
    def portal_job_complete(self, order_id, **post):
        order = self._tech_order(order_id)
        if not form_ok():
            return self._render_job(
                order, error=bad_form_message(request.env), status=400
            )
        try:
            with request.env.cr.savepoint():
                order._portal_complete()
        except AccessError:
            raise request.not_found() from None
        except UserError as exc:
            return self._render_job(order, error=str(exc), status=400)
        return request.redirect(f"/my/jobs/{order.id}?message=completed")

    @http.route(
        "/my/offers/<install_int:offer_id>/<any(accept, decline):answer>",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,  # checked by form_ok (Odoo's check fails on files)
        website=True,
    )
    def portal_offer_answer(self, offer_id, answer, **post):
        """The technician accepts or declines an offer made to them."""
        accept = answer == "accept"
        persons = self._tech_persons()
        offer = self._tech_offer(offer_id)
        if not form_ok():
            return self._render_jobs(
                persons, "today", error=bad_form_message(request.env), status=400
            )
        try:
            with request.env.cr.savepoint():
                offer._portal_answer(accept)
        except AccessError:
            raise request.not_found() from None
        except UserError as exc:
            return self._render_jobs(persons, "today", error=str(exc), status=409)
        if accept:
            return request.redirect(f"/my/jobs/{offer.order_id.id}?message=accepted")
        return request.redirect("/my/jobs?message=declined")
