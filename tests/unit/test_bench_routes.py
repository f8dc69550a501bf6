# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Solomon benchmark's reading and checking, on a small cut of C101."""

import importlib.util
import itertools
import sys

import pytest

from .conftest import ROOT

INSTANCE = """C101X

VEHICLE
NUMBER     CAPACITY
  3         200

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      40         50          0          0       1236          0
    1      45         68         10        912        967         90
    2      45         70         30        825        870         90
    3      42         66         10         65        146         90
    4      42         68         10        727        782         90
    5      42         65         10         15         67         90
    6      40         69         20        621        702         90
"""


@pytest.fixture(scope="module")
def bench():
    name = "_bench_routes_script"
    if name not in sys.modules:
        # as when run: its folder first on the path (benchlib)
        if str(ROOT / "bench") not in sys.path:
            sys.path.insert(0, str(ROOT / "bench"))
        spec = importlib.util.spec_from_file_location(
            name, ROOT / "bench" / "bench_routes.py"
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def instance(tmp_path):
    path = tmp_path / "C101X.txt"
    path.write_text(INSTANCE)
    (tmp_path / "bks.csv").write_text("instance,vehicles,distance,source\n")
    return path


def test_read_solomon(bench, instance):
    name, fleet, capacity, customers = bench.read_solomon(instance)
    assert (name, fleet, capacity, len(customers)) == ("C101X", 3, 200, 7)
    assert customers[5] == (5, 42.0, 65.0, 10, 15.0, 67.0, 90.0)


@pytest.mark.parametrize("solver", ["vroom", "greedy"])
def test_solve_and_check(bench, instance, solver):
    row = bench.run_instance(instance, solver, seconds=1)
    assert row["problems"] == []
    assert sorted(c for r in row["routes"] for c in r) == [1, 2, 3, 4, 5, 6]
    # the distance is recomputed in floats from the customers' order
    _name, _fleet, _capacity, customers = bench.read_solomon(instance)
    points = {c[0]: (c[1], c[2]) for c in customers}
    total = 0
    for route in row["routes"]:
        stops = [points[0], *(points[c] for c in route), points[0]]
        total += sum(
            ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
            for a, b in itertools.pairwise(stops)
        )
    assert row["distance"] == pytest.approx(total, abs=1e-9)


def test_checker_rejects_a_late_order(bench, instance):
    _name, fleet, capacity, customers = bench.read_solomon(instance)
    exact, _scaled = bench.problems_of(fleet, capacity, customers)
    routes = bench.routes
    jobs = {j.id: j for j in exact.jobs}
    tech = exact.technicians[0]
    # customer 1 (ready 912) before customer 5 (due 67): 5 is late
    route, issues = routes.schedule(exact, tech, [jobs[1], jobs[5]])
    assert any("job 5" in issue for issue in issues)
    solution = routes.Solution(
        routes=[route], unplanned={i: routes.NO_ROOM for i in (2, 3, 4, 6)}
    )
    assert any("job 5" in p for p in routes.check_routes(exact, solution))
