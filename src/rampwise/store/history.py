"""What changed between two stored assessments: stage, readiness, price at target quantity.

Works on the stored Assessment JSON, not on the models, so assessments made by older
versions compare too; a section an assessment does not have is simply not compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rampwise.store.records import Change, ResultJSON


def readiness_text(result: Mapping[str, Any]) -> str:
    """``"not ready (5/7 pass)"`` for an Assessment JSON."""
    readiness = result.get("readiness") or {}
    areas = readiness.get("areas") or []
    passed = sum(1 for area in areas if area.get("status") == "pass")
    verdict = "ready" if readiness.get("ready") else "not ready"
    return f"{verdict} ({passed}/{len(areas)} pass)"


def target_quantity(result: Mapping[str, Any], document: Mapping[str, Any]) -> int | None:
    """The quantity a price is compared at: the cost target's, else the order's [pcs]."""
    cost_target = document.get("cost_target")
    if isinstance(cost_target, Mapping) and isinstance(cost_target.get("at_quantity"), int):
        return int(cost_target["at_quantity"])
    quantity = result.get("quantity")
    return int(quantity) if isinstance(quantity, int) else None


def quote_rows_key(quote: Mapping[str, Any]) -> str | None:
    """Key of the quantity breaks in a Quote JSON: the first list of rows with a unit price."""
    for key, value in quote.items():
        if (
            isinstance(value, list)
            and value
            and all(isinstance(row, Mapping) for row in value)
            and all("quantity" in row and "unit_price" in row for row in value)
        ):
            return str(key)
    return None


def quote_rows(quote: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The quantity breaks of a Quote JSON (empty if it has none)."""
    key = quote_rows_key(quote)
    return list(quote[key]) if key is not None else []


def price_at(result: Mapping[str, Any], quantity: int | None) -> str | None:
    """The unit price quoted at ``quantity`` [currency], as text, if the quote has it."""
    quote = result.get("quote")
    if not isinstance(quote, Mapping) or quantity is None:
        return None
    currency = str(quote.get("currency") or "")
    for row in quote_rows(quote):
        if row.get("quantity") == quantity and isinstance(row.get("unit_price"), int | float):
            return f"{currency} {float(row['unit_price']):,.2f} at {quantity} pcs".strip()
    return None


def _purpose(result: Mapping[str, Any]) -> str | None:
    decision = result.get("stage_decision")
    return decision.get("purpose") if isinstance(decision, Mapping) else None


def changes_between(
    before: ResultJSON | None,
    after: ResultJSON | None,
    *,
    before_document: Mapping[str, Any],
    document: Mapping[str, Any],
) -> tuple[Change, ...]:
    """The differences that matter to a buyer between two Assessment JSONs.

    Each price is the one its own revision is judged by, at its own target quantity
    (:func:`target_quantity`): a revision that changes the quantity compares
    ``"USD 194.82 at 3 pcs"`` with ``"USD 52.57 at 15 pcs"``, as the history table shows
    them, instead of asking the earlier quote for a quantity it never priced.

    Parameters
    ----------
    before, after
        The earlier and later assessment; nothing is compared if either is missing.
    before_document, document
        The project documents of the earlier and the later revision (for the cost
        target's quantity).
    """
    if before is None or after is None:
        return ()
    pairs = (
        ("part revision", before.get("part_revision"), after.get("part_revision")),
        ("quantity", before.get("quantity"), after.get("quantity")),
        ("purpose", _purpose(before), _purpose(after)),
        ("stage", before.get("stage"), after.get("stage")),
        ("readiness", readiness_text(before), readiness_text(after)),
        (
            "price at target quantity",
            price_at(before, target_quantity(before, before_document)),
            price_at(after, target_quantity(after, document)),
        ),
    )
    return tuple(
        Change(
            what=what,
            before=None if old is None else str(old),
            after=None if new is None else str(new),
        )
        for what, old, new in pairs
        if old != new
    )
