# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import InstallCommon


class TestProductInstallFields(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Installation",
                "skill_ids": [
                    (0, 0, {"name": "Water heater installation"}),
                    (0, 0, {"name": "Flooring"}),
                ],
                "skill_level_ids": [
                    (0, 0, {"name": "Qualified", "level_progress": 60}),
                    (0, 0, {"name": "Expert", "level_progress": 100}),
                ],
            }
        )
        cls.other_type = cls.env["hr.skill.type"].create(
            {
                "name": "Languages (test)",
                "skill_ids": [(0, 0, {"name": "Cantonese"})],
                "skill_level_ids": [(0, 0, {"name": "Fluent", "level_progress": 100})],
            }
        )

    def test_form_sets_installation_fields(self):
        with Form(self.env["product.template"]) as form:
            form.name = "Gas Water Heater"
            form.is_storable = True
            form.install_required = True
            form.install_duration = 2.5
            with form.install_skill_ids.new() as req:
                req.skill_type_id = self.skill_type
                req.skill_id = self.skill_type.skill_ids[0]
                req.min_level_id = self.skill_type.skill_level_ids[0]
        product = form.record
        self.assertTrue(product.install_required)
        self.assertEqual(product.install_duration, 2.5)
        self.assertEqual(
            product.install_skill_ids.skill_id, self.skill_type.skill_ids[0]
        )
        self.assertEqual(product.install_skill_ids.min_level_progress, 60)

    def test_service_cannot_require_installation(self):
        with self.assertRaisesRegex(ValidationError, "service cannot require"):
            self.env["product.template"].create(
                {
                    "name": "Installation service",
                    "type": "service",
                    "install_required": True,
                }
            )
        with self.assertRaisesRegex(ValidationError, "Extended Care"):
            self.service.install_required = True

    def test_negative_duration_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.heater.install_duration = -1

    def test_skill_requirement_must_match_type(self):
        with self.assertRaisesRegex(ValidationError, "is not of type"):
            self.env["product.install.skill"].create(
                {
                    "product_tmpl_id": self.heater.product_tmpl_id.id,
                    "skill_type_id": self.skill_type.id,
                    "skill_id": self.other_type.skill_ids.id,
                    "min_level_id": self.skill_type.skill_level_ids[0].id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "does not belong"):
            self.env["product.install.skill"].create(
                {
                    "product_tmpl_id": self.heater.product_tmpl_id.id,
                    "skill_type_id": self.skill_type.id,
                    "skill_id": self.skill_type.skill_ids[0].id,
                    "min_level_id": self.other_type.skill_level_ids.id,
                }
            )

    def test_required_skills_land_on_installation_order(self):
        self.env["product.install.skill"].create(
            {
                "product_tmpl_id": self.heater.product_tmpl_id.id,
                "skill_type_id": self.skill_type.id,
                "skill_id": self.skill_type.skill_ids[0].id,
                "min_level_id": self.skill_type.skill_level_ids[1].id,
            }
        )
        order = self._sale([(self.heater, 1)])
        self.assertEqual(
            order.install_order_ids.skill_ids, self.skill_type.skill_ids[0]
        )

    def test_service_template_fills_instructions(self):
        template = self.env["fsm.template"].create(
            {
                "name": "Heater install",
                "instructions": "<p>Check the pressure valve</p>",
            }
        )
        self.heater.fsm_order_template_id = template
        order = self._sale([(self.heater, 1)])
        install = order.install_order_ids
        self.assertEqual(install.template_id, template)
        self.assertIn("pressure valve", install.todo)
