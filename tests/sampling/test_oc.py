"""OC, AOQ, AOQL, ATI, ASN and two-point design against published results.

Expected values: ``shared/refdata/acceptance_sampling_expected.json`` (R
AcceptanceSampling 1.0-11 ``OC2c``/``find.plan``, Minitab "Attributes Acceptance
Sampling", AccSamplingDesign) and NIST/SEMATECH e-Handbook §6.2.3.2 (n 52, c 3,
N 10 000), transcribed in ``shared/research/quality.md`` §2.2 (``nist_expected.json`` holds
only the capability and individuals-chart examples).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.quality.oc import (
    aoq,
    aoql,
    average_sample_number,
    average_total_inspection,
    design_single_plan,
    oc_curve,
    plot_oc_curve,
    probability_of_acceptance,
    single_stage_plan,
)
from rampwise.quality.sampling import SamplingStage


@pytest.fixture(scope="module")
def expected(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "refdata" / "acceptance_sampling_expected.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _fractions(table: dict[str, float]) -> tuple[list[float], list[float]]:
    return [float(p) for p in table], list(table.values())


def test_assess_n20_c0(expected: dict[str, Any]) -> None:
    """AcceptanceSampling ``assess(OC2c(20, 0))``: Pa at PRP 0.05 and CRP 0.15."""
    case = expected["assess_n20_c0"]
    pa = probability_of_acceptance(single_stage_plan(20, 0), [0.05, 0.15])
    assert pa == pytest.approx(
        [case["expected"]["Pa_at_PRP"], case["expected"]["Pa_at_CRP"]], abs=5e-9
    )
    # "Plan CANNOT meet desired risk point(s)": Pa(PRP) < 0.95.
    assert pa[0] < case["PRP"][1]


def test_oc2c_n10_c3_binomial(expected: dict[str, Any]) -> None:
    fractions, values = _fractions(expected["OC2c_n10_c3_binomial"]["expected_Pa"])
    assert probability_of_acceptance(single_stage_plan(10, 3), fractions) == pytest.approx(
        values, abs=5e-8
    )


def test_double_plan_as1199(expected: dict[str, Any]) -> None:
    """Pa = P(d1 = 0) + P(d1 = 1)·P(d2 = 0) for (8, 0/2) + (8, 1/2)."""
    case = expected["double_plan_AS1199_E_AQL4"]
    stages = [
        SamplingStage(sample_size=8, cumulative_sample_size=8, accept=0, reject=2),
        SamplingStage(sample_size=8, cumulative_sample_size=16, accept=1, reject=2),
    ]
    fractions, values = _fractions(case["computed_Pa_run_here"])
    assert probability_of_acceptance(stages, fractions) == pytest.approx(values, abs=5e-9)
    # ASN by hand at p = 0.05: 8 + 8·P(d1 = 1) = 8 + 8·8·0.05·0.95⁷.
    assert average_sample_number(stages, 0.05)[0] == pytest.approx(8 + 64 * 0.05 * 0.95**7)


def test_hypergeometric_n200_n20_c1(expected: dict[str, Any]) -> None:
    fractions, values = _fractions(expected["hypergeom_N200_n20_c1_run_here"])
    pa = probability_of_acceptance(
        single_stage_plan(20, 1), fractions, distribution="hypergeometric", lot_size=200
    )
    assert pa == pytest.approx(values, abs=5e-9)


def test_minitab_rectifying_plan(expected: dict[str, Any]) -> None:
    """Minitab N 5000, n 52, c 2: Pa, AOQ, ATI at AQL 1.5 % and RQL 10 %, AOQL 2.603 % at 4.30 %."""
    case = expected["minitab_rectifying_N5000_n52_c2"]
    printed, recomputed = case["expected"], case["recomputed"]
    plan = single_stage_plan(52, 2)
    fractions = [case["AQL"], case["RQL"]]
    pa = probability_of_acceptance(plan, fractions)
    assert pa == pytest.approx([printed["Pa_AQL"], printed["Pa_RQL"]], abs=5e-4)
    assert pa == pytest.approx([recomputed["Pa_AQL"], recomputed["Pa_RQL"]], abs=5e-5)
    outgoing = aoq(plan, fractions, lot_size=5000) * 100
    assert outgoing == pytest.approx([printed["AOQ_pct_AQL"], printed["AOQ_pct_RQL"]], abs=5e-3)
    total = average_total_inspection(plan, fractions, lot_size=5000)
    assert total == pytest.approx([printed["ATI_AQL"], printed["ATI_RQL"]], abs=0.05)
    limit = aoql(plan, lot_size=5000)
    assert limit.aoql * 100 == pytest.approx(printed["AOQL_pct"], abs=5e-4)
    assert limit.at_fraction * 100 == pytest.approx(printed["AOQL_at_pct"], abs=5e-3)


@pytest.mark.parametrize(
    ("distribution", "lot_size", "key"),
    [
        ("binomial", None, "expected"),
        ("hypergeometric", 1000, "hypergeom_N1000_run_here"),
        ("poisson", None, "poisson_run_here"),
    ],
)
def test_find_plan(
    expected: dict[str, Any], distribution: str, lot_size: int | None, key: str
) -> None:
    """``find.plan(PRP = c(0.05, 0.95), CRP = c(0.15, 0.075))``: (80, 7), (79, 7), (91, 8)."""
    case = expected["find_plan_binomial"]
    design = design_single_plan(
        case["PRP"][0],
        case["PRP"][1],
        case["CRP"][0],
        case["CRP"][1],
        distribution=distribution,
        lot_size=lot_size,
    )
    assert (design.sample_size, design.accept) == (case[key]["n"], case[key]["c"])


def test_accsamplingdesign_two_point_plan(expected: dict[str, Any]) -> None:
    case = expected["AccSamplingDesign_optPlan"]
    design = design_single_plan(case["PRQ"], 1 - case["alpha"], case["CRQ"], case["beta"])
    result = case["expected"]
    assert (design.sample_size, design.accept) == (result["n"], result["c"])
    assert 1 - design.producer_pa == pytest.approx(result["producer_risk"], abs=5e-9)
    assert design.consumer_pa == pytest.approx(result["consumer_risk"], abs=5e-8)
    plan = single_stage_plan(design.sample_size, design.accept)
    assert probability_of_acceptance(plan, 0.03)[0] == pytest.approx(result["Pa_at_0.03"], abs=5e-8)


def test_z14_spot_oc(expected: dict[str, Any]) -> None:
    """K (n 125), AQL 1.0 → Ac 3: Pa(1 %) 0.96255 binomial, 0.96173 Poisson."""
    case = expected["z14_spot_OC"]
    plan = single_stage_plan(125, 3)
    assert probability_of_acceptance(plan, 0.01)[0] == pytest.approx(
        case["Pa_at_1pct_binomial"], abs=5e-6
    )
    assert probability_of_acceptance(plan, 0.01, distribution="poisson")[0] == pytest.approx(
        case["Pa_poisson"], abs=5e-6
    )


NIST_PA = [0.998, 0.980, 0.930, 0.845, 0.739, 0.620, 0.502, 0.394, 0.300, 0.223, 0.162, 0.115]


def test_nist_single_sampling_example() -> None:
    """NIST e-Handbook 6.2.3.2: n 52, c 3, N 10 000.

    Pa printed to 3 decimals (p = .04/.05 print 0.845/0.739 against binomial 0.8460/0.7383,
    hence 1.5e-3); AOQL 0.0372 near p 0.06 on the printed grid with AOQ ≈ Pa·p; exact
    AOQ = Pa·p·(N − n)/N peaks at 0.037190 at p 0.0559; ATI(0.03) = 753.
    """
    plan = single_stage_plan(52, 3)
    grid = np.arange(1, 13) / 100
    pa = probability_of_acceptance(plan, grid)
    assert pa == pytest.approx(NIST_PA, abs=1.5e-3)
    assert float(np.max(pa * grid)) == pytest.approx(0.0372, abs=5e-5)
    limit = aoql(plan, lot_size=10_000)
    assert limit.aoql == pytest.approx(0.037190, abs=5e-7)
    assert limit.at_fraction == pytest.approx(0.0559, abs=5e-5)
    assert average_total_inspection(plan, 0.03, lot_size=10_000)[0] == pytest.approx(753, abs=0.5)


def test_hypergeometric_double_draws_the_second_sample_from_the_rest() -> None:
    """Lot 10 with 1 nonconforming, plan (2, 0/2) + (2, 1/2): accepted unless both samples
    hit it, which is impossible with one bad item — Pa = 1 by hand."""
    stages = [
        SamplingStage(sample_size=2, cumulative_sample_size=2, accept=0, reject=2),
        SamplingStage(sample_size=2, cumulative_sample_size=4, accept=1, reject=2),
    ]
    pa = probability_of_acceptance(stages, 0.1, distribution="hypergeometric", lot_size=10)
    assert pa[0] == pytest.approx(1.0)


def test_oc_curve_and_plot(tmp_path: Path) -> None:
    curve = oc_curve(single_stage_plan(52, 3), lot_size=10_000, points=51)
    assert len(curve.fraction_nonconforming) == len(curve.aoq) == len(curve.ati) == 51
    assert curve.probability_of_acceptance[0] == 1.0
    assert curve.aoql is not None and curve.aoql.aoql == pytest.approx(0.037190, abs=5e-7)
    target = plot_oc_curve(curve, tmp_path / "oc.png")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_oc_curve_without_lot_has_no_rectification() -> None:
    curve = oc_curve(single_stage_plan(20, 1))
    assert curve.aoq == () and curve.aoql is None


@given(
    st.integers(min_value=1, max_value=300),
    st.data(),
    st.lists(st.floats(min_value=0, max_value=1), min_size=2, max_size=6),
)
def test_pa_falls_as_quality_worsens(n: int, data: st.DataObject, fractions: list[float]) -> None:
    c = data.draw(st.integers(min_value=0, max_value=n - 1)) if n > 1 else 0
    ordered = sorted(fractions)
    pa = probability_of_acceptance(single_stage_plan(n, c), ordered)
    assert np.all((pa >= -1e-12) & (pa <= 1 + 1e-12))
    assert np.all(np.diff(pa) <= 1e-12)


@given(
    st.integers(min_value=2, max_value=200),
    st.integers(min_value=0, max_value=5),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=5000),
)
def test_rectified_figures_stay_in_range(n: int, c: int, p: float, extra: int) -> None:
    c = min(c, n - 1)
    lot = n + extra
    plan = single_stage_plan(n, c)
    assert 0 <= aoq(plan, p, lot_size=lot)[0] <= p + 1e-12
    assert n - 1e-9 <= average_total_inspection(plan, p, lot_size=lot)[0] <= lot + 1e-9


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: probability_of_acceptance(single_stage_plan(5, 0), 1.5), "fraction_nonconforming"),
        (
            lambda: probability_of_acceptance(
                single_stage_plan(5, 0), 0.1, distribution="hypergeometric"
            ),
            "lot_size",
        ),
        (
            lambda: probability_of_acceptance(single_stage_plan(5, 0), 0.1, distribution="normal"),
            "distribution",
        ),
        (lambda: aoq(single_stage_plan(50, 0), 0.1, lot_size=10), "lot_size"),
        (lambda: single_stage_plan(5, 5), "accept"),
        (lambda: design_single_plan(0.2, 0.95, 0.1, 0.1), "design"),
    ],
)
def test_bad_input(call: Any, field: str) -> None:
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.field == field
