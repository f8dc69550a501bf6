# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stock-point matching on a large stock: one SQL query vs the naive ORM way.

Builds, in one transaction that is rolled back at the end, W warehouses (with
the ORM: each gets its locations, routes and operation types) of the current
company — most regional, a tenth dealer, one or two central — each with 1 to
3 coverage areas over Chinese provinces, cities and ZIP prefixes; P storable
products (ORM); Q stock quants inserted with one set-based SQL statement into
the warehouses' stock locations and their sub-locations (a shelf under the
stock location, bins under the shelf); customers in random Chinese cities; and
N draft sale orders (plus 3 that only warm up) of 1 to 4 storable lines.
Building the orders matches nothing: ``sale.order.create`` matches at its end
whatever the context, so the orders are created without lines, then their
lines with the ``stock_point_no_match`` context.

Then it times, per order:

* ours, one order at a time: ``order._stock_point_match()`` plus the flush of
  what it writes (matched warehouse, explanation, candidate rows), with a cold
  ORM cache (a new request, e.g. the "match" button) and again with the order,
  its lines and address already read (a create / write / confirmation of the
  order, which match at their end); the targets are checked on the cold run;
* ours, batched: one ``_stock_point_match()`` call over all N orders, after
  dropping their stored matches with SQL (untimed; the addon does not rewrite
  a match equal to the stored one);
* ours, the free-stock SQL query alone (``_stock_point_free_qty``);
* a change of the network, ``NETWORK_CHANGES`` times: a location created
  under a warehouse's stock location (ORM), then the next order matched (cold
  cache); whether the change cleared Odoo's registry caches (they serve every
  model in every worker: the next requests rebuild them) is counted;
* naive: the same ranking input read the ORM way — for every warehouse of the
  company, ``product.with_context(warehouse_id=wh.id).free_qty`` for each
  product of the order —, then the same engine
  ``stock_point.match()`` (no write). Both ways must choose the same
  warehouses; the free quantities they read are compared too.

It prints p50 / p95 / mean milliseconds per order, the SQL queries per order
(all of them, and those reading ``stock_quant``: one per order whatever the
number of warehouses) and the ratio naive / ours. Targets: p95 <= 20 ms per
order; ours >= 50 times faster than naive. Everything is rolled back: the
database is left unchanged (except for PostgreSQL sequence numbers).

Run it on a database where fieldservice_install is installed::

    python3 bench/bench_stock_point.py --database DB [--warehouses 300]
        [--products 5000] [--quants 1000000] [--orders 1000]
        [--naive-orders N] [--seed 42] [--explain] [--profile]
        [--json PATH] [--addons-path PATH] [other odoo options, e.g. --db_host ...]

``--explain`` prints EXPLAIN ANALYZE of the free-stock query of one order,
``--profile`` the cProfile of ours matching 100 orders (an extra pass).
The full default scale takes long: about 5 minutes of setup, then the naive
way takes seconds per order with 300 warehouses; ``--naive-orders`` times it
on the first orders only. Progress goes to stderr.

Exit code: 0 when both ways agree on every order, 1 when they do not, 2 when
the database cannot be used.
"""

import argparse
import cProfile
import importlib
import io
import math
import os
import pstats
import random
import signal
import statistics
import sys
import time
from contextlib import contextmanager
from unittest.mock import patch

from benchlib import REPO, bench_env, figure, run_main, write_json

from odoo.tools import SQL

TARGET_P95_MS = 20.0
TARGET_RATIO = 50.0
WARMUP = 3
ANALYZE_EVERY = 100
PROFILE_ORDERS = 100
NETWORK_CHANGES = 20
PROFILE_SORT = os.environ.get("BENCH_PROFILE_SORT", "cumulative")
QTY_EPSILON = 1e-6
ENGINE = "odoo.addons.fieldservice_install.engine.stock_point"

# Province code (res.country.state of base.cn) -> (city, 3-digit ZIP prefix).
CITIES = {
    "京": [("北京市", "100")],
    "沪": [("上海市", "200")],
    "津": [("天津市", "300")],
    "渝": [("重庆市", "400")],
    "冀": [("石家庄市", "050"), ("唐山市", "063"), ("保定市", "071")],
    "晋": [("太原市", "030"), ("大同市", "037")],
    "蒙": [("呼和浩特市", "010"), ("包头市", "014")],
    "辽": [("沈阳市", "110"), ("大连市", "116")],
    "吉": [("长春市", "130"), ("吉林市", "132")],
    "黑": [("哈尔滨市", "150"), ("大庆市", "163")],
    "苏": [("南京市", "210"), ("苏州市", "215"), ("无锡市", "214")],
    "浙": [("杭州市", "310"), ("宁波市", "315"), ("温州市", "325")],
    "皖": [("合肥市", "230"), ("芜湖市", "241")],
    "闽": [("福州市", "350"), ("厦门市", "361")],
    "赣": [("南昌市", "330"), ("赣州市", "341")],
    "鲁": [("济南市", "250"), ("青岛市", "266"), ("烟台市", "264")],
    "豫": [("郑州市", "450"), ("洛阳市", "471")],
    "鄂": [("武汉市", "430"), ("宜昌市", "443")],
    "湘": [("长沙市", "410"), ("株洲市", "412")],
    "粤": [("广州市", "510"), ("深圳市", "518"), ("东莞市", "523"), ("佛山市", "528")],
    "桂": [("南宁市", "530"), ("桂林市", "541")],
    "琼": [("海口市", "570"), ("三亚市", "572")],
    "蜀": [("成都市", "610"), ("绵阳市", "621")],
    "黔": [("贵阳市", "550"), ("遵义市", "563")],
    "滇": [("昆明市", "650"), ("大理市", "671")],
    "藏": [("拉萨市", "850")],
    "陕": [("西安市", "710"), ("宝鸡市", "721")],
    "甘": [("兰州市", "730")],
    "青": [("西宁市", "810")],
    "宁": [("银川市", "750")],
    "新": [("乌鲁木齐市", "830"), ("喀什市", "844")],
}
# Home provinces of the central warehouses (their own coverage areas).
CENTRAL_HOMES = (("沪", "苏", "浙"), ("粤", "京"))
LINE_QTYS = (1, 1, 1, 2, 2, 3, 5, 8, 12)
LINES_PER_ORDER = (1, 1, 2, 2, 2, 3, 3, 4)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--warehouses", type=int, default=300)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--quants", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument(
        "--naive-orders", type=int, help="orders timed the naive way (default: all)"
    )
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--addons-path", default=str(REPO))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args, odoo_args = parser.parse_known_args()
    for name in ("warehouses", "products", "quants", "orders", "customers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.naive_orders is None:
        args.naive_orders = args.orders
    args.naive_orders = max(1, min(args.naive_orders, args.orders))
    return args, odoo_args


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------
class QueryLog:
    """Counts the queries of a cursor, and those reading stock_quant."""

    def __init__(self, cr):
        self.cr = cr
        self.stock = 0
        self.last_stock = None

    def __enter__(self):
        execute = self.cr.execute

        def logged_execute(query, params=None, log_exceptions=True):
            code = query.code if isinstance(query, SQL) else str(query)
            if "stock_quant" in code:
                self.stock += 1
                self.last_stock = query if isinstance(query, SQL) else (query, params)
            return execute(query, params, log_exceptions)

        self.cr.execute = logged_execute
        return self

    def __exit__(self, *exc):
        del self.cr.execute

    def snapshot(self):
        return self.cr.sql_log_count, self.stock


@contextmanager
def timed(setup, label):
    start = time.perf_counter()
    yield
    setup[label] = time.perf_counter() - start
    print(f"  setup: {label}: {setup[label]:.1f} s", file=sys.stderr, flush=True)


def progress(label, done, total):
    """A progress line on stderr, about every tenth of a long loop."""
    if done == total or done % max(1, total // 10) == 0:
        print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(values):
    return statistics.fmean(values), statistics.median(values), p95(values)


def analyze(cr):
    """Refresh the planner statistics of the tables this transaction changed."""
    cr.execute(
        "SELECT relid::regclass::text FROM pg_stat_xact_user_tables"
        " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
    )
    tables = [SQL(name) for (name,) in cr.fetchall()]
    if tables:
        cr.execute(SQL("ANALYZE %s", SQL(", ").join(tables)))


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def geography(env):
    """[(state id, [(city, zip prefix)])] of the mainland Chinese provinces."""
    country = env.ref("base.cn")
    states = env["res.country.state"].search([("country_id", "=", country.id)])
    by_code = {state.code: state.id for state in states}
    geo = [
        (by_code[code], cities) for code, cities in CITIES.items() if code in by_code
    ]
    homes = [
        [by_code[code] for code in home if code in by_code] for home in CENTRAL_HOMES
    ]
    return country.id, geo, homes


def warehouse_plan(count):
    """Point type of each warehouse: one or two central, a tenth dealer."""
    centrals = 2 if count >= 10 else 1
    dealers = count // 10 if count > centrals else 0
    types = ["central"] * min(centrals, count) + ["dealer"] * dealers
    return types + ["regional"] * (count - len(types))


def create_warehouses(env, rng, geo, count):
    plan = warehouse_plan(count)
    dealer_partners = env["res.partner"].create(
        [
            {"name": f"Bench Dealer {i:03d}", "is_company": True}
            for i in range(plan.count("dealer"))
        ]
    )
    vals_list, homes, dealer = [], [], iter(dealer_partners)
    for i, point_type in enumerate(plan):
        state_index = (
            i % len(geo) if point_type == "regional" else rng.randrange(len(geo))
        )
        homes.append(state_index)
        city = geo[state_index][1][0][0]
        vals = {
            "name": f"Bench {point_type} {i + 1:04d} {city}",
            "code": f"B{i + 1:04d}",
            "stock_point_type": point_type,
            "stock_point_transit_days": 3.0 if point_type == "central" else 2.0,
            "stock_point_priority": 20 if point_type == "central" else 10,
        }
        if point_type == "dealer":
            vals["partner_id"] = next(dealer).id
        vals_list.append(vals)
    warehouses = env["stock.warehouse"].create(vals_list)
    return warehouses, homes


def area_values(rng, country_id, geo, central_homes, warehouse, home):
    """1 to 3 coverage areas of one warehouse, around its home province."""
    state_id, cities = geo[home]
    city, prefix = rng.choice(cities)
    base = {"warehouse_id": warehouse.id, "country_id": country_id}
    if warehouse.stock_point_type == "central":
        states = central_homes[warehouse.id % len(central_homes)] or [state_id]
        return [
            dict(base, state_id=s, transit_days=1.0, priority=20) for s in states[:3]
        ]
    if warehouse.stock_point_type == "dealer":
        areas = [dict(base, state_id=state_id, city=city, transit_days=0.5, priority=5)]
        if rng.random() < 0.5:
            areas.append(
                dict(
                    base,
                    state_id=state_id,
                    zip_prefix=prefix + str(rng.randrange(10)),
                    transit_days=0.5,
                    priority=4,
                )
            )
        return areas
    areas = [
        dict(
            base,
            state_id=state_id,
            transit_days=rng.choice((1.0, 1.5, 2.0)),
            priority=rng.randrange(5, 21),
        )
    ]
    if rng.random() < 0.6:
        areas.append(
            dict(
                base,
                state_id=state_id,
                city=city,
                transit_days=rng.choice((0.5, 1.0)),
                priority=rng.randrange(5, 21),
            )
        )
    if rng.random() < 0.3:
        areas.append(
            dict(
                base,
                state_id=geo[(home + 1) % len(geo)][0],
                transit_days=rng.choice((2.5, 3.0)),
                priority=rng.randrange(5, 21),
            )
        )
    return areas


def create_sublocations(env, warehouses, slots):
    """Stock location ids of each warehouse: lot_stock, a shelf, bins in it."""
    Location = env["stock.location"]
    shelves = Location.create(
        [
            {"name": "Bench Shelf", "location_id": wh.lot_stock_id.id}
            for wh in warehouses
        ]
    )
    bins = Location.create(
        [
            {"name": f"Bench Bin {k}", "location_id": shelf.id}
            for shelf in shelves
            for k in range(1, slots - 1)
        ]
    )
    location_ids = list(warehouses.lot_stock_id.ids) + shelves.ids + bins.ids
    return location_ids, len(shelves) + len(bins)


def create_products(env, count):
    return env["product.product"].create(
        [
            {
                "name": f"Bench Product {i:05d}",
                "default_code": f"BSP{i:05d}",
                "type": "consu",
                "is_storable": True,
                "list_price": 10.0 + i % 500,
            }
            for i in range(count)
        ]
    )


def insert_quants(env, location_ids, product_ids, count, seed):
    """Insert ``count`` quants, each on a distinct (location, product) pair."""
    slots = len(location_ids)
    total = slots * len(product_ids)
    stride = int(total * 0.6180339887) | 1  # spreads consecutive rows
    while math.gcd(stride, total) != 1:
        stride += 1
    cr = env.cr
    cr.execute("SELECT setseed(%s)", [(seed % 1000) / 1000.0])
    cr.execute(
        SQL(
            """
            WITH pairs AS (
                SELECT (g * %(stride)s) %% %(total)s AS k,
                       floor(power(random(), 3) * 50) AS qty,
                       random() AS r_reserved, random() AS r_part,
                       random() AS r_date
                  FROM generate_series(0::bigint, %(count)s - 1) g
            )
            INSERT INTO stock_quant (
                product_id, location_id, company_id, quantity, reserved_quantity,
                inventory_quantity, inventory_diff_quantity, inventory_quantity_set,
                in_date, create_uid, write_uid, create_date, write_date)
            SELECT (%(products)s::int[])[k / %(slots)s + 1],
                   (%(locations)s::int[])[k %% %(slots)s + 1],
                   %(company)s, qty,
                   CASE WHEN r_reserved < 0.8 THEN 0
                        ELSE floor(r_part * (qty + 1)) END,
                   0, 0, false,
                   now() AT TIME ZONE 'UTC' - r_date * interval '365 days',
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                   now() AT TIME ZONE 'UTC'
              FROM pairs
            """,
            stride=stride,
            total=total,
            count=count,
            products=list(product_ids),
            locations=list(location_ids),
            slots=slots,
            company=env.company.id,
            uid=env.uid,
        )
    )
    return cr.rowcount


def create_customers(env, rng, country_id, geo, count):
    vals_list = []
    for i in range(count):
        state_id, cities = rng.choice(geo)
        city, prefix = rng.choice(cities)
        vals_list.append(
            {
                "name": f"Bench Customer {i:04d}",
                "street": f"{rng.randrange(1, 999)} 号",
                "city": city,
                "zip": f"{prefix}{rng.randrange(1000):03d}",
                "state_id": state_id,
                "country_id": country_id,
            }
        )
    return env["res.partner"].create(vals_list)


def create_orders(env, rng, customers, products, count):
    """Draft orders created without lines, then their lines without matching."""
    orders = env["sale.order"].create(
        [{"partner_id": rng.choice(customers).id} for _i in range(count)]
    )
    Line = env["sale.order.line"].with_context(stock_point_no_match=True)
    line_vals = []
    for order in orders:
        for product in rng.sample(products, rng.choice(LINES_PER_ORDER)):
            line_vals.append(
                {
                    "order_id": order.id,
                    "product_id": product.id,
                    "product_uom_qty": rng.choice(LINE_QTYS),
                }
            )
    for start in range(0, len(line_vals), 1000):
        Line.create(line_vals[start : start + 1000])
    return orders


def build(env, args):
    rng = random.Random(args.seed)
    setup = {}
    country_id, geo, central_homes = geography(env)
    if not geo:
        raise RuntimeError("base.cn has no provinces in this database")
    env.company.stock_point_allow_dealer = True  # dealers compete as well
    with timed(setup, "warehouses (ORM, one create)"):
        warehouses, homes = create_warehouses(env, rng, geo, args.warehouses)
        env.flush_all()
    with timed(setup, "coverage areas (ORM)"):
        vals_list = []
        for wh, home in zip(warehouses, homes, strict=True):
            vals_list += area_values(rng, country_id, geo, central_homes, wh, home)
        areas = env["stock.warehouse.service.area"].create(vals_list)
        env.flush_all()
    slots = max(2, math.ceil(args.quants / (args.warehouses * args.products)) + 1)
    with timed(setup, "sub-locations (ORM)"):
        location_ids, sublocations = create_sublocations(env, warehouses, slots)
        env.flush_all()
    with timed(setup, "products (ORM, one create)"):
        products = create_products(env, args.products)
        env.flush_all()
    with timed(setup, "quants (one INSERT ... SELECT)"):
        quants = insert_quants(env, location_ids, products.ids, args.quants, args.seed)
    with timed(setup, "invalidate + ANALYZE"):
        env.invalidate_all()
        analyze(env.cr)
    with timed(setup, "customers (ORM)"):
        customers = create_customers(env, rng, country_id, geo, args.customers)
        env.flush_all()
    with timed(setup, "orders and lines (ORM, no matching)"):
        orders = create_orders(
            env, rng, customers, list(products), args.orders + WARMUP
        )
        env.flush_all()
        env.cr.precommit.run()
        analyze(env.cr)
        env.invalidate_all()
    counts = {
        "warehouses": env["stock.warehouse"].search_count(
            [("company_id", "=", env.company.id)]
        ),
        "bench warehouses": len(warehouses),
        "areas": len(areas),
        "sub-locations": sublocations,
        "products": len(products),
        "quants": quants,
        "quants in db": env["stock.quant"].search_count([]),
        "customers": len(customers),
        "orders": len(orders) - WARMUP,
        "lines": len(orders[WARMUP:].order_line),
        "candidates after creation": env[
            "sale.order.stock.point.candidate"
        ].search_count([("order_id", "in", orders.ids)]),
    }
    plan = warehouse_plan(args.warehouses)
    counts["types"] = {t: plan.count(t) for t in ("regional", "dealer", "central")}
    return orders, setup, counts


# ----------------------------------------------------------------------
# The two ways
# ----------------------------------------------------------------------
def forget_matches(env, orders):
    """Drop the stored match of ``orders`` (SQL, untimed): they match afresh.

    The addon skips rewriting a match equal to the stored one; the batched run
    must write like the first run did.
    """
    env.flush_all()
    env.cr.execute(
        SQL(
            "DELETE FROM sale_order_stock_point_candidate WHERE order_id = ANY(%s)",
            orders.ids,
        )
    )
    env.cr.execute(
        SQL(
            "UPDATE sale_order SET stock_point_warehouse_id = NULL,"
            " stock_point_mode = NULL, stock_point_explanation = NULL"
            " WHERE id = ANY(%s)",
            orders.ids,
        )
    )
    env.invalidate_all()


def match_ours(env, order, log, warm=False):
    """Match one order with the addon; (ms, queries, stock queries, Match).

    Cold: nothing in the ORM cache, as in a new request (the "match" button).
    Warm: the order, its lines, products and delivery address already read, as
    when ``sale.order`` create / write / confirm match the order they handle.
    """
    env.invalidate_all()
    if warm:
        order._stock_point_needs()
        order.partner_shipping_id.fetch(["country_id", "state_id", "city", "zip"])
        order.company_id.fetch(["stock_point_allow_dealer"])
    queries, stock = log.snapshot()
    start = time.perf_counter()
    result = order._stock_point_match()
    env.flush_all()
    env.cr.precommit.run()
    ms = (time.perf_counter() - start) * 1000.0
    after_queries, after_stock = log.snapshot()
    return ms, after_queries - queries, after_stock - stock, result[order.id]


def run_ours_one_by_one(env, orders, log):
    """Match each order alone, cold and warm, in alternating order (so that
    machine noise hits both alike); each run matches afresh."""
    timings = {
        kind: {"ms": [], "queries": [], "stock": [], "results": {}}
        for kind in ("cold", "warm")
    }
    for done, order in enumerate(orders, start=1):
        if done % ANALYZE_EVERY == 1:
            analyze(env.cr)  # as autovacuum would: the candidate table grows
        kinds = ("cold", "warm") if done % 2 else ("warm", "cold")
        for kind in kinds:
            ms, queries, stock, result = match_ours(
                env, order, log, warm=kind == "warm"
            )
            timings[kind]["ms"].append(ms)
            timings[kind]["queries"].append(queries)
            timings[kind]["stock"].append(stock)
            timings[kind]["results"][order.id] = result
            if kind == kinds[0]:
                forget_matches(env, order)
        progress("ours, one order at a time, cold and warm", done, len(orders))
    forget_matches(env, orders)
    return timings["cold"], timings["warm"]


def run_ours_batched(env, orders, log):
    """One ``_stock_point_match()`` call over all the orders."""
    analyze(env.cr)
    env.invalidate_all()
    queries, stock = log.snapshot()
    start = time.perf_counter()
    results = orders._stock_point_match()
    env.flush_all()
    env.cr.precommit.run()
    ms = (time.perf_counter() - start) * 1000.0
    after_queries, after_stock = log.snapshot()
    progress("ours, batched", len(orders), len(orders))
    return ms, after_queries - queries, after_stock - stock, results


def free_query_only(env, order):
    """The free-stock query alone for one order: (ms, free dict)."""
    env.invalidate_all()
    warehouses = env["stock.warehouse"].search(
        [("company_id", "=", order.company_id.id)]
    )
    product_ids = {n.product_id for n in order._stock_point_needs()[order.id]}
    start = time.perf_counter()
    free = env["sale.order"]._stock_point_free_qty(warehouses.ids, product_ids)
    return (time.perf_counter() - start) * 1000.0, free


def network_changes(env, orders, log):
    """A location created, then the next order matched, ``NETWORK_CHANGES``
    times: (create ms, match ms, how many creates cleared Odoo's caches)."""
    registry_class = type(env.registry)
    original = registry_class.clear_cache
    cleared = []

    def counting_clear_cache(registry, *cache_names):
        cleared.append(cache_names)
        return original(registry, *cache_names)

    warehouses = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=NETWORK_CHANGES
    )
    create_ms, match_ms, clearing = [], [], 0
    with patch.object(registry_class, "clear_cache", counting_clear_cache):
        for i, order in enumerate(orders[:NETWORK_CHANGES]):
            warehouse = warehouses[i % len(warehouses)]
            env.invalidate_all()
            before = len(cleared)
            start = time.perf_counter()
            env["stock.location"].create(
                {"name": f"Bench Change {i}", "location_id": warehouse.lot_stock_id.id}
            )
            env.flush_all()
            create_ms.append((time.perf_counter() - start) * 1000.0)
            clearing += len(cleared) > before
            ms, _queries, _stock, _result = match_ours(env, order, log)
            match_ms.append(ms)
            forget_matches(env, order)
    progress("network changes", len(create_ms), len(create_ms))
    return create_ms, match_ms, clearing


def engine_inputs(env, company):
    """Warehouses (records) and the network as engine values (the addon's read)."""
    warehouses = env["stock.warehouse"].search([("company_id", "=", company.id)])
    by_company, engine_areas = env["sale.order"]._stock_point_network(company.ids)
    return warehouses, by_company[company.id], engine_areas


def match_naive(env, order):
    """Per-warehouse ``free_qty`` by the ORM, then the engine: (ms, Match, free)."""
    stock_point = importlib.import_module(ENGINE)
    env.invalidate_all()
    start = time.perf_counter()
    company = order.company_id
    warehouses, engine_warehouses, engine_areas = engine_inputs(env, company)
    needs = order._stock_point_needs()[order.id]
    products = env["product.product"].browse([n.product_id for n in needs])
    free = {}
    for wh in warehouses:
        for product in products:
            free[wh.id, product.id] = product.with_context(warehouse_id=wh.id).free_qty
    partner = order.partner_shipping_id
    address = stock_point.Address.make(
        partner.country_id.id, partner.state_id.id, partner.city, partner.zip
    )
    result = stock_point.match(
        address,
        engine_warehouses,
        engine_areas,
        needs,
        free,
        allow_dealer=company.stock_point_allow_dealer,
    )
    return (time.perf_counter() - start) * 1000.0, result, free


def run(env, all_orders, args):
    """Time both ways; the first WARMUP orders only warm up (untimed)."""
    warmup, orders = all_orders[:WARMUP], all_orders[WARMUP:]
    out = {"free_ms": [], "naive": []}
    naive, free_ours, free_naive = {}, {}, {}
    with QueryLog(env.cr) as log:
        for order in warmup:
            match_ours(env, order, log)
        out["cold"], out["warm"] = run_ours_one_by_one(env, orders, log)
        (
            out["batched_ms"],
            out["batched_queries"],
            out["batched_stock"],
            batched,
        ) = run_ours_batched(env, orders, log)
        for order in orders:
            ms, free_ours[order.id] = free_query_only(env, order)
            out["free_ms"].append(ms)
        out["last_stock_query"] = log.last_stock
        (
            out["change_create_ms"],
            out["change_match_ms"],
            out["change_clearing"],
        ) = network_changes(env, orders, log)
    naive_orders = orders[: args.naive_orders]
    match_naive(env, warmup[0])
    try:
        for done, order in enumerate(naive_orders, start=1):
            ms, naive_result, naive_free = match_naive(env, order)
            naive[order.id], free_naive[order.id] = naive_result, naive_free
            out["naive"].append(ms)
            progress("naive", done, len(naive_orders))
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: report the orders done
        if not out["naive"]:
            raise
        print("  naive: interrupted", file=sys.stderr, flush=True)
    out["interrupted"] = len(out["naive"]) < len(naive_orders)
    ours = out["cold"]["results"]
    out["batched_mismatches"] = sum(
        1
        for oid, res in ours.items()
        if batched[oid].warehouse_id != res.warehouse_id
        or out["warm"]["results"][oid].warehouse_id != res.warehouse_id
    )
    return out, ours, naive, free_ours, free_naive


def compare(ours, naive, free_ours, free_naive):
    """Differences between both ways, on the orders timed the naive way."""
    diff = {"warehouse": 0, "sourcing": 0, "free pairs": 0, "examples": []}
    for oid, res in naive.items():
        mine = ours[oid]
        if mine.warehouse_id != res.warehouse_id:
            diff["warehouse"] += 1
            diff["examples"].append(
                f"order {oid}: ours warehouse {mine.warehouse_id} ({mine.mode}), "
                f"naive {res.warehouse_id} ({res.mode})"
            )
        if (mine.mode, mine.sourcing) != (res.mode, res.sourcing):
            diff["sourcing"] += 1
        for key, qty in free_naive[oid].items():
            if abs(qty - free_ours[oid].get(key, 0.0)) > QTY_EPSILON:
                diff["free pairs"] += 1
                if len(diff["examples"]) < 10:
                    diff["examples"].append(
                        f"order {oid}: (warehouse, product) {key}: naive free_qty "
                        f"{qty}, ours {free_ours[oid].get(key, 0.0)}"
                    )
    return diff


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def report_setup(args, setup, counts):
    types = counts["types"]
    print(f"\nStock-point matching, database {args.database}")
    print(
        f"data: {counts['warehouses']} warehouses of the company "
        f"({counts['bench warehouses']} created: {types['regional']} regional, "
        f"{types['dealer']} dealer, {types['central']} central; "
        f"{counts['areas']} coverage areas; {counts['sub-locations']} sub-locations), "
        f"{counts['products']} products, {counts['quants']:,} quants inserted "
        f"({counts['quants in db']:,} in the database), {counts['customers']} "
        f"customers, {counts['orders']} orders ({counts['lines']} lines); "
        f"candidate rows after creating the orders: "
        f"{counts['candidates after creation']}"
    )
    print("setup (untimed by the benchmark):")
    for label, seconds in setup.items():
        print(f"  {label:<44}{seconds:>9.1f} s")
    per_wh = setup["warehouses (ORM, one create)"] / counts["bench warehouses"]
    print(f"  {'  per warehouse':<44}{per_wh * 1000:>9.0f} ms")


def report_timings(args, out):
    n, n_naive = args.orders, len(out["naive"])
    head = f"{'ms per order':<50}{'mean':>9}{'p50':>9}{'p95':>9}{'max':>9}"
    print(f"\n{head}{'SQL/order':>11}{'quant SQL':>11}")
    rows = [
        (f"ours, one order at a time, cold cache ({n})", out["cold"]),
        (f"ours, one order at a time, warm order ({n})", out["warm"]),
        (f"ours, free-stock read only ({n})", {"ms": out["free_ms"]}),
        (f"naive, per-warehouse free_qty, cold ({n_naive})", {"ms": out["naive"]}),
    ]
    for label, timings in rows:
        values = timings["ms"]
        mean, p50, p95_ms = summary(values)
        line = f"{label:<50}{mean:>9.2f}{p50:>9.2f}{p95_ms:>9.2f}{max(values):>9.2f}"
        if "queries" in timings:
            queries = statistics.fmean(timings["queries"])
            line += f"{queries:>11.1f}{statistics.fmean(timings['stock']):>11.2f}"
        print(line)
    batched = out["batched_ms"] / n
    print(
        f"{f'ours, batched: {n} orders in one call':<50}{batched:>9.2f}"
        f"{'':>27}{out['batched_queries'] / n:>11.2f}"
        f"{out['batched_stock'] / n:>11.3f}"
    )
    cold = out["cold"]
    print(
        f"  SQL queries per order (cold, one at a time): min {min(cold['queries'])}, "
        f"max {max(cold['queries'])}; reading stock_quant: min {min(cold['stock'])}, "
        f"max {max(cold['stock'])}; batched call: {out['batched_queries']} queries, "
        f"{out['batched_stock']} reading stock_quant, for {n} orders"
    )
    naive_stats = summary(out["naive"])
    ratios = {}
    for kind in ("cold", "warm"):
        ours_same = summary(out[kind]["ms"][:n_naive])
        ratios[kind] = (naive_stats[0] / ours_same[0], naive_stats[1] / ours_same[1])
    interrupted = " (naive run interrupted)" if out["interrupted"] else ""
    changes = len(out["change_create_ms"])
    create = summary(out["change_create_ms"])
    after = summary(out["change_match_ms"])
    same = summary(out["cold"]["ms"][:changes])
    print(
        f"network change ({changes} times): a location created {create[0]:.1f} ms "
        f"mean (p50 {create[1]:.1f}); it cleared Odoo's registry caches "
        f"{out['change_clearing']} times of {changes}; the next match, cold: "
        f"mean {after[0]:.2f} ms, p50 {after[1]:.2f} (the same orders without a "
        f"change before: mean {same[0]:.2f}, p50 {same[1]:.2f})"
    )
    print(
        f"ratio naive / ours, same {n_naive} orders: mean {ratios['cold'][0]:.1f}x, "
        f"p50 {ratios['cold'][1]:.1f}x (cold vs cold); mean "
        f"{ratios['warm'][0]:.1f}x, p50 {ratios['warm'][1]:.1f}x (ours warm)"
        f"{interrupted}"
    )
    return ratios


def report(args, setup, counts, out, ours, diff):
    report_setup(args, setup, counts)
    ratios = report_timings(args, out)
    n_naive = len(out["naive"])
    modes = {}
    for res in ours.values():
        modes[res.mode] = modes.get(res.mode, 0) + 1
    print(
        "sourcing of the orders (ours): "
        + ", ".join(f"{mode} {nb}" for mode, nb in sorted(modes.items()))
    )
    print(
        f"same decision, ours vs naive ({n_naive} orders): warehouse mismatches "
        f"{diff['warehouse']}, mode/sourcing mismatches {diff['sourcing']}, "
        f"(warehouse, product) free quantities that differ {diff['free pairs']}; "
        f"batched or warm vs cold one at a time: {out['batched_mismatches']} "
        "mismatches"
    )
    for example in diff["examples"][:10]:
        print(f"  {example}")
    cold_p95, warm_p95 = summary(out["cold"]["ms"])[2], summary(out["warm"]["ms"])[2]
    verdict = "met" if cold_p95 <= TARGET_P95_MS else "NOT met"
    print(f"target p95 <= {TARGET_P95_MS:g} ms: {verdict} (cold cache, {cold_p95:.1f})")
    verdict = "met" if warm_p95 <= TARGET_P95_MS else "NOT met"
    print(f"  (warm order: {verdict}, {warm_p95:.1f})")
    verdict = "met" if ratios["cold"][0] >= TARGET_RATIO else "NOT met"
    print(
        f"target >= {TARGET_RATIO:g}x faster than naive: {verdict} "
        f"(mean, cold vs cold, {ratios['cold'][0]:.1f}x)"
    )
    naive_mean, _naive_p50, naive_p95 = summary(out["naive"])
    ours_mean = summary(out["cold"]["ms"][:n_naive])[0]
    return {
        "stock_point_p95_ms": figure(
            cold_p95,
            f"p95 <= {TARGET_P95_MS:g} ms",
            "ms/order",
            cold_p95 <= TARGET_P95_MS,
            baseline=naive_p95,
            ratio=naive_p95 / cold_p95 if cold_p95 else None,
            label="stock-point match p95, cold (baseline: naive free_qty)",
        ),
        "stock_point_speedup": figure(
            ours_mean,
            f"ratio >= {TARGET_RATIO:g}",
            "ms/order",
            ratios["cold"][0] >= TARGET_RATIO,
            baseline=naive_mean,
            ratio=ratios["cold"][0],
            label="stock-point match mean, cold (baseline: naive free_qty)",
        ),
        "stock_point_network_change_ms": figure(
            summary(out["change_create_ms"])[0] + summary(out["change_match_ms"])[0],
            "0 cache clears",
            "ms",
            out["change_clearing"] == 0,
            label=(
                "stock-point network change: location created + next match "
                f"(registry caches cleared {out['change_clearing']} times)"
            ),
        ),
    }


def explain(env, query):
    """EXPLAIN ANALYZE of a captured stock_quant query."""
    if query is None:
        return
    code, params = (query.code, query.params) if isinstance(query, SQL) else query
    env.cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + code, params)
    print("\nEXPLAIN ANALYZE of the free-stock query (last order):")
    for (line,) in env.cr.fetchall():
        print(f"  {line}")


def profile(env, orders):
    """cProfile of ours matching up to PROFILE_ORDERS orders, one at a time."""
    orders = orders[:PROFILE_ORDERS]
    forget_matches(env, orders)
    profiler = cProfile.Profile()
    for order in orders:
        env.invalidate_all()
        profiler.enable()
        order._stock_point_match()
        env.flush_all()
        profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).sort_stats(PROFILE_SORT)
    stats.print_stats(35)
    print(f"\ncProfile of ours, {len(orders)} orders one at a time:")
    print(stream.getvalue())
    # the same orders again, timing each query by its text (without the profiler)
    forget_matches(env, orders)
    per_query = {}
    execute = env.cr.execute

    def timed_execute(query, params=None, log_exceptions=True):
        code = query.code if isinstance(query, SQL) else str(query)
        key = " ".join(code.split())[:90]
        start = time.perf_counter()
        try:
            return execute(query, params, log_exceptions)
        finally:
            count, total = per_query.get(key, (0, 0.0))
            per_query[key] = (count + 1, total + time.perf_counter() - start)

    env.cr.execute = timed_execute
    try:
        for order in orders:
            env.invalidate_all()
            order._stock_point_match()
            env.flush_all()
    finally:
        del env.cr.execute
    print(f"SQL time per query text, {len(orders)} orders one at a time:")
    print("   count   ms/order  query")
    for key, (count, total) in sorted(per_query.items(), key=lambda kv: -kv[1][1]):
        print(f"  {count:6d} {total * 1000.0 / len(orders):10.2f}  {key}")


def on_sigterm(signum, frame):
    """SIGTERM stops the naive run like Ctrl-C: what was timed is reported."""
    raise KeyboardInterrupt


def main():
    args, odoo_args = parse_args()
    with bench_env(
        args.database, args.addons_path, odoo_args, "stock.warehouse.service.area"
    ) as env:
        setup_env = env(
            context=dict(env.context, tracking_disable=True, mail_create_nolog=True)
        )
        signal.signal(signal.SIGTERM, on_sigterm)  # after Odoo set up its own
        orders, setup, counts = build(setup_env, args)
        orders = orders.with_env(env)  # timed without the setup's context
        out, ours, naive, free_ours, free_naive = run(env, orders, args)
        diff = compare(ours, naive, free_ours, free_naive)
        figures = report(args, setup, counts, out, ours, diff)
        write_json(args.json, figures)
        if args.explain:
            explain(env, out["last_stock_query"])
        if args.profile:
            profile(env, orders[WARMUP:])
        return 0 if not (diff["warehouse"] or out["batched_mismatches"]) else 1


if __name__ == "__main__":
    run_main(main)
