"""What changed between two stored assessments: stage, readiness, price at target quantity.

Works on the :class:`~rampwise.api.Assessment` models the store reads back
(:func:`rampwise.app.store.assessments.read_assessment` upcasts older rows first), so an
assessment made by an older version compares field by field like a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rampwise.api import Assessment
from rampwise.app.store.records import Change
from rampwise.core.model import AreaStatus
from rampwise.rules.quote import QuantityBreak, Quote


def readiness_text(assessment: Assessment) -> str:
    """``"not ready (5/7 pass)"``: the gate's verdict and how many areas pass."""
    areas = assessment.readiness.areas
    passed = sum(1 for area in areas if area.status is AreaStatus.PASS)
    verdict = "ready" if assessment.readiness.ready else "not ready"
    return f"{verdict} ({passed}/{len(areas)} pass)"


def target_quantity(assessment: Assessment, document: Mapping[str, Any]) -> int:
    """The quantity a price is compared at: the cost target's, else the order's [pcs].

    Parameters
    ----------
    assessment
        The assessment (for the order quantity).
    document
        The project document it was made from (for ``cost_target.at_quantity``).
    """
    cost_target = document.get("cost_target")
    if isinstance(cost_target, Mapping) and isinstance(cost_target.get("at_quantity"), int):
        return int(cost_target["at_quantity"])
    return assessment.quantity


def break_at(quote: Quote, quantity: int) -> QuantityBreak | None:
    """The quantity break of ``quote`` at ``quantity`` [pcs], if it priced that quantity."""
    return next((row for row in quote.breaks if row.quantity == quantity), None)


def price_at(assessment: Assessment, quantity: int | None) -> str | None:
    """The unit price quoted at ``quantity`` [currency], as text, if the quote has it."""
    quote = assessment.quote
    if quote is None or quantity is None:
        return None
    row = break_at(quote, quantity)
    if row is None:
        return None
    return f"{quote.currency} {row.unit_price:,.2f} at {quantity} pcs".strip()


def changes_between(
    before: Assessment | None,
    after: Assessment | None,
    *,
    before_document: Mapping[str, Any],
    document: Mapping[str, Any],
) -> tuple[Change, ...]:
    """The differences that matter to a buyer between two assessments.

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
    pairs: tuple[tuple[str, object, object], ...] = (
        ("part revision", before.part_revision, after.part_revision),
        ("quantity", before.quantity, after.quantity),
        ("purpose", before.stage_decision.purpose, after.stage_decision.purpose),
        ("stage", before.stage.value, after.stage.value),
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
