# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""RPC sweep of the server-owned fields of the whole suite.

For every model that lists ``install.server.owned.mixin`` (found in the
registry, so that a model added later is swept too), every one of its
server-owned fields, and a user of each of the suite's groups plus the
administrator: a ``write`` through ``/web/dataset/call_kw`` in a real HTTP
session is refused and leaves the row as it was. A user who may write the
record at all (access rights and record rules) is refused by the
server-owned rule itself, naming the field; the others by their access.

The same sweep writes, as each user who may write the record, a field of the
model that is not the server's: those writes still go through.

The sample records are those of the access matrix (``access_matrix.py``),
made as the addons' own code makes them.
"""

from datetime import date, datetime, timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.fieldservice_install.tests.rpc_common import RpcMixin
from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from . import access_matrix

MIXIN = "install.server.owned.mixin"
GROUPS = [
    "fieldservice_install.group_install_dispatcher",
    "fieldservice_install.group_install_manager",
    "warranty_claims.group_warranty_user",
    "warranty_claims.group_warranty_manager",
    "master_settlement.group_settlement_user",
    "master_settlement.group_settlement_manager",
    "base.group_portal",
]
# what the issue names: the sweep must reach a record of each
REQUIRED = {
    "settlement.job.line",
    "settlement.run",
    "warranty.code",
    "warranty.registration",
    "warranty.claim.verdict.line",
    "fsm.order.milestone.log",
    "fsm.order.rating",
    "fsm.dispatch.offer",
    "fsm.order",
    "account.move",
}
# swept by the addon's own tests: penalties are made on a priced job line only
COVERED_ELSEWHERE = {"settlement.job.penalty"}
SKIPPED_TYPES = {
    "properties",
    "properties_definition",
    "reference",
    "many2one_reference",
}


@tagged("post_install", "-at_install")
class TestServerOwnedRpcSweep(RpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        _users, technician, _other = access_matrix.make_users(env)
        with server_owned_writes():
            cls.samples = access_matrix.make_samples(env, technician)
        cls._more_samples(env)
        cls.users = {}
        for index, group in enumerate(GROUPS):
            if cls.env.ref(group, raise_if_not_found=False):
                cls.users[group] = new_test_user(
                    cls.env, login=f"rpc_sweep_{index}", groups=group
                )
        technician.partner_id = cls.users["base.group_portal"].partner_id
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.password = "rpc_sweep_admin"
        cls.users["admin"] = cls.admin

    @classmethod
    def _more_samples(cls, env):
        """Records of the models the access matrix has no sample of, each made
        by the model's own action."""
        samples = cls.samples
        # the order offered to the technicians: not assigned yet
        order = samples["fsm.dispatch.offer"][0].order_id
        order.scheduled_date_start = datetime.now().replace(microsecond=0) + timedelta(
            days=2
        )
        # dispatch: candidates (a technician serving the order's area), and a
        # batch plan's lines
        order.location_id.zip = "310012"
        samples["fsm.dispatch.offer"][0].person_id.service_zip_prefixes = "310"
        order.action_compute_dispatch()
        samples["fsm.dispatch.candidate"] = (order.dispatch_candidate_ids, None)
        batch = (
            env["fsm.dispatch.batch"]
            .with_context(active_model="fsm.order", active_ids=order.ids)
            .create({})
        )
        batch.action_plan()
        samples["fsm.dispatch.batch.line"] = (batch.line_ids, None)
        # a milestone logged on the order
        template = env["fsm.milestone.template"].search([], limit=1)
        order.type = template.order_type_id
        with server_owned_writes():
            samples["fsm.order.milestone.log"] = (
                env["fsm.order.milestone.log"].create(
                    {
                        "order_id": order.id,
                        "milestone_id": template.id,
                        "timestamp": datetime.now().replace(microsecond=0),
                        "user_id": env.user.id,
                        "latitude": 30.27,
                        "longitude": 120.15,
                    }
                ),
                None,
            )
        # a quotation matched to its stock point
        product = env["product.product"].create(
            {"name": "Sweep Heater", "is_storable": True, "install_required": True}
        )
        quotation = env["sale.order"].create(
            {
                "partner_id": order.location_id.owner_id.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        quotation.action_match_stock_point()
        samples["sale.order"] = (quotation, None)
        samples["sale.order.line"] = (quotation.order_line, None)
        samples["sale.order.stock.point.candidate"] = (
            quotation.stock_point_candidate_ids,
            None,
        )
        # a claim's verdict
        claim = samples.get("warranty.claim", (None, None))[0]
        if claim:
            claim.action_submit()
            samples["warranty.claim.verdict.line"] = (claim.verdict_line_ids, None)
        # the bills of a settlement run
        today = date.today()
        run = env["settlement.run"].create(
            {"date_from": today - timedelta(days=30), "date_to": today}
        )
        run.with_context(settlement_sync=True).action_run()
        samples["account.move"] = (run.move_ids[:1], None)
        samples["account.move.line"] = (
            run.move_ids[:1].line_ids.filtered("settlement_job_line_id")[:1],
            None,
        )

    # ------------------------------------------------------------------
    def _login(self, user):
        self.authenticate(
            user.login, "rpc_sweep_admin" if user == self.admin else user.login
        )

    def _write(self, model, ids, vals):
        """``write`` through the JSON-RPC route, as the web client or an
        integrator calls it; the error answered, or ``None``."""
        return self._rpc_raw(model, "write", [ids, vals])[0].get("error")

    def _owned_models(self):
        return sorted(
            name
            for name in self.env.registry
            if not self.env[name]._abstract
            and name != MIXIN
            and MIXIN in type(self.env[name])._inherit_module
        )

    def _sample(self, model):
        others, own = self.samples.get(model, (None, None))
        record = others or own
        if not record:
            record = self.env[model].sudo().search([], limit=1, order="id desc")
        return record[:1].sudo()

    def _forged(self, record, fname):
        """A value different from the record's, of the field's type."""
        field = record._fields[fname]
        current = record[fname]
        kind = field.type
        if kind == "boolean":
            return not current
        if kind == "integer":
            return (current or 0) + 7
        if kind in ("float", "monetary"):
            return (current or 0.0) + 1000.5
        if kind in ("char", "text", "html"):
            return "forged by RPC"
        if kind == "selection":
            values = [v for v, _label in field._description_selection(self.env)]
            other = [v for v in values if v != current]
            return other[0] if other else False
        if kind == "date":
            return str(date(2001, 2, 3))
        if kind == "datetime":
            return str(datetime(2001, 2, 3, 4, 5, 6))
        if kind == "many2one":
            comodel = self.env[field.comodel_name].sudo()
            other = comodel.search([("id", "!=", current.id)], limit=1)
            return other.id or False
        if kind in ("one2many", "many2many"):
            return [Command.clear()] if current else [Command.set([])]
        if kind == "binary":
            return "Zm9yZ2Vk"
        if kind == "json":
            return {"forged": 1}
        return None

    def _snapshot(self, record, fnames):
        self.env.invalidate_all()
        values = {}
        for fname in fnames:
            value = record[fname]
            if record._fields[fname].relational:
                value = value.ids
            values[fname] = value
        return values

    def _writable_field(self, record, owned):
        """A stored field of the model that is not the server's and that a
        user may set (a name, a note, a description), or ``None``."""
        for fname in ("name", "note", "notes", "description", "comment", "ref"):
            field = record._fields.get(fname)
            if (
                field
                and fname not in owned
                and field.store
                and not field.readonly
                and not field.compute
                and not field.related
                and field.type in ("char", "text", "html")
            ):
                return fname
        return None

    # ------------------------------------------------------------------
    def test_owned_fields_refused_to_every_group_through_rpc(self):
        models = self._owned_models()
        reached = set()
        for model in models:
            record = self._sample(model)
            if not record:
                continue
            owned = self.env[model]._server_owned_fields()
            fnames = [
                f
                for f in owned
                if record._fields[f].type not in SKIPPED_TYPES
                and self._forged(record, f) is not None
            ]
            if not fnames:
                continue
            reached.add(model)
            for key, user in self.users.items():
                may_write = record.with_user(user).has_access("write")
                self._login(user)
                if not may_write:
                    # refused by access rights or rules: all at once
                    before = self._snapshot(record, fnames)
                    vals = {f: self._forged(record, f) for f in fnames}
                    with self.subTest(model=model, user=key, access=False):
                        self.assertTrue(self._write(model, record.ids, vals))
                        self.assertEqual(self._snapshot(record, fnames), before)
                    continue
                for fname in fnames:
                    before = self._snapshot(record, fnames)
                    value = self._forged(record, fname)
                    with self.subTest(model=model, field=fname, user=key):
                        error = self._write(model, record.ids, {fname: value})
                        self.assertTrue(error, "the write went through")
                        self.assertEqual(
                            error["data"]["name"], "odoo.exceptions.UserError"
                        )
                        self.assertIn("owned by the server", error["data"]["message"])
                        label = record._fields[fname]._description_string(self.env)
                        self.assertIn(label, error["data"]["message"])
                        self.assertEqual(self._snapshot(record, fnames), before)
        self.assertFalse(REQUIRED - reached, "models of the issue not swept")
        # and every model of the suite that owns fields has a sample
        self.assertEqual(
            set(models) - reached - COVERED_ELSEWHERE, set(), "models without a sample"
        )

    def test_fields_not_owned_still_written_through_rpc(self):
        written = set()
        for model in self._owned_models():
            record = self._sample(model)
            if not record:
                continue
            owned = self.env[model]._server_owned_fields()
            fname = self._writable_field(record, owned)
            if not fname:
                continue
            for key, user in self.users.items():
                if not record.with_user(user).has_access("write"):
                    continue
                self._login(user)
                value = f"set by {key} {fname}"
                with self.subTest(model=model, field=fname, user=key):
                    error = self._write(model, record.ids, {fname: value})
                    self.assertFalse(error and error["data"]["message"])
                    self.env.invalidate_all()
                    self.assertIn(value, str(record[fname]))
                    written.add(model)
        # at least the orders, the rate cards' lines... something of each addon
        self.assertIn("fsm.order", written)
        self.assertTrue(written & {"warranty.claim", "warranty.code.batch"}, written)
        self.assertTrue(
            written & {"settlement.run", "settlement.rate.card", "settlement.job.line"},
            written,
        )
