# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Technician fees: which rate-card rule prices a job, and what it pays.

Plain Python, no ORM. Money is rounded to cents (``ROUND``) at each
component so that the breakdown always adds up to the total.

In:
  * rules: dicts ``{"id", "order_type_id", "categ_id", "state_id",
    "zip_prefix", "date_from", "date_to", "base_fee"}`` (``False``/``None``/``""``
    for "any"; dates are ``datetime.date`` or ``None`` for open-ended);
  * a job: :class:`Job`;
  * card parameters: :class:`Card`;
  * campaign bonuses: dicts ``{"name", "amount", "date_from", "date_to",
    "order_type_id"}``;
  * penalties: ``(kind, amount)`` pairs.
Out: the matching rule (:func:`match_rule`), overlapping rule pairs
(:func:`overlaps`) and a price breakdown dict (:func:`price`); a job as JSON
values to freeze on the payable and back (:func:`job_to_json`,
:func:`job_from_json`).
"""

from dataclasses import asdict, dataclass, field
from datetime import date

PENALTY_KINDS = ("late", "rework", "quality")


def money(value):
    return round(float(value or 0.0) + 0.0, 2)


@dataclass(frozen=True)
class Job:
    """What prices a job."""

    order_type_id: int | None
    categ_ids: tuple = ()  # the product category and its parents, nearest first
    state_id: int | None = None
    zip_code: str = ""
    day: object = None  # datetime.date of completion
    distance_km: float = 0.0
    floor: int = 0
    has_lift: bool = True
    night: bool = False
    holiday: bool = False
    urgent: bool = False


def job_to_json(job):
    """The job's values as JSON keeps them (the day as an ISO string, the
    categories as a list): frozen on the payable to price it again."""
    data = asdict(job)
    data["day"] = job.day.isoformat() if job.day else None
    data["categ_ids"] = list(job.categ_ids)
    return data


def job_from_json(data):
    """The :class:`Job` of values :func:`job_to_json` gave."""
    data = dict(data)
    day = data.get("day")
    data["day"] = date.fromisoformat(day) if day else None
    data["categ_ids"] = tuple(data.get("categ_ids") or ())
    return Job(**data)


@dataclass(frozen=True)
class Card:
    """The surcharges, commission and penalty caps of a rate card."""

    free_km: float = 0.0
    per_km: float = 0.0
    per_floor: float = 0.0
    night_pct: float = 0.0
    holiday_pct: float = 0.0
    urgent_fee: float = 0.0
    commission_pct: float = 0.0
    penalty_caps: dict = field(default_factory=dict)  # kind -> cap (0: no cap)


def _in_period(rule, day):
    if day is None:
        return True
    if rule.get("date_from") and day < rule["date_from"]:
        return False
    return not (rule.get("date_to") and day > rule["date_to"])


def _key(rule):
    return (
        rule.get("order_type_id") or None,
        rule.get("categ_id") or None,
        rule.get("state_id") or None,
        (rule.get("zip_prefix") or "").strip(),
    )


def match_rule(rules, job):
    """The most specific rule valid on ``job.day`` that fits the job, or None.

    A rule fits when each of its criteria is empty or equal to the job's
    (the category may be a parent of the job's, the ZIP a prefix). The most
    specific wins: service type, then the nearest category, then the longest
    ZIP prefix, then the state; ties go to the latest start date, then the
    highest id (the newest version).
    """
    best, best_rank = None, None
    for rule in rules:
        order_type, categ, state, zip_prefix = _key(rule)
        if not _in_period(rule, job.day):
            continue
        if order_type and order_type != job.order_type_id:
            continue
        if state and state != job.state_id:
            continue
        if zip_prefix and not (job.zip_code or "").startswith(zip_prefix):
            continue
        if categ:
            if categ not in job.categ_ids:
                continue
            categ_rank = len(job.categ_ids) - job.categ_ids.index(categ)
        else:
            categ_rank = 0
        rank = (
            1 if order_type else 0,
            categ_rank,
            len(zip_prefix),
            1 if state else 0,
            rule.get("date_from") or date.min,
            rule.get("id") or 0,
        )
        if best_rank is None or rank > best_rank:
            best, best_rank = rule, rank
    return best


def _overlap(a, b):
    a_from, a_to = a.get("date_from"), a.get("date_to")
    b_from, b_to = b.get("date_from"), b.get("date_to")
    if a_to and b_from and a_to < b_from:
        return False
    return not (b_to and a_from and b_to < a_from)


def overlaps(rules):
    """Pairs of rule ids with the same key whose periods overlap."""
    by_key = {}
    for rule in rules:
        by_key.setdefault(_key(rule), []).append(rule)
    pairs = []
    for group in by_key.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if _overlap(first, second):
                    pairs.append((first["id"], second["id"]))
    return pairs


def active_bonuses(bonuses, job):
    """The campaign bonuses running on the job's day for its service type."""
    return [
        (bonus["name"], money(bonus["amount"]))
        for bonus in bonuses
        if _in_period(bonus, job.day)
        and (
            not bonus.get("order_type_id")
            or bonus["order_type_id"] == job.order_type_id
        )
    ]


def cap_penalties(penalties, caps):
    """``(kind, amount)`` pairs capped per kind: the total of a kind never
    exceeds its cap (a cap of 0 means no cap). Returns ``(kind, amount)``
    pairs in the input order, the capped part removed."""
    used = {}
    capped = []
    for kind, amount in penalties:
        amount = money(amount)
        cap = money(caps.get(kind) or 0.0)
        if cap > 0:
            room = max(0.0, money(cap - used.get(kind, 0.0)))
            amount = min(amount, room)
        used[kind] = money(used.get(kind, 0.0) + amount)
        capped.append((kind, amount))
    return capped


def price(base_fee, card, job, bonuses=(), penalties=()):
    """The price breakdown of a job.

    Surcharges: distance beyond ``free_km`` at ``per_km``; each floor above
    the ground floor without a lift at ``per_floor``; night and public holiday
    uplifts (percent of the base fee, both may apply); a flat urgent fee.
    The platform commission (percent of base fee + surcharges) is withheld;
    bonuses (not commissioned) are added and capped penalties taken off.
    """
    if base_fee < 0:
        raise ValueError("negative base fee")
    base = money(base_fee)
    extra_km = max(0.0, (job.distance_km or 0.0) - (card.free_km or 0.0))
    distance = money(extra_km * (card.per_km or 0.0))
    floors = 0 if job.has_lift else max(0, int(job.floor or 0) - 1)
    floor = money(floors * (card.per_floor or 0.0))
    night = money(base * (card.night_pct or 0.0) / 100.0) if job.night else 0.0
    holiday = money(base * (card.holiday_pct or 0.0) / 100.0) if job.holiday else 0.0
    urgent = money(card.urgent_fee) if job.urgent else 0.0
    surcharges = money(distance + floor + night + holiday + urgent)
    gross = money(base + surcharges)
    commission = money(gross * (card.commission_pct or 0.0) / 100.0)
    bonus_list = active_bonuses(bonuses, job)
    bonus = money(sum(amount for _name, amount in bonus_list))
    penalty_list = cap_penalties(penalties, card.penalty_caps)
    penalty = money(sum(amount for _kind, amount in penalty_list))
    return {
        "base": base,
        "distance_km": extra_km,
        "distance": distance,
        "floors": floors,
        "floor": floor,
        "night": night,
        "holiday": holiday,
        "urgent": urgent,
        "surcharges": surcharges,
        "gross": gross,
        "commission_pct": card.commission_pct or 0.0,
        "commission": commission,
        "bonuses": bonus_list,
        "bonus": bonus,
        "penalties": penalty_list,
        "penalty": penalty,
        "net": money(gross + bonus - commission - penalty),
    }
