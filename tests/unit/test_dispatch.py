# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dispatch engine, without Odoo."""

import random
from datetime import date

import pytest

DAY = date(2026, 11, 23)
HEATER, FLOOR = 1, 2  # skills
CAT_HEATER, CAT_APPLIANCES = 10, 9  # 10 is a child of 9


@pytest.fixture(scope="module")
def d():
    from .conftest import load_engine

    return load_engine("fieldservice_install", "dispatch")


def tech(d, pid, **kw):
    values = {
        "name": f"T{pid}",
        "zip_prefixes": ("310",),
        "lat": 30.27,
        "lon": 120.15,
        "max_jobs_per_day": 3,
        "skills": ((HEATER, 60),),
        "rating": 4.5,
    }
    values.update(kw)
    return d.Tech(pid, **values)


def job(d, oid=100, **kw):
    values = {"zip": "310012", "lat": 30.25, "lon": 120.17, "skills": ((HEATER, 50),)}
    values.update(kw)
    return d.Job(oid, DAY, **values)


def test_haversine(d):
    # Hangzhou -> Shanghai is about 165 km
    assert d.haversine_km(30.2741, 120.1551, 31.2304, 121.4737) == pytest.approx(
        164.5, abs=2
    )
    assert d.haversine_km(None, 120, 30, 120) is None


def test_hard_filters_each_recorded(d):
    j = job(
        d,
        skills=((HEATER, 80),),
        certifications=(frozenset({CAT_HEATER, CAT_APPLIANCES}),),
        customer_id=7,
    )
    t = tech(
        d,
        1,
        active=False,
        suspended=True,
        zip_prefixes=("200",),
        load=((DAY, 3),),
        blocked_customer_ids=frozenset({7}),
    )
    eligible, reasons = d.evaluate(j, t)
    assert not eligible
    assert reasons == [
        "inactive",
        "suspended",
        "skill",
        "certification",
        "area",
        "capacity",
        "blocked",
    ]


def test_certification_parent_and_validity(d):
    acceptable = (frozenset({CAT_HEATER, CAT_APPLIANCES}),)
    j = job(d, certifications=acceptable)
    parent_cert = tech(d, 1, certifications=((CAT_APPLIANCES, None, date(2027, 1, 1)),))
    assert d.evaluate(j, parent_cert) == (True, [])
    expired = tech(d, 2, certifications=((CAT_HEATER, None, date(2026, 11, 1)),))
    assert d.evaluate(j, expired) == (False, ["certification"])
    future = tech(d, 3, certifications=((CAT_HEATER, date(2026, 12, 1), None),))
    assert d.evaluate(j, future) == (False, ["certification"])


def test_territory_covers(d):
    j = job(d, zip="", territory_id=5)
    assert d.evaluate(j, tech(d, 1, zip_prefixes=(), territory_ids=frozenset({5})))[0]
    assert d.evaluate(j, tech(d, 2, zip_prefixes=()))[1] == ["area"]


def test_rank_orders_by_score_and_unknown_distance_last(d):
    near = tech(d, 1, lat=30.25, lon=120.17)
    far = tech(d, 2, lat=30.9, lon=121.0)
    nowhere = tech(d, 3, lat=None, lon=None, rating=5.0)
    busy = tech(d, 4, lat=30.25, lon=120.17, load=((DAY, 3),))
    ranked = d.rank(job(d), [nowhere, far, busy, near])
    assert [r.person_id for r in ranked] == [1, 2, 3, 4]
    assert ranked[2].reasons == ["no_coordinates"]
    assert ranked[2].distance_km is None
    assert ranked[3].eligible is False and ranked[3].reasons == ["capacity"]
    assert set(ranked[0].subscores) == {"distance", "load", "rating", "sla", "cost"}
    assert all(0 <= v <= 1 for r in ranked for v in r.subscores.values())


def test_weights_matter_and_negative_refused(d):
    cheap_far = tech(d, 1, lat=30.4, lon=120.3, cost=50)
    dear_near = tech(d, 2, lat=30.25, lon=120.17, cost=300)
    by_distance = d.rank(job(d), [cheap_far, dear_near])
    assert by_distance[0].person_id == 2
    by_cost = d.rank(job(d), [cheap_far, dear_near], {"distance": 0.1, "cost": 10})
    assert by_cost[0].person_id == 1
    with pytest.raises(ValueError, match="negative weight: load"):
        d.rank(job(d), [cheap_far], {"load": -1})


def test_batch_respects_capacity_and_beats_greedy(d):
    # two technicians, one slot each; greedy gives job A the tech both want
    a = job(d, 1, lat=30.0, lon=120.0)
    b = job(d, 2, lat=30.0, lon=120.2)
    t1 = tech(d, 1, lat=30.0, lon=120.1, max_jobs_per_day=1)
    t2 = tech(d, 2, lat=30.0, lon=119.9, max_jobs_per_day=1)
    greedy = d.plan_greedy([a, b], [t1, t2])
    batch = d.plan_batch([a, b], [t1, t2])
    assert greedy == {1: 2, 2: 1} or greedy == {1: 1, 2: 2}
    assert batch == {1: 2, 2: 1}
    g, _ = d.total_distance(greedy, [a, b], [t1, t2])
    o, _ = d.total_distance(batch, [a, b], [t1, t2])
    assert o <= g + 1e-9


def test_batch_leaves_unassignable_jobs(d):
    jobs = [job(d, i) for i in range(5)]
    plan = d.plan_batch(jobs, [tech(d, 1, max_jobs_per_day=2, load=((DAY, 0),))])
    assert len(plan) == 2
    assert set(plan.values()) == {1}
    assert d.plan_batch([job(d, 9, zip="999")], [tech(d, 1)]) == {}


def test_batch_optimal_on_random_instances(d):
    rng = random.Random(4)
    for _ in range(5):
        techs = [
            tech(
                d, i, lat=30 + rng.random(), lon=120 + rng.random(), max_jobs_per_day=1
            )
            for i in range(6)
        ]
        jobs = [
            job(d, 100 + i, lat=30 + rng.random(), lon=120 + rng.random())
            for i in range(5)
        ]
        batch = d.plan_batch(jobs, techs)
        greedy = d.plan_greedy(jobs, techs)
        assert len(batch) == 5 and len(set(batch.values())) == 5
        assert (
            d.total_distance(batch, jobs, techs)[0]
            <= d.total_distance(greedy, jobs, techs)[0] + 1e-9
        )


def test_main_reasons_most_frequent_first(d):
    ranked = [
        d.Ranked(1, "A", False, ["area", "skill"]),
        d.Ranked(2, "B", False, ["skill", "no_coordinates"]),
        d.Ranked(3, "C", False, ["capacity", "skill"]),
        d.Ranked(4, "D", True, ["no_coordinates"]),
    ]
    assert d.main_reasons(ranked) == [("skill", 3), ("area", 1), ("capacity", 1)]
    assert d.main_reasons(ranked, limit=1) == [("skill", 3)]
    assert d.main_reasons([]) == []


def test_unplanned_reasons_say_why_a_batch_left_a_job_out(d):
    techs = [
        tech(d, 1, skills=((HEATER, 10),)),
        tech(d, 2, skills=()),
        tech(d, 3, zip_prefixes=("200",)),
    ]
    index = d.TechIndex(techs)
    # some technician may take it: the plan gave their capacity to others
    assert d.unplanned_reasons(job(d), index, True) == ["capacity"]
    # the two covering its area lack the skill; the third is elsewhere
    assert d.unplanned_reasons(job(d), index, False) == ["skill"]
    # nobody covers its area
    assert d.unplanned_reasons(job(d, zip="999999"), index, False) == ["area"]
