"""Projects, revisions, assessments, quotes and history in the store (both databases)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from rampwise.api import Assessment, assess
from rampwise.app.store import (
    SCHEMA_VERSION,
    Database,
    RecordNotFoundError,
    StoredResultError,
    add_revision,
    create_project,
    get_assessment,
    get_project,
    list_inspection_records,
    list_projects,
    list_quotes,
    list_revisions,
    project_history,
    upgrade,
)
from rampwise.app.store.assessments import read_assessment
from rampwise.app.store.blobs import save_bytes
from rampwise.app.store.history import price_at
from rampwise.app.store.records import FileKind
from rampwise.app.store.tables import (
    AssessmentRow,
    InspectionRecordRow,
    PartRevisionRow,
    ProjectRow,
    QuoteRow,
    StoredFileRow,
)
from rampwise.io.project_file import project_from_mapping
from support import TODAY, build_document

STORED_V1 = Path(__file__).with_name("stored_assessments_v1.json")
"""Assessment JSONs as rampwise kept them before schema versions (version 1); see
tests/store/test_assessments.py."""


def assessed(ready: bool = False, **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A project document and its Assessment JSON (the store keeps both)."""
    document = build_document(ready, **overrides)
    project = project_from_mapping(document, today=TODAY)
    return document, assess(project, today=TODAY).model_dump(mode="json")


def test_create_project_keeps_document_assessment_and_version(database: Database) -> None:
    document, result = assessed()
    with database.write() as session:
        created = create_project(session, document=document, result=result)
    with database.read() as session:
        project = get_project(session, project_id=created.id)
    assert project.name == "Test project"
    assert project.part_number == "T-1"
    assert project.revision_count == 1
    assert project.latest_revision is not None
    assert project.latest_revision.number == 1
    assert project.latest_revision.document["quantity"] == 40
    assert project.latest_assessment is not None
    # Seed 001: 40 pcs for a pilot run is a low-volume order.
    assert project.latest_assessment.stage == "low_volume"
    stored = project.latest_assessment.result
    assert isinstance(stored, Assessment)
    assert stored.model_dump(mode="json") == result
    assert project.latest_assessment.rampwise_version == result["rampwise_version"]


def test_an_assessment_is_kept_as_the_models_json_with_its_schema_version(
    database: Database,
) -> None:
    document, result = assessed()
    model = Assessment.model_validate(result)
    with database.write() as session:
        create_project(session, document=document, result=model)
    with database.read() as session:
        row = session.scalars(select(AssessmentRow)).one()
        quote = session.scalars(select(QuoteRow)).one()
        plan = session.scalars(select(InspectionRecordRow)).one()
    assert row.schema_version == SCHEMA_VERSION == 5
    assert row.result == model.model_dump(mode="json") == result
    assert (row.stage, row.ready) == ("low_volume", model.readiness.ready)
    assert quote.result == result["quote"]
    assert (plan.kind, plan.result) == ("plan", result["inspection"])


def test_rows_written_before_schema_versions_read_as_the_model(
    empty_database: Database,
) -> None:
    """A database of the first migration holding two revisions as the old code wrote them
    (no schema version): after the upgrade they are version 1, read as Assessments, and
    the history compares them field by field."""
    frozen = json.loads(STORED_V1.read_text(encoding="utf-8"))
    stored = [frozen["pilot_run_40"], frozen["market_release_5000"]]
    upgrade(empty_database, "0001")
    now = datetime(2026, 12, 7, tzinfo=UTC)
    projects = sa.table(
        "projects",
        sa.column("id"),
        sa.column("name"),
        sa.column("part_number"),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    revisions = sa.table(
        "part_revisions",
        sa.column("id"),
        sa.column("project_id"),
        sa.column("number"),
        sa.column("part_revision"),
        sa.column("document", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    assessments = sa.table(
        "assessments",
        sa.column("id"),
        sa.column("project_id"),
        sa.column("revision_id"),
        sa.column("stage"),
        sa.column("ready"),
        sa.column("result", sa.JSON),
        sa.column("rampwise_version"),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    with empty_database.engine.begin() as connection:
        connection.execute(
            projects.insert().values(
                id=1,
                name=stored[0]["project"],
                part_number=stored[0]["part_number"],
                created_at=now,
                updated_at=now,
            )
        )
        for number, result in enumerate(stored, start=1):
            connection.execute(
                revisions.insert().values(
                    id=number,
                    project_id=1,
                    number=number,
                    part_revision="A",
                    document={},
                    created_at=now,
                )
            )
            connection.execute(
                assessments.insert().values(
                    id=number,
                    project_id=1,
                    revision_id=number,
                    stage=result["stage"],
                    ready=result["readiness"]["ready"],
                    result=result,
                    rampwise_version=result["rampwise_version"],
                    created_at=now,
                )
            )
    upgrade(empty_database)
    with empty_database.read() as session:
        assert list(session.scalars(select(AssessmentRow.schema_version))) == [1, 1]
        record = get_assessment(session, assessment_id=2)
        detail = get_project(session, project_id=1)
        history = project_history(session, project_id=1)
    assert isinstance(record.result, Assessment)
    assert record.result == read_assessment(stored[1], schema_version=1)
    assert detail.latest_assessment == record
    assert [entry.assessment for entry in history][1] == record
    # The typed fields the pages and the history read.
    changes = {c.what: (c.before, c.after) for c in history[1].changes}
    assert changes["quantity"] == ("40", "5000")
    assert changes["stage"] == ("low_volume", "mass_production")
    assert changes["price at target quantity"] == (
        price_at(read_assessment(stored[0], schema_version=1), 40),
        price_at(record.result, 5000),
    )
    assert None not in changes["price at target quantity"]


def test_json_that_does_not_read_as_an_assessment_is_refused_and_nothing_is_stored(
    database: Database,
) -> None:
    document, result = assessed()
    guessed = {**result, "quote": {"currency": "USD", "rows": [{"quantity": 40}]}}
    with (
        pytest.raises(StoredResultError, match=r"quote\.breaks: Field required"),
        database.write() as session,
    ):
        create_project(session, document=document, result=guessed)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(ProjectRow)) == 0


def test_revisions_are_numbered_and_history_says_what_changed(database: Database) -> None:
    first_document, first = assessed()
    second_document, second = assessed(quantity=3, purpose="fit_check")
    with database.write() as session:
        project_id = create_project(session, document=first_document, result=first).id
    with database.write() as session:
        entry = add_revision(
            session, project_id=project_id, document=second_document, result=second
        )
    assert entry.revision.number == 2
    changes = {c.what: (c.before, c.after) for c in entry.changes}
    # Seed 000: 3 pcs for a fit check is a prototype order.
    assert changes["stage"] == ("low_volume", "prototype")
    assert changes["quantity"] == ("40", "3")
    assert changes["purpose"] == ("pilot_run", "fit_check")
    # Each revision's price at its own order quantity, as the history table shows them
    # (the first quote never priced 3 pcs: 3 is neither a default break nor its quantity).
    before_price, after_price = changes["price at target quantity"]
    assert before_price == price_at(Assessment.model_validate(first), 40)
    assert after_price == price_at(Assessment.model_validate(second), 3)
    assert before_price is not None and before_price.endswith("at 40 pcs")
    assert after_price is not None and after_price.endswith("at 3 pcs")
    with database.read() as session:
        history = project_history(session, project_id=project_id)
        detail = get_project(session, project_id=project_id)
    assert [e.revision.number for e in history] == [1, 2]
    assert history[0].changes == ()
    assert detail.latest_assessment is not None
    assert detail.latest_assessment.stage == "prototype"


def test_readiness_change_is_reported(database: Database) -> None:
    before_document, before = assessed(quantity=5000, purpose="market_release")
    after_document, after = assessed(True, quantity=5000, purpose="market_release")
    with database.write() as session:
        project_id = create_project(session, document=before_document, result=before).id
        entry = add_revision(session, project_id=project_id, document=after_document, result=after)
    changes = {c.what: (c.before, c.after) for c in entry.changes}
    # The ready sections of tests/support.py pass six areas by their own evidence (design
    # frozen, validation, stable demand, reviewed tolerances, Cpk 1.5, inspection plan);
    # the bare document passes fewer, so the readiness line changes.
    before_text, after_text = changes["readiness"]
    assert before_text is not None and after_text is not None
    passed = [int(text.split("(")[1].split("/")[0]) for text in (before_text, after_text)]
    assert passed[1] >= 6 > passed[0]


def test_quote_and_inspection_sections_are_kept_apart(database: Database) -> None:
    document, result = assessed()
    with database.write() as session:
        project_id = create_project(session, document=document, result=result).id
    with database.read() as session:
        quotes = list_quotes(session, project_id=project_id)
        records = list_inspection_records(session, project_id=project_id)
    assert [q.result for q in quotes] == [result["quote"]]
    assert [(r.kind, r.result) for r in records] == [("plan", result["inspection"])]


def test_unknown_ids_raise_not_found(database: Database) -> None:
    _, result = assessed()
    with database.read() as session:
        with pytest.raises(RecordNotFoundError, match="project 12345 not found"):
            get_project(session, project_id=12345)
        with pytest.raises(RecordNotFoundError):
            get_assessment(session, assessment_id=12345)
        with pytest.raises(RecordNotFoundError):
            project_history(session, project_id=12345)
    with database.write() as session, pytest.raises(RecordNotFoundError):
        add_revision(session, project_id=12345, document={}, result=result)


def test_a_failed_transaction_leaves_nothing(database: Database) -> None:
    document, result = assessed()
    with pytest.raises(RuntimeError), database.write() as session:
        create_project(session, document=document, result=result)
        raise RuntimeError("analysis failed after the rows were added")
    with database.read() as session:
        for table in (ProjectRow, PartRevisionRow, AssessmentRow):
            assert session.scalar(select(func.count()).select_from(table)) == 0


def test_dates_in_a_yaml_document_are_kept_as_iso_text(database: Database) -> None:
    document, result = assessed(True)
    with database.write() as session:
        project_id = create_project(session, document=document, result=result).id
    with database.read() as session:
        kept = list_revisions(session, project_id=project_id)[0].document
    assert kept["design"]["revisions"][0]["date"] == "2025-06-01"
    assert project_from_mapping(kept, today=TODAY).design.revisions[0].date.isoformat() == (
        "2025-06-01"
    )


def test_the_same_file_is_kept_once(database: Database, tmp_path: Path) -> None:
    document, result = assessed()
    step = b"ISO-10303-21;\nHEADER;\nENDSEC;\nEND-ISO-10303-21;\n"
    blob = save_bytes(
        step, files_dir=database.files_dir, original_name="p.step", allowed=(FileKind.STEP,)
    )
    with database.write() as session:
        first = create_project(session, document=document, result=result, file=blob)
        add_revision(session, project_id=first.id, document=document, result=result, file=blob)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(StoredFileRow)) == 1
        revisions = list_revisions(session, project_id=first.id)
    assert {r.file.sha256 if r.file else None for r in revisions} == {blob.sha256}
    assert revisions[0].file is not None and revisions[0].file.size_bytes == len(step)


def test_everything_is_found_after_a_restart(url: str, tmp_path: Path) -> None:
    """Write with one process's store, close it, read with a fresh one."""
    from rampwise.app.store import upgrade

    document, result = assessed()
    writer = Database(url, data_dir=tmp_path)
    upgrade(writer)
    with writer.write() as session:
        project_id = create_project(session, document=document, result=result).id
        add_revision(session, project_id=project_id, document=document, result=result)
    writer.dispose()
    reader = Database(url, data_dir=tmp_path)
    with reader.read() as session:
        detail = get_project(session, project_id=project_id)
        listed = list_projects(session)
    reader.dispose()
    assert detail.revision_count == 2
    assert [p.id for p in listed] == [project_id]
    assert listed[0].latest_stage == "low_volume"


def test_concurrent_writers_lose_nothing(database: Database) -> None:
    """Eight threads add revisions to one project and create projects of their own."""
    document, result = assessed()
    with database.write() as session:
        shared = create_project(session, document=document, result=result).id
    threads_count, per_thread = 8, 5
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                with database.write() as session:
                    add_revision(session, project_id=shared, document=document, result=result)
                with database.write() as session:
                    create_project(session, document=document, result=result)
        except BaseException as err:  # collected and re-raised in the main thread
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.read() as session:
        numbers = [r.number for r in list_revisions(session, project_id=shared)]
        projects = session.scalar(select(func.count()).select_from(ProjectRow))
        assessments = session.scalar(select(func.count()).select_from(AssessmentRow))
    # 1 initial + 8 × 5 revisions, numbered without gaps or duplicates.
    assert numbers == list(range(1, 1 + threads_count * per_thread + 1))
    assert projects == 1 + threads_count * per_thread
    assert assessments == (1 + threads_count * per_thread) * 2 - 1
