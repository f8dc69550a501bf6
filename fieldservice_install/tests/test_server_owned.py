# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The server-owned fields mechanism (``install.server.owned.mixin``)."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.server_owned import server_owned_trusted, server_owned_writes
from .common import InstallCommon


@tagged("post_install", "-at_install")
class TestServerOwned(InstallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.install = cls._sale([(cls.lock, 1)]).install_order_ids

    def test_write_refused_for_everybody_and_nothing_written(self):
        for env in (self.env, self.env(su=True)):
            install = self.install.with_env(env)
            with self.assertRaisesRegex(UserError, "SLA Breached") as caught:
                install.write({"sla_breached": True, "priority": "3"})
            self.assertIn("owned by the server", str(caught.exception))
            self.assertFalse(install.sla_breached)
            self.assertNotEqual(install.priority, "3")

    def test_create_and_context_default_refused(self):
        vals = self.install.copy_data()[0]
        with self.assertRaisesRegex(UserError, "SLA Paused"):
            self.env["fsm.order"].create({**vals, "sla_paused_hours": 5})
        with self.assertRaisesRegex(UserError, "SLA Breached"):
            self.env["fsm.order"].with_context(default_sla_breached=True).create(vals)

    def test_other_fields_and_server_code_still_write(self):
        self.install.priority = "2"
        self.assertEqual(self.install.priority, "2")
        self.assertFalse(server_owned_trusted())
        with server_owned_writes():
            self.assertTrue(server_owned_trusted())
            self.install.write({"sla_breached": True})
        self.assertFalse(server_owned_trusted())
        self.assertTrue(self.install.sla_breached)

    def test_trust_ends_with_the_block_even_on_error(self):
        with self.assertRaises(ZeroDivisionError), server_owned_writes():
            1 / 0  # noqa: B018  pylint: disable=pointless-statement
        self.assertFalse(server_owned_trusted())
        with self.assertRaises(UserError):
            self.install.sla_warned = "arrival"

    def test_computed_fields_are_owned_where_the_model_says_so(self):
        owned = self.env["fsm.order"]._server_owned_fields()
        self.assertIn("sla_breached", owned)
        # fsm.order opts out of owning OCA's computed fields
        self.assertNotIn("scheduled_date_end", owned)
