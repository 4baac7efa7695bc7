"""API tokens (hashed), background jobs and measured batches in the store."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from rampwise.app.store import (
    Database,
    JobStatus,
    MeasuredValue,
    RecordNotFoundError,
    create_batch,
    create_job,
    create_token,
    fail_job,
    fail_unfinished_jobs,
    finish_job,
    get_batch,
    get_job,
    list_batches,
    list_tokens,
    report_progress,
    verify_token,
)
from rampwise.app.store.tables import ApiTokenRow
from rampwise.core.errors import InputError


def test_a_token_is_verified_by_its_secret_and_only_its_hash_is_kept(database: Database) -> None:
    with database.write() as session:
        record, secret = create_token(session, name="ci")
    with database.read() as session:
        assert verify_token(session, secret=secret) == record
        assert verify_token(session, secret=secret + "x") is None
        assert verify_token(session, secret="not-a-token") is None
        stored = session.scalars(select(ApiTokenRow.token_hash)).all()
        assert [t.name for t in list_tokens(session)] == ["ci"]
    assert stored == [hashlib.sha256(secret.encode()).hexdigest()]
    assert secret not in stored


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_name(database: Database, name: str) -> None:
    with database.write() as session, pytest.raises(InputError, match="name: must be 1 to 100"):
        create_token(session, name=name)


def test_job_life_cycle(database: Database) -> None:
    with database.write() as session:
        job = create_job(session, kind="assess_upload", payload={"a": 1})
    assert job.status is JobStatus.QUEUED
    with database.write() as session:
        report_progress(session, job_id=job.id, progress=0.4, message="analysing")
    with database.read() as session:
        running = get_job(session, job_id=job.id)
    assert (running.status, running.progress, running.message) == (
        JobStatus.RUNNING,
        0.4,
        "analysing",
    )
    with database.write() as session:
        finish_job(session, job_id=job.id, message="done", result_path="/assessments/1")
    with database.read() as session:
        done = get_job(session, job_id=job.id)
    assert (done.status, done.progress, done.result_path) == (JobStatus.DONE, 1.0, "/assessments/1")
    assert done.status.finished


def test_unfinished_jobs_are_failed_after_a_restart(database: Database) -> None:
    with database.write() as session:
        queued = create_job(session, kind="assess_upload", payload={})
        failed = create_job(session, kind="assess_upload", payload={})
        fail_job(session, job_id=failed.id, error="bad file")
    with database.write() as session:
        assert fail_unfinished_jobs(session, reason="server stopped") == 1
    with database.read() as session:
        assert get_job(session, job_id=queued.id).error == "server stopped"
        assert get_job(session, job_id=failed.id).error == "bad file"
        with pytest.raises(RecordNotFoundError, match="job nope not found"):
            get_job(session, job_id="nope")


def test_a_batch_keeps_its_report_and_values_in_order(database: Database) -> None:
    values = [
        MeasuredValue(position=i, characteristic="Bore", subgroup=i // 5 + 1, value=12.0 + i / 1000)
        for i in range(20)
    ]
    report = {"characteristics": [{"name": "Bore", "cpk": 1.4}]}
    with database.write() as session:
        batch = create_batch(session, name="lot 7", result=report, values=reversed(values))
    assert batch.value_count == 20
    with database.read() as session:
        full = get_batch(session, batch_id=batch.id, with_values=True)
        listed = list_batches(session)
    assert full.result == report
    assert sorted(full.values, key=lambda v: v.position) == list(full.values)
    assert {v.value for v in full.values} == {v.value for v in values}
    assert [b.id for b in listed] == [batch.id]
    assert listed[0].values == ()


def test_a_batch_of_an_unknown_project_is_refused(database: Database) -> None:
    with database.write() as session, pytest.raises(RecordNotFoundError):
        create_batch(session, name="x", result={}, values=[], project_id=999)
