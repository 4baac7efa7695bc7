"""Ray casting against a triangle mesh, in NumPy, for wall thickness and tool access.

A bounding-volume hierarchy is built level by level over the triangles (median split
along the longest axis of each node) and all rays descend it together, one level per
vectorised step; the rays reaching a leaf are tested against its triangles with the
Möller–Trumbore algorithm. The same caster serves B-rep tessellations and STL meshes, so
both report wall thickness the same way.

References
----------
.. [1] T. Möller and B. Trumbore, "Fast, minimum storage ray-triangle intersection",
   Journal of Graphics Tools 2(1), 1997, pp. 21-28. doi:10.1080/10867651.1997.10487468
.. [2] I. Wald, S. Boulos and P. Shirley, "Ray tracing deformable scenes using dynamic
   bounding volume hierarchies", ACM Transactions on Graphics 26(1), 2007.
   doi:10.1145/1189762.1206075 (median-split BVH, packet traversal).
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

NEAR_THINNEST: Final = 1.5
"""Curved faces within this factor of the thinnest first-pass wall are re-sampled [unitless]."""

CURVED_FACE_SAMPLES: Final = 24
"""Wall-thickness rays per curved face [unitless]: one per 15° around a full cylinder, so a
web beside a hole is measured within r·(1 − cos 7.5°) ≈ 0.9 % of the hole radius."""

BRUTE_FORCE_PAIRS: Final = 60_000
"""Below this many ray × triangle pairs every triangle is tested directly [unitless]."""

_EDGE_SLACK: Final = 1e-9
"""Barycentric slack [unitless] so a ray through a shared edge hits at least one triangle."""


@dataclass(frozen=True)
class RayHits:
    """The first hit of each ray.

    Attributes
    ----------
    distance
        ``(r,)`` distance to the first hit along the unit direction [mm]; ``inf`` on a miss.
    triangle
        ``(r,)`` index of the triangle hit first; ``-1`` on a miss.
    """

    distance: FloatArray
    triangle: IntArray


class RayCaster:
    """A triangle mesh prepared for many ray queries.

    Parameters
    ----------
    vertices
        ``(n, 3)`` vertex coordinates [mm].
    triangles
        ``(m, 3)`` vertex indices.

    Notes
    -----
    CAD tessellations cover planar faces with long slivers whose boxes overlap most of the
    part; triangles longer than an eighth of the box diagonal are therefore split (for the
    hierarchy only; hits still name the original triangle).
    """

    def __init__(self, vertices: FloatArray, triangles: IntArray) -> None:
        points = np.asarray(vertices, dtype=np.float64)
        faces = np.asarray(triangles, dtype=np.int64).reshape(-1, 3)
        diagonal = float(np.linalg.norm(np.ptp(points, axis=0))) if len(points) else 0.0
        self._normals, _ = triangle_normals(points, faces)
        points, faces, self._source = _split_long_triangles(points, faces, diagonal / 8.0)
        corners = points[faces]
        self._v0 = corners[:, 0]
        self._e1 = corners[:, 1] - corners[:, 0]
        self._e2 = corners[:, 2] - corners[:, 0]
        count = len(corners)
        self._depth = max(0, int(np.ceil(np.log2(max(count, 1) / LEAF_SIZE))))
        order = np.arange(count)
        centroids = corners.mean(axis=1)
        low, high = corners.min(axis=1), corners.max(axis=1)
        self._boxes_low: list[FloatArray] = []
        self._boxes_high: list[FloatArray] = []
        for level in range(self._depth + 1):
            bounds = self._bounds(count, level)
            segment = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
            self._boxes_low.append(np.minimum.reduceat(low[order], bounds[:-1], axis=0))
            self._boxes_high.append(np.maximum.reduceat(high[order], bounds[:-1], axis=0))
            if level == self._depth:
                break
            spread = self._boxes_high[-1] - self._boxes_low[-1]
            axis = np.argmax(spread, axis=1)[segment]
            key = centroids[order, axis]
            order = order[np.lexsort((key, segment))]
        self._order = order
        self._leaf_bounds = self._bounds(count, self._depth)

    @staticmethod
    def _bounds(count: int, level: int) -> IntArray:
        nodes = 1 << level
        return (np.arange(nodes + 1, dtype=np.int64) * count) // nodes

    def first_hits(
        self, origins: FloatArray, directions: FloatArray, *, min_distance: float
    ) -> RayHits:
        """Cast rays and return the first hit of each beyond ``min_distance``.

        Parameters
        ----------
        origins
            ``(r, 3)`` ray origins [mm].
        directions
            ``(r, 3)`` unit directions [unitless].
        min_distance
            Hits nearer than this are ignored [mm] (the surface a ray starts on).

        Returns
        -------
        RayHits
            Distance [mm] and triangle index of the first hit, ``inf``/``-1`` on a miss.
        """
        origins = np.asarray(origins, dtype=np.float64).reshape(-1, 3)
        directions = np.asarray(directions, dtype=np.float64).reshape(-1, 3)
        best = np.full(len(origins), np.inf)
        best_triangle = np.full(len(origins), -1, dtype=np.int64)
        if len(origins) == 0 or len(self._v0) == 0:
            return RayHits(best, best_triangle)
        with np.errstate(divide="ignore", invalid="ignore"):
            inverse = 1.0 / directions
        count = len(self._v0)
        if len(origins) * count <= BRUTE_FORCE_PAIRS:
            # A few rays: testing every triangle costs less than descending the tree.
            pair_rays = np.repeat(np.arange(len(origins)), count)
            pair_triangles = np.tile(np.arange(count), len(origins))
        else:
            pair_rays, pair_triangles = self._candidates(origins, inverse)
        distance = self._intersect(
            origins[pair_rays], directions[pair_rays], pair_triangles, min_distance
        )
        hit = np.isfinite(distance)
        pair_rays, pair_triangles, distance = pair_rays[hit], pair_triangles[hit], distance[hit]
        np.minimum.at(best, pair_rays, distance)
        winners = distance == best[pair_rays]
        best_triangle[pair_rays[winners]] = self._source[pair_triangles[winners]]
        return RayHits(best, best_triangle)

    def _candidates(self, origins: FloatArray, inverse: FloatArray) -> tuple[IntArray, IntArray]:
        """Ray/triangle pairs whose leaf box the ray meets, all rays descending together."""
        rays = np.arange(len(origins))
        nodes = np.zeros(len(origins), dtype=np.int64)
        for level in range(self._depth + 1):
            keep = _slab_test(
                origins[rays],
                inverse[rays],
                self._boxes_low[level][nodes],
                self._boxes_high[level][nodes],
            )
            rays, nodes = rays[keep], nodes[keep]
            if level < self._depth:
                rays = np.repeat(rays, 2)
                nodes = np.stack((2 * nodes, 2 * nodes + 1), axis=1).ravel()
        starts = self._leaf_bounds[nodes]
        sizes = self._leaf_bounds[nodes + 1] - starts
        pair_rays = np.repeat(rays, sizes)
        offsets = np.arange(len(pair_rays)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        pair_triangles = self._order[np.repeat(starts, sizes) + offsets]
        return pair_rays, pair_triangles

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
        facing = self._normals[hits.triangle[found]]
        leaving[found] = np.einsum("ij,ij->i", facing, np.asarray(directions)[found]) > 0.0
        return leaving

    def _intersect(
        self,
        origins: FloatArray,
        directions: FloatArray,
        triangles: IntArray,
        min_distance: float,
    ) -> FloatArray:
        """Möller–Trumbore distance for ray/triangle pairs, ``inf`` where they miss [1]_."""
        e1, e2 = self._e1[triangles], self._e2[triangles]
        p = np.cross(directions, e2)
        det = np.einsum("ij,ij->i", p, e1)
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = 1.0 / det
            s = origins - self._v0[triangles]
            u = np.einsum("ij,ij->i", s, p) * inv
            q = np.cross(s, e1)
            v = np.einsum("ij,ij->i", directions, q) * inv
            t = np.einsum("ij,ij->i", e2, q) * inv
            inside = (u >= -_EDGE_SLACK) & (v >= -_EDGE_SLACK) & (u + v <= 1.0 + _EDGE_SLACK)
            inside &= (t > min_distance) & (np.abs(det) > 0.0)
        return np.where(inside, t, np.inf)


def _split_long_triangles(
    vertices: FloatArray, triangles: IntArray, limit: float
) -> tuple[FloatArray, IntArray, IntArray]:
    """Halve triangles across their longest edge until no edge is longer than ``limit``.

    Returns the new vertices, the new triangles and, per new triangle, its original index.
    """
    source = np.arange(len(triangles), dtype=np.int64)
    if limit <= 0.0:
        return vertices, triangles, source
    while True:
        corners = vertices[triangles]
        edges = np.linalg.norm(corners[:, [1, 2, 0]] - corners, axis=2)
        longest = edges.argmax(axis=1)
        too_long = edges.max(axis=1) > limit
        if not too_long.any():
            return vertices, triangles, source
        rows = triangles[too_long]
        pick = np.arange(len(rows))
        first = rows[pick, longest[too_long]]
        second = rows[pick, (longest[too_long] + 1) % 3]
        opposite = rows[pick, (longest[too_long] + 2) % 3]
        middle = np.arange(len(vertices), len(vertices) + len(rows))
        vertices = np.vstack((vertices, (vertices[first] + vertices[second]) / 2.0))
        triangles = np.vstack(
            (
                triangles[~too_long],
                np.stack((first, middle, opposite), axis=1),
                np.stack((middle, second, opposite), axis=1),
            )
        )
        source = np.concatenate((source[~too_long], source[too_long], source[too_long]))


def _slab_test(
    origins: FloatArray, inverse: FloatArray, low: FloatArray, high: FloatArray
) -> NDArray[np.bool_]:
    """True where a ray (forward half-line) meets an axis-aligned box."""
    with np.errstate(invalid="ignore"):
        t1 = (low - origins) * inverse
        t2 = (high - origins) * inverse
        near = np.where(np.isnan(t1), -np.inf, np.minimum(t1, t2))
        far = np.where(np.isnan(t2), np.inf, np.maximum(t1, t2))
    enter = near.max(axis=1)
    leave = far.min(axis=1)
    inside: NDArray[np.bool_] = (leave >= np.maximum(enter, 0.0)) & (leave >= 0.0)
    return inside


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


def _spread(rows: IntArray, count: int) -> IntArray:
    if len(rows) <= count:
        return rows
    return rows[np.linspace(0, len(rows) - 1, count).astype(np.int64)]


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
        The mesh prepared for ray queries.
    vertices
        ``(n, 3)`` vertex coordinates [mm].
    triangles
        ``(m, 3)`` vertex indices, counter-clockwise seen from outside.
    report_below_mm
        Faces thinner than this are listed in ``thin`` [mm].
    min_distance
        Hits nearer than this are the start surface itself [mm].
    face_ids
        ``(m,)`` B-rep face of each triangle; None for a plain mesh.
    curved_faces
        Faces sampled first like planes, then, where they come near the thinnest wall, at
        up to :data:`CURVED_FACE_SAMPLES` triangles (a web beside a hole is thinnest in one
        direction); other faces get ``samples_per_face`` evenly spread triangles.
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
    normals, areas = triangle_normals(vertices, triangles)
    usable = np.flatnonzero(areas > 0)
    limit = -np.cos(np.radians(opposition_deg))

    def cast(rows: IntArray) -> tuple[FloatArray, FloatArray, IntArray]:
        """Thickness, start point and triangle of the rays that crossed a wall."""
        starts = vertices[triangles[rows]].mean(axis=1)
        hits = caster.first_hits(starts, -normals[rows], min_distance=min_distance)
        crossed = np.isfinite(hits.distance)
        facing = np.einsum("ij,ij->i", normals[rows], normals[np.where(crossed, hits.triangle, 0)])
        crossed &= facing <= limit
        return hits.distance[crossed], starts[crossed], rows[crossed]

    if face_ids is None:
        thickness, points, chosen = cast(_spread(usable, max_samples))
    else:
        owners = face_ids[usable]
        order = np.argsort(owners, kind="stable")
        groups = np.split(usable[order], np.flatnonzero(np.diff(owners[order])) + 1)
        curved = [g for g in groups if len(g) and int(face_ids[g[0]]) in curved_faces]
        flat = [g for g in groups if len(g) and int(face_ids[g[0]]) not in curved_faces]
        rows = [_spread(g, samples_per_face) for g in flat + curved]
        thickness, points, chosen = cast(np.concatenate(rows) if rows else usable[:0])
        # Second pass: curved faces near the thinnest (or under the report limit) get
        # CURVED_FACE_SAMPLES rays, so a web beside a hole is measured where it is thinnest.
        if len(thickness):
            near = max(report_below_mm, NEAR_THINNEST * float(thickness.min()))
            thin_faces = set(face_ids[chosen[thickness <= near]].tolist())
            refine = [
                _spread(g, CURVED_FACE_SAMPLES) for g in curved if int(face_ids[g[0]]) in thin_faces
            ]
            if refine:
                extra = cast(np.concatenate(refine))
                thickness = np.concatenate((thickness, extra[0]))
                points = np.concatenate((points, extra[1]))
                chosen = np.concatenate((chosen, extra[2]))
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
