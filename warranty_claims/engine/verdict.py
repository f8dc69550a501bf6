# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Warranty verdicts: is a claim covered, per cost class, and why.

No ORM here. The claim model reads the policy versions of the unit's
product, its registration, its earlier repairs and the claim itself, turns
them into :class:`Version`, :class:`Line`, :class:`Repair` and
:class:`Claim` values and calls:

* :func:`select_version` — the policy version in force on a day;
* :func:`overlaps` — the pairs of versions whose periods overlap (refused);
* :func:`start_date` — when the warranty of a unit starts, from the policy's
  start basis and what happened to the unit (installation, delivery, invoice);
* :func:`pause_days` — the days the unit spent in repair before a day;
* :func:`end_dates` — the last covered day per cost class;
* :func:`decide` — the :class:`Verdict`: one :class:`ClassVerdict` per cost
  class (covered or not, a reason code and its parameters) and the remedy.

Rules:

* Cost classes are ``unit`` (the whole unit), ``parts`` (the main parts: a
  list of part categories), ``labour`` and ``travel``; each policy line gives
  a number of months.
* The version applied is the one in force on the claim's report date
  (``date_from <= day <= date_to``, open ends allowed).
* A class is covered up to and including ``start + months - 1 day``, plus the
  days the unit spent in repair when the policy pauses the clock during
  repairs (三包: 修理占用时间不计入三包有效期).
* ``parts`` is covered only for a failed part whose category (or one of its
  parents) is listed on the line.
* An exclusion found on the claim that the version applies (misuse,
  self-disassembly, transport damage, non-authorised installer, no proof of
  purchase) refuses every class.
* 三包 (when the version enables it, for a performance fault only, inside the
  whole-unit coverage): return within ``return_days`` (7) of the start,
  exchange within ``exchange_days`` (15), and free exchange once
  ``max_failed_repairs`` (2) repairs of the same fault failed within the
  warranty. Otherwise covered faults are repaired; uncovered units get a
  quotation.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

UNIT = "unit"
PARTS = "parts"
LABOUR = "labour"
TRAVEL = "travel"
COST_CLASSES = (UNIT, PARTS, LABOUR, TRAVEL)

INSTALLATION = "installation"
DELIVERY = "delivery"
INVOICE = "invoice"

# remedies
RETURN = "return"
EXCHANGE = "exchange"
REPAIR = "repair"
QUOTE = "quote"

# reason codes
COVERED = "covered"
EXPIRED = "expired"
NOT_IN_POLICY = "not_in_policy"
PART_NOT_LISTED = "part_not_listed"
EXCLUDED = "excluded"
NO_POLICY = "no_policy"
NOT_REGISTERED = "not_registered"
RETURN_7 = "return_days"
EXCHANGE_15 = "exchange_days"
FAILED_REPAIRS = "failed_repairs"
PERFORMANCE_REPAIR = "repair"
OUT_OF_WARRANTY = "out_of_warranty"


@dataclass(frozen=True)
class Line:
    """Coverage of one cost class: ``months`` from the start."""

    cost_class: str
    months: int
    part_category_ids: frozenset = frozenset()
    line_id: int | None = None


@dataclass(frozen=True)
class Version:
    """A policy version: its period, coverage lines, exclusions and 三包."""

    version_id: int
    date_from: date | None
    date_to: date | None
    lines: tuple = ()
    exclusions: frozenset = frozenset()
    sanbao: bool = False
    return_days: int = 7
    exchange_days: int = 15
    max_failed_repairs: int = 2
    pause_in_repair: bool = False
    name: str = ""

    def line(self, cost_class):
        return next((ln for ln in self.lines if ln.cost_class == cost_class), None)


@dataclass(frozen=True)
class Repair:
    """An earlier repair of the unit: fault, repair period, whether it failed
    (the same fault came back afterwards)."""

    fault_id: int
    start: date
    end: date | None = None
    failed: bool = False


@dataclass(frozen=True)
class Claim:
    """What is claimed: the day reported, the fault, the failed part's
    category chain (the category and its parents) and exclusions found."""

    report_date: date
    fault_id: int | None = None
    performance_fault: bool = False
    part_category_ids: frozenset = frozenset()
    exclusions: frozenset = frozenset()


@dataclass(frozen=True)
class ClassVerdict:
    cost_class: str
    covered: bool
    reason: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    version_id: int | None
    start: date | None
    pause_days: int
    classes: tuple
    remedy: str
    remedy_reason: str
    remedy_params: dict = field(default_factory=dict)

    def get(self, cost_class):
        return next(c for c in self.classes if c.cost_class == cost_class)

    @property
    def any_covered(self):
        return any(c.covered for c in self.classes)


def add_months(day, months):
    """``day`` plus ``months`` calendar months (clamped to the month's end)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def select_version(versions, day):
    """The version in force on ``day`` (None when none is)."""
    for version in versions:
        if (version.date_from is None or version.date_from <= day) and (
            version.date_to is None or day <= version.date_to
        ):
            return version
    return None


def overlaps(versions):
    """Pairs ``(a, b)`` of version ids whose periods share at least one day."""
    low, high = date.min, date.max
    result = []
    ordered = list(versions)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if (a.date_from or low) <= (b.date_to or high) and (b.date_from or low) <= (
                a.date_to or high
            ):
                result.append((a.version_id, b.version_id))
    return result


def start_date(basis, delivery_days=0, install=None, delivery=None, invoice=None):
    """``(start, basis used)`` of a unit's warranty, ``(None, None)`` if unknown.

    * ``installation``: the installation day; a unit not installed starts
      ``delivery_days`` after its delivery, else on its invoice date.
    * ``delivery``: ``delivery_days`` after the delivery, else the invoice.
    * ``invoice``: the invoice date, else ``delivery_days`` after delivery.
    """
    after_delivery = delivery + timedelta(days=delivery_days) if delivery else None
    if basis == INSTALLATION:
        if install:
            return install, INSTALLATION
        if after_delivery:
            return after_delivery, DELIVERY
        return (invoice, INVOICE) if invoice else (None, None)
    if basis == DELIVERY:
        if after_delivery:
            return after_delivery, DELIVERY
        return (invoice, INVOICE) if invoice else (None, None)
    if invoice:
        return invoice, INVOICE
    return (after_delivery, DELIVERY) if after_delivery else (None, None)


def pause_days(repairs, until):
    """Days spent in repair before ``until`` (an open repair counts until then)."""
    total = 0
    for repair in repairs:
        if repair.start > until:
            continue
        end = min(repair.end or until, until)
        total += max((end - repair.start).days, 0)
    return total


def end_dates(version, start, pause=0):
    """``{cost class: last covered day}`` (only the classes of the version)."""
    extra = timedelta(days=pause if version.pause_in_repair else 0)
    return {
        line.cost_class: add_months(start, line.months) - timedelta(days=1) + extra
        for line in version.lines
    }


def _refused(reason, params=None, version=None, start=None, pause=0):
    return Verdict(
        version_id=version.version_id if version else None,
        start=start,
        pause_days=pause,
        classes=tuple(
            ClassVerdict(c, False, reason, dict(params or {})) for c in COST_CLASSES
        ),
        remedy=QUOTE,
        remedy_reason=reason,
        remedy_params=dict(params or {}),
    )


def decide(versions, start, claim, repairs=(), registered=True):
    """The :class:`Verdict` of ``claim`` for a unit whose warranty started on
    ``start`` (see the module's rules)."""
    if not registered or start is None:
        return _refused(NOT_REGISTERED)
    version = select_version(versions, claim.report_date)
    if version is None:
        return _refused(NO_POLICY, {"date": claim.report_date}, start=start)
    pause = pause_days(repairs, claim.report_date) if version.pause_in_repair else 0
    excluded = sorted(claim.exclusions & version.exclusions)
    if excluded:
        return _refused(EXCLUDED, {"exclusions": excluded}, version, start, pause)
    ends = end_dates(version, start, pause)
    classes = []
    for cost_class in COST_CLASSES:
        line = version.line(cost_class)
        if line is None:
            classes.append(ClassVerdict(cost_class, False, NOT_IN_POLICY, {}))
            continue
        params = {
            "line_id": line.line_id,
            "months": line.months,
            "start": start,
            "end": ends[cost_class],
            "pause_days": pause,
        }
        if claim.report_date > ends[cost_class]:
            classes.append(ClassVerdict(cost_class, False, EXPIRED, params))
        elif cost_class == PARTS and not (
            claim.part_category_ids & line.part_category_ids
        ):
            classes.append(ClassVerdict(cost_class, False, PART_NOT_LISTED, params))
        else:
            classes.append(ClassVerdict(cost_class, True, COVERED, params))
    remedy, reason, remedy_params = _remedy(version, start, claim, repairs, classes)
    return Verdict(
        version_id=version.version_id,
        start=start,
        pause_days=pause,
        classes=tuple(classes),
        remedy=remedy,
        remedy_reason=reason,
        remedy_params=remedy_params,
    )


def _remedy(version, start, claim, repairs, classes):
    unit = next(c for c in classes if c.cost_class == UNIT)
    if not any(c.covered for c in classes):
        return QUOTE, OUT_OF_WARRANTY, {}
    if version.sanbao and claim.performance_fault:
        days = (claim.report_date - start).days
        if 0 <= days <= version.return_days:
            return RETURN, RETURN_7, {"days": days, "limit": version.return_days}
        if 0 <= days <= version.exchange_days:
            return EXCHANGE, EXCHANGE_15, {"days": days, "limit": version.exchange_days}
        if unit.covered:
            end = unit.params["end"]
            failed = [
                r
                for r in repairs
                if r.failed and r.fault_id == claim.fault_id and start <= r.start <= end
            ]
            if len(failed) >= version.max_failed_repairs:
                return (
                    EXCHANGE,
                    FAILED_REPAIRS,
                    {"count": len(failed), "limit": version.max_failed_repairs},
                )
    return REPAIR, PERFORMANCE_REPAIR, {}
