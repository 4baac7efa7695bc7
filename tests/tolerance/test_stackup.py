"""Stack-ups against the published examples, Monte Carlo against RSS, the file format."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.io.stack_file import load_stack
from rampwise.tolerance.spec import ToleranceSpec
from rampwise.tolerance.stackup import (
    MM_PER_INCH,
    Contributor,
    Distribution,
    Requirement,
    Stack,
    analyse_stack,
    contributions,
    modified_rss,
    monte_carlo,
    rss,
    stack_from_mapping,
    worst_case,
)
from support import stack_document


def _examples(shared_dir: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((shared_dir / "refdata" / "tolerance" / "stackups.json").read_text())
    return {example["id"]: example for example in data["examples"]}


@pytest.mark.parametrize("example_id", ["drake_ch9_motor_assembly", "mitcalc_shaft_bearing_case"])
def test_published_worst_case_rss_and_modified_rss(shared_dir: Path, example_id: str) -> None:
    """``refdata/tolerance/stackups.json``: Drake, *Dimensioning and Tolerancing Handbook*
    ch. 9 motor assembly (inches; WC, RSS, modified RSS) and the MITCalc shaft–bearing–case
    example (mm; WC, RSS), both as transcribed by phcreery/dimstack's tests. Results are
    in mm inside and converted back to the example's unit for the comparison."""
    example = _examples(shared_dir)[example_id]
    published = example["published"]
    unit = MM_PER_INCH if example["units"] == "in" else 1.0
    result = analyse_stack(stack_from_mapping(stack_document(example)))
    # published values carry 3–5 significant digits: compare at that precision
    assert result.mean_gap / unit == pytest.approx(published["mean_gap"], abs=5e-5)
    assert result.worst_case.half_width / unit == pytest.approx(published["wc_half"], abs=5e-5)
    assert result.worst_case.min / unit == pytest.approx(published["wc_min"], abs=5e-4)
    assert result.worst_case.max / unit == pytest.approx(published["wc_max"], abs=5e-4)
    assert result.rss.half_width / unit == pytest.approx(published["rss_half"], abs=5e-6)
    if "mrss_half" in published:
        assert result.modified_rss.half_width / unit == pytest.approx(
            published["mrss_half"], abs=5e-6
        )
        assert result.modified_rss.min / unit == pytest.approx(published["mrss_min"], abs=5e-4)


def test_drake_verdicts_worst_case_fails_rss_passes(shared_dir: Path) -> None:
    # stackups.json note: WC min −0.034 in (interference possible), RSS min +0.023 in
    example = _examples(shared_dir)["drake_ch9_motor_assembly"]
    result = analyse_stack(stack_from_mapping(stack_document(example)))
    assert result.worst_case.meets_requirement is False
    assert result.rss.meets_requirement is True
    assert result.modified_rss.inflation_factor == pytest.approx(
        example["verified_here"]["mrss_cf"], abs=5e-6
    )


def test_mitcalc_cpk_gives_the_published_effective_sigma(shared_dir: Path) -> None:
    """MITCalc: the shaft (±6σ, Cpk 1.5) enters with σ_eff = T/(6·Cpk) = 0.008 mm and the
    gap's σ is 0.05874 mm; ±4.5σ gives the published ±0.26433 mm."""
    example = _examples(shared_dir)["mitcalc_shaft_bearing_case"]
    document = stack_document(example)
    document["contributors"][0]["cpk"] = example["published"]["shaft_Cpk"]
    stack = stack_from_mapping(document)
    shaft = stack.contributors[0]
    assert shaft.effective_sigma == pytest.approx(example["published"]["shaft_sigma_eff"])
    assert shaft.mean_shift == pytest.approx(0.25 * 0.036)  # k = 0.25 of the half-tolerance
    std = rss(stack).std
    assert std == pytest.approx(example["published"]["six_sigma_sigma"], abs=5e-6)
    assert 4.5 * std == pytest.approx(example["published"]["six_sigma_half"], abs=5e-5)


def test_monte_carlo_agrees_with_rss_within_sampling_error(shared_dir: Path) -> None:
    """For normal contributors the gap is exactly normal with mean μ = Σ gain·mean_i and
    σ = √Σ(gain·σ_i)² (what ``rss().std`` returns). With N samples the sample mean has
    standard error σ/√N and the sample standard deviation ≈ σ/√(2(N−1)); both must fall
    within 5 standard errors (a false alarm would have probability < 1e-6; the seed
    makes the run repeatable anyway)."""
    example = _examples(shared_dir)["drake_ch9_motor_assembly"]
    stack = stack_from_mapping(stack_document(example))
    n = 200_000
    mc = monte_carlo(stack, n, seed=1)
    analytic = rss(stack)
    sigma = analytic.std
    assert abs(mc.mean - analytic.min - analytic.half_width) < 5 * sigma / math.sqrt(n)
    assert abs(mc.std - sigma) < 5 * sigma / math.sqrt(2 * (n - 1))
    # the RSS half-width is 3σ for ±3σ contributors: MC's 3σ matches it to the same bound
    assert abs(3 * mc.std - analytic.half_width) < 15 * sigma / math.sqrt(2 * (n - 1))


def test_monte_carlo_fraction_out_matches_the_normal_prediction() -> None:
    # one normal contributor ±0.3 (σ 0.1) against a requirement max of +0.1: 1 − Φ(1) = 15.87 %
    # binomial standard error √(p(1−p)/N) = 0.00116 at N = 100,000; allow 5 of them
    stack = Stack(
        name="one",
        requirement=Requirement(max=0.1),
        contributors=(
            Contributor(
                name="x",
                nominal=0.0,
                tolerance=ToleranceSpec(upper_deviation=0.3, lower_deviation=-0.3),
                direction=1,
            ),
        ),
    )
    predicted = rss(stack).fraction_out
    assert predicted == pytest.approx(0.158655, abs=1e-6)
    mc = monte_carlo(stack, 100_000, seed=3)
    assert mc.fraction_out is not None
    assert abs(mc.fraction_out - predicted) < 5 * math.sqrt(predicted * (1 - predicted) / 100_000)


def test_uniform_and_triangular_contributors() -> None:
    # uniform ±0.3 → σ = 0.3/√3; triangular ±0.3 → σ = 0.3/√6; sum σ² = 0.03 + 0.015 = 0.045
    def link(kind: Distribution) -> Contributor:
        spec = ToleranceSpec(upper_deviation=0.3, lower_deviation=-0.3)
        return Contributor(
            name=kind.value, nominal=5, tolerance=spec, direction=1, distribution=kind
        )

    stack = Stack(
        name="mixed",
        requirement=None,
        contributors=(link(Distribution.UNIFORM), link(Distribution.TRIANGULAR)),
    )
    assert rss(stack).std == pytest.approx(math.sqrt(0.045))
    mc = monte_carlo(stack, 200_000, seed=2, chunk_size=30_000)
    assert mc.samples == 200_000
    assert mc.fraction_out is None
    assert abs(mc.mean - 10) < 5 * math.sqrt(0.045 / 200_000)
    assert abs(mc.std - math.sqrt(0.045)) < 5 * math.sqrt(0.045) / math.sqrt(2 * 200_000)
    assert mc.min >= 9.4 and mc.max <= 10.6  # bounded distributions: never beyond WC


def test_monte_carlo_is_repeatable_with_a_seed() -> None:
    stack = stack_from_mapping(_shaft_end_play())
    assert monte_carlo(stack, 10_000, seed=7) == monte_carlo(stack, 10_000, seed=7)
    assert monte_carlo(stack, 10_000, seed=7) != monte_carlo(stack, 10_000, seed=8)


def _shaft_end_play() -> dict[str, Any]:
    """The example of the issue text."""
    return {
        "name": "Shaft end play",
        "requirement": {"min": 0.05, "max": 0.50},
        "contributors": [
            {"name": "Housing depth", "nominal": 40.00, "tolerance": "±0.05", "direction": 1},
            {
                "name": "Bearing width",
                "nominal": 12.00,
                "tolerance": "[-0.12, 0]",
                "direction": -1,
                "distribution": "normal",
            },
            {
                "name": "Cover angle arm",
                "nominal": 8.00,
                "tolerance": "±0.03",
                "direction": 1,
                "sensitivity": 0.42,
            },
        ],
    }


def test_issue_example_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "stack.yaml"
    path.write_text(yaml.safe_dump(_shaft_end_play()), encoding="utf-8")
    result = analyse_stack(load_stack(path))
    # mean gap 40 − (12 − 0.06) + 0.42·8 = 31.42; WC ± (0.05 + 0.06 + 0.42·0.03) = ±0.1226
    assert result.mean_gap == pytest.approx(31.42)
    assert result.worst_case.half_width == pytest.approx(0.1226)
    # RSS ±√(0.05² + 0.06² + 0.0126²) = ±0.079112
    assert result.rss.half_width == pytest.approx(math.sqrt(0.05**2 + 0.06**2 + 0.0126**2))
    shares = {c.name: c.share for c in result.contributions}
    assert shares["Bearing width"] == pytest.approx(0.06**2 / (0.05**2 + 0.06**2 + 0.0126**2))
    assert result.worst_case.meets_requirement is False  # 31.3 … 31.5 vs 0.05 … 0.5


def test_allowable_tolerances_map() -> None:
    # two ±0.1 links, requirement ±0.25 around the mean gap 0: RSS allows each
    # √(0.25² − 0.1²) = 0.2291 ("open"); worst case allows 0.25 − 0.1 = 0.15
    spec = ToleranceSpec(upper_deviation=0.1, lower_deviation=-0.1)
    stack = Stack(
        name="two",
        requirement=Requirement(min=-0.25, max=0.25),
        contributors=(
            Contributor(name="a", nominal=10, tolerance=spec, direction=1),
            Contributor(name="b", nominal=10, tolerance=spec, direction=-1),
        ),
    )
    rows = contributions(stack)
    assert rows[0].allowable_half_width_rss == pytest.approx(math.sqrt(0.25**2 - 0.1**2))
    assert rows[0].allowable_half_width_worst_case == pytest.approx(0.15)
    assert rows[0].advice == "open"
    assert sum(r.share for r in rows) == pytest.approx(1.0)


def test_inch_stack_is_converted_to_mm() -> None:
    document = _shaft_end_play()
    document["unit"] = "in"
    inch = analyse_stack(stack_from_mapping(document))
    metric = analyse_stack(stack_from_mapping(_shaft_end_play()))
    assert inch.mean_gap == pytest.approx(metric.mean_gap * 25.4)
    assert inch.rss.half_width == pytest.approx(metric.rss.half_width * 25.4)
    assert inch.requirement == Requirement(min=0.05 * 25.4, max=0.50 * 25.4)


def test_iso_class_contributor_uses_the_nominal_in_mm() -> None:
    # a 1 in shaft g6 is g6 at 25.4 mm: −7/−20 µm, not scaled by 25.4
    document = {
        "name": "iso",
        "unit": "in",
        "contributors": [{"name": "shaft", "nominal": 1.0, "tolerance": "g6", "direction": 1}],
    }
    contributor = stack_from_mapping(document).contributors[0]
    assert contributor.tolerance.lower_deviation == pytest.approx(-0.020)
    assert contributor.nominal == pytest.approx(25.4)


def _broken(path: str, value: Any) -> dict[str, Any]:
    document = _shaft_end_play()
    if path == "contributors":
        document["contributors"] = value
    elif path == "requirement":
        document["requirement"] = value
    elif path == "unit":
        document["unit"] = value
    elif path == "extra":
        document["owner"] = value
    else:
        key = path.split(".")[1]
        document["contributors"][1][key] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "field", "message"),
    [
        ("contributors", [], "contributors", "at least one contributor"),
        ("contributors", None, "contributors", "at least one contributor"),
        ("c.direction", 0, "contributors[1].direction", r"must be \+1 or -1; got 0"),
        ("c.direction", 2, "contributors[1].direction", r"must be \+1 or -1"),
        ("c.direction", True, "contributors[1].direction", "valid integer"),
        ("c.direction", "up", "contributors[1].direction", "valid integer"),
        ("c.tolerance", "[0.1, -0.1]", "contributors[1].tolerance", "exceeds upper"),
        ("c.tolerance", "t7", "contributors[1].tolerance", "shaft t7 is not defined"),
        ("c.sensitivity", 0, "contributors[1].sensitivity", "non-zero"),
        ("c.distribution", "lognormal", "contributors[1].distribution.type", "must be one of"),
        ("c.distribution", {"type": "uniform", "k": 6}, "contributors[1].distribution.k", None),
        ("c.distribution", {"type": "normal", "k": 0}, "contributors[1].distribution.k", "> 0"),
        ("c.cpk", 1.5, "contributors[1].cpk", "≤ Cp = k/3 = 1"),
        ("c.nominal", "twelve", "contributors[1].nominal", "finite number"),
        ("c.colour", "red", "contributors[1].colour", "is not a known field"),
        ("requirement", {"min": 1, "max": 0.5}, "requirement", "must be below max"),
        ("requirement", {}, "requirement", "give min, max or both"),
        ("unit", "cm", "unit", "must be one of mm, in"),
        ("extra", "me", "owner", "is not a known field"),
    ],
)
def test_bad_stack_files(path: str, value: Any, field: str, message: str | None) -> None:
    with pytest.raises(InputError, match=message) as err:
        stack_from_mapping(_broken(path, value))
    assert err.value.field == field


def test_models_refuse_what_the_loader_refuses() -> None:
    spec = ToleranceSpec(upper_deviation=0.1, lower_deviation=-0.1)
    with pytest.raises(ValueError, match=r"direction: must be \+1 or -1"):
        Contributor(name="x", nominal=1, tolerance=spec, direction=0)
    with pytest.raises(ValueError, match="contributors: must list at least one"):
        Stack(name="empty", requirement=None, contributors=())


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found") as err:
        load_stack(tmp_path / "none.yaml")
    assert err.value.field == "stack file"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="malformed YAML at line"):
        load_stack(bad)


def test_monte_carlo_rejects_bad_counts() -> None:
    stack = stack_from_mapping(_shaft_end_play())
    with pytest.raises(InputError, match="samples"):
        monte_carlo(stack, 1)
    with pytest.raises(InputError, match="chunk_size"):
        monte_carlo(stack, 100, chunk_size=0)
    with pytest.raises(InputError, match="inflation_factor"):
        modified_rss(stack, 0.5)


_LINK = st.builds(
    lambda nominal, low, width, direction, sensitivity: Contributor(
        name="x",
        nominal=nominal,
        tolerance=ToleranceSpec(upper_deviation=low + width, lower_deviation=low),
        direction=direction,
        sensitivity=sensitivity,
    ),
    nominal=st.floats(0, 500),
    low=st.floats(-1, 1),
    width=st.floats(1e-4, 2),
    direction=st.sampled_from([1, -1]),
    sensitivity=st.floats(0.05, 3),
)


@settings(max_examples=60)
@given(links=st.lists(_LINK, min_size=1, max_size=12))
def test_rss_never_exceeds_worst_case(links: list[Contributor]) -> None:
    stack = Stack(name="p", requirement=None, contributors=tuple(links))
    wc, r, m = worst_case(stack), rss(stack), modified_rss(stack)
    assert r.half_width <= wc.half_width * (1 + 1e-12)
    assert r.half_width * (1 - 1e-12) <= m.half_width <= wc.half_width * (1 + 1e-12)
    assert sum(c.share for c in contributions(stack)) == pytest.approx(1.0)
