# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form

from odoo.addons.fieldservice_install.tests.common import InstallCommon

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
INSTALL_DAY = date(2026, 1, 15)


class WarrantyCommon(InstallCommon):
    """A water heater policy (三包), a brand, certified and uncertified
    technicians, faults, and helpers to install a unit and claim on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        category = cls.env["product.category"]
        cls.categ_parent = category.create({"name": "Appliances"})
        cls.categ = category.create(
            {
                "name": "Water Heaters",
                "parent_id": cls.categ_parent.id,
                "install_certification_required": True,
            }
        )
        cls.parts = category.create({"name": "Parts"})
        cls.element = category.create(
            {"name": "Heating Elements", "parent_id": cls.parts.id}
        )
        cls.element_800w = category.create(
            {"name": "800 W Elements", "parent_id": cls.element.id}
        )
        cls.knob = category.create({"name": "Knobs", "parent_id": cls.parts.id})
        cls.heater.categ_id = cls.categ
        cls.heater.standard_price = 900.0
        cls.brand = cls.env["res.partner"].create(
            {"name": "AquaBrand Co.", "is_company": True}
        )
        cls.heater.warranty_brand_id = cls.brand
        fault = cls.env["warranty.fault"]
        cls.no_heat = fault.create(
            {
                "name": "No hot water",
                "code": "t_no_heat",
                "performance_fault": True,
                "part_categ_id": cls.element.id,
            }
        )
        cls.scratch = fault.create({"name": "Scratched casing", "code": "t_scratch"})
        cls.policy = cls.env["warranty.policy"].create(
            {
                "name": "Water heaters",
                "version_ids": [
                    Command.create(
                        {
                            "name": "1",
                            "date_from": date(2020, 1, 1),
                            "start_basis": "installation",
                            "delivery_days": 15,
                            "sanbao": True,
                            "pause_in_repair": True,
                            "labour_rate": 80.0,
                            "travel_fee": 30.0,
                            "line_ids": [
                                Command.create({"cost_class": "unit", "months": 12}),
                                Command.create(
                                    {
                                        "cost_class": "parts",
                                        "months": 36,
                                        "part_categ_ids": [
                                            Command.set(cls.element.ids)
                                        ],
                                    }
                                ),
                                Command.create({"cost_class": "labour", "months": 12}),
                                Command.create({"cost_class": "travel", "months": 6}),
                            ],
                        }
                    )
                ],
            }
        )
        cls.version = cls.policy.version_ids
        cls.categ_parent.warranty_policy_id = cls.policy
        cls.certified = cls.env["fsm.person"].create({"name": "Certified Wang"})
        cls.env["fsm.person.certification"].create(
            {
                "person_id": cls.certified.id,
                "product_category_id": cls.categ_parent.id,
                "number": "CERT-W-1",
                "valid_from": date(2025, 1, 1),
                "valid_to": date(2027, 12, 31),
            }
        )
        cls.uncertified = cls.env["fsm.person"].create({"name": "Uncertified Zhao"})
        cls.ms = {
            code: cls.env.ref(f"fieldservice_install.fsm_milestone_template_{code}")
            for code in ("picked_up", "arrived", "inspected", "installed")
        }

    # helpers -----------------------------------------------------------
    @classmethod
    def _photo(cls):
        return cls.env["ir.attachment"].create({"name": "photo.png", "raw": PNG})

    @classmethod
    def _log(cls, order, code, **vals):
        return cls.env["fsm.order.milestone.log"].create(
            {"order_id": order.id, "milestone_id": cls.ms[code].id, **vals}
        )

    @classmethod
    def _sold_unit(cls, serial):
        """A heater with serial ``serial`` sold and delivered; (sale, lot)."""
        lot = cls._stock(cls.heater, serials=[serial])
        sale = cls._sale([(cls.heater, 1)])
        pickings = sale.picking_ids
        pickings.action_assign()
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True).button_validate()
        return sale, lot

    @classmethod
    def _install_unit(cls, serial, person=None, day=INSTALL_DAY):
        """Sell, deliver and install one heater on ``day``; its registration."""
        with freeze_time(datetime.combine(day, datetime.min.time())):
            sale, lot = cls._sold_unit(serial)
            install = sale.install_order_ids
            install.person_id = person or cls.certified
            cls._log_install(install, lot)
        return cls.env["warranty.registration"].search([("lot_id", "=", lot.id)])

    @classmethod
    def _log_install(cls, install, lot):
        """Log the milestones of ``install`` up to "installed" (serial ``lot``)."""
        cls._log(install, "picked_up", latitude=30.1, longitude=120.1)
        cls._log(install, "arrived", latitude=30.2, longitude=120.2)
        cls._log(
            install,
            "inspected",
            attachment_ids=[Command.set(cls._photo().ids)],
            inspection_result="pass",
        )
        cls._log(
            install,
            "installed",
            lot_id=lot.id,
            attachment_ids=[Command.set(cls._photo().ids)],
        )

    def _claim(self, lot, fault=None, day=None, submit=True, **vals):
        """A claim on ``lot`` entered in the claim form, as an officer does
        (``vals``: other fields of the form, records or ids); submitted
        unless ``submit`` is false."""
        claim_model = self.env["warranty.claim"]
        form = Form(claim_model)
        if "code_id" in vals:
            form.code_id = self.env["warranty.code"].browse(vals.pop("code_id"))
        form.lot_id = lot
        form.fault_id = fault or self.no_heat
        form.report_date = day or date(2026, 6, 1)
        for name, value in vals.items():
            field = claim_model._fields[name]
            if field.type == "many2one" and isinstance(value, int):
                value = self.env[field.comodel_name].browse(value)
            setattr(form, name, value)
        claim = form.save()
        if submit:
            claim.action_submit()
        return claim

    def _decide(self, claim, outcome=None, overrides=None, note=None):
        """Confirm the verdict through the wizard; ``overrides`` maps a cost
        class to ``(covered, reason)``."""
        action = claim.action_open_decision()
        form = Form(claim.env[action["res_model"]].with_context(**action["context"]))
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                change = (overrides or {}).get(line.cost_class)
                if change:
                    line.covered, line.override_reason = change
        if outcome:
            form.outcome = outcome
        if note:
            form.note = note
        wizard = form.save()
        wizard.action_confirm()
        return wizard

    def _line(self, claim, cost_class):
        return claim.verdict_line_ids.filtered(lambda l: l.cost_class == cost_class)
