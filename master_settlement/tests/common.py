# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import Form, TransactionCase, new_test_user

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..tools.access import MANAGER


class SettlementCommon(TransactionCase):
    """A rate card, technicians, a service type and helpers to complete jobs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        # start from an empty ledger and no rate card (the database may hold
        # demo data)
        cls.env["settlement.rate.card"].search([]).active = False
        with server_owned_writes():
            cls.env["settlement.job.line"].search(
                [("ledger_state", "in", ("accepted", "held", "releasable"))]
            ).ledger_state = "settled"
        cls.company.write(
            {
                "settlement_max_payout_days": 10,
                "settlement_carry_cap": 0.0,
                "settlement_chunk_size": 200,
            }
        )
        cls.today = fields.Date.context_today(cls.env.user)
        cls.order_type = cls.env["fsm.order.type"].create(
            {"name": "Settlement Install", "settlement_dispute_days": 3}
        )
        cls.state_zj = cls.env.ref("base.state_cn_ZJ")
        cls.customer = cls.env["res.partner"].create({"name": "Settle Customer"})
        cls.location = cls.env["fsm.location"].create(
            {
                "name": "Settle Site",
                "owner_id": cls.customer.id,
                "zip": "310012",
                "state_id": cls.state_zj.id,
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.tech_a, cls.tech_b = cls.env["fsm.person"].create(
            [{"name": "Tech Alpha"}, {"name": "Tech Beta"}]
        )
        cls.card = cls.env["settlement.rate.card"].create(
            {
                "name": "Standard",
                "date_from": cls.today - timedelta(days=365),
                "free_km": 10,
                "per_km": 2,
                "per_floor": 5,
                "night_pct": 20,
                "holiday_pct": 50,
                "urgent_fee": 30,
                "commission_pct": 10,
                "late_penalty": 15,
                "late_penalty_cap": 20,
                "rework_penalty": 25,
                "rework_penalty_cap": 50,
                "quality_penalty": 40,
                "quality_penalty_cap": 40,
                "line_ids": [
                    Command.create({"base_fee": 80.0}),
                    Command.create(
                        {"order_type_id": cls.order_type.id, "base_fee": 100.0}
                    ),
                ],
                "bonus_ids": [
                    Command.create(
                        {
                            "name": "Summer heat",
                            "date_from": cls.today - timedelta(days=5),
                            "date_to": cls.today + timedelta(days=5),
                            "amount": 10.0,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _order(cls, person=None, **vals):
        return cls.env["fsm.order"].create(
            {
                "location_id": cls.location.id,
                "type": cls.order_type.id,
                "person_id": (person or cls.tech_a).id,
                **vals,
            }
        )

    @classmethod
    def _complete(cls, person=None, **vals):
        order = cls._order(person, **vals)
        order.action_complete()
        return order.settlement_line_ids

    @classmethod
    def _releasable(cls, person=None, **vals):
        """A completed job the customer confirmed long enough ago."""
        line = cls._complete(person, **vals)
        line._on_customer_confirmed(cls.today - timedelta(days=10))
        return line

    @classmethod
    def _accountant(cls, login="settle_acc", archived=False):
        """The company's settlement accountant (archived: one who has left)."""
        user = new_test_user(cls.env, login=login, groups=MANAGER)
        cls.company.settlement_accountant_id = user
        if archived:
            user.active = False
        return user

    def _assert_can_act(self, user, not_user):
        """``user`` alone gets the to-do, an active internal user, not
        ``not_user``."""
        self.assertEqual(len(user), 1)
        self.assertNotEqual(user, not_user)
        self.assertTrue(user.active and not user.share)

    def _run(self, date_to=None, **vals):
        """A draft settlement run of the 30 days to ``date_to`` (today), entered
        in its form as the accountant does (``vals``: other fields to set)."""
        with Form(self.env["settlement.run"]) as form:
            form.date_from = (date_to or self.today) - timedelta(days=30)
            form.date_to = date_to or self.today
            for name, value in vals.items():
                setattr(form, name, value)
        return form.record

    def _start(self, run):
        run.with_context(queue_job__no_delay=True).action_run()
        return run


def day(offset=0):
    return date.today() + timedelta(days=offset)
