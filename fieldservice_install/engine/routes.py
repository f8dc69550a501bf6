# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Day routes: which technician does which jobs, in which order, at what time.

Plain Python, no ORM. The caller (a wizard, a cron, the booking page, the
benchmark) builds a :class:`Problem`, calls :func:`solve` and gets a
:class:`Solution`; :func:`check_routes` re-checks any solution against its
problem independently of the solver (tests and ``bench/bench_routes.py``).

In:

* :class:`Technician`: id, start and end location (indices into the matrix,
  ``None`` = the route starts at its first job / ends at its last), shift
  start and end (seconds from the day's start; ``None`` = no shift, the
  technician is not used), an optional break (the window in which it may
  begin and its duration), skills (a set of ints), the most jobs a day and
  an optional capacity (the jobs' ``load`` summed).
* :class:`Job`: id, location (index into the matrix; ``None`` = no
  coordinates), service duration, time windows (``(open, close)`` pairs in
  which the service must *begin*; empty = any time in the shift), required
  skills, priority (0-100: when not everything fits, higher first) and a
  pinned technician id or ``None``.
* :class:`Matrix`: ``durations[i][j]`` (seconds) and ``distances[i][j]``
  (metres) between location indices (see ``travel.py``). Any numbers work for
  the checker; the solvers take integers (the benchmark scales its floats).

Out: :class:`Solution`: one :class:`Route` per technician who has jobs (the
stops in visit order with arrival, start and end times, the break, the
route's distance, duration and idle time) and the jobs left unplanned, each
with a reason code (``REASONS``).

Solvers: ``"vroom"`` (PyPI ``pyvroom``; the default: skills, several time
windows, breaks, priorities, max jobs, pinning through a private skill),
``"pyvrp"`` (optional; one window per job, no breaks: raises
:class:`Unsupported` otherwise; skills and pinning as routing profiles) and
``"greedy"`` (sequential nearest-neighbour construction, the baseline, no
library needed), each an adapter in ``route_solvers.py``.
"""

from dataclasses import dataclass, field

# reason codes of the unplanned jobs
NO_COORDINATES = "no_coordinates"
INVALID_JOB = "invalid_job"
NO_SKILLED_TECHNICIAN = "no_skilled_technician"
PINNED_UNAVAILABLE = "pinned_technician_unavailable"
NO_SHIFT = "no_technician_with_shift"
WINDOW_UNREACHABLE = "window_cannot_be_met"
NO_ROOM = "no_room_in_routes"
REASONS = {
    NO_COORDINATES: "The address has no coordinates.",
    INVALID_JOB: "A time window or the service duration is invalid.",
    NO_SKILLED_TECHNICIAN: "No technician has all the required skills.",
    PINNED_UNAVAILABLE: "The pinned technician is not available or not skilled.",
    NO_SHIFT: "The skilled technicians have no shift that day.",
    WINDOW_UNREACHABLE: "No skilled technician can reach it within its window "
    "and his shift.",
    NO_ROOM: "The skilled technicians' days are full (shift, capacity or "
    "the other jobs' windows).",
}
SOLVERS = ("vroom", "pyvrp", "greedy")


class Unsupported(ValueError):
    """The chosen solver cannot express this problem."""


@dataclass(frozen=True)
class Technician:
    id: int
    start: int | None = None
    end: int | None = None
    shift_start: float | None = None
    shift_end: float | None = None
    break_window: tuple | None = None  # (earliest, latest) start of the break
    break_duration: float = 0
    skills: frozenset = frozenset()
    max_jobs: int | None = None
    capacity: int | None = None  # most load a day (e.g. parts, weight)

    @property
    def has_shift(self):
        return (
            self.shift_start is not None
            and self.shift_end is not None
            and self.shift_start <= self.shift_end
        )

    @property
    def has_break(self):
        return bool(self.break_window) and self.break_duration > 0


@dataclass(frozen=True)
class Job:
    id: int
    location: int | None
    service: float = 0
    windows: tuple = ()
    skills: frozenset = frozenset()
    priority: int = 0
    pinned: int | None = None
    load: int = 0  # what it takes of the technician's capacity


@dataclass
class Matrix:
    durations: list
    distances: list | None = None

    def distance(self, i, j):
        if i is None or j is None:
            return 0
        return (self.distances or self.durations)[i][j]

    def duration(self, i, j):
        if i is None or j is None:
            return 0
        return self.durations[i][j]


@dataclass
class Problem:
    technicians: list
    jobs: list
    matrix: Matrix
    # cost of using a technician at all, in the matrix's duration units: a
    # value above any route's duration means "fewest technicians first"
    fixed_cost: int = 0


@dataclass
class Stop:
    job_id: int
    location: int
    arrival: float
    start: float
    end: float


@dataclass
class Route:
    technician_id: int
    stops: list
    start: float = 0  # departure from the start location
    end: float = 0  # arrival at the end location
    break_start: float | None = None
    break_after: int | None = None  # number of stops done before the break
    distance: float = 0
    duration: float = 0
    idle: float = 0  # waiting before windows

    @property
    def job_ids(self):
        return [stop.job_id for stop in self.stops]


@dataclass
class Solution:
    routes: list
    unplanned: dict = field(default_factory=dict)  # job id -> reason code
    solver: str = ""
    warnings: list = field(default_factory=list)

    def route_of(self, technician_id):
        return next((r for r in self.routes if r.technician_id == technician_id), None)


# ----------------------------------------------------------------------
# Schedule of one route (shared by the solvers' output and the checker)
# ----------------------------------------------------------------------
def _window_start(job, arrival):
    """The earliest start of ``job`` at or after ``arrival`` inside one of its
    windows, or None."""
    if not job.windows:
        return arrival
    for open_, close in sorted(job.windows):
        start = max(arrival, open_)
        if start <= close:
            return start
    return None


def schedule(problem, tech, jobs, break_after=None):
    """The earliest schedule of ``jobs`` (in this order) for ``tech``, the
    break taken after ``break_after`` stops (``None``: no break). Returns
    ``(route, problems)``: the route with its times, and what is infeasible
    (empty list: feasible). The departure is delayed so that the technician
    does not wait at his first stop when he can avoid it."""
    problems = []
    m = problem.matrix
    time = tech.shift_start if tech.shift_start is not None else 0
    # leave later when the first job cannot start before its window opens
    if jobs and (break_after is None or break_after > 0):
        travel = m.duration(tech.start, jobs[0].location)
        first = _window_start(jobs[0], time + travel)
        if first is not None and first - travel > time:
            time = first - travel
    departure = time
    where = tech.start
    stops, idle, distance, break_start = [], 0, 0, None

    def take_break(now, next_location):
        """The break between ``where`` and ``next_location``: its start and
        the arrival there. Travel first when the break can still start in its
        window after it (it fills the wait), else break first."""
        earliest, latest = tech.break_window
        travel = m.duration(where, next_location)
        begin = max(now + travel, earliest)
        if begin <= latest:
            return begin, begin + tech.break_duration
        begin = max(now, earliest)
        if begin > latest:
            problems.append(f"technician {tech.id}: break cannot start by {latest}")
        return begin, begin + tech.break_duration + travel

    for index, job in enumerate(jobs):
        distance += m.distance(where, job.location)
        if break_after == index and tech.has_break:
            break_start, arrival = take_break(time, job.location)
        else:
            arrival = time + m.duration(where, job.location)
        start = _window_start(job, arrival)
        if start is None:
            problems.append(
                f"job {job.id}: arrives at {arrival}, after its windows {job.windows}"
            )
            start = arrival
        idle += start - arrival
        end = start + job.service
        stops.append(Stop(job.id, job.location, arrival, start, end))
        time, where = end, job.location
    if break_after == len(jobs) and tech.has_break:
        break_start, arrival_end = take_break(time, tech.end)
    else:
        arrival_end = time + m.duration(where, tech.end)
    distance += m.distance(where, tech.end)
    if tech.has_break and break_after is None and tech.break_window:
        problems.append(f"technician {tech.id}: no break in the route")
    if tech.shift_end is not None and arrival_end > tech.shift_end:
        problems.append(
            f"technician {tech.id}: back at {arrival_end}, after the shift's "
            f"end {tech.shift_end}"
        )
    route = Route(
        technician_id=tech.id,
        stops=stops,
        start=departure,
        end=arrival_end,
        break_start=break_start,
        break_after=break_after if tech.has_break else None,
        distance=distance,
        duration=arrival_end - departure,
        idle=idle,
    )
    return route, problems


# ----------------------------------------------------------------------
# Feasibility checker
# ----------------------------------------------------------------------
def _can_serve(tech, job):
    if job.pinned is not None and job.pinned != tech.id:
        return False
    return set(job.skills) <= set(tech.skills)


def check_routes(problem, solution):
    """Every reason ``solution`` is not a feasible answer to ``problem``, as
    a list of sentences (empty: feasible). Recomputes the times from the
    order of the stops alone: every job once (routed or unplanned), known
    technicians each at most once and with a shift, skills, pinning, the most
    jobs a day, windows, break, back before the shift's end, and the
    reported times not earlier than possible."""
    problems = []
    techs = {t.id: t for t in problem.technicians}
    jobs = {j.id: j for j in problem.jobs}
    seen, used = {}, set()
    for route in solution.routes:
        tech = techs.get(route.technician_id)
        if tech is None:
            problems.append(f"route of unknown technician {route.technician_id}")
            continue
        if tech.id in used:
            problems.append(f"technician {tech.id} has two routes")
        used.add(tech.id)
        if route.stops:
            problems += _check_route(problem, tech, route, jobs, seen)
    for job_id in solution.unplanned:
        if job_id in seen:
            problems.append(f"job {job_id} is both planned and unplanned")
        elif job_id not in jobs:
            problems.append(f"unknown unplanned job {job_id}")
        seen.setdefault(job_id, None)
    for job_id in jobs:
        if job_id not in seen:
            problems.append(f"job {job_id} is neither planned nor unplanned")
    return problems


def _check_route(problem, tech, route, jobs, seen):
    """The problems of one technician's route (``seen``: job id ->
    technician id, filled here)."""
    problems = []
    if not tech.has_shift:
        problems.append(f"technician {tech.id} has no shift but a route")
    if tech.max_jobs is not None and len(route.stops) > tech.max_jobs:
        problems.append(
            f"technician {tech.id}: {len(route.stops)} jobs, more than {tech.max_jobs}"
        )
    load = sum(jobs[s.job_id].load for s in route.stops if s.job_id in jobs)
    if tech.capacity is not None and load > tech.capacity:
        problems.append(f"technician {tech.id}: load {load}, more than {tech.capacity}")
    route_jobs = []
    for stop in route.stops:
        job = jobs.get(stop.job_id)
        if job is None:
            problems.append(f"unknown job {stop.job_id}")
            continue
        if job.id in seen:
            problems.append(f"job {job.id} planned twice")
        seen[job.id] = tech.id
        if job.location is None:
            problems.append(f"job {job.id} has no coordinates but is planned")
            continue
        if job.pinned is not None and job.pinned != tech.id:
            problems.append(f"job {job.id} is pinned to {job.pinned}, not {tech.id}")
        missing = set(job.skills) - set(tech.skills)
        if missing:
            problems.append(
                f"job {job.id}: technician {tech.id} lacks skills {sorted(missing)}"
            )
        route_jobs.append(job)
    break_after = route.break_after
    if tech.has_break and break_after is None:
        problems.append(f"technician {tech.id}: no break in the route")
    if break_after is not None and not 0 <= break_after <= len(route_jobs):
        problems.append(f"technician {tech.id}: break at an impossible place")
        break_after = None
    earliest, issues = schedule(problem, tech, route_jobs, break_after)
    problems += issues
    if tech.shift_start is not None and route.start < tech.shift_start - 1e-6:
        problems.append(f"technician {tech.id} leaves before his shift")
    for stop, best in zip(route.stops, earliest.stops, strict=False):
        if stop.start < best.start - 1e-6:
            problems.append(
                f"job {stop.job_id}: reported start {stop.start} is earlier "
                f"than possible ({best.start})"
            )
    return problems


# ----------------------------------------------------------------------
# Pre-check: the jobs no solver can plan, with the reason
# ----------------------------------------------------------------------
def _reachable(problem, tech, job):
    """Whether ``tech`` can do ``job`` alone in his day (windows, shift)."""
    if tech.max_jobs is not None and tech.max_jobs < 1:
        return False
    if tech.capacity is not None and job.load > tech.capacity:
        return False
    if tech.has_break:
        return any(not schedule(problem, tech, [job], after)[1] for after in (0, 1))
    return not schedule(problem, tech, [job])[1]


def precheck(problem):
    """``(plannable jobs, {job id: reason})``: the jobs without coordinates
    or with invalid data, those no technician has the skills for (or whose
    pinned technician cannot do them), those whose skilled technicians have
    no shift, and those none of them can reach within a window and shift."""
    plannable, unplanned = [], {}
    techs = {t.id: t for t in problem.technicians}
    for job in problem.jobs:
        if job.location is None:
            unplanned[job.id] = NO_COORDINATES
            continue
        if job.service < 0 or any(o > c for o, c in job.windows):
            unplanned[job.id] = INVALID_JOB
            continue
        if job.pinned is not None:
            pinned = techs.get(job.pinned)
            skilled = [pinned] if pinned and _can_serve(pinned, job) else []
            if not skilled:
                unplanned[job.id] = PINNED_UNAVAILABLE
                continue
        else:
            skilled = [t for t in problem.technicians if _can_serve(t, job)]
        if not skilled:
            unplanned[job.id] = NO_SKILLED_TECHNICIAN
            continue
        working = [t for t in skilled if t.has_shift]
        if not working:
            unplanned[job.id] = NO_SHIFT
            continue
        if not any(_reachable(problem, t, job) for t in working):
            unplanned[job.id] = WINDOW_UNREACHABLE
            continue
        plannable.append(job)
    return plannable, unplanned


# ----------------------------------------------------------------------
# Solvers
# ----------------------------------------------------------------------
def exploration_level(jobs):
    """vroom's search depth (1-5) for a day of ``jobs`` jobs: 5 finds the best
    routes but its first phase ignores the time limit on big days (5,000
    jobs over 1,000 technicians: 165 s for a 40 s limit at 5, 41 s at 1 for
    1 % more distance)."""
    return 5 if jobs <= 1000 else 3 if jobs <= 2500 else 1


def solve(problem, solver="vroom", seconds=5.0, threads=2, seed=0, exploration=None):
    """Plan ``problem`` with ``solver`` (``SOLVERS``) in at most about
    ``seconds`` (vroom may overrun it on days of thousands of jobs: see
    :func:`exploration_level`, or give ``exploration``); the jobs no
    technician can do are left out first with their reason, those that do not
    fit get ``NO_ROOM``."""
    if solver not in SOLVERS:
        raise ValueError(f"unknown solver {solver!r}: one of {', '.join(SOLVERS)}")
    jobs, unplanned = precheck(problem)
    techs = [t for t in problem.technicians if t.has_shift]
    if not jobs or not techs:
        return Solution(routes=[], unplanned=unplanned, solver=solver)
    sub = Problem(techs, jobs, problem.matrix, problem.fixed_cost)
    from . import route_solvers  # the adapters use this module's schedule

    planner = {
        "vroom": route_solvers.solve_vroom,
        "pyvrp": route_solvers.solve_pyvrp,
        "greedy": route_solvers.solve_greedy,
    }
    options = {"seconds": seconds, "threads": threads, "seed": seed}
    if solver == "vroom":
        options["exploration"] = exploration or exploration_level(len(jobs))
    orders = planner[solver](sub, **options)
    by_id = {j.id: j for j in jobs}
    routes = []
    for tech in techs:
        job_ids, break_after = orders.get(tech.id, ([], None))
        if not job_ids:
            continue
        route, _issues = schedule(
            problem, tech, [by_id[i] for i in job_ids], break_after
        )
        routes.append(route)
    planned = {i for r in routes for i in r.job_ids}
    for job in jobs:
        if job.id not in planned:
            unplanned[job.id] = NO_ROOM
    return Solution(routes=routes, unplanned=unplanned, solver=solver)
