# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Holds of job payables and the overdue payouts (settlement_job_line_hold.py)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..tools.access import MANAGER, USER
from .common import SettlementCommon


class TestSettlementJobLineHold(SettlementCommon):
    def test_created_on_completion_held_until_confirmed(self):
        line = self._complete()
        self.assertEqual(len(line), 1)
        self.assertEqual(line.state, "held")
        self.assertEqual(line.hold_reason, "confirmation")
        self.assertEqual(line.person_id, self.tech_a)
        self.assertEqual(line.partner_id, self.tech_a.partner_id)
        # completing again does not create another one
        line.fsm_order_id.action_complete()
        self.assertEqual(len(line.fsm_order_id.settlement_line_ids), 1)

    def test_confirmation_milestone_then_dispute_window_cron(self):
        template = self.env["fsm.milestone.template"].create(
            {
                "order_type_id": self.order_type.id,
                "code": "confirmed",
                "name": "Customer confirmed",
                "sequence": 50,
            }
        )
        order = self._order()
        self.env["fsm.order.milestone.log"].create(
            {"order_id": order.id, "milestone_id": template.id}
        )
        order.action_complete()
        line = order.settlement_line_ids
        self.assertEqual(line.confirmed_date, self.today)
        self.assertEqual(line.dispute_until, self.today + timedelta(days=3))
        self.assertEqual(line.hold_reason, "dispute")
        self.env["settlement.job.line"]._cron_release()
        self.assertEqual(line.state, "held")
        with freeze_time(self.today + timedelta(days=3)):
            self.env["settlement.job.line"]._cron_release()
        self.assertEqual(line.state, "releasable")
        self.assertFalse(line.hold_reason)

    def test_lines_released_together_tracked_by_odoo(self):
        """Lines released together each log their state change through
        Odoo's own tracking (no tracking mixin of the suite any more)."""
        model = self.env["settlement.job.line"]
        self.assertNotIn(
            "install.mail.tracking.batch",
            [getattr(cls, "_name", None) for cls in type(model).__mro__],
        )
        lines = self._complete() | self._complete() | self._complete()
        self.assertEqual(set(lines.mapped("state")), {"held"})
        self.env.flush_all()
        # records created in a transaction log no tracking in it: commit them
        self.env.cr.precommit.run()
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        # past their dispute window: released
        with server_owned_writes():
            lines.write(
                {
                    "confirmed_date": self.today - timedelta(days=10),
                    "dispute_until": self.today - timedelta(days=1),
                }
            )
        lines.with_context(tracking_disable=False)._refresh_hold()
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are made at commit
        self.assertEqual(set(lines.mapped("state")), {"releasable"})
        for line in lines:
            message = line.message_ids.filtered(lambda m, last=last: m.id > last)
            self.assertEqual(len(message), 1)
            self.assertEqual(
                set(message.tracking_value_ids.field_id.mapped("name")),
                {"state", "hold_reason"},
            )

    def test_quality_hold_release_or_penalty(self):
        manager = new_test_user(self.env, login="settle_mgr", groups=MANAGER)
        clerk = new_test_user(self.env, login="settle_clerk", groups=USER)
        first, second = self._releasable(), self._releasable()
        self.assertEqual(first.state, "releasable")
        for line in first | second:
            line.fsm_order_id.rating_ids._rate(2, "Leaking pipe")
        self.assertEqual(first.state, "held")
        self.assertEqual(first.hold_reason, "quality")
        with self.assertRaisesRegex(UserError, "settlement accountant"):
            first.with_user(clerk).action_release_quality()
        first.with_user(manager).action_release_quality()
        self.assertEqual(first.state, "releasable")
        self.assertEqual(first.penalty_amount, 0)
        second.with_user(manager).action_apply_quality_penalty()
        self.assertEqual(second.state, "releasable")
        self.assertEqual(second.penalty_amount, 40.0)
        self.assertIn("Leaking pipe", second.penalty_ids.evidence)
        self.assertEqual(second.amount, first.amount - 40.0)

    def test_overdue_cron_notifies_accountant(self):
        accountant = self._accountant()
        line = self._releasable()
        with server_owned_writes():
            line.releasable_date = self.today - timedelta(days=11)
        recent = self._releasable()
        late = self.env["settlement.job.line"]._cron_overdue()
        self.assertIn(line, late)
        self.assertNotIn(recent, late)
        self.assertEqual(line.activity_ids.user_id, accountant)
        self.assertFalse(self.env["settlement.job.line"]._cron_overdue() & line)

    def test_overdue_activity_skips_an_archived_accountant(self):
        """The to-do goes to someone who can act on it (the shared fallback of
        the suite), not to an accountant who has left."""
        gone = self._accountant(archived=True)
        new_test_user(self.env, login="settle_manager", groups=MANAGER)
        line = self._releasable()
        with server_owned_writes():
            line.releasable_date = self.today - timedelta(days=11)
        self.env["settlement.job.line"]._cron_overdue()
        self._assert_can_act(line.activity_ids.user_id, gone)
        self.assertTrue(line.activity_ids.user_id.has_group(MANAGER))
