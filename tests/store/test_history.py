"""What changed between two assessments, computed from their stored JSON."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rampwise.store.history import changes_between, price_at, readiness_text


def result(
    stage: str = "low_volume", statuses: tuple[str, ...] = ("pass",) * 3, **extra: Any
) -> dict[str, Any]:
    return {
        "quantity": 40,
        "stage": stage,
        "part_revision": "A",
        "stage_decision": {"purpose": "pilot_run"},
        "readiness": {
            "ready": all(s == "pass" for s in statuses),
            "areas": [{"status": s} for s in statuses],
        },
        **extra,
    }


QUOTE_A = {
    "currency": "USD",
    "breaks": [{"quantity": 1000, "unit_price": 18.5}, {"quantity": 40, "unit_price": 31.0}],
}
QUOTE_B = {"currency": "USD", "breaks": [{"quantity": 1000, "unit_price": 16.25}]}


def test_readiness_text_counts_passing_areas() -> None:
    assert readiness_text(result(statuses=("pass", "fail", "unknown"))) == "not ready (1/3 pass)"
    assert readiness_text(result()) == "ready (3/3 pass)"


def test_price_is_compared_at_the_cost_targets_quantity() -> None:
    document = {"cost_target": {"unit_price": 18.5, "at_quantity": 1000}}
    changes = changes_between(
        result(quote=QUOTE_A),
        result(quote=QUOTE_B),
        before_document=document,
        document=document,
    )
    assert [(c.what, c.before, c.after) for c in changes] == [
        ("price at target quantity", "USD 18.50 at 1000 pcs", "USD 16.25 at 1000 pcs")
    ]


def test_each_revision_is_priced_at_its_own_target_quantity() -> None:
    """A new order quantity: the earlier price is the one at the earlier quantity.

    The earlier quote priced 40 pcs (its order quantity) but not 1000; the later
    revision orders 1000. Asking the earlier quote for 1000 would give "—".
    """
    before = result(quote=QUOTE_A)
    after = {**result(quote=QUOTE_B), "quantity": 1000}
    changes = changes_between(before, after, before_document={}, document={})
    assert [(c.what, c.before, c.after) for c in changes] == [
        ("quantity", "40", "1000"),
        ("price at target quantity", "USD 31.00 at 40 pcs", "USD 16.25 at 1000 pcs"),
    ]


def test_without_a_cost_target_the_order_quantity_is_used() -> None:
    assert price_at(result(quote=QUOTE_A), 40) == "USD 31.00 at 40 pcs"
    assert price_at(result(), 40) is None


def test_nothing_is_compared_without_both_assessments() -> None:
    assert changes_between(None, result(), before_document={}, document={}) == ()
    assert changes_between(result(), None, before_document={}, document={}) == ()


@given(
    stage_a=st.sampled_from(["prototype", "low_volume", "mass_production"]),
    stage_b=st.sampled_from(["prototype", "low_volume", "mass_production"]),
    statuses=st.lists(st.sampled_from(["pass", "fail", "unknown"]), min_size=7, max_size=7),
)
def test_changes_are_exactly_the_differences(
    stage_a: str, stage_b: str, statuses: list[str]
) -> None:
    before = result(stage_a)
    after = result(stage_b, tuple(statuses))
    whats = {c.what for c in changes_between(before, after, before_document={}, document={})}
    assert ("stage" in whats) == (stage_a != stage_b)
    assert ("readiness" in whats) == (readiness_text(before) != readiness_text(after))
    assert changes_between(after, after, before_document={}, document={}) == ()
