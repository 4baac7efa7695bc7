"""The process validation run: the plan per stage and the verdict on its measurements."""

from __future__ import annotations

import math
from typing import Any

import pytest
from scipy.stats import norm

from rampwise.core.errors import InputError
from rampwise.core.model import Characteristic, Part, Stage
from rampwise.core.shop import default_shop
from rampwise.rules.validation_run import (
    ValidationStatus,
    judge_validation_run,
    plan_validation_run,
)


def _part(*characteristics: dict[str, Any]) -> Part:
    return Part(
        number="V-1",
        material="SS 316L",
        characteristics=tuple(Characteristic(**c) for c in characteristics),
    )


SHOP = default_shop()
PART = _part(
    {
        "id": 1,
        "name": "Spool bore",
        "kind": "diameter",
        "nominal": 16,
        "tolerance": "H7",
        "critical": True,
    },
    {"id": 2, "name": "Port face", "kind": "flatness", "max": 0.02, "critical": True},
    {"id": 3, "name": "Length", "nominal": 60, "tolerance": "±0.1"},
)


def test_prototypes_need_no_separate_run() -> None:
    assert plan_validation_run(PART, Stage.PROTOTYPE, 5000, shop=SHOP) is None


def test_low_volume_run_is_one_sacrificial_part() -> None:
    # seed 003: "machine one sacrificial part from the same material batch. Measure every
    # critical feature."
    run = plan_validation_run(PART, Stage.LOW_VOLUME, 5000, shop=SHOP)
    assert run is not None
    assert (run.quantity, run.measured_quantity) == (1, 1)
    assert run.characteristics == ("1", "2")
    assert run.min_index is None and run.min_first_pass_yield == 1.0
    assert any("raw material" in m for m in run.measure)
    assert "seed 003" in run.source


def test_production_run_is_a_ppap_significant_run() -> None:
    # AIAG PPAP 4th ed.: ≥ 300 consecutive parts; Ppk > 1.67 accepted, 1.33–1.67 conditional;
    # ≥ 100 readings (AIAG SPC 2nd ed.)
    run = plan_validation_run(PART, Stage.MASS_PRODUCTION, 5000, shop=SHOP)
    assert run is not None
    assert (run.quantity, run.measured_quantity) == (300, 100)
    assert (run.min_index, run.conditional_index) == (1.67, 1.33)
    # a centred Cpk 1.33 process leaves 2Φ(−3.99) ≈ 66 ppm out per characteristic; two
    # critical characteristics → 132 ppm per part; 300 parts expect 0.04 rejects → floor 0
    per_part = 1 - (1 - 2 * norm.cdf(-3 * 1.33)) ** 2
    assert math.floor(300 * per_part) == 0
    assert run.min_first_pass_yield == 1.0
    assert not run.sacrificial  # the run's parts are the order's first 300


def test_a_production_run_is_never_longer_than_the_order() -> None:
    # A 120-piece production order is its own significant run: all 120 checked, 100 of them
    # read for the study (AIAG SPC: ≥ 100 readings), and none made on top of the order.
    run = plan_validation_run(PART, Stage.MASS_PRODUCTION, 120, shop=SHOP)
    assert run is not None
    assert (run.quantity, run.measured_quantity, run.sacrificial) == (120, 100, False)
    small = plan_validation_run(PART, Stage.MASS_PRODUCTION, 60, shop=SHOP)
    assert small is not None and (small.quantity, small.measured_quantity) == (60, 60)


def test_a_shop_may_sacrifice_more_parts() -> None:
    from rampwise.core.shop import shop_from_mapping

    run = plan_validation_run(
        PART, Stage.LOW_VOLUME, 40, shop=shop_from_mapping({"validation_run_parts": 2})
    )
    assert run is not None
    assert (run.quantity, run.sacrificial) == (2, True)


def test_without_critical_marks_every_toleranced_characteristic_is_measured() -> None:
    part = _part(
        {"id": "a", "name": "Length", "nominal": 60, "tolerance": "±0.1"},
        {"id": "b", "name": "Chamfer", "kind": "radius", "nominal": 1},
    )
    run = plan_validation_run(part, Stage.LOW_VOLUME, 5000, shop=SHOP)
    assert run is not None and run.characteristics == ("a",)


@pytest.mark.parametrize(
    ("index", "fpy", "status"),
    [
        ({"1": 1.9, "2": 1.8}, 1.0, ValidationStatus.PASSED),
        ({"1": 1.5, "2": 1.8}, 1.0, ValidationStatus.CONDITIONAL),
        ({"1": 1.2, "2": 1.8}, 1.0, ValidationStatus.FAILED),
        ({"1": 1.9, "2": 1.8}, 0.99, ValidationStatus.FAILED),
        ({"1": 1.9}, 1.0, ValidationStatus.INCOMPLETE),
        ({"1": 1.9, "2": 1.8}, None, ValidationStatus.INCOMPLETE),
        ({"1": 1.2}, None, ValidationStatus.FAILED),
    ],
)
def test_judging_a_production_run(
    index: dict[str, float], fpy: float | None, status: ValidationStatus
) -> None:
    run = plan_validation_run(PART, Stage.MASS_PRODUCTION, 5000, shop=SHOP)
    assert run is not None
    verdict = judge_validation_run(run, index, fpy)
    assert verdict.status is status
    assert (verdict.reasons == ()) is (status is ValidationStatus.PASSED)


def test_judging_a_sacrificial_part_uses_the_yield_only() -> None:
    run = plan_validation_run(PART, Stage.LOW_VOLUME, 5000, shop=SHOP)
    assert run is not None
    assert judge_validation_run(run, {}, 1.0).status is ValidationStatus.PASSED
    assert judge_validation_run(run, {}, 0.0).status is ValidationStatus.FAILED
    with pytest.raises(InputError, match="fraction 0–1") as err:
        judge_validation_run(run, {}, 1.5)
    assert err.value.field == "first_pass_yield"
