"""Store functions for measured batches and their values."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from rampwise import __version__
from rampwise.app.store.blobs import Blob
from rampwise.app.store.database import RecordNotFoundError
from rampwise.app.store.projects import project_row, save_file, stored_file_record
from rampwise.app.store.records import BatchRecord, MeasuredValue, ResultJSON
from rampwise.app.store.tables import MeasurementBatchRow, MeasurementValueRow


def create_batch(
    session: Session,
    *,
    name: str,
    result: ResultJSON,
    values: Iterable[MeasuredValue],
    project_id: int | None = None,
    file: Blob | None = None,
) -> BatchRecord:
    """Store a measured batch: its report, every value, and the file it came from.

    Parameters
    ----------
    name
        What the batch is called on pages (e.g. the file name).
    result
        The JSON of the batch report (``BatchResult``) computed from the values.
    values
        The measured values in file order.
    project_id
        The project the batch belongs to, if any.
    file
        The uploaded measurements file, already in the content store.

    Raises
    ------
    RecordNotFoundError
        If ``project_id`` names no project.
    """
    if project_id is not None:
        project_row(session, project_id)
    if file is not None:
        save_file(session, blob=file)
    row = MeasurementBatchRow(
        project_id=project_id,
        name=name,
        file_sha256=file.sha256 if file is not None else None,
        result=dict(result),
        rampwise_version=__version__,
    )
    session.add(row)
    session.flush()
    rows = [value.model_dump() | {"batch_id": row.id} for value in values]
    if rows:
        session.execute(insert(MeasurementValueRow), rows)
    return get_batch(session, batch_id=row.id)


def get_batch(session: Session, *, batch_id: int, with_values: bool = False) -> BatchRecord:
    """One batch, with its values in file order when ``with_values``.

    Raises
    ------
    RecordNotFoundError
        If the batch does not exist.
    """
    row = session.get(MeasurementBatchRow, batch_id)
    if row is None:
        raise RecordNotFoundError("batch", batch_id)
    values: tuple[MeasuredValue, ...] = ()
    if with_values:
        values = tuple(
            MeasuredValue.model_validate(v, from_attributes=True)
            for v in session.scalars(
                select(MeasurementValueRow)
                .where(MeasurementValueRow.batch_id == batch_id)
                .order_by(MeasurementValueRow.position)
            )
        )
    return _batch(row, _value_counts(session, [batch_id]).get(batch_id, 0), values)


def list_batches(
    session: Session, *, project_id: int | None = None, limit: int = 100, offset: int = 0
) -> list[BatchRecord]:
    """Batches, newest first; only those of ``project_id`` when given."""
    query = select(MeasurementBatchRow).order_by(MeasurementBatchRow.id.desc())
    if project_id is not None:
        query = query.where(MeasurementBatchRow.project_id == project_id)
    rows = session.scalars(query.limit(limit).offset(offset)).all()
    counts = _value_counts(session, [row.id for row in rows])
    return [_batch(row, counts.get(row.id, 0), ()) for row in rows]


def _value_counts(session: Session, batch_ids: list[int]) -> dict[int, int]:
    if not batch_ids:
        return {}
    rows = session.execute(
        select(MeasurementValueRow.batch_id, func.count())
        .where(MeasurementValueRow.batch_id.in_(batch_ids))
        .group_by(MeasurementValueRow.batch_id)
    ).all()
    return {batch_id: count for batch_id, count in rows}


def _batch(row: MeasurementBatchRow, count: int, values: tuple[MeasuredValue, ...]) -> BatchRecord:
    return BatchRecord(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        file=stored_file_record(row.file) if row.file is not None else None,
        result=row.result,
        rampwise_version=row.rampwise_version,
        created_at=row.created_at,
        value_count=count,
        values=values,
    )
