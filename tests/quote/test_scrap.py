"""Scrap from capability (issue: shop-floor realism, point 4).

Published figures: a centred process at Cp = 1 has 2,700 ppm out of tolerance, at
Cp = 1.33 about 63 ppm; Six Sigma's 1.5σ shift of a Cp = 2 process (Cpk = 1.5) leaves
3.4 ppm (Montgomery, *Introduction to Statistical Quality Control*, 7th ed., Table 8.5
and §8.3). Seed 003's comparison table gives the two catalog rates: 12 % scrap with the
standard approach, 2 % on the optimised route (the floor).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rampwise.api import assess, open_plan
from rampwise.core.model import Project, Stage
from rampwise.rules.scrap import (
    CapabilityEvidence,
    ScrapBasis,
    expected_scrap,
    fraction_out_of_tolerance,
)
from support import TODAY, build_document


@pytest.mark.parametrize(
    ("cp", "cpk", "ppm"),
    [
        (1.0, 1.0, 2699.8),  # 2·Φ(−3)
        (4 / 3, 4 / 3, 63.3),  # 2·Φ(−4)
        (2.0, 1.5, 3.4),  # Φ(−4.5) + Φ(−7.5): the Six Sigma figure
        (1.0, 0.0, 500_000.0),  # mean on a limit: half the parts out (+ Φ(−6), 0.001 ppm)
    ],
)
def test_fraction_out_matches_the_published_normal_tails(cp: float, cpk: float, ppm: float) -> None:
    assert fraction_out_of_tolerance(cp, cpk) * 1e6 == pytest.approx(ppm, rel=1e-3)


def test_no_evidence_keeps_the_catalog_rate() -> None:
    estimate = expected_scrap({"1": 1.2, "2": None}, {}, default_rate=0.12, floor=0.02)
    assert estimate.basis is ScrapBasis.DEFAULT
    assert estimate.rate == 0.12
    assert "no Cpk measured or stated" in estimate.describe()


def test_a_capable_process_prices_the_floor() -> None:
    """Cpk 1.70 measured: tails of 0.03 ppm, so seed 003's 2 % floor is what is priced."""
    shown = {"1": CapabilityEvidence(cpk=1.70, source="measured, batch.csv")}
    estimate = expected_scrap({"1": 2.0}, shown, default_rate=0.12, floor=0.02)
    assert estimate.basis is ScrapBasis.CAPABILITY
    assert estimate.rate == 0.02
    assert "#1 Cpk 1.70 (measured, batch.csv)" in estimate.describe()


def test_an_incapable_characteristic_sets_the_rate_above_the_floor() -> None:
    """#1: Cp 1.0 chain, stated Cpk 0.5 → Φ(−1.5) + Φ(−4.5) = 0.066807 + 0.000003.
    #2: no evidence, chain Cp 1.0 centred → 2·Φ(−3) = 0.0026998.
    Part: 1 − (1 − 0.066810)(1 − 0.0026998) = 0.069330.
    """
    shown = {"1": CapabilityEvidence(cpk=0.5, source="stated by supplier")}
    estimate = expected_scrap({"1": 1.0, "2": 1.0}, shown, default_rate=0.03, floor=0.02)
    assert estimate.rate == pytest.approx(0.069330, abs=2e-6)
    assert [c.source for c in estimate.characteristics] == [
        "stated by supplier",
        "chain Cp, centred",
    ]


@given(
    chain_cp=st.floats(0.3, 3.0),
    low=st.floats(-1.0, 3.0),
    step=st.floats(0.0, 1.0),
    floor=st.floats(0.0, 0.1),
)
def test_scrap_never_rises_with_capability_and_stays_in_bounds(
    chain_cp: float, low: float, step: float, floor: float
) -> None:
    def rate(cpk: float) -> float:
        shown = {"1": CapabilityEvidence(cpk=cpk, source="stated by supplier")}
        return expected_scrap({"1": chain_cp}, shown, default_rate=0.12, floor=floor).rate

    worse, better = rate(low), rate(low + step)
    assert floor <= better <= worse <= 0.99


def _tight_project(**overrides: object) -> Project:
    """The test part: bore Ø12 ±0.005 (finer than drilling holds: a tight route)."""
    return Project.model_validate(build_document(quantity=100, **overrides))


def test_stated_capability_replaces_the_tight_rate_in_the_price() -> None:
    """The scrap bucket is (material + machining) × s / (1 − s): going from seed 003's
    12 % to the 2 % floor scales it by (0.02 / 0.98) / (0.12 / 0.88) = 0.14966."""
    without = open_plan(_tight_project(), today=TODAY).prices(Stage.LOW_VOLUME)
    with_cpk = open_plan(_tight_project(supplier={"cpk": {1: 1.7}}), today=TODAY).prices(
        Stage.LOW_VOLUME
    )
    assert without.plan.scrap.rate == 0.12
    assert with_cpk.plan.scrap.rate == 0.02
    _, before = without.cheapest(100)
    _, after = with_cpk.cheapest(100)
    assert after.drivers().scrap / before.drivers().scrap == pytest.approx(0.14966, rel=1e-4)
    assert after.price < before.price


def test_the_assumptions_say_which_scrap_rate_is_priced() -> None:
    default = assess(_tight_project(), today=TODAY).quote
    shown = assess(_tight_project(supplier={"cpk": {1: 1.7}}), today=TODAY).quote
    assert default is not None and shown is not None
    [before] = [a for a in default.assumptions if a.startswith("Scrap:")]
    [after] = [a for a in shown.assumptions if a.startswith("Scrap:")]
    assert "no Cpk measured or stated" in before and "seed 003: 12 %" in before
    assert "from capability" in after and "stated by supplier" in after
