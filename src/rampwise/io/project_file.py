"""Load a project document (YAML file or mapping) into a validated :class:`Project`.

The loader is the edge where inches become millimetres and relative file paths become
absolute; everything after it works in mm, and the document's ``unit`` stays on the
project (:attr:`~rampwise.core.model.Project.unit`) as the unit its results are shown in.
A mesh the part names (``part.cad: part.stl``) has no unit of its own: it is in the
document's ``unit`` too, and goes on as a
:class:`~rampwise.geometry.MeshPath` that the analysis scales by (a STEP file states its
own unit and is left alone). Every failure is an
:class:`~rampwise.core.errors.InputError` whose message names the field, so the CLI prints one
line and the API answers 422 with the same text.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rampwise.core.errors import InputError
from rampwise.core.model import Project
from rampwise.core.units import MM_PER_INCH, UM_PER_MICROINCH
from rampwise.geometry.formats import with_mesh_unit
from rampwise.io.documents import read_document
from rampwise.tolerance.spec import is_iso_class, parse_tolerance

_LENGTH_KEYS = ("nominal", "upper_deviation", "lower_deviation", "min", "max")


def load_project(path: str | Path, *, today: date | None = None) -> Project:
    """Read a project YAML file.

    Parameters
    ----------
    path
        The project file. Paths inside it (``part.cad``, ``measurements``,
        ``gauge_studies``) are relative to the file's folder.
    today
        Date against which revision dates are checked [date]; defaults to today.

    Raises
    ------
    InputError
        If the file is missing or unreadable, is not YAML, or does not validate.
    """
    file = Path(path)
    document = read_document(file, role="project file")
    return project_from_mapping(document, base_dir=file.parent, today=today)


def project_from_mapping(
    document: Any, *, base_dir: Path | None = None, today: date | None = None
) -> Project:
    """Validate a project document already parsed into Python objects.

    Parameters
    ----------
    document
        The mapping of the YAML's fields (also the API's JSON body).
    base_dir
        Folder against which relative file paths are resolved; ``None`` leaves them as given.
    today
        Date against which revision dates are checked [date].

    Raises
    ------
    InputError
        If the document does not validate; the message names the first offending field.
    """
    if not isinstance(document, Mapping):
        raise InputError("project file", "must be a mapping of fields (project, part, …)")
    data = _to_millimetres(dict(document))
    try:
        project = Project.model_validate(data)
    except ValidationError as err:
        raise _as_input_error(err) from None
    except InputError:
        raise
    _check_revision_dates(project, today or date.today())
    if base_dir is not None:
        project = _resolve_paths(project, base_dir)
    return with_cad(project, project.part.cad, unit=document.get("unit"))


def with_cad(project: Project, cad: str | Path | None, *, unit: str | None = None) -> Project:
    """The project with its CAD model at ``cad``, a mesh read in ``unit``.

    Parameters
    ----------
    project
        The validated project.
    cad
        The CAD file; ``None`` leaves the part without one.
    unit
        Unit of a mesh's coordinates (``"mm"``, ``"in"``; a project document's ``unit``
        key, or an upload form's); ``None`` leaves it unstated, so mm is assumed and the
        analysis says so. Ignored for a STEP file, which states its own.

    Returns
    -------
    Project
        A copy whose ``part.cad`` is ``cad`` (a :class:`~rampwise.geometry.MeshPath` for
        a mesh with a unit).
    """
    path = None if cad is None else with_mesh_unit(cad, unit)
    if path == project.part.cad and type(path) is type(project.part.cad):
        return project
    return project.model_copy(update={"part": project.part.model_copy(update={"cad": path})})


def _to_millimetres(data: dict[str, Any]) -> dict[str, Any]:
    """The document in mm, its ``unit`` kept as the display unit.

    An inch document's nested fields are converted in a deep copy, so the caller's
    mapping is never changed.
    """
    unit = data.get("unit", "mm")
    if unit not in ("mm", "in"):
        raise InputError("unit", f"must be one of mm, in; got {unit!r}")
    if unit == "mm":
        return data
    data = copy.deepcopy(data)
    part = data.get("part")
    if not isinstance(part, dict):
        return data
    if isinstance(part.get("envelope_mm"), list):
        part["envelope_mm"] = [_scaled(v, MM_PER_INCH) for v in part["envelope_mm"]]
    for ch in part.get("characteristics") or []:
        if not isinstance(ch, dict):
            continue
        factor = UM_PER_MICROINCH if ch.get("kind") == "roughness" else MM_PER_INCH
        if ch.get("kind") == "angle":
            factor = 1.0
        for key in _LENGTH_KEYS:
            if key in ch:
                ch[key] = _scaled(ch[key], factor)
        if "tolerance" in ch:
            ch["tolerance"] = _scaled_tolerance(ch["tolerance"], factor)
    return data


def _scaled(value: Any, factor: float) -> Any:
    return (
        value * factor if isinstance(value, int | float) and not isinstance(value, bool) else value
    )


def _scaled_tolerance(value: Any, factor: float) -> Any:
    """Scale a tolerance given in file units; ISO 286 designations are unit-free."""
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    if isinstance(value, dict):
        return {k: _scaled(v, factor) for k, v in value.items()}
    if isinstance(value, str) and not is_iso_class(value):
        spec = parse_tolerance(value, field="tolerance")
        return [spec.lower_deviation * factor, spec.upper_deviation * factor]
    return _scaled(value, factor)


def _as_input_error(err: ValidationError) -> InputError:
    """The first validation error as one line naming its field path."""
    first = err.errors()[0]
    path = _dotted(first["loc"])
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, InputError):
        inner = cause.field
        field = f"{path}.{inner}" if path and inner and not path.endswith(inner) else path or inner
        return InputError(field, cause.message)
    message = first["msg"]
    if first["type"] == "missing":
        message = "is required"
    elif first["type"] == "extra_forbidden":
        message = "is not a known field"
    elif "input" in first and first["type"] not in ("model_type", "dict_type"):
        message = f"{message}; got {first['input']!r}"
    return InputError(path or "project", message)


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for item in loc:
        name = str(item)
        if isinstance(item, int):
            out += f"[{item}]"
        elif name.startswith(("function-", "tagged-union", "str", "float", "list", "dict")):
            continue
        else:
            name = name if name.isprintable() else repr(name)  # keep the message one line
            out += f".{name}" if out else name
    return out


def _check_revision_dates(project: Project, today: date) -> None:
    """Refuse a revision or previous-order date after ``today``, naming the field."""
    dated = [
        (f"design.revisions[{i}].date", r.date) for i, r in enumerate(project.design.revisions)
    ]
    if project.previous_order is not None:
        dated.append(("previous_order.date", project.previous_order.date))
    for field, day in dated:
        if day > today:
            raise InputError(
                field, f"{day.isoformat()} is in the future (today is {today.isoformat()})"
            )


def _resolve_paths(project: Project, base_dir: Path) -> Project:
    part = project.part
    if part.cad is not None and not part.cad.is_absolute():
        part = part.model_copy(update={"cad": (base_dir / part.cad).resolve()})
    measurements = project.measurements
    if measurements is not None and not measurements.is_absolute():
        measurements = (base_dir / measurements).resolve()
    studies = {key: (base_dir / path).resolve() for key, path in project.gauge_studies.items()}
    return project.model_copy(
        update={"part": part, "measurements": measurements, "gauge_studies": studies}
    )
