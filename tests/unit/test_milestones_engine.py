# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service milestone engine, without Odoo."""

import pytest

PICKED, ARRIVED, INSPECTED, INSTALLED, CONFIRMED = 1, 2, 3, 4, 5
SN1, SN2, OTHER = 101, 102, 999


@pytest.fixture(scope="module")
def m():
    from .conftest import load_engine

    return load_engine("fieldservice_install", "milestones")


@pytest.fixture
def steps(m):
    # given out of order on purpose: the engine sorts by (sequence, id)
    return [
        m.Step(
            CONFIRMED, "confirmed", "Customer confirmed", 50, require_signature=True
        ),
        m.Step(
            PICKED, "picked_up", "Picked up at logistics point", 10, require_gps=True
        ),
        m.Step(ARRIVED, "arrived", "Arrived (door check-in)", 20, require_gps=True),
        m.Step(
            INSPECTED,
            "inspected",
            "Goods inspected",
            30,
            require_photo=True,
            require_inspection=True,
        ),
        m.Step(
            INSTALLED,
            "installed",
            "Installed",
            40,
            require_serial=True,
            require_photo=True,
        ),
    ]


def gps(m, step_id):
    return m.Entry(step_id, lat=30.25, lon=120.17)


def codes(problems):
    return [p.code for p in problems]


def test_next_step_follows_sequence(m, steps):
    result = m.progress(steps, [])
    assert result.next_step.code == "picked_up"
    assert [s.code for s in result.missing] == [
        "picked_up",
        "arrived",
        "inspected",
        "installed",
        "confirmed",
    ]
    assert not result.complete
    result = m.progress(steps, [gps(m, PICKED)])
    assert result.next_step.code == "arrived"
    assert [s.code for s in result.done] == ["picked_up"]


def test_same_sequence_ordered_by_id(m):
    a = m.Step(7, "b", "B", 10)
    b = m.Step(3, "a", "A", 10)
    assert m.progress([a, b], []).next_step is b


def test_out_of_order_names_first_missing_step(m, steps):
    entry = m.Entry(INSPECTED, photos=1, inspection=m.PASS)
    problems = m.check_entry(steps, [gps(m, PICKED)], entry)
    assert codes(problems) == ["order"]
    assert problems[0].step.name == "Arrived (door check-in)"
    problems = m.check_entry(steps, [], m.Entry(CONFIRMED, signature=True))
    assert problems[0].step.code == "picked_up"


def test_in_order_accepted(m, steps):
    assert m.check_entry(steps, [], gps(m, PICKED)) == []
    assert m.check_entry(steps, [gps(m, PICKED)], gps(m, ARRIVED)) == []


def test_unknown_step(m, steps):
    assert codes(m.check_entry(steps, [], m.Entry(42))) == ["unknown_step"]


def test_completed_step_not_logged_again(m, steps):
    assert codes(m.check_entry(steps, [gps(m, PICKED)], gps(m, PICKED))) == ["done"]


@pytest.mark.parametrize(
    ("step_id", "entry_kw", "code"),
    [
        (PICKED, {"lat": None, "lon": 120.1}, "gps"),
        (PICKED, {"lat": 30.2, "lon": None}, "gps"),
        (INSPECTED, {"inspection": "pass"}, "photo"),
        (INSPECTED, {"photos": 2}, "inspection"),
        (INSPECTED, {"photos": 2, "inspection": "maybe"}, "inspection"),
        (INSTALLED, {"photos": 1}, "serial"),
        (CONFIRMED, {}, "signature"),
    ],
)
def test_missing_evidence(m, steps, step_id, entry_kw, code):
    # every earlier step is complete, so only the evidence can be wrong
    entries = [
        gps(m, PICKED),
        gps(m, ARRIVED),
        m.Entry(INSPECTED, photos=1, inspection=m.PASS),
        m.Entry(INSTALLED, photos=1, lot_id=SN1),
    ]
    entries = [e for e in entries if e.step_id < step_id]
    problems = m.check_entry(steps, entries, m.Entry(step_id, **entry_kw), {SN1})
    assert codes(problems) == [code]


def test_gps_zero_is_a_coordinate(m, steps):
    assert m.check_entry(steps, [], m.Entry(PICKED, lat=0.0, lon=0.0)) == []


def test_serials(m, steps):
    entries = [
        gps(m, PICKED),
        gps(m, ARRIVED),
        m.Entry(INSPECTED, photos=1, inspection=m.PASS),
    ]
    serials = {SN1, SN2}
    unknown = m.check_entry(
        steps, entries, m.Entry(INSTALLED, photos=1, lot_id=OTHER), serials
    )
    assert codes(unknown) == ["serial_unknown"]
    assert unknown[0].lot_id == OTHER

    first = m.Entry(INSTALLED, photos=1, lot_id=SN1)
    assert m.check_entry(steps, entries, first, serials) == []
    entries.append(first)
    # one of two serials installed: the step is still the next one
    assert m.progress(steps, entries, serials).next_step.code == "installed"
    assert codes(m.check_entry(steps, entries, first, serials)) == ["serial_repeated"]
    # the customer cannot confirm before the second unit is installed
    assert codes(
        m.check_entry(steps, entries, m.Entry(CONFIRMED, signature=True), serials)
    ) == ["order"]

    entries.append(m.Entry(INSTALLED, photos=1, lot_id=SN2))
    assert m.progress(steps, entries, serials).next_step.code == "confirmed"


def test_serial_not_required_when_nothing_tracked(m, steps):
    entries = [
        gps(m, PICKED),
        gps(m, ARRIVED),
        m.Entry(INSPECTED, photos=1, inspection=m.PASS),
    ]
    entry = m.Entry(INSTALLED, photos=1)
    assert m.check_entry(steps, entries, entry, frozenset()) == []
    assert m.progress(steps, [*entries, entry]).next_step.code == "confirmed"
    # but a serial given anyway must still be one of the order's
    assert codes(
        m.check_entry(steps, entries, m.Entry(INSTALLED, photos=1, lot_id=SN1))
    ) == ["serial_unknown"]


def test_serial_checked_on_any_step(m, steps):
    entry = m.Entry(PICKED, lat=1.0, lon=1.0, lot_id=OTHER)
    assert codes(m.check_entry(steps, [], entry, {SN1})) == ["serial_unknown"]


def test_failed_inspection_blocks_until_pass(m, steps):
    entries = [
        gps(m, PICKED),
        gps(m, ARRIVED),
        m.Entry(INSPECTED, photos=1, inspection=m.FAIL),
    ]
    result = m.progress(steps, entries)
    assert result.next_step.code == "inspected"
    problems = m.check_entry(steps, entries, m.Entry(INSTALLED, photos=1))
    assert codes(problems) == ["order"]
    assert problems[0].step.code == "inspected"
    # a new inspection may be logged and, passing, lets the order go on
    passing = m.Entry(INSPECTED, photos=1, inspection=m.PASS)
    assert m.check_entry(steps, entries, passing) == []
    entries.append(passing)
    assert m.progress(steps, entries).next_step.code == "installed"


def test_complete_only_when_every_step_logged(m, steps):
    entries = [
        gps(m, PICKED),
        gps(m, ARRIVED),
        m.Entry(INSPECTED, photos=1, inspection=m.PASS),
        m.Entry(INSTALLED, photos=1, lot_id=SN1),
    ]
    assert not m.progress(steps, entries, {SN1}).complete
    entries.append(m.Entry(CONFIRMED, signature=True))
    result = m.progress(steps, entries, {SN1})
    assert result.complete
    assert result.next_step is None
    assert m.progress([], []).complete


def test_several_problems_reported_together(m, steps):
    problems = m.check_entry(steps, [], m.Entry(CONFIRMED))
    assert codes(problems) == ["order", "signature"]


def test_checkin_status(m):
    assert m.checkin_status(0.2, 0.5) == m.NEAR
    assert m.checkin_status(0.5, 0.5) == m.NEAR
    assert m.checkin_status(0.51, 0.5) == m.FAR
    assert m.checkin_status(None, 0.5) == m.UNKNOWN
