# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Technician dispatch: who may take a job, who should, and a batch plan.

No ORM here. The field service order model reads jobs and technicians in a few
batched queries, turns them into :class:`Job` and :class:`Tech` values and
calls:

* :func:`evaluate` — the hard filters for one (job, technician): eligible or
  not, with every failed filter as a reason code;
* :func:`rank` — all technicians for one job: eligibility, reasons, distance
  and the weighted score with its sub-scores (each in [0, 1], 1 is best);
* :func:`plan_batch` — a minimum-total-distance assignment of many jobs,
  respecting each technician's free capacity per day (a min-cost assignment,
  not greedy), and :func:`plan_greedy`, the nearest-eligible baseline.

Hard filters (reason codes): ``inactive``, ``suspended``, ``skill`` (a skill
below the required level), ``certification`` (no certification valid on the
planned day for a category that requires one, or its parent), ``area`` (the
job's ZIP / territory is not in the technician's service area), ``capacity``
(no free slot on the planned day), ``blocked`` (blocked for this customer).

Ranking: technicians with a known distance first, then by score. Missing
coordinates never crash: the distance is unknown (``None``), its sub-score 0,
and the reason ``no_coordinates`` is recorded (not a hard filter).
"""

import math
from dataclasses import dataclass, field

EARTH_RADIUS_KM = 6371.0088
DEFAULT_WEIGHTS = {"distance": 4.0, "load": 2.0, "rating": 2.0, "sla": 1.0, "cost": 1.0}
DISTANCE_SCALE_KM = 30.0  # distance sub-score halves every 30 km
TRAVEL_KMH = 40.0
UNKNOWN_DISTANCE_COST = 1e6
INELIGIBLE_COST = 1e9


@dataclass(frozen=True)
class Job:
    order_id: int
    day: object  # a date; capacity is counted per day
    lat: float = None
    lon: float = None
    zip: str = ""
    territory_id: int = 0
    customer_id: int = 0
    skills: tuple = ()  # ((skill_id, min_level_progress), ...)
    certifications: tuple = ()  # (frozenset(acceptable category ids), ...)
    slack_hours: float = None  # time left before the SLA deadline
    hours: float = 1.0


@dataclass(frozen=True)
class Tech:
    person_id: int
    name: str
    active: bool = True
    suspended: bool = False
    skills: tuple = ()  # ((skill_id, level_progress), ...)
    certifications: tuple = ()  # ((category_id, valid_from, valid_to), ...)
    zip_prefixes: tuple = ()
    territory_ids: frozenset = frozenset()
    lat: float = None
    lon: float = None
    max_jobs_per_day: int = 0
    load: tuple = ()  # ((day, jobs already planned), ...)
    rating: float = 0.0  # 0..5
    cost: float = 0.0  # per job
    blocked_customer_ids: frozenset = frozenset()

    def load_on(self, day):
        return dict(self.load).get(day, 0)


@dataclass
class Ranked:
    person_id: int
    name: str
    eligible: bool
    reasons: list
    distance_km: float = None
    score: float = 0.0
    subscores: dict = field(default_factory=dict)
    rank: int = 0


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; ``None`` when a coordinate is missing."""
    if None in (lat1, lon1, lat2, lon2):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _covers(job, tech):
    zip_code = "".join((job.zip or "").split()).upper()
    if zip_code and any(zip_code.startswith(p) for p in tech.zip_prefixes if p):
        return True
    return bool(job.territory_id and job.territory_id in tech.territory_ids)


def _certified(acceptable, tech, day):
    return any(
        cat in acceptable
        and (not valid_from or valid_from <= day)
        and (not valid_to or day <= valid_to)
        for cat, valid_from, valid_to in tech.certifications
    )


def evaluate(job, tech, extra_load=0, check_capacity=True):
    """Hard filters: ``(eligible, [reason codes])`` for one job and technician.

    ``extra_load``: jobs already given to the technician that day in a plan
    being built; ``check_capacity=False`` leaves capacity to the caller.
    """
    reasons = []
    if not tech.active:
        reasons.append("inactive")
    if tech.suspended:
        reasons.append("suspended")
    levels = dict(tech.skills)
    if any(levels.get(skill, -1) < level for skill, level in job.skills):
        reasons.append("skill")
    if any(not _certified(cats, tech, job.day) for cats in job.certifications):
        reasons.append("certification")
    if not _covers(job, tech):
        reasons.append("area")
    if check_capacity and tech.load_on(job.day) + extra_load >= tech.max_jobs_per_day:
        reasons.append("capacity")
    if job.customer_id and job.customer_id in tech.blocked_customer_ids:
        reasons.append("blocked")
    return not reasons, reasons


def subscores(job, tech, distance, max_cost):
    """Each criterion in [0, 1], 1 best."""
    if distance is None:
        dist_score = 0.0
    else:
        dist_score = 0.5 ** (distance / DISTANCE_SCALE_KM)
    capacity = max(tech.max_jobs_per_day, 1)
    load_score = max(0.0, 1.0 - tech.load_on(job.day) / capacity)
    rating_score = max(0.0, min(tech.rating / 5.0, 1.0))
    if job.slack_hours is None:
        sla_score = 1.0
    else:
        travel = (distance or 0.0) / TRAVEL_KMH
        queue = tech.load_on(job.day) * job.hours
        margin = job.slack_hours - travel - queue
        sla_score = max(0.0, min(1.0, margin / 24.0))
    cost_score = 1.0 - (tech.cost / max_cost) if max_cost > 0 else 1.0
    return {
        "distance": dist_score,
        "load": load_score,
        "rating": rating_score,
        "sla": sla_score,
        "cost": cost_score,
    }


def weighted(scores, weights):
    total = sum(max(weights.get(k, 0.0), 0.0) for k in scores)
    if total <= 0:
        return 0.0
    return sum(scores[k] * max(weights.get(k, 0.0), 0.0) for k in scores) / total


def check_weights(weights):
    """Refuse negative weights; returns the weights completed with defaults."""
    merged = dict(DEFAULT_WEIGHTS)
    merged.update(weights or {})
    bad = [k for k, v in merged.items() if v < 0]
    if bad:
        raise ValueError(f"negative weight: {', '.join(sorted(bad))}")
    return merged


def rank(job, techs, weights=None):
    """Every technician for ``job``: eligible ones first, best score first."""
    weights = check_weights(weights)
    max_cost = max((t.cost for t in techs), default=0.0)
    ranked = []
    for tech in techs:
        eligible, reasons = evaluate(job, tech)
        distance = haversine_km(job.lat, job.lon, tech.lat, tech.lon)
        if distance is None:
            reasons = [*reasons, "no_coordinates"]
        scores = subscores(job, tech, distance, max_cost)
        ranked.append(
            Ranked(
                person_id=tech.person_id,
                name=tech.name,
                eligible=eligible,
                reasons=reasons,
                distance_km=distance,
                score=weighted(scores, weights),
                subscores=scores,
            )
        )
    ranked.sort(
        key=lambda r: (
            not r.eligible,
            r.distance_km is None,
            -r.score,
            r.distance_km if r.distance_km is not None else 0.0,
            r.name,
            r.person_id,
        )
    )
    for position, item in enumerate(ranked, start=1):
        item.rank = position
    return ranked


def main_reasons(ranked, limit=4):
    """``[(reason code, technicians), ...]``: why the ``ranked`` technicians
    (:class:`Ranked`) cannot take a job, the most frequent reasons first (ties
    in the order met), at most ``limit``. Missing coordinates do not keep a
    technician out: not counted."""
    counts = {}
    for item in ranked:
        for code in item.reasons:
            if code != "no_coordinates":
                counts[code] = counts.get(code, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])[:limit]


class TechIndex:
    """Technicians by ZIP prefix and territory, to find who covers a job fast."""

    def __init__(self, techs):
        self.techs = list(techs)
        self.by_prefix = {}
        self.by_territory = {}
        self.prefix_lengths = set()
        for tech in self.techs:
            for prefix in tech.zip_prefixes:
                prefix = "".join((prefix or "").split()).upper()
                if prefix:
                    self.by_prefix.setdefault(prefix, []).append(tech)
                    self.prefix_lengths.add(len(prefix))
            for territory in tech.territory_ids:
                self.by_territory.setdefault(territory, []).append(tech)

    def covering(self, job):
        """Technicians whose service area covers the job (each once)."""
        found = {}
        zip_code = "".join((job.zip or "").split()).upper()
        for length in self.prefix_lengths:
            if length <= len(zip_code):
                for tech in self.by_prefix.get(zip_code[:length], ()):
                    found[tech.person_id] = tech
        for tech in (
            self.by_territory.get(job.territory_id, ()) if job.territory_id else ()
        ):
            found[tech.person_id] = tech
        return list(found.values())


def _pair_cost(job, tech):
    distance = haversine_km(job.lat, job.lon, tech.lat, tech.lon)
    return UNKNOWN_DISTANCE_COST if distance is None else distance


def eligible_pairs(jobs, techs):
    """For each job, ``[(cost, tech), ...]`` of the technicians that may take it
    (every hard filter but capacity), nearest first.

    Technicians come from the area index; the filters that depend only on the
    job's requirements (skills, certifications, day) are evaluated once per
    requirement set and technician, which is what keeps thousands of jobs fast.
    """
    index = TechIndex(techs)
    cache = {}
    pairs = {}
    for job in jobs:
        key = (job.skills, job.certifications, job.day)
        found = []
        for tech in index.covering(job):
            ok = cache.get((key, tech.person_id))
            if ok is None:
                reasons = evaluate(job, tech, check_capacity=False)[1]
                ok = not [r for r in reasons if r not in ("area", "blocked")]
                cache[(key, tech.person_id)] = ok
            if not ok or (
                job.customer_id and job.customer_id in tech.blocked_customer_ids
            ):
                continue
            found.append((_pair_cost(job, tech), tech.person_id, tech))
        found.sort(key=lambda item: (item[0], item[1]))
        pairs[job.order_id] = [(cost, tech) for cost, _pid, tech in found]
    return pairs


def unplanned_reasons(job, index, eligible):
    """Why a batch plan left ``job`` out: reason codes, most frequent first.

    ``eligible``: whether some technician may take it (:func:`eligible_pairs`
    found one); then the plan gave their capacity to other jobs. Else why the
    technicians covering its area (``index``: a :class:`TechIndex`) may not,
    or that nobody covers it."""
    if eligible:
        return ["capacity"]
    covering = index.covering(job)
    if not covering:
        return ["area"]
    counts = {}
    for tech in covering:
        for code in evaluate(job, tech, check_capacity=False)[1]:
            if code != "area":
                counts[code] = counts.get(code, 0) + 1
    return [code for code, _n in sorted(counts.items(), key=lambda kv: -kv[1])]


def plan_greedy(jobs, techs, pairs=None):
    """Baseline: each job in turn takes the nearest eligible technician left."""
    pairs = pairs if pairs is not None else eligible_pairs(jobs, techs)
    load = {}
    plan = {}
    for job in jobs:
        for _cost, tech in pairs[job.order_id]:
            key = (tech.person_id, job.day)
            if key not in load:
                load[key] = tech.load_on(job.day)
            if load[key] < tech.max_jobs_per_day:
                plan[job.order_id] = tech.person_id
                load[key] += 1
                break
    return plan


def plan_batch(jobs, techs, pairs=None):
    """Minimum total distance assignment, at most the free capacity per day.

    Per day, each technician offers one column per free slot; every job also
    has a private "unassigned" column at a prohibitive cost, so a full matching
    always exists. The sparse assignment problem is solved exactly (scipy's
    ``min_weight_full_bipartite_matching``): it first assigns as many jobs as
    the capacities allow, then minimises their total distance.
    Returns ``{order_id: person_id}``.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    pairs = pairs if pairs is not None else eligible_pairs(jobs, techs)
    plan = {}
    by_day = {}
    for job in jobs:
        by_day.setdefault(job.day, []).append(job)
    for day, day_jobs in by_day.items():
        slot_cols, slot_owner = {}, []
        rows, cols, costs = [], [], []
        for row, job in enumerate(day_jobs):
            for cost, tech in pairs[job.order_id]:
                if tech.person_id not in slot_cols:
                    free = max(tech.max_jobs_per_day - tech.load_on(day), 0)
                    first = len(slot_owner)
                    slot_owner.extend([tech.person_id] * free)
                    slot_cols[tech.person_id] = range(first, first + free)
                # +1: a zero distance must stay an edge of the sparse graph
                for col in slot_cols[tech.person_id]:
                    rows.append(row)
                    cols.append(col)
                    costs.append(cost + 1.0)
        n_slots = len(slot_owner)
        for row in range(len(day_jobs)):
            rows.append(row)
            cols.append(n_slots + row)
            costs.append(INELIGIBLE_COST)
        graph = csr_matrix(
            (costs, (rows, cols)), shape=(len(day_jobs), n_slots + len(day_jobs))
        )
        _rows, matched = min_weight_full_bipartite_matching(graph)
        for row, col in enumerate(matched):
            if col < n_slots:
                plan[day_jobs[row].order_id] = slot_owner[col]
    return plan


def total_distance(plan, jobs, techs):
    """Sum of the known distances of a plan, and how many pairs had none."""
    job_by_id = {j.order_id: j for j in jobs}
    tech_by_id = {t.person_id: t for t in techs}
    total, unknown = 0.0, 0
    for order_id, person_id in plan.items():
        job, tech = job_by_id[order_id], tech_by_id[person_id]
        distance = haversine_km(job.lat, job.lon, tech.lat, tech.lon)
        if distance is None:
            unknown += 1
        else:
            total += distance
    return total, unknown
