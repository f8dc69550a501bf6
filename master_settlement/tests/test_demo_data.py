# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The settlement demo loads at any hour in any timezone.

The demo's jobs become releasable on the user's today (Odoo's
``context_today``), and its run bills what is releasable up to the end of its
period: both days must be the same calendar's. The demo file is loaded here
with the clock frozen at hours where the user's today and UTC's differ, under
a module name of its own (its records do not meet those of an installed demo
and are rolled back with the test)."""

from datetime import date, datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo.tests import TransactionCase
from odoo.tools import convert_file

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

REPLAY = "master_settlement_demo_replay"
# the records of fieldservice_install's demo that the settlement demo uses
NEEDED = {
    "fieldservice_install.fsm_person_zhang_wei_demo": ("fsm.person", "Zhang Wei"),
    "fieldservice_install.fsm_person_liu_yang_demo": ("fsm.person", "Liu Yang"),
    "fieldservice_install.fsm_person_yang_fan_demo": ("fsm.person", "Yang Fan"),
    "fieldservice_install.fsm_person_chen_gang_demo": ("fsm.person", "Chen Gang"),
    "fieldservice_install.res_partner_customer_sh_01_demo": (
        "res.partner",
        "Chen Jing",
    ),
}


class TestSettlementDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # the demo's rate card would overlap an installed one
        cls.env["settlement.rate.card"].search([]).active = False
        with server_owned_writes():
            cls.env["settlement.job.line"].search(
                [("ledger_state", "in", ("accepted", "held", "releasable"))]
            ).ledger_state = "settled"
        for xmlid, (model, name) in NEEDED.items():
            if cls.env.ref(xmlid, raise_if_not_found=False):
                continue
            module, xml_name = xmlid.split(".")
            record = cls.env[model].create({"name": name})
            cls.env["ir.model.data"].create(
                {
                    "module": module,
                    "name": xml_name,
                    "model": model,
                    "res_id": record.id,
                }
            )

    def _load_demo(self, tz, utc_now):
        self.env.user.tz = tz
        # the user's timezone, also in the context: an environment of an
        # earlier test of the class would otherwise keep its own
        env = self.env(context=dict(self.env.context, tz=tz))
        with freeze_time(utc_now):
            convert_file(
                env,
                REPLAY,
                "demo/settlement_demo.xml",
                None,
                mode="init",
                pathname="master_settlement/demo/settlement_demo.xml",
            )
            local_today = datetime.now(pytz.timezone(tz)).date()
        run = self.env.ref(f"{REPLAY}.settlement_run_last_month_demo")
        return run, local_today

    def _assert_demo(self, run, local_today):
        self.assertEqual(run.date_to, local_today)
        self.assertEqual(run.state, "done")
        orders = [
            self.env.ref(f"{REPLAY}.fsm_order_settle_0{i}_demo") for i in range(1, 8)
        ]
        lines = [
            order.settlement_line_ids.filtered(lambda x: x.line_type == "job")
            for order in orders
        ]
        billed = run.move_ids.filtered(lambda m: m.move_type == "in_invoice")
        self.assertEqual(
            billed.settlement_person_id,
            (orders[0] | orders[1] | orders[2]).person_id,
        )
        self.assertEqual(set(billed.mapped("state")), {"posted"})
        self.assertEqual(set(billed.mapped("invoice_date")), {local_today})
        paid = billed.filtered(lambda m: m.settlement_person_id == orders[2].person_id)
        self.assertIn(paid.payment_state, ("paid", "in_payment"))
        self.assertEqual(lines[2].state, "paid")
        # the chargeback found after payment waits for the next run
        chargeback = self.env["settlement.job.line"].search(
            [("fsm_order_id", "=", orders[2].id), ("line_type", "=", "chargeback")]
        )
        self.assertEqual(chargeback.amount, -40.0)
        self.assertEqual(chargeback.state, "releasable")
        # the jobs after the run, each in the state its description tells
        self.assertEqual(lines[3].hold_reason, "confirmation")
        self.assertEqual(lines[4].hold_reason, "dispute")
        self.assertEqual(lines[5].hold_reason, "quality")
        self.assertEqual(lines[6].state, "releasable")

    def test_demo_late_evening_utc_in_brussels(self):
        """23:30 UTC is already tomorrow in Brussels (the demo database's
        timezone): the jobs are releasable on Brussels' today, the run's
        period ends that day and bills them."""
        run, local_today = self._load_demo("Europe/Brussels", "2026-12-07 23:30:00")
        self.assertEqual(local_today, date(2026, 12, 8))
        self._assert_demo(run, local_today)

    def test_demo_afternoon_utc_in_shanghai(self):
        """16:30 UTC is tomorrow in Shanghai: the same for eight hours a
        day."""
        run, local_today = self._load_demo("Asia/Shanghai", "2026-06-30 16:30:00")
        self.assertEqual(local_today, date(2026, 7, 1))
        self._assert_demo(run, local_today)

    def test_demo_west_of_greenwich(self):
        """03:30 UTC is still yesterday in New York."""
        run, local_today = self._load_demo("America/New_York", "2026-12-08 03:30:00")
        self.assertEqual(local_today, date(2026, 12, 8) - timedelta(days=1))
        self._assert_demo(run, local_today)
