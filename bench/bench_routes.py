#!/usr/bin/env python3
# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The route engine on Solomon's VRPTW instances (100 customers), no Odoo.

    bench/bench_routes.py --solomon DIR [--json PATH] [--seconds S]
        [--solver vroom|pyvrp|both] [--only C101 R201 ...]

Solves every ``DIR/*.txt`` instance through ``fieldservice_install/engine/
routes.py`` and prints, per instance, the vehicles, the distance, the gap to
the best-known distance (``DIR/bks.csv``) and the seconds, then the averages
and the totals against the best-known sums; the same for the greedy
nearest-neighbour baseline of the engine. Every route is re-checked by the
engine's feasibility checker on the unscaled (float) data.

Convention (the literature's): Euclidean distances, not rounded; travel time
= distance; service times included; at most the instance's fleet; objective
fewest vehicles first, then distance. The solvers take integers: times and
distances are scaled by ``SCALE`` and rounded *up* (so a route feasible in
integers is feasible in floats); the distance printed is recomputed in floats
from the routes, so the scaling only costs the solver a resolution of
1/``SCALE``. A fixed cost per vehicle above any possible total distance makes
"fewest vehicles first" the solver's objective.

Targets over the whole set: every route feasible, total vehicles <= 1.10x
and total distance <= 1.03x the best-known sums, at most ``--seconds`` (5)
per instance. ``--json PATH`` writes ``{"instances": [{"name", "vehicles",
"distance", "seconds", "routes": [[customer numbers], ...]}]}`` per solver
(the first solver's at the top level, all of them under ``"solvers"``) and
the figures (``benchlib.figure``) under ``"figures"``.
"""

import argparse
import csv
import importlib
import importlib.util
import json
import math
import sys
import time
import types
from pathlib import Path

from benchlib import REPO, figure

SCALE = 1000


def load_routes():
    """The route engine without Odoo: its folder as a package of its own
    (``__init__`` not run), so that it finds its sibling modules."""
    package = types.ModuleType("_bench_engine")
    package.__path__ = [str(REPO / "fieldservice_install" / "engine")]
    sys.modules.setdefault(package.__name__, package)
    return importlib.import_module("_bench_engine.routes")


routes = load_routes()


def read_solomon(path):
    """``(name, fleet, capacity, customers)``; customers[0] is the depot,
    each ``(number, x, y, demand, ready, due, service)``."""
    lines = [line.split() for line in Path(path).read_text().splitlines()]
    name = lines[0][0]
    fleet = capacity = None
    customers = []
    for row in lines[1:]:
        if len(row) == 2 and fleet is None and row[0].isdigit():
            fleet, capacity = int(row[0]), int(row[1])
        elif len(row) == 7 and row[0].isdigit():
            number, x, y, demand, ready, due, service = map(float, row)
            customers.append((int(number), x, y, int(demand), ready, due, service))
    return name, fleet, capacity, customers


def problems_of(fleet, capacity, customers):
    """The engine's problem twice: in floats (for the checker) and scaled to
    integers rounded up (for the solvers)."""
    points = [(c[1], c[2]) for c in customers]
    size = len(points)
    exact = [
        [math.dist(points[i], points[j]) for j in range(size)] for i in range(size)
    ]
    scaled = [[math.ceil(d * SCALE - 1e-9) for d in row] for row in exact]
    depot_due = customers[0][5]
    built = []
    for matrix, factor, ceil in (
        (exact, 1, lambda v: v),
        (scaled, SCALE, lambda v: math.ceil(v * SCALE - 1e-9)),
    ):
        techs = [
            routes.Technician(
                id=k + 1,
                start=0,
                end=0,
                shift_start=0,
                shift_end=ceil(depot_due) if factor == 1 else int(depot_due * SCALE),
                capacity=capacity,
            )
            for k in range(fleet)
        ]
        jobs = [
            routes.Job(
                id=number,
                location=index,
                service=service * factor,
                windows=((ready * factor, due * factor),),
                load=demand,
            )
            for index, (number, _x, _y, demand, ready, due, service) in enumerate(
                customers
            )
            if index
        ]
        # a vehicle costs more than the longest possible total distance
        fixed = int(sum(max(row) for row in matrix) * 2) + 1
        built.append(
            routes.Problem(techs, jobs, routes.Matrix(matrix, matrix), fixed_cost=fixed)
        )
    return built


def read_bks(directory):
    path = Path(directory) / "bks.csv"
    if not path.exists():
        return {}
    with path.open() as handle:
        return {
            row["instance"]: (int(row["vehicles"]), float(row["distance"]))
            for row in csv.DictReader(handle)
        }


def run_instance(path, solver, seconds):
    name, fleet, capacity, customers = read_solomon(path)
    exact, scaled = problems_of(fleet, capacity, customers)
    started = time.perf_counter()
    solution = routes.solve(scaled, solver=solver, seconds=seconds)
    elapsed = time.perf_counter() - started
    # the same order, re-timed in floats, then checked
    float_solution = routes.Solution(
        routes=[
            routes.schedule(
                exact,
                next(t for t in exact.technicians if t.id == r.technician_id),
                [next(j for j in exact.jobs if j.id == i) for i in r.job_ids],
            )[0]
            for r in solution.routes
        ],
        unplanned=dict(solution.unplanned),
    )
    problems = routes.check_routes(exact, float_solution)
    if float_solution.unplanned:
        problems.append(f"{len(float_solution.unplanned)} customers not served")
    return {
        "name": name,
        "vehicles": len(float_solution.routes),
        "distance": sum(r.distance for r in float_solution.routes),
        "seconds": elapsed,
        "routes": [r.job_ids for r in float_solution.routes],
        "problems": problems,
    }


def report(solver, results, bks, seconds):
    """Print the table of one solver; its totals as figures."""
    print(f"\n== {solver}")
    print(
        f"{'instance':<9}{'veh':>5}{'bks':>5}{'distance':>11}{'bks':>10}"
        f"{'gap %':>8}{'s':>7}  feasible"
    )
    for row in results:
        best = bks.get(row["name"])
        gap = (row["distance"] / best[1] - 1) * 100 if best else float("nan")
        print(
            f"{row['name']:<9}{row['vehicles']:>5}{best[0] if best else '-':>5}"
            f"{row['distance']:>11.2f}{best[1] if best else float('nan'):>10.2f}"
            f"{gap:>8.2f}{row['seconds']:>7.2f}  "
            + (
                "yes"
                if not row["problems"]
                else "NO: " + "; ".join(row["problems"][:3])
            )
        )
    known = [r for r in results if r["name"] in bks]
    count = len(results) or 1
    vehicles = sum(r["vehicles"] for r in known)
    distance = sum(r["distance"] for r in known)
    bks_vehicles = sum(bks[r["name"]][0] for r in known) or 1
    bks_distance = sum(bks[r["name"]][1] for r in known) or 1
    slowest = max((r["seconds"] for r in results), default=0)
    feasible = all(not r["problems"] for r in results)
    print(
        f"average: {sum(r['vehicles'] for r in results) / count:.2f} vehicles, "
        f"{sum(r['distance'] for r in results) / count:.2f} distance, "
        f"{sum(r['seconds'] for r in results) / count:.2f} s (slowest {slowest:.2f} s)"
    )
    print(
        f"total over {len(known)} instances with a best-known solution: "
        f"{vehicles} vehicles vs {bks_vehicles} ({vehicles / bks_vehicles:.3f}x, "
        f"target <= 1.10x), distance {distance:.1f} vs {bks_distance:.1f} "
        f"({distance / bks_distance:.3f}x, target <= 1.03x); every route feasible: "
        f"{'yes' if feasible else 'NO'}"
    )
    # the sums compare unlike things when a solution has more vehicles (and
    # so less distance): the distance where the vehicles match, too
    same = [r for r in known if r["vehicles"] == bks[r["name"]][0]]
    if same:
        ours = sum(r["distance"] for r in same)
        theirs = sum(bks[r["name"]][1] for r in same)
        print(
            f"at the best-known vehicle count ({len(same)} instances): distance "
            f"{ours:.1f} vs {theirs:.1f} ({ours / theirs:.3f}x)"
        )
    return {
        f"routes_{solver}_vehicles": figure(
            vehicles,
            "ratio <= 1.10",
            "vehicles",
            vehicles / bks_vehicles <= 1.10,
            baseline=bks_vehicles,
            ratio=vehicles / bks_vehicles,
        ),
        f"routes_{solver}_distance": figure(
            round(distance, 2),
            "ratio <= 1.03",
            "distance",
            distance / bks_distance <= 1.03,
            baseline=round(bks_distance, 2),
            ratio=distance / bks_distance,
        ),
        f"routes_{solver}_slowest": figure(
            round(slowest, 2),
            f"<= {seconds:g}",
            "s",
            slowest <= seconds,
        ),
        f"routes_{solver}_feasible": figure(
            int(feasible),
            "every route feasible",
            "bool",
            feasible,
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--solomon", required=True, help="directory of *.txt")
    parser.add_argument("--json", default="")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--solver", choices=["vroom", "pyvrp", "both"], default="vroom")
    parser.add_argument("--only", nargs="+", default=None, help="instance names")
    parser.add_argument("--no-greedy", action="store_true")
    args = parser.parse_args()
    paths = sorted(Path(args.solomon).glob("*.txt"))
    if args.only:
        paths = [p for p in paths if p.stem in args.only]
    if not paths:
        sys.exit(f"no *.txt instance in {args.solomon}")
    bks = read_bks(args.solomon)
    solvers = ["vroom", "pyvrp"] if args.solver == "both" else [args.solver]
    if "pyvrp" in solvers and importlib.util.find_spec("pyvrp") is None:
        sys.exit('PyVRP is not installed: pip install "pyvrp>=0.14,<0.15"')
    if not args.no_greedy:
        solvers.append("greedy")
    everything, figures = {}, {}
    for solver in solvers:
        results = []
        for path in paths:
            row = run_instance(path, solver, args.seconds)
            results.append(row)
            print(
                f"{solver} {row['name']}: {row['vehicles']} vehicles, "
                f"{row['distance']:.2f}, {row['seconds']:.2f} s"
                + ("" if not row["problems"] else "  INFEASIBLE"),
                flush=True,
            )
        everything[solver] = results
    for solver, results in everything.items():
        figures.update(report(solver, results, bks, args.seconds))
    if args.json:
        keep = ("name", "vehicles", "distance", "seconds", "routes")
        out = {
            solver: [{k: row[k] for k in keep} for row in results]
            for solver, results in everything.items()
        }
        Path(args.json).write_text(
            json.dumps(
                {"instances": out[solvers[0]], "solvers": out, "figures": figures},
                indent=1,
            )
            + "\n"
        )
    # exit 1 when a solver (not the baseline) returned an infeasible route
    broken = any(
        row["problems"]
        for solver, rows in everything.items()
        if solver != "greedy"
        for row in rows
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
