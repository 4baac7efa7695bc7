"""Geometry of a machined part from its STEP model or mesh: facts, features, DFM, PMI.

The one entry point is :func:`analyze`; it returns a :class:`PartGeometry` whose
``model_dump_json()`` is the ``rampwise analyze --json`` contract. OpenCascade (OCP) is
used only inside this package.

Bad input never crashes or hangs the caller: files over a size limit are refused before
reading, and the work runs in a forked worker process that is stopped at a time limit (a
crash of the CAD kernel inside it becomes a :class:`~rampwise.core.errors.GeometryError`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from rampwise.core.checks import require_choice, require_positive
from rampwise.core.errors import GeometryError, InputError, RampwiseError
from rampwise.core.stock import Stock
from rampwise.geometry.dfm import check, recheck, rules
from rampwise.geometry.formats import (
    MESH_FORMATS,
    STEP_SUFFIXES,
    UNIT_SCALE_MM,
    MeshPath,
    mesh_unit,
    with_mesh_unit,
)
from rampwise.geometry.models import (
    Boss,
    CharacteristicLink,
    Counterbore,
    Countersink,
    Finding,
    FindingStatus,
    Hole,
    InternalCorner,
    PartGeometry,
    PmiSummary,
    Pocket,
    Representation,
    Severity,
    ThinWall,
)


@dataclass(frozen=True)
class Limits:
    """How big a file may be and how long its analysis may take.

    Attributes
    ----------
    max_megabytes
        Largest file accepted [MB]; bigger files are refused before reading.
    time_limit_s
        Longest analysis [s]; ``None`` runs in the calling process without a limit.
    """

    max_megabytes: float = 200.0
    time_limit_s: float | None = 60.0


DEFAULT_LIMITS: Final = Limits()


def _check_file(path: Path, limits: Limits) -> str:
    """Refuse a missing, empty, oversized or unknown file; return its kind."""
    if not path.is_file():
        raise InputError(str(path), "no such file")
    size = path.stat().st_size
    if size == 0:
        raise GeometryError(str(path), "the file is empty")
    if size > limits.max_megabytes * 1e6:
        raise GeometryError(
            str(path),
            f"{size / 1e6:.0f} MB is over the {limits.max_megabytes:g} MB limit "
            "(raise it with --max-mb if the file is genuine)",
        )
    suffix = path.suffix.lower()
    if suffix in STEP_SUFFIXES:
        return "step"
    if suffix in MESH_FORMATS:
        return "mesh"
    known = ", ".join((*STEP_SUFFIXES, *MESH_FORMATS))
    raise GeometryError(str(path), f"unknown CAD format {suffix or '(none)'!r}; expected {known}")


def _analyze_here(
    path: Path,
    kind: str,
    unit: str | None,
    largest_solid: bool,
    metal: bool | None,
    overrides: Mapping[str, Any] | None,
    render: Path | None,
) -> PartGeometry:
    from rampwise.geometry.analysis import analyze_mesh_file, analyze_step_file

    if kind == "step":
        analysis = analyze_step_file(path, largest_solid=largest_solid, overrides=overrides)
    else:
        analysis = analyze_mesh_file(
            path, unit=unit, largest_solid=largest_solid, overrides=overrides
        )
    result = recheck(analysis.geometry, metal=metal, overrides=overrides)
    if render is not None:
        from rampwise.geometry.render import render_part

        render_part(analysis.vertices, analysis.triangles, result, render)
    return result


def _worker(connection: Any, arguments: tuple[Any, ...]) -> None:
    """Child process: analyse and send back JSON or the error (stdout silenced)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        result = _analyze_here(*arguments)
        connection.send(("ok", result.model_dump_json()))
    except RampwiseError as err:
        field = getattr(err, "field", "")
        message = getattr(err, "message", str(err))
        connection.send(("error", type(err).__name__, field, message))
    except Exception as err:  # a kernel failure must not escape as a traceback
        connection.send(("error", "GeometryError", str(arguments[0]), f"analysis failed: {err}"))
    finally:
        connection.close()


def _run_limited(arguments: tuple[Any, ...], seconds: float) -> PartGeometry:
    """Run the analysis in a forked child; stop it at ``seconds``.

    Once the child has answered it is left to exit on its own: tearing down a copy of a
    kernel-sized process takes about as long as forking it (~5-10 ms), and the caller
    need not wait for that. ``multiprocessing`` reaps it at the next start of a process
    (or at exit); a child that did not answer is killed and waited for.
    """
    import rampwise.geometry.analysis  # noqa: F401  (load the kernel once, before forking)

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context: Any = multiprocessing.get_context(method)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(sender, arguments), daemon=True)
    process.start()
    sender.close()
    path = str(arguments[0])
    answered = False
    try:
        if not receiver.poll(seconds):
            raise GeometryError(
                path,
                f"analysis stopped at the {seconds:g} s time limit (raise it with --time-limit)",
            )
        try:
            message = receiver.recv()
        except EOFError:
            process.join(5)
            raise GeometryError(
                path,
                f"the CAD kernel crashed reading the file (worker exit code {process.exitcode})",
            ) from None
        answered = True
    finally:
        if not answered:
            if process.is_alive():
                process.kill()
            process.join(5)
        receiver.close()
    if message[0] == "ok":
        return PartGeometry.model_validate_json(message[1])
    _, name, field, text = message
    error_class = {"InputError": InputError, "GeometryError": GeometryError}.get(
        name, GeometryError
    )
    raise error_class(field, text)


def analyze(
    path: str | Path,
    *,
    unit: str | None = None,
    largest_solid: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    metal: bool | None = None,
    dfm_overrides: Mapping[str, Any] | None = None,
    render: str | Path | None = None,
) -> PartGeometry:
    """Analyse a CAD model or mesh of a machined part.

    Parameters
    ----------
    path
        STEP (``.stp``/``.step``, AP203/AP214/AP242), STL, OBJ or 3MF file.
    unit
        Unit of a mesh's coordinates: ``"mm"``, ``"in"`` or ``"m"`` (STEP files declare
        their own; giving one for STEP is an error); the mesh is scaled to mm by it
        (25.4 for inches). None takes the unit a :class:`MeshPath` states (a project
        file's ``unit``, the upload form's), else mm, reported as assumed.
    largest_solid
        Analyse the largest solid of a multi-body file instead of refusing it.
    limits
        Size limit [MB] and time limit [s].
    metal
        Material class for the wall rules: True metal, False plastic, None unknown
        (metal limits).
    dfm_overrides
        A shop's DFM rule overrides (see :func:`rampwise.geometry.dfm.rules`).
    render
        PNG file to draw the part with its findings marked, if given.

    Returns
    -------
    PartGeometry
        Facts, features, setups, turnability, PMI characteristics and DFM findings.

    Raises
    ------
    InputError
        For a missing file or a bad option value.
    GeometryError
        For an empty, truncated, unreadable, oversized or unknown file, a file without a
        solid, several solids without ``largest_solid``, a kernel crash, or the time limit.
        (``InputError`` also for a ``render`` path that is not a PNG in an existing folder.)
    """
    unit = unit if unit is not None else mesh_unit(path)
    file = Path(path)
    kind = _check_file(file, limits)
    if unit is not None:
        require_choice("unit", unit, tuple(UNIT_SCALE_MM))
        if kind == "step":
            raise InputError("unit", "a STEP file declares its own unit; --unit is for meshes")
    rules(dfm_overrides)
    picture = Path(render) if render is not None else None
    if picture is not None and (picture.suffix.lower() != ".png" or not picture.parent.is_dir()):
        raise InputError(
            "render", f"must be a .png file in an existing folder; got {str(picture)!r}"
        )
    arguments = (file, kind, unit, largest_solid, metal, dict(dfm_overrides or {}), picture)
    if limits.time_limit_s is None:
        return _analyze_here(*arguments)
    require_positive("time_limit_s", limits.time_limit_s)
    sys.stdout.flush()
    return _run_limited(arguments, limits.time_limit_s)


__all__ = [
    "DEFAULT_LIMITS",
    "Boss",
    "CharacteristicLink",
    "Counterbore",
    "Countersink",
    "Finding",
    "FindingStatus",
    "Hole",
    "InternalCorner",
    "Limits",
    "MeshPath",
    "PartGeometry",
    "PmiSummary",
    "Pocket",
    "Representation",
    "Severity",
    "Stock",
    "ThinWall",
    "analyze",
    "check",
    "recheck",
    "with_mesh_unit",
]
