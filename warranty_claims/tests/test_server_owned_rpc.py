# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Server-owned fields of the warranty models through a real JSON-RPC
session (``/web/dataset/call_kw``), as a warranty officer, a warranty manager
and the administrator: every ``write`` of such a field is refused and leaves
the row unchanged; what users may do (record costs, describe a claim, submit
it, decide it, revoke a code, issue a code from a serial...) still works, and
the public methods check their caller before doing anything.
"""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.fieldservice_install.tests.rpc_common import RpcMixin

from .common_code import unit_installed_today

GTIN = "6970000000048"
REFUSED = ("odoo.exceptions.UserError", "odoo.exceptions.AccessError")
# what the server owns, model by model (the models' _server_owned_fields()
# must hold at least these)
OWNED = {
    "warranty.code": (
        "code",
        "serial",
        "lot_id",
        "product_id",
        "company_id",
        "state",
        "batch_id",
        "activation_date",
        "possibly_cloned",
        "scan_ids",
    ),
    "warranty.code.batch": ("name", "state", "generated_count", "code_ids"),
    "warranty.code.scan": (
        "code_id",
        "company_id",
        "submitted",
        "result",
        "scan_date",
        "ip",
        "network",
        "country_code",
        "city",
    ),
    "warranty.registration": (
        "product_id",
        "code_id",
        "install_order_id",
        "installer_id",
        "install_date",
        "delivery_date",
        "invoice_date",
        "authorised_installer",
        "policy_id",
        "policy_version_id",
        "start_basis",
        "start_date",
        "pause_days",
        "end_date_unit",
        "end_date_parts",
        "end_date_labour",
        "end_date_travel",
        "claim_ids",
    ),
    "warranty.claim": (
        "name",
        "state",
        "source",
        "product_id",
        "registration_id",
        "not_sold",
        "policy_version_id",
        "remedy",
        "remedy_reason",
        "verdict_date",
        "outcome",
        "decision_note",
        "decided_by_id",
        "decision_date",
        "refusal_reason",
        "repair_order_id",
        "picking_ids",
        "refund_move_id",
        "sale_order_id",
        "repair_start_date",
        "repair_end_date",
        "done_date",
        "amount_covered",
        "brand_id",
        "brand_invoice_line_id",
        "billing_state",
    ),
    "warranty.claim.verdict.line": (
        "claim_id",
        "company_id",
        "cost_class",
        "engine_covered",
        "covered",
        "reason_code",
        "reason",
        "override_reason",
        "policy_line_id",
        "end_date",
    ),
}


@tagged("post_install", "-at_install")
class TestServerOwnedRpc(RpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "warranty_claims.verify_rate_limit", "0"
        )
        stock_groups = "stock.group_stock_user,fieldservice.group_fsm_user"
        cls.officer = new_test_user(
            cls.env,
            login="rpc_officer",
            groups=f"warranty_claims.group_warranty_user,{stock_groups}",
        )
        cls.manager = new_test_user(
            cls.env,
            login="rpc_manager",
            groups=f"warranty_claims.group_warranty_manager,{stock_groups},"
            "fieldservice.group_fsm_manager",
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.brand = cls.env["res.partner"].create({"name": "RPC Brand"})
        cls.registration = unit_installed_today(
            cls.env,
            "RPC-SN1",
            (("unit", 12), ("labour", 12)),
            barcode=GTIN,
            warranty_brand_id=cls.brand.id,
        )
        cls.product = cls.registration.product_id
        cls.lot = cls.registration.lot_id
        cls.batch = cls.env["warranty.code.batch"].create(
            {"product_id": cls.product.id, "quantity": 3, "lot_prefix": "RPCB-"}
        )
        cls.batch._run_generation()
        cls.code = cls.registration.code_id
        cls.fault = cls.env["warranty.fault"].create(
            {"name": "RPC leak", "code": "rpc_leak"}
        )
        cls.claim = cls.env["warranty.claim"].create(
            {"code_id": cls.code.id, "fault_id": cls.fault.id}
        )
        cls.claim.action_submit()
        cls.line = cls.claim.verdict_line_ids.sorted("id")[0]
        cls.env["warranty.code.scan"]._log(
            cls.code.code, "valid", cls.code, "198.51.100.4", "CN", "Hangzhou"
        )
        cls.scan = cls.env["warranty.code.scan"].search(
            [("code_id", "=", cls.code.id)], limit=1
        )
        cls.other_partner = cls.env["res.partner"].create({"name": "Someone Else"})
        cls.records = {
            "warranty.code": cls.code,
            "warranty.code.batch": cls.batch,
            "warranty.code.scan": cls.scan,
            "warranty.registration": cls.registration,
            "warranty.claim": cls.claim,
            "warranty.claim.verdict.line": cls.line,
        }

    # helpers -----------------------------------------------------------
    def call(self, user, model, method, args, kwargs=None):
        """``call_kw`` through HTTP as ``user``: the decoded JSON answer."""
        if getattr(self, "_as", None) != user.login:
            self.authenticate(user.login, "admin" if user == self.admin else user.login)
            self._as = user.login
        with mute_logger("odoo.http"):
            return self._rpc_raw(model, method, args, kwargs)[0]

    def assertRefused(self, answer, text=None):
        self.assertIn("error", answer, answer.get("result"))
        data = answer["error"]["data"]
        self.assertIn(data["name"], REFUSED, data["message"])
        if text:
            self.assertIn(text, data["message"])

    def assertDone(self, answer):
        self.assertNotIn("error", answer, answer.get("error", {}).get("data"))
        return answer["result"]

    def _other_value(self, record, name):
        """A value of field ``name`` different from the record's."""
        field = record._fields[name]
        current = record[name]
        if field.type == "many2one":
            if current:
                return False
            comodel = self.env[field.comodel_name].sudo()
            return comodel.search([], limit=1, order="id desc").id
        if field.type in ("one2many", "many2many"):
            return [Command.clear()] if current else [Command.set([1])]
        if field.type == "boolean":
            return not current
        if field.type == "selection":
            values = [key for key, _label in field._description_selection(self.env)]
            return next(value for value in values if value != current)
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 999
        if field.type == "date":
            return "2031-01-02"
        if field.type == "datetime":
            return "2031-01-02 03:04:05"
        return f"{current or ''} changed"

    def _snapshot(self, record, names):
        record.invalidate_recordset()
        return {
            name: (
                record[name].ids
                if record._fields[name].type in ("many2one", "one2many", "many2many")
                else record[name]
            )
            for name in names
        }

    # the sweep ---------------------------------------------------------
    def test_models_own_what_they_should(self):
        for model, names in OWNED.items():
            self.assertLessEqual(
                set(names), set(self.env[model]._server_owned_fields()), model
            )

    def test_owned_fields_refused_for_every_user_through_rpc(self):
        swept = 0
        for model, record in self.records.items():
            record = record.sudo()
            owned = [name for name in OWNED[model] if name in record._fields]
            before = self._snapshot(record, owned)
            for user in (self.officer, self.manager, self.admin):
                for name in owned:
                    with self.subTest(model=model, field=name, user=user.login):
                        value = self._other_value(record, name)
                        answer = self.call(
                            user, model, "write", [record.ids, {name: value}]
                        )
                        self.assertRefused(answer)
                        swept += 1
            self.assertEqual(self._snapshot(record, owned), before, model)
        self.assertGreater(swept, 150)

    def test_messages_name_the_field_and_the_action(self):
        answer = self.call(
            self.admin, "warranty.claim", "write", [self.claim.ids, {"state": "done"}]
        )
        self.assertRefused(answer, "owned by the server")
        self.assertIn(
            "State: use the claim's buttons", answer["error"]["data"]["message"]
        )
        answer = self.call(
            self.manager,
            "warranty.code",
            "write",
            [self.code.ids, {"state": "revoked"}],
        )
        self.assertRefused(answer, "use Revoke on the code")
        self.code.invalidate_recordset()
        self.assertEqual(self.code.state, "activated")

    def test_create_with_owned_fields_refused(self):
        count = self.env["warranty.code"].search_count([])
        answer = self.call(
            self.manager,
            "warranty.code",
            "create",
            [
                {
                    "code": "0000-0000-0000-0000",
                    "serial": "FAKE-1",
                    "product_id": self.product.id,
                }
            ],
        )
        self.assertRefused(answer, "owned by the server")
        self.assertEqual(self.env["warranty.code"].search_count([]), count)
        answer = self.call(
            self.officer,
            "warranty.claim",
            "create",
            [
                {
                    "lot_id": self.lot.id,
                    "state": "done",
                    "brand_id": self.officer.partner_id.id,
                }
            ],
        )
        self.assertRefused(answer, "owned by the server")
        answer = self.call(
            self.officer,
            "warranty.registration",
            "create",
            [{"lot_id": self.lot.id, "install_date": "2020-01-01"}],
        )
        self.assertRefused(answer, "Installed On")

    def test_fsm_order_claim_link_refused(self):
        order = self.env["fsm.order"].create(
            {
                "location_id": self.env["fsm.location"]
                .create(
                    {
                        "name": "RPC Site",
                        "owner_id": self.other_partner.id,
                    }
                )
                .id
            }
        )
        for user in (self.manager, self.admin):
            answer = self.call(
                user,
                "fsm.order",
                "write",
                [order.ids, {"warranty_claim_id": self.claim.id}],
            )
            self.assertRefused(answer, "set by Start Outcome")
        order.invalidate_recordset()
        self.assertFalse(order.warranty_claim_id)

    # what users still do -----------------------------------------------
    def test_allowed_user_actions_still_work(self):
        # an officer records the costs and completes the description
        self.assertDone(
            self.call(
                self.officer,
                "warranty.claim.verdict.line",
                "write",
                [self.line.ids, {"cost": 42.5}],
            )
        )
        self.assertDone(
            self.call(
                self.officer,
                "warranty.claim",
                "write",
                [self.claim.ids, {"description": "Drips under the tank"}],
            )
        )
        # and registers the customer of the unit
        self.assertDone(
            self.call(
                self.officer,
                "warranty.registration",
                "write",
                [self.registration.ids, {"partner_id": self.other_partner.id}],
            )
        )
        self.line.invalidate_recordset()
        self.claim.invalidate_recordset()
        self.registration.invalidate_recordset()
        self.assertEqual(self.line.cost, 42.5)
        self.assertEqual(self.claim.description, "Drips under the tank")
        self.assertEqual(self.registration.partner_id, self.other_partner)
        # a manager decides through the wizard
        wizard_id = self.assertDone(
            self.call(
                self.manager,
                "warranty.claim.decision",
                "create",
                [{"claim_id": self.claim.id, "outcome": "repair"}],
            )
        )
        self.assertDone(
            self.call(
                self.manager, "warranty.claim.decision", "action_confirm", [[wizard_id]]
            )
        )
        self.claim.invalidate_recordset()
        self.assertEqual(self.claim.state, "decided")
        self.assertEqual(self.claim.decided_by_id, self.manager)
        # a decided claim's unit and fault no longer change
        answer = self.call(
            self.officer,
            "warranty.claim",
            "write",
            [self.claim.ids, {"fault_id": False}],
        )
        self.assertRefused(answer, "can no longer change")
        # a manager revokes a code, an officer cannot
        code = self.batch.code_ids.sorted("id")[1]
        self.assertRefused(
            self.call(self.officer, "warranty.code", "action_revoke", [code.ids])
        )
        self.assertDone(
            self.call(self.manager, "warranty.code", "action_revoke", [code.ids])
        )
        code.invalidate_recordset()
        self.assertEqual(code.state, "revoked")

    def test_issue_code_from_serial_is_for_managers(self):
        """stock.lot.action_issue_warranty_code was callable by any internal
        user: it checks the Warranty Manager group before doing anything."""
        lot = self.env["stock.lot"].create(
            {"name": "RPC-LOOSE-1", "product_id": self.product.id}
        )
        stock_user = new_test_user(
            self.env, login="rpc_stock", groups="stock.group_stock_user"
        )
        for user in (stock_user, self.officer):
            answer = self.call(
                user, "stock.lot", "action_issue_warranty_code", [lot.ids]
            )
            self.assertRefused(answer, "Warranty Manager")
            self.assertFalse(
                self.env["warranty.code"].search([("lot_id", "=", lot.id)])
            )
        action = self.assertDone(
            self.call(
                self.manager, "stock.lot", "action_issue_warranty_code", [lot.ids]
            )
        )
        code = self.env["warranty.code"].search([("lot_id", "=", lot.id)])
        self.assertEqual(action["res_id"], code.id)
        self.assertEqual(code.serial, "RPC-LOOSE-1")

    def test_generated_batch_is_frozen(self):
        answer = self.call(
            self.manager,
            "warranty.code.batch",
            "write",
            [self.batch.ids, {"quantity": 5000}],
        )
        self.assertRefused(answer, "cannot change")
        self.batch.invalidate_recordset()
        self.assertEqual(self.batch.quantity, 3)
        # a draft batch is the manager's to set up
        batch_id = self.assertDone(
            self.call(
                self.manager,
                "warranty.code.batch",
                "create",
                [{"product_id": self.product.id, "quantity": 10, "lot_prefix": "RPD-"}],
            )
        )
        self.assertDone(
            self.call(
                self.manager,
                "warranty.code.batch",
                "write",
                [[batch_id], {"quantity": 20}],
            )
        )
        self.assertEqual(self.env["warranty.code.batch"].browse(batch_id).quantity, 20)

    def test_every_public_method_checks_its_caller(self):
        """An internal user outside the warranty groups gets an access error
        from every public method of the warranty models, and nothing is
        done."""
        outsider = new_test_user(
            self.env, login="rpc_outsider", groups="base.group_user"
        )
        calls = [
            ("warranty.code", "action_revoke", self.code),
            ("warranty.code", "action_view_scans", self.code),
            ("warranty.code.batch", "action_generate", self.batch),
            ("warranty.code.batch", "action_export_csv", self.batch),
            ("warranty.code.batch", "action_view_codes", self.batch),
            ("warranty.registration", "action_view_claims", self.registration),
            ("warranty.registration", "action_refresh_warranty", self.registration),
            ("warranty.claim", "action_submit", self.claim),
            ("warranty.claim", "action_recompute_verdict", self.claim),
            ("warranty.claim", "action_open_decision", self.claim),
            ("warranty.claim", "action_launch_outcome", self.claim),
            ("warranty.claim", "action_done", self.claim),
            ("warranty.claim", "action_cancel", self.claim),
            ("warranty.claim", "action_reset_draft", self.claim),
            ("warranty.claim", "action_view_repair_order", self.claim),
            ("stock.lot", "action_issue_warranty_code", self.lot),
        ]
        for model, method, record in calls:
            with self.subTest(method=f"{model}.{method}"):
                answer = self.call(outsider, model, method, [record.ids])
                self.assertRefused(answer)
                self.assertEqual(
                    answer["error"]["data"]["name"], "odoo.exceptions.AccessError"
                )
        answer = self.call(
            outsider,
            "warranty.claim",
            "message_new",
            [{"subject": "RPC", "body": "x", "email_from": "a@b.c"}],
        )
        self.assertRefused(answer)
        self.claim.invalidate_recordset()
        self.assertEqual(self.claim.state, "submitted")
        self.code.invalidate_recordset()
        self.assertEqual(self.code.state, "activated")
