# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import sys
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import Command

from odoo.addons.sale.tests.common import SaleCommon


class InstallCommon(SaleCommon):
    """Products to install, a customer and helpers shared by the installation
    tests, on top of Odoo's sale test common (its company, currency, partner,
    products, pricelist and sales team)."""

    @classmethod
    def default_env_context(cls):
        # the chatter, the tracking and the activities are part of what these
        # tests check: Odoo's commons turn them off by default
        return {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.install_buffer_days = 1
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.install_type = cls.env.ref(
            "fieldservice_install.fsm_order_type_installation"
        )
        cls.stage_new = cls.env.ref("fieldservice.fsm_stage_new")
        cls.stage_ready = cls.env.ref("fieldservice_install.fsm_stage_ready_to_install")
        cls.stage_completed = cls.env.ref("fieldservice.fsm_stage_completed")
        cls.stage_cancelled = cls.env.ref("fieldservice.fsm_stage_cancelled")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Li Wei",
                "street": "88 Wensan Road",
                "city": "Hangzhou",
                "zip": "310012",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.heater = cls.env["product.product"].create(
            {
                "name": "Electric Water Heater 60L",
                "is_storable": True,
                "tracking": "serial",
                "install_required": True,
                "install_duration": 1.5,
                "list_price": 1999.0,
            }
        )
        cls.lock = cls.env["product.product"].create(
            {
                "name": "Smart Door Lock",
                "is_storable": True,
                "install_required": True,
                "install_duration": 0.0,
                "list_price": 899.0,
            }
        )
        cls.pipe = cls.env["product.product"].create(
            {"name": "Pipe Kit", "is_storable": True, "list_price": 59.0}
        )
        cls.service = cls.env["product.product"].create(
            {"name": "Extended Care", "type": "service", "list_price": 199.0}
        )

    @classmethod
    def _stock(cls, product, qty=10, serials=None):
        quant_model = cls.env["stock.quant"]
        if serials:
            lots = cls.env["stock.lot"].create(
                [{"name": name, "product_id": product.id} for name in serials]
            )
            for lot in lots:
                quant_model._update_available_quantity(
                    product, cls.stock_location, 1, lot_id=lot
                )
            return lots
        quant_model._update_available_quantity(product, cls.stock_location, qty)
        return cls.env["stock.lot"]

    @classmethod
    def _sale(cls, lines, partner=None, confirm=True, **vals):
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _deliver(self, order):
        """Reserve and validate every open delivery of the sale order."""
        pickings = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        pickings.action_assign()
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True).button_validate()
        return pickings


class DispatchCommon(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Installation (dispatch test)",
                "skill_ids": [(0, 0, {"name": "Water heaters"})],
                "skill_level_ids": [
                    (0, 0, {"name": "Junior", "level_progress": 30}),
                    (0, 0, {"name": "Senior", "level_progress": 80}),
                ],
            }
        )
        cls.skill = cls.skill_type.skill_ids
        cls.junior, cls.senior = cls.skill_type.skill_level_ids.sorted("level_progress")
        cls.env["product.install.skill"].create(
            {
                "product_tmpl_id": cls.heater.product_tmpl_id.id,
                "skill_type_id": cls.skill_type.id,
                "skill_id": cls.skill.id,
                "min_level_id": cls.senior.id,
            }
        )
        cls.categ_parent = cls.env["product.category"].create({"name": "Appliances"})
        cls.categ = cls.env["product.category"].create(
            {
                "name": "Water Heaters",
                "parent_id": cls.categ_parent.id,
                "install_certification_required": True,
            }
        )
        cls.heater.categ_id = cls.categ
        cls.customer.write({"partner_latitude": 30.27, "partner_longitude": 120.15})
        cls.near = cls._tech("Near Zhou", 30.26, 120.16)
        cls.far = cls._tech("Far Qian", 30.60, 120.60)
        cls.junior_tech = cls._tech("Junior Sun", 30.27, 120.15, level=cls.junior)
        cls.day = date.today() + timedelta(days=3)

    @classmethod
    def _tech(cls, name, lat, lon, level=None, prefixes="310", cert=True):
        person = cls.env["fsm.person"].create(
            {
                "name": name,
                "partner_latitude": lat,
                "partner_longitude": lon,
                "service_zip_prefixes": prefixes,
                "max_jobs_per_day": 2,
            }
        )
        cls.env["fsm.person.skill"].create(
            {
                "person_id": person.id,
                "skill_id": cls.skill.id,
                "skill_type_id": cls.skill_type.id,
                "skill_level_id": (level or cls.senior).id,
            }
        )
        if cert:
            cls.env["fsm.person.certification"].create(
                {
                    "person_id": person.id,
                    "product_category_id": cls.categ_parent.id,
                    "number": f"CERT-{name}",
                    "valid_to": date.today() + timedelta(days=365),
                }
            )
        return person

    def _install_order(self):
        order = self._sale([(self.heater, 1)])
        install = order.install_order_ids
        install.scheduled_date_start = datetime.combine(self.day, datetime.min.time())
        return install


def pause_job_runner(case, timeout=60):
    """Stop the queue_job runner thread of this server, if one runs (an HTTP
    test server starts one): it would run the jobs that reliability tests run
    themselves. A new one is started when the class is done."""
    jobrunner = sys.modules.get("odoo.addons.queue_job.jobrunner")
    thread = jobrunner and jobrunner.runner_thread
    if thread and thread.is_alive():
        thread.stop()
        thread.join(timeout)
        jobrunner.runner_thread = None
        case.addClassCleanup(jobrunner._start_runner_thread, "threaded server")


@contextmanager
def recording_creates(env, model):
    """Record the ``create`` calls of ``model``: a list of values lists."""
    calls = []
    cls = type(env[model])
    create = cls.create

    def recording(records, vals_list):
        calls.append(list(vals_list) if isinstance(vals_list, list) else [vals_list])
        return create(records, vals_list)

    with patch.object(cls, "create", recording):
        yield calls
