# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hold state machine of master_settlement's job payables (no Odoo)."""

from datetime import date, timedelta

import pytest

from .conftest import load_engine

holds = load_engine("master_settlement", "holds")

TODAY = date(2026, 7, 15)
Facts = holds.LineFacts


def test_new_job_waits_for_the_customer():
    assert holds.hold_reason(Facts(), TODAY) == "confirmation"
    assert holds.transition(Facts(), TODAY) == ("held", "confirmation")


def test_confirmed_job_waits_for_the_dispute_window_to_end():
    facts = Facts(
        ledger_state="held",
        hold_reason="confirmation",
        confirmed_date=TODAY,
        dispute_until=TODAY + timedelta(days=3),
    )
    assert holds.transition(facts, TODAY) == ("held", "dispute")
    # the last day of the window: still held; the day after: releasable
    last = TODAY + timedelta(days=2)
    assert holds.hold_reason(facts, last) == "dispute"
    assert holds.transition(facts, TODAY + timedelta(days=3)) == ("releasable", None)


def test_quality_hold_comes_first_until_released():
    facts = Facts(
        ledger_state="releasable",
        quality_hold=True,
        confirmed_date=TODAY - timedelta(days=10),
        dispute_until=TODAY - timedelta(days=7),
    )
    assert holds.transition(facts, TODAY) == ("held", "quality")
    released = Facts(**{**facts.__dict__, "quality_released": True})
    assert holds.transition(released, TODAY) is None  # already releasable
    unconfirmed = Facts(quality_hold=True, quality_released=True)
    assert holds.hold_reason(unconfirmed, TODAY) == "confirmation"


def test_no_write_when_nothing_changes():
    held = Facts(ledger_state="held", hold_reason="confirmation")
    assert holds.transition(held, TODAY) is None


@pytest.mark.parametrize("state", ["settled", "billed"])
def test_lines_of_a_run_are_left_alone(state):
    assert not holds.is_open(state)
    assert holds.transition(Facts(ledger_state=state), TODAY) is None
    assert not holds.can_confirm(Facts(ledger_state=state))


def test_chargebacks_are_never_held():
    facts = Facts(line_type="chargeback", ledger_state="releasable")
    assert holds.transition(facts, TODAY) is None


def test_plan_groups_the_writes_by_reason():
    facts = {
        1: Facts(),
        2: Facts(ledger_state="held", hold_reason="confirmation"),
        3: Facts(quality_hold=True),
        4: Facts(confirmed_date=TODAY - timedelta(days=9)),
        5: Facts(ledger_state="billed"),
        6: Facts(),
    }
    held, released = holds.plan(facts, TODAY)
    assert held == {"confirmation": [1, 6], "quality": [3]}
    assert released == [4]


def test_confirmation_counts_once_and_opens_the_window():
    assert holds.can_confirm(Facts())
    assert not holds.can_confirm(Facts(confirmed_date=TODAY))
    assert holds.dispute_until(TODAY, 3) == date(2026, 7, 18)
    assert holds.dispute_until(TODAY, 0) == TODAY


def test_quality_release_only_on_a_quality_hold():
    assert holds.can_release_quality(Facts(ledger_state="held", hold_reason="quality"))
    assert not holds.can_release_quality(
        Facts(ledger_state="held", hold_reason="dispute")
    )
    assert not holds.can_release_quality(Facts(ledger_state="releasable"))
