# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The technician job payable: its identity, payee, ledger state and bill.

Its other concerns live next to it, each a thin ``_inherit`` with its own
fields: pricing and breakdown (``settlement_job_line_pricing``), holds
(``settlement_job_line_hold``), held-funds entries
(``settlement_job_line_accounting``), chargebacks
(``settlement_job_line_chargeback``)."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..tools.access import USER, check_group

LEDGER_STATES = [
    ("accepted", "Accepted"),
    ("held", "Held"),
    ("releasable", "Releasable"),
    ("settled", "Settled"),
    ("billed", "Billed"),
]
STATES = [*LEDGER_STATES, ("paid", "Paid")]
HOLD_REASONS = [
    ("confirmation", "Awaiting customer confirmation"),
    ("dispute", "Dispute window open"),
    ("quality", "Quality hold (low rating)"),
]
LINE_TYPES = [
    ("job", "Job"),
    ("chargeback", "Chargeback"),
]

# what to do instead of writing a server-owned field (shown in the error)
FROM_ORDER = _lt("taken from the order when it is completed")
PRICED = _lt(
    "priced by the rate card when the order is completed: add a penalty "
    "before the job is settled, or a chargeback after"
)
LEDGER = _lt(
    "follows the customer's confirmation, the dispute window, the quality hold "
    "buttons and the settlement runs"
)
SETTLED = _lt(
    "set by a settlement run: reset its bill to draft or cancel it to put the "
    "job back to the next run"
)
BOOKED = _lt("set when the held funds are booked and released")


class SettlementJobLine(models.Model):
    """What the platform owes a technician for one job (the payable ledger).

    Created when an installation order completes, priced by the rate card
    (the rule and the breakdown are frozen on the line), held until the
    customer confirms and the dispute window passes, then releasable until a
    settlement run puts it on a vendor bill.
    """

    _name = "settlement.job.line"
    _description = "Technician Job Payable"
    # every field is the server's: money, payee, ledger state and its dates
    _inherit = ("install.server.owned.mixin", "mail.thread", "mail.activity.mixin")
    _order = "completed_date desc, id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, server_owned=FROM_ORDER
    )
    line_type = fields.Selection(
        LINE_TYPES,
        string="Type",
        required=True,
        default="job",
        readonly=True,
        server_owned=FROM_ORDER,
    )
    fsm_order_id = fields.Many2one(
        "fsm.order",
        string="Order",
        index=True,
        readonly=True,
        ondelete="restrict",
        server_owned=FROM_ORDER,
    )
    person_id = fields.Many2one(
        "fsm.person",
        string="Technician",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
        server_owned=FROM_ORDER,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Payee",
        required=True,
        index=True,
        readonly=True,
        help="Who is paid: the technician's contractor, else the technician.",
        server_owned=FROM_ORDER,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, server_owned=True
    )
    currency_id = fields.Many2one(
        "res.currency", required=True, readonly=True, server_owned=PRICED
    )
    payer_partner_id = fields.Many2one(
        "res.partner",
        string="Payer",
        readonly=True,
        help="Who pays the service: the customer, the merchant or a brand "
        "(warranty work).",
        server_owned=FROM_ORDER,
    )
    payer_amount = fields.Monetary(
        string="Paid by Payer",
        readonly=True,
        help="Booked to the held-funds liability until the customer accepts.",
        server_owned=FROM_ORDER,
    )
    ledger_state = fields.Selection(
        LEDGER_STATES,
        default="accepted",
        required=True,
        readonly=True,
        index=True,
        server_owned=LEDGER,
    )
    state = fields.Selection(
        STATES,
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        server_owned=LEDGER,
    )
    completed_date = fields.Datetime(readonly=True, server_owned=FROM_ORDER)
    run_id = fields.Many2one(
        "settlement.run",
        string="Settlement Run",
        readonly=True,
        index=True,
        server_owned=SETTLED,
    )
    move_id = fields.Many2one(
        "account.move",
        string="Vendor Bill",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The vendor bill that pays the job, or the vendor credit note of "
        "a period whose chargebacks exceeded the technician's earnings.",
        server_owned=SETTLED,
    )
    payment_state = fields.Selection(related="move_id.payment_state")
    note = fields.Text(readonly=True, server_owned=True)

    _job_unique = models.UniqueIndex(
        "(fsm_order_id) WHERE line_type = 'job'",
        "An order has one job payable.",
    )

    @api.depends("ledger_state", "move_id.payment_state", "move_id.state")
    def _compute_state(self):
        for line in self:
            if (
                line.ledger_state == "billed"
                and line.move_id.state == "posted"
                and line.move_id.payment_state in ("paid", "in_payment")
            ):
                line.state = "paid"
            else:
                line.state = line.ledger_state

    def _engine_line(self):
        self.ensure_one()
        data = self.breakdown or {}
        return {
            "id": self.id,
            "person_id": self.person_id.id,
            "kind": self.line_type,
            "label": self.name,
            "gross": self.gross_amount,
            "bonuses": [tuple(b) for b in data.get("bonuses") or []],
            "commission": self.commission_amount,
            "penalties": [tuple(p) for p in data.get("penalties") or []],
            "net": self.amount,
            "account": "accrued" if self.release_move_id else "cost",
        }

    def _back_to_releasable(self, reason):
        """The bill was deleted, cancelled or reset by hand: pay the lines in
        the next run."""
        if not self:
            return
        with server_owned_writes():
            self.write(
                {"ledger_state": "releasable", "move_id": False, "run_id": False}
            )
        for line in self:
            line.message_post(body=reason)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        for line in self:
            if line.ledger_state in ("settled", "billed") or line.move_id:
                raise UserError(
                    self.env._(
                        "Job payable %s is on a settlement: it cannot be deleted.",
                        line.name,
                    )
                )

    def action_view_bill(self):
        check_group(self.env, USER)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
