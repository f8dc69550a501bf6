# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad-input sweep of the stock-point address resolver (no Odoo).

Any address (messy cities and zips, missing fields) and any warehouse network
gives a clean :class:`Match`: a known mode, sourcing only from the network's
warehouses, every product sourced when something covers the address, and
the same decision whatever number of non-covering warehouses is kept.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import load_engine

sp = load_engine("fieldservice_install", "stock_point")

SWEEP = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
MODES = {"single", "split", "backorder", "none", "uncovered"}
SPECIFICITIES = {
    sp.SPECIFICITY_CITY,
    sp.SPECIFICITY_STATE,
    sp.SPECIFICITY_COUNTRY,
}

ids = st.one_of(st.none(), st.just(False), st.integers(0, 4))
cities = st.one_of(
    st.none(),
    st.just(False),
    st.sampled_from(["Hangzhou", " hangzhou ", "HANG  ZHOU", "杭州", "Nanjing"]),
    st.text(max_size=15),
)
zips = st.one_of(
    st.none(),
    st.just(False),
    st.sampled_from(["310012", "31 0012", "310", "200001", " 2000 "]),
    st.text(alphabet="0123456789 -aZ", max_size=8),
)
addresses = st.builds(
    sp.Address.make, country_id=ids, state_id=ids, city=cities, zip_code=zips
)


@st.composite
def networks(draw):
    count = draw(st.integers(0, 6))
    warehouses = [
        sp.Warehouse(
            warehouse_id=i + 1,
            name=draw(st.sampled_from(["North", "South", "Central", "Dealer"])),
            point_type=draw(st.sampled_from(sp.POINT_TYPES)),
            fallback_transit_days=draw(st.floats(0, 10)),
            priority=draw(st.integers(0, 20)),
        )
        for i in range(count)
    ]
    areas = []
    for wh in warehouses:
        for _i in range(draw(st.integers(0, 3))):
            areas.append(
                sp.Area(
                    area_id=len(areas) + 1,
                    warehouse_id=wh.warehouse_id,
                    country_id=draw(st.integers(0, 4)),
                    state_id=draw(st.integers(0, 4)),
                    city=draw(cities) or "",
                    zip_prefix=draw(zips) or "",
                    transit_days=draw(st.floats(0, 10)),
                    priority=draw(st.integers(0, 20)),
                )
            )
    products = draw(st.lists(st.integers(1, 5), max_size=4, unique=True))
    needs = [sp.Need(p, draw(st.floats(-1, 20))) for p in products]
    free = {
        (wh.warehouse_id, p): draw(st.floats(-2, 20))
        for wh in warehouses
        for p in products
        if draw(st.booleans())
    }
    return warehouses, areas, needs, free


@SWEEP
@given(ids, ids, cities, zips)
def test_address_make_normalises_anything(country, state, city, zip_code):
    address = sp.Address.make(country, state, city, zip_code)
    assert isinstance(address.country_id, int)
    assert isinstance(address.state_id, int)
    assert address.city == address.city.strip().casefold()
    assert "  " not in address.city
    assert " " not in address.zip and address.zip == address.zip.upper()
    assert sp.Address.make(*address.__dict__.values()) == address


@SWEEP
@given(addresses, networks())
def test_area_specificity_is_none_or_known(address, network):
    _warehouses, areas, _needs, _free = network
    for area in areas:
        score = sp.area_specificity(area, address)
        if score is None:
            continue
        assert score in SPECIFICITIES or score > sp.SPECIFICITY_ZIP
        if score > sp.SPECIFICITY_ZIP:
            assert address.zip.startswith(sp.normalize_zip(area.zip_prefix))


@SWEEP
@given(st.sampled_from(["Hangzhou", "Xi'an", "Ürümqi", "杭州"]), st.data())
def test_city_covered_whatever_its_spelling(city, data):
    messy = data.draw(st.sampled_from([city, city.upper(), f"  {city} ", city.lower()]))
    area = sp.Area(area_id=1, warehouse_id=1, city=messy)
    assert sp.area_specificity(area, sp.Address.make(city=city)) == (
        sp.SPECIFICITY_CITY
    )


@SWEEP
@given(addresses, networks(), st.booleans(), st.integers(0, 3))
def test_match_always_gives_a_clean_decision(address, network, dealer, keep):
    warehouses, areas, needs, free = network
    result = sp.match(address, warehouses, areas, needs, free, allow_dealer=dealer)
    assert result.mode in MODES
    known = {wh.warehouse_id for wh in warehouses}
    shipping = {
        wh.warehouse_id for wh in warehouses if dealer or wh.point_type != "dealer"
    }
    assert [c.rank for c in result.candidates] == list(
        range(1, len(result.candidates) + 1)
    )
    assert {c.warehouse_id for c in result.candidates} == shipping
    assert set(result.sourcing.values()) <= shipping
    assert not result.warehouse_id or result.warehouse_id in known
    real_needs = {n.product_id for n in needs if n.quantity > sp.QTY_EPSILON}
    if result.mode in ("single", "split", "backorder"):
        assert set(result.sourcing) == real_needs
        assert result.warehouse_id in shipping
    assert set(result.backorder_products) <= real_needs
    for code, params in result.reasons:
        assert isinstance(code, str) and isinstance(params, dict)
    # what is left out of the candidates does not change the decision
    kept = sp.match(
        address,
        warehouses,
        areas,
        needs,
        free,
        allow_dealer=dealer,
        keep_uncovering=keep,
    )
    assert (kept.mode, kept.warehouse_id, kept.sourcing) == (
        result.mode,
        result.warehouse_id,
        result.sourcing,
    )
    assert len(kept.candidates) + kept.omitted == len(result.candidates)


def test_nothing_covering_keeps_the_warehouse_whatever_is_kept():
    """Found by the sweep: when no warehouse covers the address, the decision
    depended on how many non-covering warehouses were kept (with nothing to
    ship, the first of them was even chosen)."""
    north = sp.Warehouse(1, "North")
    for needs, mode in (([], "none"), ([sp.Need(1, 1.0)], "uncovered")):
        for keep in (None, 0, 1):
            result = sp.match(
                sp.Address.make(), [north], [], needs, {}, keep_uncovering=keep
            )
            assert (result.mode, result.warehouse_id) == (mode, 0)
            assert ("keep_warehouse", {}) in result.reasons
