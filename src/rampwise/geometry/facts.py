"""Plain facts of a part from numbers: oriented box, stock, removed volume, machined area.

Nothing here touches OpenCascade: the same functions serve B-rep tessellations and STL
meshes. Stock is the quote's (:func:`rampwise.core.stock.select_stock`): round bar about the
revolution axis for a mostly revolved part, else rectangular bar, plate or a block, fitted
to the smaller of the model-axis and oriented boxes; a side that equals a standard size is
left as it comes from the mill and its faces are not machined.

References
----------
.. [1] ``research/cad.md`` §5 check 1 (envelope, stock, removal ratio) and
   ``research/quoting.md`` §2.3 (bar and plate size series, allowance).
.. [2] J. O'Rourke, "Finding minimal enclosing boxes", International Journal of Computer
   and Information Sciences 14(3), 1985, pp. 183-199. doi:10.1007/BF00991005 (the
   oriented box here takes, as trimesh does, the boxes flush with a hull face).
.. [3] H. Freeman and R. Shapira, "Determining the minimum-area encasing rectangle for
   an arbitrary closed curve", Communications of the ACM 18(7), 1975, pp. 409-413.
   doi:10.1145/360881.360919
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import trimesh
from numpy.typing import NDArray
from scipy.spatial import QhullError

from rampwise.core.errors import InputError
from rampwise.core.stock import Stock, StockForm, select_stock
from rampwise.geometry.tolerances import LINE_TOLERANCE_MM, MESH_DEFLECTION_RATIO
from rampwise.geometry.vectors import cross3

FloatArray = NDArray[np.float64]

SIZE_MATCH_MM = LINE_TOLERANCE_MM
"""A triangle within this of a kept stock face [mm] lies on it (keeps the mill finish)."""


@dataclass(frozen=True)
class Frame:
    """A box frame: unit axes as rows, lower corner and side lengths in that frame."""

    axes: FloatArray
    low: FloatArray
    sides: FloatArray

    @property
    def volume(self) -> float:
        """Box volume [mm³]."""
        return float(np.prod(self.sides))


def axis_aligned_frame(points: FloatArray) -> Frame:
    """The model-axis box of a point set [mm]."""
    low, high = points.min(axis=0), points.max(axis=0)
    return Frame(np.eye(3), low, high - low)


def oriented_frame(points: FloatArray) -> Frame:
    """The smallest box of a point set flush with a face of its convex hull [2]_.

    The hull and the candidates are trimesh's (``trimesh.bounds.oriented_bounds``): the
    hull's face normals merged in 0.1 rad steps of their spherical angles. Each is ranked
    by a lower bound on its box volume, the hull's extent along the normal times the area of its
    shadow across it (half the sum of ``|A_f · n|`` over the hull's face area vectors;
    no rectangle holding the shadow is smaller), and a candidate's minimum-area rectangle
    is computed only while its bound is below the best box found (starting from the
    model-axis box) by more than :data:`~rampwise.geometry.tolerances.MESH_DEFLECTION_RATIO`,
    the tessellation's own relative error. On a round part that is a fraction of the
    candidates trimesh measures one by one, and the box is never larger than trimesh's
    by more than that fraction.

    Parameters
    ----------
    points
        ``(n, 3)`` points [mm].

    Returns
    -------
    Frame
        Axes (rows, right-handed), lower corner in that frame, and sides [mm]; the
        model-axis box when no candidate is smaller than it.
    """
    aligned = axis_aligned_frame(points)
    try:
        hull = trimesh.convex.convex_hull(points, repair=True)
    except QhullError:  # flat or degenerate: the model-axis box is as good as any
        return aligned
    shell = _Shell(
        vertices=np.asarray(hull.vertices),
        normals=np.asarray(hull.face_normals),
        adjacency=np.asarray(hull.face_adjacency),
        shared_edges=np.asarray(hull.face_adjacency_edges),
    )
    area_vectors = np.asarray(hull.area_faces)[:, None] * shell.normals
    spherical = trimesh.util.vector_to_spherical(trimesh.util.vector_hemisphere(shell.normals))
    distinct = trimesh.grouping.unique_rows(spherical, digits=1)[0]  # type: ignore[no-untyped-call]
    candidates = trimesh.util.spherical_to_vector(spherical[distinct])
    heights = np.ptp(shell.vertices @ candidates.T, axis=0)
    bounds = heights * 0.5 * np.abs(area_vectors @ candidates.T).sum(axis=0)
    best_volume, best_axes = aligned.volume, aligned.axes
    for index in np.argsort(bounds):
        if bounds[index] >= best_volume * (1 - MESH_DEFLECTION_RATIO):
            break
        area, along = _shadow_rectangle(shell, candidates[index])
        if area * heights[index] < best_volume:
            across = cross3(candidates[index], along)
            best_volume = area * heights[index]
            best_axes = np.stack([along, across, candidates[index]])
    if best_volume >= aligned.volume:
        return aligned
    local = points @ best_axes.T
    low = local.min(axis=0)
    return Frame(best_axes, low, local.max(axis=0) - low)


@dataclass(frozen=True)
class _Shell:
    """A convex hull's arrays, read once (trimesh builds some of them on first access)."""

    vertices: FloatArray
    normals: FloatArray
    adjacency: NDArray[np.int64]
    """Pairs of faces sharing an edge."""
    shared_edges: NDArray[np.int64]
    """The vertex pair of each of those edges."""


def _shadow_rectangle(shell: _Shell, normal: FloatArray) -> tuple[float, FloatArray]:
    """The minimum-area rectangle of the hull's shadow across ``normal``.

    The shadow's outline is the hull's silhouette: the edges between a face turned
    towards ``normal`` and one turned away. The smallest enclosing rectangle of a convex
    polygon has a side along one of its edges [3]_, so each silhouette edge direction is
    tried against the silhouette's points.

    Returns
    -------
    tuple
        Rectangle area [mm²] and the unit direction of its side along an edge.
    """
    u = cross3(normal, np.eye(3)[int(np.argmin(np.abs(normal)))])
    u /= np.linalg.norm(u)
    plane = np.stack([u, cross3(normal, u)])
    facing = shell.normals @ normal > -1e-10
    edges = shell.shared_edges[facing[shell.adjacency[:, 0]] ^ facing[shell.adjacency[:, 1]]]
    outline = shell.vertices[np.unique(edges)] @ plane.T
    directions = (shell.vertices[edges[:, 1]] - shell.vertices[edges[:, 0]]) @ plane.T
    lengths = np.linalg.norm(directions, axis=1)
    directions = directions[lengths > 0] / lengths[lengths > 0, None]
    across = directions[:, ::-1] * np.array([-1.0, 1.0])
    areas = np.ptp(outline @ directions.T, axis=0) * np.ptp(outline @ across.T, axis=0)
    best = int(np.argmin(areas))
    return float(areas[best]), directions[best] @ plane


def face_type_histogram(kinds: Iterable[str]) -> dict[str, int]:
    """Faces per surface type, most frequent first."""
    return dict(Counter(kinds).most_common())


@dataclass(frozen=True)
class StockChoice:
    """The chosen stock and which box sides keep their mill finish.

    Attributes
    ----------
    stock
        The stock.
    frame
        The box frame the stock was fitted in.
    kept_axes
        Indices (into ``frame.axes``) whose two faces stay as-stock.
    kept_diameter_mm
        Turned diameter left as-stock (round bar of exactly the part's diameter).
    """

    stock: Stock
    frame: Frame
    kept_axes: tuple[int, ...] = ()
    kept_diameter_mm: float | None = None


def choose_stock(
    frames: Iterable[Frame],
    *,
    allowance_mm: float,
    turning_diameter_mm: float | None = None,
    turning_length_mm: float | None = None,
) -> StockChoice:
    """The stock of :func:`rampwise.core.stock.select_stock` for the part's boxes.

    A part with a turning diameter is cut from round bar about that axis when a standard
    bar holds it; otherwise each box (model-axis, oriented) gets its prismatic stock and
    the smallest standard one is taken (a block only when no standard size fits).

    Parameters
    ----------
    frames
        Candidate boxes of the part (axis-aligned and oriented) [mm].
    allowance_mm
        Allowance per side on sawn or faced dimensions [mm].
    turning_diameter_mm
        Largest diameter about the turning axis [mm], for a mostly revolved part.
    turning_length_mm
        Length along the turning axis [mm]; default the longest side of the first box.

    Returns
    -------
    StockChoice
        The stock, the box it was fitted in and the sides that keep the mill finish.

    Raises
    ------
    InputError
        If no box is given or the allowance is negative or not finite.

    References
    ----------
    .. [1] ``catalog/stock_sizes.csv`` via :mod:`rampwise.core.stock` (rectangular bar 1/8 in
       then 1/4 in steps, dfmpartners raw-material sizes; round bar 1/8 in steps,
       focusedonmachining).
    """
    boxes = list(frames)
    if not boxes:
        raise InputError("frames", "no box given to fit stock to")
    if turning_diameter_mm is not None:
        length = float(max(boxes[0].sides)) if turning_length_mm is None else turning_length_mm
        bar = select_stock(
            (turning_diameter_mm, turning_diameter_mm, length),
            allowance_mm=allowance_mm,
            round_bar=True,
            axis=2,
        )
        if bar.form is StockForm.ROUND_BAR:
            kept = bar.size_mm[0] if bar.mill_finish[0] else None
            return StockChoice(bar, boxes[0], kept_diameter_mm=kept)
    options = [_prismatic_choice(frame, allowance_mm) for frame in boxes]
    standard = [o for o in options if o.stock.form is not StockForm.BLOCK]
    return min(standard or options, key=lambda o: o.stock.volume_mm3)


def _prismatic_choice(frame: Frame, allowance_mm: float) -> StockChoice:
    """Prismatic stock of one box; the kept sides mapped back to the box's axes."""
    stock = select_stock(tuple(float(s) for s in frame.sides), allowance_mm=allowance_mm)
    order = np.argsort(frame.sides, kind="stable")  # select_stock sorts sides ascending
    kept = tuple(int(order[i]) for i, flag in enumerate(stock.mill_finish) if flag)
    return StockChoice(stock, frame, kept)


def as_stock_area(
    choice: StockChoice, centroids: FloatArray, normals: FloatArray, areas: FloatArray
) -> float:
    """Area of the part's surface left with the mill finish of its stock box [mm²].

    A triangle is as-stock when it lies on a kept side of the stock box: normal along that
    axis, centroid on the extreme plane. (A kept turned diameter is added by the caller,
    which knows the cylinders.)

    Parameters
    ----------
    choice
        The stock choice.
    centroids, normals, areas
        Per-triangle centroid [mm], outward unit normal, area [mm²].

    Returns
    -------
    float
        As-stock area [mm²].
    """
    kept = np.zeros(len(areas), dtype=bool)
    frame = choice.frame
    for axis_index in choice.kept_axes:
        axis = frame.axes[axis_index]
        level = centroids @ axis
        along = normals @ axis
        low = frame.low[axis_index]
        high = low + frame.sides[axis_index]
        kept |= (np.abs(level - low) <= SIZE_MATCH_MM) & (along <= -1 + SIZE_MATCH_MM)
        kept |= (np.abs(level - high) <= SIZE_MATCH_MM) & (along >= 1 - SIZE_MATCH_MM)
    return float(areas[kept].sum())
