# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fee computation engine of master_settlement (no Odoo)."""

import json
from datetime import date

import pytest

from .conftest import load_engine

fees = load_engine("master_settlement", "fees")

D = date(2026, 7, 15)


def rule(rid, fee, **kw):
    return {"id": rid, "base_fee": fee, **kw}


def test_most_specific_rule_wins():
    rules = [
        rule(1, 100, order_type_id=1),
        rule(2, 120, order_type_id=1, categ_id=10),
        rule(3, 130, order_type_id=1, categ_id=11),
        rule(4, 140, order_type_id=1, categ_id=10, zip_prefix="31"),
        rule(5, 150, order_type_id=2),
    ]
    job = fees.Job(order_type_id=1, categ_ids=(11, 10), zip_code="200001", day=D)
    assert fees.match_rule(rules, job)["id"] == 3  # nearest category
    job = fees.Job(order_type_id=1, categ_ids=(10,), zip_code="310012", day=D)
    assert fees.match_rule(rules, job)["id"] == 4  # zip prefix
    job = fees.Job(order_type_id=1, categ_ids=(99,), day=D)
    assert fees.match_rule(rules, job)["id"] == 1
    assert fees.match_rule(rules, fees.Job(order_type_id=3, day=D)) is None


def test_rule_dates_and_state():
    rules = [
        rule(1, 100, date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)),
        rule(2, 110, date_from=date(2026, 7, 1)),
        rule(3, 200, state_id=7, date_from=date(2026, 7, 1)),
    ]
    assert fees.match_rule(rules, fees.Job(None, day=date(2026, 6, 30)))["id"] == 1
    assert fees.match_rule(rules, fees.Job(None, day=D))["id"] == 2
    assert fees.match_rule(rules, fees.Job(None, state_id=7, day=D))["id"] == 3


def test_overlaps_same_key_only():
    rules = [
        rule(
            1, 1, order_type_id=1, date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)
        ),
        rule(2, 1, order_type_id=1, date_from=date(2026, 7, 1)),
        rule(3, 1, order_type_id=1, date_from=date(2026, 6, 30)),
        rule(4, 1, order_type_id=2, date_from=date(2026, 1, 1)),
    ]
    assert sorted(fees.overlaps(rules)) == [(1, 3), (2, 3)]


def test_price_surcharges_commission_bonus_penalty():
    card = fees.Card(
        free_km=10,
        per_km=2,
        per_floor=5,
        night_pct=20,
        holiday_pct=50,
        urgent_fee=30,
        commission_pct=10,
        penalty_caps={"late": 20},
    )
    job = fees.Job(
        order_type_id=1,
        day=D,
        distance_km=25,
        floor=5,
        has_lift=False,
        night=True,
        holiday=True,
        urgent=True,
    )
    bonuses = [
        {
            "name": "Summer heat",
            "amount": 15,
            "date_from": date(2026, 7, 1),
            "date_to": date(2026, 8, 31),
        },
        {
            "name": "Spring",
            "amount": 99,
            "date_from": date(2026, 3, 1),
            "date_to": date(2026, 4, 30),
        },
    ]
    out = fees.price(
        100, card, job, bonuses, [("late", 15), ("late", 15), ("rework", 8)]
    )
    assert out["distance"] == 30.0
    assert out["floor"] == 20.0  # floors 2..5
    assert out["night"] == 20.0 and out["holiday"] == 50.0 and out["urgent"] == 30.0
    assert out["gross"] == 250.0
    assert out["commission"] == 25.0
    assert out["bonuses"] == [("Summer heat", 15.0)]
    assert out["penalties"] == [("late", 15.0), ("late", 5.0), ("rework", 8.0)]
    assert out["net"] == 250 + 15 - 25 - 28


def test_lift_means_no_floor_surcharge_and_negative_fee_refused():
    card = fees.Card(per_floor=5)
    assert fees.price(80, card, fees.Job(None, floor=9, has_lift=True))["floor"] == 0
    with pytest.raises(ValueError):
        fees.price(-1, card, fees.Job(None))


def test_job_frozen_as_json_and_back():
    job = fees.Job(
        order_type_id=3,
        categ_ids=(11, 10),
        state_id=7,
        zip_code="310012",
        day=D,
        distance_km=25.0,
        floor=4,
        has_lift=False,
        urgent=True,
    )
    data = fees.job_to_json(job)
    assert data["day"] == "2026-07-15"
    assert data["categ_ids"] == [11, 10]
    assert json.loads(json.dumps(data)) == data  # what a Json field keeps
    assert fees.job_from_json(data) == job
    assert fees.job_from_json(fees.job_to_json(fees.Job(None))).day is None
