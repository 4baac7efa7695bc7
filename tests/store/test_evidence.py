"""A project's evidence in the store: batches and gauge studies read back as values.

The sensor housing of seed 003 (bore Ø12 ±0.005 mm, 40 parts; its gauge's R&R study):
what the web stores for a project reads back as the :class:`~rampwise.api.Evidence` the
CLI reads from the files the project names, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from rampwise.api import Evidence, assess, read_gauge_study
from rampwise.app.store import (
    Database,
    MeasuredValue,
    RecordNotFoundError,
    StoredResultError,
    add_assessment,
    batch_result,
    create_batch,
    create_gauge_study,
    create_project,
    get_project,
    list_gauge_studies,
    project_evidence,
    project_history,
)
from rampwise.app.web.batch_import import report_json
from rampwise.core.model import Project
from rampwise.io.project_file import project_from_mapping
from rampwise.quality.batch import BatchResult, analyze_batch
from rampwise.quality.measurements import load_measurements
from rampwise.quality.specs import specs_for_characteristics


@pytest.fixture
def housing(examples_dir: Path) -> tuple[dict[str, Any], Project]:
    """The sensor housing's document as the web keeps it (no file paths), validated."""
    document = yaml.safe_load((examples_dir / "sensor_housing_pilot.yaml").read_text("utf-8"))
    document.pop("measurements")
    document.pop("gauge_studies")
    document["design"]["revisions"] = [
        {**r, "date": r["date"].isoformat()} for r in document["design"]["revisions"]
    ]
    return document, project_from_mapping(document)


def measured(examples_dir: Path, project: Project, name: str) -> BatchResult:
    """A bundled measurements file's batch, with the project's limits (as the CLI reads it)."""
    specs = specs_for_characteristics(project.part.characteristics)
    return analyze_batch(load_measurements(examples_dir / "measurements" / name, specs=specs))


def stored_project(database: Database, document: dict[str, Any], project: Project) -> int:
    with database.write() as session:
        return create_project(session, document=document, result=assess(project)).id


def store_batch(database: Database, project_id: int, batch: BatchResult) -> None:
    """As the web's import job keeps it: the report with its plot section."""
    with database.write() as session:
        create_batch(
            session,
            name=batch.source,
            result=report_json(batch),
            values=[MeasuredValue(position=0, characteristic="Bore", subgroup=1, value=12.0)],
            project_id=project_id,
        )


def test_stored_evidence_reads_back_as_an_equal_evidence(
    database: Database, examples_dir: Path, housing: tuple[dict[str, Any], Project]
) -> None:
    document, project = housing
    project_id = stored_project(database, document, project)
    batch = measured(examples_dir, project, "sensor_housing_bore.csv")
    study = read_gauge_study(
        project, "1", examples_dir / "measurements" / "sensor_housing_bore_grr.csv"
    )
    store_batch(database, project_id, batch)
    with database.write() as session:
        create_gauge_study(
            session, project_id=project_id, characteristic="1", name="bore gauge", result=study
        )
    with database.read() as session:
        evidence = project_evidence(session, project_id=project_id)
    assert evidence == Evidence(batch=batch, gauge_studies={"1": study})
    assert evidence.batch is not None
    # What the gate reads, field by field, though the series stayed behind.
    assert evidence.batch.cpk_by_characteristic() == batch.cpk_by_characteristic()
    assert [c.stable for c in evidence.batch.characteristics] == [False]
    assert evidence.batch.source == "sensor_housing_bore.csv"
    # The same evidence gives the same assessment as the values the CLI read.
    stored = assess(project, evidence=evidence).model_dump(mode="json")
    fresh = assess(project, evidence=Evidence(batch=batch, gauge_studies={"1": study}))
    assert stored == fresh.model_dump(mode="json")


def test_a_project_without_evidence_has_none(
    database: Database, housing: tuple[dict[str, Any], Project]
) -> None:
    project_id = stored_project(database, *housing)
    with database.read() as session:
        assert project_evidence(session, project_id=project_id) == Evidence()
        assert list_gauge_studies(session, project_id=project_id) == []
        with pytest.raises(RecordNotFoundError, match="project 999 not found"):
            project_evidence(session, project_id=999)


def test_the_latest_batch_and_the_latest_study_of_each_characteristic_count(
    database: Database, examples_dir: Path, housing: tuple[dict[str, Any], Project]
) -> None:
    """A later batch measures the process after a change; a re-study replaces a study."""
    document, project = housing
    project_id = stored_project(database, document, project)
    other = stored_project(database, document, project)
    first = measured(examples_dir, project, "sensor_housing_individuals.csv")
    latest = measured(examples_dir, project, "sensor_housing_bore.csv")
    path = examples_dir / "measurements" / "sensor_housing_bore_grr.csv"
    old = read_gauge_study(project, "1", path).model_copy(update={"findings": ("old study",)})
    new = read_gauge_study(project, "1", path)
    store_batch(database, project_id, first)
    store_batch(database, project_id, latest)
    store_batch(database, other, first)
    with database.write() as session:
        for result in (old, new):
            create_gauge_study(
                session, project_id=project_id, characteristic="1", name="bore", result=result
            )
    with database.read() as session:
        evidence = project_evidence(session, project_id=project_id)
        studies = list_gauge_studies(session, project_id=project_id)
        assert project_evidence(session, project_id=other).batch == first
    assert evidence.batch == latest and evidence.batch != first
    assert evidence.gauge_studies == {"1": new}
    assert [s.result for s in studies] == [new, old]  # newest first


def test_a_batch_report_stored_before_it_held_every_field_still_reads(
    examples_dir: Path, housing: tuple[dict[str, Any], Project]
) -> None:
    """Reports of earlier versions: the contract's fields, the rest in their plot section."""
    _, project = housing
    batch = measured(examples_dir, project, "sensor_housing_bore.csv")
    report = report_json(batch)
    legacy = copy.deepcopy(report)
    for key in ("rules", "calibration"):
        legacy.pop(key)
    for entry in legacy["characteristics"]:
        for key in ("unit", "spec", "capability", "stable", "capable", "ppap"):
            entry.pop(key)
        for chart in entry["charts"]:
            chart.pop("sigma")
            chart.pop("calibration")
    back = batch_result(legacy)
    assert back == batch.model_copy(
        update={
            "characteristics": tuple(
                c.model_copy(update={"capability": None}) for c in batch.characteristics
            )
        }
    )
    assert batch_result(report) == batch
    with pytest.raises(StoredResultError, match="characteristics"):
        batch_result({**report, "characteristics": "none"})


def test_a_new_assessment_of_the_latest_revision_becomes_the_projects_latest(
    database: Database, examples_dir: Path, housing: tuple[dict[str, Any], Project]
) -> None:
    document, project = housing
    project_id = stored_project(database, document, project)
    batch = measured(examples_dir, project, "sensor_housing_bore.csv")
    with database.write() as session:
        record = add_assessment(
            session,
            project_id=project_id,
            result=assess(project, evidence=Evidence(batch=batch)),
        )
    with database.read() as session:
        detail = get_project(session, project_id=project_id)
        (entry,) = project_history(session, project_id=project_id)
    assert detail.revision_count == 1
    assert detail.latest_assessment == record == entry.assessment
    assert record.result.batch == batch
    assert detail.latest_revision is not None
    assert record.revision_id == detail.latest_revision.id
    with database.write() as session, pytest.raises(RecordNotFoundError):
        add_assessment(session, project_id=999, result=record.result)
