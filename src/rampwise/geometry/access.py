"""Tool access: 3-axis setup directions, internal corners, and whether the part is turnable.

A face is reachable from a direction *d* (the tool comes from *d*, pointing along −d) when
none of its outward normals points against *d* and rays cast from its surface along *d*
leave the part without hitting it. The setups are then a small set of directions that
reaches every reachable face, chosen greedily (the set-cover heuristic); the model's
principal directions are tried first, oblique ones (3+2 indexing) only for faces the
principal ones miss.

References
----------
.. [1] ``research/cad.md`` §5 checks 8-10 (setup directions, undercuts, turned vs milled).
.. [2] V. Chvátal, "A greedy heuristic for the set-covering problem", Mathematics of
   Operations Research 4(3), 1979, pp. 233-235. doi:10.1287/moor.4.3.233
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from OCP.BRepAdaptor import BRepAdaptor_Curve
from OCP.BRepTools import BRepTools
from OCP.GeomAbs import GeomAbs_CurveType
from OCP.TopAbs import TopAbs_EDGE
from OCP.TopExp import TopExp_Explorer
from OCP.TopoDS import TopoDS, TopoDS_Face

from rampwise.geometry.faces import (
    ROTATIONAL,
    EdgeShape,
    EdgeSurvey,
    FaceRecord,
    SurfaceKind,
    Vector,
)
from rampwise.geometry.features import (
    FULL_TURN,
    LINE_TOLERANCE_MM,
    as_vector3,
    geometry_parameter,
    group_by_axis,
)
from rampwise.geometry.models import InternalCorner
from rampwise.geometry.raycast import RayCaster
from rampwise.geometry.step import GEOMETRIC_TOLERANCE_MM, Tessellation

PRINCIPAL_DIRECTIONS = np.array(
    [[0, 0, 1], [0, 0, -1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]], dtype=np.float64
)
"""The model's ±Z, ±X, ±Y axes, tried first as setup directions."""

SAMPLES_PER_FACE = 3
"""Rays cast per face and direction [unitless]: its largest triangle and two others."""


@dataclass
class AccessMap:
    """Which faces a 3-axis tool reaches from which directions (computed lazily).

    Parameters
    ----------
    records
        Face survey.
    mesh
        Tessellation whose ``face_ids`` index ``records``.
    caster
        The same mesh prepared for ray queries.
    """

    records: Sequence[FaceRecord]
    mesh: Tessellation
    caster: RayCaster
    _cache: dict[tuple[float, float, float], NDArray[np.bool_]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        corners = self.mesh.vertices[self.mesh.triangles]
        cross = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
        area = np.linalg.norm(cross, axis=1)
        self._normals = np.divide(cross, area[:, None], out=np.zeros_like(cross), where=area[:, None] > 0)
        self._centroids = corners.mean(axis=1)
        order = np.argsort(self.mesh.face_ids, kind="stable")
        starts = np.searchsorted(self.mesh.face_ids[order], np.arange(len(self.records) + 1))
        self._rows = [order[starts[i] : starts[i + 1]] for i in range(len(self.records))]
        self._samples = [self._pick(rows, area[rows]) for rows in self._rows]
        diagonal = float(np.linalg.norm(np.ptp(self.mesh.vertices, axis=0)))
        self._offset = max(GEOMETRIC_TOLERANCE_MM, 1e-6 * diagonal)

    @staticmethod
    def _pick(rows: NDArray[np.int64], areas: NDArray[np.float64]) -> NDArray[np.int64]:
        if len(rows) <= SAMPLES_PER_FACE:
            return rows
        spread = rows[np.linspace(0, len(rows) - 1, SAMPLES_PER_FACE - 1).astype(np.int64)]
        return np.unique(np.concatenate(([rows[int(np.argmax(areas))]], spread)))

    def reachable(self, direction: Vector) -> NDArray[np.bool_]:
        """Per face: True when a 3-axis tool coming from ``direction`` reaches all of it."""
        key = tuple(round(float(c), 6) for c in direction)
        cached = self._cache.get(key)  # type: ignore[arg-type]
        if cached is not None:
            return cached
        facing = np.array(
            [
                len(rows) > 0
                and bool((self._normals[rows] @ direction >= -GEOMETRIC_TOLERANCE_MM).all())
                for rows in self._rows
            ]
        )
        candidates = np.flatnonzero(facing)
        result = facing.copy()
        if len(candidates):
            sample_rows = np.concatenate([self._samples[i] for i in candidates])
            owner = np.concatenate(
                [np.full(len(self._samples[i]), i) for i in candidates]
            ).astype(np.int64)
            origins = self._centroids[sample_rows] + self._offset * self._normals[sample_rows]
            hits = self.caster.first_hits(
                origins, np.tile(direction, (len(origins), 1)), min_distance=self._offset
            )
            blocked = np.zeros(len(self.records), dtype=bool)
            blocked[owner[np.isfinite(hits.distance)]] = True
            result &= ~blocked
        self._cache[key] = result  # type: ignore[index]
        return result


@dataclass(frozen=True)
class Setups:
    """The setup plan: chosen directions and the faces no direction reaches."""

    directions: tuple[tuple[float, float, float], ...]
    unreachable: tuple[int, ...]


def _extra_directions(records: Sequence[FaceRecord], faces: Sequence[int]) -> list[Vector]:
    """Oblique candidates: the normals of missed planes and ± the axes of missed faces."""
    found: list[Vector] = []
    for index in faces:
        record = records[index]
        options: list[Vector] = []
        if record.kind is SurfaceKind.PLANE:
            options.append(record.normal)
        elif record.axis is not None:
            options.extend((record.axis, -record.axis))
        elif float(np.linalg.norm(record.normal)) > 0.5:
            options.append(record.normal / np.linalg.norm(record.normal))
        for option in options:
            if all(np.abs(option - d).max() > GEOMETRIC_TOLERANCE_MM for d in found):
                found.append(option)
    return found


def plan_setups(access: AccessMap) -> Setups:
    """Choose setup directions greedily until every reachable face is covered.

    Parameters
    ----------
    access
        The reachability map of the part.

    Returns
    -------
    Setups
        Directions in the order chosen, and the faces that no candidate reaches.
    """
    count = len(access.records)
    candidates = list(PRINCIPAL_DIRECTIONS)
    table = [access.reachable(d) for d in candidates]
    missed = np.flatnonzero(~np.logical_or.reduce(table)) if table else np.arange(count)
    for direction in _extra_directions(access.records, missed):
        candidates.append(direction)
        table.append(access.reachable(direction))
    reach = np.array(table)
    area = np.array([r.area for r in access.records])
    share = area / area.sum() if area.sum() > 0 else area
    uncovered = reach.any(axis=0)
    unreachable = tuple(int(i) for i in np.flatnonzero(~uncovered))
    chosen: list[tuple[float, float, float]] = []
    while uncovered.any():
        # Most faces first; the area share (< 1) only breaks ties.
        gains = (reach & uncovered).astype(np.float64) @ (1.0 + share)
        best = int(np.argmax(gains))
        chosen.append(as_vector3(candidates[best]))
        uncovered &= ~reach[best]
    return Setups(tuple(chosen), unreachable)


def find_internal_corners(
    records: Sequence[FaceRecord],
    edges: EdgeSurvey,
    access: AccessMap,
    hole_faces: set[int],
) -> list[InternalCorner]:
    """Vertical internal corners: concave partial cylinders and sharp concave plane edges.

    A concave cylinder closing less than a full turn is a corner radius when a tool along
    its axis reaches it. A straight concave edge between two planes is a sharp corner when
    a tool along the edge reaches both faces but neither face can be cut as a floor from
    its own normal (both are pocket walls).

    Parameters
    ----------
    records
        Face survey.
    edges
        Edge survey.
    access
        Reachability map.
    hole_faces
        Faces of holes (their walls are not corners).

    Returns
    -------
    list of InternalCorner
        Radius 0 for sharp corners.
    """
    corners = []
    for record in records:
        if (
            record.kind is not SurfaceKind.CYLINDER
            or not record.concave
            or record.span >= FULL_TURN
            or record.index in hole_faces
            or record.axis is None
            or record.axis_point is None
            or record.radius is None
        ):
            continue
        if not (access.reachable(record.axis)[record.index] or access.reachable(-record.axis)[record.index]):
            continue
        corners.append(
            InternalCorner(
                radius_mm=record.radius,
                depth_mm=record.extent[1] - record.extent[0],
                axis=as_vector3(record.axis),
                location_mm=as_vector3(record.centroid),
            )
        )
    for edge in edges.edges:
        a, b = (records[i] for i in edge.faces)
        if (
            edge.shape is not EdgeShape.CONCAVE
            or not edge.straight
            or a.kind is not SurfaceKind.PLANE
            or b.kind is not SurfaceKind.PLANE
        ):
            continue
        along = [d for d in (edge.direction, -edge.direction) if _reaches_both(access, d, a, b)]
        if not along:
            continue
        if access.reachable(a.normal)[a.index] or access.reachable(b.normal)[b.index]:
            continue
        corners.append(
            InternalCorner(
                radius_mm=0.0,
                depth_mm=edge.length,
                axis=as_vector3(along[0]),
                location_mm=as_vector3(edge.midpoint),
            )
        )
    return corners


def _reaches_both(access: AccessMap, direction: Vector, a: FaceRecord, b: FaceRecord) -> bool:
    reach = access.reachable(direction)
    return bool(reach[a.index] and reach[b.index])


@dataclass(frozen=True)
class Turning:
    """Whether the part is a lathe part, about which axis, and how sure."""

    turnable: bool
    axis: tuple[float, float, float] | None
    share: float
    max_radius_mm: float
    length_mm: float


def assess_turning(
    records: Sequence[FaceRecord], faces: Sequence[TopoDS_Face], vertices: Vector
) -> Turning:
    """Share of the surface revolved about the best axis, and the turnable verdict.

    Revolved faces are the coaxial cylinders, cones, tori and spheres, plus planes
    perpendicular to the axis whose outer boundary is coaxial circles (faced shoulders;
    holes inside them are drilled afterwards).

    Parameters
    ----------
    records
        Face survey.
    faces
        The B-rep faces, in ``records`` order.
    vertices
        Mesh vertices [mm] (for the turned envelope).

    Returns
    -------
    Turning
        ``turnable`` when the share reaches ``turnable_area_share`` of
        ``catalog/geometry_parameters.csv``.

    References
    ----------
    .. [1] ``research/cad.md`` §5 check 10 (≥ ~90 % of the area revolved → lathe).
    """
    total = sum(r.area for r in records)
    best = (0.0, None, None)
    for group in group_by_axis([r for r in records if r.kind in ROTATIONAL]):
        revolved = sum(r.area for r in group.members)
        for record in records:
            if (
                record.kind is SurfaceKind.PLANE
                and abs(abs(float(record.normal @ group.axis)) - 1.0) <= GEOMETRIC_TOLERANCE_MM
                and _coaxial_outline(faces[record.index], group.foot, group.axis)
            ):
                revolved += record.area
        share = revolved / total if total > 0 else 0.0
        if share > best[0]:
            best = (share, group.axis, group.foot)
    share, axis, foot = best
    if axis is None or foot is None:
        return Turning(False, None, 0.0, 0.0, 0.0)
    heights = (vertices - foot) @ axis
    radial = vertices - foot - np.outer(heights, axis)
    return Turning(
        turnable=share >= geometry_parameter("turnable_area_share"),
        axis=as_vector3(axis),
        share=share,
        max_radius_mm=float(np.linalg.norm(radial, axis=1).max()),
        length_mm=float(np.ptp(heights)),
    )


def _coaxial_outline(face: TopoDS_Face, foot: Vector, axis: Vector) -> bool:
    """True when every edge of the face's outer wire is a circle centred on the axis."""
    explorer = TopExp_Explorer(BRepTools.OuterWire_s(face), TopAbs_EDGE)
    while explorer.More():
        curve = BRepAdaptor_Curve(TopoDS.Edge(explorer.Current()))
        if curve.GetType() != GeomAbs_CurveType.GeomAbs_Circle:
            return False
        circle = curve.Circle()
        centre = np.array(circle.Location().Coord())
        offset = centre - foot
        if float(np.linalg.norm(offset - (offset @ axis) * axis)) > LINE_TOLERANCE_MM:
            return False
        explorer.Next()
    return True
