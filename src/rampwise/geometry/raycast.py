"""Ray casting against a triangle mesh, in NumPy, for wall thickness and tool access.

A bounding-volume hierarchy is built level by level over the triangles (median split
along the longest axis of each node). A query's rays descend it together: every ray is
tested against all nodes of a start level deep enough that a few rays do not pay for the
levels above, then each ray/node pair against the node's four grandchildren at once, one
vectorised step per two levels. The rays reaching a leaf are tested against all its
triangles with the Möller–Trumbore algorithm, the leaf's triangles stored as one block.
A ray's nearest hit wins; equally near hits go to the lowest triangle index, so the answer
does not depend on how rays are batched. The same caster serves B-rep tessellations and
STL meshes, so both report wall thickness the same way.

References
----------
.. [1] T. Möller and B. Trumbore, "Fast, minimum storage ray-triangle intersection",
   Journal of Graphics Tools 2(1), 1997, pp. 21-28. doi:10.1080/10867651.1997.10487468
.. [2] I. Wald, S. Boulos and P. Shirley, "Ray tracing deformable scenes using dynamic
   bounding volume hierarchies", ACM Transactions on Graphics 26(1), 2007.
   doi:10.1145/1189762.1206075 (median-split BVH, packet traversal).
.. [3] A. Williams, S. Barrus, R. K. Morley and P. Shirley, "An efficient and robust
   ray-box intersection algorithm", Journal of Graphics Tools 10(1), 2005, pp. 49-54.
   doi:10.1080/2151237X.2005.10129188 (slab test with precomputed inverse directions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

LEAF_SIZE: Final = 8
"""Largest number of triangles in a leaf of the hierarchy [unitless]."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

CURVED_FACE_SAMPLES: Final = 24
"""Wall-thickness rays per curved face [unitless]: one per 15° around a full cylinder, so a
web beside a hole is measured within r·(1 − cos 7.5°) ≈ 0.9 % of the hole radius."""

START_PAIRS: Final = 16_384
"""Ray × node box tests at the level where a query starts descending [unitless]: two rays
start at the leaves, thousands near the root."""

LEVELS_PER_STEP: Final = 2
"""Levels of the hierarchy a query descends per vectorised step [unitless]: each node's
four grandchildren are tested at once."""

CHUNK_LEAVES: Final = 2_048
"""Ray × leaf pairs intersected per vectorised step [unitless] (keeps them in cache)."""

WALL_REACH: Final = 1.0 / 32.0
"""Cut-off of the first wall-thickness cast, relative to the mesh's box diagonal
[unitless]: rays are cast again without it only when no wall is found within it, which on
the shared CAD parts never happens, while it spares 50-75 % of the ray/leaf tests."""

_EDGE_SLACK: Final = 1e-9
"""Barycentric slack [unitless] so a ray through a shared edge hits at least one triangle."""

BOX_PADDING: Final = 1e-9
"""Margin added around every box, relative to the mesh's box diagonal [unitless]."""

_FAR: Final = 1e300
"""Stand-in for the inverse of a zero direction component [1/unitless]: finite, so a ray
parallel to a box side gives no 0 × ∞ and is inside that slab when it lies between the
sides (within the box padding)."""

_NO_TRIANGLE: Final = np.iinfo(np.int64).max


@dataclass(frozen=True)
class RayHits:
    """The first hit of each ray.

    Attributes
    ----------
    distance
        ``(r,)`` distance to the first hit along the unit direction [mm]; ``inf`` on a miss.
    triangle
        ``(r,)`` index of the triangle hit first (the lowest index among equally near
        hits); ``-1`` on a miss.
    """

    distance: FloatArray
    triangle: IntArray


@dataclass
class _Query:
    """One batch of rays: origins and directions as rows x, y, z, and the best hits so far."""

    origins: FloatArray
    directions: FloatArray
    min_distance: float
    max_distance: float
    best: FloatArray
    triangle: IntArray


class RayCaster:
    """A triangle mesh prepared for many ray queries.

    Parameters
    ----------
    vertices
        ``(n, 3)`` vertex coordinates [mm].
    triangles
        ``(m, 3)`` vertex indices.
    facets
        The triangles' unit normals [unitless] and areas [mm²] as :func:`triangle_normals`
        gives them, when already computed (``Tessellation.facets``); None to compute them.

    Attributes
    ----------
    normals, areas
        ``(m, 3)`` outward unit normals [unitless] and ``(m,)`` areas [mm²] of the
        triangles (:func:`triangle_normals`).

    Notes
    -----
    CAD tessellations cover planar faces with long slivers whose boxes overlap most of the
    part; triangles longer than an eighth of the box diagonal are therefore split (for the
    hierarchy only; hits still name the original triangle). Triangles are stored leaf by
    leaf, one row per coordinate of the first corner and of the two edges from it.
    """

    def __init__(
        self,
        vertices: FloatArray,
        triangles: IntArray,
        facets: tuple[FloatArray, FloatArray] | None = None,
    ) -> None:
        points = np.asarray(vertices, dtype=np.float64)
        faces = np.asarray(triangles, dtype=np.int64).reshape(-1, 3)
        diagonal = float(np.linalg.norm(np.ptp(points, axis=0))) if len(points) else 0.0
        self.normals, self.areas = facets if facets is not None else triangle_normals(points, faces)
        corners, source = _split_long_triangles(points[faces], diagonal / 8.0)
        count = len(corners)
        self._depth = max(0, int(np.ceil(np.log2(max(count, 1) / LEAF_SIZE))))
        first, second, third = corners[:, 0], corners[:, 1], corners[:, 2]
        low = np.minimum(np.minimum(first, second), third)
        high = np.maximum(np.maximum(first, second), third)
        # Centroids scaled into [0, 1]: a node's triangles sort by ``2 · node + key``.
        sums = first + second + third
        spread = max(float(np.ptp(sums, axis=0).max()), np.finfo(np.float64).tiny)
        centroids = (sums - sums.min(axis=0)) / spread
        # Boxes grow by a hair so that rounding in the box test never drops a triangle.
        pad = BOX_PADDING * max(diagonal, 1.0)
        order = np.arange(count)
        self._boxes: list[FloatArray] = []
        for level in range(self._depth + 1):
            bounds = _bounds(count, level)
            starts = bounds[:-1]
            box_low = np.minimum.reduceat(np.take(low, order, axis=0), starts, axis=0)
            box_high = np.maximum.reduceat(np.take(high, order, axis=0), starts, axis=0)
            self._boxes.append(np.vstack((box_low.T - pad, box_high.T + pad)))
            if level == self._depth:
                break
            segment = np.repeat(np.arange(len(starts)), np.diff(bounds))
            axis = np.argmax(box_high - box_low, axis=1).take(segment)
            key = 2.0 * segment + centroids[order, axis]
            order = order.take(np.argsort(key, kind="stable"))
        # Leaves as blocks of equal width: a leaf's triangles are one contiguous gather, and
        # the slots of shorter leaves hold empty triangles (no area: never hit).
        leaf_bounds = _bounds(count, self._depth)
        width = max(int(np.diff(leaf_bounds).max()), 1)
        slots = leaf_bounds[:-1, None] + np.arange(width)
        filled = slots < leaf_bounds[1:, None]
        ordered = corners[order.take(np.where(filled, slots, 0))]
        ordered[~filled] = 0.0
        self._triangles = np.stack(
            (
                *ordered[..., 0, :].transpose(2, 0, 1),
                *(ordered[..., 1, :] - ordered[..., 0, :]).transpose(2, 0, 1),
                *(ordered[..., 2, :] - ordered[..., 0, :]).transpose(2, 0, 1),
            )
        )
        self._source = np.where(filled, source[order.take(np.where(filled, slots, 0))], -1)

    def first_hits(
        self,
        origins: FloatArray,
        directions: FloatArray,
        *,
        min_distance: float,
        max_distance: float = np.inf,
    ) -> RayHits:
        """Cast rays and return the first hit of each beyond ``min_distance``.

        A ray's first hit is the same with or without ``max_distance`` when it is no
        farther; a cut-off only turns farther hits into misses, and saves the tests of the
        leaves the rays would enter beyond it.

        Parameters
        ----------
        origins
            ``(r, 3)`` ray origins [mm].
        directions
            ``(r, 3)`` unit directions [unitless].
        min_distance
            Hits nearer than this are ignored [mm] (the surface a ray starts on).
        max_distance
            Hits farther than this are ignored [mm]; ``inf`` for none.

        Returns
        -------
        RayHits
            Distance [mm] and triangle index of the first hit, ``inf``/``-1`` on a miss.
        """
        starts = np.asarray(origins, dtype=np.float64).reshape(-1, 3)
        ways = np.asarray(directions, dtype=np.float64).reshape(-1, 3)
        query = _Query(
            origins=np.ascontiguousarray(starts.T),
            directions=np.ascontiguousarray(ways.T),
            min_distance=min_distance,
            max_distance=max_distance,
            best=np.full(len(starts), np.inf),
            triangle=np.full(len(starts), _NO_TRIANGLE, dtype=np.int64),
        )
        if len(starts):
            rays, leaves = self._leaves(query)
            self._test(query, rays, leaves)
        found = query.triangle
        found[found == _NO_TRIANGLE] = -1
        return RayHits(query.best, found)

    def _leaves(self, query: _Query) -> tuple[IntArray, IntArray]:
        """Ray/leaf pairs whose box the ray meets within the query's ``max_distance``.

        All rays are tested against every node of the start level, then each surviving
        pair against the node's descendants :data:`LEVELS_PER_STEP` levels down, one
        contiguous block of boxes per pair. Gathers use ``np.take`` on index arrays:
        fancy indexing along a second axis and boolean masks cost several times more.
        """
        count = query.origins.shape[1]
        with np.errstate(divide="ignore"):
            inverse = 1.0 / query.directions
        infinite = ~np.isfinite(inverse)
        inverse[infinite] = np.copysign(_FAR, query.directions[infinite])
        scaled = query.origins * inverse
        level = int(np.clip(np.floor(np.log2(START_PAIRS / count)), 0, self._depth))
        reach = query.max_distance
        rays, nodes = np.nonzero(
            _slab_test(
                scaled[:, :, None], inverse[:, :, None], self._boxes[level][:, None, :], reach
            )
        )
        while level < self._depth:
            step = min(LEVELS_PER_STEP, self._depth - level)
            children = self._boxes[level + step].reshape(6, -1, 1 << step)
            pairs, slots = np.nonzero(
                _slab_test(
                    np.take(scaled, rays, axis=1)[:, :, None],
                    np.take(inverse, rays, axis=1)[:, :, None],
                    np.take(children, nodes, axis=1),
                    reach,
                )
            )
            rays = rays.take(pairs)
            nodes = (nodes.take(pairs) << step) + slots
            level += step
        return rays, nodes

    def _test(self, query: _Query, rays: IntArray, leaves: IntArray) -> None:
        """Intersect rays with every triangle of their leaves; keep each ray's nearest hit.

        Equally near hits go to the lowest triangle index, whatever order they come in.
        """
        for first in range(0, len(rays), CHUNK_LEAVES):
            ray_ids = rays[first : first + CHUNK_LEAVES]
            leaf_ids = leaves[first : first + CHUNK_LEAVES]
            pairs, slots, distance = self._intersect(query, ray_ids, leaf_ids)
            if not len(pairs):
                continue
            ray_ids = ray_ids.take(pairs)
            source = self._source[leaf_ids.take(pairs), slots]
            before = query.best.take(ray_ids)
            np.minimum.at(query.best, ray_ids, distance)
            after = query.best.take(ray_ids)
            query.triangle[ray_ids.take(np.flatnonzero(after < before))] = _NO_TRIANGLE
            nearest = np.flatnonzero(distance == after)
            np.minimum.at(query.triangle, ray_ids.take(nearest), source.take(nearest))

    def _intersect(
        self, query: _Query, rays: IntArray, leaves: IntArray
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Möller–Trumbore test of each ray against its leaf's triangles [1]_.

        Returns the ray/leaf pair and leaf slot of every hit, and its distance [mm]. Dot
        products add the x and z terms first, then y, as NumPy's ``einsum`` did in the
        caster this one replaced, so distances are unchanged to the last bit.
        """
        ox, oy, oz = np.take(query.origins, rays, axis=1)[:, :, None]
        dx, dy, dz = np.take(query.directions, rays, axis=1)[:, :, None]
        ax, ay, az, e1x, e1y, e1z, e2x, e2y, e2z = np.take(self._triangles, leaves, axis=1)
        px = dy * e2z - dz * e2y
        py = dz * e2x - dx * e2z
        pz = dx * e2y - dy * e2x
        det = (px * e1x + pz * e1z) + py * e1y
        sx, sy, sz = ox - ax, oy - ay, oz - az
        qx = sy * e1z - sz * e1y
        qy = sz * e1x - sx * e1z
        qz = sx * e1y - sy * e1x
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = 1.0 / det
            u = ((sx * px + sz * pz) + sy * py) * inv
            v = ((dx * qx + dz * qz) + dy * qy) * inv
            t = ((e2x * qx + e2z * qz) + e2y * qy) * inv
            inside = (u >= -_EDGE_SLACK) & (v >= -_EDGE_SLACK) & (u + v <= 1.0 + _EDGE_SLACK)
            inside &= (t > query.min_distance) & (t <= query.max_distance) & (det != 0.0)
        pairs, slots = np.nonzero(inside)
        return pairs, slots, t[pairs, slots]

    def inside(
        self, points: FloatArray, directions: FloatArray, *, min_distance: float
    ) -> NDArray[np.bool_]:
        """True for points inside the closed mesh.

        A ray from a point inside the material leaves it first, through a triangle whose
        outward normal points along the ray; from outside it enters, or hits nothing.

        Parameters
        ----------
        points
            ``(r, 3)`` query points [mm].
        directions
            ``(r, 3)`` unit directions to probe along [unitless].
        min_distance
            Hits nearer than this are ignored [mm].

        Returns
        -------
        ndarray of bool
            One flag per point.
        """
        hits = self.first_hits(points, directions, min_distance=min_distance)
        found = hits.triangle >= 0
        leaving = np.zeros(len(found), dtype=bool)
        facing = self.normals[hits.triangle[found]]
        leaving[found] = np.einsum("ij,ij->i", facing, np.asarray(directions)[found]) > 0.0
        return leaving


def _bounds(count: int, level: int) -> IntArray:
    """First triangle (in leaf order) of each node of a level, and the count at the end."""
    nodes = 1 << level
    return (np.arange(nodes + 1, dtype=np.int64) * count) // nodes


def _split_long_triangles(corners: FloatArray, limit: float) -> tuple[FloatArray, IntArray]:
    """Halve triangles across their longest edge until no edge is longer than ``limit``.

    ``corners`` is ``(m, 3, 3)``: each triangle's three corners [mm]. Only the halves made
    in one pass are measured again in the next. A half keeps the split edge's far corner
    and the edge's midpoint, so corners are carried, not vertex indices.

    Returns the new triangles' corners [mm] and, per new triangle, its original index.
    """
    source = np.arange(len(corners), dtype=np.int64)
    if limit <= 0.0:
        return corners, source
    kept: list[FloatArray] = []
    kept_source: list[IntArray] = []
    pending, owners = corners, source
    while len(pending):
        edges = np.linalg.norm(pending[:, [1, 2, 0]] - pending, axis=2)
        too_long = edges.max(axis=1) > limit
        kept.append(pending[~too_long])
        kept_source.append(owners[~too_long])
        rows = pending[too_long]
        longest = edges.argmax(axis=1)[too_long]
        pick = np.arange(len(rows))
        first = rows[pick, longest]
        second = rows[pick, (longest + 1) % 3]
        opposite = rows[pick, (longest + 2) % 3]
        middle = (first + second) / 2.0
        pending = np.concatenate(
            (
                np.stack((first, middle, opposite), axis=1),
                np.stack((middle, second, opposite), axis=1),
            )
        )
        owners = np.concatenate((owners[too_long], owners[too_long]))
    return np.concatenate(kept), np.concatenate(kept_source)


def _slab_test(
    scaled: FloatArray, inverse: FloatArray, boxes: FloatArray, reach: float
) -> NDArray[np.bool_]:
    """Whether each ray, cut at ``reach`` [mm], meets each box [3]_.

    ``scaled`` (origins times inverse directions) and ``inverse`` are 3 rows, ``boxes`` 6
    (lower corner, then upper corner) of arrays that broadcast together. The axes are
    unrolled: NumPy reduces a short first axis slower than it combines rows.
    """
    x1 = boxes[0] * inverse[0] - scaled[0]
    x2 = boxes[3] * inverse[0] - scaled[0]
    y1 = boxes[1] * inverse[1] - scaled[1]
    y2 = boxes[4] * inverse[1] - scaled[1]
    z1 = boxes[2] * inverse[2] - scaled[2]
    z2 = boxes[5] * inverse[2] - scaled[2]
    entry = np.maximum(
        np.maximum(np.minimum(x1, x2), np.minimum(y1, y2)),
        np.maximum(np.minimum(z1, z2), 0.0),
    )
    leave = np.minimum(
        np.minimum(np.maximum(x1, x2), np.maximum(y1, y2)),
        np.minimum(np.maximum(z1, z2), reach),
    )
    meets: NDArray[np.bool_] = leave >= entry
    return meets


def triangle_normals(vertices: FloatArray, triangles: IntArray) -> tuple[FloatArray, FloatArray]:
    """Unit normals and areas of the triangles of a mesh.

    Parameters
    ----------
    vertices
        ``(n, 3)`` vertex coordinates [mm].
    triangles
        ``(m, 3)`` vertex indices, counter-clockwise seen from outside.

    Returns
    -------
    tuple of ndarray
        ``(m, 3)`` outward unit normals [unitless] and ``(m,)`` areas [mm²].
    """
    corners = vertices[triangles]
    cross = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    norm = np.linalg.norm(cross, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        normals = np.where(norm[:, None] > 0, cross / norm[:, None], 0.0)
    return normals, norm / 2.0


@dataclass(frozen=True)
class WallReport:
    """Wall thickness measured by inward rays.

    Attributes
    ----------
    min_mm
        Thinnest wall found [mm]; ``None`` when no ray left the material (open mesh).
    location_mm
        Where it was measured [mm].
    thin
        ``(thickness [mm], location [mm], face or None)`` for each face (or, on a mesh,
        the thinnest sample) thinner than the report threshold, thinnest first.
    """

    min_mm: float | None
    location_mm: tuple[float, float, float] | None
    thin: tuple[tuple[float, tuple[float, float, float], int | None], ...]


def spread(rows: IntArray, count: int) -> IntArray:
    """``count`` of ``rows`` evenly spread from the first to the last; all when no more.

    The positions are ``np.linspace(0, len(rows) - 1, count)`` truncated to integers,
    computed as NumPy does (``i · step``, the last one exact) without its per-call cost,
    which on a part with hundreds of faces added up to milliseconds.
    """
    if len(rows) <= count:
        return rows
    if count == 1:
        return rows[:1]
    last = len(rows) - 1
    step = last / (count - 1)
    return rows[[int(i * step) for i in range(count - 1)] + [last]]


def measure_walls(
    caster: RayCaster,
    vertices: FloatArray,
    triangles: IntArray,
    *,
    report_below_mm: float,
    min_distance: float,
    face_ids: IntArray | None = None,
    curved_faces: frozenset[int] = frozenset(),
    samples_per_face: int = 4,
    max_samples: int = 4000,
    opposition_deg: float = 30.0,
) -> WallReport:
    """Wall thickness by casting a ray inward from triangle centroids [1]_.

    A ray starts on the surface and runs against the outward normal; the distance to
    where it leaves the material is the local wall thickness. A wall lies between faces
    that face away from each other: a ray that leaves through a face less than
    ``opposition_deg`` from opposite crossed a wedge (a thread crest, a chamfered edge),
    not a wall, and is not counted.

    Parameters
    ----------
    caster
        The mesh prepared for ray queries (its normals and areas are used).
    vertices
        ``(n, 3)`` vertex coordinates [mm], those the caster was built from.
    triangles
        ``(m, 3)`` vertex indices, counter-clockwise seen from outside, as in the caster.
    report_below_mm
        Faces thinner than this are listed in ``thin`` [mm].
    min_distance
        Hits nearer than this are the start surface itself [mm].
    face_ids
        ``(m,)`` B-rep face of each triangle; None for a plain mesh.
    curved_faces
        Faces sampled at up to :data:`CURVED_FACE_SAMPLES` triangles (a web beside a hole
        is thinnest in one direction, which a few samples can miss); other faces get
        ``samples_per_face`` evenly spread triangles.
    samples_per_face
        Samples on each planar face [unitless].
    max_samples
        Largest number of rays on a plain mesh [unitless].
    opposition_deg
        Largest angle between the exit normal and the reversed start normal [deg].

    Returns
    -------
    WallReport
        The thinnest wall and the thin faces.

    References
    ----------
    .. [1] ``research/cad.md`` §5 check 7: ray-cast inward from face sample points and
       report the minimum and its location.
    """
    normals, areas = caster.normals, caster.areas
    usable = np.flatnonzero(areas > 0)
    limit = -np.cos(np.radians(opposition_deg))
    diagonal = float(np.linalg.norm(np.ptp(vertices, axis=0))) if len(vertices) else 0.0
    reach = max(report_below_mm, WALL_REACH * diagonal)

    def counted(rows: IntArray, hits: RayHits) -> NDArray[np.bool_]:
        """Rays that crossed a wall: they left through a face opposing the start face."""
        crossed = np.isfinite(hits.distance)
        facing = np.einsum("ij,ij->i", normals[rows], normals[np.where(crossed, hits.triangle, 0)])
        wall: NDArray[np.bool_] = crossed & (facing <= limit)
        return wall

    def cast(rows: IntArray) -> tuple[FloatArray, FloatArray, IntArray]:
        """Thickness, start point and triangle of the rays that crossed a wall.

        Rays are cut at ``reach`` first: a wall found within it is thinner than any
        beyond, and ``reach`` is at least ``report_below_mm``, so the answers are those of
        uncut rays. Without such a wall the rays that missed are cast again, uncut.
        """
        starts = vertices[triangles[rows]].mean(axis=1)
        ways = -normals[rows]
        hits = caster.first_hits(starts, ways, min_distance=min_distance, max_distance=reach)
        crossed = counted(rows, hits)
        if not crossed.any():
            missed = np.flatnonzero(~np.isfinite(hits.distance))
            again = caster.first_hits(starts[missed], ways[missed], min_distance=min_distance)
            hits.distance[missed] = again.distance
            hits.triangle[missed] = again.triangle
            crossed = counted(rows, hits)
        return hits.distance[crossed], starts[crossed], rows[crossed]

    if face_ids is None:
        thickness, points, chosen = cast(spread(usable, max_samples))
    else:
        owners = face_ids[usable]
        order = np.argsort(owners, kind="stable")
        groups = np.split(usable[order], np.flatnonzero(np.diff(owners[order])) + 1)
        curved = [g for g in groups if len(g) and int(face_ids[g[0]]) in curved_faces]
        flat = [g for g in groups if len(g) and int(face_ids[g[0]]) not in curved_faces]
        rows = [spread(g, samples_per_face) for g in flat]
        rows += [spread(g, CURVED_FACE_SAMPLES) for g in curved]
        thickness, points, chosen = cast(np.concatenate(rows) if rows else usable[:0])
    if not len(thickness):
        return WallReport(None, None, ())
    best = int(np.argmin(thickness))
    thin: list[tuple[float, tuple[float, float, float], int | None]] = []
    below = np.flatnonzero(thickness < report_below_mm)
    for i in below[np.argsort(thickness[below])]:
        face = None if face_ids is None else int(face_ids[chosen[i]])
        if face is None and thin:
            break
        if face is not None and any(t[2] == face for t in thin):
            continue
        thin.append((float(thickness[i]), _point(points[i]), face))
    return WallReport(float(thickness[best]), _point(points[best]), tuple(thin))


def _point(values: FloatArray) -> tuple[float, float, float]:
    x, y, z = (float(v) for v in values)
    return (x, y, z)
