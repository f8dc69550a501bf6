# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The solvers behind :func:`routes.solve`, one adapter each (no ORM).

In: a :class:`routes.Problem` whose jobs and technicians passed
:func:`routes.precheck`. Out: ``{technician id: (job ids in visit order,
break_after)}``, where ``break_after`` is how many jobs come before the
break (``None``: no break); :func:`routes.solve` turns it into timed routes
with :func:`routes.schedule`. vroom and PyVRP are imported only when used.
"""

from .routes import Unsupported, _can_serve, schedule

UNREACHABLE = 10**9  # travel time that forbids an edge (PyVRP profiles)


def _dense(values):
    return {value: index + 1 for index, value in enumerate(sorted(values))}


def solve_vroom(problem, seconds, threads, seed, exploration=5):
    """``{technician id: (job ids in order, break_after)}`` by vroom."""
    import datetime
    import time

    import numpy
    import vroom

    began = time.perf_counter()
    techs, jobs, m = problem.technicians, problem.jobs, problem.matrix
    skill_ids = _dense(
        {s for t in techs for s in t.skills} | {s for j in jobs for s in j.skills}
    )
    pin_base = len(skill_ids) + 1
    pin_index = {t.id: pin_base + i for i, t in enumerate(techs)}
    instance = vroom.Input()
    total = sum(j.load for j in jobs) + 1
    # one conversion of the whole matrix (lists or a numpy array alike)
    durations = numpy.rint(numpy.asarray(m.durations, dtype=float)).astype("uint32")
    instance.set_durations_matrix("car", durations)
    for index, tech in enumerate(techs):
        breaks = ()
        if tech.has_break:
            breaks = [
                vroom.Break(
                    1,
                    time_windows=[vroom.TimeWindow(*map(int, tech.break_window))],
                    service=int(tech.break_duration),
                )
            ]
        instance.add_vehicle(
            vroom.Vehicle(
                index + 1,
                start=tech.start,
                end=tech.end,
                skills={skill_ids[s] for s in tech.skills} | {pin_index[tech.id]},
                time_window=vroom.TimeWindow(
                    int(tech.shift_start), int(tech.shift_end)
                ),
                breaks=breaks,
                costs=vroom.VehicleCosts(fixed=int(problem.fixed_cost)),
                max_tasks=tech.max_jobs if tech.max_jobs is not None else 2**31,
                capacity=[tech.capacity if tech.capacity is not None else total],
            )
        )
    for index, job in enumerate(jobs):
        skills = {skill_ids[s] for s in job.skills}
        if job.pinned is not None:
            skills.add(pin_index[job.pinned])
        instance.add_job(
            vroom.Job(
                index + 1,
                location=job.location,
                default_service=round(job.service),
                delivery=vroom.Amount([int(job.load)]),
                skills=skills,
                priority=max(0, min(100, int(job.priority))),
                time_windows=[vroom.TimeWindow(int(o), int(c)) for o, c in job.windows],
            )
        )
    timeout = None
    if seconds:  # the time spent building the input counts
        left = max(0.1, seconds - (time.perf_counter() - began) - 0.2)
        timeout = datetime.timedelta(seconds=left)
    result = instance.solve(
        exploration_level=exploration, nb_threads=threads, timeout=timeout
    )
    orders = {}
    for route in result.to_dict().get("routes", []):
        tech = techs[route["vehicle"] - 1]
        job_ids, break_after = [], None
        for step in route["steps"]:
            if step["type"] == "job":
                job_ids.append(jobs[step["id"] - 1].id)
            elif step["type"] == "break":
                break_after = len(job_ids)
        orders[tech.id] = (job_ids, break_after)
    return orders


def solve_pyvrp(problem, seconds, threads, seed):
    """``{technician id: (job ids in order, None)}`` by PyVRP (hybrid genetic
    search). Not supported: breaks, several windows per job (raise
    :class:`Unsupported`); skills and pinning become routing profiles (one per
    distinct set of skills/pins among the technicians)."""
    import time
    import warnings

    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    began = time.perf_counter()
    techs, jobs = problem.technicians, problem.jobs
    if any(t.has_break for t in techs):
        raise Unsupported("pyvrp: breaks are not supported, use vroom")
    if any(len(j.windows) > 1 for j in jobs):
        raise Unsupported("pyvrp: one time window per job only, use vroom")
    if any(t.start is None or t.end is None for t in techs):
        raise Unsupported("pyvrp: every technician needs a start and an end")
    model = Model()
    types = _pyvrp_model(model, problem)
    data = model.data()  # built once here, so that its time counts
    left = max(0.2, seconds * 0.95 - (time.perf_counter() - began) * 2 - 0.1)
    with warnings.catch_warnings():
        # the fixed cost per technician dwarfs the distances, on purpose
        warnings.simplefilter("ignore")
        result = model.solve(stop=MaxRuntime(left), seed=seed, display=False)
    del data
    if not result.best.is_feasible():
        return {}
    orders = {}
    for route in result.best.routes():
        tech = types[route.vehicle_type()].pop(0)
        visits = [a.idx for a in route if a.is_client()]
        orders[tech.id] = ([jobs[idx].id for idx in visits], None)
    return orders


def _pyvrp_model(model, problem):
    """Fill the PyVRP ``model``; the technicians of each vehicle type."""
    techs, jobs, m = problem.technicians, problem.jobs, problem.matrix
    # one PyVRP location per depot (distinct start/end) and one per job, each
    # mapped to its index in our matrix: jobs at the same address stay apart
    depot_indices = sorted({t.start for t in techs} | {t.end for t in techs})
    places = []  # (PyVRP location, index in our matrix)
    depots = {}
    for index in depot_indices:
        place = model.add_location(x=0, y=0)
        places.append((place, index))
        depots[index] = model.add_depot(place)
    horizon = max(int(t.shift_end) for t in techs)
    big_prize = (int(problem.fixed_cost) + 1) * 10 + horizon * 10
    job_places = []
    for job in jobs:
        open_, close = job.windows[0] if job.windows else (0, horizon)
        place = model.add_location(x=0, y=0)
        places.append((place, job.location))
        job_places.append(place)
        model.add_client(
            place,
            delivery=[1, int(job.load)],
            service_duration=round(job.service),
            tw_early=int(open_),
            tw_late=int(close),
            prize=big_prize * (1 + int(job.priority)),
            required=False,
        )
    for frm, i in places:
        for to, j in places:
            if frm is not to:
                model.add_edge(
                    frm,
                    to,
                    distance=round(m.distance(i, j)),
                    duration=round(m.duration(i, j)),
                )
    restricted = any(j.skills or j.pinned is not None for j in jobs)
    profiles, groups = {}, {}
    if restricted:  # profile 0, the default one, must be the unrestricted one
        profiles[frozenset()] = model.add_profile()
    for tech in techs:
        forbidden = frozenset()
        if restricted:
            forbidden = frozenset(
                k for k, j in enumerate(jobs) if not _can_serve(tech, j)
            )
        if forbidden not in profiles:
            profile = profiles[forbidden] = model.add_profile()
            for k in forbidden:
                for frm, _i in places:
                    if frm is not job_places[k]:
                        model.add_edge(
                            frm,
                            job_places[k],
                            distance=UNREACHABLE,
                            duration=UNREACHABLE,
                            profile=profile,
                        )
        key = (tech.start, tech.end, tech.shift_start, tech.shift_end)
        key += (tech.max_jobs, tech.capacity, forbidden)
        groups.setdefault(key, []).append(tech)
    types = []
    total = sum(j.load for j in jobs) + 1
    for (
        start,
        end,
        shift_start,
        shift_end,
        max_jobs,
        capacity,
        forbidden,
    ), members in groups.items():
        types.append(members)
        model.add_vehicle_type(
            num_available=len(members),
            capacity=[
                max_jobs if max_jobs is not None else len(jobs),
                capacity if capacity is not None else total,
            ],
            start_depot=depots[start],
            end_depot=depots[end],
            fixed_cost=int(problem.fixed_cost),
            tw_early=int(shift_start),
            tw_late=int(shift_end),
            profile=profiles.get(forbidden),
        )
    return types


def solve_greedy(problem, seconds, threads, seed):
    """Sequential nearest-neighbour construction: each technician in turn
    leaves his start and goes to the feasible job that can begin soonest
    (travel plus wait), until none fits; the break is taken as soon as the
    next job would push it out of its window."""
    techs, m = problem.technicians, problem.matrix
    left = sorted(problem.jobs, key=lambda j: -j.priority)
    orders = {}
    for tech in techs:
        route, break_after = [], None
        while left:
            best, best_key, best_break = None, None, None
            for job in left:
                if not _can_serve(tech, job):
                    continue
                if tech.max_jobs is not None and len(route) >= tech.max_jobs:
                    break
                if tech.capacity is not None and (
                    sum(j.load for j in route) + job.load > tech.capacity
                ):
                    continue
                options = [break_after]
                if tech.has_break and break_after is None:
                    options = [None, len(route)]
                for option in options:
                    trial = option
                    if tech.has_break and trial is None:
                        # keep room for the break at the end
                        trial = len(route) + 1
                    sched, issues = schedule(problem, tech, [*route, job], trial)
                    if issues:
                        continue
                    where = route[-1].location if route else tech.start
                    key = (
                        -job.priority,
                        sched.stops[-1].start - (sched.stops[-2].end if route else 0),
                        m.duration(where, job.location),
                    )
                    if best_key is None or key < best_key:
                        best, best_key, best_break = job, key, option
                    break
            if best is None:
                break
            route.append(best)
            break_after = best_break
            left.remove(best)
        if route:
            if tech.has_break and break_after is None:
                break_after = len(route)
            orders[tech.id] = ([j.id for j in route], break_after)
    return orders
