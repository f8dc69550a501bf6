# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The stock-point matching engine, without Odoo."""

import pytest

CN, US = 1, 2
ZJ, JS, SH = 10, 11, 12  # Zhejiang, Jiangsu, Shanghai


@pytest.fixture(scope="module")
def sp():
    from .conftest import load_engine

    return load_engine("fieldservice_install", "stock_point")


@pytest.fixture
def network(sp):
    """Hangzhou, Nanjing regional, a Hangzhou-county dealer and a central warehouse."""
    warehouses = [
        sp.Warehouse(1, "Hangzhou", "regional"),
        sp.Warehouse(2, "Nanjing", "regional"),
        sp.Warehouse(3, "Yuhang Dealer", "dealer"),
        sp.Warehouse(4, "Central", "central", fallback_transit_days=5),
    ]
    areas = [
        sp.Area(11, 1, country_id=CN, state_id=ZJ, transit_days=2, priority=10),
        sp.Area(12, 1, country_id=CN, city="Hangzhou", transit_days=1, priority=10),
        sp.Area(21, 2, country_id=CN, state_id=JS, transit_days=1, priority=10),
        sp.Area(31, 3, zip_prefix="3111", transit_days=0.5, priority=5),
    ]
    return warehouses, areas


def test_area_specificity(sp):
    addr = sp.Address.make(CN, ZJ, " hangZhou ", "311 100")
    assert sp.area_specificity(sp.Area(1, 1, zip_prefix="3111"), addr) == 1004
    assert sp.area_specificity(sp.Area(1, 1, zip_prefix="31"), addr) == 1002
    assert sp.area_specificity(sp.Area(1, 1, city="Hangzhou"), addr) == 300
    assert sp.area_specificity(sp.Area(1, 1, state_id=ZJ), addr) == 200
    assert sp.area_specificity(sp.Area(1, 1, country_id=CN), addr) == 100
    assert sp.area_specificity(sp.Area(1, 1, country_id=US), addr) is None
    assert sp.area_specificity(sp.Area(1, 1, country_id=CN, state_id=JS), addr) is None
    assert sp.area_specificity(sp.Area(1, 1, zip_prefix="312"), addr) is None
    assert sp.area_specificity(sp.Area(1, 1), addr) is None


def test_most_specific_area_wins(sp, network):
    _warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    area, score = sp.best_area([a for a in areas if a.warehouse_id == 1], addr)
    assert area.area_id == 12 and score == 300


def test_covering_with_stock_ships_everything(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    needs = [sp.Need(100, 2), sp.Need(101, 1)]
    free = {(1, 100): 5, (1, 101): 1, (2, 100): 9, (2, 101): 9, (4, 100): 9}
    m = sp.match(addr, warehouses, areas, needs, free)
    assert m.mode == "single"
    assert m.warehouse_id == 1
    assert m.sourcing == {100: 1, 101: 1}
    ranked = [(c.warehouse_id, c.covers, c.all_available) for c in m.candidates]
    # dealer 3 does not cover zip 310012; central covers as fallback only
    assert ranked[0] == (1, True, True)
    assert {c.warehouse_id: c.covers for c in m.candidates} == {
        1: True,
        2: False,
        3: False,
        4: True,
    }


def test_dealer_nearer_wins_then_disabled(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "311100")  # Yuhang county
    needs = [sp.Need(100, 1)]
    free = {(1, 100): 3, (3, 100): 1, (4, 100): 50}
    m = sp.match(addr, warehouses, areas, needs, free)
    assert m.warehouse_id == 3  # 0.5 day transit beats 1 day
    m = sp.match(addr, warehouses, areas, needs, free, allow_dealer=False)
    assert m.warehouse_id == 1
    assert 3 not in [c.warehouse_id for c in m.candidates]
    assert ("dealer_disabled", {}) in m.reasons


def test_availability_beats_transit(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    needs = [sp.Need(100, 2)]
    free = {(1, 100): 1, (4, 100): 10}
    m = sp.match(addr, warehouses, areas, needs, free)
    assert m.warehouse_id == 4 and m.mode == "single"
    first = m.candidates[0]
    assert first.fallback and first.all_available
    hz = next(c for c in m.candidates if c.warehouse_id == 1)
    assert hz.missing == {100: 1}
    assert sp.candidate_reason(hz, first) == ("missing", {"missing": {100: 1}})


def test_ties_broken_by_transit_priority_then_specificity(sp):
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    warehouses = [sp.Warehouse(1, "A"), sp.Warehouse(2, "B"), sp.Warehouse(3, "C")]
    needs = [sp.Need(100, 1)]
    free = {(1, 100): 1, (2, 100): 1, (3, 100): 1}
    areas = [
        sp.Area(1, 1, state_id=ZJ, transit_days=1, priority=10),
        sp.Area(2, 2, city="Hangzhou", transit_days=1, priority=10),
        sp.Area(3, 3, state_id=ZJ, transit_days=1, priority=5),
    ]
    ranked = [
        c.warehouse_id for c in sp.rank_candidates(addr, warehouses, areas, needs, free)
    ]
    assert ranked == [3, 2, 1]  # priority 5 first, then the city area over the state
    # equal in everything: the name decides, deterministically
    areas = [sp.Area(1, 1, state_id=ZJ), sp.Area(2, 2, state_id=ZJ)]
    ranked = [
        c.warehouse_id
        for c in sp.rank_candidates(addr, warehouses[:2], areas, needs, free)
    ]
    assert ranked == [1, 2]


def test_split_sourcing(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "311100")
    needs = [sp.Need(100, 1), sp.Need(101, 2), sp.Need(102, 1)]
    free = {(1, 100): 1, (3, 101): 2, (1, 102): 1}
    m = sp.match(addr, warehouses, areas, needs, free)
    assert m.mode == "split"
    assert m.sourcing == {100: 1, 101: 3, 102: 1}
    assert m.warehouse_id == 1  # ships most lines
    assert not m.backorder_products


def test_partial_backorder_goes_central(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    needs = [sp.Need(100, 1), sp.Need(101, 1)]
    free = {(1, 100): 1}
    m = sp.match(addr, warehouses, areas, needs, free)
    assert m.sourcing == {100: 1, 101: 4}
    assert m.backorder_products == [101]
    assert m.no_stock_products == [101]
    assert ("partial_backorder", {"warehouse": "Central"}) in m.reasons


def test_nothing_available_backorder_from_central(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    needs = [sp.Need(100, 3)]
    free = {(2, 100): 10}  # only Nanjing has it, and Nanjing does not cover
    m = sp.match(addr, warehouses, areas, needs, free)
    assert m.mode == "backorder"
    assert m.warehouse_id == 4
    assert m.backorder_products == [100]
    assert m.no_stock_products == []


def test_no_covering_area_explains_fallback(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(US, 0, "Boston", "02110")
    m = sp.match(addr, warehouses, areas, [sp.Need(100, 1)], {(4, 100): 1})
    assert ("no_area", {"fallback": "Central"}) in m.reasons
    assert m.warehouse_id == 4


def test_zero_quantities_ignored(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    m = sp.match(addr, warehouses, areas, [sp.Need(100, 0)], {})
    assert m.mode == "none"
    assert m.warehouse_id == 1
    assert m.sourcing == {}


def test_reserved_stock_is_not_free(sp, network):
    warehouses, areas = network
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    # free quantities come in already net of reservations; negative is "none"
    m = sp.match(addr, warehouses, areas, [sp.Need(100, 1)], {(1, 100): -2})
    hz = next(c for c in m.candidates if c.warehouse_id == 1)
    assert hz.missing == {100: 1}


def test_no_warehouse(sp):
    m = sp.match(sp.Address.make(CN), [], [], [sp.Need(1, 1)], {})
    assert m.warehouse_id == 0 and ("no_warehouse", {}) in m.reasons


def test_uncovered_without_central_keeps_order_warehouse(sp, network):
    warehouses, areas = network
    regional_only = [w for w in warehouses if w.point_type != "central"]
    addr = sp.Address.make(US, 0, "Boston", "02110")
    m = sp.match(addr, regional_only, areas, [sp.Need(100, 1)], {(1, 100): 5})
    assert m.mode == "uncovered"
    assert m.warehouse_id == 0
    assert m.sourcing == {} and m.backorder_products == []
    assert ("keep_warehouse", {}) in m.reasons


def test_keeping_few_uncovering_candidates_changes_no_decision(sp):
    """Hundreds of warehouses that do not cover the address: keeping only the
    best few of them as candidates gives the same decision and the same ranks,
    and says how many were left out."""
    import random

    rng = random.Random(7)
    warehouses = [sp.Warehouse(1, "Central", "central", fallback_transit_days=5)]
    warehouses += [
        sp.Warehouse(
            i,
            f"WH {i:03d}",
            rng.choice(["regional", "dealer"]),
            fallback_transit_days=rng.choice([1, 2, 3]),
            priority=rng.choice([5, 10]),
        )
        for i in range(2, 200)
    ]
    areas = [
        sp.Area(
            1000 + i,
            i,
            country_id=CN,
            state_id=rng.choice([ZJ, JS, SH]),
            transit_days=rng.choice([1, 2]),
        )
        for i in range(2, 200)
    ]
    addr = sp.Address.make(CN, ZJ, "Hangzhou", "310012")
    needs = [sp.Need(100, 2), sp.Need(101, 1), sp.Need(102, 4)]
    for _round in range(20):
        free = {
            (wh.warehouse_id, pid): rng.choice([0, 1, 5])
            for wh in warehouses
            for pid in (100, 101, 102)
            if rng.random() < 0.3
        }
        for allow_dealer in (True, False):
            full = sp.match(addr, warehouses, areas, needs, free, allow_dealer)
            few = sp.match(
                addr, warehouses, areas, needs, free, allow_dealer, keep_uncovering=3
            )
            assert (few.warehouse_id, few.mode, few.sourcing) == (
                full.warehouse_id,
                full.mode,
                full.sourcing,
            )
            assert few.backorder_products == full.backorder_products
            assert few.no_stock_products == full.no_stock_products
            assert few.reasons == full.reasons
            uncovering = sum(1 for c in full.candidates if not c.covers)
            assert len(few.candidates) == len(full.candidates) - uncovering + min(
                3, uncovering
            )
            assert few.omitted == uncovering - min(3, uncovering)
            assert [(c.warehouse_id, c.rank, c.missing) for c in few.candidates] == [
                (c.warehouse_id, c.rank, c.missing)
                for c in full.candidates[: len(few.candidates)]
            ]
