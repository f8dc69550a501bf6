# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA clock engine, without Odoo."""

from datetime import datetime, timedelta

START = datetime(2026, 3, 2, 8, 0)


def policy(sla, warn=2.0):
    return sla.Policy(
        first_contact_hours=4, arrival_hours=24, completion_hours=48, warn_hours=warn
    )


def test_deadlines_from_the_start(sla):
    found = sla.deadlines(policy(sla), START)
    assert found == {
        "first_contact": START + timedelta(hours=4),
        "arrival": START + timedelta(hours=24),
        "completion": START + timedelta(hours=48),
    }


def test_paused_time_moves_every_deadline(sla):
    found = sla.deadlines(policy(sla), START, paused=5.5)
    assert found["first_contact"] == START + timedelta(hours=9.5)
    assert found["completion"] == START + timedelta(hours=53.5)


def test_no_policy_or_start_no_deadline(sla):
    assert sla.deadlines(None, START) == dict.fromkeys(sla.STEPS)
    assert sla.deadlines(policy(sla), None) == dict.fromkeys(sla.STEPS)


def test_step_reached_late_breaches(sla):
    deadline = START + timedelta(hours=4)
    steps = [sla.Step("first_contact", deadline, deadline + timedelta(minutes=1))]
    verdict = sla.check(steps, START + timedelta(hours=5), warn_hours=2)
    assert verdict.breached and verdict.warn == ()


def test_step_not_reached_after_deadline_breaches(sla):
    steps = [sla.Step("arrival", START + timedelta(hours=24))]
    assert sla.check(steps, START + timedelta(hours=25), warn_hours=2).breached


def test_reached_in_time_neither_breaches_nor_warns(sla):
    deadline = START + timedelta(hours=4)
    steps = [sla.Step("first_contact", deadline, START + timedelta(hours=3))]
    verdict = sla.check(steps, START + timedelta(hours=10), warn_hours=2)
    assert not verdict.breached and verdict.warn == ()


def test_warns_once_within_warn_hours(sla):
    steps = [
        sla.Step("first_contact", START + timedelta(hours=4)),
        sla.Step("arrival", START + timedelta(hours=24)),
        sla.Step("completion", None),
    ]
    now = START + timedelta(hours=2, minutes=30)
    verdict = sla.check(steps, now, warn_hours=2)
    assert not verdict.breached
    assert [step.code for step in verdict.warn] == ["first_contact"]
    again = sla.check(steps, now, warn_hours=2, warned={"first_contact"})
    assert again.warn == ()


def test_breach_stays(sla):
    steps = [sla.Step("completion", START + timedelta(hours=48), START)]
    assert sla.check(steps, START, warn_hours=2, breached=True).breached


def test_paused_hours_never_negative(sla):
    assert sla.paused_hours(START, START + timedelta(hours=3)) == 3
    assert sla.paused_hours(START, START - timedelta(hours=1)) == 0
