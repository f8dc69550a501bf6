# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import Form, TransactionCase, tagged
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

SUITE = ("fieldservice_install", "warranty_claims", "master_settlement")


@tagged("post_install", "-at_install")
class TestWindowActions(TransactionCase):
    """The window actions of the suite open in the web client.

    The web client evaluates an action's context and domain itself (py.js),
    with the user's context and the active record: it has no ``ref()``, no
    ``env``, no model. Evaluated here with only what it has.
    """

    def _web_client_context(self):
        """The names the web client evaluates an action's context with."""
        user_context = self.env["res.users"].context_get()
        return {
            **user_context,
            "uid": self.env.uid,
            "allowed_company_ids": self.env.companies.ids,
            "active_id": False,
            "active_ids": [],
            "active_model": False,
            # py.js builtins
            "time": time,
            "datetime": datetime,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "context_today": datetime.date.today,
            "current_date": time.strftime("%Y-%m-%d"),
        }

    def test_window_actions_evaluate_in_web_client(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", SUITE), ("model", "=", "ir.actions.act_window")]
        )
        actions = self.env["ir.actions.act_window"].browse(data.mapped("res_id"))
        self.assertIn(
            self.env.ref("fieldservice_install.fsm_order_install_action"), actions
        )
        for action in actions:
            with self.subTest(action=action.xml_id):
                # what /web/action/load sends: the context and domain as text
                loaded = self.env["ir.actions.actions"]._for_xml_id(action.xml_id)
                context = loaded.get("context") or "{}"
                if isinstance(context, str):
                    context = safe_eval(context, self._web_client_context())
                self.assertIsInstance(context, dict)
                domain = loaded.get("domain") or "[]"
                if isinstance(domain, str):
                    domain = safe_eval(
                        domain, {**self._web_client_context(), **context}
                    )
                self.assertIsInstance(domain, list)
                model = self.env[action.res_model].with_context(**context)
                # the defaults it gives name real fields, and existing records
                for key, value in context.items():
                    if not key.startswith("default_"):
                        continue
                    field = model._fields.get(key[len("default_") :])
                    self.assertTrue(field, f"{key}: no such field")
                    if field.type == "many2one" and value:
                        comodel = self.env[field.comodel_name]
                        self.assertTrue(comodel.browse(value).exists(), key)
                # and the first search the view makes runs
                model.search(domain, limit=1)

    def test_installation_action_creates_installations(self):
        loaded = self.env["ir.actions.actions"]._for_xml_id(
            "fieldservice_install.fsm_order_install_action"
        )
        context = safe_eval(loaded["context"], self._web_client_context())
        location = self.env["fsm.location"].create(
            {"name": "Form Site", "owner_id": self.env.company.partner_id.id}
        )
        # New in Installations > Installation Orders, as a dispatcher does
        with Form(self.env["fsm.order"].with_context(**context)) as form:
            self.assertEqual(
                form.type,
                self.env.ref("fieldservice_install.fsm_order_type_installation"),
            )
            form.location_id = location
        order = form.record
        self.assertTrue(order.is_installation)
        self.assertEqual(order.install_state, "to_plan")
