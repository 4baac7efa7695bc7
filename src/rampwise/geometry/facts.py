"""Plain facts of a part from numbers: oriented box, stock, removed volume, machined area.

Nothing here touches OpenCascade: the same functions serve B-rep tessellations and STL
meshes. Stock is the smallest standard plate, rectangular bar or round bar from
``catalog/stock_sizes.csv`` that contains the part with an allowance; a side that equals a
standard size is left as it comes from the mill and its faces are not machined.

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
from functools import cache

import numpy as np
import trimesh
from numpy.typing import NDArray

from rampwise.catalog import load_table
from rampwise.errors import InputError
from rampwise.geometry.models import Stock
from rampwise.geometry.tolerances import LINE_TOLERANCE_MM
from rampwise.validation import require_positive

FloatArray = NDArray[np.float64]

SIZE_MATCH_MM = LINE_TOLERANCE_MM
"""A part side within this of a standard size [mm] keeps the mill finish (no allowance)."""


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


@cache
def _stock_series() -> dict[str, tuple[tuple[float, str, str], ...]]:
    series: dict[str, list[tuple[float, str, str]]] = {}
    for row in load_table("stock_sizes"):
        series.setdefault(row["form"], []).append(
            (float(row["size_mm"]), row["designation"], row["source"])
        )
    return {form: tuple(sorted(sizes)) for form, sizes in series.items()}


def _standard(form: str, needed: float, allowance: float) -> tuple[float, str, str, bool] | None:
    """Smallest size of ``form`` that equals ``needed`` or exceeds it by both allowances."""
    for size, designation, source in _stock_series().get(form, ()):
        if abs(size - needed) <= SIZE_MATCH_MM:
            return size, designation, source, True
        if size >= needed + 2 * allowance:
            return size, designation, source, False
    return None


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
    """Smallest standard stock containing the part with allowance.

    Parameters
    ----------
    frames
        Candidate boxes of the part (axis-aligned and oriented) [mm].
    allowance_mm
        Allowance per side on sawn or faced dimensions [mm].
    turning_diameter_mm
        Largest diameter about the turning axis [mm], for a turnable part.
    turning_length_mm
        Length along the turning axis [mm].

    Returns
    -------
    StockChoice
        The stock of least volume; a ``block`` (box + allowance) when no standard size fits.

    Raises
    ------
    InputError
        If the allowance is negative or not finite.

    References
    ----------
    .. [1] ``catalog/stock_sizes.csv`` (rectangular bar 1/8 in then 1/4 in steps,
       dfmpartners raw-material sizes; round bar 1/8 in steps, focusedonmachining).
    """
    allowance = require_positive("allowance_mm", allowance_mm, allow_zero=True)
    options: list[StockChoice] = []
    for frame in frames:
        order = np.argsort(frame.sides)
        t, w, length = (float(frame.sides[i]) for i in order)
        sawn = length + 2 * allowance
        plate = _standard("plate", t, allowance)
        if plate is not None:
            size, designation, source, kept = plate
            options.append(
                StockChoice(
                    Stock(
                        form="plate",
                        designation=(
                            f"plate {designation} x {w + 2 * allowance:.1f} x {sawn:.1f} mm"
                        ),
                        size_mm=(size, w + 2 * allowance, sawn),
                        volume_mm3=size * (w + 2 * allowance) * sawn,
                        allowance_mm=allowance,
                        source=source,
                    ),
                    frame,
                    (int(order[0]),) if kept else (),
                )
            )
        thick, wide = _standard("rect_bar", t, allowance), _standard("rect_bar", w, allowance)
        if thick is not None and wide is not None:
            kept_axes = tuple(int(order[i]) for i, part in enumerate((thick, wide)) if part[3])
            options.append(
                StockChoice(
                    Stock(
                        form="rect_bar",
                        designation=f"bar {thick[1]} x {wide[1]} x {sawn:.1f} mm",
                        size_mm=(thick[0], wide[0], sawn),
                        volume_mm3=thick[0] * wide[0] * sawn,
                        allowance_mm=allowance,
                        source=thick[2],
                    ),
                    frame,
                    kept_axes,
                )
            )
        diameter = float(np.hypot(t, w)) if turning_diameter_mm is None else turning_diameter_mm
        bar_length = sawn if turning_length_mm is None else turning_length_mm + 2 * allowance
        round_bar = _standard("round_bar", diameter, allowance)
        if round_bar is not None:
            size, designation, source, kept = round_bar
            options.append(
                StockChoice(
                    Stock(
                        form="round_bar",
                        designation=f"round bar {designation} x {bar_length:.1f} mm",
                        size_mm=(size, bar_length),
                        volume_mm3=float(np.pi * size**2 / 4 * bar_length),
                        allowance_mm=allowance,
                        source=source,
                    ),
                    frame,
                    kept_diameter_mm=size if kept and turning_diameter_mm is not None else None,
                )
            )
        block = tuple(float(s) + 2 * allowance for s in sorted(frame.sides))
        options.append(
            StockChoice(
                Stock(
                    form="block",
                    designation="block {:.1f} x {:.1f} x {:.1f} mm (no standard size fits)".format(
                        *block
                    ),
                    size_mm=block,
                    volume_mm3=float(np.prod(block)),
                    allowance_mm=allowance,
                    source="part box + allowance on every side",
                ),
                frame,
            )
        )
    if not options:
        raise InputError("frames", "no box given to fit stock to")
    standard = [o for o in options if o.stock.form != "block"]
    return min(standard or options, key=lambda o: o.stock.volume_mm3)


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
