"""A ZIP request for quotation as one table: the lines and what the request comes to."""

from __future__ import annotations

from typing import Any

from rampwise.web.rfq import rfq_line, rfq_totals


def assessment(quantity: int = 40, **extra: Any) -> dict[str, Any]:
    return {
        "stage": "low_volume",
        "quantity": quantity,
        "readiness": {"ready": False},
        "quote": {
            "currency": "USD",
            "breaks": [
                {"quantity": 25, "unit_price": 60.0, "total_price": 1500.0, "lead_time_days": 8},
                {"quantity": 40, "unit_price": 50.0, "total_price": 2000.0, "lead_time_days": 9},
            ],
        },
        **extra,
    }


def test_a_line_is_the_order_break_of_its_assessment() -> None:
    findings = [
        {"severity": "critical", "status": "violated"},
        {"severity": "major", "status": "unverified"},  # not shown to hold: not counted
        {"severity": "major", "status": "violated"},
        {"severity": "minor", "status": "violated"},
    ]
    result = assessment(geometry={"findings": findings})
    line = rfq_line("a.step", project_id=3, assessment_id=7, material="Al 6061-T6", result=result)
    assert (line["unit_price"], line["total_price"], line["lead_time_days"]) == (50.0, 2000.0, 9)
    assert line["dfm"] == {"critical": 1, "major": 1}
    assert (line["ready"], line["currency"], line["stage"]) == (False, "USD", "low_volume")


def test_a_part_without_a_quote_has_no_price() -> None:
    unpriced = {**assessment(), "quote": None}
    line = rfq_line("b.stl", project_id=1, assessment_id=1, material=None, result=unpriced)
    assert line["unit_price"] is line["total_price"] is line["lead_time_days"] is None
    assert line["dfm"] == {"critical": 0, "major": 0}


def test_the_request_totals_its_priced_lines() -> None:
    unpriced = {**assessment(), "quote": None}
    lines = [
        rfq_line("a", project_id=1, assessment_id=1, material=None, result=assessment()),
        rfq_line("b", project_id=2, assessment_id=2, material=None, result=assessment(25)),
        rfq_line("c", project_id=3, assessment_id=3, material=None, result=unpriced),
    ]
    totals = rfq_totals(lines)
    # 2,000 + 1,500; the longest lead time is 9 days; c has no quote.
    assert totals == {
        "parts": 3,
        "priced": 2,
        "currency": "USD",
        "total_price": 3500.0,
        "lead_time_days": 9,
    }


def test_no_total_across_currencies() -> None:
    euro = assessment()
    euro["quote"] = {**euro["quote"], "currency": "EUR"}
    lines = [
        rfq_line("a", project_id=1, assessment_id=1, material=None, result=assessment()),
        rfq_line("b", project_id=2, assessment_id=2, material=None, result=euro),
    ]
    assert rfq_totals(lines)["total_price"] is None
