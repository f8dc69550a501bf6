# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The warranty verdict engine, without Odoo."""

from datetime import date

from .conftest import load_engine

v = load_engine("warranty_claims", "verdict")

COMPRESSOR, PCB = 10, 11
FAULT, OTHER_FAULT = 1, 2
START = date(2026, 1, 15)
ALL_EXCLUSIONS = frozenset(
    {"misuse", "self_disassembly", "transport", "unauthorised_installer", "no_proof"}
)


def version(vid=1, date_from=None, date_to=None, sanbao=False, pause=False, **kw):
    lines = kw.pop(
        "lines",
        (
            v.Line(v.UNIT, 12, line_id=101),
            v.Line(v.PARTS, 36, frozenset({COMPRESSOR}), line_id=102),
            v.Line(v.LABOUR, 12, line_id=103),
            v.Line(v.TRAVEL, 6, line_id=104),
        ),
    )
    return v.Version(
        vid,
        date_from,
        date_to,
        lines=lines,
        exclusions=kw.pop("exclusions", ALL_EXCLUSIONS),
        sanbao=sanbao,
        pause_in_repair=pause,
        **kw,
    )


def claim(day, **kw):
    return v.Claim(report_date=day, fault_id=kw.pop("fault_id", FAULT), **kw)


# dates -----------------------------------------------------------------
def test_add_months_clamps_to_month_end():
    assert v.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert v.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert v.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_end_dates_per_class():
    ends = v.end_dates(version(), START)
    assert ends == {
        v.UNIT: date(2027, 1, 14),
        v.PARTS: date(2029, 1, 14),
        v.LABOUR: date(2027, 1, 14),
        v.TRAVEL: date(2026, 7, 14),
    }


def test_last_covered_day_and_first_expired_day():
    pol = [version()]
    last = v.decide(pol, START, claim(date(2027, 1, 14)))
    assert last.get(v.UNIT).covered
    assert last.get(v.UNIT).reason == v.COVERED
    assert last.get(v.UNIT).params["end"] == date(2027, 1, 14)
    after = v.decide(pol, START, claim(date(2027, 1, 15)))
    unit = after.get(v.UNIT)
    assert not unit.covered and unit.reason == v.EXPIRED
    assert unit.params["months"] == 12 and unit.params["line_id"] == 101
    # travel expired long before, labour with the unit
    assert after.get(v.TRAVEL).reason == v.EXPIRED
    assert after.get(v.LABOUR).reason == v.EXPIRED


def test_travel_boundary():
    pol = [version()]
    assert v.decide(pol, START, claim(date(2026, 7, 14))).get(v.TRAVEL).covered
    assert not v.decide(pol, START, claim(date(2026, 7, 15))).get(v.TRAVEL).covered


def test_parts_only_for_listed_categories():
    pol = [version()]
    day = date(2028, 6, 1)  # unit expired, parts still running
    listed = v.decide(pol, START, claim(day, part_category_ids=frozenset({COMPRESSOR})))
    assert listed.get(v.PARTS).covered
    assert not listed.get(v.UNIT).covered
    other = v.decide(pol, START, claim(day, part_category_ids=frozenset({PCB})))
    assert other.get(v.PARTS).reason == v.PART_NOT_LISTED
    none = v.decide(pol, START, claim(day))
    assert none.get(v.PARTS).reason == v.PART_NOT_LISTED
    assert v.decide(
        pol, START, claim(date(2029, 1, 15), part_category_ids=frozenset({COMPRESSOR}))
    ).get(v.PARTS).reason == (v.EXPIRED)


def test_class_missing_from_policy():
    pol = [version(lines=(v.Line(v.UNIT, 12),))]
    verdict = v.decide(pol, START, claim(date(2026, 3, 1)))
    assert verdict.get(v.UNIT).covered
    assert verdict.get(v.TRAVEL).reason == v.NOT_IN_POLICY
    assert not verdict.get(v.TRAVEL).covered


# exclusions --------------------------------------------------------------
def test_each_exclusion_refuses_every_class():
    for code in sorted(ALL_EXCLUSIONS):
        verdict = v.decide(
            [version()], START, claim(date(2026, 3, 1), exclusions=frozenset({code}))
        )
        assert not verdict.any_covered, code
        for item in verdict.classes:
            assert item.reason == v.EXCLUDED
            assert item.params["exclusions"] == [code]
        assert verdict.remedy == v.QUOTE


def test_exclusion_not_applied_by_policy_is_ignored():
    pol = [version(exclusions=frozenset({"misuse"}))]
    verdict = v.decide(
        pol, START, claim(date(2026, 3, 1), exclusions=frozenset({"transport"}))
    )
    assert verdict.get(v.UNIT).covered


def test_not_registered_and_no_policy():
    verdict = v.decide([version()], None, claim(date(2026, 3, 1)), registered=False)
    assert verdict.get(v.UNIT).reason == v.NOT_REGISTERED
    assert verdict.remedy == v.QUOTE
    pol = [version(date_from=date(2027, 1, 1))]
    verdict = v.decide(pol, START, claim(date(2026, 3, 1)))
    assert verdict.get(v.UNIT).reason == v.NO_POLICY
    assert verdict.version_id is None


# versions ----------------------------------------------------------------
def test_version_in_force_on_report_date():
    old = version(1, date(2025, 1, 1), date(2026, 5, 31))
    new = version(
        2,
        date(2026, 6, 1),
        None,
        lines=(v.Line(v.UNIT, 24), v.Line(v.LABOUR, 24)),
    )
    assert v.select_version([old, new], date(2026, 5, 31)) is old
    assert v.select_version([old, new], date(2026, 6, 1)) is new
    assert v.select_version([old, new], date(2024, 12, 31)) is None
    # reported in 2027 -> new version (24 months) -> still covered
    verdict = v.decide([old, new], START, claim(date(2027, 6, 1)))
    assert verdict.version_id == 2
    assert verdict.get(v.UNIT).covered
    verdict = v.decide([old, new], START, claim(date(2026, 5, 1)))
    assert verdict.version_id == 1


def test_overlapping_versions():
    a = version(1, date(2025, 1, 1), date(2026, 5, 31))
    b = version(2, date(2026, 5, 31), None)
    c = version(3, date(2026, 6, 1), None)
    assert v.overlaps([a, c]) == []
    assert v.overlaps([a, b]) == [(1, 2)]
    assert v.overlaps([b, c]) == [(2, 3)]
    assert v.overlaps([version(4), a]) == [(4, 1)]


# start -------------------------------------------------------------------
def test_start_basis():
    inst, dlv, inv = date(2026, 1, 20), date(2026, 1, 10), date(2026, 1, 5)
    assert v.start_date(v.INSTALLATION, 15, inst, dlv, inv) == (inst, v.INSTALLATION)
    assert v.start_date(v.INSTALLATION, 15, None, dlv, inv) == (
        date(2026, 1, 25),
        v.DELIVERY,
    )
    assert v.start_date(v.INSTALLATION, 15, None, None, inv) == (inv, v.INVOICE)
    assert v.start_date(v.INSTALLATION, 15) == (None, None)
    assert v.start_date(v.DELIVERY, 7, inst, dlv, inv) == (
        date(2026, 1, 17),
        "delivery",
    )
    assert v.start_date(v.DELIVERY, 7, None, None, inv) == (inv, v.INVOICE)
    assert v.start_date(v.INVOICE, 7, inst, dlv, inv) == (inv, v.INVOICE)
    assert v.start_date(v.INVOICE, 7, None, dlv, None) == (
        date(2026, 1, 17),
        "delivery",
    )


# 三包 ----------------------------------------------------------------------
def test_return_within_7_days_boundary():
    pol = [version(sanbao=True)]
    day7 = v.decide(pol, START, claim(date(2026, 1, 22), performance_fault=True))
    assert (day7.remedy, day7.remedy_reason) == (v.RETURN, v.RETURN_7)
    assert day7.remedy_params == {"days": 7, "limit": 7}
    day8 = v.decide(pol, START, claim(date(2026, 1, 23), performance_fault=True))
    assert (day8.remedy, day8.remedy_reason) == (v.EXCHANGE, v.EXCHANGE_15)


def test_exchange_within_15_days_boundary():
    pol = [version(sanbao=True)]
    day15 = v.decide(pol, START, claim(date(2026, 1, 30), performance_fault=True))
    assert (day15.remedy, day15.remedy_reason) == (v.EXCHANGE, v.EXCHANGE_15)
    day16 = v.decide(pol, START, claim(date(2026, 1, 31), performance_fault=True))
    assert (day16.remedy, day16.remedy_reason) == (v.REPAIR, v.PERFORMANCE_REPAIR)


def test_sanbao_needs_performance_fault_and_option():
    early = date(2026, 1, 16)
    plain = v.decide([version(sanbao=True)], START, claim(early))
    assert plain.remedy == v.REPAIR
    off = v.decide([version()], START, claim(early, performance_fault=True))
    assert off.remedy == v.REPAIR


def test_exchange_after_two_failed_repairs_of_same_fault():
    pol = [version(sanbao=True)]
    day = date(2026, 9, 1)
    one = (v.Repair(FAULT, date(2026, 3, 1), date(2026, 3, 3), failed=True),)
    two = (*one, v.Repair(FAULT, date(2026, 5, 1), date(2026, 5, 2), failed=True))
    other = (*one, v.Repair(OTHER_FAULT, date(2026, 5, 1), date(2026, 5, 2), True))
    c = claim(day, performance_fault=True)
    assert v.decide(pol, START, c, one).remedy == v.REPAIR
    assert v.decide(pol, START, c, other).remedy == v.REPAIR
    verdict = v.decide(pol, START, c, two)
    assert (verdict.remedy, verdict.remedy_reason) == (v.EXCHANGE, v.FAILED_REPAIRS)
    assert verdict.remedy_params == {"count": 2, "limit": 2}
    # repairs that did not fail do not count
    ok = tuple(v.Repair(r.fault_id, r.start, r.end, failed=False) for r in two)
    assert v.decide(pol, START, c, ok).remedy == v.REPAIR
    # outside the unit's warranty: repair at cost (parts may still run)
    late = v.decide(pol, START, claim(date(2027, 2, 1), performance_fault=True), two)
    assert late.remedy == v.QUOTE


def test_clock_pauses_while_in_repair():
    pol = [version(pause=True)]
    repairs = (
        v.Repair(FAULT, date(2026, 3, 1), date(2026, 3, 11)),  # 10 days
        v.Repair(FAULT, date(2026, 6, 1), date(2026, 6, 6)),  # 5 days
    )
    assert v.pause_days(repairs, date(2026, 12, 31)) == 15
    assert v.pause_days(repairs, date(2026, 3, 5)) == 4  # open part counted so far
    assert v.pause_days((v.Repair(FAULT, date(2026, 3, 1)),), date(2026, 3, 8)) == 7
    last = v.decide(pol, START, claim(date(2027, 1, 29)), repairs)
    assert last.pause_days == 15
    assert last.get(v.UNIT).covered
    assert last.get(v.UNIT).params["end"] == date(2027, 1, 29)
    after = v.decide(pol, START, claim(date(2027, 1, 30)), repairs)
    assert after.get(v.UNIT).reason == v.EXPIRED
    # without the option the clock does not pause
    no_pause = v.decide([version()], START, claim(date(2027, 1, 20)), repairs)
    assert no_pause.pause_days == 0
    assert not no_pause.get(v.UNIT).covered


def test_out_of_warranty_gets_a_quote():
    verdict = v.decide([version()], START, claim(date(2030, 1, 1)))
    assert not verdict.any_covered
    assert (verdict.remedy, verdict.remedy_reason) == (v.QUOTE, v.OUT_OF_WARRANTY)
