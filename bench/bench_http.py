# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""HTTP load on the public warranty verification and the technician job list.

Starts Odoo on the database with prefork workers (``--workers 2
--max-cron-threads 0``, 127.0.0.1 only, ``-d`` without ``--db-filter``: a
single-database server), waits until it answers, then drives it with ``wrk``
(bounded: ``--duration`` seconds, ``--connections`` connections; each load
is preceded by a short unmeasured warm-up that makes every worker load the
registry) on:

1. the baseline, Odoo's own ``POST /web/webclient/version_info`` (JSON-RPC):
   the lightest route through the same dispatch on this database (routing,
   registry, cursor, JSON in and out) and no application query; its
   requests/s is the ceiling of any route on this server, so the ratio
   verify / baseline tells what verification itself costs;
2. ``GET /warranty/verify/<code>?format=json``, rotating over ``--codes``
   codes of one generated batch (``warranty.code.batch`` generation, made
   once and kept in the database for the next runs). The per-IP rate limit
   (``warranty_claims.verify_rate_limit``) is switched off for the load, as
   every request comes from 127.0.0.1, and restored at the end; the scans the
   load logs are deleted at the end;
3. the technician portal job list ``--portal-path`` (``/my/jobs``), when the
   route exists: a portal user linked to a technician (``fsm.person``) with
   ``--portal-jobs`` orders assigned logs in through ``/web/login``, and its
   session cookie goes to ``wrk``; its baseline is Odoo's own portal home
   ``/my/home`` with the same session (same authentication and layout).
   When the route answers 404 the step is skipped with a message.

Prints requests/s, p50 / p95 / p99 latency (``wrk``'s own histogram, from a
Lua ``done`` hook) and the error rate (socket errors plus answers other than
2xx/3xx, over the requests) of each; target: no error. The server is
stopped at the end whatever happens (its whole process group).

This benchmark commits to the database (the codes batch, the portal user and
its orders, all named "Bench HTTP ..."); run it on a bench database::

    python3 bench/bench_http.py --database DB [--duration 20]
        [--connections 8] [--threads 2] [--codes 20000] [--workers 2]
        [--http-port PORT] [--portal-path /my/jobs] [--json PATH]
        [--addons-path PATH] [other odoo options, e.g. --db_host ...]

Exit code: 0 when every load ran without error, 1 otherwise, 2 when the
database cannot be used or the server does not start.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from benchlib import REPO, UnusableDatabase, figure, run_main, write_json

import odoo
from odoo.modules.registry import Registry
from odoo.sql_db import close_db
from odoo.tools import SQL, config

RATE_PARAM = "warranty_claims.verify_rate_limit"
GTIN = "6970000000017"  # valid GS1 check digit; not the one bench_warranty_codes uses
PRODUCT_NAME = "Bench HTTP Heat Pump"
LOT_PREFIX = "BH"  # + the quantity: one batch per size
PORTAL_LOGIN = "bench_http_technician"
PORTAL_PASSWORD = "bench-http-technician-2026"  # a bench user, bench database
WARMUP_SECONDS = 3
LUA = r"""
-- rotates the request paths of BENCH_PATHS (one a line), a different start
-- per thread; counts the answers that are not 2xx/3xx and those whose body
-- ends with the connection (no Content-Length: wrk counts a read error for
-- each of them although the answer is complete); prints wrk's figures as
-- JSON at the end
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local counter = 1
local threads = {}
bad = 0
eof = 0

function setup(thread)
  thread:set("first", #threads * 7919)
  threads[#threads + 1] = thread
end

function init(args)
  counter = first or 0
  if body then wrk.headers["Content-Type"] = "application/json" end
end

function request()
  counter = counter + 1
  return wrk.format(method, paths[counter % #paths + 1], nil, body)
end

function response(status, headers, body)
  if status < 200 or status >= 400 then bad = bad + 1 end
  if not headers["Content-Length"] then eof = eof + 1 end
end

function done(summary, latency, requests)
  local e = summary.errors
  local all_bad, all_eof = 0, 0
  for _, thread in ipairs(threads) do
    all_bad = all_bad + thread:get("bad")
    all_eof = all_eof + thread:get("eof")
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"bad": %d, "eof": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, all_bad, all_eof,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--duration", type=int, default=20, help="seconds per load")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--codes", type=int, default=20000, help="codes rotated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--http-port", type=int, default=0)
    parser.add_argument("--portal-path", default="/my/jobs")
    parser.add_argument("--portal-jobs", type=int, default=30)
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    parser.add_argument("--addons-path", default=str(REPO))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args, odoo_args = parser.parse_known_args()
    if min(args.duration, args.connections, args.threads, args.codes) < 1:
        parser.error("--duration, --connections, --threads, --codes must be >= 1")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    return args, odoo_args


# ----------------------------------------------------------------------
# Data (committed)
# ----------------------------------------------------------------------
@contextmanager
def committed_env(database):
    """A superuser environment whose work is committed at the end."""
    try:
        registry = Registry(database)
    except Exception as exc:
        raise UnusableDatabase(f"cannot open database {database!r}: {exc}") from exc
    with registry.cursor() as cr:  # commits on success, rolls back on error
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if "warranty.code.batch" not in env:
            raise UnusableDatabase(
                f"warranty_claims is not installed in database {database!r}"
            )
        yield env(context=dict(env["res.users"].context_get(), tracking_disable=True))


def verify_codes(env, count):
    """``count`` codes of a bench batch, generated once (kept for next runs)."""
    product = env["product.product"].search([("barcode", "=", GTIN)], limit=1)
    batch = env["warranty.code.batch"].search(
        [
            ("product_id", "=", product.id),
            ("state", "=", "done"),
            ("quantity", ">=", count),
        ],
        order="quantity",
        limit=1,
    )
    if not batch:
        if not product:
            product = env["product.product"].create(
                {
                    "name": PRODUCT_NAME,
                    "is_storable": True,
                    "tracking": "serial",
                    "barcode": GTIN,
                }
            )
        if not env.company.website:
            env.company.website = "https://brand.example.cn"
        start = time.perf_counter()
        batch = env["warranty.code.batch"].create(
            {
                "product_id": product.id,
                "quantity": count,
                "lot_prefix": f"{LOT_PREFIX}{count}-",
            }
        )
        batch._run_generation()
        env.flush_all()
        env.cr.execute("ANALYZE warranty_code, stock_lot")
        print(
            f"  generated {count:,} codes for the load in "
            f"{time.perf_counter() - start:.1f} s (kept for the next runs)",
            file=sys.stderr,
            flush=True,
        )
    env.cr.execute(
        SQL(
            "SELECT code FROM warranty_code WHERE batch_id = %s ORDER BY id LIMIT %s",
            batch.id,
            count,
        )
    )
    return batch, [code for (code,) in env.cr.fetchall()]


def set_rate_limit(env, value):
    """Set the per-IP verification limit; return the previous raw value."""
    params = env["ir.config_parameter"]
    previous = params.get_param(RATE_PARAM)
    params.set_param(RATE_PARAM, value)
    return previous


def portal_technician(env, jobs):
    """A portal user who is a technician with ``jobs`` open orders."""
    user = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("login", "=", PORTAL_LOGIN)])
    )
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench HTTP Technician",
                "login": PORTAL_LOGIN,
                "password": PORTAL_PASSWORD,
                "group_ids": [odoo.Command.set([env.ref("base.group_portal").id])],
            }
        )
    person = env["fsm.person"].search([("partner_id", "=", user.partner_id.id)])
    if not person:
        person = env["fsm.person"].create({"partner_id": user.partner_id.id})
    missing = jobs - env["fsm.order"].search_count([("person_id", "=", person.id)])
    if missing > 0:
        partner = env["res.partner"].create({"name": "Bench HTTP Customer"})
        location = env["fsm.location"].create(
            {"name": "Bench HTTP Customer home", "owner_id": partner.id}
        )
        now = odoo.fields.Datetime.now()
        env["fsm.order"].create(
            [  # scheduled today: the list's default tab shows them
                {
                    "location_id": location.id,
                    "person_id": person.id,
                    "scheduled_date_start": now,
                    "scheduled_duration": 1.0,
                }
                for _i in range(missing)
            ]
        )
    return user


# ----------------------------------------------------------------------
# Server and load
# ----------------------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, odoo_args, port):
    command = [
        sys.executable,
        "-m",
        "odoo",
        "server",
        "--addons-path",
        args.addons_path,
        "-d",
        args.database,
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(port),
        "--gevent-port",
        str(port + 1),
        "--workers",
        str(args.workers),
        "--max-cron-threads",
        "0",
        "--log-level",
        "warn",
        *odoo_args,
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop_server)
    server = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    server.log = log
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise UnusableDatabase(f"the Odoo server stopped at start:\n{tail(server)}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise UnusableDatabase("the Odoo server did not answer within 3 minutes")


def tail(server, lines=20):
    server.log.seek(0)
    return "\n".join(server.log.read().decode(errors="replace").splitlines()[-lines:])


def stop_server(server):
    """Stop the server and its workers (its process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
    server.log.close()


def wrk(args, base, paths, seconds, method="GET", body=None, cookie=None):
    """Run wrk on ``paths`` (rotated); wrk's figures as a dict."""
    with tempfile.TemporaryDirectory() as tmp:
        script, path_file = Path(tmp, "rotate.lua"), Path(tmp, "paths.txt")
        script.write_text(LUA)
        path_file.write_text("\n".join(paths) + "\n")
        env = dict(os.environ, BENCH_PATHS=str(path_file), BENCH_METHOD=method)
        if body:
            env["BENCH_BODY"] = body
        command = [
            args.wrk,
            "-t",
            str(args.threads),
            "-c",
            str(args.connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
        ]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        done = subprocess.run(
            [*command, base],
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    match = re.search(r"^BENCH_JSON (.*)$", done.stdout, re.MULTILINE)
    if done.returncode or not match:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    raw = json.loads(match.group(1))
    # a read error per answer delimited by the end of the connection is not one
    raw["read"] = max(0, raw["read"] - raw["eof"])
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50": raw["p50_us"] / 1000.0,
        "p95": raw["p95_us"] / 1000.0,
        "p99": raw["p99_us"] / 1000.0,
        "max": raw["max_us"] / 1000.0,
        "errors": errors,
        "error_detail": {
            k: raw[k] for k in ("connect", "read", "write", "status", "timeout")
        },
        "error_rate": errors / max(1, raw["requests"] + raw["connect"]),
    }


def load(args, base, label, paths, **kw):
    """A warm-up, then the measured load; prints and returns wrk's figures."""
    wrk(args, base, paths, WARMUP_SECONDS, **kw)
    result = wrk(args, base, paths, args.duration, **kw)
    print(
        f"{label:<46}{result['requests']:>9,}{result['rps']:>9.1f}"
        f"{result['p50']:>9.2f}{result['p95']:>9.2f}{result['p99']:>9.2f}"
        f"{result['max']:>9.1f}{result['error_rate']:>8.2%}",
        flush=True,
    )
    if result["errors"]:
        print(f"  errors: {result['error_detail']}", flush=True)
    return result


def portal_session(base, user_login):
    """Log in through /web/login; the session cookie (``name=value``)."""
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if not token:
        raise RuntimeError("no CSRF token on /web/login")
    answer = session.post(
        f"{base}/web/login",
        data={
            "login": user_login,
            "password": PORTAL_PASSWORD,
            "csrf_token": token.group(1),
            "redirect": "/my",
        },
        timeout=30,
        allow_redirects=False,
    )
    if answer.status_code not in (302, 303) or "session_id" not in session.cookies:
        raise RuntimeError(f"login failed ({answer.status_code})")
    return f"session_id={session.cookies['session_id']}"


def http_figures(prefix, label, ours, baseline, baseline_label):
    """Table rows of one endpoint: requests/s, p50, p95, p99, error rate."""
    figures = {
        f"{prefix}_rps": figure(
            ours["rps"],
            None,
            "req/s",
            None,
            baseline=baseline["rps"],
            ratio=ours["rps"] / baseline["rps"] if baseline["rps"] else None,
            label=f"{label} requests/s (baseline: {baseline_label})",
        )
    }
    for pct in ("p50", "p95", "p99"):
        figures[f"{prefix}_{pct}_ms"] = figure(
            ours[pct],
            None,
            "ms",
            None,
            baseline=baseline[pct],
            ratio=ours[pct] / baseline[pct] if baseline[pct] else None,
            label=f"{label} latency {pct}",
        )
    figures[f"{prefix}_error_rate"] = figure(
        ours["error_rate"] * 100,
        "errors = 0",
        "%",
        ours["errors"] == 0 and ours["requests"] > 0,
        baseline=baseline["error_rate"] * 100,
        label=f"{label} error rate",
        requests=ours["requests"],
        errors=ours["error_detail"],
    )
    return figures


def run_loads(args, base, codes, portal_user_factory):
    print(
        f"\nHTTP load, database {args.database}, {args.workers} workers, wrk "
        f"{args.threads} threads x {args.connections} connections, "
        f"{args.duration} s each after a {WARMUP_SECONDS} s warm-up"
    )
    print(
        f"{'endpoint':<46}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
    )
    rpc = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}})
    baseline = load(
        args,
        base,
        "POST /web/webclient/version_info (baseline)",
        ["/web/webclient/version_info"],
        method="POST",
        body=rpc,
    )
    verify = load(
        args,
        base,
        f"GET /warranty/verify/<code> ({len(codes):,} codes)",
        [f"/warranty/verify/{code}?format=json" for code in codes],
    )
    figures = http_figures(
        "http_verify", "verify endpoint", verify, baseline, "version_info"
    )
    probe = requests.get(f"{base}{args.portal_path}", timeout=30, allow_redirects=False)
    if probe.status_code == 404:
        print(
            f"{args.portal_path}: 404 on this database (the technician portal is not "
            "installed): portal job list load skipped"
        )
        return figures, verify, None
    cookie = portal_session(base, portal_user_factory())
    check = requests.get(
        f"{base}{args.portal_path}",
        headers={"Cookie": cookie},
        timeout=30,
        allow_redirects=False,
    )
    if check.status_code != 200:
        raise RuntimeError(
            f"{args.portal_path} answers {check.status_code} to the technician"
        )
    home = load(
        args, base, "GET /my/home (portal baseline)", ["/my/home"], cookie=cookie
    )
    jobs = load(
        args,
        base,
        f"GET {args.portal_path} (technician)",
        [args.portal_path],
        cookie=cookie,
    )
    figures.update(
        http_figures("http_portal_jobs", "portal job list", jobs, home, "/my/home")
    )
    return figures, verify, jobs


def on_sigterm(signum, frame):
    """SIGTERM unwinds like Ctrl-C: the server is stopped, the limit restored."""
    raise KeyboardInterrupt


def main():
    args, odoo_args = parse_args()
    signal.signal(signal.SIGTERM, on_sigterm)
    if not shutil.which(args.wrk):
        raise UnusableDatabase(f"wrk not found ({args.wrk}): apt-get install wrk")
    config.parse_config(
        ["--addons-path", args.addons_path, "--log-level", "warn"]
        + ["--http-interface", "127.0.0.1", *odoo_args],
        setup_logging=True,
    )
    with committed_env(args.database) as env:
        batch, codes = verify_codes(env, args.codes)
        previous_limit = set_rate_limit(env, "0")
        env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        (started,) = env.cr.fetchone()
    port = args.http_port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    try:
        server = start_server(args, odoo_args, port)

        def portal_user():
            with committed_env(args.database) as env:
                return portal_technician(env, args.portal_jobs).login

        figures, verify, jobs = run_loads(args, base, codes, portal_user)
    finally:
        if server:
            stop_server(server)
        with committed_env(args.database) as env:
            set_rate_limit(env, previous_limit or False)
            env.cr.execute(
                SQL(
                    """DELETE FROM warranty_code_scan
                        WHERE scan_date >= %s AND code_id IN (
                              SELECT id FROM warranty_code WHERE batch_id = %s)""",
                    started,
                    batch.id,
                )
            )
            logged = env.cr.rowcount
        close_db(args.database)
    ok = verify["errors"] == 0 and (jobs is None or jobs["errors"] == 0)
    print(
        f"check: {logged:,} verifications logged by the server (warm-up included), "
        f"wrk counted {verify['requests']:,} in the measured load; errors: "
        f"verify {verify['errors']}"
        + (f", job list {jobs['errors']}" if jobs else "")
        + f": {'OK' if ok else 'FAILED'}"
    )
    write_json(args.json, figures)
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PGAPPNAME", "bench_http")
    run_main(main)
