"""Survey of a solid's faces and edges: analytic type, axis, concavity, angular span.

Exporters write the same hole as a cylinder, a surface of revolution or a B-spline
(``research/cad.md`` §3.3, trap 2), so every non-analytic face is first offered to
OpenCascade's canonical recognition (``GeomConvert_SurfToAnaSurf``) within
:data:`~rampwise.geometry.step.GEOMETRIC_TOLERANCE_MM`. Per-face quantities that do not
depend on the representation (area, centroid, angular span, axial extent, concavity) are
taken from the face's triangles, so a recognised B-spline cylinder and a native one give
the same numbers.

References
----------
.. [1] Open CASCADE Technology 8.0, ``GeomConvert_SurfToAnaSurf`` and ``BRepGProp_Face``.
.. [2] ``research/cad.md`` §6: hole = concave cylinder group whose spans add up to 360°.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from OCP.BRep import BRep_Tool
from OCP.BRepAdaptor import BRepAdaptor_Curve, BRepAdaptor_Surface
from OCP.BRepGProp import BRepGProp_Face
from OCP.BRepTools import BRepTools
from OCP.collections import (
    IndexedDataMap_TopoDS_Shape_List_TopoDS_Shape_TopTools_ShapeMapHasher as EdgeFaceMap,
)
from OCP.collections import IndexedMap_TopoDS_Shape_TopTools_ShapeMapHasher as ShapeIndex
from OCP.GCPnts import GCPnts_AbscissaPoint
from OCP.Geom import Geom_ConicalSurface, Geom_CylindricalSurface, Geom_Plane, Geom_SphericalSurface
from OCP.GeomAbs import GeomAbs_CurveType, GeomAbs_SurfaceType
from OCP.GeomAdaptor import GeomAdaptor_Surface
from OCP.GeomConvert import GeomConvert_SurfToAnaSurf
from OCP.gp import gp_Cone, gp_Cylinder, gp_Pln, gp_Pnt, gp_Sphere, gp_Vec
from OCP.ShapeAnalysis import ShapeAnalysis_CanonicalRecognition
from OCP.TopAbs import TopAbs_EDGE, TopAbs_FACE, TopAbs_FORWARD, TopAbs_WIRE
from OCP.TopExp import TopExp, TopExp_Explorer
from OCP.TopoDS import TopoDS, TopoDS_Face, TopoDS_Shape

from rampwise.core.vocabulary import Vocabulary
from rampwise.geometry.step import Tessellation
from rampwise.geometry.tolerances import GEOMETRIC_TOLERANCE_MM
from rampwise.geometry.vectors import cross3

Vector = NDArray[np.float64]


class SurfaceKind(Vocabulary):
    """Surface type of a face, after canonical recognition where it applies."""

    PLANE = "plane", "Plane", "A flat face."
    CYLINDER = "cylinder", "Cylinder", "A cylindrical face: a hole, a shaft, a boss."
    CONE = "cone", "Cone", "A conical face: a countersink, a chamfer on a round, a drill point."
    SPHERE = "sphere", "Sphere", "A spherical face."
    TORUS = "torus", "Torus", "A toroidal face: a fillet around a circular edge."
    BSPLINE = (
        "bspline",
        "B-spline",
        "A freeform B-spline surface that canonical recognition left as it is.",
    )
    BEZIER = "bezier", "Bézier", "A Bézier surface that canonical recognition left as it is."
    REVOLUTION = "revolution", "Surface of revolution", "A curve swept around an axis."
    EXTRUSION = "extrusion", "Surface of extrusion", "A curve swept along a straight direction."
    OFFSET = "offset", "Offset surface", "A surface at a constant distance from another."
    OTHER = "other", "Other", "Any other surface type."


_KINDS = {
    GeomAbs_SurfaceType.GeomAbs_Plane: SurfaceKind.PLANE,
    GeomAbs_SurfaceType.GeomAbs_Cylinder: SurfaceKind.CYLINDER,
    GeomAbs_SurfaceType.GeomAbs_Cone: SurfaceKind.CONE,
    GeomAbs_SurfaceType.GeomAbs_Sphere: SurfaceKind.SPHERE,
    GeomAbs_SurfaceType.GeomAbs_Torus: SurfaceKind.TORUS,
    GeomAbs_SurfaceType.GeomAbs_BSplineSurface: SurfaceKind.BSPLINE,
    GeomAbs_SurfaceType.GeomAbs_BezierSurface: SurfaceKind.BEZIER,
    GeomAbs_SurfaceType.GeomAbs_SurfaceOfRevolution: SurfaceKind.REVOLUTION,
    GeomAbs_SurfaceType.GeomAbs_SurfaceOfExtrusion: SurfaceKind.EXTRUSION,
    GeomAbs_SurfaceType.GeomAbs_OffsetSurface: SurfaceKind.OFFSET,
}

ANALYTIC = frozenset(
    {
        SurfaceKind.PLANE,
        SurfaceKind.CYLINDER,
        SurfaceKind.CONE,
        SurfaceKind.SPHERE,
        SurfaceKind.TORUS,
    }
)
ROTATIONAL = frozenset(
    {SurfaceKind.CYLINDER, SurfaceKind.CONE, SurfaceKind.SPHERE, SurfaceKind.TORUS}
)


class EdgeShape(Vocabulary):
    """How two faces meet along an edge, seen from outside the material."""

    CONVEX = "convex", "Convex", "An outside corner: the material lies inside the angle."
    CONCAVE = "concave", "Concave", "An inside corner: a cutter leaves its radius there."
    TANGENT = "tangent", "Tangent", "The faces meet smoothly, with no corner."


@dataclass(frozen=True)
class FaceRecord:
    """What the feature finder needs to know about one face.

    Attributes
    ----------
    index
        Position of the face in the solid's face map (0-based).
    kind
        Surface type after canonical recognition.
    file_kind
        Surface type as written in the file.
    area
        Face area [mm²] (from its triangles).
    centroid
        Area centroid [mm].
    normal
        Outward unit normal of a plane; the mean outward normal otherwise [unitless].
    axis_point, axis
        For rotational faces: the foot of the axis nearest the origin [mm] and its unit
        direction, sign-normalised (first non-zero component positive).
    radius
        Cylinder/sphere radius, torus minor radius, cone radius at ``extent[0]`` [mm].
    major_radius
        Torus major radius [mm].
    semi_angle
        Cone half-angle [rad].
    concave
        For rotational faces: True when the material surrounds the axis (a hole wall).
    end_radii
        Radius at ``extent[0]`` and at ``extent[1]`` [mm] (differ for a cone).
    span
        Angular coverage around the axis [rad], 2π for a full turn.
    points
        ``(k, 3)`` the face's mesh nodes [mm].
    extent
        ``(low, high)`` position along ``axis`` [mm] (rotational) or along ``normal``
        (plane: both equal the plane's offset).
    """

    index: int
    kind: SurfaceKind
    file_kind: SurfaceKind
    area: float
    centroid: Vector
    normal: Vector
    axis_point: Vector | None = None
    axis: Vector | None = None
    radius: float | None = None
    major_radius: float | None = None
    semi_angle: float | None = None
    concave: bool | None = None
    end_radii: tuple[float, float] = (0.0, 0.0)
    span: float = 0.0
    extent: tuple[float, float] = (0.0, 0.0)
    points: Vector = field(default_factory=lambda: np.zeros((0, 3)))


@dataclass(frozen=True)
class EdgeRecord:
    """An edge shared by two faces.

    Attributes
    ----------
    key
        Index of the edge in the solid's edge map.
    faces
        Indices of the two faces.
    shape
        Convex, concave or tangent junction.
    straight
        True when the edge is a line segment.
    direction
        Unit tangent at the middle of the edge [unitless].
    midpoint
        Middle of the edge [mm].
    length
        Edge length [mm].
    """

    key: int
    faces: tuple[int, int]
    shape: EdgeShape
    straight: bool
    direction: Vector
    midpoint: Vector
    length: float


def normalise_axis(direction: Vector) -> Vector:
    """Unit vector with its first significant component made positive."""
    unit = np.asarray(direction, dtype=np.float64) / float(np.linalg.norm(direction))
    for component in unit:
        if abs(component) > GEOMETRIC_TOLERANCE_MM:
            return unit if component > 0 else -unit
    return unit


def axis_foot(point: Vector, axis: Vector) -> Vector:
    """Point of the line (``point``, ``axis``) nearest the origin [mm]."""
    return np.asarray(point - np.dot(point, axis) * axis, dtype=np.float64)


def face_map(solid: TopoDS_Shape) -> list[TopoDS_Face]:
    """The solid's faces, each once, in OpenCascade's map order."""
    faces = ShapeIndex()
    TopExp.MapShapes_s(solid, TopAbs_FACE, faces)
    return [TopoDS.Face(faces.FindKey(i)) for i in range(1, faces.Extent() + 1)]


def _analytic_adaptor(face: TopoDS_Face) -> tuple[Any, SurfaceKind, SurfaceKind]:
    """Adaptor of the face's surface, recognised as analytic where possible."""
    # Unrestricted: the type and the analytic primitive do not depend on the face's
    # bounds, and restricting to them costs a UV-bounds pass over every face.
    adaptor = BRepAdaptor_Surface(face, False)
    file_kind = _KINDS.get(adaptor.GetType(), SurfaceKind.OTHER)
    if file_kind in ANALYTIC or file_kind is SurfaceKind.OTHER:
        return adaptor, file_kind, file_kind
    surface = BRep_Tool.Surface_s(face)
    umin, umax, vmin, vmax = BRepTools.UVBounds_s(face)
    converted = GeomConvert_SurfToAnaSurf(surface).ConvertToAnalytical(
        GEOMETRIC_TOLERANCE_MM, umin, umax, vmin, vmax
    )
    if converted is None:
        converted = _recognise_face(face)
    if converted is None:
        return adaptor, file_kind, file_kind
    recognised = GeomAdaptor_Surface(converted)
    return recognised, _KINDS.get(recognised.GetType(), SurfaceKind.OTHER), file_kind


def _recognise_face(face: TopoDS_Face) -> Any:
    """Second chance: fit the whole face (``ShapeAnalysis_CanonicalRecognition``).

    Recognises the B-spline countersinks of NIST FTC 9 that the surface converter leaves
    (``research/cad.md`` §3.3, trap 2).
    """
    recogniser = ShapeAnalysis_CanonicalRecognition(face)
    tests: tuple[tuple[str, Any, Any], ...] = (
        ("IsPlane", gp_Pln, Geom_Plane),
        ("IsCylinder", gp_Cylinder, Geom_CylindricalSurface),
        ("IsCone", gp_Cone, Geom_ConicalSurface),
        ("IsSphere", gp_Sphere, Geom_SphericalSurface),
    )
    for method, primitive, surface in tests:
        found = primitive()
        if getattr(recogniser, method)(GEOMETRIC_TOLERANCE_MM, found):
            return surface(found)
    return None


def coverage(points: Vector, axis_point: Vector, axis: Vector) -> float:
    """Angular coverage [rad] of points around an axis: 2π minus the widest empty sector."""
    radial = points - axis_point - np.outer((points - axis_point) @ axis, axis)
    reference = radial[np.argmax(np.linalg.norm(radial, axis=1))]
    if np.linalg.norm(reference) <= GEOMETRIC_TOLERANCE_MM:
        return 0.0
    first = reference / np.linalg.norm(reference)
    second = np.cross(axis, first)
    angles = np.sort(np.arctan2(radial @ second, radial @ first))
    gaps = np.diff(np.concatenate((angles, [angles[0] + 2 * math.pi])))
    return float(2 * math.pi - gaps.max())


def survey_faces(faces: list[TopoDS_Face], mesh: Tessellation) -> list[FaceRecord]:
    """Describe every face: recognised type, axis, radius, concavity, span, extent.

    Parameters
    ----------
    faces
        The solid's faces in the order ``mesh.face_ids`` refers to.
    mesh
        Tessellation of the solid.

    Returns
    -------
    list of FaceRecord
        One record per face, in ``faces`` order.
    """
    normals, areas, centroids = mesh.facets
    face_ids = mesh.face_ids
    if len(face_ids) > 1 and bool((face_ids[1:] < face_ids[:-1]).any()):
        order = np.argsort(face_ids, kind="stable")
        normals, areas, centroids = normals[order], areas[order], centroids[order]
        triangles = mesh.triangles[order]
        face_ids = face_ids[order]
    else:  # as :func:`~rampwise.geometry.step.tessellate` makes them: face by face
        triangles = mesh.triangles
    starts = np.searchsorted(face_ids, np.arange(len(faces) + 1)).tolist()
    # Area-weighted sums per face are slices of these (the same products, row by row).
    weighted_centroids = centroids * areas[:, None]
    weighted_normals = normals * areas[:, None]
    # Each face's mesh nodes, in index order: one sort of (face, node) keys for all faces.
    count = len(mesh.vertices)
    keys = np.unique(np.repeat(face_ids, 3) * count + triangles.ravel())
    nodes = mesh.vertices[keys % count]
    node_starts = np.searchsorted(keys, np.arange(len(faces) + 1) * count).tolist()
    records = []
    for index, face in enumerate(faces):
        rows = slice(starts[index], starts[index + 1])
        records.append(
            _describe(
                index,
                face,
                _FaceTriangles(
                    areas[rows],
                    centroids[rows],
                    normals[rows],
                    weighted_centroids[rows],
                    weighted_normals[rows],
                    nodes[node_starts[index] : node_starts[index + 1]],
                ),
            )
        )
    return records


@dataclass(frozen=True)
class _FaceTriangles:
    """One face's triangles and mesh nodes, as :func:`_describe` reads them.

    Areas [mm²], centroids [mm], unit normals [unitless], centroids and normals times
    the areas, and the face's mesh nodes [mm].
    """

    areas: Vector
    centroids: Vector
    normals: Vector
    weighted_centroids: Vector
    weighted_normals: Vector
    points: Vector


def _describe(index: int, face: TopoDS_Face, tris: _FaceTriangles) -> FaceRecord:
    areas, centroids, normals, points = tris.areas, tris.centroids, tris.normals, tris.points
    area = float(areas.sum())
    if area <= 0.0:
        empty = np.zeros(3)
        return FaceRecord(index, SurfaceKind.OTHER, SurfaceKind.OTHER, 0.0, empty, empty)
    centroid = tris.weighted_centroids.sum(axis=0) / area
    mean_normal = tris.weighted_normals.sum(axis=0)
    norm = float(np.linalg.norm(mean_normal))
    mean_normal = mean_normal / norm if norm > 0 else mean_normal
    adaptor, kind, file_kind = _analytic_adaptor(face)
    if kind is SurfaceKind.PLANE:
        offset = float(centroid @ mean_normal)
        return FaceRecord(
            index,
            kind,
            file_kind,
            area,
            centroid,
            mean_normal,
            extent=(offset, offset),
            points=points,
        )
    if kind not in ROTATIONAL:
        return FaceRecord(index, kind, file_kind, area, centroid, mean_normal, points=points)
    semi_angle = major_radius = None
    if kind is SurfaceKind.CYLINDER:
        cylinder = adaptor.Cylinder()
        gp_axis, radius = cylinder.Axis(), cylinder.Radius()
    elif kind is SurfaceKind.CONE:
        cone = adaptor.Cone()
        gp_axis, radius, semi_angle = cone.Axis(), cone.RefRadius(), abs(cone.SemiAngle())
    elif kind is SurfaceKind.TORUS:
        torus = adaptor.Torus()
        gp_axis, radius, major_radius = torus.Axis(), torus.MinorRadius(), torus.MajorRadius()
    else:
        sphere = adaptor.Sphere()
        gp_axis, radius = sphere.Position().Axis(), sphere.Radius()
    axis = normalise_axis(np.array(gp_axis.Direction().Coord()))
    foot = axis_foot(np.array(gp_axis.Location().Coord()), axis)
    heights = (points - foot) @ axis
    radial = centroids - foot - np.outer((centroids - foot) @ axis, axis)
    inward = float(((normals * radial).sum(axis=1) * areas).sum()) < 0.0
    span = _native_span(face, kind, file_kind) or coverage(points, foot, axis)
    end_radii = (float(radius), float(radius))
    if kind is SurfaceKind.CONE:
        radii = np.linalg.norm(points - foot - np.outer(heights, axis), axis=1)
        end_radii = (float(radii[np.argmin(heights)]), float(radii[np.argmax(heights)]))
    return FaceRecord(
        index,
        kind,
        file_kind,
        area,
        centroid,
        mean_normal,
        axis_point=foot,
        axis=axis,
        radius=float(radius),
        major_radius=major_radius,
        semi_angle=semi_angle,
        concave=inward,
        end_radii=end_radii,
        span=span,
        extent=(float(heights.min()), float(heights.max())),
        points=points,
    )


def _native_span(face: TopoDS_Face, kind: SurfaceKind, file_kind: SurfaceKind) -> float | None:
    """Exact angular span from the u-range of a native cylinder or cone, else None."""
    if kind is not file_kind or kind not in {SurfaceKind.CYLINDER, SurfaceKind.CONE}:
        return None
    umin, umax, _, _ = BRepTools.UVBounds_s(face)
    return float(min(umax - umin, 2 * math.pi))


@dataclass(frozen=True)
class EdgeSurvey:
    """The shared edges of a solid and, per face, the keys of its outer-wire edges."""

    edges: list[EdgeRecord]
    outer_wires: list[frozenset[int]]

    def by_key(self) -> dict[int, EdgeRecord]:
        """Edge records keyed by their edge-map index."""
        return {edge.key: edge for edge in self.edges}


def survey_edges(
    solid: TopoDS_Shape, faces: list[TopoDS_Face], records: list[FaceRecord]
) -> EdgeSurvey:
    """Classify every edge shared by two faces as convex, concave or tangent.

    An oriented face keeps its material on the left of its oriented edges when seen
    against its outward normal, so ``n_a × t_a`` points into face *a*; the junction is
    concave when that direction climbs face *b*'s outward normal (``(n_a × t_a)·n_b > 0``),
    tangent when it stays within :data:`GEOMETRIC_TOLERANCE_MM` (as a sine) of zero.

    Parameters
    ----------
    solid
        The solid.
    faces
        Its faces in :func:`face_map` order.
    records
        Their survey (a plane's normal is taken from it instead of evaluated).

    Returns
    -------
    EdgeSurvey
        One record per edge between two different faces, and each face's outer-wire edges.

    References
    ----------
    .. [1] Open CASCADE Technology, "Modeling data: orientation" (material on the left of
       oriented edges, seen from the outward normal).
    """
    edge_faces = EdgeFaceMap()
    TopExp.MapShapesAndAncestors_s(solid, TopAbs_EDGE, TopAbs_FACE, edge_faces)
    occurrences: dict[int, list[tuple[int, Any]]] = {}
    outer_wires = []
    for face_index, face in enumerate(faces):
        # Wire by wire, in explorer order: the face's edges as ``TopExp_Explorer(face,
        # TopAbs_EDGE)`` gives them, and the outer wire's without exploring it again.
        wires: list[tuple[TopoDS_Shape, list[int]]] = []
        wire_explorer = TopExp_Explorer(face, TopAbs_WIRE)
        while wire_explorer.More():
            wire = wire_explorer.Current()
            keys = []
            explorer = TopExp_Explorer(wire, TopAbs_EDGE)
            while explorer.More():
                edge = TopoDS.Edge(explorer.Current())
                key = edge_faces.FindIndex(edge)
                occurrences.setdefault(key, []).append((face_index, edge))
                keys.append(key)
                explorer.Next()
            wires.append((wire, keys))
            wire_explorer.Next()
        outer_wires.append(frozenset(_outer_wire_keys(face, wires)))
    shared: list[EdgeRecord] = []
    evaluators: dict[int, BRepGProp_Face] = {}
    for key, uses in occurrences.items():
        distinct = {face_index for face_index, _ in uses}
        if len(distinct) != 2 or BRep_Tool.Degenerated_s(uses[0][1]):
            continue
        (index_a, edge_a), (index_b, edge_b) = _two_sides(uses)
        curve = BRepAdaptor_Curve(edge_a)
        first, last = curve.FirstParameter(), curve.LastParameter()
        middle = (first + last) / 2.0
        point, tangent = gp_Pnt(), gp_Vec()
        curve.D1(middle, point, tangent)
        if tangent.Magnitude() <= 0.0:
            continue
        t_a = np.array(tangent.Normalized().Coord())
        if edge_a.Orientation() != TopAbs_FORWARD:
            t_a = -t_a
        n_a = _normal(records[index_a], faces, edge_a, middle, evaluators)
        n_b = _normal(records[index_b], faces, edge_b, middle, evaluators)
        if n_a is None or n_b is None:
            continue
        climb = float(cross3(n_a, t_a) @ n_b)
        shape = (
            EdgeShape.CONCAVE
            if climb > GEOMETRIC_TOLERANCE_MM
            else EdgeShape.CONVEX
            if climb < -GEOMETRIC_TOLERANCE_MM
            else EdgeShape.TANGENT
        )
        shared.append(
            EdgeRecord(
                key=key,
                faces=(index_a, index_b),
                shape=shape,
                straight=curve.GetType() == GeomAbs_CurveType.GeomAbs_Line,
                direction=t_a,
                midpoint=np.array(point.Coord()),
                length=float(_edge_length(curve, first, last)),
            )
        )
    return EdgeSurvey(shared, outer_wires)


def _outer_wire_keys(face: TopoDS_Face, wires: list[tuple[TopoDS_Shape, list[int]]]) -> list[int]:
    """Edge keys of the face's outer wire (``BRepTools.OuterWire``) among its ``wires``."""
    if len(wires) == 1:  # OuterWire returns a lone wire as it is
        return wires[0][1]
    outer = BRepTools.OuterWire_s(face)
    return next((keys for wire, keys in wires if wire.IsSame(outer)), [])


def _two_sides(uses: list[tuple[int, Any]]) -> tuple[tuple[int, Any], tuple[int, Any]]:
    first = uses[0]
    second = next(use for use in uses if use[0] != first[0])
    return first, second


def _normal(
    record: FaceRecord,
    faces: list[TopoDS_Face],
    edge: Any,
    parameter: float,
    evaluators: dict[int, BRepGProp_Face],
) -> Vector | None:
    if record.kind is SurfaceKind.PLANE:
        return record.normal
    face = faces[record.index]
    evaluator = evaluators.get(record.index)
    if evaluator is None:
        evaluator = evaluators[record.index] = BRepGProp_Face(face)
    return _normal_on_edge(face, evaluator, edge, parameter)


def _normal_on_edge(
    face: TopoDS_Face, evaluator: BRepGProp_Face, edge: Any, parameter: float
) -> Vector | None:
    """Outward unit normal of ``face`` (``evaluator`` built on it) at ``edge``'s ``parameter``."""
    curve_2d = BRep_Tool.CurveOnSurface_s(edge, face, 0.0, 0.0)
    if curve_2d is None:
        return None
    uv = curve_2d.Value(parameter)
    point, normal = gp_Pnt(), gp_Vec()
    evaluator.Normal(uv.X(), uv.Y(), point, normal)
    magnitude = normal.Magnitude()
    if magnitude <= 0.0:
        return None
    unit: Vector = np.array(normal.Coord(), dtype=np.float64) / magnitude
    return unit


def _edge_length(curve: BRepAdaptor_Curve, first: float, last: float) -> float:
    return float(GCPnts_AbscissaPoint.Length_s(curve, first, last))


__all__ = [
    "ANALYTIC",
    "ROTATIONAL",
    "EdgeRecord",
    "EdgeShape",
    "EdgeSurvey",
    "FaceRecord",
    "SurfaceKind",
    "axis_foot",
    "coverage",
    "face_map",
    "normalise_axis",
    "survey_edges",
    "survey_faces",
]
