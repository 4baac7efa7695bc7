"""The smallest standard stock that contains a part's envelope plus a machining allowance.

Pure functions over ``catalog/stock_sizes.csv`` (no CAD kernel), the one stock model and
selection of the quote and the geometry analysis. Stock is bought in standard
cross-sections and sawn to length:

- a turned part (``round_bar=True``) comes from the smallest round bar whose diameter
  holds the envelope's cross-section plus the allowance on each side;
- a prismatic part comes from the smallest rectangular bar whose thickness and width
  hold the two smaller envelope sides (bar is preferred: 6061 bar costs about half the
  $/lb of plate), else from plate of a standard thickness sawn to width and length,
  else from a custom block when even plate is too thin.

A part side that equals a standard size (within :data:`SIZE_MATCH_MM`) takes that size
without allowance: its faces keep the mill finish of the stock (``Stock.mill_finish``).
Sawn lengths and widths always get the allowance.

References
----------
.. [1] research/quoting.md §2.3: 6061 rectangular bar in 1/8 in steps to 1.5 in then
   1/4 in steps to 6 in (dfmpartners.com); round bar in 1/8 in steps, size up
   (focusedonmachining.com); ≥ 0.4 mm over the largest diameter (makerverse.com); bar
   ≈ ½ the $/lb of plate (Xometry blog).
.. [2] research/quoting.md §6 item 7: stock = bounding box + allowance, or the nearest
   standard bar / plate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.checks import require_positive
from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary

BLOCK_SOURCE = "no standard size of catalog/stock_sizes.csv fits: custom block, sides cut to size"

SIZE_MATCH_MM = 0.01
"""A part side within this of a standard size is that size, left as supplied [mm].

The 0.01 mm line tolerance of ``research/cad.md`` §6 (``LINE_TOLERANCE_MM`` of the
geometry package).
"""


class StockForm(Vocabulary):
    """Form in which stock is bought."""

    ROUND_BAR = (
        "round_bar",
        "Round bar",
        "Bar of a standard diameter, sawn to length: the blank of a turned part.",
    )
    RECT_BAR = (
        "rect_bar",
        "Rectangular bar",
        "Bar of a standard thickness and width, sawn to length: the first choice for a "
        "prismatic part.",
    )
    PLATE = (
        "plate",
        "Plate",
        "Plate of a standard thickness, sawn to width and length, when no bar holds the part.",
    )
    BLOCK = (
        "block",
        "Block",
        "A custom block cut to size, when no standard bar or plate holds the part.",
    )


class Stock(BaseModel):
    """The stock one part is cut from.

    Attributes
    ----------
    form
        ``round_bar``, ``rect_bar``, ``plate`` or ``block``.
    designation
        Readable size, e.g. ``"rect bar 1 1/8 in × 1 3/4 in × 62 mm"``.
    size_mm
        Thickness, width, length [mm]; diameter, length for round bar.
    volume_mm3
        Volume of the cut piece [mm³].
    allowance_mm
        Allowance added on each side [mm].
    source
        Where the size series comes from.
    mill_finish
        Per entry of ``size_mm``: the part keeps this dimension of the stock as supplied
        (a standard size equal to the part's), so its faces are not machined.
    """

    model_config = ConfigDict(frozen=True)

    form: StockForm
    designation: str
    size_mm: tuple[float, ...]
    volume_mm3: float
    allowance_mm: float
    source: str
    mill_finish: tuple[bool, ...] = ()

    @property
    def length_mm(self) -> float:
        """Sawn length of the piece [mm]."""
        return self.size_mm[-1]

    @property
    def cross_section_mm2(self) -> float:
        """Area of the cut face of the bar or plate piece [mm²]."""
        return self.volume_mm3 / self.length_mm


class _Size(BaseModel):
    model_config = ConfigDict(frozen=True)

    size_mm: float
    designation: str
    source: str


@cache
def stock_series() -> dict[StockForm, tuple[_Size, ...]]:
    """Standard sizes per form from ``catalog/stock_sizes.csv``, ascending [mm]."""
    series: dict[StockForm, list[_Size]] = {}
    for row in load_table("stock_sizes"):
        size = _Size(
            size_mm=float(row["size_mm"]), designation=row["designation"], source=row["source"]
        )
        series.setdefault(StockForm(row["form"]), []).append(size)
    return {form: tuple(sorted(sizes, key=lambda s: s.size_mm)) for form, sizes in series.items()}


def _standard(form: StockForm, side_mm: float, allowance_mm: float) -> tuple[_Size, bool] | None:
    """Smallest size of ``form`` that equals the side or holds it with both allowances.

    Returns the size and whether it is the side itself (kept as supplied), or ``None``
    when the series has no such size.
    """
    for size in stock_series().get(form, ()):
        if abs(size.size_mm - side_mm) <= SIZE_MATCH_MM:
            return size, True
        if size.size_mm >= side_mm + 2 * allowance_mm - 1e-9:
            return size, False
    return None


def round_axis(envelope_mm: Sequence[float]) -> int:
    """Index of the turning axis of an envelope: the side outside its closest pair.

    ``[20, 20, 140]`` turns about side 2; ``[80, 80, 10]`` (a disc) about side 2 too.

    Parameters
    ----------
    envelope_mm
        The three envelope sides [mm].
    """
    pairs = ((0, 1, 2), (0, 2, 1), (1, 2, 0))
    closest = min(pairs, key=lambda p: abs(envelope_mm[p[0]] - envelope_mm[p[1]]))
    return closest[2]


def _check_envelope(envelope_mm: Sequence[float]) -> tuple[float, float, float]:
    if len(envelope_mm) != 3 or any(
        isinstance(v, bool) or not isinstance(v, int | float) for v in envelope_mm
    ):
        raise InputError("envelope_mm", f"must be three lengths [mm]; got {list(envelope_mm)}")
    for value in envelope_mm:
        require_positive("envelope_mm", float(value))
    return float(envelope_mm[0]), float(envelope_mm[1]), float(envelope_mm[2])


def _mm(value: float) -> str:
    return f"{value:.0f}" if math.isclose(value, round(value)) else f"{value:.1f}"


def select_stock(
    envelope_mm: Sequence[float],
    *,
    allowance_mm: float,
    round_bar: bool = False,
    axis: int | None = None,
) -> Stock:
    """The smallest standard stock that contains the envelope plus the allowance.

    Parameters
    ----------
    envelope_mm
        Part envelope, three sides in any order [mm].
    allowance_mm
        Clean-up allowance on every side [mm] (``stock_allowance_mm`` of
        ``catalog/cost_defaults.csv`` or a shop's).
    round_bar
        True for a turned part: choose round bar first.
    axis
        Index (0–2) of the turning axis in ``envelope_mm``; ``None`` takes
        :func:`round_axis`.

    Returns
    -------
    Stock
        Round bar, rectangular bar, plate or (when nothing standard fits) a block; a side
        equal to a standard size is kept as supplied (``mill_finish``).

    Raises
    ------
    InputError
        If the envelope is not three finite lengths > 0, the allowance is negative, or
        ``axis`` is not 0, 1 or 2.

    References
    ----------
    .. [1] research/quoting.md §2.3 and §6 item 7 (see the module docstring).
    """
    envelope = _check_envelope(envelope_mm)
    allowance = require_positive("allowance_mm", allowance_mm, allow_zero=True)
    if round_bar:
        if axis is None:
            axis = round_axis(envelope)
        if axis not in (0, 1, 2):
            raise InputError("axis", f"must be 0, 1 or 2; got {axis!r}")
        length = envelope[axis] + 2 * allowance
        diameter = max(v for i, v in enumerate(envelope) if i != axis)
        round_bar_size = _standard(StockForm.ROUND_BAR, diameter, allowance)
        if round_bar_size is not None:
            bar, kept = round_bar_size
            volume = math.pi / 4 * bar.size_mm**2 * length
            return Stock(
                form=StockForm.ROUND_BAR,
                designation=f"round bar Ø{bar.designation} × {_mm(length)} mm",
                size_mm=(bar.size_mm, length),
                volume_mm3=volume,
                allowance_mm=allowance,
                source=bar.source,
                mill_finish=(kept, False),
            )
    return _prismatic_stock(envelope, allowance)


def _prismatic_stock(envelope: tuple[float, float, float], allowance: float) -> Stock:
    """Rectangular bar, else plate, else a block; sides in ascending order."""
    sides = sorted(envelope)
    thick, wide, long = (side + 2 * allowance for side in sides)
    bar_t = _standard(StockForm.RECT_BAR, sides[0], allowance)
    bar_w = _standard(StockForm.RECT_BAR, sides[1], allowance)
    if bar_t is not None and bar_w is not None:
        (size_t, kept_t), (size_w, kept_w) = bar_t, bar_w
        return Stock(
            form=StockForm.RECT_BAR,
            designation=f"rect bar {size_t.designation} × {size_w.designation} × {_mm(long)} mm",
            size_mm=(size_t.size_mm, size_w.size_mm, long),
            volume_mm3=size_t.size_mm * size_w.size_mm * long,
            allowance_mm=allowance,
            source=size_t.source,
            mill_finish=(kept_t, kept_w, False),
        )
    plate_size = _standard(StockForm.PLATE, sides[0], allowance)
    if plate_size is not None:
        plate, kept = plate_size
        return Stock(
            form=StockForm.PLATE,
            designation=f"plate {plate.designation} × {_mm(wide)} × {_mm(long)} mm",
            size_mm=(plate.size_mm, wide, long),
            volume_mm3=plate.size_mm * wide * long,
            allowance_mm=allowance,
            source=plate.source,
            mill_finish=(kept, False, False),
        )
    return Stock(
        form=StockForm.BLOCK,
        designation=f"block {_mm(thick)} × {_mm(wide)} × {_mm(long)} mm",
        size_mm=(thick, wide, long),
        volume_mm3=thick * wide * long,
        allowance_mm=allowance,
        source=BLOCK_SOURCE,
        mill_finish=(False, False, False),
    )
