# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settlement grouping: which bill each technician gets for a period.

Plain Python, no ORM.

In: job lines as dicts ``{"id", "person_id", "kind", "label", "gross",
"bonuses": [(name, amount)], "commission", "penalties": [(kind, amount)],
"net", "account": "accrued" | "cost"}`` where ``kind`` is ``"job"``,
``"chargeback"`` (negative gross/net: a refund or rework found after payment)
or ``"carry"`` (a negative balance brought forward from an earlier run); and
the carry-forward cap (the most a period's payout may be reduced by earlier
negative balances; 0 means no cap).

Out (:func:`build`): one :class:`Settlement` per technician: the invoice
lines of its bill (one per job, one per bonus campaign, one for the
commission, one per penalty kind; none when its net is not positive), the
job line ids it consumes and the negative balance it carries forward to the
next run.
:func:`diff` compares two previews per technician.
"""

from dataclasses import dataclass, field


def money(value):
    return round(float(value or 0.0) + 0.0, 2)


@dataclass
class Settlement:
    person_id: int
    line_ids: list = field(default_factory=list)
    invoice_lines: list = field(default_factory=list)  # dicts, see _invoice_lines
    total: float = 0.0
    carry_forward: float = 0.0  # negative balance left for the next run

    @property
    def billed(self):
        return bool(self.invoice_lines)


def _invoice_lines(lines):
    """One line per job (its gross) and per chargeback, then one line per
    bonus campaign, one negative line for the commission withheld and one
    negative line per penalty kind, each summed over the bill's jobs."""
    result = []
    bonuses, penalties = {}, {}
    commission = 0.0
    for line in lines:
        if line["kind"] == "carry":
            continue
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


def settle_person(person_id, lines, cap=0.0):
    """The settlement of one technician's ``lines``."""
    regular = [line for line in lines if line["kind"] != "carry"]
    carries = [line for line in lines if line["kind"] == "carry"]
    net = money(sum(line["net"] for line in regular))
    owed = -money(sum(line["net"] for line in carries))  # >= 0: what they owe
    result = Settlement(person_id, line_ids=[line["id"] for line in lines])
    if net <= 0:
        result.carry_forward = money(net - owed)
        return result
    deduction = min(owed, net)
    if cap and cap > 0:
        deduction = min(deduction, money(cap))
    deduction = money(deduction)
    result.invoice_lines = _invoice_lines(regular)
    if deduction:
        result.invoice_lines.append(
            {
                "job_line_id": False,
                "role": "carry",
                "label": "",
                "amount": -deduction,
                "account": "cost",
            }
        )
    result.total = money(net - deduction)
    result.carry_forward = -money(owed - deduction)
    return result


def build(lines, cap=0.0):
    """Settlements of every technician in ``lines``, by person id order."""
    by_person = {}
    for line in lines:
        by_person.setdefault(line["person_id"], []).append(line)
    return [
        settle_person(person_id, person_lines, cap)
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
