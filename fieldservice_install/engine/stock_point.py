# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stock-point matching: which warehouse ships an order, and why. No ORM here.

What goes in (plain values, read by the sale order in two queries):

* the delivery :class:`Address` (country, state ids, city, zip);
* the candidate :class:`Warehouse` list of the order's company (active only),
  each with its type (``regional``, ``dealer``, ``central``) and its coverage
  :class:`Area` list;
* the :class:`Need` list: one per storable product of the order, in the
  product's unit (lines of the same product summed, zero quantities dropped);
* ``free``: ``{(warehouse_id, product_id): free quantity}`` — on hand minus
  reserved over each warehouse's stock location tree;
* whether dealer warehouses may ship (company setting).

What comes out: :func:`match` returns a :class:`Match` with the ranked
:class:`Candidate` list, the per-product sourcing (one warehouse, a split over
several, or a backorder from the central warehouse) and the reasons behind it as
``(code, params)`` tuples, which the caller renders in the user's language.

Rules:

1. An area covers an address when every field it sets matches (country, state,
   city — case and spaces ignored —, and zip prefix). Per warehouse the most
   specific matching area wins: a zip prefix (longer first), then a city, then
   a state, then a country. A central warehouse covers every address as the
   last resort (its own areas, if any match, count as real coverage).
2. Candidates are ranked: covering the address first (real coverage before the
   central fallback), then having every product available, then fewer transit
   days, then priority (lower number first), then the more specific area.
3. The best candidate ships everything when it covers the address and has every
   product. Otherwise each product ships from the best-ranked covering
   warehouse that has it; what no covering warehouse has ships from the central
   warehouse (or the best covering one if there is no central one) as a
   backorder. When nothing covers the address at all (no area matches and no
   central warehouse), no warehouse is chosen: the order keeps its own.
"""

import heapq
from dataclasses import dataclass, field

QTY_EPSILON = 1e-6
POINT_TYPES = ("regional", "dealer", "central")

SPECIFICITY_ZIP = 1000  # + length of the prefix
SPECIFICITY_CITY = 300
SPECIFICITY_STATE = 200
SPECIFICITY_COUNTRY = 100
SPECIFICITY_FALLBACK = 0


def normalize_city(city):
    return " ".join((city or "").split()).casefold()


def normalize_zip(zip_code):
    return "".join((zip_code or "").split()).upper()


@dataclass(frozen=True)
class Address:
    country_id: int = 0
    state_id: int = 0
    city: str = ""
    zip: str = ""

    @classmethod
    def make(cls, country_id=0, state_id=0, city="", zip_code=""):
        city, zip_code = normalize_city(city), normalize_zip(zip_code)
        return cls(country_id or 0, state_id or 0, city, zip_code)


@dataclass(frozen=True)
class Area:
    area_id: int
    warehouse_id: int
    country_id: int = 0
    state_id: int = 0
    city: str = ""
    zip_prefix: str = ""
    transit_days: float = 0.0
    priority: int = 10


@dataclass(frozen=True)
class Warehouse:
    warehouse_id: int
    name: str
    point_type: str = "regional"
    fallback_transit_days: float = 0.0
    priority: int = 10


@dataclass(frozen=True)
class Need:
    product_id: int
    quantity: float


@dataclass
class Candidate:
    warehouse_id: int
    name: str
    point_type: str
    covers: bool
    fallback: bool
    area_id: int
    specificity: int
    transit_days: float
    priority: int
    all_available: bool
    missing: dict = field(default_factory=dict)  # product_id -> missing qty
    rank: int = 0

    def sort_key(self):
        return (
            not self.covers,
            not self.all_available,
            self.fallback,
            self.transit_days,
            self.priority,
            -self.specificity,
            self.name,
            self.warehouse_id,
        )


@dataclass
class Match:
    candidates: list
    warehouse_id: int = 0  # where the order ships from (its main warehouse)
    sourcing: dict = field(default_factory=dict)  # product_id -> warehouse_id
    mode: str = "none"  # single / split / backorder / none / uncovered
    backorder_products: list = field(default_factory=list)
    no_stock_products: list = field(default_factory=list)
    reasons: list = field(default_factory=list)  # (code, params)
    omitted: int = 0  # warehouses not covering the address left out of candidates


def area_specificity(area, address):
    """How specifically ``area`` covers ``address``; ``None`` if it does not."""
    if area.country_id and area.country_id != address.country_id:
        return None
    if area.state_id and area.state_id != address.state_id:
        return None
    city = normalize_city(area.city)
    if city and city != address.city:
        return None
    prefix = normalize_zip(area.zip_prefix)
    if prefix and not address.zip.startswith(prefix):
        return None
    if prefix:
        return SPECIFICITY_ZIP + len(prefix)
    if city:
        return SPECIFICITY_CITY
    if area.state_id:
        return SPECIFICITY_STATE
    if area.country_id:
        return SPECIFICITY_COUNTRY
    return None  # an area without any field covers nothing (refused upstream)


def best_area(areas, address):
    """The most specific area of ``areas`` covering ``address``: (area, score)."""
    best = _best_areas(areas, address)
    if not best:
        return None, None
    (score, *_rest), area = max(best.values(), key=lambda hit: hit[0])
    return area, score


def _best_areas(areas, address):
    """``{warehouse id: (key, area)}``: per warehouse, its most specific area
    covering ``address`` (ties: lower priority number, fewer transit days,
    first created)."""
    best = {}
    for area in areas:
        score = area_specificity(area, address)
        if score is None:
            continue
        key = (score, -area.priority, -area.transit_days, -area.area_id)
        current = best.get(area.warehouse_id)
        if current is None or key > current[0]:
            best[area.warehouse_id] = (key, area)
    return best


def _missing(wh_id, needs, free):
    missing = {}
    for need in needs:
        have = free.get((wh_id, need.product_id), 0.0)
        if have + QTY_EPSILON < need.quantity:
            missing[need.product_id] = need.quantity - max(have, 0.0)
    return missing


def rank_candidates(
    address, warehouses, areas, needs, free, allow_dealer=True, keep_uncovering=None
):
    """Rank the warehouses for one order; returns the sorted Candidate list.

    ``keep_uncovering``: how many of the warehouses that do not cover the
    address to keep (the best ranked; all when ``None``). They all rank after
    the covering ones, so the ranks of those kept are their full ranks.
    """
    candidates, _omitted = _rank(
        address, warehouses, areas, needs, free, allow_dealer, keep_uncovering
    )
    return candidates


def _rank(address, warehouses, areas, needs, free, allow_dealer, keep_uncovering):
    """``(candidates, omitted)``: the ranked candidates and how many warehouses
    that do not cover the address were left out of them."""
    best = _best_areas(areas, address)
    covering, uncovering = [], []
    for wh in warehouses:
        if wh.point_type == "dealer" and not allow_dealer:
            continue
        hit = best.get(wh.warehouse_id)
        if hit:
            (score, *_rest), area = hit
            covers, fallback = True, False
            transit, priority, area_id = area.transit_days, area.priority, area.area_id
        elif wh.point_type == "central":
            covers, fallback, score = True, True, SPECIFICITY_FALLBACK
            transit, priority, area_id = wh.fallback_transit_days, wh.priority, 0
        else:
            # ranked among themselves by a plain key; a Candidate is only
            # made for those kept (often a few out of hundreds)
            available = bool(needs) and all(
                free.get((wh.warehouse_id, need.product_id), 0.0) + QTY_EPSILON
                >= need.quantity
                for need in needs
            )
            uncovering.append(
                (
                    (
                        not available,
                        wh.fallback_transit_days,
                        wh.priority,
                        wh.name,
                        wh.warehouse_id,
                    ),
                    wh,
                )
            )
            continue
        missing = _missing(wh.warehouse_id, needs, free)
        covering.append(
            Candidate(
                warehouse_id=wh.warehouse_id,
                name=wh.name,
                point_type=wh.point_type,
                covers=covers,
                fallback=fallback,
                area_id=area_id,
                specificity=score,
                transit_days=transit,
                priority=priority,
                all_available=bool(needs) and not missing,
                missing=missing,
            )
        )
    covering.sort(key=Candidate.sort_key)
    if keep_uncovering is None or keep_uncovering >= len(uncovering):
        kept = sorted(uncovering, key=lambda item: item[0])
    else:
        kept = heapq.nsmallest(keep_uncovering, uncovering, key=lambda item: item[0])
    candidates = covering
    for _key, wh in kept:
        missing = _missing(wh.warehouse_id, needs, free)
        candidates.append(
            Candidate(
                warehouse_id=wh.warehouse_id,
                name=wh.name,
                point_type=wh.point_type,
                covers=False,
                fallback=False,
                area_id=0,
                specificity=-1,
                transit_days=wh.fallback_transit_days,
                priority=wh.priority,
                all_available=bool(needs) and not missing,
                missing=missing,
            )
        )
    for rank, cand in enumerate(candidates, start=1):
        cand.rank = rank
    return candidates, len(uncovering) - len(kept)


def match(
    address, warehouses, areas, needs, free, allow_dealer=True, keep_uncovering=None
):
    """Rank the candidates and decide where each product ships from.

    ``keep_uncovering``: see :func:`rank_candidates`; the number left out is
    ``Match.omitted``. The decision is the same whatever is kept.
    """
    needs = [n for n in needs if n.quantity > QTY_EPSILON]
    candidates, omitted = _rank(
        address, warehouses, areas, needs, free, allow_dealer, keep_uncovering
    )
    result = Match(candidates=candidates, omitted=omitted)
    if not allow_dealer and any(w.point_type == "dealer" for w in warehouses):
        result.reasons.append(("dealer_disabled", {}))
    if not candidates and not omitted:
        result.reasons.append(("no_warehouse", {}))
        return result
    # the best is covering if any warehouse covers: when none is kept, those
    # left out do not cover either
    best = candidates[0] if candidates else None
    uncovered = best is None or not best.covers
    covering = [c for c in candidates if c.covers]
    if not any(not c.fallback for c in covering):
        result.reasons.append(("no_area", {"fallback": _fallback_name(candidates)}))
    shipping = [
        wh.warehouse_id
        for wh in warehouses
        if allow_dealer or wh.point_type != "dealer"
    ]
    result.no_stock_products = [
        n.product_id
        for n in needs
        if not any(free.get((wh_id, n.product_id), 0) > 0 for wh_id in shipping)
    ]
    if not needs:
        result.mode = "none"
        if uncovered:
            # nobody covers the address: the order keeps its warehouse, as
            # when there is something to ship
            result.reasons.append(("keep_warehouse", {}))
            return result
        result.warehouse_id = best.warehouse_id
        result.reasons.append(("nothing_to_ship", {"warehouse": best.name}))
        return result

    if uncovered:
        # nobody covers the address and there is no central warehouse: the
        # order keeps the warehouse it has
        result.mode = "uncovered"
        result.reasons.append(("keep_warehouse", {}))
        return result
    if best.covers and best.all_available:
        result.mode = "single"
        result.warehouse_id = best.warehouse_id
        result.sourcing = {n.product_id: best.warehouse_id for n in needs}
        result.reasons.append(("single", _cand_params(best)))
        return result

    central = next((c for c in candidates if c.point_type == "central"), None)
    backorder_wh = central or best
    per_wh = {}
    for need in needs:
        source = next(
            (
                c
                for c in covering
                if free.get((c.warehouse_id, need.product_id), 0.0) + QTY_EPSILON
                >= need.quantity
            ),
            None,
        )
        if source is None:
            result.backorder_products.append(need.product_id)
            source = backorder_wh
        result.sourcing[need.product_id] = source.warehouse_id
        per_wh[source.warehouse_id] = per_wh.get(source.warehouse_id, 0) + 1

    if len(result.backorder_products) == len(needs):
        result.mode = "backorder"
        result.warehouse_id = backorder_wh.warehouse_id
        result.reasons.append(("backorder", {"warehouse": backorder_wh.name}))
        return result
    by_id = {c.warehouse_id: c for c in candidates}
    main = min(per_wh, key=lambda wh_id: (-per_wh[wh_id], by_id[wh_id].rank))
    result.warehouse_id = main
    if len(per_wh) == 1:
        result.mode = "single"
        result.reasons.append(("single", _cand_params(by_id[main])))
    else:
        result.mode = "split"
        result.reasons.append(("split", {"count": len(per_wh)}))
    if result.backorder_products:
        result.reasons.append(("partial_backorder", {"warehouse": backorder_wh.name}))
    return result


def _fallback_name(candidates):
    central = next((c for c in candidates if c.point_type == "central"), None)
    return central.name if central else ""


def _cand_params(cand):
    return {
        "warehouse": cand.name,
        "transit_days": cand.transit_days,
        "fallback": cand.fallback,
    }


def candidate_reason(cand, best):
    """Why ``cand`` is (or is not) the first choice: a (code, params) tuple."""
    if cand is best:
        return ("chosen", {})
    if not cand.covers:
        return ("not_covering", {})
    if cand.missing:
        return ("missing", {"missing": dict(cand.missing)})
    if best.covers and not best.fallback and cand.fallback:
        return ("fallback_only", {})
    if cand.transit_days > best.transit_days:
        return ("slower", {"transit_days": cand.transit_days})
    if cand.priority > best.priority:
        return ("lower_priority", {"priority": cand.priority})
    return ("less_specific", {})
