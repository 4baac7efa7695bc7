"""Triangle meshes (STL, OBJ, 3MF) through trimesh, and what they can honestly give.

A mesh gives the box, the volume and area (when it is closed), the stock and wall
thickness by ray casting. It cannot give holes, pockets, corner radii, threads, tool
access or turnability: those need exact surfaces, and the result says so in
``limitations`` and as ``unverified`` findings instead of guessing.

STL carries no unit; the shared test files come in mm, inch and metres
(``research/cad.md`` §3.3, trap 4). The unit is the user's (``unit``), mm by default, and a
size that looks like inches or metres is reported.

References
----------
.. [1] trimesh (github.com/mikedh/trimesh), ``load``, ``is_watertight``, ``euler_number``.
.. [2] ``research/cad.md`` §5 check 2: unit sanity from size and clean inch fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import trimesh
from numpy.typing import NDArray

from rampwise.core.errors import GeometryError
from rampwise.geometry.catalogs import geometry_parameter
from rampwise.geometry.formats import MESH_FORMATS
from rampwise.geometry.models import Finding, FindingStatus, Severity

LARGEST_SOLID_HINT: Final = "or analyse its largest solid alone (rampwise analyze --largest-solid)"
"""How a multi-body file can still be analysed; the end of its error message."""

MESH_LIMITATIONS: Final = (
    "holes, pockets, slots, bosses and corner radii need exact surfaces (STEP); a mesh has none",
    "threads and tapped holes are not recognisable from triangles",
    "tool access (setups, undercuts) and turnability are computed from a B-rep only",
    "no PMI: tolerances must come from the project file",
)


@dataclass(frozen=True)
class LoadedMesh:
    """A mesh in mm, split into bodies.

    Attributes
    ----------
    vertices, triangles
        The analysed body [mm].
    bodies
        Number of separate bodies in the file.
    watertight
        Whether the analysed body is closed and consistently wound.
    open_edges
        Edges used by one triangle only.
    volume_mm3
        Its volume [mm³] when closed or nearly closed, else None.
    area_mm2
        Its surface area [mm²].
    genus
        Number of through-holes (handles) of a closed body, from its Euler number.
    """

    vertices: NDArray[np.float64]
    triangles: NDArray[np.int64]
    bodies: int
    watertight: bool
    open_edges: int
    volume_mm3: float | None
    area_mm2: float
    genus: int | None


def load_mesh(path: Path, *, scale: float, largest_body: bool) -> LoadedMesh:
    """Read a mesh file and keep one body, scaled to mm.

    Parameters
    ----------
    path
        STL, OBJ or 3MF file.
    scale
        Millimetres per file unit [mm].
    largest_body
        Analyse the largest of several bodies instead of refusing the file.

    Returns
    -------
    LoadedMesh
        The body in mm.

    Raises
    ------
    GeometryError
        If trimesh cannot read the file, it holds no triangles, or it holds several bodies
        and ``largest_body`` is False.
    """
    kind = MESH_FORMATS[path.suffix.lower()]
    try:
        loaded = trimesh.load(str(path), file_type=kind, force="mesh", process=True)
    except (ValueError, KeyError, IndexError, OSError, ImportError, TypeError) as err:
        if kind == "3mf" and isinstance(err, ImportError | KeyError | ValueError):
            raise GeometryError(
                str(path), f"3MF needs trimesh's optional XML readers (lxml, networkx): {err}"
            ) from err
        raise GeometryError(str(path), f"not a readable {kind.upper()} mesh ({err})") from err
    if not isinstance(loaded, trimesh.Trimesh) or len(loaded.faces) == 0:
        raise GeometryError(str(path), f"the {kind.upper()} file holds no triangles")
    mesh = loaded.copy()
    mesh.apply_scale(scale)  # type: ignore[no-untyped-call]
    bodies = mesh.split(only_watertight=False) if mesh.body_count > 1 else [mesh]
    if len(bodies) > 1 and not largest_body:
        raise GeometryError(
            str(path),
            f"{len(bodies)} separate bodies (a multi-body mesh); analyse one part per file, "
            f"{LARGEST_SOLID_HINT}",
        )
    body = max(bodies, key=lambda b: abs(b.volume) if b.is_watertight else b.area)
    return closed_body(body, len(bodies))


def open_edges(mesh: trimesh.Trimesh) -> int:
    """Number of edges used by one triangle only (0 for a closed mesh)."""
    unshared = trimesh.grouping.group_rows(mesh.edges_sorted, require_count=1)  # type: ignore[no-untyped-call]
    return len(unshared)


def closed_body(body: trimesh.Trimesh, bodies: int) -> LoadedMesh:
    """Orient a body outward and give its volume when it is closed, or nearly so.

    A mesh whose open edges are at most ``open_edge_share_max`` of its edges (T-junctions
    between separately tessellated faces) keeps a volume from the divergence theorem,
    reported as approximate; a more open mesh has none.
    """
    gaps = open_edges(body)
    nearly = gaps <= geometry_parameter("open_edge_share_max") * len(body.edges_unique)
    if nearly and body.is_winding_consistent and body.volume < 0:
        body.invert()
    return LoadedMesh(
        vertices=np.asarray(body.vertices, dtype=np.float64),
        triangles=np.asarray(body.faces, dtype=np.int64),
        bodies=bodies,
        watertight=bool(body.is_watertight),
        open_edges=gaps,
        volume_mm3=float(body.volume) if nearly and body.is_winding_consistent else None,
        area_mm2=float(body.area),
        genus=round((2 - body.euler_number) / 2) if body.is_watertight else None,
    )


def suspected_unit(extents_in_file_units: NDArray[np.float64]) -> str | None:
    """A unit other than mm that the file's size suggests, or None.

    Parameters
    ----------
    extents_in_file_units
        Box sides in the file's own numbers [file units].

    Returns
    -------
    str or None
        ``"m"`` when the part would be under 1 mm; ``"in"`` when every side is a clean
        sixteenth of an inch and the part under 4 ft; else None.

    References
    ----------
    .. [1] ``research/cad.md`` §5 check 2 (clean inch fractions; < 1 → metres).
    """
    largest = float(np.max(extents_in_file_units))
    if largest < 1.0:
        return "m"
    sixteenths = np.asarray(extents_in_file_units) * 16
    if largest <= 48 and np.all(np.abs(sixteenths - np.round(sixteenths)) < 1e-3):
        return "in"
    return None


def unit_finding(unit: str | None, extents_in_file_units: NDArray[np.float64]) -> Finding | None:
    """The finding about a mesh's unit: assumed mm, perhaps wrongly."""
    if unit is not None:
        return None
    suspect = suspected_unit(extents_in_file_units)
    sides = " x ".join(f"{s:g}" for s in extents_in_file_units)
    hint = f"; the size {sides} looks like {suspect}" if suspect else ""
    return Finding(
        rule="input.units",
        severity=Severity.MAJOR if suspect else Severity.MINOR,
        status=FindingStatus.UNVERIFIED,
        expected="the mesh unit given (STL/OBJ carry none)",
        actual=f"no unit given: mm assumed{hint}",
        where="whole file",
        fix=f"pass --unit {suspect or 'mm|in|m'}",
        source="research/cad.md section 3.3 trap 4 (STL files in mm, inch and metres)",
    )
