"""A request for quotation as one table: a line per part of an uploaded ZIP, and the totals.

A shop quoting a ZIP of models reads, per part, the stage, the unit and total price and the
lead time at the order's quantity, the DFM findings that need a word with the customer and
whether the part is ready for production; then what the whole request comes to. Each line
is read off the part's stored :class:`~rampwise.api.Assessment`, so the lines and the
result pages agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rampwise.api import Assessment
from rampwise.app.store.history import break_at
from rampwise.geometry.models import FindingStatus, Severity

BLOCKING_SEVERITIES = (Severity.CRITICAL, Severity.MAJOR)
"""DFM severities counted on a line: those a quote should not go out without."""


def rfq_line(
    name: str,
    *,
    project_id: int,
    assessment_id: int,
    material: str | None,
    assessment: Assessment,
) -> dict[str, Any]:
    """The line of one part: its assessment's figures at the order's quantity.

    Parameters
    ----------
    name
        The model's file name in the ZIP.
    project_id, assessment_id
        Where the part's project and result page are.
    material
        The material it was quoted in, as the project document names it.
    assessment
        The part's assessment, as stored.

    Returns
    -------
    dict
        JSON values: ``name``, ``project_id``, ``assessment_id``, ``material``, ``stage``,
        ``quantity`` [pcs],
        ``currency``, ``unit_price`` [currency/piece], ``total_price`` [currency],
        ``lead_time_days`` [working days] (the four ``None`` without a quote), ``ready``
        (the readiness gate) and ``dfm`` (violated findings per blocking severity).
    """
    quote = assessment.quote
    order = break_at(quote, assessment.quantity) if quote is not None else None
    findings = assessment.geometry.findings if assessment.geometry is not None else ()
    violated = [f for f in findings if f.status is FindingStatus.VIOLATED]
    return {
        "name": name,
        "project_id": project_id,
        "assessment_id": assessment_id,
        "material": material,
        "stage": assessment.stage.value,
        "quantity": assessment.quantity,
        "currency": quote.currency if quote is not None else None,
        "unit_price": order.unit_price if order else None,
        "total_price": order.total_price if order else None,
        "lead_time_days": order.lead_time_days if order else None,
        "ready": assessment.readiness.ready,
        "dfm": {s.value: sum(1 for f in violated if f.severity is s) for s in BLOCKING_SEVERITIES},
    }


def rfq_totals(lines: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the whole request comes to.

    Returns
    -------
    dict
        ``parts`` (lines), ``priced`` (lines with a price), ``currency`` (when every priced
        line shares one, else ``None`` and no total), ``total_price`` [currency], and
        ``lead_time_days``: the longest line's [working days], the earliest the whole
        request can ship (a lower bound: parts sharing a machine queue behind each other).
    """
    priced = [line for line in lines if line.get("total_price") is not None]
    currencies = {line.get("currency") for line in priced}
    currency = currencies.pop() if len(currencies) == 1 else None
    lead_times = [line["lead_time_days"] for line in priced if line.get("lead_time_days")]
    return {
        "parts": len(lines),
        "priced": len(priced),
        "currency": currency,
        "total_price": sum(line["total_price"] for line in priced) if currency else None,
        "lead_time_days": max(lead_times) if lead_times else None,
    }
