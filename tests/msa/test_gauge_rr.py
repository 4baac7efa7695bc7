"""Gauge R&R against the AIAG MSA 4th ed. example and Minitab's crossed study.

Data: ``shared/refdata/aiag_msa_grr.csv`` (10 parts × 3 appraisers × 3 trials, = Minitab
GAGEAIAG). Expected: ``shared/refdata/aiag_msa_grr_expected.json`` — the AIAG worksheet
(average and range, 4 decimals), Minitab's ANOVA table and reduced-model variance
components, and SPC for Excel's 5-part subset (pooled interaction, %SV GRR 33.07).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.quality.msa import (
    GaugeAcceptability,
    GaugeStudy,
    capability_claim_finding,
    gauge_rr,
    load_gauge_study,
)


@pytest.fixture(scope="module")
def study(shared_dir: Path) -> GaugeStudy:
    return load_gauge_study(shared_dir / "refdata" / "aiag_msa_grr.csv")


@pytest.fixture(scope="module")
def expected(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "refdata" / "aiag_msa_grr_expected.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_study_shape(study: GaugeStudy) -> None:
    assert study.values.shape == (10, 3, 3)
    assert study.appraisers == ("A", "B", "C")


def test_average_and_range_matches_the_aiag_worksheet(
    study: GaugeStudy, expected: dict[str, Any]
) -> None:
    published = expected["published_average_and_range_AIAG"]
    result = gauge_rr(study, method="average-range")
    for name in ("EV", "AV", "GRR", "PV", "TV"):
        assert getattr(result, name.lower()) == pytest.approx(published[name], abs=5e-5), name
    for name in ("pct_EV", "pct_AV", "pct_GRR", "pct_PV"):
        assert getattr(result, name.lower()) == pytest.approx(published[name], abs=0.05), name
    assert result.ndc == published["ndc"]
    assert result.acceptability is GaugeAcceptability.MARGINAL
    assert result.capability_claim_supported


def test_average_and_range_matches_the_recomputation(
    study: GaugeStudy, expected: dict[str, Any]
) -> None:
    again = expected["recomputed_average_range"]
    result = gauge_rr(study, method="average-range")
    assert result.pct_grr == pytest.approx(again["pctGRR"], rel=1e-9)
    assert result.ndc == math.floor(again["ndc"])


def test_anova_table_matches_minitab(study: GaugeStudy, expected: dict[str, Any]) -> None:
    table = expected["published_ANOVA_table"]
    result = gauge_rr(study, method="anova", interaction_alpha=0.05)
    rows = {row.source: row for row in result.anova}
    for source in ("part", "appraiser", "interaction", "repeatability", "total"):
        assert rows[source].ss == pytest.approx(table["SS"][source], abs=5e-5), source
    for source in ("part", "appraiser", "interaction", "repeatability"):
        assert rows[source].df == table["df"][source]
        assert rows[source].ms == pytest.approx(table["MS"][source], abs=5e-6), source
    assert rows["interaction"].f == pytest.approx(table["F_interaction"], abs=5e-4)
    assert rows["interaction"].p == pytest.approx(table["p_interaction_Minitab"], abs=5e-4)
    assert result.interaction_pooled


@pytest.mark.parametrize("alpha", [0.05, 0.25])
def test_anova_components_match_minitab_reduced_model(
    study: GaugeStudy, expected: dict[str, Any], alpha: float
) -> None:
    """p(interaction) 0.974 pools at both Minitab's α 0.05 and AIAG's 0.25."""
    published = expected["published_Minitab_reduced_model_(interaction removed, alpha 0.05)"]
    result = gauge_rr(study, tolerance=8, interaction_alpha=alpha)
    variance = published["varcomp"]
    assert result.ev**2 == pytest.approx(variance["repeatability"], abs=5e-6)
    assert result.av**2 == pytest.approx(variance["reproducibility"], abs=5e-6)
    assert result.grr**2 == pytest.approx(variance["GRR"], abs=5e-6)
    assert result.pv**2 == pytest.approx(variance["part"], abs=5e-6)
    assert result.tv**2 == pytest.approx(variance["total"], abs=5e-6)
    assert result.pct_contribution_grr == pytest.approx(
        published["pct_contribution"]["GRR"], abs=5e-3
    )
    study_var = published["pct_study_var"]
    assert result.pct_grr == pytest.approx(study_var["GRR"], abs=5e-3)
    assert result.pct_ev == pytest.approx(study_var["repeatability"], abs=5e-3)
    assert result.pct_av == pytest.approx(study_var["reproducibility"], abs=5e-3)
    assert result.pct_pv == pytest.approx(study_var["part"], abs=5e-3)
    assert result.pct_grr_tolerance == pytest.approx(
        published["pct_tolerance_tol8_6sigma"]["GRR"], abs=5e-3
    )
    assert result.ndc == published["ndc"]
    assert any("ndc 4 < 5" in line for line in result.findings)


def test_five_part_subset_is_unacceptable_and_flags_capability(
    study: GaugeStudy, expected: dict[str, Any]
) -> None:
    """SPC for Excel: AIAG parts 1–5 + 3.00, α 0.25: pooled, %SV GRR 33.07, ndc 4."""
    case = expected["subset_5parts_plus3_SPCforExcel"]
    subset = GaugeStudy(
        parts=study.parts[:5], appraisers=study.appraisers, values=study.values[:5] + 3.0
    )
    result = gauge_rr(subset, interaction_alpha=case["alpha_interaction"])
    published = case["expected"]
    rows = {row.source: row for row in result.anova}
    assert rows["interaction"].p == pytest.approx(published["interaction_p"], abs=5e-5)
    assert result.ev**2 == pytest.approx(published["var_repeatability"], abs=5e-5)
    assert result.av**2 == pytest.approx(published["var_operator"], abs=5e-5)
    assert result.pv**2 == pytest.approx(published["var_part"], abs=5e-5)
    assert result.pct_grr == pytest.approx(published["pct_study_var_grr"], abs=5e-3)
    assert result.pct_contribution_grr == pytest.approx(published["pct_contribution_grr"], abs=5e-3)
    assert result.ndc == published["ndc"]
    assert result.acceptability is GaugeAcceptability.UNACCEPTABLE
    assert not result.capability_claim_supported
    assert any(line.startswith("capability claim not supported") for line in result.findings)


def test_unpooled_interaction_keeps_its_component(study: GaugeStudy) -> None:
    """With α = 0.99 the interaction (p 0.974) stays; its component clamps to 0 because
    MS_interaction 0.0199 < MS_error 0.0460 (AIAG: negative variance set to zero)."""
    result = gauge_rr(study, interaction_alpha=0.99)
    assert result.interaction_pooled is False
    assert result.interaction == 0.0
    assert result.ev**2 == pytest.approx(0.04598222, abs=1e-7)


def test_capability_claim_finding() -> None:
    assert capability_claim_finding(29.9) == ""
    assert "33.1 %" in capability_claim_finding(33.07)


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=0.01, max_value=100), st.floats(min_value=-1e3, max_value=1e3))
def test_percentages_do_not_depend_on_units_or_offset(scale: float, offset: float) -> None:
    rng = np.random.default_rng(7)
    values = rng.normal(size=(6, 2, 3)) + np.arange(6)[:, None, None]
    base = gauge_rr(GaugeStudy(parts=tuple("abcdef"), appraisers=("x", "y"), values=values))
    moved = gauge_rr(
        GaugeStudy(parts=tuple("abcdef"), appraisers=("x", "y"), values=values * scale + offset)
    )
    assert moved.pct_grr == pytest.approx(base.pct_grr, rel=1e-6)
    assert moved.grr == pytest.approx(base.grr * scale, rel=1e-6)
    assert moved.ndc == base.ndc


@pytest.mark.parametrize(
    ("text", "field", "fragment"),
    [
        ("part,appraiser,trial,value\n1,A,1,0.1\n1,A,2,x\n", "study row 3", "got 'x'"),
        ("part,appraiser,trial,value\n1,A,1,nan\n", "study row 2", "finite number"),
        ("part,appraiser,trial,value\n1,A,1,0.1\n1,A,1,0.2\n", "study row 3", "repeats"),
        ("part,appraiser,value\n1,A,0.1\n", "study", "missing column(s) trial"),
        (
            "part,appraiser,trial,value\n1,A,1,1\n1,A,2,1\n2,A,1,2\n",
            "study",
            "unbalanced: no reading for part 2, appraiser A, trial 2",
        ),
        ("part,appraiser,trial,value\n1,A,1,1\n", "study", "needs ≥ 2 parts"),
    ],
)
def test_malformed_study_names_the_row(
    tmp_path: Path, text: str, field: str, fragment: str
) -> None:
    path = tmp_path / "study.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_gauge_study(path)
    assert caught.value.field == field
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "xbar"}, "method"),
        ({"tolerance": 0.0}, "tolerance"),
        ({"interaction_alpha": 1.5}, "interaction_alpha"),
    ],
)
def test_bad_options(study: GaugeStudy, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        gauge_rr(study, **kwargs)
    assert caught.value.field == field


def test_constant_readings_are_rejected() -> None:
    flat = GaugeStudy(parts=("1", "2"), appraisers=("A",), values=np.ones((2, 1, 2)))
    with pytest.raises(InputError, match="no variation"):
        gauge_rr(flat)
