"""Gauge studies in the readiness gate: a Cpk is evidence only from an acceptable gauge.

AIAG MSA 4th ed.: %GRR above 30 % is unacceptable, and capability studies assume an
acceptable measurement system. The study is the AIAG example (``refdata/aiag_msa_grr.csv``),
whose ANOVA figures are published: GRR σ = 0.30237, 27.86 % of study variation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rampwise.api import assess
from rampwise.core.errors import InputError
from rampwise.core.model import AreaStatus, ReadinessArea
from rampwise.io.project_file import load_project, project_from_mapping
from support import TODAY, build_document

AIAG_GRR_SIGMA = 0.30237
"""Published ANOVA gauge R&R of the AIAG example [its reading unit]."""


def _project_with_study(tmp_path: Path, study: Path, tolerance: str) -> Path:
    """A ready project whose critical characteristic 1 is judged with ``study``."""
    document = build_document(ready=True)
    document["part"]["characteristics"][0].update(nominal=0.0, tolerance=tolerance)
    document["gauge_studies"] = {1: str(study)}
    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_a_gauge_above_30_percent_voids_the_stated_cpk(tmp_path: Path, shared_dir: Path) -> None:
    # tolerance ±2 → width 4: %GRR of tolerance = 100 · 6 · 0.30237 / 4 = 45.36 % > 30 %
    study = shared_dir / "refdata" / "aiag_msa_grr.csv"
    project = load_project(_project_with_study(tmp_path, study, "±2"), today=TODAY)
    result = assess(project, today=TODAY)
    grr = result.gauge_studies["1"]
    assert grr.pct_grr_tolerance == pytest.approx(100 * 6 * AIAG_GRR_SIGMA / 4, abs=0.01)
    assert grr.pct_grr_judged == pytest.approx(45.36, abs=0.01)
    area = result.readiness.area(ReadinessArea.SUPPLIER_CAPABILITY)
    assert area.status is AreaStatus.FAIL  # although the stated Cpk 1.5 clears 1.33
    assert "#1 Bore: gauge %GRR 45.4 % (unacceptable, AIAG MSA)" in area.evidence
    assert area.action is not None
    assert area.action.startswith("Improve the gauge of #1 Bore (%GRR 45.4 %) to at most 30 %GRR")
    assert not result.readiness.ready


def test_a_marginal_gauge_is_reported_and_does_not_block(tmp_path: Path, shared_dir: Path) -> None:
    # tolerance ±4 → width 8 (Minitab's example): %tolerance 22.68 %, study variation
    # 27.86 % is the worse of the two, in AIAG's 10–30 % band
    study = shared_dir / "refdata" / "aiag_msa_grr.csv"
    project = load_project(_project_with_study(tmp_path, study, "±4"), today=TODAY)
    result = assess(project, today=TODAY)
    area = result.readiness.area(ReadinessArea.SUPPLIER_CAPABILITY)
    assert area.status is AreaStatus.PASS
    assert "#1 Bore: gauge %GRR 27.9 % (marginal, AIAG MSA)" in area.evidence


def test_the_bundled_sensor_housing_names_its_bore_gauge(examples_dir: Path) -> None:
    """The example's study is the AIAG readings in µm: the same 27.86 % of study variation."""
    project = load_project(examples_dir / "sensor_housing_pilot.yaml", today=TODAY)
    grr = assess(project, today=TODAY).gauge_studies["1"]
    assert grr.pct_grr == pytest.approx(27.86, abs=0.01)
    # ±0.005 mm → width 0.010 mm: 100 · 6 · 0.30237 µm / 10 µm = 18.14 %
    assert grr.pct_grr_tolerance == pytest.approx(18.14, abs=0.01)


def test_a_study_must_name_a_characteristic() -> None:
    document = build_document(gauge_studies={9: "grr.csv"})
    with pytest.raises(InputError) as err:
        assess(project_from_mapping(document, today=TODAY), today=TODAY)
    assert err.value.field == "gauge_studies.9"
    assert "names no characteristic (ids: 1, 2)" in str(err.value)


def test_an_unreadable_study_names_the_project_field(tmp_path: Path) -> None:
    study = tmp_path / "grr.csv"
    study.write_text("part,appraiser,trial,value\n1,A,1,oops\n", encoding="utf-8")
    project = load_project(_project_with_study(tmp_path, study, "±2"), today=TODAY)
    with pytest.raises(InputError) as err:
        assess(project, today=TODAY)
    assert err.value.field == "gauge_studies.1"
    assert "study row 2" in err.value.message


@pytest.mark.cad
def test_a_study_may_name_a_characteristic_from_the_models_pmi(
    examples_dir: Path, shared_dir: Path
) -> None:
    """The ring lists no characteristics: #2 (Ø32 mm, width 0.6) comes from its AP242 PMI."""
    document = yaml.safe_load((examples_dir / "ring_customer_testing.yaml").read_text())
    document["part"]["cad"] = str(examples_dir / document["part"]["cad"])
    document["gauge_studies"] = {2: str(shared_dir / "refdata" / "aiag_msa_grr.csv")}
    project = project_from_mapping(document, today=TODAY)
    grr = assess(project, today=TODAY).gauge_studies["2"]
    # 100 · 6 · 0.30237 / 0.6 = 302.4 % of the tolerance: the AIAG readings are not in mm
    assert grr.tolerance == pytest.approx(0.6)
    assert grr.pct_grr_tolerance == pytest.approx(100 * 6 * AIAG_GRR_SIGMA / 0.6, rel=1e-3)
