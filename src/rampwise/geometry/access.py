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

from rampwise.geometry.catalogs import geometry_parameter
from rampwise.geometry.faces import (
    ANALYTIC,
    ROTATIONAL,
    EdgeShape,
    EdgeSurvey,
    FaceRecord,
    SurfaceKind,
    Vector,
    coverage,
)
from rampwise.geometry.features import FULL_TURN, as_vector3, group_by_axis
from rampwise.geometry.models import InternalCorner
from rampwise.geometry.raycast import RayCaster, spread
from rampwise.geometry.step import Tessellation
from rampwise.geometry.tolerances import GEOMETRIC_TOLERANCE_MM, LINE_TOLERANCE_MM

PRINCIPAL_DIRECTIONS = np.array(
    [[0, 0, 1], [0, 0, -1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]], dtype=np.float64
)
"""The model's ±Z, ±X, ±Y axes, tried first as setup directions."""

SAMPLES_PER_FACE = 3
"""Rays cast per face and direction [unitless]: its largest triangle and two others."""

DIRECTION_RESOLUTION_DEG = 5.0
"""Oblique candidate directions closer than this [deg] are one candidate."""

TURNING_AXES_TRIED = 3
"""Axes (those with the most revolved-face area) tried as the turning axis [unitless]."""

MAX_OBLIQUE_CANDIDATES = 8
"""Most oblique directions ray-tested for faces the principal directions miss [unitless]."""


@dataclass
class AccessMap:
    """Which faces a 3-axis tool reaches from which directions (computed lazily).

    Each face is represented by a few sample triangles (its largest and others spread
    over it); a sample is reachable from a direction when its normal does not point
    against the direction and a ray from it along the direction leaves the part.

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
    _cache: dict[tuple[float, ...], NDArray[np.bool_]] = field(default_factory=dict)
    _face_cache: dict[tuple[int, tuple[float, ...]], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        normals, area, centroids = self.mesh.facets
        order = np.argsort(self.mesh.face_ids, kind="stable")
        starts = np.searchsorted(self.mesh.face_ids[order], np.arange(len(self.records) + 1))
        picks = [
            self._pick(order[starts[i] : starts[i + 1]], area) for i in range(len(self.records))
        ]
        counts = [len(p) for p in picks]
        self.sample_face = np.repeat(np.arange(len(picks), dtype=np.int64), counts)
        bounds = np.cumsum([0, *counts]).tolist()
        self._face_samples = [slice(bounds[i], bounds[i + 1]) for i in range(len(picks))]
        rows = np.concatenate(picks).astype(np.int64)
        self.sample_area = area[rows]
        self.sample_normals = normals[rows]
        # Start rays one deflection off the surface: facets lie inside the exact surface
        # by up to that much, and a ray from a facet would hit a tangent neighbour's facets.
        self._offset = self.mesh.deflection
        self._origins = centroids[rows] + self._offset * self.sample_normals

    @staticmethod
    def _pick(rows: NDArray[np.int64], areas: NDArray[np.float64]) -> NDArray[np.int64]:
        if len(rows) <= SAMPLES_PER_FACE:
            return rows
        largest = int(rows[int(np.argmax(areas[rows]))])
        picked = {largest, *spread(rows, SAMPLES_PER_FACE - 1).tolist()}
        return np.array(sorted(picked), dtype=np.int64)

    def samples_reachable(self, direction: Vector) -> NDArray[np.bool_]:
        """Per sample: True when a tool coming from ``direction`` reaches it."""
        return self.reach_all([direction])[0]

    def reach_all(self, directions: Sequence[Vector]) -> list[NDArray[np.bool_]]:
        """:meth:`samples_reachable` for several directions, their rays cast together.

        A direction within rounding (6 decimals) of one already cast takes its answer.
        """
        pending: dict[tuple[float, ...], Vector] = {}
        for direction in directions:
            key = _key(direction)
            if key not in self._cache:
                pending.setdefault(key, direction)
        facing = {
            key: self.sample_normals @ direction >= -GEOMETRIC_TOLERANCE_MM
            for key, direction in pending.items()
        }
        candidates = [np.flatnonzero(flags) for flags in facing.values()]
        blocked = self._blocked(
            [
                (self._origins[rows], direction)
                for rows, direction in zip(candidates, pending.values(), strict=True)
            ]
        )
        for (key, flags), rows, hit in zip(facing.items(), candidates, blocked, strict=True):
            flags[rows[hit]] = False
            self._cache[key] = flags
        return [self._cache[_key(direction)] for direction in directions]

    def face_reachable(self, face: int, direction: Vector) -> bool:
        """True when a tool coming from ``direction`` reaches every sample of ``face``.

        Casts only the face's own rays unless the direction was already cast for all.
        """
        key = _key(direction)
        whole = self._cache.get(key)
        if whole is not None:
            return bool(whole[self._face_samples[face]].all())
        if (face, key) not in self._face_cache:
            self.prefetch([(face, direction)])
        return self._face_cache[(face, key)]

    def faces_reachable(self, queries: Sequence[tuple[int, Vector]]) -> list[bool]:
        """:meth:`face_reachable` for several (face, direction) queries.

        Their rays are cast together (:meth:`prefetch`), which on a part with a few
        oblique floors is one ray query instead of one per floor.
        """
        self.prefetch(queries)
        return [self.face_reachable(face, direction) for face, direction in queries]

    def prefetch(self, queries: Sequence[tuple[int, Vector]]) -> None:
        """Answer many :meth:`face_reachable` queries with one batch of rays.

        Queries already answered, or whose direction was cast for every sample, are
        skipped; of several directions within rounding for one face the first is cast.
        """
        pending: dict[tuple[int, tuple[float, ...]], Vector] = {}
        for face, direction in queries:
            key = _key(direction)
            if key not in self._cache and (face, key) not in self._face_cache:
                pending.setdefault((face, key), direction)
        groups = []
        cast = []
        for (face, key), direction in pending.items():
            samples = self._face_samples[face]
            if bool((self.sample_normals[samples] @ direction >= -GEOMETRIC_TOLERANCE_MM).all()):
                groups.append((self._origins[samples], direction))
                cast.append((face, key))
            else:
                self._face_cache[(face, key)] = False
        for query, hit in zip(cast, self._blocked(groups), strict=True):
            self._face_cache[query] = not bool(hit.any())

    def _blocked(self, groups: Sequence[tuple[Vector, Vector]]) -> list[NDArray[np.bool_]]:
        """Per group of ray origins sharing a direction: which rays hit the part."""
        counts = [len(origins) for origins, _ in groups]
        if not sum(counts):
            return [np.zeros(count, dtype=bool) for count in counts]
        hits = self.caster.first_hits(
            np.concatenate([origins for origins, _ in groups]),
            np.concatenate(
                [np.tile(direction, (len(origins), 1)) for origins, direction in groups]
            ),
            min_distance=self._offset,
        )
        blocked: list[NDArray[np.bool_]] = np.split(
            np.isfinite(hits.distance), np.cumsum(counts)[:-1]
        )
        return blocked


def _key(direction: Vector) -> tuple[float, ...]:
    """A direction rounded to 6 decimals, so that nearly equal directions share answers."""
    return tuple(round(float(c), 6) for c in direction)


@dataclass(frozen=True)
class Setups:
    """The setup plan: chosen directions and the faces no direction reaches."""

    directions: tuple[tuple[float, float, float], ...]
    unreachable: tuple[int, ...]


def _oblique_candidates(access: AccessMap, missed: NDArray[np.bool_]) -> list[Vector]:
    """Oblique directions for samples no principal direction reaches (3+2 indexing).

    Candidates are the normals of the missed planes and ± the axes of missed rotational
    faces (angled faces and angled holes), merged within :data:`DIRECTION_RESOLUTION_DEG`
    and ranked by how many missed samples face them; the best
    :data:`MAX_OBLIQUE_CANDIDATES` are ray-tested. Free-form and wrapped faces that no
    such direction reaches stay unreachable: they need 5-axis contouring.
    """
    options: list[Vector] = []
    for face in np.unique(access.sample_face[missed]):
        record = access.records[face]
        if record.kind is SurfaceKind.PLANE:
            options.append(record.normal)
        elif record.axis is not None:
            options.extend((record.axis, -record.axis))
    merged: list[Vector] = []
    limit = np.cos(np.radians(DIRECTION_RESOLUTION_DEG))
    for option in options:
        norm = float(np.linalg.norm(option))
        if norm > 0 and all(float(option @ d) / norm < limit for d in merged):
            merged.append(option / norm)
    facing = [
        int((access.sample_normals[missed] @ d >= -GEOMETRIC_TOLERANCE_MM).sum()) for d in merged
    ]
    ranked = sorted(range(len(merged)), key=lambda i: -facing[i])
    return [merged[i] for i in ranked[:MAX_OBLIQUE_CANDIDATES]]


def plan_setups(access: AccessMap) -> Setups:
    """Choose setup directions greedily until every reachable sample is covered.

    Parameters
    ----------
    access
        The reachability map of the part.

    Returns
    -------
    Setups
        Directions in the order chosen, and the faces with a sample no candidate reaches.
    """
    candidates = list(PRINCIPAL_DIRECTIONS)
    table = access.reach_all(candidates)
    missed = ~np.logical_or.reduce(table)
    if missed.any():
        obliques = _oblique_candidates(access, missed)
        candidates.extend(obliques)
        table.extend(access.reach_all(obliques))
    reach = np.array(table)
    area = access.sample_area
    share = area / area.sum() if area.sum() > 0 else area
    uncovered = reach.any(axis=0)
    unreachable = tuple(int(i) for i in np.unique(access.sample_face[~uncovered]))
    chosen: list[tuple[float, float, float]] = []
    while uncovered.any():
        # Most samples first; the area share (< 1 in total) only breaks ties.
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
    its axis reaches it but a tool along its mean normal does not (inside a pocket or a
    window; a fillet open to the side is swept by a ball or bull-nose cutter instead). A
    straight concave edge between two planes is a sharp corner when a tool along the edge
    reaches both faces but neither face can be cut as a floor from its own normal.

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
    cylinders = [
        (r, r.axis, r.radius)
        for r in records
        if r.kind is SurfaceKind.CYLINDER
        and r.concave
        and r.span < FULL_TURN
        and r.index not in hole_faces
        and r.axis is not None
        and r.axis_point is not None
        and r.radius is not None
    ]
    sharp = [
        (edge, records[edge.faces[0]], records[edge.faces[1]])
        for edge in edges.edges
        if edge.shape is EdgeShape.CONCAVE
        and edge.straight
        and records[edge.faces[0]].kind is SurfaceKind.PLANE
        and records[edge.faces[1]].kind is SurfaceKind.PLANE
    ]
    # Every reachability question the loops below may ask, in their order, in one batch.
    queries: list[tuple[int, Vector]] = []
    for record, axis, _ in cylinders:
        queries += [(record.index, axis), (record.index, -axis), (record.index, record.normal)]
    for edge, a, b in sharp:
        for direction in (edge.direction, -edge.direction):
            queries += [(a.index, direction), (b.index, direction)]
        queries += [(a.index, a.normal), (b.index, b.normal)]
    access.prefetch(queries)
    corners = []
    for record, axis, radius in cylinders:
        along = axis if access.face_reachable(record.index, axis) else -axis
        if not access.face_reachable(record.index, along) or access.face_reachable(
            record.index, record.normal
        ):
            continue
        corners.append(
            InternalCorner(
                radius_mm=radius,
                depth_mm=record.extent[1] - record.extent[0],
                axis=as_vector3(along),
                location_mm=as_vector3(record.centroid),
            )
        )
    for edge, a, b in sharp:
        sides = [d for d in (edge.direction, -edge.direction) if _reaches_both(access, d, a, b)]
        if not sides:
            continue
        if access.face_reachable(a.index, a.normal) or access.face_reachable(b.index, b.normal):
            continue
        corners.append(
            InternalCorner(
                radius_mm=0.0,
                depth_mm=edge.length,
                axis=as_vector3(sides[0]),
                location_mm=as_vector3(edge.midpoint),
            )
        )
    return corners


def _reaches_both(access: AccessMap, direction: Vector, a: FaceRecord, b: FaceRecord) -> bool:
    return access.face_reachable(a.index, direction) and access.face_reachable(b.index, direction)


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

    Revolved faces are the coaxial cylinders, cones, tori and spheres, planes
    perpendicular to the axis whose outer boundary is coaxial circles (faced shoulders;
    holes inside them are drilled afterwards), and free-form faces that wrap a full turn
    around the axis (a modelled thread or knurl is cut on the lathe).

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
    best: tuple[float, Vector | None, Vector | None] = (0.0, None, None)
    groups = group_by_axis([r for r in records if r.kind in ROTATIONAL])
    groups.sort(key=lambda g: -sum(r.area for r in g.members))
    outlines: dict[int, list[Vector] | None] = {}
    for group in groups[:TURNING_AXES_TRIED]:
        revolved = sum(r.area for r in group.members)
        for record in records:
            if (
                record.kind is SurfaceKind.PLANE
                and abs(abs(float(record.normal @ group.axis)) - 1.0) <= GEOMETRIC_TOLERANCE_MM
                and _coaxial(_outline(faces, record.index, outlines), group.foot, group.axis)
            ) or (
                record.kind not in ANALYTIC
                and coverage(record.points, group.foot, group.axis) >= FULL_TURN
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


def _outline(
    faces: Sequence[TopoDS_Face], index: int, known: dict[int, list[Vector] | None]
) -> list[Vector] | None:
    """Centres of the circles of a face's outer wire [mm]; None if an edge is no circle.

    Kept in ``known``: the same planes are tried against each candidate axis.
    """
    if index not in known:
        centres: list[Vector] | None = []
        explorer = TopExp_Explorer(BRepTools.OuterWire_s(faces[index]), TopAbs_EDGE)
        while explorer.More() and centres is not None:
            curve = BRepAdaptor_Curve(TopoDS.Edge(explorer.Current()))
            if curve.GetType() == GeomAbs_CurveType.GeomAbs_Circle:
                centres.append(np.array(curve.Circle().Location().Coord()))
            else:
                centres = None
            explorer.Next()
        known[index] = centres
    return known[index]


def _coaxial(centres: list[Vector] | None, foot: Vector, axis: Vector) -> bool:
    """True when every outline circle is centred on the axis (a faced shoulder)."""
    if centres is None:
        return False
    for centre in centres:
        offset = centre - foot
        if float(np.linalg.norm(offset - (offset @ axis) * axis)) > LINE_TOLERANCE_MM:
            return False
    return True
