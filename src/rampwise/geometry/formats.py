"""File formats the geometry package reads, mesh units, and the path of a mesh in a unit.

References
----------
.. [1] NIST SP 811 (2008), Appendix B: 1 in = 25.4 mm exactly.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePath
from typing import Any, Final

STEP_SUFFIXES: Final = (".stp", ".step")
"""Suffixes read as STEP (AP203, AP214, AP242)."""

MESH_FORMATS: Final = {".stl": "stl", ".obj": "obj", ".3mf": "3mf"}
"""Mesh suffix → trimesh file type."""

UNIT_SCALE_MM: Final = {"mm": 1.0, "in": 25.4, "m": 1000.0}
"""Millimetres per mesh unit [mm]."""

if sys.platform == "win32":  # pragma: no cover - the suite runs on Linux
    from pathlib import WindowsPath as _SystemPath
else:
    from pathlib import PosixPath as _SystemPath


class MeshPath(_SystemPath):
    """The path of a mesh file together with the unit of its coordinates.

    A mesh (STL, OBJ, 3MF) carries no unit. Where the unit is known from elsewhere (a
    project document saying ``unit: in`` about the model it names, or the upload form's
    unit field), the path is handed on as a ``MeshPath`` so that whoever analyses the
    part reads the mesh in that unit: :func:`rampwise.geometry.analyze` scales it to mm.
    Anywhere else it is an ordinary path. Make one with :func:`with_mesh_unit`.

    Attributes
    ----------
    unit
        Unit of the mesh's coordinates, a key of :data:`UNIT_SCALE_MM`; ``None`` on paths
        derived from this one (``parent``, ``resolve()``…), which name other files.
    """

    unit: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_mesh_path, (str(self), self.unit))


def _mesh_path(path: str, unit: str | None) -> MeshPath:
    tagged = MeshPath(path)
    tagged.unit = unit
    return tagged


def is_mesh(path: str | PurePath) -> bool:
    """True when the file's suffix is one of the mesh formats (STL, OBJ, 3MF)."""
    return PurePath(path).suffix.lower() in MESH_FORMATS


def with_mesh_unit(path: str | Path, unit: str | None) -> Path:
    """The path of a CAD model whose coordinates, if it is a mesh, are in ``unit``.

    Parameters
    ----------
    path
        The CAD file.
    unit
        Unit of a mesh's coordinates (``"mm"``, ``"in"`` or ``"m"``); ``None`` leaves it
        unstated (mm assumed, and reported as such).

    Returns
    -------
    Path
        A :class:`MeshPath` for a mesh with a stated unit; else a plain path (a STEP file
        declares its own unit).
    """
    if unit is None or not is_mesh(path):
        return Path(path)
    return _mesh_path(str(path), unit)


def mesh_unit(path: str | PurePath) -> str | None:
    """The unit a :class:`MeshPath` states for its mesh; ``None`` for any other path."""
    return path.unit if isinstance(path, MeshPath) else None
