"""A ZIP request for quotation as one table: the lines and what the request comes to."""

from __future__ import annotations

from functools import cache
from typing import Any

from rampwise.api import Assessment, assess
from rampwise.app.web.rfq import rfq_line, rfq_totals
from rampwise.geometry.models import Finding, FindingStatus, PartGeometry, Severity
from rampwise.io.project_file import project_from_mapping
from support import TODAY, build_document


@cache
def base() -> Assessment:
    """A real assessment of the test project (40 pcs for a pilot run), made once."""
    return assess(project_from_mapping(build_document(False), today=TODAY), today=TODAY)


def assessment(
    quantity: int = 40, *, currency: str = "USD", quoted: bool = True, **extra: Any
) -> Assessment:
    """The base assessment at ``quantity`` with a two-break ladder (25 and 40 pcs)."""
    template = base()
    assert template.quote is not None
    row = template.quote.breaks[0]
    breaks = tuple(
        row.model_copy(
            update={
                "quantity": q,
                "unit_price": price,
                "total_price": total,
                "lead_time_days": days,
            }
        )
        for q, price, total, days in ((25, 60.0, 1500.0, 8), (40, 50.0, 2000.0, 9))
    )
    quote = template.quote.model_copy(update={"currency": currency, "breaks": breaks})
    readiness = template.readiness.model_copy(update={"ready": False})
    return template.model_copy(
        update={
            "quantity": quantity,
            "quote": quote if quoted else None,
            "readiness": readiness,
            **extra,
        }
    )


def finding(severity: str, status: str) -> Finding:
    return Finding(
        rule=f"test.{severity}",
        severity=Severity(severity),
        status=FindingStatus(status),
        expected="",
        actual="",
        where="",
        fix="",
        source="",
    )


def test_a_line_is_the_order_break_of_its_assessment() -> None:
    findings = (
        finding("critical", "violated"),
        finding("major", "unverified"),  # not shown to hold: not counted
        finding("major", "violated"),
        finding("minor", "violated"),
    )
    # Only the findings are read off the geometry.
    geometry = PartGeometry.model_construct(findings=findings)
    result = assessment(geometry=geometry)
    line = rfq_line(
        "a.step", project_id=3, assessment_id=7, material="Al 6061-T6", assessment=result
    )
    assert (line["unit_price"], line["total_price"], line["lead_time_days"]) == (50.0, 2000.0, 9)
    assert line["dfm"] == {"critical": 1, "major": 1}
    assert (line["ready"], line["currency"], line["stage"]) == (False, "USD", "low_volume")
    assert type(line["stage"]) is str  # the line is kept as JSON in the job's result


def test_a_part_without_a_quote_has_no_price() -> None:
    unpriced = assessment(quoted=False)
    line = rfq_line("b.stl", project_id=1, assessment_id=1, material=None, assessment=unpriced)
    assert line["unit_price"] is line["total_price"] is line["lead_time_days"] is None
    assert line["currency"] is None
    assert line["dfm"] == {"critical": 0, "major": 0}


def test_the_request_totals_its_priced_lines() -> None:
    lines = [
        rfq_line("a", project_id=1, assessment_id=1, material=None, assessment=assessment()),
        rfq_line("b", project_id=2, assessment_id=2, material=None, assessment=assessment(25)),
        rfq_line(
            "c", project_id=3, assessment_id=3, material=None, assessment=assessment(quoted=False)
        ),
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
    lines = [
        rfq_line("a", project_id=1, assessment_id=1, material=None, assessment=assessment()),
        rfq_line(
            "b",
            project_id=2,
            assessment_id=2,
            material=None,
            assessment=assessment(currency="EUR"),
        ),
    ]
    assert rfq_totals(lines)["total_price"] is None
