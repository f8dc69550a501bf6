# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad-input sweep of the technician fee calculator (no Odoo).

Any job, rate card, bonuses and penalties give a breakdown that adds up to
the cent, or a clear ``ValueError`` for a negative base fee; rule matching
returns one of the given rules or ``None``.
"""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import load_engine

fees = load_engine("master_settlement", "fees")

SWEEP = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CENT = 0.005

amounts = st.floats(0, 100_000, allow_nan=False).map(lambda x: round(x, 2))
days = st.dates(date(2020, 1, 1), date(2030, 12, 31))
maybe_days = st.one_of(st.none(), days)
maybe_ids = st.one_of(st.none(), st.just(False), st.integers(1, 3))
zips = st.one_of(st.none(), st.just(""), st.sampled_from(["31", "310", " 310 ", "2"]))

jobs = st.builds(
    fees.Job,
    order_type_id=maybe_ids,
    categ_ids=st.lists(st.integers(1, 5), max_size=3, unique=True).map(tuple),
    state_id=maybe_ids,
    zip_code=st.one_of(st.none(), st.sampled_from(["310012", "200001", ""])),
    day=maybe_days,
    distance_km=st.floats(-10, 500),
    floor=st.integers(-3, 40),
    has_lift=st.booleans(),
    night=st.booleans(),
    holiday=st.booleans(),
    urgent=st.booleans(),
)
cards = st.builds(
    fees.Card,
    free_km=st.floats(0, 50),
    per_km=st.floats(0, 20),
    per_floor=st.floats(0, 50),
    night_pct=st.floats(0, 100),
    holiday_pct=st.floats(0, 300),
    urgent_fee=amounts,
    commission_pct=st.floats(0, 100),
    penalty_caps=st.dictionaries(
        st.sampled_from(fees.PENALTY_KINDS), st.floats(0, 500), max_size=3
    ),
)
bonuses = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.text(max_size=10),
            "amount": amounts,
            "date_from": maybe_days,
            "date_to": maybe_days,
            "order_type_id": maybe_ids,
        }
    ),
    max_size=3,
)
penalties = st.lists(
    st.tuples(st.sampled_from(fees.PENALTY_KINDS), st.floats(0, 1000)), max_size=5
)
rules = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.integers(1, 1000),
            "order_type_id": maybe_ids,
            "categ_id": maybe_ids,
            "state_id": maybe_ids,
            "zip_prefix": zips,
            "date_from": maybe_days,
            "date_to": maybe_days,
            "base_fee": amounts,
        }
    ),
    max_size=6,
)


def close(a, b):
    return abs(a - b) < CENT


@SWEEP
@given(amounts, cards, jobs, bonuses, penalties)
def test_breakdown_adds_up_to_the_cent(base, card, job, bonus_list, penalty_list):
    b = fees.price(base, card, job, bonus_list, penalty_list)
    for key in ("base", "distance", "floor", "night", "holiday", "urgent"):
        assert b[key] >= 0 and b[key] == round(b[key], 2), key
    assert close(
        b["surcharges"],
        b["distance"] + b["floor"] + b["night"] + b["holiday"] + b["urgent"],
    )
    assert close(b["gross"], b["base"] + b["surcharges"])
    assert 0 <= b["commission"] <= b["gross"] + CENT
    assert close(b["bonus"], sum(a for _n, a in b["bonuses"]))
    assert close(b["penalty"], sum(a for _k, a in b["penalties"]))
    assert close(b["net"], b["gross"] + b["bonus"] - b["commission"] - b["penalty"])
    assert b["floors"] >= 0 and b["distance_km"] >= 0
    if job.has_lift:
        assert b["floor"] == 0


@SWEEP
@given(
    penalties, st.dictionaries(st.sampled_from(fees.PENALTY_KINDS), st.floats(0, 500))
)
def test_penalties_never_exceed_their_cap(penalty_list, caps):
    capped = fees.cap_penalties(penalty_list, caps)
    assert [k for k, _a in capped] == [k for k, _a in penalty_list]
    for kind in fees.PENALTY_KINDS:
        total = sum(a for k, a in capped if k == kind)
        cap = fees.money(caps.get(kind) or 0)
        if cap > 0:
            assert total <= cap + CENT
        else:
            assert close(
                total, sum(fees.money(a) for k, a in penalty_list if k == kind)
            )
    assert all(a >= 0 for _k, a in capped)


@SWEEP
@given(st.floats(max_value=-0.01, allow_nan=False), cards, jobs)
def test_negative_base_fee_is_a_clear_error(base, card, job):
    try:
        fees.price(base, card, job)
    except ValueError as err:
        assert "negative" in str(err)
    else:
        raise AssertionError("negative base fee accepted")


@SWEEP
@given(rules, jobs)
def test_match_rule_returns_a_fitting_rule_or_none(rule_list, job):
    rule = fees.match_rule(rule_list, job)
    if rule is None:
        return
    assert rule in rule_list
    if rule.get("order_type_id"):
        assert rule["order_type_id"] == job.order_type_id
    if rule.get("categ_id"):
        assert rule["categ_id"] in job.categ_ids
    if rule.get("state_id"):
        assert rule["state_id"] == job.state_id
    prefix = (rule.get("zip_prefix") or "").strip()
    assert (job.zip_code or "").startswith(prefix)
    if job.day is not None:
        assert not rule.get("date_from") or rule["date_from"] <= job.day
        assert not rule.get("date_to") or job.day <= rule["date_to"]


@SWEEP
@given(rules)
def test_overlaps_are_pairs_of_given_rules(rule_list):
    given_ids = {r["id"] for r in rule_list}
    for first, second in fees.overlaps(rule_list):
        assert {first, second} <= given_ids


@SWEEP
@given(days, st.integers(0, 30), st.integers(0, 30))
def test_rule_periods_that_touch_overlap(start, length, gap):
    end = start + timedelta(days=length)
    a = {"id": 1, "date_from": start, "date_to": end, "base_fee": 1}
    b = {"id": 2, "date_from": end + timedelta(days=gap), "base_fee": 2}
    assert bool(fees.overlaps([a, b])) == (gap == 0)
