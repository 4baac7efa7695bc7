"""Plain facts of a part from numbers: oriented box, stock, removed volume, machined area.

Nothing here touches OpenCascade: the same functions serve B-rep tessellations and STL
meshes. Stock is the quote's (:func:`rampwise.stock.select_stock`): round bar about the
revolution axis for a mostly revolved part, else rectangular bar, plate or a block, fitted
to the smaller of the model-axis and oriented boxes; a side that equals a standard size is
left as it comes from the mill and its faces are not machined.

References
----------
.. [1] ``research/cad.md`` §5 check 1 (envelope, stock, removal ratio) and
   ``research/quoting.md`` §2.3 (bar and plate size series, allowance).
.. [2] J. O'Rourke, "Finding minimal enclosing boxes", International Journal of Computer
   and Information Sciences 14(3), 1985, pp. 183-199. doi:10.1007/BF00991005 (the
   oriented box here is trimesh's hull-based approximation of it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import trimesh
from numpy.typing import NDArray

from rampwise.errors import InputError
from rampwise.geometry.tolerances import LINE_TOLERANCE_MM
from rampwise.stock import Stock, StockForm, select_stock

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
    """The minimal oriented box of a point set, via trimesh's convex-hull method [2]_.

    Parameters
    ----------
    points
        ``(n, 3)`` points [mm].

    Returns
    -------
    Frame
        Axes (rows), lower corner in that frame, and sides [mm]; the model-axis box when
        the approximation is no smaller than it.
    """
    transform, extents = trimesh.bounds.oriented_bounds(points)  # type: ignore[no-untyped-call]
    rotation = np.asarray(transform)[:3, :3]
    local = points @ rotation.T
    oriented = Frame(rotation, local.min(axis=0), np.asarray(extents, dtype=np.float64))
    aligned = axis_aligned_frame(points)
    return oriented if oriented.volume < aligned.volume else aligned


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
    """The stock of :func:`rampwise.stock.select_stock` for the part's boxes.

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
    .. [1] ``catalog/stock_sizes.csv`` via :mod:`rampwise.stock` (rectangular bar 1/8 in
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
