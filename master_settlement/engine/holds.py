# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The hold state machine of a technician's job payable (no ORM).

A job line is *open* while it is ``accepted``, ``held`` or ``releasable``;
after that a settlement run owns it (``settled``, ``billed``). While open, a
job (not a chargeback) is held for the first reason that applies, in this
order:

1. ``quality``: its order is on a quality hold (a low rating) that a
   settlement accountant has not released yet;
2. ``confirmation``: the customer has not confirmed the job;
3. ``dispute``: the customer confirmed it, and the dispute window (the
   order type's days after the confirmation) is still open;

and releasable once none applies. A settlement accountant releases a quality
hold (with or without the quality penalty) only on a line held for quality.

In: :class:`LineFacts`, plain values the model reads of each line, and the
day. Out: the hold reason (:func:`hold_reason`), the state to write
(:func:`transition`, :func:`plan`), the dispute window
(:func:`dispute_until`) and the guards of the actions (:func:`can_confirm`,
:func:`can_release_quality`).
"""

from dataclasses import dataclass
from datetime import date, timedelta

OPEN_STATES = ("accepted", "held", "releasable")
QUALITY = "quality"
CONFIRMATION = "confirmation"
DISPUTE = "dispute"


@dataclass(frozen=True)
class LineFacts:
    """What the hold of one job line depends on."""

    line_type: str = "job"
    ledger_state: str = "accepted"
    hold_reason: str | None = None
    quality_hold: bool = False  # the order is on a quality hold
    quality_released: bool = False  # an accountant released it for this line
    confirmed_date: date | None = None
    dispute_until: date | None = None


def is_open(ledger_state):
    """Whether the line is still the ledger's (no settlement run has it)."""
    return ledger_state in OPEN_STATES


def hold_reason(facts, today):
    """The reason the job is held on ``today``, or ``None`` when releasable."""
    if facts.quality_hold and not facts.quality_released:
        return QUALITY
    if not facts.confirmed_date:
        return CONFIRMATION
    if facts.dispute_until and today < facts.dispute_until:
        return DISPUTE
    return None


def transition(facts, today):
    """``(ledger_state, hold_reason)`` to write on the line, or ``None`` when
    it stays as it is (a chargeback, a line a run has, a hold unchanged)."""
    if facts.line_type != "job" or not is_open(facts.ledger_state):
        return None
    reason = hold_reason(facts, today)
    if reason:
        if facts.ledger_state == "held" and facts.hold_reason == reason:
            return None
        return ("held", reason)
    if facts.ledger_state == "releasable":
        return None
    return ("releasable", None)


def plan(facts_by_id, today):
    """The writes of :func:`transition` for many lines, grouped:
    ``({reason: [ids to hold for it]}, [ids released])`` (ids in the order
    given)."""
    held, released = {}, []
    for line_id, facts in facts_by_id.items():
        change = transition(facts, today)
        if not change:
            continue
        state, reason = change
        if state == "held":
            held.setdefault(reason, []).append(line_id)
        else:
            released.append(line_id)
    return held, released


def can_confirm(facts):
    """Whether the customer's confirmation still counts for the line (once:
    the first confirmation starts the dispute window)."""
    return is_open(facts.ledger_state) and not facts.confirmed_date


def dispute_until(confirmed, days):
    """The last day of the dispute window opened by the confirmation."""
    return confirmed + timedelta(days=days or 0)


def can_release_quality(facts):
    """Whether a quality hold can be released (or settled by the penalty) on
    the line: only when the line is held for quality."""
    return facts.ledger_state == "held" and facts.hold_reason == QUALITY
