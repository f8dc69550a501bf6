# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The installation planning engine, without Odoo."""

from datetime import date, datetime, timedelta

import pytest


def want(engine, sale_line, group, product, qty):
    return engine.WantedLine(sale_line, group, product, qty)


def have(engine, line, sale_line, order, qty, open_=True):
    return engine.ExistingLine(line, sale_line, order, qty, open_)


def test_first_confirmation_groups_by_address(install_sync):
    e = install_sync
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 2), want(e, 2, 100, 8, 1), want(e, 3, 200, 7, 1)], [], {}
    )
    assert plan.new_groups == [100, 200]
    assert plan.create == [(100, 1, 7, 2), (100, 2, 8, 1), (200, 3, 7, 1)]
    assert not plan.update and not plan.remove and not plan.emptied_orders


def test_same_state_is_a_noop(install_sync):
    e = install_sync
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 2)], [have(e, 10, 1, 50, 2)], {100: 50}
    )
    assert plan.is_noop
    assert plan.kept_orders == [50]
    assert not plan.emptied_orders


def test_added_line_goes_to_open_order(install_sync):
    e = install_sync
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 2), want(e, 2, 100, 8, 1)],
        [have(e, 10, 1, 50, 2)],
        {100: 50},
    )
    assert plan.new_groups == []
    assert plan.create == [(100, 2, 8, 1)]


def test_quantity_change_updates_line(install_sync):
    e = install_sync
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 1)], [have(e, 10, 1, 50, 3)], {100: 50}
    )
    assert plan.update == [(10, 1)]
    assert not plan.create and not plan.remove


def test_removed_lines_and_emptied_order(install_sync):
    e = install_sync
    plan = e.plan_install_sync(
        [], [have(e, 10, 1, 50, 3), have(e, 11, 2, 50, 1)], {100: 50}
    )
    assert sorted(plan.remove) == [10, 11]
    assert plan.emptied_orders == [50]


def test_line_without_sale_line_is_removed(install_sync):
    e = install_sync
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 1)],
        [have(e, 10, 1, 50, 1), have(e, 11, None, 50, 1)],
        {100: 50},
    )
    assert plan.remove == [11]
    assert plan.emptied_orders == []


def test_closed_quantity_is_not_planned_again(install_sync):
    e = install_sync
    # 1 unit installed (closed order 40); the sale line now asks 3: plan 2 more
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 3)], [have(e, 10, 1, 40, 1, open_=False)], {}
    )
    assert plan.new_groups == [100]
    assert plan.create == [(100, 1, 7, 2)]
    # asking exactly what was installed plans nothing
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 1)], [have(e, 10, 1, 40, 1, open_=False)], {}
    )
    assert plan.is_noop


def test_closed_lines_are_never_touched(install_sync):
    e = install_sync
    plan = e.plan_install_sync([], [have(e, 10, 1, 40, 1, open_=False)], {})
    assert plan.is_noop and not plan.emptied_orders


def test_duplicate_open_lines_are_merged(install_sync):
    e = install_sync
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 2)],
        [have(e, 12, 1, 50, 1), have(e, 10, 1, 50, 1)],
        {100: 50},
    )
    assert plan.update == [(10, 2)]
    assert plan.remove == [12]


def test_reduction_below_installed_removes_open_line(install_sync):
    e = install_sync
    plan = e.plan_install_sync(
        [want(e, 1, 100, 7, 1)],
        [have(e, 10, 1, 40, 1, open_=False), have(e, 11, 1, 50, 2)],
        {100: 50},
    )
    assert plan.remove == [11]
    assert plan.emptied_orders == [50]


def test_earliest_install_start(install_sync):
    e = install_sync
    d1 = datetime(2026, 11, 20, 9, 0)
    d2 = datetime(2026, 11, 22, 15, 30)
    assert e.earliest_install_start([d1, None, d2], 1) == d2 + timedelta(days=1)
    assert e.earliest_install_start([], 2, fallback=d1) == d1 + timedelta(days=2)
    assert e.earliest_install_start([], 0, fallback=date(2026, 11, 20)) == datetime(
        2026, 11, 20
    )
    assert e.earliest_install_start([], 1) is None
    with pytest.raises(ValueError):
        e.earliest_install_start([d1], -1)


def test_is_fully_delivered(install_sync):
    e = install_sync
    assert e.is_fully_delivered({1: 2, 2: 1}, {1: 2, 2: 1})
    assert e.is_fully_delivered({1: 2}, {1: 3})
    assert not e.is_fully_delivered({1: 2, 2: 1}, {1: 2})
    assert not e.is_fully_delivered({1: 2}, {1: 1.5})
    assert not e.is_fully_delivered({}, {})


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], "none"),
        (["cancelled"], "cancelled"),
        (["done", "cancelled"], "done"),
        (["done", "to_plan"], "in_progress"),
        (["scheduled", "in_progress"], "in_progress"),
        (["to_plan", "scheduled"], "to_plan"),
        (["scheduled", "scheduled", "cancelled"], "scheduled"),
    ],
)
def test_aggregate_install_state(install_sync, states, expected):
    assert install_sync.aggregate_install_state(states) == expected
