# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cost of fieldservice_install on sale order confirmation.

Confirms N sale orders of 3 storable lines, one of them with a product to
install (each one creates an installation fsm.order), and N identical orders
whose installable product is replaced by a plain storable one (the sale_stock
path; with the suite installed both kinds also go through stock-point
matching), in one run on one database. Prints the milliseconds per
order of both, and the ratio with / without. Target: ratio <= 1.25.

Each ``action_confirm()`` is timed alone, including the flush of the deferred
writes and the pre-commit hooks (tracking). The two kinds are interleaved so
that machine noise hits both alike. Everything runs in one transaction that
is rolled back: no data is left behind (PostgreSQL sequences and planner
statistics are not transactional).

The tables the run fills are ANALYZEd (untimed) during the warm-up and every
``ANALYZE_EVERY`` pairs of orders, as autovacuum would on a live database:
with statistics saying "empty", PostgreSQL picks nested-loop plans for the
stock queries whose cost grows with the cube of N.

Run it on a database where fieldservice_install is installed::

    python3 bench/bench_confirm_install.py --database DB [--orders 200]
        [--json PATH] [--addons-path PATH] [other odoo options, e.g. --db_host ...]

Exit code: 0 when the run is correct, 1 when an order did not get the
expected installation orders, 2 when the database cannot be used.
"""

import argparse
import math
import statistics
import time

from benchlib import REPO, bench_env, figure, run_main, write_json

import odoo
from odoo.tools import SQL

TARGET = 1.25
WARMUP = 5
ANALYZE_EVERY = 20
QUANTITIES = (1.0, 2.0, 3.0)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--orders", type=int, default=200, help="orders of each kind")
    parser.add_argument("--addons-path", default=str(REPO))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args, odoo_args = parser.parse_known_args()
    if args.orders < 1:
        parser.error("--orders must be at least 1")
    return args, odoo_args


def setup_data(env, count):
    """Customer, products A (installable) B C D, stock, and the draft orders."""
    company = env.company
    partner = env["res.partner"].create(
        {
            "name": "Bench Install Customer",
            "street": "1 Bench Street",
            "city": "Benchville",
            "zip": "1000",
            "country_id": company.country_id.id,
        }
    )
    common = {"type": "consu", "is_storable": True, "list_price": 100.0}
    product_a, product_b, product_c, product_d = env["product.product"].create(
        [
            dict(
                common,
                name="Bench A (install)",
                install_required=True,
                install_duration=1.0,
            ),
            dict(common, name="Bench B"),
            dict(common, name="Bench C"),
            dict(common, name="Bench D (no install)"),
        ]
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], order="id", limit=1
    )
    stock_qty = 10 * (count + WARMUP) * max(QUANTITIES)
    for product in (product_a, product_b, product_c, product_d):
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, stock_qty
        )

    def orders(first_product):
        products = (first_product, product_b, product_c)
        return env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        odoo.Command.create(
                            {
                                "product_id": p.id,
                                "product_uom_qty": qty,
                                "price_unit": 100.0,
                            }
                        )
                        for p, qty in zip(products, QUANTITIES, strict=True)
                    ],
                }
                for _i in range(count + WARMUP)
            ]
        )

    with_install, without_install = orders(product_a), orders(product_d)
    env.flush_all()
    return with_install, without_install


def analyze(cr):
    """Refresh the planner statistics of the tables this transaction changed."""
    cr.execute(
        "SELECT relid::regclass::text FROM pg_stat_xact_user_tables"
        " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
    )
    tables = [SQL(name) for (name,) in cr.fetchall()]
    if tables:
        cr.execute(SQL("ANALYZE %s", SQL(", ").join(tables)))


def confirm(env, order):
    """Confirm one order; return (milliseconds, SQL queries) including the flush."""
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    order.action_confirm()
    env.flush_all()
    cr.precommit.run()  # deferred tracking values, as at commit time
    elapsed = (time.perf_counter() - start) * 1000.0
    return elapsed, cr.sql_log_count - queries


def run(env, count):
    with_orders, without_orders = setup_data(env, count)
    for i in range(WARMUP):
        if i == 1:
            analyze(env.cr)
        confirm(env, with_orders[i])
        confirm(env, without_orders[i])
    timings = {"with": [], "without": []}
    queries = {"with": [], "without": []}
    for i in range(WARMUP, WARMUP + count):
        if (i - WARMUP) % ANALYZE_EVERY == 0:
            analyze(env.cr)
        pair = [("with", with_orders[i]), ("without", without_orders[i])]
        if i % 2:
            pair.reverse()  # neither kind always runs first
        for kind, order in pair:
            ms, nb = confirm(env, order)
            timings[kind].append(ms)
            queries[kind].append(nb)
    return with_orders, without_orders, timings, queries


def check(env, with_orders, without_orders):
    """Number of "with" orders with exactly one installation order, and of
    "without" orders with any."""
    groups = env["fsm.order"]._read_group(
        [
            ("is_installation", "=", True),
            ("sale_id", "in", (with_orders | without_orders).ids),
        ],
        groupby=["sale_id"],
        aggregates=["__count"],
    )
    per_sale = {sale.id: nb for sale, nb in groups}
    good_with = sum(1 for so in with_orders if per_sale.get(so.id) == 1)
    bad_without = sum(1 for so in without_orders if per_sale.get(so.id))
    return good_with, bad_without


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def report(dbname, count, timings, queries):
    stats = {
        kind: (
            statistics.fmean(ms),
            statistics.median(ms),
            p95(ms),
            statistics.fmean(queries[kind]),
        )
        for kind, ms in timings.items()
    }
    labels = {
        "with": "with installation (fieldservice_install)",
        "without": "without installable product (sale_stock path)",
    }
    print(
        f"\nConfirm sale orders (3 storable lines), database {dbname}, "
        f"N = {count} orders of each kind"
    )
    print(f"{'ms per order':<52}{'mean':>9}{'p50':>9}{'p95':>9}{'SQL/order':>11}")
    for kind, label in labels.items():
        mean, p50, p95_ms, nb = stats[kind]
        print(f"{label:<52}{mean:>9.2f}{p50:>9.2f}{p95_ms:>9.2f}{nb:>11.1f}")
    ratio = stats["with"][0] / stats["without"][0]
    ratio_p50 = stats["with"][1] / stats["without"][1]
    print(f"{'ratio with / without':<52}{ratio:>9.2f}{ratio_p50:>9.2f}")
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"target ratio <= {TARGET} (mean): {verdict}")
    return {
        "confirm_install_ms_per_order": figure(
            stats["with"][0],
            f"ratio <= {TARGET}",
            "ms/order",
            ratio <= TARGET,
            baseline=stats["without"][0],
            ratio=ratio,
            label="confirm SO with installation (mean; baseline: sale_stock)",
        )
    }


def main():
    args, odoo_args = parse_args()
    with bench_env(
        args.database, args.addons_path, odoo_args, "fsm.install.line"
    ) as env:
        with_orders, without_orders, timings, queries = run(env, args.orders)
        figures = report(args.database, args.orders, timings, queries)
        good_with, bad_without = check(env, with_orders, without_orders)
        total = args.orders + WARMUP
        ok = good_with == total and bad_without == 0
        print(
            f"check: {good_with}/{total} orders with installation have exactly one "
            f"installation order, {bad_without}/{total} without have any: "
            f"{'OK' if ok else 'FAILED'}"
        )
        write_json(args.json, figures)
        return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
