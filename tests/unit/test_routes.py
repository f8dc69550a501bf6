# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The route engine, without Odoo: small instances with known answers."""

import dataclasses

import pytest

H = 3600
MIN = 60


@pytest.fixture(scope="module")
def r():
    from .conftest import load_engine

    return load_engine("fieldservice_install", "routes")


def line_matrix(r, size):
    """Locations on a line, 10 minutes (and 5 km) apart; 0 is the depot."""
    return r.Matrix(
        durations=[[abs(i - j) * 10 * MIN for j in range(size)] for i in range(size)],
        distances=[[abs(i - j) * 5000 for j in range(size)] for i in range(size)],
    )


def tech(r, tid, **kw):
    values = {"start": 0, "end": 0, "shift_start": 8 * H, "shift_end": 17 * H}
    values.update(kw)
    return r.Technician(id=tid, **values)


def job(r, jid, location, **kw):
    values = {"service": 30 * MIN}
    values.update(kw)
    return r.Job(id=jid, location=location, **values)


def solved(r, problem, solver="vroom"):
    solution = r.solve(problem, solver=solver, seconds=1)
    assert r.check_routes(problem, solution) == []
    return solution


SOLVERS = ["vroom", "greedy", "pyvrp"]


@pytest.fixture(params=SOLVERS)
def solver(request):
    if request.param == "pyvrp":
        pytest.importorskip("pyvrp")
    return request.param


def test_skills_respected(r, solver):
    problem = r.Problem(
        [tech(r, 1, skills=frozenset({1})), tech(r, 2, skills=frozenset({2}))],
        [
            job(r, 10, 1, skills=frozenset({2})),
            job(r, 11, 2, skills=frozenset({1})),
            job(r, 12, 3, skills=frozenset({2})),
        ],
        line_matrix(r, 4),
    )
    solution = solved(r, problem, solver)
    assert sorted(solution.route_of(1).job_ids) == [11]
    assert sorted(solution.route_of(2).job_ids) == [10, 12]
    assert solution.unplanned == {}


def test_windows_kept_and_order_follows_them(r, solver):
    # the far job is promised early, the near one late: far first
    problem = r.Problem(
        [tech(r, 1)],
        [
            job(r, 10, 1, windows=((14 * H, 16 * H),)),
            job(r, 11, 3, windows=((9 * H, 10 * H),)),
        ],
        line_matrix(r, 4),
    )
    solution = solved(r, problem, solver)
    route = solution.route_of(1)
    assert route.job_ids == [11, 10]
    first, second = route.stops
    assert 9 * H <= first.start <= 10 * H
    assert first.end == first.start + 30 * MIN
    assert 14 * H <= second.start <= 16 * H
    # leaves at 8:30 to be there at 9:00, not at 8:00 to wait
    assert route.start == 9 * H - 30 * MIN
    assert route.idle == second.start - second.arrival
    assert route.distance == 3 * 5000 + 2 * 5000 + 1 * 5000


def test_break_taken_in_its_window(r):
    problem = r.Problem(
        [tech(r, 1, break_window=(12 * H, 12 * H + 30 * MIN), break_duration=H)],
        [
            job(r, 10, 1, windows=((11 * H, 11 * H),), service=H),
            job(r, 11, 1, windows=((12 * H, 14 * H),), service=H),
        ],
        line_matrix(r, 2),
    )
    for solver in ("vroom", "greedy"):
        solution = solved(r, problem, solver)
        route = solution.route_of(1)
        assert route.job_ids == [10, 11]
        assert route.break_after == 1
        assert 12 * H <= route.break_start <= 12 * H + 30 * MIN
        # the second job waits for the end of the break
        assert route.stops[1].start >= route.break_start + H


def test_pinned_technician(r, solver):
    # technician 1 lives next door, but the job is pinned to technician 2
    problem = r.Problem(
        [tech(r, 1, start=1, end=1), tech(r, 2, start=3, end=3)],
        [job(r, 10, 1, pinned=2), job(r, 11, 1)],
        line_matrix(r, 4),
    )
    solution = solved(r, problem, solver)
    assert 10 in solution.route_of(2).job_ids
    assert solution.route_of(1) is None or 10 not in solution.route_of(1).job_ids
    assert solution.unplanned == {}


def test_unplanned_reasons(r):
    problem = r.Problem(
        [
            tech(r, 1, skills=frozenset({1}), max_jobs=1),
            tech(r, 2, skills=frozenset({2}), shift_start=None, shift_end=None),
        ],
        [
            job(r, 10, None),  # no coordinates: no crash
            job(r, 11, 1, skills=frozenset({3})),
            job(r, 12, 1, pinned=99),
            job(r, 13, 1, skills=frozenset({2})),  # only a technician off duty
            job(r, 14, 3, windows=((8 * H, 8 * H + 10 * MIN),)),  # 30 min away
            job(r, 15, 1, windows=((9 * H, 10 * H),)),
            job(r, 16, 2, windows=((9 * H, 10 * H),), priority=50),
            job(r, 17, 1, windows=((10 * H, 9 * H),)),  # closes before it opens
        ],
        line_matrix(r, 4),
    )
    solution = solved(r, problem)
    assert solution.unplanned == {
        10: r.NO_COORDINATES,
        11: r.NO_SKILLED_TECHNICIAN,
        12: r.PINNED_UNAVAILABLE,
        13: r.NO_SHIFT,
        14: r.WINDOW_UNREACHABLE,
        15: r.NO_ROOM,  # max one job: the higher priority wins
        17: r.INVALID_JOB,
    }
    assert solution.route_of(1).job_ids == [16]
    assert solution.route_of(2) is None
    assert set(solution.unplanned.values()) <= set(r.REASONS)


def test_window_that_cannot_be_met_alone(r, solver):
    # the shift ends before the job's window opens
    problem = r.Problem(
        [tech(r, 1, shift_end=12 * H)],
        [job(r, 10, 1, windows=((13 * H, 14 * H),)), job(r, 11, 1)],
        line_matrix(r, 2),
    )
    solution = solved(r, problem, solver)
    assert solution.unplanned == {10: r.WINDOW_UNREACHABLE}
    assert solution.route_of(1).job_ids == [11]


def test_capacity_and_shift_leave_jobs_out(r, solver):
    # 4 jobs of 3 hours in a 9-hour shift: one cannot fit
    problem = r.Problem(
        [tech(r, 1)],
        [job(r, i, 1, service=3 * H - 20 * MIN) for i in range(10, 14)],
        line_matrix(r, 2),
    )
    solution = solved(r, problem, solver)
    assert len(solution.route_of(1).stops) == 3
    assert list(solution.unplanned.values()) == [r.NO_ROOM]


def test_several_windows(r):
    problem = r.Problem(
        [tech(r, 1)],
        [
            job(r, 10, 1, windows=((8 * H, 8 * H + 5 * MIN), (15 * H, 16 * H))),
            job(r, 11, 1, windows=((8 * H + 10 * MIN, 12 * H),), service=5 * H),
        ],
        line_matrix(r, 2),
    )
    route = solved(r, problem).route_of(1)
    assert route.job_ids == [11, 10]
    assert route.stops[1].start >= 15 * H


def test_pyvrp_says_what_it_cannot_do(r):
    pytest.importorskip("pyvrp")
    problem = r.Problem(
        [tech(r, 1, break_window=(12 * H, 13 * H), break_duration=H)],
        [job(r, 10, 1)],
        line_matrix(r, 2),
    )
    with pytest.raises(r.Unsupported):
        r.solve(problem, solver="pyvrp")
    with pytest.raises(ValueError):
        r.solve(problem, solver="nope")


def test_nothing_to_plan(r):
    problem = r.Problem([tech(r, 1)], [], line_matrix(r, 1))
    assert r.solve(problem).routes == []
    problem = r.Problem([], [job(r, 10, 0)], line_matrix(r, 1))
    assert r.solve(problem).unplanned == {10: r.NO_SKILLED_TECHNICIAN}


@pytest.fixture
def good(r):
    problem = r.Problem(
        [tech(r, 1, skills=frozenset({1}), max_jobs=2), tech(r, 2)],
        [
            job(r, 10, 1, windows=((9 * H, 10 * H),)),
            job(r, 11, 2, windows=((13 * H, 14 * H),)),
            job(r, 12, 3, skills=frozenset({1})),
        ],
        line_matrix(r, 4),
    )
    solution = solved(r, problem)
    return problem, solution


def test_checker_catches_broken_solutions(r, good):
    problem, solution = good
    assert r.check_routes(problem, solution) == []

    def broken(change):
        copy = dataclasses.replace(
            solution,
            routes=[
                dataclasses.replace(x, stops=list(x.stops)) for x in solution.routes
            ],
            unplanned=dict(solution.unplanned),
        )
        change(copy)
        return r.check_routes(problem, copy)

    all_stops = [s for x in solution.routes for s in x.stops]
    by_job = {s.job_id: s for s in all_stops}
    ordered = [by_job[11], by_job[10]]  # 13:00 job before the 9:00-10:00 one

    def late(copy):
        copy.routes = [r.Route(2, ordered)]
        copy.unplanned = {12: r.NO_ROOM}

    assert any("after its windows" in p for p in broken(late))

    def twice(copy):
        copy.routes[0].stops.append(copy.routes[0].stops[0])

    assert any("twice" in p for p in broken(twice))

    def missing(copy):
        copy.routes = [x for x in copy.routes if 12 not in x.job_ids]

    assert any("job 12 is neither" in p for p in broken(missing))

    def unskilled(copy):
        copy.routes = [r.Route(2, [by_job[12]]), r.Route(1, [by_job[10], by_job[11]])]

    assert any("lacks skills" in p for p in broken(unskilled))

    def too_many(copy):
        copy.routes = [r.Route(1, [by_job[10], by_job[11], by_job[12]])]

    assert any("more than 2" in p for p in broken(too_many))

    def overtime(copy):
        slow = dataclasses.replace(by_job[11])
        copy.routes = [r.Route(1, [by_job[10]]), r.Route(2, [slow, by_job[12]])]

    problem_short = dataclasses.replace(
        problem,
        technicians=[problem.technicians[0], tech(r, 2, shift_end=13 * H + 35 * MIN)],
    )
    copy = dataclasses.replace(solution, routes=[])
    overtime(copy)
    assert any("after the shift" in p for p in r.check_routes(problem_short, copy))

    def too_early(copy):
        stop = copy.routes[0].stops[0]
        copy.routes[0].stops[0] = dataclasses.replace(stop, start=stop.start - H)

    assert any("earlier than possible" in p for p in broken(too_early))

    def stranger(copy):
        copy.routes.append(r.Route(99, []))
        copy.unplanned[77] = r.NO_ROOM

    problems = broken(stranger)
    assert any("unknown technician 99" in p for p in problems)
    assert any("unknown unplanned job 77" in p for p in problems)


def test_checker_wants_the_break(r):
    problem = r.Problem(
        [tech(r, 1, break_window=(12 * H, 12 * H), break_duration=H)],
        [job(r, 10, 1)],
        line_matrix(r, 2),
    )
    solution = solved(r, problem)
    no_break = dataclasses.replace(
        solution, routes=[dataclasses.replace(solution.routes[0], break_after=None)]
    )
    assert any("no break" in p for p in r.check_routes(problem, no_break))


def test_same_answer_on_every_solver_for_a_tight_day(r):
    """Five jobs each with a one-hour window along the line: one technician
    does them in the order of the windows, every solver finds it."""
    jobs = [
        job(r, 10 + i, i + 1, windows=((9 * H + i * H, 9 * H + i * H + 10 * MIN),))
        for i in range(5)
    ]
    problem = r.Problem(
        [tech(r, 1), tech(r, 2)], jobs, line_matrix(r, 6), fixed_cost=10**6
    )
    for solver in ("vroom", "greedy"):
        solution = solved(r, problem, solver)
        assert [x.job_ids for x in solution.routes] == [[10, 11, 12, 13, 14]]
