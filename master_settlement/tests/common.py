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


class SettlementRunCommon(SettlementCommon):
    """Three releasable jobs of two technicians, and one still held: what
    a settlement run bills; helpers to read its bills."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a1 = cls._releasable(cls.tech_a)
        cls.a2 = cls._releasable(cls.tech_a, settle_urgent=True)
        cls.b1 = cls._releasable(cls.tech_b)
        cls.held = cls._complete(cls.tech_b)  # not confirmed: stays out

    def _bills(self, run):
        return run.move_ids.filtered(lambda m: m.state == "posted")

    def _assert_amounts_as_odoo_makes_them(self, moves):
        """The run gives the amounts of its journal items (editable fields):
        each is what Odoo makes of the same document given as invoice lines
        alone (its tax engine, the document's sign), payable line included."""

        def amounts(move):
            return sorted(
                (
                    line.name or "",
                    line.account_id.id,
                    line.balance,
                    line.amount_currency,
                )
                for line in move.line_ids
            )

        for move in moves:
            with self.env.cr.savepoint(flush=False) as savepoint:
                twin = self.env["account.move"].create(
                    {
                        "move_type": move.move_type,
                        "partner_id": move.partner_id.id,
                        "journal_id": move.journal_id.id,
                        "invoice_date": move.invoice_date,
                        "date": move.date,
                        "ref": move.ref,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": line.name,
                                    "quantity": line.quantity,
                                    "price_unit": line.price_unit,
                                    "account_id": line.account_id.id,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                            for line in move.invoice_line_ids
                        ],
                    }
                )
                self.assertEqual(amounts(move), amounts(twin), move.move_type)
                savepoint.rollback()

    def _payable_balance(self, partner):
        """The partner's balance on its payable account (posted items;
        negative: we owe them, positive: they owe us)."""
        items = self.env["account.move.line"].search(
            [
                ("partner_id", "=", partner.id),
                ("account_id", "=", partner.property_account_payable_id.id),
                ("parent_state", "=", "posted"),
            ]
        )
        return sum(items.mapped("balance"))

    def _open_debit(self, partner):
        """What the partner owes us on its payable account, still open."""
        items = self.env["account.move.line"].search(
            [
                ("partner_id", "=", partner.id),
                ("account_id", "=", partner.property_account_payable_id.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ]
        )
        return sum(items.mapped("amount_residual"))


def day(offset=0):
    return date.today() + timedelta(days=offset)
