# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Batch technician dispatch: the plan, and its apply at once or in the background.

Targets: dispatch 2,000 installation orders over 1,000 technicians with
skills, service areas and capacities: the plan (the wizard's reads, the
min-cost assignment and its lines) in at most 5 s; the apply either in at
most 10 s or as a background job with visible progress (the wizard applies a
plan of more than ``APPLY_NOW_MAX`` orders in background steps). The total
travel distance is printed next to a greedy nearest-eligible assignment of
the same orders, for information: the plan is the exact optimum, so the ratio
is a property of the scenario (no target).

Scenario (built with the ORM in batched creates, untimed, seeded):

* 4 cities (Shanghai, Hangzhou, Nanjing, Suzhou) holding 40 / 22 / 20 / 18 %
  of the orders and of the technicians. Each city has 10 districts, each a
  4-digit ZIP prefix under the city's 3-digit one ("3100".."3109" under
  "310"), centred at random within 20 km of the city centre.
* Demand is clustered and uneven: each district gets a log-normal weight;
  addresses scatter around their district centre (sigma 3 km). Technicians
  live in districts drawn with independent weights (sigma 5 km around the
  centre), so some districts are short of technicians and others have spare
  ones, as in real networks.
* Service areas: 30 % of the technicians cover their whole city (3-digit
  prefix); the others their home district and its 1-2 nearest districts
  (4-digit prefixes).
* 5 skills (hr.skill.type with Beginner / Qualified / Expert levels); each
  technician has 1-4 of them. 8 installable products in 5 categories require
  skills at a minimum level; gas appliances also require a valid gas
  certification (product category flag). 85 % of the technicians with a gas
  skill at Qualified or more hold one; some are expired, some only start on
  day 2. 15 % of the orders install two products.
* Capacity 1-4 jobs a day (20 / 35 / 30 / 15 %). Earlier dispatches already
  booked part of the slots (plain orders assigned to the technicians), so
  that the free slots of each city and day are about ``FREE_PER_ORDER`` (1.35)
  times its orders: capacity is tight and who goes where matters.
* 3 % of the technicians are suspended (with a reason), 3 % have no
  coordinates, 1 % refuse one customer of their city.
* The orders are installation orders (type Installation, product lines, the
  products' skills as required skills) planned on 2 days (55 / 45 %), in a
  random order (the greedy baseline takes them in the wizard's order).

Measured, in one transaction rolled back at the end:

1. the engine inputs read through the model (``orders._dispatch_jobs()`` and
   ``orders._dispatch_techs(...)``, cold ORM cache), ``dispatch.plan_batch``
   and ``dispatch.plan_greedy`` on those same inputs, and the total distance
   of both plans;
2. the plan, the real wizard (cold ORM cache): ``fsm.dispatch.batch``
   created with the orders as active_ids and ``action_plan()`` (reads, both
   plans, plan lines);
3. the apply of the whole plan in one request, as the wizard does for a plan
   of at most ``APPLY_NOW_MAX`` orders (lock, re-check, writes, then the
   flush and the pre-commit hooks, Odoo's tracking, as the commit runs them),
   in a savepoint rolled back afterwards;
4. the apply as the wizard does it for this plan: ``action_apply()`` (the
   dispatcher's request: it hands the plan to the background job), then the
   job's steps as Odoo's cron runs them (``_cron_apply()``, each step followed
   by the flush and pre-commit hooks its commit runs; nothing is committed).

Then, untimed: no technician has more than ``max_jobs_per_day`` open orders on
a day (read_group over all orders, booked ones included), every applied
assignment is eligible per ``dispatch.evaluate`` (re-read from the database)
and per the scenario's own ground truth, and the orders got what the plan said.

Run it on a database where fieldservice_install is installed::

    python3 bench/bench_dispatch.py --database DB [--orders 2000]
        [--technicians 1000] [--seed 1] [--json PATH] [--addons-path PATH]
        [other odoo options, e.g. --db_host ...]

Exit code: 0 when the run is correct (targets met or not), 1 when a check
fails (capacity exceeded, ineligible assignment, plan not applied), 2 when the
database cannot be used.
"""

import argparse
import math
import random
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from unittest.mock import patch

from benchlib import REPO, bench_env, figure, run_main, write_json

from odoo.fields import Command
from odoo.tools import SQL

dispatch = None  # odoo.addons.fieldservice_install.engine.dispatch, once loaded
batch_module = None  # odoo.addons.fieldservice_install.wizards.fsm_dispatch_batch
server_owned_writes = None  # odoo.addons.fieldservice_install.tools.server_owned
TARGET_PLAN_SECONDS = 5.0
TARGET_APPLY_SECONDS = 10.0
MAX_STEPS = 1000
TZ = "Asia/Shanghai"
UTC_OFFSET_H = 8  # Asia/Shanghai, no daylight saving time

# name, latitude, longitude, 3-digit ZIP prefix, share of orders and technicians
CITIES = (
    ("Shanghai", 31.23, 121.47, "200", 0.40),
    ("Hangzhou", 30.27, 120.15, "310", 0.22),
    ("Nanjing", 32.06, 118.80, "210", 0.20),
    ("Suzhou", 31.30, 120.62, "215", 0.18),
)
DISTRICTS = 10
DISTRICT_RADIUS_KM = 20.0
ORDER_SPREAD_KM = 3.0
TECH_SPREAD_KM = 5.0
DEMAND_SIGMA = 0.9  # log-normal district weights
SUPPLY_SIGMA = 0.6
DAY_SHARES = (0.55, 0.45)
START_HOURS = (9, 11, 14, 16)  # local time
FREE_PER_ORDER = 1.35
CITY_WIDE = 0.30
CAPACITY_WEIGHTS = {1: 0.20, 2: 0.35, 3: 0.30, 4: 0.15}
SKILL_COUNT_WEIGHTS = {1: 0.25, 2: 0.40, 3: 0.25, 4: 0.10}
SUSPENDED = 0.03
NO_COORDINATES = 0.03
BLOCKING = 0.01
TWO_PRODUCTS = 0.15
GAS_CERTIFIED = 0.85
CERT_EXPIRED = 0.10
CERT_FROM_DAY2 = 0.05

LEVELS = (("Beginner", 25), ("Qualified", 60), ("Expert", 100))
LEVEL_WEIGHTS = (0.30, 0.50, 0.20)
# skill: how often a technician has it
SKILLS = {
    "heater": ("Water heater installation", 0.30),
    "gas": ("Gas appliance installation", 0.15),
    "lock": ("Lock installation", 0.25),
    "water": ("Water treatment", 0.15),
    "kitchen": ("Kitchen appliance installation", 0.15),
}
# category: certification required
CATEGORIES = {
    "Water Heaters": False,
    "Gas Appliances": True,
    "Kitchen": False,
    "Water Treatment": False,
    "Security": False,
}
# product: share of the orders, category, hours, {skill: minimum level}
PRODUCTS = {
    "Electric water heater 60L": (0.22, "Water Heaters", 1.5, {"heater": 25}),
    "Gas water heater 16L": (
        0.10,
        "Gas Appliances",
        2.0,
        {"heater": 60, "gas": 60},
    ),
    "Gas hob": (0.06, "Gas Appliances", 1.0, {"kitchen": 25, "gas": 60}),
    "Range hood": (0.14, "Kitchen", 1.5, {"kitchen": 25}),
    "Built-in dishwasher": (0.08, "Kitchen", 2.0, {"kitchen": 60}),
    "Water purifier": (0.15, "Water Treatment", 1.0, {"water": 25}),
    "Whole-house water softener": (0.05, "Water Treatment", 3.0, {"water": 100}),
    "Smart door lock": (0.20, "Security", 1.0, {"lock": 25}),
}
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao")
GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Jun", "Yong", "Jie", "Tao", "Ming")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--technicians", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--addons-path", default=str(REPO))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args, odoo_args = parser.parse_known_args()
    if args.orders < 1 or args.technicians < 1:
        parser.error("--orders and --technicians must be at least 1")
    return args, odoo_args


# ----------------------------------------------------------------------
# Scenario (plain Python, seeded)
# ----------------------------------------------------------------------
def _offset(rng, lat, lon, sigma_km=None, radius_km=None):
    """A point around (lat, lon): Gaussian (sigma) or uniform in a disc."""
    if radius_km is not None:
        dist = radius_km * math.sqrt(rng.random())
        angle = rng.uniform(0, 2 * math.pi)
        dy, dx = dist * math.sin(angle), dist * math.cos(angle)
    else:
        dy, dx = rng.gauss(0, sigma_km), rng.gauss(0, sigma_km)
    return (
        round(lat + dy / 111.2, 6),
        round(lon + dx / (111.2 * math.cos(math.radians(lat))), 6),
    )


def _pick(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _districts(rng):
    districts = []
    for city, lat, lon, prefix, _share in CITIES:
        for i in range(DISTRICTS):
            d_lat, d_lon = _offset(rng, lat, lon, radius_km=DISTRICT_RADIUS_KM)
            districts.append(
                {
                    "city": city,
                    "prefix": f"{prefix}{i}",
                    "lat": d_lat,
                    "lon": d_lon,
                    "demand": rng.lognormvariate(0, DEMAND_SIGMA),
                    "supply": rng.lognormvariate(0, SUPPLY_SIGMA),
                }
            )
    for d in districts:
        d["nearest"] = sorted(
            (o for o in districts if o["city"] == d["city"] and o is not d),
            key=lambda o: dispatch.haversine_km(d["lat"], d["lon"], o["lat"], o["lon"]),
        )
    return districts


def _orders(rng, count, districts, days):
    city_share = {c[0]: c[4] for c in CITIES}
    product_share = {name: spec[0] for name, spec in PRODUCTS.items()}
    orders = []
    for i in range(count):
        city = _pick(rng, city_share)
        local = [d for d in districts if d["city"] == city]
        district = rng.choices(local, weights=[d["demand"] for d in local])[0]
        products = [_pick(rng, product_share)]
        if rng.random() < TWO_PRODUCTS:
            second = _pick(rng, product_share)
            if PRODUCTS[second][1] != PRODUCTS[products[0]][1]:
                products.append(second)
        skills = {}
        for name in products:
            for skill, level in PRODUCTS[name][3].items():
                skills[skill] = max(skills.get(skill, 0), level)
        lat, lon = _offset(rng, district["lat"], district["lon"], ORDER_SPREAD_KM)
        orders.append(
            {
                "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} ({i})",
                "city": city,
                "district": district,
                "zip": f"{district['prefix']}{rng.randrange(100):02d}",
                "lat": lat,
                "lon": lon,
                "day": rng.choices(days, weights=DAY_SHARES)[0],
                "hour": rng.choice(START_HOURS),
                "products": products,
                "skills": skills,
                "gas": any(CATEGORIES[PRODUCTS[p][1]] for p in products),
            }
        )
    return orders


def _tech_skills(rng):
    count = _pick(rng, SKILL_COUNT_WEIGHTS)
    names = list(SKILLS)
    chosen = set()
    while len(chosen) < count:
        chosen.add(rng.choices(names, weights=[SKILLS[n][1] for n in names])[0])
    return {
        skill: rng.choices([lv for _n, lv in LEVELS], weights=LEVEL_WEIGHTS)[0]
        for skill in sorted(chosen)
    }


def _tech_certification(rng, skills, days):
    """(valid_from, valid_to) of a gas certification, or None."""
    if skills.get("gas", 0) < 60 or rng.random() >= GAS_CERTIFIED:
        return None
    roll = rng.random()
    if roll < CERT_EXPIRED:
        expired = days[0] - timedelta(days=rng.randint(1, 60))
        return expired - timedelta(days=730), expired
    if roll < CERT_EXPIRED + CERT_FROM_DAY2:
        return days[1], days[1] + timedelta(days=730)
    start = days[0] - timedelta(days=rng.randint(30, 700))
    return start, start + timedelta(days=730)


def _techs(rng, count, districts, days):
    city_share = {c[0]: c[4] for c in CITIES}
    city_prefix = {c[0]: c[3] for c in CITIES}
    techs = []
    for i in range(count):
        city = _pick(rng, city_share)
        local = [d for d in districts if d["city"] == city]
        home = rng.choices(local, weights=[d["supply"] for d in local])[0]
        if rng.random() < CITY_WIDE:
            prefixes = [city_prefix[city]]
        else:
            extra = home["nearest"][: rng.randint(1, 2)]
            prefixes = [home["prefix"], *(d["prefix"] for d in extra)]
        lat, lon = _offset(rng, home["lat"], home["lon"], TECH_SPREAD_KM)
        if rng.random() < NO_COORDINATES:
            lat = lon = None
        skills = _tech_skills(rng)
        techs.append(
            {
                "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} #{i:04d}",
                "city": city,
                "prefixes": prefixes,
                "lat": lat,
                "lon": lon,
                "capacity": _pick(rng, CAPACITY_WEIGHTS),
                "suspended": rng.random() < SUSPENDED,
                "skills": skills,
                "cert": _tech_certification(rng, skills, days),
                "blocked": None,
                "rating": round(rng.uniform(3.0, 5.0), 2),
                "cost": round(rng.uniform(80, 200), 0),
                "booked": Counter(),
            }
        )
    return techs


def _book(rng, techs, orders, days):
    """Booked slots per (city, day): free slots ~ FREE_PER_ORDER x orders."""
    demand = Counter((o["city"], o["day"]) for o in orders)
    stats = {}
    for city, *_rest in CITIES:
        city_techs = [t for t in techs if t["city"] == city and not t["suspended"]]
        slots = [t for t in city_techs for _i in range(t["capacity"])]
        for day in days:
            booked = max(0, len(slots) - round(FREE_PER_ORDER * demand[(city, day)]))
            for tech in rng.sample(slots, booked):
                tech["booked"][day] += 1
            stats[(city, day)] = (len(slots), booked, demand[(city, day)])
    return stats


def build_scenario(seed, n_orders, n_techs, days):
    rng = random.Random(seed)
    districts = _districts(rng)
    orders = _orders(rng, n_orders, districts, days)
    techs = _techs(rng, n_techs, districts, days)
    by_city = defaultdict(list)
    for index, order in enumerate(orders):
        by_city[order["city"]].append(index)
    for tech in techs:
        if rng.random() < BLOCKING and by_city[tech["city"]]:
            tech["blocked"] = rng.choice(by_city[tech["city"]])  # an order index
    stats = _book(rng, techs, orders, days)
    rng.shuffle(orders)  # the wizard (and greedy) take them in creation order
    return orders, techs, stats


# ----------------------------------------------------------------------
# Records (ORM, batched creates)
# ----------------------------------------------------------------------
def create_catalog(env):
    skill_type = env["hr.skill.type"].create(
        {
            "name": "Installation (dispatch bench)",
            "skill_ids": [Command.create({"name": s[0]}) for s in SKILLS.values()],
            "skill_level_ids": [
                Command.create({"name": name, "level_progress": progress})
                for name, progress in LEVELS
            ],
        }
    )
    skill_by_name = {s.name: s for s in skill_type.skill_ids}
    skills = {key: skill_by_name[spec[0]] for key, spec in SKILLS.items()}
    levels = {lv.level_progress: lv for lv in skill_type.skill_level_ids}
    root = env["product.category"].create({"name": "Home Appliances (bench)"})
    categories = env["product.category"].create(
        [
            {"name": name, "parent_id": root.id, "install_certification_required": req}
            for name, req in CATEGORIES.items()
        ]
    )
    categ_by_name = {c.name: c for c in categories}
    names = list(PRODUCTS)
    products = env["product.product"].create(
        [
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "install_required": True,
                "install_duration": PRODUCTS[name][2],
                "categ_id": categ_by_name[PRODUCTS[name][1]].id,
                "list_price": 1000.0,
            }
            for name in names
        ]
    )
    product_by_name = dict(zip(names, products, strict=True))
    env["product.install.skill"].create(
        [
            {
                "product_tmpl_id": product_by_name[name].product_tmpl_id.id,
                "skill_type_id": skill_type.id,
                "skill_id": skills[skill].id,
                "min_level_id": levels[level].id,
            }
            for name in names
            for skill, level in PRODUCTS[name][3].items()
        ]
    )
    return {
        "skill_type": skill_type,
        "skills": skills,
        "levels": levels,
        "root": root,
        "gas_category": categ_by_name["Gas Appliances"],
        "products": product_by_name,
    }


def create_locations(env, orders):
    """A customer and its service address (an fsm.location) for each order.

    The address partners are created first, in one batch, as children of the
    customers: fsm.location then has no partner of its own to re-parent.
    """
    china = env.ref("base.cn")
    address = [
        {
            "street": f"{100 + i % 900} Bench Road",
            "city": o["city"],
            "zip": o["zip"],
            "country_id": china.id,
        }
        for i, o in enumerate(orders)
    ]
    customers = env["res.partner"].create(
        [dict(a, name=o["name"]) for o, a in zip(orders, address, strict=True)]
    )
    # as fsm.location.create() makes them (no second location from res.partner)
    partners = (
        env["res.partner"]
        .with_context(creating_fsm_location=True)
        .create(
            [
                dict(
                    a,
                    name=f"{o['name']} home",
                    parent_id=customer.id,
                    type="fsm_location",
                    fsm_location=True,
                    partner_latitude=o["lat"],
                    partner_longitude=o["lon"],
                )
                for o, a, customer in zip(orders, address, customers, strict=True)
            ]
        )
    )
    stage = env["fsm.location"]._default_stage_id()  # computed once, not per record
    locations = env["fsm.location"].create(
        [
            {"partner_id": partner.id, "owner_id": customer.id, "stage_id": stage.id}
            for partner, customer in zip(partners, customers, strict=True)
        ]
    )
    for order, customer, location in zip(orders, customers, locations, strict=True):
        order["customer_id"] = customer.id
        order["location_id"] = location.id


def _create_persons(env, techs, china, customer_of, stage):
    return env["fsm.person"].create(
        [
            {
                "name": t["name"],
                "stage_id": stage.id,
                "city": t["city"],
                "country_id": china.id,
                "partner_latitude": t["lat"] or 0.0,
                "partner_longitude": t["lon"] or 0.0,
                "service_zip_prefixes": ",".join(t["prefixes"]),
                "max_jobs_per_day": t["capacity"],
                "dispatch_state": "suspended" if t["suspended"] else "active",
                "suspension_reason": t["suspended"] and "Customer complaint review",
                "job_cost": t["cost"],
                "blocked_partner_ids": [
                    Command.set(
                        [customer_of[t["blocked"]]] if t["blocked"] is not None else []
                    )
                ],
            }
            for t in techs
        ]
    )


def create_techs(env, techs, orders, catalog):
    china = env.ref("base.cn")
    customer_of = {i: o["customer_id"] for i, o in enumerate(orders)}
    stage = env["fsm.person"]._default_stage_id()  # computed once, not per record
    # the ratings are made up: written as the server's rating code writes them
    with server_owned_writes():
        persons = _create_persons(env, techs, china, customer_of, stage)
    skill_vals, cert_vals = [], []
    for tech, person in zip(techs, persons, strict=True):
        tech["person_id"] = person.id
        if tech["blocked"] is not None:
            tech["blocked"] = customer_of[tech["blocked"]]
        for skill, level in tech["skills"].items():
            skill_vals.append(
                {
                    "person_id": person.id,
                    "skill_id": catalog["skills"][skill].id,
                    "skill_type_id": catalog["skill_type"].id,
                    "skill_level_id": catalog["levels"][level].id,
                }
            )
        if tech["cert"]:
            valid_from, valid_to = tech["cert"]
            on_root = len(cert_vals) % 5 == 0  # some certified for the parent
            cert_vals.append(
                {
                    "person_id": person.id,
                    "product_category_id": (
                        catalog["root"] if on_root else catalog["gas_category"]
                    ).id,
                    "number": f"GAS-{person.id:06d}",
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                }
            )
    env["fsm.person.skill"].create(skill_vals)
    env["fsm.person.certification"].create(cert_vals)
    return persons


def _utc(day, hour):
    return datetime.combine(day, datetime.min.time()) + timedelta(
        hours=hour - UTC_OFFSET_H
    )


def create_orders(env, orders, techs, catalog):
    """The orders to dispatch, and the orders booked by earlier dispatches."""
    install_type = env.ref("fieldservice_install.fsm_order_type_installation")
    skills = catalog["skills"]
    model = env["fsm.order"]
    defaults = {  # computed once, not per record
        "stage_id": model._default_stage_id().id,
        "warehouse_id": model._default_warehouse_id(),
    }
    new = model.create(
        [
            {
                **defaults,
                "name": f"INS/BENCH/{i:05d}",
                "type": install_type.id,
                "location_id": o["location_id"],
                "scheduled_date_start": _utc(o["day"], o["hour"]),
                "scheduled_duration": sum(PRODUCTS[p][2] for p in o["products"]),
                "skill_ids": [Command.set([skills[s].id for s in o["skills"]])],
                "install_line_ids": [
                    Command.create(
                        {"product_id": catalog["products"][p].id, "quantity": 1.0}
                    )
                    for p in o["products"]
                ],
            }
            for i, o in enumerate(orders, start=1)
        ]
    )
    for order, record in zip(orders, new, strict=True):
        order["order_id"] = record.id
    locations_by_city = defaultdict(list)
    for o in orders:
        locations_by_city[o["city"]].append(o["location_id"])
    rng = random.Random(len(orders))
    booked = [
        {
            **defaults,
            "name": f"BOOKED/{t['person_id']}/{day}/{n}",
            "location_id": rng.choice(locations_by_city[t["city"]]),
            "person_id": t["person_id"],
            "scheduled_date_start": _utc(day, START_HOURS[n % len(START_HOURS)]),
            "scheduled_duration": 2.0,
        }
        for t in techs
        for day, count in sorted(t["booked"].items())
        for n in range(count)
    ]
    env["fsm.order"].create(booked)
    return new, len(booked)


def analyze(cr):
    """Refresh the planner statistics of the tables this transaction changed."""
    cr.execute(
        "SELECT relid::regclass::text FROM pg_stat_xact_user_tables"
        " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
    )
    tables = [SQL(name) for (name,) in cr.fetchall()]
    if tables:
        cr.execute(SQL("ANALYZE %s", SQL(", ").join(tables)))


def setup(env, args, days):
    orders, techs, stats = build_scenario(
        args.seed, args.orders, args.technicians, days
    )
    quiet = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )
    )
    catalog = create_catalog(quiet)
    create_locations(quiet, orders)
    create_techs(quiet, techs, orders, catalog)
    records, n_booked = create_orders(quiet, orders, techs, catalog)
    env.flush_all()
    analyze(env.cr)
    env.invalidate_all()
    # plan_batch imports scipy lazily: a server worker pays that once, not per run
    import scipy.sparse.csgraph  # noqa: F401

    return orders, techs, stats, records.with_env(env), n_booked


# ----------------------------------------------------------------------
# Measures
# ----------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.rows = []

    def time(self, label, func, *args):
        start = time.perf_counter()
        result = func(*args)
        self.rows.append((label, time.perf_counter() - start))
        return result


def engine_run(env, orders, clock):
    env.invalidate_all()
    jobs = clock.time("read jobs (orders._dispatch_jobs)", orders._dispatch_jobs)
    days = {j.day for j in jobs}
    techs = clock.time(
        "read technicians (orders._dispatch_techs)",
        orders._dispatch_techs,
        orders.company_id,
        days,
    )
    plan = clock.time(
        "plan_batch (min-cost assignment)", dispatch.plan_batch, jobs, techs
    )
    greedy = clock.time(
        "plan_greedy (nearest eligible first)", dispatch.plan_greedy, jobs, techs
    )
    return jobs, techs, plan, greedy


def commit_work(env):
    """What a commit runs before COMMIT: the flush and the pre-commit hooks
    (Odoo's tracking messages). Nothing is committed."""
    env.flush_all()
    env.cr.precommit.run()


def plan_run(env, orders, clock):
    """The wizard's plan, cold ORM cache: (wizard, seconds)."""
    env.invalidate_all()
    start = time.perf_counter()
    wizard = clock.time(
        "plan: wizard create (default_get)",
        env["fsm.dispatch.batch"]
        .with_context(active_model="fsm.order", active_ids=orders.ids)
        .create,
        {},
    )
    clock.time("plan: action_plan (reads, both plans, lines)", wizard.action_plan)
    clock.time("plan: flush", env.flush_all)
    return wizard, time.perf_counter() - start


def apply_at_once_run(env, wizard, clock):
    """The whole plan applied in one request (as for a small plan), rolled
    back afterwards: seconds."""
    with (
        env.cr.savepoint() as savepoint,
        patch.object(batch_module, "APPLY_NOW_MAX", len(wizard.line_ids) + 1),
    ):
        env.invalidate_all()
        start = time.perf_counter()
        clock.time(
            "apply at once: action_apply (lock, re-check, writes)",
            wizard.action_apply,
        )
        clock.time("apply at once: flush + pre-commit (tracking)", commit_work, env)
        seconds = time.perf_counter() - start
        savepoint.rollback()
    env.invalidate_all()
    return seconds


def apply_background_run(env, wizard, clock):
    """The apply as the wizard does it: the request, then the background
    job's steps as the cron runs them; (request s, [step s], total s)."""
    env.invalidate_all()
    start = time.perf_counter()
    clock.time("apply in the background: action_apply (request)", wizard.action_apply)
    clock.time("apply in the background: flush + pre-commit", commit_work, env)
    request = time.perf_counter() - start
    steps = []

    def commit_progress(cron, processed=0, remaining=None, deactivate=False):
        commit_work(env)
        return 60.0

    with patch.object(type(env["ir.cron"]), "_commit_progress", commit_progress):
        while wizard.state == "applying" and len(steps) < MAX_STEPS:
            env.invalidate_all()  # each step is a transaction of its own
            step_start = time.perf_counter()
            env["fsm.dispatch.batch"]._cron_apply()
            steps.append(time.perf_counter() - step_start)
            wizard.invalidate_recordset()
    if steps:
        clock.rows.append(
            (
                f"apply in the background: {len(steps)} steps (cron, commits)",
                sum(steps),
            )
        )
    return request, steps


# ----------------------------------------------------------------------
# Checks (untimed)
# ----------------------------------------------------------------------
def check_capacity(env, persons, days):
    closed = env["fsm.stage"].search([("is_closed", "=", True)])
    groups = env["fsm.order"]._read_group(
        [
            ("person_id", "in", persons.ids),
            ("stage_id", "not in", closed.ids),
            ("scheduled_date_start", ">=", _utc(min(days), 0)),
            ("scheduled_date_start", "<", _utc(max(days) + timedelta(days=1), 0)),
        ],
        groupby=["person_id", "scheduled_date_start:day"],
        aggregates=["__count"],
    )
    over = [
        (person.name, day, count, person.max_jobs_per_day)
        for person, day, count in groups
        if count > person.max_jobs_per_day
    ]
    return len(groups), over


def _truth_reasons(order, tech, day):
    """The scenario's own eligibility rules, independent of the engine inputs."""
    reasons = []
    if tech["suspended"]:
        reasons.append("suspended")
    if not any(order["zip"].startswith(p) for p in tech["prefixes"]):
        reasons.append("area")
    if any(tech["skills"].get(s, -1) < lv for s, lv in order["skills"].items()):
        reasons.append("skill")
    cert = tech["cert"]
    if order["gas"] and not (cert and cert[0] <= day <= cert[1]):
        reasons.append("certification")
    if tech["blocked"] == order["customer_id"]:
        reasons.append("blocked")
    return reasons


def check_assignments(env, records, planned, scenario_orders, scenario_techs):
    """Applied == planned, and each assignment eligible (engine and truth)."""
    env.invalidate_all()
    problems = []
    applied = {o.id: o.person_id.id for o in records if o.person_id}
    wanted = {oid: pid for oid, pid in planned.items() if pid}
    if applied != wanted:
        problems.append(
            f"{len(set(applied.items()) ^ set(wanted.items()))} orders differ "
            "from the wizard's plan"
        )
    assigned = records.filtered("person_id")
    jobs = assigned._dispatch_jobs()
    techs = {
        t.person_id: t
        for t in assigned._dispatch_techs(assigned.company_id, {j.day for j in jobs})
    }
    order_by_id = {o["order_id"]: o for o in scenario_orders}
    tech_by_id = {t["person_id"]: t for t in scenario_techs}
    for job in jobs:
        person_id = applied[job.order_id]
        eligible, reasons = dispatch.evaluate(
            job, techs[person_id], check_capacity=False
        )
        truth = _truth_reasons(
            order_by_id[job.order_id], tech_by_id[person_id], job.day
        )
        if not eligible or truth:
            problems.append(
                f"order {job.order_id} -> person {person_id}: engine {reasons}, "
                f"scenario {truth}"
            )
    return len(jobs), problems


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def report_scenario(args, days, orders, techs, stats, n_booked, jobs, engine_techs):
    print(
        f"\nBatch dispatch, database {args.database}, seed {args.seed}: "
        f"{len(orders)} installation orders on {len(days)} days "
        f"({', '.join(str(d) for d in days)}), {len(techs)} technicians, "
        f"{len(CITIES)} cities x {DISTRICTS} district ZIP prefixes"
    )
    print(
        f"parameters: districts within {DISTRICT_RADIUS_KM:g} km of the city centre, "
        f"log-normal demand sigma {DEMAND_SIGMA} / supply sigma {SUPPLY_SIGMA}, "
        f"addresses sigma {ORDER_SPREAD_KM:g} km, technicians sigma "
        f"{TECH_SPREAD_KM:g} km, city-wide technicians {CITY_WIDE:.0%}, days "
        f"{' / '.join(f'{s:.0%}' for s in DAY_SHARES)}, free slots per order "
        f"{FREE_PER_ORDER}, 2 products {TWO_PRODUCTS:.0%}"
    )
    print(
        f"{'city':<10}{'techs':>7}{'city-wide':>10}{'slots/day':>10}"
        + "".join(f"{f'orders d{i + 1}':>11}{f'booked d{i + 1}':>11}" for i in range(2))
        + "".join(f"{f'free/ord d{i + 1}':>12}" for i in range(2))
    )
    for city, *_rest in CITIES:
        city_techs = [t for t in techs if t["city"] == city]
        wide = sum(1 for t in city_techs if len(t["prefixes"][0]) == 3)
        cells, ratios = "", ""
        for day in days:
            slots, booked, demand = stats[(city, day)]
            cells += f"{demand:>11}{booked:>11}"
            ratios += f"{(slots - booked) / demand if demand else 0:>12.2f}"
        print(
            f"{city:<10}{len(city_techs):>7}{wide:>10}{stats[(city, days[0])][0]:>10}"
            f"{cells}{ratios}"
        )
    certs = [t["cert"] for t in techs if t["cert"]]
    capacity = Counter(t["capacity"] for t in techs)
    print(
        f"technicians: suspended {sum(t['suspended'] for t in techs)}, no coordinates "
        f"{sum(t['lat'] is None for t in techs)}, refusing a customer "
        f"{sum(t['blocked'] is not None for t in techs)}, gas certificates "
        f"{len(certs)} (expired {sum(c[1] < days[0] for c in certs)}, from day 2 "
        f"{sum(c[0] == days[1] for c in certs)}); capacity "
        + " / ".join(f"{k}: {capacity[k]}" for k in sorted(capacity))
        + f" jobs a day; {n_booked} jobs already booked"
    )
    index = dispatch.TechIndex(engine_techs)
    stranded = sum(
        1
        for job in jobs
        if not any(
            dispatch.evaluate(job, t, check_capacity=False)[0]
            for t in index.covering(job)
        )
    )
    print(
        f"orders: 2 products {sum(len(o['products']) > 1 for o in orders)}, gas "
        f"(certification) {sum(o['gas'] for o in orders)}, expert level "
        f"{sum(100 in o['skills'].values() for o in orders)}, no eligible technician "
        f"even with free capacity {stranded}"
    )


def report_distance(jobs, techs, plan, greedy, wizard):
    print(
        f"\n{'plan':<38}{'assigned':>9}{'no dist.':>9}{'total km':>11}{'km/order':>10}"
    )
    totals = {}
    for label, assignment in (
        ("plan_batch (min-cost, ours)", plan),
        ("plan_greedy (nearest eligible first)", greedy),
    ):
        total, unknown = dispatch.total_distance(assignment, jobs, techs)
        known = len(assignment) - unknown
        totals[label] = total
        print(
            f"{label:<38}{len(assignment):>9}{unknown:>9}{total:>11.1f}"
            f"{total / known if known else 0.0:>10.2f}"
        )
    ours, base = totals.values()
    ratio = ours / base if base else float("inf")

    def km(assignment):
        return dispatch.total_distance(assignment, jobs, techs)[0]

    common = {oid: pid for oid, pid in plan.items() if oid in greedy}
    common_ratio = km(common) / max(km({oid: greedy[oid] for oid in common}), 1e-9)
    # the exact optimum for the very orders greedy serves: no plan of those
    # orders can be shorter, so it bounds the ratio reachable on this scenario
    best = dispatch.plan_batch([j for j in jobs if j.order_id in greedy], techs)
    print(
        f"ratio ours / greedy: {ratio:.3f}; on the {len(common)} orders both "
        f"assign: {common_ratio:.3f}; exact optimum for the {len(greedy)} orders "
        f"greedy assigns: {km(best):.1f} km = {km(best) / max(base, 1e-9):.3f}x "
        f"greedy ({len(best)} assigned, "
        f"{dispatch.total_distance(best, jobs, techs)[1]} without distance)"
    )
    print(
        f"the wizard stored {wizard.total_distance:.1f} / "
        f"{wizard.greedy_distance:.1f} km, {wizard.unassigned_count} unassigned; "
        "assignments without distance (technician without coordinates) count 0 km"
    )
    return ratio, ours, base


def report_times(clock, setup_seconds, n_records):
    print(f"\nsetup (untimed below): {setup_seconds:.1f} s, {n_records} orders created")
    print(f"{'step':<60}{'seconds':>9}")
    for label, seconds in clock.rows:
        print(f"{label:<60}{seconds:>9.3f}")


def run(env, args):
    today = date.today()
    days = [today + timedelta(days=2), today + timedelta(days=3)]
    start = time.perf_counter()
    orders, techs, stats, records, n_booked = setup(env, args, days)
    setup_seconds = time.perf_counter() - start
    records = env["fsm.order"].search([("id", "in", records.ids)])  # wizard order
    clock = Clock()
    jobs, engine_techs, plan, greedy = engine_run(env, records, clock)
    wizard, plan_seconds = plan_run(env, records, clock)
    planned = {line.order_id.id: line.person_id.id for line in wizard.line_ids}
    at_once = apply_at_once_run(env, wizard, clock)
    request, steps = apply_background_run(env, wizard, clock)
    report_scenario(args, days, orders, techs, stats, n_booked, jobs, engine_techs)
    report_times(clock, setup_seconds, len(records) + n_booked)
    ratio, ours_km, greedy_km = report_distance(
        jobs, engine_techs, plan, greedy, wizard
    )
    n_planned = sum(1 for pid in planned.values() if pid)
    in_background = bool(steps)
    print(
        f"\nplan of {len(records)} orders (wizard create + plan): "
        f"{plan_seconds:.2f} s; "
        f"target <= {TARGET_PLAN_SECONDS:g} s: "
        f"{'met' if plan_seconds <= TARGET_PLAN_SECONDS else 'NOT met'}"
    )
    print(f"apply of {n_planned} assignments at once (one request): {at_once:.2f} s")
    if in_background:
        print(
            f"apply in the background (plans over {batch_module.APPLY_NOW_MAX} "
            f"orders): the request {request:.2f} s, then {len(steps)} steps of "
            f"{batch_module.APPLY_CHUNK} orders, each committed: "
            f"{sum(steps):.2f} s in all, longest step {max(steps):.2f} s; the "
            f"batch shows its progress after each step ({wizard.apply_message})"
        )
    done_in_background = in_background and wizard.state == "done"
    apply_met = done_in_background or at_once <= TARGET_APPLY_SECONDS
    print(
        f"target: apply <= {TARGET_APPLY_SECONDS:g} s or in the background with "
        f"progress: {'met' if apply_met else 'NOT met'}"
    )
    print(f"distance ours / greedy (information, no target): {ratio:.3f}")
    write_json(
        args.json,
        {
            "dispatch_plan_seconds": figure(
                plan_seconds,
                f"<= {TARGET_PLAN_SECONDS:g} s",
                "s",
                plan_seconds <= TARGET_PLAN_SECONDS,
                label=f"dispatch: plan {len(records)} orders (wizard)",
            ),
            "dispatch_apply_seconds": figure(
                sum(steps) if in_background else at_once,
                f"<= {TARGET_APPLY_SECONDS:g} s or background",
                "s",
                apply_met,
                label=(
                    f"dispatch: apply {n_planned} orders "
                    + (
                        f"(background, {len(steps)} steps; at once {at_once:.1f} s)"
                        if in_background
                        else "(at once)"
                    )
                ),
            ),
            "dispatch_distance_km": figure(
                ours_km,
                "none (exact optimum)",
                "km",
                None,
                baseline=greedy_km,
                ratio=ratio,
                label="dispatch total distance (baseline: greedy nearest)",
            ),
        },
    )
    persons = env["fsm.person"].browse([t["person_id"] for t in techs])
    n_groups, over = check_capacity(env, persons, days)
    n_checked, problems = check_assignments(env, records, planned, orders, techs)
    if n_planned != len(plan):
        problems.append(
            f"the wizard planned {n_planned} orders, plan_batch {len(plan)}"
        )
    if wizard.state != "done" or wizard.skipped_count:
        problems.append(
            f"the batch is {wizard.state}, {wizard.skipped_count} orders not assigned: "
            f"{wizard.apply_message}"
        )
    print(
        f"check: capacity on {n_groups} technician-days, {len(over)} over "
        f"max_jobs_per_day; {n_checked} assignments re-read and checked, "
        f"{len(problems)} problems: {'OK' if not over and not problems else 'FAILED'}"
    )
    for name, day, count, cap in over[:10]:
        print(f"  over capacity: {name} on {day}: {count} > {cap}")
    for problem in problems[:10]:
        print(f"  {problem}")
    return 0 if not over and not problems else 1


def main():
    args, odoo_args = parse_args()
    with bench_env(
        args.database, args.addons_path, odoo_args, "fsm.dispatch.batch"
    ) as env:
        # importable once the registry is loaded
        global dispatch, batch_module, server_owned_writes
        from odoo.addons.fieldservice_install.engine import dispatch
        from odoo.addons.fieldservice_install.tools.server_owned import (
            server_owned_writes,
        )
        from odoo.addons.fieldservice_install.wizards import (
            fsm_dispatch_batch as batch_module,
        )

        env = env(context=dict(env.context, tz=TZ))
        return run(env, args)


if __name__ == "__main__":
    run_main(main)
