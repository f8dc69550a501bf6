# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Warranty codes at production scale: batch generation, signing, public page.

The verification endpoint is measured over real HTTP by a separate Odoo
server process, which only sees committed rows; so this benchmark does NOT
work in a rolled-back transaction like the others. It copies the given
database into a scratch database (``createdb -T``: the source must have no
open connection), works and commits there, and drops the scratch database at
the end (``--keep`` keeps it). The given database is never written.

In the scratch database, in one process:

1. ORM path (Odoo's own), the baseline: a sample of S units
   (``--orm-sample``, 2,000), one unit at a time as units come one by one:
   its ``stock.lot`` through ``create()`` (Odoo's and every module's logic
   on lots runs), its code signed and its ``warranty.code`` through
   ``create()``. Then, for reference, S units with both ``create()`` calls
   batched (vals lists: the ORM's best case). Rolled back.
2. Ours, end to end: one batch of N codes (``--codes``, 1,000,000) created,
   checked and generated chunk after chunk by
   ``warranty.code.batch._generate_codes`` — the function each queue job
   calls — with a commit after each chunk, as the jobs do. Generation
   writes the codes with their serial numbers into the addon's own table;
   the units' ``stock.lot`` rows are made later by the ORM, when each unit
   is received, produced, registered or claimed. Prints seconds, units per
   second and the ratio to the one-at-a-time ORM path (targets: >= 50x, and
   1,000,000 codes in <= 180 s, i.e. >= 5,556 units/s).
3. Signer: ``signer.verify`` on up to 200,000 of the codes, in-process:
   codes per second (target >= 100,000/s).
4. Endpoint: starts ``odoo`` on 127.0.0.1 (free port, threaded, no cron)
   for the scratch database only (``-d`` without ``--db-filter``: a
   single-database server, which does not list the databases on every
   cookieless request), with the N codes committed and ANALYZEd, and times R
   (``--requests``, 1,000) ``GET /warranty/verify/<code>?format=json`` of
   random codes, one after the other from this process, after 50 warm-up
   requests; the time is the client's (connection, request, answer). Each
   request carries a different client address (``X-Forwarded-For``; the
   server runs in proxy mode) so that the per-IP rate limit and the scan log
   work as in production and no request is refused. Prints p50 / p95 / max
   milliseconds (target p95 <= 30 ms) and checks every answer is the right
   code. The server process is stopped at the end.

Run it on a database where warranty_claims is installed::

    python3 bench/bench_warranty_codes.py --database DB [--codes 1000000]
        [--orm-sample 2000] [--requests 1000] [--keep] [--http-port PORT]
        [--json PATH]
        [--addons-path PATH] [other odoo options, e.g. --db_host ...]

Exit code: 0 when the run is correct (all codes written and verified, no
``stock.lot`` written by the generation, every HTTP answer right), 1
otherwise, 2 when the database cannot be used.
"""

import argparse
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import time

import requests
from benchlib import (
    REPO,
    UnusableDatabase,
    bench_env,
    figure,
    run_main,
    write_json,
)

from odoo.sql_db import close_db
from odoo.tools import SQL

GEN_TARGET = 50.0
END_TO_END_TARGET = 1_000_000 / 180.0  # units/s: a million in three minutes
SIGN_TARGET = 100_000
P95_TARGET_MS = 30.0
WARMUP_REQUESTS = 50
SIGN_SAMPLE = 200_000
GTIN = "6970000000000"  # valid GS1 check digit, prefix 697 (China)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--codes", type=int, default=1_000_000)
    parser.add_argument("--orm-sample", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch db")
    parser.add_argument("--addons-path", default=str(REPO))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument(
        "--http-port", type=int, default=0, help="server port (default: a free one)"
    )
    args, odoo_args = parser.parse_known_args()
    if args.codes < 1 or args.orm_sample < 1 or args.requests < 1:
        parser.error("--codes, --orm-sample and --requests must be at least 1")
    return args, odoo_args


def copy_database(source, scratch):
    subprocess.run(["dropdb", "--if-exists", scratch], check=True)
    done = subprocess.run(
        ["createdb", "-T", source, scratch],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise UnusableDatabase(f"cannot copy {source!r}: {done.stderr.strip()}")


def setup_product(env):
    product = env["product.product"].create(
        {
            "name": "Bench Heat Pump",
            "is_storable": True,
            "tracking": "serial",
            "barcode": GTIN,
        }
    )
    env.company.website = "https://brand.example.cn"
    # the signing secret is created on first use: create it here, committed,
    # so that the rolled-back ORM path cannot leave a cached secret that
    # exists in no table (the server would then reject every code)
    env["warranty.code"]._company_secret(env.company)
    return product


def orm_one_by_one(env, product, count):
    """Seconds to make ``count`` units one at a time: the unit's lot, then its
    signed code, one ``create()`` each."""
    from odoo.addons.fieldservice_install.tools.server_owned import (
        server_owned_writes,
    )

    codes_model = env["warranty.code"]
    lots_model = env["stock.lot"]
    env.flush_all()
    start = time.perf_counter()
    with server_owned_writes():
        for i in range(count):
            name = f"ONE-{i:07d}"
            lot = lots_model.create({"name": name, "product_id": product.id})
            (code,) = codes_model._sign_new(env.company, 1)
            codes_model.create(
                {
                    "code": code,
                    "serial": name,
                    "lot_id": lot.id,
                    "product_id": product.id,
                }
            )
    env.flush_all()
    return time.perf_counter() - start


def orm_batched(env, product, count):
    """Seconds to make ``count`` units with batched ``create()`` calls (the
    ORM's best case, for reference)."""
    from odoo.addons.fieldservice_install.tools.server_owned import (
        server_owned_writes,
    )

    codes_model = env["warranty.code"]
    env.flush_all()
    start = time.perf_counter()
    names = [f"ORM-{i:07d}" for i in range(count)]
    codes = codes_model._sign_new(env.company, count)
    lots = env["stock.lot"].create(
        [{"name": name, "product_id": product.id} for name in names]
    )
    with server_owned_writes():
        codes_model.create(
            [
                {
                    "code": code,
                    "serial": lot.name,
                    "lot_id": lot.id,
                    "product_id": product.id,
                }
                for code, lot in zip(codes, lots, strict=True)
            ]
        )
    env.flush_all()
    return time.perf_counter() - start


def our_path(env, product, count):
    """Seconds to generate a batch of ``count`` units end to end: the batch
    created and checked, then chunk after chunk, each committed (what the
    queue jobs do); the batch."""
    from odoo.addons.fieldservice_install.tools.server_owned import (
        server_owned_writes,
    )

    env.flush_all()
    start = time.perf_counter()
    batch = env["warranty.code.batch"].create(
        {"product_id": product.id, "quantity": count, "lot_prefix": "B26-"}
    )
    batch._check_generation()
    with server_owned_writes():
        batch.state = "running"
    env.cr.commit()
    while batch.generated_count < batch.quantity:
        batch._generate_codes(
            min(batch._generate_chunk_size, batch.quantity - batch.generated_count)
        )
        env.cr.commit()
    elapsed = time.perf_counter() - start
    return batch, elapsed


def sign_rate(env, batch):
    from odoo.addons.warranty_claims.engine import signer

    env.cr.execute(
        SQL(
            "SELECT code FROM warranty_code WHERE batch_id = %s LIMIT %s",
            batch.id,
            SIGN_SAMPLE,
        )
    )
    codes = [code for (code,) in env.cr.fetchall()]
    secret = env["warranty.code"]._company_secret(batch.company_id)
    start = time.perf_counter()
    verify = signer.verify
    for code in codes:
        verify(secret, code)
    return len(codes), len(codes) / (time.perf_counter() - start)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(scratch, addons_path, odoo_args, port):
    command = [
        sys.executable,
        "-m",
        "odoo",
        "server",
        "--addons-path",
        addons_path,
        "-d",
        scratch,
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(port),
        "--workers",
        "0",
        "--max-cron-threads",
        "0",
        "--proxy-mode",
        "--log-level",
        "warn",
        *odoo_args,
    ]
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise UnusableDatabase("the Odoo server stopped at start")
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    server.terminate()
    raise UnusableDatabase("the Odoo server did not answer within 3 minutes")


def endpoint_latency(port, codes):
    """Milliseconds per request, and the number of wrong answers."""
    session = requests.Session()
    rng = random.Random(19)
    timings, wrong = [], 0
    for i, code in enumerate(codes):
        ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        headers = {"X-Forwarded-For": ip, "X-Forwarded-Host": f"127.0.0.1:{port}"}
        start = time.perf_counter()
        response = session.get(
            f"http://127.0.0.1:{port}/warranty/verify/{code}",
            params={"format": "json"},
            headers=headers,
            timeout=30,
        )
        elapsed = (time.perf_counter() - start) * 1000.0
        ok = response.status_code == 200 and response.json().get("code") == code
        if i >= WARMUP_REQUESTS:
            timings.append(elapsed)
            wrong += not ok
        elif not ok:
            wrong += 1
    return timings, wrong


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main():
    args, odoo_args = parse_args()
    scratch = f"{args.database}_bench_codes"
    copy_database(args.database, scratch)
    server = None
    try:
        with bench_env(
            scratch, args.addons_path, odoo_args, "warranty.code.batch"
        ) as env:
            product = setup_product(env)
            env.cr.commit()

            one_seconds = orm_one_by_one(env, product, args.orm_sample)
            batched_seconds = orm_batched(env, product, args.orm_sample)
            env.cr.rollback()
            env.invalidate_all()

            batch, our_seconds = our_path(env, product, args.codes)
            env.cr.execute("ANALYZE warranty_code, stock_lot, warranty_code_scan")
            env.cr.commit()
            written = env["warranty.code"].search_count([("batch_id", "=", batch.id)])
            # generation writes no row of Odoo's tables
            lots_written = env["stock.lot"].search_count(
                [("product_id", "=", product.id)]
            )

            sampled, per_second = sign_rate(env, batch)
            env.cr.execute(
                SQL(
                    """SELECT code FROM warranty_code WHERE batch_id = %s
                        ORDER BY random() LIMIT %s""",
                    batch.id,
                    args.requests + WARMUP_REQUESTS,
                )
            )
            sample_codes = [code for (code,) in env.cr.fetchall()]
            total = env["warranty.code"].search_count([])

        port = args.http_port or free_port()
        server = start_server(scratch, args.addons_path, odoo_args, port)
        timings, wrong = endpoint_latency(port, sample_codes)
    finally:
        if server:
            server.terminate()
            server.wait(30)
        close_db(scratch)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", scratch], check=False)

    one_rate = args.orm_sample / one_seconds
    batched_rate = args.orm_sample / batched_seconds
    our_rate = args.codes / our_seconds
    ratio = our_rate / one_rate
    chunk = env["warranty.code.batch"]._generate_chunk_size
    print(f"\nWarranty codes, scratch copy of {args.database}, N = {args.codes:,}")
    print(
        f"ORM create one unit at a time (stock.lot + signed warranty.code), "
        f"{args.orm_sample:,} units: {one_seconds:.2f} s, {one_rate:,.0f} units/s "
        "(baseline)"
    )
    print(
        f"ORM create batched (vals lists), {args.orm_sample:,} units: "
        f"{batched_seconds:.2f} s, {batched_rate:,.0f} units/s (reference)"
    )
    print(
        f"batch generation end to end (codes into our table by set-based SQL, "
        f"chunks of {chunk:,}, each committed; no stock.lot): {our_seconds:.2f} s, "
        f"{our_rate:,.0f} units/s"
    )
    print(
        f"ratio ours / ORM one at a time: {ratio:.1f}x (target >= {GEN_TARGET:.0f}x: "
        f"{'met' if ratio >= GEN_TARGET else 'NOT met'})"
    )
    print(f"ratio ours / ORM batched: {our_rate / batched_rate:.1f}x (reference)")
    print(
        f"1,000,000 codes at this rate: {1_000_000 / our_rate:.0f} s (target <= 180 s: "
        f"{'met' if our_rate >= END_TO_END_TARGET else 'NOT met'})"
    )
    print(
        f"signer.verify in-process, {sampled:,} codes: {per_second:,.0f} codes/s "
        f"(target >= {SIGN_TARGET:,}: "
        f"{'met' if per_second >= SIGN_TARGET else 'NOT met'})"
    )
    print(
        f"GET /warranty/verify/<code>?format=json, {len(timings):,} requests, "
        f"{total:,} codes in the table: p50 {statistics.median(timings):.2f} ms, "
        f"p95 {p95(timings):.2f} ms, max {max(timings):.2f} ms "
        f"(target p95 <= {P95_TARGET_MS:.0f} ms: "
        f"{'met' if p95(timings) <= P95_TARGET_MS else 'NOT met'})"
    )
    ok = written == args.codes and wrong == 0 and lots_written == 0
    p95_ms = p95(timings)
    write_json(
        args.json,
        {
            "codes_generation_rate": figure(
                our_rate,
                f"ratio >= {GEN_TARGET:g}",
                "units/s",
                ratio >= GEN_TARGET,
                baseline=one_rate,
                ratio=ratio,
                label=f"warranty codes generated ({args.codes:,}; baseline: ORM "
                "create per unit)",
            ),
            "codes_generation_seconds": figure(
                our_seconds,
                f">= {END_TO_END_TARGET:,.0f} units/s (1,000,000 in <= 180 s)",
                "s",
                our_rate >= END_TO_END_TARGET,
                label=f"warranty codes end to end ({args.codes:,})",
            ),
            "codes_verify_rate": figure(
                per_second,
                f">= {SIGN_TARGET:,}/s",
                "codes/s",
                per_second >= SIGN_TARGET,
                label="signer.verify in-process",
            ),
            "codes_endpoint_p95_ms": figure(
                p95_ms,
                f"p95 <= {P95_TARGET_MS:g} ms",
                "ms",
                p95_ms <= P95_TARGET_MS,
                label=f"verify endpoint, sequential, {total:,} codes in table",
            ),
        },
    )
    print(
        f"check: {written:,}/{args.codes:,} codes written, {lots_written} stock.lot "
        f"written by the generation, {wrong} wrong HTTP answers: "
        f"{'OK' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PGAPPNAME", "bench_warranty_codes")
    run_main(main)
