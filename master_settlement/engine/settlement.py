# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settlement grouping: which document each technician gets for a period.

Plain Python, no ORM.

In: job lines as dicts ``{"id", "person_id", "kind", "label", "gross",
"bonuses": [(name, amount)], "commission", "penalties": [(kind, amount)],
"net", "account": "accrued" | "cost"}`` where ``kind`` is ``"job"`` or
``"chargeback"`` (negative gross/net: a refund or rework found after
payment); what each technician owes from earlier periods (``owed``:
``{person_id: amount >= 0}``, the open balance of the earlier periods' credit
notes, which accounting holds); and the carry-forward cap (the most a
period's payout may be reduced by earlier balances; 0 means no cap).

Out (:func:`build`): one :class:`Settlement` per technician with lines:

- a positive net is a vendor bill (``move_type == "in_invoice"``): its
  invoice lines (one per job, one per bonus campaign, one for the
  commission, one per penalty kind), its ``total`` (the net), and the
  ``deduction``: how much of the earlier balance the bill nets (reconciles
  with), at most the net and the cap; the technician is paid
  ``payout = total - deduction``;
- a negative net is a vendor credit note (``"in_refund"``) of the same lines
  with their sign turned, of ``total = -net``: what the technician owes,
  recovered from the next bills;
- a zero net is no document.

``carry_forward`` is the balance the technician still owes after the
period (zero or negative). :func:`diff` compares two previews per
technician.
"""

from dataclasses import dataclass, field

BILL = "in_invoice"
REFUND = "in_refund"


def money(value):
    return round(float(value or 0.0) + 0.0, 2)


@dataclass
class Settlement:
    person_id: int
    line_ids: list = field(default_factory=list)
    invoice_lines: list = field(default_factory=list)  # dicts, see _invoice_lines
    move_type: str | None = None  # BILL, REFUND or None: no document
    total: float = 0.0  # the document's total (positive)
    deduction: float = 0.0  # earlier balance netted against the bill
    carry_forward: float = 0.0  # balance still owed after the period (<= 0)

    @property
    def billed(self):
        return self.move_type == BILL

    @property
    def refunded(self):
        return self.move_type == REFUND

    @property
    def payout(self):
        """What the technician is paid for the period."""
        return money(self.total - self.deduction) if self.billed else 0.0


def _invoice_lines(lines):
    """One line per job (its gross) and per chargeback, then one line per
    bonus campaign, one negative line for the commission withheld and one
    negative line per penalty kind, each summed over the document's jobs."""
    result = []
    bonuses, penalties = {}, {}
    commission = 0.0
    for line in lines:
        result.append(
            {
                "job_line_id": line["id"],
                "role": line["kind"],
                "label": line["label"],
                "amount": money(line["gross"]),
                "account": line.get("account", "cost"),
            }
        )
        for name, amount in line.get("bonuses") or ():
            bonuses[name] = money(bonuses.get(name, 0.0) + amount)
        commission = money(commission + (line.get("commission") or 0.0))
        for kind, amount in line.get("penalties") or ():
            penalties[kind] = money(penalties.get(kind, 0.0) + amount)
    result += [
        {
            "job_line_id": False,
            "role": "bonus",
            "label": name,
            "amount": amount,
            "account": "cost",
        }
        for name, amount in bonuses.items()
        if amount
    ]
    if commission:
        result.append(
            {
                "job_line_id": False,
                "role": "commission",
                "label": "",
                "amount": -commission,
                "account": "revenue",
            }
        )
    result += [
        {
            "job_line_id": False,
            "role": "penalty",
            "penalty_kind": kind,
            "label": kind,
            "amount": -amount,
            "account": "revenue",
        }
        for kind, amount in penalties.items()
        if amount
    ]
    return result


def settle_person(person_id, lines, owed=0.0, cap=0.0):
    """The settlement of one technician's ``lines``, who owes ``owed`` from
    earlier periods."""
    net = money(sum(line["net"] for line in lines))
    owed = max(0.0, money(owed))
    result = Settlement(person_id, line_ids=[line["id"] for line in lines])
    if net < 0:
        result.move_type = REFUND
        result.invoice_lines = [
            {**item, "amount": money(-item["amount"])} for item in _invoice_lines(lines)
        ]
        result.total = -net
        result.carry_forward = -money(owed - net)
        return result
    if net == 0:
        result.carry_forward = -owed
        return result
    deduction = min(owed, net)
    if cap and cap > 0:
        deduction = min(deduction, money(cap))
    result.move_type = BILL
    result.invoice_lines = _invoice_lines(lines)
    result.total = net
    result.deduction = money(deduction)
    result.carry_forward = -money(owed - result.deduction)
    return result


def build(lines, cap=0.0, owed=None):
    """Settlements of every technician in ``lines``, by person id order;
    ``owed``: ``{person_id: what they owe from earlier periods}``."""
    owed = owed or {}
    by_person = {}
    for line in lines:
        by_person.setdefault(line["person_id"], []).append(line)
    return [
        settle_person(person_id, person_lines, owed.get(person_id, 0.0), cap)
        for person_id, person_lines in sorted(by_person.items())
    ]


def diff(current, previous):
    """Per technician: ``(person_id, current total, previous total, change)``
    for the union of both previews (dicts person_id -> total), largest change
    first."""
    rows = []
    for person_id in set(current) | set(previous):
        now, before = money(current.get(person_id)), money(previous.get(person_id))
        rows.append((person_id, now, before, money(now - before)))
    rows.sort(key=lambda row: (-abs(row[3]), row[0]))
    return rows
