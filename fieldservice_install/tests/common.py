# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import sys
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase


class InstallCommon(TransactionCase):
    """Products, a customer and helpers shared by the installation tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
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
