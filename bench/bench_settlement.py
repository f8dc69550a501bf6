# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cost of a settlement run against the naive one-bill-at-a-time ORM loop.

Creates T technicians with J releasable job lines in all (J / T each, every
line with a bonus and a commission, one in five with a penalty), and S more
technicians with the same kind of lines. First the naive way: one
``account.move.create`` + ``action_post`` per technician in a loop, with the
same invoice lines, for the S technicians (after 5 untimed ones, so that
neither way pays for cold caches): half of them before the run, half after
it, so that a drift of the machine's speed during the bench weighs on both
ways alike. The settlement run goes over the T
(``settlement.run.action_run``, chunks run in this process, one vendor bill
per technician: all bills of a chunk given as invoice lines in one
``create``, Odoo making their journal items, totals and numbers, and posted by
``action_post`` in batches). Prints the seconds of both, per bill, and the
ratio naive / run. Target: ratio >= 3 (both ways go through Odoo's public
path; the difference is the batching).

The journal entry tables are analyzed once the warm-up bills are in them: on a
database without journal entries, statistics of empty tables would have the
planner take nested loops over the run's thousands of lines.

Everything runs in one transaction that is rolled back: no data is left
behind (PostgreSQL sequences are not transactional).

Run it on a database where master_settlement is installed::

    python3 bench/bench_settlement.py --database DB [--jobs 20000]
        [--technicians 2000] [--sample 100] [--chunk 500]
        [--json PATH] [--addons-path PATH] [other odoo options]

Exit code: 0 when the run is correct (one posted bill per technician, every
line billed once), 1 otherwise, 2 when the database cannot be used.
"""

import argparse
import time
from datetime import timedelta

from benchlib import REPO, bench_env, figure, run_main, write_json

from odoo import fields

TARGET = 3.0


def server_owned_writes():
    """The addons' own code writes the ledger's fields (importable once the
    addons path is set)."""
    from odoo.addons.fieldservice_install.tools import server_owned

    return server_owned.server_owned_writes()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--jobs", type=int, default=20000)
    parser.add_argument("--technicians", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=100, help="naive bills")
    parser.add_argument("--chunk", type=int, default=500, help="technicians/job")
    parser.add_argument("--addons-path", default=str(REPO))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args, odoo_args = parser.parse_known_args()
    if min(args.jobs, args.technicians, args.sample, args.chunk) < 1:
        parser.error("counts must be at least 1")
    if args.jobs < args.technicians:
        parser.error("--jobs must be at least --technicians")
    return args, odoo_args


def make_lines(env, technicians, jobs, tag):
    """Technicians and their releasable job lines, as completed jobs leave them."""
    company = env.company
    today = fields.Date.context_today(env.user)
    persons = env["fsm.person"].create(
        [{"name": f"Bench {tag} Technician {i:05d}"} for i in range(technicians)]
    )
    vals_list = []
    for i in range(jobs):
        person = persons[i % technicians]
        penalty = [["rework", 10.0]] if i % 5 == 0 else []
        net = 120.0 + 10.0 - 12.0 - (10.0 if penalty else 0.0)
        vals_list.append(
            {
                "name": f"BENCH-{tag}-{i:06d}",
                "person_id": person.id,
                "partner_id": person.partner_id.id,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "base_fee": 100.0,
                "surcharge_amount": 20.0,
                "gross_amount": 120.0,
                "bonus_amount": 10.0,
                "commission_amount": 12.0,
                "penalty_amount": 10.0 if penalty else 0.0,
                "amount": net,
                "breakdown": {
                    "base": 100.0,
                    "urgent": 20.0,
                    "gross": 120.0,
                    "bonuses": [["Summer heat", 10.0]],
                    "commission": 12.0,
                    "commission_pct": 10.0,
                    "penalties": penalty,
                    "net": net,
                },
                "ledger_state": "releasable",
                "releasable_date": today - timedelta(days=1),
                "confirmed_date": today - timedelta(days=10),
            }
        )
    with server_owned_writes():  # as completing the orders leaves them
        lines = env["settlement.job.line"].create(vals_list)
    env.flush_all()
    return persons, lines


def analyze(cr, accounting=False):
    """Planner statistics of the tables the bench filled. The journal entry
    tables only once they hold bills: statistics taken on them empty (or by
    autovacuum after a rolled-back run left only dead rows) make the planner
    believe they stay empty, and Odoo's payment state queries then take
    nested loops over the thousands of lines a run creates (minutes)."""
    tables = "settlement_job_line, fsm_person"
    if accounting:
        tables += ", account_move, account_move_line"
    cr.execute(f"ANALYZE {tables}")


def timed_run(env, chunk):
    env.company.settlement_chunk_size = chunk
    today = fields.Date.context_today(env.user)
    run = env["settlement.run"].create(
        {"date_from": today - timedelta(days=30), "date_to": today}
    )
    env.flush_all()
    start = time.perf_counter()
    run.with_context(settlement_sync=True).action_run()
    env.flush_all()
    env.cr.precommit.run()
    return run, time.perf_counter() - start


def timed_naive(env, persons, lines):
    """One bill per technician: ORM create + post in a loop."""
    run = env["settlement.run"].create(
        {"date_from": fields.Date.today(), "date_to": fields.Date.today()}
    )
    with server_owned_writes():
        run.write({"state": "running"})
    journal = run._journal()
    accounts = env.company._settlement_accounts()
    from odoo.addons.master_settlement.engine import settlement as engine

    by_person = {}
    for line in lines:
        by_person.setdefault(line.person_id.id, []).append(line)
    env.flush_all()
    start = time.perf_counter()
    moves = env["account.move"]
    for person in persons:
        person_lines = by_person[person.id]
        (result,) = engine.build([line._engine_line() for line in person_lines])
        vals = run._prepare_bill_vals(
            result, person, person.partner_id, journal, accounts
        )
        with server_owned_writes():
            move = env["account.move"].create(vals)
            move.action_post()
            env["settlement.job.line"].browse(result.line_ids).write(
                {"ledger_state": "billed", "move_id": move.id}
            )
        moves |= move
    env.flush_all()
    env.cr.precommit.run()
    return moves, time.perf_counter() - start


def main():
    args, odoo_args = parse_args()
    with bench_env(args.database, args.addons_path, odoo_args, "settlement.run") as env:
        env = env(context=dict(env.context, tracking_disable=True))
        env.company._settlement_journal()
        env.company._settlement_accounts()
        print(
            f"setup: {args.technicians} technicians, {args.jobs} releasable jobs "
            f"(+ {args.sample} technicians for the naive loop) ..."
        )
        t0 = time.perf_counter()
        persons, lines = make_lines(env, args.technicians, args.jobs, "RUN")
        per_tech = args.jobs // args.technicians
        before = (args.sample + 1) // 2
        sample_persons, sample_lines = make_lines(
            env, before, before * per_tech, "NAIVE"
        )
        warm_persons, warm_lines = make_lines(env, 5, 5 * per_tech, "WARM")
        analyze(env.cr)
        print(f"setup done in {time.perf_counter() - t0:.1f} s (not timed)")

        # both ways warm: the first bills of a process pay for cold caches
        timed_naive(env, warm_persons, warm_lines)
        analyze(env.cr, accounting=True)  # with the warm-up bills, for both ways
        naive_moves, naive_seconds = timed_naive(env, sample_persons, sample_lines)
        run, run_seconds = timed_run(env, args.chunk)
        after = args.sample - before
        if after:  # the other half of the naive sample, after the run
            after_persons, after_lines = make_lines(
                env, after, after * per_tech, "NAIVE2"
            )
            after_moves, after_seconds = timed_naive(env, after_persons, after_lines)
            naive_moves |= after_moves
            naive_seconds += after_seconds
        bills = run.move_ids.filtered(lambda m: m.state == "posted")
        # the run also bills what the database already had releasable (demo)
        own_bills = bills.filtered(lambda m: m.settlement_person_id in persons)
        billed = env["settlement.job.line"].search_count(
            [("id", "in", lines.ids), ("ledger_state", "=", "billed")]
        )

        run_per_bill = run_seconds / max(1, len(bills))
        naive_per_bill = naive_seconds / max(1, len(naive_moves))
        ratio = naive_per_bill / run_per_bill if run_per_bill else 0.0
        print(
            f"\nSettlement of {args.jobs} jobs over {args.technicians} technicians, "
            f"database {args.database}, {args.chunk} technicians per chunk"
        )
        print(f"{'':<44}{'bills':>8}{'seconds':>10}{'ms/bill':>10}")
        print(
            f"{'settlement run (batched create + post)':<44}{len(bills):>8}"
            f"{run_seconds:>10.1f}{run_per_bill * 1000:>10.1f}"
        )
        print(
            f"{'naive ORM loop (create + post per bill)':<44}{len(naive_moves):>8}"
            f"{naive_seconds:>10.1f}{naive_per_bill * 1000:>10.1f}"
        )
        print(
            f"naive loop extrapolated to {args.technicians} bills: "
            f"{naive_per_bill * args.technicians:.1f} s"
        )
        print(f"ratio naive / run (per bill): {ratio:.2f}")
        print(f"target ratio >= {TARGET}: {'met' if ratio >= TARGET else 'NOT met'}")
        ok = (
            run.state == "done"
            and len(own_bills) == args.technicians
            and billed == args.jobs
            and len(set(bills.mapped("ref"))) == len(bills)
        )
        print(
            f"check: run {run.state}, {len(own_bills)}/{args.technicians} bills "
            f"(+ {len(bills) - len(own_bills)} for lines already releasable), "
            f"{billed}/{args.jobs} lines billed once: {'OK' if ok else 'FAILED'}"
        )
        write_json(
            args.json,
            {
                "settlement_ms_per_bill": figure(
                    run_per_bill * 1000,
                    f"ratio >= {TARGET:g}",
                    "ms/bill",
                    ratio >= TARGET,
                    baseline=naive_per_bill * 1000,
                    ratio=ratio,
                    label="settlement run (baseline: ORM create + post per bill)",
                )
            },
        )
        return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
