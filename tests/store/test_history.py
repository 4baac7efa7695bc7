"""What changed between two assessments, read off the stored Assessment models."""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rampwise.api import Assessment, assess
from rampwise.app.store.history import changes_between, price_at, readiness_text
from rampwise.core.model import AreaStatus, Stage
from rampwise.io.project_file import project_from_mapping
from support import TODAY, build_document


@cache
def base() -> Assessment:
    """A real assessment of the test project (40 pcs for a pilot run), made once."""
    return assess(project_from_mapping(build_document(False), today=TODAY), today=TODAY)


def result(
    stage: str = "low_volume",
    statuses: tuple[str, ...] = ("pass",) * 3,
    *,
    prices: dict[int, float] | None = None,
    **extra: Any,
) -> Assessment:
    """The base assessment with another stage, gate and price ladder (``{quantity: price}``)."""
    template = base()
    areas = tuple(
        template.readiness.areas[i % len(template.readiness.areas)].model_copy(
            update={"status": AreaStatus(status)}
        )
        for i, status in enumerate(statuses)
    )
    readiness = template.readiness.model_copy(
        update={"ready": all(s == "pass" for s in statuses), "areas": areas}
    )
    quote = None
    if prices is not None:
        assert template.quote is not None
        row = template.quote.breaks[0]
        breaks = tuple(
            row.model_copy(update={"quantity": quantity, "unit_price": price})
            for quantity, price in prices.items()
        )
        quote = template.quote.model_copy(update={"currency": "USD", "breaks": breaks})
    return template.model_copy(
        update={"stage": Stage(stage), "readiness": readiness, "quote": quote, **extra}
    )


PRICES_A = {1000: 18.5, 40: 31.0}
PRICES_B = {1000: 16.25}


def test_the_base_assessment_is_the_pilot_run_the_changes_assume() -> None:
    assert (base().quantity, base().part_revision) == (40, "A")
    assert base().stage_decision.purpose == "pilot_run"


def test_readiness_text_counts_passing_areas() -> None:
    assert readiness_text(result(statuses=("pass", "fail", "unknown"))) == "not ready (1/3 pass)"
    assert readiness_text(result()) == "ready (3/3 pass)"


def test_price_is_compared_at_the_cost_targets_quantity() -> None:
    document = {"cost_target": {"unit_price": 18.5, "at_quantity": 1000}}
    changes = changes_between(
        result(prices=PRICES_A),
        result(prices=PRICES_B),
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
    before = result(prices=PRICES_A)
    after = result(prices=PRICES_B, quantity=1000)
    changes = changes_between(before, after, before_document={}, document={})
    assert [(c.what, c.before, c.after) for c in changes] == [
        ("quantity", "40", "1000"),
        ("price at target quantity", "USD 31.00 at 40 pcs", "USD 16.25 at 1000 pcs"),
    ]


def test_without_a_cost_target_the_order_quantity_is_used() -> None:
    assert price_at(result(prices=PRICES_A), 40) == "USD 31.00 at 40 pcs"
    assert price_at(result(), 40) is None


def test_stage_and_purpose_changes_are_told_by_their_values() -> None:
    after = result(
        "prototype",
        stage_decision=base().stage_decision.model_copy(update={"purpose": "fit_check"}),
    )
    changes = changes_between(result(), after, before_document={}, document={})
    assert [(c.what, c.before, c.after) for c in changes] == [
        ("purpose", "pilot_run", "fit_check"),
        ("stage", "low_volume", "prototype"),
    ]


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
