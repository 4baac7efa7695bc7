"""Read STEP files (AP203, AP214, AP242) through OpenCascade's XCAF reader.

Every OpenCascade call that can fail has its status checked and is translated into a
:class:`~rampwise.core.errors.GeometryError` naming the file. Lengths are compared within
:data:`~rampwise.geometry.tolerances.GEOMETRIC_TOLERANCE_MM`, the package's one geometric
tolerance, which is also the healing precision. The reader keeps the solids only:
STEP files also carry surfaces for PMI presentation and supplemental geometry, and those
would inflate the box, the volume and the area (``research/cad.md`` §3.3, trap 1).

OpenCascade 8 changed several XCAF calls; the ones used here are the OCP 8 forms
(``OCP.collections.Sequence_TDF_Label``, the ``_s`` static methods,
``Bnd_Box.CornerMin``/``CornerMax``) listed in ``research/cad.md`` §3.2.

References
----------
.. [1] ISO 10303-21, -203, -214, -242 (STEP exchange structure and application protocols).
.. [2] Open CASCADE Technology 8.0 user guide, "STEP processor" and "XDE" chapters.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray
from OCP.BinTools import BinTools_FormatVersion, BinTools_ShapeSet
from OCP.Bnd import Bnd_Box
from OCP.BRep import BRep_Builder, BRep_Tool
from OCP.BRepBndLib import BRepBndLib
from OCP.BRepCheck import BRepCheck_Analyzer
from OCP.BRepGProp import BRepGProp
from OCP.BRepMesh import BRepMesh_IncrementalMesh
from OCP.collections import Sequence_TCollection_AsciiString, Sequence_TDF_Label
from OCP.GProp import GProp_GProps
from OCP.IFSelect import IFSelect_ReturnStatus
from OCP.Message import Message, Message_PrinterOStream
from OCP.Poly import Poly_Triangulation
from OCP.ShapeFix import ShapeFix_Shape
from OCP.STEPCAFControl import STEPCAFControl_Reader
from OCP.TCollection import TCollection_ExtendedString
from OCP.TDocStd import TDocStd_Document
from OCP.TopAbs import TopAbs_FACE, TopAbs_REVERSED, TopAbs_SHELL, TopAbs_SOLID
from OCP.TopExp import TopExp_Explorer
from OCP.TopLoc import TopLoc_Location
from OCP.TopoDS import TopoDS, TopoDS_Face, TopoDS_Shape, TopoDS_Solid
from OCP.XCAFDoc import XCAFDoc_DocumentTool, XCAFDoc_ShapeTool

from rampwise.core.errors import GeometryError
from rampwise.geometry.kernel_threads import parallel_call
from rampwise.geometry.raycast import triangle_normals
from rampwise.geometry.tolerances import (
    GEOMETRIC_TOLERANCE_MM,
    MESH_ANGULAR_DEFLECTION_RAD,
    MESH_DEFLECTION_RATIO,
)

_UNIT_NAMES: Final = {
    "millimetre": "mm",
    "millimeter": "mm",
    "mm": "mm",
    "inch": "in",
    "in": "in",
    "metre": "m",
    "meter": "m",
    "m": "m",
    "centimetre": "cm",
    "centimeter": "cm",
    "foot": "ft",
}

_STEP_MAGIC: Final = b"ISO-10303-21"

_CONVERSION_UNIT = re.compile(rb"CONVERSION_BASED_UNIT\s*\(\s*'([^']+)'[^;]*?LENGTH_UNIT", re.S)
_SI_LENGTH_UNIT = re.compile(
    rb"LENGTH_UNIT\s*\(\s*\)[^;]*?SI_UNIT\s*\(\s*([.\w$]+)\s*,\s*\.METRE\."
)


def silence_kernel_messages() -> None:
    """Stop OpenCascade printing reader diagnostics on stdout.

    The STEP parser writes coloured ``*** ERR StepReaderData ***`` lines through its default
    messenger; JSON on stdout must stay clean (``research/cad.md`` §3.3, trap 7).
    """
    messenger = Message.DefaultMessenger_s()
    messenger.RemovePrinters(Message_PrinterOStream.get_type_descriptor_s())


@dataclass(frozen=True)
class Tessellation:
    """A triangle mesh of the solids, with the B-rep face each triangle came from.

    Attributes
    ----------
    vertices
        ``(n, 3)`` vertex coordinates [mm].
    triangles
        ``(m, 3)`` vertex indices, counter-clockwise seen from outside the material.
    face_ids
        ``(m,)`` index of the B-rep face (in the order of the ``faces`` argument) of each triangle.
    deflection
        Largest distance between a triangle and the exact surface [mm].
    """

    vertices: NDArray[np.float64]
    triangles: NDArray[np.int64]
    face_ids: NDArray[np.int64]
    deflection: float

    @cached_property
    def facets(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Per triangle: outward unit normal, area [mm²] and centroid [mm].

        Computed once and shared by the face survey, the access map and the stock.
        """
        normals, areas = triangle_normals(self.vertices, self.triangles)
        return normals, areas, self.vertices[self.triangles].mean(axis=1)


@dataclass(frozen=True)
class StepModel:
    """What the reader found in one STEP file.

    Attributes
    ----------
    path
        The file read.
    units
        Length unit the file declares (``"mm"``, ``"in"``, ``"m"``…), ``"unknown"`` if none.
        Coordinates here are always in mm: OpenCascade converts on transfer.
    solids
        Every solid in the file, as read, in file order (:func:`prepare_solid` checks and
        heals the one analysed).
    faces_outside_solids
        Faces that belong to no solid (PMI presentation, supplemental surfaces).
    assembly
        True when the XCAF tree holds an assembly of several components.
    tessellated
        True when the solids carry triangles but no exact surfaces (AP242 tessellated
        geometry): such a model gives a box and a volume but no features.
    document
        The XCAF document (kept alive for the PMI reader).
    """

    path: Path
    units: str
    solids: tuple[TopoDS_Solid, ...]
    faces_outside_solids: int
    assembly: bool
    tessellated: bool
    document: Any


def sequence_items(sequence: Any) -> list[Any]:
    """The items of an OCP ``NCollection_Sequence``, fetched by index.

    In OCP 8 iterating a sequence or calling its ``Length()`` costs about 0.1 ms a call;
    ``len()`` and ``Value(i)`` cost under a microsecond.
    """
    return [sequence.Value(i) for i in range(1, len(sequence) + 1)]


def _declared_units(reader: STEPCAFControl_Reader, head: bytes) -> str:
    """Return the file's length unit, normalised (``research/cad.md`` §3.3, trap 4)."""
    lengths, angles, solid_angles = (Sequence_TCollection_AsciiString() for _ in range(3))
    reader.Reader().FileUnits(lengths, angles, solid_angles)
    names = [name.ToCString().strip().lower() for name in sequence_items(lengths)]
    names = [n for n in names if n]
    if not names:
        match = _CONVERSION_UNIT.search(head)
        if match:
            names = [match.group(1).decode("ascii", "replace").strip().lower()]
        else:
            si = _SI_LENGTH_UNIT.search(head)
            if si:
                prefix = si.group(1).decode("ascii").strip(".").lower()
                names = [{"milli": "millimetre", "centi": "centimetre"}.get(prefix, "metre")]
    if not names:
        return "unknown"
    first = str(names[0])
    return _UNIT_NAMES.get(first, first)


def _check_header(path: Path) -> bytes:
    """Read the file and refuse what is not a STEP exchange file before the kernel sees it."""
    data = path.read_bytes()
    if not data.strip():
        raise GeometryError(str(path), "the file is empty")
    if _STEP_MAGIC not in data[:4096]:
        raise GeometryError(str(path), "not a STEP file (no ISO-10303-21 header)")
    if b"END-ISO-10303-21" not in data[-4096:]:
        raise GeometryError(str(path), "the STEP file is truncated (no END-ISO-10303-21 line)")
    return data


def _explore(shape: TopoDS_Shape, kind: Any) -> list[TopoDS_Shape]:
    found: list[TopoDS_Shape] = []
    explorer = TopExp_Explorer(shape, kind)
    while explorer.More():
        found.append(explorer.Current())
        explorer.Next()
    return found


def solid_faces(solid: TopoDS_Shape) -> list[TopoDS_Face]:
    """The faces of a shape in explorer order, typed as faces."""
    return [TopoDS.Face(f) for f in _explore(solid, TopAbs_FACE)]


def prepare_solid(solid: TopoDS_Solid) -> tuple[TopoDS_Solid, bool, bool]:
    """Check a solid and heal it when the checker finds faults.

    Healing (``ShapeFix_Shape`` at :data:`GEOMETRIC_TOLERANCE_MM`) is skipped for solids
    the checker already accepts: it costs about a third of the read time and changes
    nothing on them.

    Parameters
    ----------
    solid
        A solid as transferred from the file.

    Returns
    -------
    tuple
        The solid to analyse, whether ``BRepCheck_Analyzer`` accepts it, and whether it
        was healed.
    """
    if BRepCheck_Analyzer(solid, True, parallel_call()).IsValid():
        return solid, True, False
    fixer = ShapeFix_Shape(solid)
    fixer.SetPrecision(GEOMETRIC_TOLERANCE_MM)
    fixer.Perform()
    solids = _explore(fixer.Shape(), TopAbs_SOLID)
    if len(solids) != 1:
        return solid, False, False
    healed = TopoDS.Solid(solids[0])
    return healed, bool(BRepCheck_Analyzer(healed, True, parallel_call()).IsValid()), True


def _is_tessellated(faces: list[TopoDS_Face]) -> bool:
    location = TopLoc_Location()
    return bool(faces) and all(BRep_Tool.Surface_s(face, location) is None for face in faces)


def read_step(path: Path) -> StepModel:
    """Read a STEP file into healed solids and an XCAF document.

    Parameters
    ----------
    path
        STEP file (``.stp``/``.step``, AP203, AP214 or AP242).

    Returns
    -------
    StepModel
        The solids (coordinates in mm whatever the file's unit), the declared unit, and
        counts of what was left out.

    Raises
    ------
    GeometryError
        If the file is empty, truncated, not STEP, rejected by the reader, fails to transfer
        or holds no solid.
    """
    data = _check_header(path)
    silence_kernel_messages()
    reader = STEPCAFControl_Reader()
    reader.SetGDTMode(True)
    reader.SetNameMode(True)
    status = reader.ReadFile(str(path))
    if status != IFSelect_ReturnStatus.IFSelect_RetDone:
        raise GeometryError(str(path), f"the STEP reader rejected the file ({status.name})")
    document = TDocStd_Document(TCollection_ExtendedString("XmlOcaf"))
    try:
        transferred = reader.Transfer(document)
    except Exception as err:  # OCP raises Standard_Failure subclasses
        raise GeometryError(str(path), f"transfer to shapes failed: {err}") from err
    if not transferred:
        raise GeometryError(str(path), "transfer to shapes failed (no shape produced)")
    shape_tool: XCAFDoc_ShapeTool = XCAFDoc_DocumentTool.ShapeTool_s(document.Main())
    free = Sequence_TDF_Label()
    shape_tool.GetFreeShapes(free)
    labels = sequence_items(free)
    roots = [XCAFDoc_ShapeTool.GetShape_s(label) for label in labels]
    assembly = any(XCAFDoc_ShapeTool.IsAssembly_s(label) for label in labels) and (
        len(roots) > 1 or sum(len(_explore(r, TopAbs_SOLID)) for r in roots) > 1
    )
    raw_solids = [TopoDS.Solid(s) for root in roots for s in _explore(root, TopAbs_SOLID)]
    if not raw_solids:
        shells = sum(len(_explore(r, TopAbs_SHELL)) for r in roots)
        raise GeometryError(
            str(path), f"no solid in the file ({shells} shell(s) and surfaces only)"
        )
    all_faces = sum(len(_explore(r, TopAbs_FACE)) for r in roots)
    solid_face_lists = [solid_faces(s) for s in raw_solids]
    return StepModel(
        path=path,
        units=_declared_units(reader, data[: 1 << 20]),
        solids=tuple(raw_solids),
        faces_outside_solids=max(0, all_faces - sum(len(f) for f in solid_face_lists)),
        assembly=assembly,
        tessellated=all(_is_tessellated(faces) for faces in solid_face_lists),
        document=document,
    )


def solid_volume(solid: TopoDS_Shape) -> float:
    """Volume of a solid from its B-rep [mm³] (``BRepGProp.VolumeProperties``)."""
    props = GProp_GProps()
    BRepGProp.VolumeProperties_s(solid, props)
    return float(props.Mass())


def solid_area(solid: TopoDS_Shape) -> float:
    """Surface area of a solid from its B-rep [mm²] (``BRepGProp.SurfaceProperties``)."""
    props = GProp_GProps()
    BRepGProp.SurfaceProperties_s(solid, props)
    return float(props.Mass())


def _corners(box: Bnd_Box) -> NDArray[np.float64]:
    """``(2, 3)`` lower and upper corner (OCP 8 no longer binds ``Bnd_Box.Get``)."""
    return np.array([box.CornerMin().Coord(), box.CornerMax().Coord()])


def solid_box(faces: list[TopoDS_Face]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Tight axis-aligned box of a solid's exact geometry: lower and upper corner [mm].

    Every face gets a fast, loose box (``BRepBndLib.Add``: control points and
    tolerances); only faces whose loose box reaches past the tight box found so far are
    measured exactly (``BRepBndLib.AddOptimal`` without triangulation or tolerances),
    which on a B-spline-rich part is a few faces instead of all of them.

    Parameters
    ----------
    faces
        The solid's faces.

    Returns
    -------
    tuple of ndarray
        Lower and upper corner [mm].

    Raises
    ------
    GeometryError
        If the faces have no extent.
    """
    loose = []
    for face in faces:
        box = Bnd_Box()
        BRepBndLib.Add_s(face, box, False)
        if not box.IsVoid():
            loose.append((face, _corners(box)))
    if not loose:
        raise GeometryError("solid", "its bounding box is empty")
    boxes = np.array([corners for _, corners in loose])
    measured = np.zeros(len(loose), dtype=bool)
    # Start just inside the loose extremes, so the faces that set them are measured first.
    low = boxes[:, 0].min(axis=0) + 2 * GEOMETRIC_TOLERANCE_MM
    high = boxes[:, 1].max(axis=0) - 2 * GEOMETRIC_TOLERANCE_MM
    while True:
        reaching = (boxes[:, 0] < low - GEOMETRIC_TOLERANCE_MM).any(axis=1) | (
            boxes[:, 1] > high + GEOMETRIC_TOLERANCE_MM
        ).any(axis=1)
        pending = np.flatnonzero(reaching & ~measured)
        if not len(pending):
            return low, high
        for i in pending:
            box = Bnd_Box()
            BRepBndLib.AddOptimal_s(loose[i][0], box, False, False)
            if not box.IsVoid():
                boxes[i] = _corners(box)
            measured[i] = True
        low = boxes[measured, 0].min(axis=0)
        high = boxes[measured, 1].max(axis=0)


_DUMP_HEADER: Final = b"Triangulations 1\n"
"""First line of a ``BinTools`` triangulation section holding one triangulation."""

_DUMP_COUNTS: Final = np.dtype(
    [("nodes", "<i4"), ("triangles", "<i4"), ("uv", "u1"), ("deflection", "<f8")]
)
"""What a ``BinTools`` (version 3) triangulation starts with, packed: node and triangle
counts, whether UV nodes follow, the deflection [mm]."""


def _triangulation_arrays(
    triangulation: Poly_Triangulation,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Nodes [mm] and one-based node indices of the triangles of a face's triangulation.

    The kernel writes them in its binary B-rep format (``BinTools``, version 3) into
    memory, and NumPy reads that back: the same doubles and integers as ``Node`` and
    ``Triangle`` called one by one, four to six times faster than a Python call per node.
    The triangulation hangs on a bare face of its own, so the dump holds it alone. The
    layout (little-endian on every host): the line ``Triangulations 1``, then the node and
    triangle counts (int32), whether UV nodes follow (one byte), the deflection (float64),
    the nodes (3 × float64), the UV nodes if any (2 × float64), the triangles (3 × int32).

    Raises
    ------
    GeometryError
        If the dump does not have that layout.

    References
    ----------
    .. [1] Open CASCADE Technology 8.0 source, ``BinTools_ShapeSet::WriteTriangulation``
       and ``BinTools::PutInteger``/``PutReal`` (``src/BinTools``).
    """
    shapes = BinTools_ShapeSet()
    shapes.SetFormatNb(BinTools_FormatVersion.BinTools_FormatVersion_VERSION_3)
    shapes.SetWithTriangles(True)
    bare = TopoDS_Face()
    BRep_Builder().MakeFace(bare, triangulation)
    shapes.Add(bare)
    stream = io.BytesIO()
    shapes.WriteTriangulation(stream)
    data = stream.getvalue()
    begin = len(_DUMP_HEADER) + _DUMP_COUNTS.itemsize
    if not data.startswith(_DUMP_HEADER) or len(data) < begin:
        raise GeometryError("mesh", "OpenCascade wrote a triangulation in an unknown layout")
    counts = np.frombuffer(data, _DUMP_COUNTS, 1, len(_DUMP_HEADER))[0]
    nodes, triangles = int(counts["nodes"]), int(counts["triangles"])
    end = begin + (24 + 16 * int(counts["uv"])) * nodes + 12 * triangles
    if end != len(data):
        raise GeometryError("mesh", "OpenCascade wrote a triangulation in an unknown layout")
    points = np.frombuffer(data, "<f8", 3 * nodes, begin).reshape(-1, 3)
    corners = np.frombuffer(data, "<i4", 3 * triangles, end - 12 * triangles).reshape(-1, 3)
    return points, corners.astype(np.int64)


def tessellate(shape: TopoDS_Shape, faces: list[TopoDS_Face], diagonal_mm: float) -> Tessellation:
    """Mesh ``shape`` and gather its triangles with the index of their face.

    Parameters
    ----------
    shape
        The solid (or compound of solids) to mesh.
    faces
        Its faces in the order whose indices ``face_ids`` refer to.
    diagonal_mm
        Box diagonal [mm]; the linear deflection is :data:`MESH_DEFLECTION_RATIO` of it.

    Returns
    -------
    Tessellation
        Vertices [mm], triangles oriented outward, and the face index of each triangle.

    Raises
    ------
    GeometryError
        If the mesher fails.
    """
    has_surfaces = not _is_tessellated(faces)
    deflection = max(diagonal_mm * MESH_DEFLECTION_RATIO, GEOMETRIC_TOLERANCE_MM)
    if has_surfaces:
        mesher = BRepMesh_IncrementalMesh(
            shape, deflection, False, MESH_ANGULAR_DEFLECTION_RAD, parallel_call()
        )
        if not mesher.IsDone():
            raise GeometryError("mesh", "OpenCascade could not tessellate the solid")
    points: list[NDArray[np.float64]] = []
    triangles: list[NDArray[np.int64]] = []
    owners: list[NDArray[np.int64]] = []
    offset = 0
    for index, face in enumerate(faces):
        location = TopLoc_Location()
        triangulation = BRep_Tool.Triangulation_s(face, location)
        if triangulation is None:
            continue
        nodes, tris = _triangulation_arrays(triangulation)
        if not location.IsIdentity():
            transform = location.Transformation()
            matrix = np.array([[transform.Value(r, c) for c in range(1, 5)] for r in range(1, 4)])
            nodes = nodes @ matrix[:, :3].T + matrix[:, 3]
        tris -= 1
        if face.Orientation() == TopAbs_REVERSED:
            tris = tris[:, ::-1]
        points.append(nodes)
        triangles.append(tris + offset)
        owners.append(np.full(len(tris), index, dtype=np.int64))
        offset += len(nodes)
    if not triangles:
        raise GeometryError("mesh", "the solid has no triangles after tessellation")
    return Tessellation(
        vertices=np.concatenate(points),
        triangles=np.concatenate(triangles),
        face_ids=np.concatenate(owners),
        deflection=deflection,
    )
