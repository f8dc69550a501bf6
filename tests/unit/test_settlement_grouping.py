# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settlement grouping engine of master_settlement (no Odoo)."""

from .conftest import load_engine

settlement = load_engine("master_settlement", "settlement")


def job(lid, person, gross, commission=0.0, bonuses=(), penalties=(), kind="job"):
    net = (
        gross + sum(a for _n, a in bonuses) - commission - sum(a for _k, a in penalties)
    )
    return {
        "id": lid,
        "person_id": person,
        "kind": kind,
        "label": f"J{lid}",
        "gross": gross,
        "bonuses": list(bonuses),
        "commission": commission,
        "penalties": list(penalties),
        "net": net,
        "account": "accrued",
    }


def test_one_bill_per_person_with_lines():
    lines = [
        job(1, 7, 100, commission=10, bonuses=[("Heat", 5)]),
        job(2, 7, 50, penalties=[("late", 20)]),
        job(3, 8, 80),
    ]
    result = settlement.build(lines)
    assert [s.person_id for s in result] == [7, 8]
    first = result[0]
    assert first.total == 125.0
    assert sorted(first.line_ids) == [1, 2]
    roles = [(l["role"], l["amount"]) for l in first.invoice_lines]
    assert roles == [
        ("job", 100.0),
        ("job", 50.0),
        ("bonus", 5.0),
        ("commission", -10.0),
        ("penalty", -20.0),
    ]
    assert sum(l["amount"] for l in first.invoice_lines) == first.total
    # only the job line itself carries the job line id (one posted bill per job)
    assert [l["job_line_id"] for l in first.invoice_lines if l["job_line_id"]] == [1, 2]


def test_bonus_commission_penalty_summed_per_bill():
    lines = [
        job(1, 7, 100, commission=10, bonuses=[("Heat", 5)], penalties=[("late", 5)]),
        job(2, 7, 100, commission=10, bonuses=[("Heat", 5)], penalties=[("late", 5)]),
    ]
    (result,) = settlement.build(lines)
    roles = [(l["role"], l["amount"]) for l in result.invoice_lines]
    assert roles == [
        ("job", 100.0),
        ("job", 100.0),
        ("bonus", 10.0),
        ("commission", -20.0),
        ("penalty", -10.0),
    ]
    assert result.total == 180.0


def test_negative_net_is_a_credit_note_of_the_lines():
    lines = [job(1, 7, 40, bonuses=[("Heat", 5)]), job(2, 7, -100, kind="chargeback")]
    (result,) = settlement.build(lines, owed={7: 20})
    assert not result.billed and result.refunded
    assert result.move_type == "in_refund"
    assert result.total == 55.0
    # the bill's lines with their sign turned: they add up to the credit note
    roles = [(l["role"], l["amount"]) for l in result.invoice_lines]
    assert roles == [("job", -40.0), ("chargeback", 100.0), ("bonus", -5.0)]
    assert sum(l["amount"] for l in result.invoice_lines) == result.total
    assert result.payout == 0.0 and result.deduction == 0.0
    # the new balance adds to what was owed already
    assert result.carry_forward == -75.0
    assert result.line_ids == [1, 2]


def test_zero_net_no_document():
    lines = [job(1, 7, 100), job(2, 7, -100, kind="chargeback")]
    (result,) = settlement.build(lines, owed={7: 30})
    assert result.move_type is None and not result.invoice_lines
    assert result.carry_forward == -30.0


def test_earlier_balance_netted_capped():
    lines = [job(1, 7, 300), job(2, 8, 80)]
    first, second = settlement.build(lines, cap=100, owed={7: 250})
    # the bill keeps its lines and total; the deduction nets the balance
    assert first.billed and first.total == 300.0
    assert [l["role"] for l in first.invoice_lines] == ["job"]
    assert first.deduction == 100.0
    assert first.payout == 200.0
    assert first.carry_forward == -150.0
    assert second.deduction == 0.0 and second.payout == 80.0
    (uncapped,) = settlement.build(lines[:1], owed={7: 250})
    assert uncapped.deduction == 250.0 and uncapped.payout == 50.0
    assert uncapped.carry_forward == 0.0
    # never more than the bill
    (small,) = settlement.build([job(3, 7, 60)], owed={7: 250})
    assert small.deduction == 60.0 and small.payout == 0.0
    assert small.carry_forward == -190.0


def test_diff():
    rows = settlement.diff({1: 100.0, 2: 50.0}, {1: 80.0, 3: 10.0})
    assert rows[0] == (2, 50.0, 0.0, 50.0)
    assert {r[0]: r[3] for r in rows} == {1: 20.0, 2: 50.0, 3: -10.0}
