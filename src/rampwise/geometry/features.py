"""Machining features from the B-rep: holes, counterbores, countersinks, pockets, bosses.

Holes follow ``research/cad.md`` §6: concave cylinders grouped by axis line and radius
whose faces close 360°; coaxial cylinders and cones that touch along the axis form one
hole (counterbore, countersink, drill point). Whether an end is open is decided by asking
the solid whether a point just beyond it, on the axis, is outside the material.

Pockets, slots and steps are found from floors: planar faces with at least one concave
junction (directly or through a fillet) to a wall parallel to the floor normal.

References
----------
.. [1] ``research/cad.md`` §5 (checks 3, 5, 6) and §6 (hole-count method).
.. [2] CADEX MTK machining feature recognition: holes, counterbores, countersinks, pockets
   (docs.cadexsoft.com/mtk/mtk_machining_dfm_overview_page), for the feature vocabulary.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial import ConvexHull, QhullError

from rampwise.geometry.catalogs import standard_drill
from rampwise.geometry.faces import (
    EdgeShape,
    EdgeSurvey,
    FaceRecord,
    SurfaceKind,
    Vector,
)
from rampwise.geometry.models import Boss, Counterbore, Countersink, Hole, Pocket, Vector3
from rampwise.geometry.raycast import RayCaster
from rampwise.geometry.tolerances import (
    GEOMETRIC_TOLERANCE_MM,
    LINE_TOLERANCE_MM,
    MESH_ANGULAR_DEFLECTION_RAD,
)

FULL_TURN = 2 * math.pi - MESH_ANGULAR_DEFLECTION_RAD
"""Angular coverage [rad] from which a group of faces closes a full turn.

Spans of recognised B-spline faces come from their mesh nodes, which are at most one
angular deflection apart; a gap narrower than that cannot be told from a closed turn.
"""


@dataclass
class _Segment:
    """Coaxial faces of one radius (cylinder) or one cone, touching along the axis."""

    kind: SurfaceKind
    low: float
    high: float
    radius_low: float
    radius_high: float
    span: float
    face_ids: list[int]
    semi_angle: float = 0.0

    @property
    def radius(self) -> float:
        return max(self.radius_low, self.radius_high)


@dataclass
class _AxisGroup:
    axis: Vector
    foot: Vector
    members: list[FaceRecord]


def group_by_axis(records: Iterable[FaceRecord]) -> list[_AxisGroup]:
    """Group rotational faces whose axes are the same line (:data:`LINE_TOLERANCE_MM`).

    Lines are compared where the face is (its axis point nearest its centroid), so a
    fitted axis a few µrad off still joins its hole. A face joins the first group it
    matches; it is compared with all groups at once.
    """
    groups: list[_AxisGroup] = []
    axes = feet = np.zeros((0, 3))
    for record in records:
        if record.axis is None or record.axis_point is None:
            continue
        near = (
            record.axis_point + ((record.centroid - record.axis_point) @ record.axis) * record.axis
        )
        parallel = np.flatnonzero(np.abs(axes - record.axis).max(axis=1) <= GEOMETRIC_TOLERANCE_MM)
        offsets = near - feet[parallel]
        along = np.einsum("ij,ij->i", offsets, axes[parallel])
        distances = np.linalg.norm(offsets - along[:, None] * axes[parallel], axis=1)
        same = parallel[distances <= LINE_TOLERANCE_MM]
        if len(same):
            groups[int(same[0])].members.append(record)
        else:
            groups.append(_AxisGroup(record.axis, record.axis_point, [record]))
            axes = np.vstack((axes, record.axis))
            feet = np.vstack((feet, record.axis_point))
    return groups


def _segments(members: Sequence[FaceRecord]) -> list[_Segment]:
    """Merge faces of one kind and equal end radii whose axial extents touch."""
    segments: list[_Segment] = []
    ordered = sorted(members, key=lambda r: (r.kind.value, r.radius or 0.0, r.extent[0]))
    for record in ordered:
        low, high = record.extent
        r_low, r_high = record.end_radii
        for segment in segments:
            if (
                segment.kind is record.kind
                and abs(segment.radius_low - r_low) <= LINE_TOLERANCE_MM
                and abs(segment.radius_high - r_high) <= LINE_TOLERANCE_MM
                and low <= segment.high + LINE_TOLERANCE_MM
                and high >= segment.low - LINE_TOLERANCE_MM
            ):
                overlap = min(high, segment.high) - max(low, segment.low)
                if overlap > LINE_TOLERANCE_MM:
                    segment.span += record.span
                segment.low, segment.high = min(segment.low, low), max(segment.high, high)
                segment.face_ids.append(record.index)
                break
        else:
            segments.append(
                _Segment(
                    record.kind,
                    low,
                    high,
                    r_low,
                    r_high,
                    record.span,
                    [record.index],
                    record.semi_angle or 0.0,
                )
            )
    return segments


def _chains(segments: list[_Segment]) -> list[list[_Segment]]:
    """Split full-turn segments into runs that touch end to end along the axis."""
    chains: list[list[_Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.low, s.high)):
        if chains and segment.low <= max(s.high for s in chains[-1]) + LINE_TOLERANCE_MM:
            chains[-1].append(segment)
        else:
            chains.append([segment])
    return chains


def find_holes(records: Sequence[FaceRecord], caster: RayCaster) -> list[Hole]:
    """Holes: chains of concave, full-turn, coaxial cylinders and cones.

    Parameters
    ----------
    records
        Face survey of the solid.
    caster
        The solid's mesh prepared for ray queries (to tell open ends from bottoms).

    Returns
    -------
    list of Hole
        Sorted by diameter, then position.
    """
    concave = [
        r for r in records if r.concave and r.kind in {SurfaceKind.CYLINDER, SurfaceKind.CONE}
    ]
    chains = [
        (chain, group)
        for group in group_by_axis(concave)
        for chain in _chains([s for s in _segments(group.members) if s.span >= FULL_TURN])
        if any(s.kind is SurfaceKind.CYLINDER for s in chain)
    ]
    # Both ends of every chain probed with one batch of rays.
    points, directions = [], []
    for chain, group in chains:
        probe = max(LINE_TOLERANCE_MM, 0.01 * _smallest_radius(chain))
        low = min(s.low for s in chain)
        high = max(s.high for s in chain)
        points += [
            group.foot + (low - probe) * group.axis,
            group.foot + (high + probe) * group.axis,
        ]
        directions += [-group.axis, group.axis]
    inside = caster.inside(
        np.array(points).reshape(-1, 3),
        np.array(directions).reshape(-1, 3),
        min_distance=GEOMETRIC_TOLERANCE_MM,
    )
    holes = []
    for (chain, group), (low_inside, high_inside) in zip(
        chains, inside.reshape(-1, 2).tolist(), strict=True
    ):
        hole = _hole_from_chain(chain, group, open_low=not low_inside, open_high=not high_inside)
        if hole is not None:
            holes.append(hole)
    return sorted(holes, key=lambda h: (round(h.diameter_mm, 3), h.entry_mm))


def _smallest_radius(chain: list[_Segment]) -> float:
    """Radius of the narrowest cylinder of a chain [mm]."""
    return min(s.radius for s in chain if s.kind is SurfaceKind.CYLINDER)


def _hole_from_chain(
    chain: list[_Segment], group: _AxisGroup, *, open_low: bool, open_high: bool
) -> Hole | None:
    """The hole a chain forms, given which of its ends open out of the material."""
    if not (open_low or open_high):
        return None
    cylinders = [s for s in chain if s.kind is SurfaceKind.CYLINDER]
    low = min(s.low for s in chain)
    high = max(s.high for s in chain)
    smallest = _smallest_radius(chain)
    through = open_low and open_high
    if through:
        at_high = max(chain, key=lambda s: s.high).radius_high
        at_low = min(chain, key=lambda s: s.low).radius_low
        entry_high = at_high > at_low + LINE_TOLERANCE_MM or (
            abs(at_high - at_low) <= LINE_TOLERANCE_MM and bool(group.axis.sum() >= 0)
        )
    else:
        entry_high = open_high
    # Order segments from the entry inward; `depth_of` measures distance from the entry.
    sign = 1.0 if entry_high else -1.0
    entry_t = high if entry_high else low
    ordered = sorted(chain, key=lambda s: -s.high if entry_high else s.low)

    def depth_of(t: float) -> float:
        return sign * (entry_t - t)

    deepest_cylinder = max(max(depth_of(c.low), depth_of(c.high)) for c in cylinders)
    counterbore = None
    first = ordered[0]
    if first.kind is SurfaceKind.CYLINDER and first.radius > smallest + LINE_TOLERANCE_MM:
        span = first.high - first.low
        counterbore = Counterbore(diameter_mm=2 * first.radius, depth_mm=span)
    countersink = None
    if first.kind is SurfaceKind.CONE:
        entry_radius = first.radius_high if entry_high else first.radius_low
        inner_radius = first.radius_low if entry_high else first.radius_high
        if entry_radius > inner_radius:
            countersink = Countersink(
                diameter_mm=2 * entry_radius, angle_deg=math.degrees(2 * first.semi_angle)
            )
    last = ordered[-1]
    if through:
        bottom = "through"
    elif last.kind is SurfaceKind.CONE:
        bottom = "drill_point"
    else:
        bottom = "flat"
    axis = group.axis * sign
    diameter = 2 * smallest
    return Hole(
        diameter_mm=diameter,
        depth_mm=deepest_cylinder,
        through=through,
        axis=as_vector3(axis),
        entry_mm=as_vector3(group.foot + entry_t * group.axis),
        bottom=bottom,
        counterbore=counterbore,
        countersink=countersink,
        tapped=None,
        standard_drill=standard_drill(diameter),
        face_ids=tuple(sorted(i for s in chain for i in s.face_ids)),
    )


def find_bosses(records: Sequence[FaceRecord]) -> list[Boss]:
    """Bosses and turned diameters: convex cylinders whose faces close a full turn.

    Parameters
    ----------
    records
        Face survey of the solid.

    Returns
    -------
    list of Boss
        One per convex full-turn cylinder segment.
    """
    convex = [r for r in records if r.concave is False and r.kind is SurfaceKind.CYLINDER]
    bosses = []
    for group in group_by_axis(convex):
        for segment in _segments(group.members):
            if segment.span < FULL_TURN:
                continue
            bosses.append(
                Boss(
                    diameter_mm=2 * segment.radius,
                    height_mm=segment.high - segment.low,
                    axis=as_vector3(group.axis),
                    location_mm=as_vector3(group.foot + segment.high * group.axis),
                )
            )
    return bosses


def _is_wall(record: FaceRecord, direction: Vector) -> bool:
    """True when the face is parallel to ``direction`` (a wall for a tool along it)."""
    if record.kind is SurfaceKind.PLANE:
        return abs(float(record.normal @ direction)) <= GEOMETRIC_TOLERANCE_MM
    if record.axis is not None and record.kind is SurfaceKind.CYLINDER:
        return bool(abs(abs(float(record.axis @ direction)) - 1.0) <= GEOMETRIC_TOLERANCE_MM)
    return False


def find_pockets(
    records: Sequence[FaceRecord],
    edges: EdgeSurvey,
    hole_faces: set[int],
    floors_reachable: Callable[[Sequence[FaceRecord]], Sequence[bool]],
    setup_directions: Sequence[Vector3],
) -> list[Pocket]:
    """Pockets, slots and steps: planar floors bounded by walls along the floor normal.

    A floor must be reachable by a tool along its normal; a step (walls on one side or
    two adjacent sides) counts only when its floor faces a setup direction, so the riser
    of a step is not reported as a second step.

    Parameters
    ----------
    records
        Face survey of the solid.
    edges
        Edge survey (junction shapes and outer wires).
    hole_faces
        Faces that belong to holes (a counterbore floor is not a pocket).
    floors_reachable
        Whether a tool along each plane's normal reaches it (asked once, for every
        floor with walls, so that their rays are cast together).
    setup_directions
        The chosen setup directions (unit vectors).

    Returns
    -------
    list of Pocket
        One per floor.
    """
    by_key = edges.by_key()
    neighbours: dict[int, list[tuple[int, EdgeShape]]] = {}
    for edge in edges.edges:
        a, b = edge.faces
        neighbours.setdefault(a, []).append((b, edge.shape))
        neighbours.setdefault(b, []).append((a, edge.shape))
    floors: list[tuple[FaceRecord, set[int], int]] = []
    for floor in records:
        if floor.kind is not SurfaceKind.PLANE or floor.area <= 0.0:
            continue
        walls: set[int] = set()
        open_sides = 0
        for key in edges.outer_wires[floor.index]:
            found_edge = by_key.get(key)
            if found_edge is None:
                continue
            edge = found_edge
            other = edge.faces[1] if edge.faces[0] == floor.index else edge.faces[0]
            found = _walls_through(records, other, edge.shape, floor.normal, neighbours)
            if found:
                walls |= found
            else:
                open_sides += 1
        if walls and not walls <= hole_faces:
            floors.append((floor, walls, open_sides))
    reachable = floors_reachable([floor for floor, _, _ in floors]) if floors else []
    pockets = []
    for (floor, walls, open_sides), reached in zip(floors, reachable, strict=True):
        if not reached:
            continue
        direction = floor.normal
        pocket = _pocket(records, floor, walls, open_sides)
        faces_setup = any(
            float(np.dot(direction, d)) >= 1.0 - GEOMETRIC_TOLERANCE_MM for d in setup_directions
        )
        if pocket.depth_mm > LINE_TOLERANCE_MM and (pocket.kind != "step" or faces_setup):
            pockets.append(pocket)
    return pockets


def _walls_through(
    records: Sequence[FaceRecord],
    other: int,
    shape: EdgeShape,
    direction: Vector,
    neighbours: dict[int, list[tuple[int, EdgeShape]]],
) -> set[int]:
    """Walls reached from a floor edge: directly if concave, or across one tangent fillet."""
    record = records[other]
    if shape is EdgeShape.CONCAVE:
        return {other} if _is_wall(record, direction) else set()
    if shape is EdgeShape.TANGENT and not _is_wall(record, direction) and record.concave:
        return {
            n
            for n, junction in neighbours.get(other, [])
            if junction is EdgeShape.TANGENT and _is_wall(records[n], direction)
        }
    return set()


def _pocket(
    records: Sequence[FaceRecord], floor: FaceRecord, walls: set[int], open_sides: int
) -> Pocket:
    direction = floor.normal
    level = float(floor.centroid @ direction)
    depth = max(
        float((records[w].points @ direction).max()) - level
        for w in walls
        if len(records[w].points)
    )
    width, length = min_area_rectangle(floor.points, direction)
    planes = [records[w] for w in walls if records[w].kind is SurfaceKind.PLANE]
    gaps = [
        abs(a.extent[0] + b.extent[0])
        for a in planes
        for b in planes
        if float(a.normal @ b.normal) < -1 + GEOMETRIC_TOLERANCE_MM
    ]
    opposed = bool(gaps)
    if gaps:
        # The distance between facing walls is the width the cutter must fit.
        width = min(gaps)
        length = max(length, width)
    if open_sides == 0:
        kind = "pocket"
    elif opposed:
        kind = "slot"
    else:
        kind = "step"
    corners = [
        records[w].radius
        for w in walls
        if records[w].kind is SurfaceKind.CYLINDER
        and records[w].concave
        and records[w].radius is not None
        and records[w].span < FULL_TURN
    ]
    return Pocket(
        kind=kind,
        depth_mm=max(depth, 0.0),
        width_mm=width,
        length_mm=length,
        floor_area_mm2=floor.area,
        axis=as_vector3(direction),
        location_mm=as_vector3(floor.centroid),
        corner_radius_mm=min((c for c in corners if c is not None), default=None),
    )


def min_area_rectangle(points: Vector, normal: Vector) -> tuple[float, float]:
    """Sides (short, long) of the smallest rectangle around points projected ⟂ ``normal`` [mm].

    Rotating calipers over the convex hull: the optimal rectangle has a side on a hull edge.

    References
    ----------
    .. [1] H. Freeman and R. Shapira, "Determining the minimum-area encasing rectangle for
       an arbitrary closed curve", Communications of the ACM 18(7), 1975, pp. 409-413.
       doi:10.1145/360881.360919
    """
    u = np.cross(normal, [1.0, 0.0, 0.0])
    if np.linalg.norm(u) < 0.5:
        u = np.cross(normal, [0.0, 1.0, 0.0])
    u = u / np.linalg.norm(u)
    v = np.cross(normal, u)
    flat = np.column_stack((points @ u, points @ v))
    try:
        hull = flat[ConvexHull(flat).vertices]
    except (QhullError, ValueError):
        extent = np.ptp(flat, axis=0) if len(flat) else np.zeros(2)
        return float(extent.min()), float(extent.max())
    edges = np.roll(hull, -1, axis=0) - hull
    angles = np.unique(np.mod(np.arctan2(edges[:, 1], edges[:, 0]), math.pi / 2)).tolist()
    # One stacked product for all edge angles (the same arithmetic as one at a time).
    rotations = np.array(
        [[[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]] for a in angles]
    )
    extents = np.ptp(hull[None] @ rotations, axis=1)
    best = int(np.argmin(extents[:, 0] * extents[:, 1]))
    return float(extents[best].min()), float(extents[best].max())


def as_vector3(values: Vector) -> tuple[float, float, float]:
    """A 3-vector as a plain tuple of floats (for the result models)."""
    x, y, z = (float(v) for v in values)
    return (x, y, z)
