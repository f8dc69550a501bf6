# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reliability on two nodes: two Odoo servers on one database, all at once.

Two Odoo servers (threaded, two ports on 127.0.0.1) serve one database. Each
starts the queue_job runner; PostgreSQL's advisory lock elects one of them,
which runs every job (through its own server's HTTP port); both run Odoo's
cron. While verification traffic goes to both nodes, through their HTTP
APIs as a user would:

* node A starts the generation of a warranty code batch (background jobs,
  one chunk after the other);
* node B starts a settlement run (one background job per chunk of
  technicians);
* node A applies a batch dispatch plan large enough to go to the background
  (Odoo's cron, one step after the other, on whichever node takes it).

When everything is finished (or the time is up), it checks, with read-only
queries, that nothing was lost, nothing done twice and every job done:

* every code of the batch written once (unique codes and serials, the
  batch's count) and the batch done;
* every releasable line of the run's technicians billed exactly once (never
  on two posted bills), one bill per technician, the run done;
* every line of the dispatch plan assigned or left with its reason, each
  order dispatched at most once, no technician over his day's capacity, the
  batch done;
* every queue job of the run done (none failed, none left), one runner
  elected (one node asked to run the jobs);
* every verification answered 200 with the right verdict.

Prints the figures and the checks; exit 0 when every check passes. The data
it creates stays in the database (committed, with the run's tag): use a bench
database.

    python3 bench/bench_two_nodes.py --database DB [--codes 150000]
        [--jobs 3000] [--technicians 300] [--chunk 50] [--orders 600]
        [--dispatch-technicians 300] [--verify 200] [--timeout 1200]
        [--ports 8301,8311] [--json PATH] [--addons-path PATH]
"""

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import requests
from benchlib import REPO, UnusableDatabase, figure, run_main, write_json

import odoo
from odoo.modules.registry import Registry
from odoo.sql_db import close_db
from odoo.tools import SQL, config

ADMIN_LOGIN = "bench_two_nodes"
ADMIN_PASSWORD = "bench-two-nodes-2026"  # a bench user, bench database
GROUPS = (
    "base.group_system",
    "fieldservice_install.group_install_manager",
    "warranty_claims.group_warranty_manager",
    "master_settlement.group_settlement_manager",
)
GTIN = "6970000000024"
RATE_PARAM = "warranty_claims.verify_rate_limit"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--codes", type=int, default=150_000)
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--technicians", type=int, default=300)
    parser.add_argument("--chunk", type=int, default=50, help="settlement chunk")
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--dispatch-technicians", type=int, default=300)
    parser.add_argument("--verify", type=int, default=200, help="codes to verify")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds")
    parser.add_argument("--ports", default="8301,8311")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--addons-path", default=str(REPO))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args, odoo_args = parser.parse_known_args()
    args.ports = [int(p) for p in args.ports.split(",")]
    if len(args.ports) != 2 or abs(args.ports[0] - args.ports[1]) < 2:
        parser.error("--ports takes two ports at least 2 apart (HTTP, gevent)")
    return args, odoo_args


# ----------------------------------------------------------------------
# Data, committed before the servers start
# ----------------------------------------------------------------------
def prepare(args, tag):
    """Create what the nodes will work on; ``{name: id or ids}``."""
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_dispatch
    import bench_settlement

    from odoo.addons.fieldservice_install.engine import dispatch
    from odoo.addons.fieldservice_install.tools.server_owned import (
        server_owned_writes,
    )
    from odoo.addons.fieldservice_install.wizards import fsm_dispatch_batch

    # what bench_dispatch loads once the addons path is known
    bench_dispatch.dispatch = dispatch
    bench_dispatch.batch_module = fsm_dispatch_batch
    bench_dispatch.server_owned_writes = server_owned_writes

    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if "settlement.run" not in env or "warranty.code.batch" not in env:
            raise UnusableDatabase(
                f"the three addons are not installed in database {args.database!r}"
            )
        env = env(context=dict(env["res.users"].context_get(), tracking_disable=True))
        user = _bench_user(env)
        env["ir.config_parameter"].set_param(RATE_PARAM, "0")
        # verification traffic: codes of a batch generated here
        product = _product(env)
        verify_batch = env["warranty.code.batch"].create(
            {
                "product_id": product.id,
                "quantity": args.verify,
                "lot_prefix": f"V{tag}-",
            }
        )
        verify_batch._run_generation()
        codes = env["warranty.code"].search([("batch_id", "=", verify_batch.id)])
        # the code batch node A generates
        batch = env["warranty.code.batch"].create(
            {"product_id": product.id, "quantity": args.codes, "lot_prefix": f"T{tag}-"}
        )
        # the settlement node B runs
        env.company.settlement_chunk_size = args.chunk
        persons, lines = bench_settlement.make_lines(
            env, args.technicians, args.jobs, f"2N{tag}"
        )
        today = odoo.fields.Date.context_today(env.user)
        run = env["settlement.run"].create(
            {"date_from": today - timedelta(days=60), "date_to": today}
        )
        # the batch dispatch node A applies
        days = [date.today() + timedelta(days=2), date.today() + timedelta(days=3)]
        dispatch_args = argparse.Namespace(
            seed=args.seed,
            orders=args.orders,
            technicians=args.dispatch_technicians,
        )
        _o, _t, _s, orders, _n = bench_dispatch.setup(env, dispatch_args, days)
        wizard = (
            env["fsm.dispatch.batch"]
            .with_user(user)
            .with_context(active_model="fsm.order", active_ids=orders.ids)
            .create({})
        )
        wizard.action_plan()
        with server_owned_writes():
            env.flush_all()
        return {
            "user": user.id,
            "verify_codes": codes.mapped("code"),
            "batch": batch.id,
            "run": run.id,
            "persons": persons.ids,
            "lines": lines.ids,
            "wizard": wizard.id,
            "planned": len(wizard.line_ids.filtered("person_id")),
        }


def _bench_user(env):
    user = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("login", "=", ADMIN_LOGIN)])
    )
    groups = [env.ref(xmlid).id for xmlid in GROUPS]
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Two Nodes",
                "login": ADMIN_LOGIN,
                "password": ADMIN_PASSWORD,
                "group_ids": [odoo.Command.set(groups)],
            }
        )
    return user


def _product(env):
    product = env["product.product"].search([("barcode", "=", GTIN)], limit=1)
    if not product:
        product = env["product.product"].create(
            {
                "name": "Bench Two Nodes Purifier",
                "is_storable": True,
                "tracking": "serial",
                "barcode": GTIN,
            }
        )
    if not env.company.website:
        env.company.website = "https://brand.example.cn"
    return product


# ----------------------------------------------------------------------
# The two nodes
# ----------------------------------------------------------------------
def start_node(args, odoo_args, port):
    environ = dict(
        os.environ,
        ODOO_QUEUE_JOB_CHANNELS="root:2",
        ODOO_QUEUE_JOB_PORT=str(port),
        ODOO_QUEUE_JOB_HOST="127.0.0.1",
    )
    command = [
        sys.executable,
        "-m",
        "odoo",
        "server",
        "--addons-path",
        args.addons_path,
        "-d",
        args.database,
        "--db-filter",
        f"^{re.escape(args.database)}$",
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(port),
        "--gevent-port",
        str(port + 1),
        "--workers",
        "0",
        "--max-cron-threads",
        "1",
        "--load",
        "base,web,queue_job",
        "--log-level",
        "warn",
        "--log-handler",
        "odoo.addons.queue_job.jobrunner.runner:INFO",
        *odoo_args,
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop_node)
    node = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environ,
        start_new_session=True,
    )
    node.log, node.port = log, port
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if node.poll() is not None:
            raise UnusableDatabase(f"node {port} stopped at start:\n{log_text(node)}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).ok:
                return node
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_node(node)
    raise UnusableDatabase(f"node {port} did not answer within 3 minutes")


def log_text(node):
    node.log.seek(0)
    return node.log.read().decode(errors="replace")


def stop_node(node):
    if node.poll() is None:
        os.killpg(node.pid, signal.SIGTERM)
        try:
            node.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(node.pid, signal.SIGKILL)
            node.wait(10)


def session(database, port):
    """A logged-in HTTP session on the node at ``port``."""
    http = requests.Session()
    answer = http.post(
        f"http://127.0.0.1:{port}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "db": database,
                "login": ADMIN_LOGIN,
                "password": ADMIN_PASSWORD,
            },
        },
        timeout=60,
    ).json()
    if answer.get("error"):
        raise UnusableDatabase(f"cannot log in on node {port}: {answer['error']}")
    http.port = port
    return http


def call(http, model, method, ids):
    answer = http.post(
        f"http://127.0.0.1:{http.port}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": [ids], "kwargs": {}},
        },
        timeout=600,
    ).json()
    if answer.get("error"):
        data = answer["error"].get("data", {})
        return f"{method}: {data.get('name')}: {data.get('message')}"
    return None


class Verifier(threading.Thread):
    """Verifies the codes on one node until told to stop (bounded)."""

    def __init__(self, port, codes, stop, max_requests=200_000):
        super().__init__(daemon=True)
        self.port, self.codes, self.stop = port, codes, stop
        self.max_requests = max_requests
        self.count = self.errors = 0
        self.samples = []

    def run(self):
        http = requests.Session()
        rng = random.Random(self.port)
        while not self.stop.is_set() and self.count < self.max_requests:
            code = rng.choice(self.codes)
            try:
                answer = http.get(
                    f"http://127.0.0.1:{self.port}/warranty/verify/{code}",
                    params={"format": "json"},
                    timeout=30,
                )
                ok = answer.status_code == 200 and answer.json().get("valid") is True
            except (requests.RequestException, ValueError) as err:
                ok = False
                answer = err
            self.count += 1
            if not ok:
                self.errors += 1
                if len(self.samples) < 3:
                    self.samples.append(str(getattr(answer, "text", answer))[:200])


# ----------------------------------------------------------------------
# Waiting and checking, read-only
# ----------------------------------------------------------------------
def read(database, query, *params):
    registry = Registry(database)
    with registry.cursor() as cr:
        cr.execute(SQL(query, *params))
        return cr.fetchall()


def states(database, data, since):
    (batch,) = read(
        database,
        "SELECT state, generated_count FROM warranty_code_batch WHERE id = %s",
        data["batch"],
    )
    (run,) = read(
        database, "SELECT state FROM settlement_run WHERE id = %s", data["run"]
    )
    (wizard,) = read(
        database,
        "SELECT state, applied_count, skipped_count, apply_total "
        "FROM fsm_dispatch_batch WHERE id = %s",
        data["wizard"],
    )
    jobs = dict(
        read(
            database,
            "SELECT state, count(*) FROM queue_job WHERE date_created >= %s "
            "GROUP BY state",
            since,
        )
    )
    return {"batch": batch, "run": run[0], "wizard": wizard, "jobs": jobs}


def finished(now):
    jobs_left = sum(n for s, n in now["jobs"].items() if s not in ("done", "failed"))
    return (
        now["batch"][0] == "done"
        and now["run"] in ("done", "failed")
        and now["wizard"][0] == "done"
        and not jobs_left
    )


def checks(args, data, since, nodes, verifiers):
    """``[(name, passed, detail)]``."""
    db = args.database
    out = []
    # codes
    ((count, codes, serials),) = read(
        db,
        "SELECT count(*), count(DISTINCT code), count(DISTINCT serial) "
        "FROM warranty_code WHERE batch_id = %s",
        data["batch"],
    )
    ((state, generated),) = read(
        db,
        "SELECT state, generated_count FROM warranty_code_batch WHERE id = %s",
        data["batch"],
    )
    out.append(
        (
            "codes: every unit once, batch done",
            count == codes == serials == generated == args.codes and state == "done",
            (
                f"{count:,} rows, {codes:,} codes, {serials:,} serials, "
                f"{generated:,} counted of {args.codes:,}; {state}"
            ),
        )
    )
    # settlement
    ((billed, open_lines),) = read(
        db,
        "SELECT count(*) FILTER (WHERE ledger_state IN ('billed', 'settled')), "
        "count(*) FILTER (WHERE ledger_state = 'releasable') "
        "FROM settlement_job_line WHERE id = ANY(%s)",
        data["lines"],
    )
    twice = read(
        db,
        "SELECT l.settlement_job_line_id FROM account_move_line l "
        "JOIN account_move m ON m.id = l.move_id "
        "WHERE l.settlement_job_line_id = ANY(%s) AND m.state = 'posted' "
        "GROUP BY 1 HAVING count(DISTINCT m.id) > 1",
        data["lines"],
    )
    bills = read(
        db,
        "SELECT settlement_person_id, count(*) FROM account_move "
        "WHERE settlement_run_id = %s AND state = 'posted' "
        "AND move_type = 'in_invoice' GROUP BY 1",
        data["run"],
    )
    (run_state,) = read(
        db, "SELECT state FROM settlement_run WHERE id = %s", data["run"]
    )
    out.append(
        (
            "settlement: every line billed once, one bill per technician, run done",
            billed == len(data["lines"])
            and not open_lines
            and not twice
            and len(bills) == len(data["persons"])
            and all(n == 1 for _p, n in bills)
            and run_state[0] == "done",
            (
                f"{billed:,}/{len(data['lines']):,} billed, {open_lines} still open, "
                f"{len(twice)} on two bills, {len(bills)} technicians billed "
                f"(of {len(data['persons'])}), run {run_state[0]}"
            ),
        )
    )
    # dispatch
    ((state, applied, skipped, total),) = read(
        db,
        "SELECT state, applied_count, skipped_count, apply_total "
        "FROM fsm_dispatch_batch WHERE id = %s",
        data["wizard"],
    )
    mismatched = read(
        db,
        "SELECT l.id FROM fsm_dispatch_batch_line l JOIN fsm_order o "
        "ON o.id = l.order_id WHERE l.wizard_id = %s AND l.apply_state = 'assigned' "
        "AND o.person_id IS DISTINCT FROM l.person_id",
        data["wizard"],
    )
    unexplained = read(
        db,
        "SELECT id FROM fsm_dispatch_batch_line WHERE wizard_id = %s "
        "AND person_id IS NOT NULL AND (apply_state IS NULL OR apply_state = "
        "'pending' OR (apply_state = 'skipped' AND coalesce(apply_note, '') = ''))",
        data["wizard"],
    )
    dispatched_twice = read(
        db,
        "SELECT m.res_id FROM mail_message m JOIN fsm_dispatch_batch_line l "
        "ON l.order_id = m.res_id AND l.wizard_id = %s WHERE m.model = 'fsm.order' "
        "AND m.body LIKE %s GROUP BY 1 HAVING count(*) > 1",
        data["wizard"],
        "%Dispatched to%",
    )
    over = read(
        db,
        "SELECT o.person_id, o.scheduled_date_start::date, count(*), "
        "max(p.max_jobs_per_day) FROM fsm_order o JOIN fsm_person p "
        "ON p.id = o.person_id JOIN fsm_stage s ON s.id = o.stage_id "
        "WHERE o.person_id IN (SELECT person_id FROM fsm_dispatch_batch_line "
        "WHERE wizard_id = %s) AND NOT s.is_closed AND p.max_jobs_per_day > 0 "
        "GROUP BY 1, 2 HAVING count(*) > max(p.max_jobs_per_day)",
        data["wizard"],
    )
    out.append(
        (
            "dispatch: every planned line assigned or explained, once, in capacity",
            state == "done"
            and applied + skipped == total == data["planned"]
            and not mismatched
            and not unexplained
            and not dispatched_twice
            and not over,
            (
                f"{applied} assigned + {skipped} left of {total} (planned "
                f"{data['planned']}), {len(mismatched)} not as applied, "
                f"{len(unexplained)} unexplained, {len(dispatched_twice)} dispatched "
                f"twice, {len(over)} technician-days over capacity; {state}"
            ),
        )
    )
    # jobs and the runner
    jobs = dict(
        read(
            db,
            "SELECT state, count(*) FROM queue_job WHERE date_created >= %s "
            "GROUP BY state",
            since,
        )
    )
    methods = dict(
        read(
            db,
            "SELECT method_name, count(*) FROM queue_job WHERE date_created >= %s "
            "GROUP BY 1",
            since,
        )
    )
    out.append(
        (
            "queue jobs: every job done, none failed or left",
            jobs and set(jobs) == {"done"},
            ", ".join(f"{n} {s}" for s, n in sorted(jobs.items()))
            + " ("
            + ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))
            + ")",
        )
    )
    askers = [node.port for node in nodes if "asking Odoo to run job" in log_text(node)]
    out.append(
        (
            "queue jobs: one runner elected",
            len(askers) == 1,
            f"node(s) that ran jobs: {askers or 'none'}",
        )
    )
    requests_count = sum(v.count for v in verifiers)
    errors = sum(v.errors for v in verifiers)
    samples = [s for v in verifiers for s in v.samples]
    out.append(
        (
            "verification: every answer 200 and valid, on both nodes",
            requests_count > 0 and not errors and all(v.count for v in verifiers),
            f"{requests_count:,} requests "
            f"({', '.join(f'{v.port}: {v.count:,}' for v in verifiers)}), "
            f"{errors} wrong" + (f": {samples}" if samples else ""),
        )
    )
    # a serialization failure is logged by PostgreSQL's driver as an error,
    # then retried (Odoo's retry loop, queue_job): counted, not failed
    retried, other = {}, {}
    for node in nodes:
        for line in log_text(node).splitlines():
            if not re.search(r" (ERROR|CRITICAL) ", line):
                continue
            bucket = retried if "bad query" in line else other
            bucket[node.port] = bucket.get(node.port, 0) + 1
    serialization = sum(
        log_text(node).count("could not serialize access") for node in nodes
    )
    out.append(
        (
            "no error in the servers' logs but retried conflicts",
            not other and sum(retried.values()) == serialization,
            (
                f"{sum(retried.values())} queries failed on a concurrent update and "
                f"were retried ({serialization} serialization failures), other "
                f"errors: {other or 'none'}"
            ),
        )
    )
    return out


# ----------------------------------------------------------------------
def main():
    args, odoo_args = parse_args()
    config.parse_config(
        ["--addons-path", args.addons_path, "--log-level", "warn", *odoo_args],
        setup_logging=True,
    )
    tag = f"{int(time.time()) % 16**6:06x}"
    print(f"preparing the data (tag {tag}) ...", flush=True)
    start = time.perf_counter()
    data = prepare(args, tag)
    print(f"  prepared in {time.perf_counter() - start:.1f} s", flush=True)
    (since,) = read(args.database, "SELECT now() AT TIME ZONE 'UTC'")[0]
    close_db(args.database)
    nodes = []
    stop = threading.Event()
    verifiers = []
    try:
        for port in args.ports:
            nodes.append(start_node(args, odoo_args, port))
        node_a, node_b = (session(args.database, n.port) for n in nodes)
        verifiers = [Verifier(n.port, data["verify_codes"], stop) for n in nodes]
        for verifier in verifiers:
            verifier.start()
        start = time.perf_counter()
        errors = []
        starters = [
            threading.Thread(
                target=lambda http=http, model=model, method=method, ids=ids: (
                    errors.append(call(http, model, method, ids))
                )
            )
            for http, model, method, ids in (
                (node_a, "warranty.code.batch", "action_generate", [data["batch"]]),
                (node_b, "settlement.run", "action_run", [data["run"]]),
                (node_a, "fsm.dispatch.batch", "action_apply", [data["wizard"]]),
            )
        ]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        errors = [e for e in errors if e]
        print(f"  started in {time.perf_counter() - start:.1f} s: {errors or 'ok'}")
        deadline = time.monotonic() + args.timeout
        now = states(args.database, data, since)
        while not errors and not finished(now) and time.monotonic() < deadline:
            time.sleep(3)
            now = states(args.database, data, since)
            print(
                f"  {time.perf_counter() - start:6.0f} s: codes "
                f"{now['batch'][1]:,}/{args.codes:,} {now['batch'][0]}, run "
                f"{now['run']}, dispatch {now['wizard'][1] + now['wizard'][2]}/"
                f"{now['wizard'][3]} {now['wizard'][0]}, jobs {now['jobs']}",
                flush=True,
            )
        seconds = time.perf_counter() - start
        time.sleep(2)  # a last verification round on the finished work
    finally:
        stop.set()
        for verifier in verifiers:
            verifier.join(60)
        for node in nodes:
            stop_node(node)
    results = checks(args, data, since, nodes, verifiers)
    if errors:
        results.insert(0, ("every action started", False, "; ".join(errors)))
    print(f"\nall work finished in {seconds:.1f} s on two nodes\n")
    for name, passed, detail in results:
        print(f"  [{'ok' if passed else 'FAILED'}] {name}: {detail}")
    for node in nodes:
        for line in log_text(node).splitlines():
            if re.search(r" (ERROR|CRITICAL) ", line):
                print(f"  node {node.port}: {line[:300]}")
    passed = all(ok for _name, ok, _detail in results)
    write_json(
        args.json,
        {
            "two_nodes_seconds": figure(
                round(seconds, 1),
                "every check passes",
                "s",
                passed,
                label="two nodes: codes, settlement, dispatch, verify at once",
            ),
            "two_nodes_checks": figure(
                sum(ok for _n, ok, _d in results),
                f"{len(results)} of {len(results)}",
                "checks",
                passed,
                label="two nodes: checks passed (nothing lost or done twice)",
            ),
        },
    )
    print(f"\n{'every check passed' if passed else 'SOME CHECKS FAILED'}")
    return 0 if passed else 1


if __name__ == "__main__":
    run_main(main)
