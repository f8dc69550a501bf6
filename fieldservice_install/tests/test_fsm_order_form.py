# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The order form as a dispatcher sees it: its header and smart buttons."""

from lxml import etree

from odoo.tests import Form, new_test_user
from odoo.tools.safe_eval import safe_eval

from .common import InstallCommon


class TestFsmOrderForm(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = new_test_user(
            cls.env,
            login="form_dispatcher",
            groups="fieldservice.group_fsm_dispatcher,sales_team.group_sale_salesman_all_leads",
        )
        cls.sale = cls._sale([(cls.heater, 1)])
        cls.install = cls.sale.install_order_ids
        cls.person = cls.env["fsm.person"].create({"name": "Zhang Wei"})

    def _arch(self, user):
        view = self.env["fsm.order"].with_user(user).get_views([(False, "form")])
        return etree.fromstring(view["views"]["form"]["arch"])

    def _shown_buttons(self, order, user, xpath):
        """``[(name, highlighted)]`` of the buttons at ``xpath`` of the form that
        ``order`` shows (their ``invisible`` evaluated on it)."""
        order = order.with_user(user)
        shown = []
        for button in self._arch(user).xpath(xpath):
            expression = button.get("invisible") or "False"
            names = {
                name
                for name in order._fields
                if name in expression.replace("(", " ").replace(")", " ").split()
            }
            values = {
                name: order[name].id
                if order._fields[name].type == "many2one"
                else order[name]
                for name in names
            }
            if not safe_eval(expression, values):
                shown.append(
                    (button.get("name"), "oe_highlight" in button.get("class", ""))
                )
        return shown

    def test_one_sale_order_smart_button(self):
        arch = self._arch(self.dispatcher)
        buttons = arch.xpath(
            "//div[@name='button_box']/button[@name='action_view_sales' "
            "or @name='action_view_sale_order']"
        )
        self.assertEqual(len(buttons), 1)
        action = self.install.with_user(self.dispatcher).action_view_sales()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", self.sale.id)
        )

    def test_new_order_dispatch_is_primary(self):
        shown = self._shown_buttons(self.install, self.dispatcher, "//header/button")
        names = [name for name, _primary in shown]
        self.assertIn("action_dispatch", names)
        self.assertIn("action_offer", names)
        self.assertEqual(
            [name for name, primary in shown if primary], ["action_dispatch"]
        )

    def test_assigned_order_complete_is_primary(self):
        with Form(self.install.with_user(self.dispatcher)) as form:
            form.person_id = self.person
        shown = self._shown_buttons(self.install, self.dispatcher, "//header/button")
        names = [name for name, _primary in shown]
        self.assertNotIn("action_dispatch", names)
        self.assertNotIn("action_offer", names)
        self.assertEqual(
            [name for name, primary in shown if primary], ["action_complete"]
        )

    def test_dispatch_reasons_wrap(self):
        reasons = self._arch(self.dispatcher).xpath(
            "//field[@name='dispatch_candidate_ids']//field[@name='reasons']"
        )
        self.assertIn("text-wrap", reasons[0].get("class", ""))
