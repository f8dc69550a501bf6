# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA clock of a field service order, with no ORM in it.

An SLA policy gives, in hours from the order's creation, a deadline for each
step (first contact, arrival, completion). The clock stands still while the
order is paused: every deadline moves by the hours paused. Before a deadline
the dispatcher is warned once (``warn_hours`` ahead); a step reached after its
deadline, or not reached once it passed, breaches the SLA (for good).

Inputs are plain values (datetimes in UTC, without time zone, as Odoo stores
them); outputs are plain values the model writes in one batch.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

STEPS = ("first_contact", "arrival", "completion")


@dataclass(frozen=True)
class Policy:
    """Hours from the start to each deadline, and how long before one to warn."""

    first_contact_hours: float
    arrival_hours: float
    completion_hours: float
    warn_hours: float = 0.0


@dataclass(frozen=True)
class Step:
    """One step of an order: ``code`` (one of :data:`STEPS`), its deadline
    (``None``: none) and when it was reached (``None``: not yet)."""

    code: str
    deadline: datetime | None
    reached: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    """What :func:`check` decides: whether the SLA is breached, and the steps
    to warn about now (in step order), each with its deadline."""

    breached: bool
    warn: tuple = ()


def deadlines(policy, start, paused=0.0):
    """``{step code: deadline}`` of an order created at ``start`` under
    ``policy``, the clock having stood still ``paused`` hours; every deadline
    ``None`` without a policy or a start."""
    if policy is None or start is None:
        return dict.fromkeys(STEPS)
    hours = {
        "first_contact": policy.first_contact_hours,
        "arrival": policy.arrival_hours,
        "completion": policy.completion_hours,
    }
    return {
        code: start + timedelta(hours=hours[code] + (paused or 0.0)) for code in STEPS
    }


def check(steps, now, warn_hours, warned=frozenset(), breached=False):
    """Whether the SLA is breached at ``now`` and which steps to warn about.

    ``steps``: the order's :class:`Step` s; ``warned``: the codes already
    warned about (never twice); ``breached``: already breached (it stays so).
    A step is warned about when it is not reached, not yet late, and its
    deadline is less than ``warn_hours`` away.
    """
    warn = []
    for step in steps:
        if not step.deadline:
            continue
        if (step.reached or now) > step.deadline:
            breached = True
        elif (
            not step.reached
            and step.code not in warned
            and now >= step.deadline - timedelta(hours=warn_hours)
        ):
            warn.append(step)
    return Verdict(breached=breached, warn=tuple(warn))


def paused_hours(since, until):
    """Hours the clock stood still from ``since`` to ``until`` (never
    negative: a resume dated before its pause counts nothing)."""
    return max((until - since).total_seconds(), 0) / 3600
