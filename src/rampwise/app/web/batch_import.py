"""Importing a measurements file: specification, batch report, values to keep.

The quality functions do the work (:func:`~rampwise.quality.measurements.load_measurements`,
:func:`~rampwise.quality.batch.analyze_batch`); this module only chooses the
specification limits (from the project's characteristics and/or the form) and turns the
result into what is stored: the ``BatchResult`` JSON contract (which reads back as the
model, so a project's stored batch is evidence for its readiness gate), extended by a
``plot`` section per characteristic with the series the report page draws (the contract
leaves them out), and the measured values in file order.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rampwise.core.errors import InputError


def _number(name: str, text: str | None) -> float | None:
    if text is None or not str(text).strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(name, f"must be a number; got {text!r}") from None
    if not math.isfinite(value):
        raise InputError(name, f"must be a finite number; got {text!r}")
    return value


def form_spec(lsl: str | None, usl: str | None, target: str | None) -> dict[str, float] | None:
    """Limits typed into the form, for a file with one characteristic [mm].

    Returns ``None`` when no limit is given.

    Raises
    ------
    InputError
        If a limit is not a finite number.
    """
    limits = {
        key: value
        for key, value in (
            ("lsl", _number("lsl", lsl)),
            ("usl", _number("usl", usl)),
            ("target", _number("target", target)),
        )
        if value is not None
    }
    if not limits:
        return None
    if "lsl" not in limits and "usl" not in limits:
        raise InputError("spec", "give at least one of lsl and usl")
    return limits


def _series(values: Any) -> list[float | None]:
    return [float(v) if math.isfinite(float(v)) else None for v in values]


def report_json(result: Any) -> dict[str, Any]:
    """The BatchResult JSON contract plus what the report page plots.

    Parameters
    ----------
    result
        A :class:`~rampwise.quality.batch.BatchResult` just computed (one read back from
        JSON has no series to plot).
    """
    report: dict[str, Any] = result.model_dump(mode="json")
    for entry, characteristic in zip(
        report["characteristics"], result.characteristics, strict=True
    ):
        spec = characteristic.spec
        entry["plot"] = {
            "unit": characteristic.unit,
            "lsl": spec.lsl if spec else None,
            "usl": spec.usl if spec else None,
            "target": spec.target if spec else None,
            "target_basis": spec.target_basis if spec else None,
            "stable": characteristic.stable,
            "capable": characteristic.capable,
            "ppap": characteristic.ppap.value if characteristic.ppap else None,
            "values": _series(characteristic.data.values),
            "charts": [
                {
                    "type": chart.type.value,
                    "statistic": _series(points.statistic),
                    "lower": _series(points.lower),
                    "upper": _series(points.upper),
                    "center_line": _series(points.center_line),
                }
                for chart, points in ((c, c.plotted()) for c in characteristic.charts)
            ],
        }
    return report


def compute_batch(
    path: str,
    spec: dict[str, float] | None,
    document: dict[str, Any] | None,
    name: str | None = None,
) -> dict[str, Any]:
    """Read a measurements file and compute its batch report (run in a child process).

    Parameters
    ----------
    path
        The stored measurements file (CSV, QIF or XML).
    spec
        Limits from the form (``lsl``, ``usl``, ``target`` [mm]) for every
        characteristic without its own.
    document
        The project document whose characteristics give limits by id and name.
    name
        The file's name as uploaded: the report's ``source`` (and a long-form file's
        characteristic name), never the stored copy's hashed name.

    Returns
    -------
    dict
        ``{"report": <report JSON>, "values": [{position, characteristic, subgroup,
        value}, …]}``.
    """
    from rampwise.io.project_file import project_from_mapping
    from rampwise.quality.batch import analyze_batch
    from rampwise.quality.measurements import load_measurements
    from rampwise.quality.specs import SpecTable, make_spec, specs_for_characteristics

    table = SpecTable()
    if document is not None:
        project = project_from_mapping(document)
        table = specs_for_characteristics(project.part.characteristics)
    if spec is not None:
        default = make_spec(spec.get("lsl"), spec.get("usl"), spec.get("target"), "mm", "spec")
        table = SpecTable(by_name=table.by_name, default=default)
    measurements = load_measurements(Path(path), specs=table, name=name)
    result = analyze_batch(measurements)
    values: list[dict[str, Any]] = []
    for characteristic in measurements.characteristics:
        for value, subgroup in zip(
            characteristic.values, characteristic.subgroup_index, strict=True
        ):
            values.append(
                {
                    "position": len(values),
                    "characteristic": characteristic.name,
                    "subgroup": int(subgroup) + 1 if characteristic.subgrouped else None,
                    "value": float(value),
                }
            )
    return {"report": report_json(result), "values": values}
