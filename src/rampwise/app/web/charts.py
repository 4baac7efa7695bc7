"""Inline SVG charts for the pages: price ladder, control chart, histogram.

Plain functions from numbers to an ``<svg>`` string, so the pages need no script and a
screen reader gets each chart's title and a one-line description. Colours meet WCAG AA
contrast on white; every series is also told apart by marker shape or line style, never
by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 80
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 40

INK = "#1f2933"
GRID = "#d9dee3"
SERIES = "#1d4ed8"
LIMIT = "#b42318"
CENTRE = "#3f6212"
SPEC = "#7e22ce"


class _Frame:
    """Maps data coordinates to the drawing area (linear or log₁₀ on either axis)."""

    def __init__(
        self,
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        *,
        log_x: bool = False,
        log_y: bool = False,
        floor_y: float | None = None,
        height: int = HEIGHT,
    ) -> None:
        self.log_x, self.log_y, self.height = log_x, log_y, height
        x0, x1 = (math.log10(v) for v in x_range) if log_x else x_range
        self.x0, self.x1 = (x0, x1) if x1 > x0 else (x0 - 0.5, x0 + 0.5)
        y0, y1 = (math.log10(v) for v in y_range) if log_y else y_range
        pad = (y1 - y0) * 0.08 if y1 > y0 else max(abs(y0) * 0.05, 1e-9)
        self.y0, self.y1 = y0 - pad, y1 + pad
        if floor_y is not None:
            self.y0 = floor_y

    def x(self, value: float) -> float:
        v = math.log10(value) if self.log_x else value
        span = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        return MARGIN_LEFT + (v - self.x0) / (self.x1 - self.x0) * span

    def y(self, value: float) -> float:
        v = math.log10(value) if self.log_y else value
        span = self.height - MARGIN_TOP - MARGIN_BOTTOM
        return MARGIN_TOP + (self.y1 - v) / (self.y1 - self.y0) * span

    def label(self, value: float) -> str:
        """A y value with the precision this axis resolves."""
        if self.log_y:
            return _number(value)
        return _on_scale(value, self.y1 - self.y0)

    def y_ticks(self) -> list[float]:
        """Round values for the y axis: 1-2-5 steps, or 1-2-5 per decade on a log axis."""
        if self.log_y:
            ticks = [
                m * 10.0**e
                for e in range(math.floor(self.y0), math.ceil(self.y1) + 1)
                for m in (1, 2, 5)
            ]
            return [t for t in ticks if self.y0 <= math.log10(t) <= self.y1]
        raw = (self.y1 - self.y0) / 5
        magnitude = 10.0 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
        first = math.ceil(self.y0 / step) * step
        return [first + i * step for i in range(int((self.y1 - first) / step) + 1)]


def _spaced(
    positions: Sequence[float], min_gap: float, *, last_gap: float | None = None
) -> list[int]:
    """Indices of positions to label, left to right, at least ``min_gap`` apart [px].

    With ``last_gap`` the last position is always labelled (the end of an axis says
    most), and labels closer than ``last_gap`` before it give way: it is drawn
    right-aligned, so it reaches further left than a centred label.
    """
    chosen: list[int] = []
    for i, x in enumerate(positions):
        if not chosen or x - positions[chosen[-1]] >= min_gap:
            chosen.append(i)
    if last_gap is not None and positions:
        last = len(positions) - 1
        while chosen and chosen[-1] != last and positions[last] - positions[chosen[-1]] < last_gap:
            chosen.pop()
        if not chosen or chosen[-1] != last:
            chosen.append(last)
    return chosen


DIGIT_EM = 1303 / 2048
"""Advance of a digit in DejaVu Sans, the sans-serif of Debian's Chromium [em]; a comma or
point is half as wide (651/2048 em)."""

FONT_PX = 12
"""Font size of the charts' text [px] (:func:`_svg`)."""

TICK_GAP_PX = 4
"""Least space between two axis labels [px]."""


def _text_px(text: str) -> float:
    """Width of a number as the charts print it [px]."""
    return sum(DIGIT_EM / (2 if ch in ",." else 1) for ch in text) * FONT_PX


def _axis_ticks(xs: Sequence[float], texts: Sequence[str]) -> list[tuple[int, str]]:
    """The axis labels to draw, ``(index, text-anchor)``, left to right, none overlapping.

    Labels are centred on their points, but one near the right edge ends there; the last
    point is always labelled (the largest quantity says most), and labels that would
    touch it give way.
    """

    def placed(i: int) -> tuple[str, float, float]:
        width = _text_px(texts[i])
        if xs[i] > WIDTH - MARGIN_RIGHT - 20:
            return "end", xs[i] - width, xs[i]
        return "middle", xs[i] - width / 2, xs[i] + width / 2

    chosen: list[int] = []
    for i in range(len(xs)):
        if not chosen or placed(i)[1] >= placed(chosen[-1])[2] + TICK_GAP_PX:
            chosen.append(i)
    last = len(xs) - 1
    while chosen and chosen[-1] != last and placed(chosen[-1])[2] + TICK_GAP_PX > placed(last)[1]:
        chosen.pop()
    if last >= 0 and (not chosen or chosen[-1] != last):
        chosen.append(last)
    return [(i, placed(i)[0]) for i in chosen]


def _on_scale(value: float, span: float) -> str:
    """A value with as many decimals as an axis spanning ``span`` needs (two digits of it)."""
    if span <= 0 or not math.isfinite(span):
        return _number(value)
    decimals = min(8, max(0, 2 - math.floor(math.log10(span))))
    return f"{value:,.{decimals}f}"


def _number(value: float) -> str:
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:,.4g}"


def _svg(title: str, description: str, body: list[str], *, height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        f'<g font-family="system-ui, sans-serif" font-size="{FONT_PX}" fill="{INK}">'
        + "".join(body)
        + "</g></svg>"
    )


def _y_axis(frame: _Frame, label: str) -> list[str]:
    parts = []
    for value in frame.y_ticks():
        y = frame.y(value)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{frame.label(value)}</text>"
        )
    middle = frame.height / 2
    parts.append(
        f'<text x="14" y="{middle:.0f}" transform="rotate(-90 14 {middle:.0f})" '
        f'text-anchor="middle">{escape(label)}</text>'
    )
    return parts


def price_ladder_svg(
    points: Sequence[tuple[int, float]], *, currency: str, target_quantity: int | None = None
) -> Markup:
    """Unit price against quantity (log scale): the price ladder of a quote.

    Parameters
    ----------
    points
        ``(quantity [pcs], unit_price [currency])`` per quantity break.
    currency
        Currency code for the axis label.
    target_quantity
        Quantity to mark (the cost target's), if any [pcs].
    """
    data = sorted((q, p) for q, p in points if q > 0 and math.isfinite(p))
    if not data:
        return Markup("")
    prices = [p for _, p in data]
    log_y = min(prices) > 0 and max(prices) / min(prices) > LOG_SCALE_RATIO
    frame = (
        _Frame((data[0][0], data[-1][0]), (min(prices), max(prices)), log_x=True, log_y=True)
        if log_y
        else _Frame((data[0][0], data[-1][0]), (0.0, max(prices)), log_x=True, floor_y=0.0)
    )
    scale = ", log scale" if log_y else ""
    body = _y_axis(frame, f"unit price [{currency}{scale}]")
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{frame.x(q):.1f},{frame.y(p):.1f}"
        for i, (q, p) in enumerate(data)
    )
    body.append(f'<path d="{path}" fill="none" stroke="{SERIES}" stroke-width="2"/>')
    xs = [frame.x(q) for q, _ in data]
    for x, (_, price) in zip(xs, data, strict=True):
        body.append(f'<circle cx="{x:.1f}" cy="{frame.y(price):.1f}" r="4" fill="{SERIES}"/>')
    edge = WIDTH - MARGIN_RIGHT - 30
    for i in _spaced(xs, 46, last_gap=60):
        anchor, dx, dy = "middle", 0, -9
        if xs[i] > edge:
            anchor, dx = "end", 4
        elif xs[i] < MARGIN_LEFT + 30:
            anchor, dx, dy = "start", 7, -1
        body.append(
            f'<text x="{xs[i] + dx:.1f}" y="{frame.y(data[i][1]) + dy:.1f}" '
            f'text-anchor="{anchor}">{_number(data[i][1])}</text>'
        )
    quantities = [f"{q:,}" for q, _ in data]
    for i, anchor in _axis_ticks(xs, quantities):
        body.append(
            f'<text x="{xs[i]:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="{anchor}">'
            f"{quantities[i]}</text>"
        )
    if target_quantity is not None and data[0][0] <= target_quantity <= data[-1][0]:
        x = frame.x(target_quantity)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{MARGIN_TOP}" '
            f'y2="{HEIGHT - MARGIN_BOTTOM}" stroke="{CENTRE}" stroke-dasharray="4 3"/>'
            + _target_label(x)
        )
    body.append(
        f'<text x="{(WIDTH + MARGIN_LEFT) / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">'
        "quantity [pcs, log scale]</text>"
    )
    cheapest = data[-1]
    description = (
        f"Unit price falls from {_number(data[0][1])} {currency} at {data[0][0]} pcs to "
        f"{_number(cheapest[1])} {currency} at {cheapest[0]} pcs."
    )
    return _svg("Price ladder", description, body)


TARGET_LABEL_PX = 96
"""Width of the words "target quantity" at the charts' font size [px]."""


def _target_label(x: float) -> str:
    """The words beside the target-quantity line; left of it near the right edge."""
    if x + 4 + TARGET_LABEL_PX > WIDTH - MARGIN_RIGHT:
        return (
            f'<text x="{x - 4:.1f}" y="{MARGIN_TOP + 12}" text-anchor="end" fill="{CENTRE}">'
            "target quantity</text>"
        )
    return f'<text x="{x + 4:.1f}" y="{MARGIN_TOP + 12}" fill="{CENTRE}">target quantity</text>'


LOG_SCALE_RATIO = 8.0
"""Prices spanning more than this factor are drawn on a log scale [unitless]."""

DRIVER_COLOURS = (
    "#1d4ed8",
    "#b42318",
    "#3f6212",
    "#7e22ce",
    "#b45309",
    "#0e7490",
    "#be185d",
    "#4b5563",
    "#854d0e",
    "#065f46",
)
"""Segment colours of the driver chart (the legend and a table name them too)."""


def drivers_svg(rows: Sequence[tuple[int, dict[str, float]]], *, currency: str) -> Markup:
    """Share of each price driver in the unit price, one 100 % bar per quantity break.

    Parameters
    ----------
    rows
        ``(quantity [pcs], {driver: contribution to the unit price [currency]})``.
    currency
        Currency code, for the description.
    """
    data = [(q, {k: v for k, v in d.items() if v > 0}) for q, d in rows if sum(d.values()) > 0]
    if not data:
        return Markup("")
    names = list(dict.fromkeys(name for _, drivers in data for name in drivers))
    colour = {name: DRIVER_COLOURS[i % len(DRIVER_COLOURS)] for i, name in enumerate(names)}
    label = {name: name.replace("_", " ") for name in names}
    bar_height, gap, top = 18, 8, MARGIN_TOP
    legend_rows = math.ceil(len(names) / 4)
    height = top + len(data) * (bar_height + gap) + 24 + legend_rows * 18
    span = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    body: list[str] = []
    for row, (quantity, drivers) in enumerate(data):
        y = top + row * (bar_height + gap)
        total = sum(drivers.values())
        body.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 13}" text-anchor="end">{quantity:,} pcs</text>'
        )
        x = float(MARGIN_LEFT)
        for name, value in drivers.items():
            width = value / total * span
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{max(width, 0.5):.1f}" height="{bar_height}" '
                f'fill="{colour[name]}"><title>{quantity:,} pcs · {escape(label[name])}: '
                f"{value / total:.0%}</title></rect>"
            )
            if width > 34:
                body.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 13}" text-anchor="middle" '
                    f'fill="#fff">{value / total:.0%}</text>'
                )
            x += width
    legend_top = top + len(data) * (bar_height + gap) + 12
    for i, name in enumerate(names):
        lx = MARGIN_LEFT + (i % 4) * (span / 4)
        ly = legend_top + (i // 4) * 18
        body.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{colour[name]}"/>'
            f'<text x="{lx + 16:.1f}" y="{ly + 10}">{escape(label[name])}</text>'
        )
    largest = {q: max(d, key=lambda k: d[k]) for q, d in data}
    description = (
        f"Price drivers per quantity break ({currency}): at {data[0][0]} pcs "
        f"{label[largest[data[0][0]]]} leads, at {data[-1][0]} pcs "
        f"{label[largest[data[-1][0]]]} leads."
    )
    return _svg("Price drivers", description, body, height=height)


def control_chart_svg(
    statistic: Sequence[float | None],
    *,
    title: str,
    axis_label: str,
    centre: Sequence[float | None],
    lower: Sequence[float | None],
    upper: Sequence[float | None],
    flagged: Sequence[int] = (),
) -> Markup:
    """One control chart: points, centre line, control limits, flagged points.

    Parameters
    ----------
    statistic
        Plotted value per point [unit of the statistic]; ``None`` is skipped.
    title
        Chart name (``"Individuals chart of Bore"``).
    axis_label
        The plotted statistic and its unit (``"I [mm]"``).
    centre, lower, upper
        Centre line and control limits per point [unit of the statistic].
    flagged
        1-based numbers of points a run rule flags (drawn as open red squares).
    """
    points = [(i + 1, v) for i, v in enumerate(statistic) if v is not None]
    if not points:
        return Markup("")
    known = [v for v in (*statistic, *lower, *upper, *centre) if v is not None]
    frame = _Frame((1.0, float(max(len(statistic), 2))), (min(known), max(known)))
    body = _y_axis(frame, axis_label)
    for series, colour, dash in (
        (upper, LIMIT, "6 3"),
        (lower, LIMIT, "6 3"),
        (centre, CENTRE, ""),
    ):
        steps = [(i + 1, v) for i, v in enumerate(series) if v is not None]
        if steps:
            path = " ".join(
                f"{'M' if k == 0 else 'L'}{frame.x(i):.1f},{frame.y(v):.1f}"
                for k, (i, v) in enumerate(steps)
            )
            body.append(
                f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.5" '
                f'stroke-dasharray="{dash}"/>'
            )
    for name, series in (("UCL", upper), ("CL", centre), ("LCL", lower)):
        last = next((v for v in reversed(series) if v is not None), None)
        if last is not None:
            colour = CENTRE if name == "CL" else LIMIT
            y = frame.y(last)
            body.append(
                f'<text x="{WIDTH - MARGIN_RIGHT - 2}" y="{y - 4:.1f}" text-anchor="end" '
                f'fill="{colour}">{name} {frame.label(last)}</text>'
            )
    path = " ".join(
        f"{'M' if k == 0 else 'L'}{frame.x(i):.1f},{frame.y(v):.1f}"
        for k, (i, v) in enumerate(points)
    )
    body.append(f'<path d="{path}" fill="none" stroke="{SERIES}" stroke-width="1.2"/>')
    marked = set(flagged)
    for i, v in points:
        x, y = frame.x(i), frame.y(v)
        if i in marked:
            body.append(
                f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="none" '
                f'stroke="{LIMIT}" stroke-width="2"/>'
            )
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{SERIES}"/>')
    body.append(
        f'<text x="{(WIDTH + MARGIN_LEFT) / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">'
        "point (subgroup or part, in production order)</text>"
    )
    description = f"{title}: {len(points)} points, {len(marked)} flagged by the run rules."
    return _svg(title, description, body)


def histogram_svg(
    values: Sequence[float | None],
    *,
    title: str,
    lsl: float | None = None,
    usl: float | None = None,
    unit: str = "",
    bins: int | None = None,
) -> Markup:
    """Histogram of measured values with the specification limits.

    Parameters
    ----------
    values
        Measured values [unit]; ``None`` is skipped.
    title
        Chart name.
    lsl, usl
        Specification limits [unit], drawn when given.
    unit
        Unit for the axis label.
    bins
        Number of bars; default √n, between 5 and 30 (a common rule of thumb).
    """
    data = [v for v in values if v is not None]
    if len(data) < 2:
        return Markup("")
    count = bins or max(5, min(30, round(math.sqrt(len(data)))))
    first, last = min(data), max(data)
    width = (last - first) / count or max(abs(first) * 1e-6, 1e-9)
    heights = [0] * count
    for v in data:
        heights[min(int((v - first) / width), count - 1)] += 1
    limits = [x for x in (lsl, usl) if x is not None]
    low, high = min([first, *limits]), max([last, *limits])
    pad = (high - low) * 0.04
    frame = _Frame((low - pad, high + pad), (0.0, float(max(heights))), floor_y=0.0)
    body = _y_axis(frame, "count")
    for k, h in enumerate(heights):
        x0, x1 = frame.x(first + k * width), frame.x(first + (k + 1) * width)
        y = frame.y(h)
        body.append(
            f'<rect x="{x0 + 0.5:.1f}" y="{y:.1f}" width="{max(x1 - x0 - 1, 0.5):.1f}" '
            f'height="{frame.y(0) - y:.1f}" fill="{SERIES}" fill-opacity="0.75"/>'
        )
    for name, limit in (("LSL", lsl), ("USL", usl)):
        if limit is not None:
            x = frame.x(limit)
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{MARGIN_TOP}" y2="{HEIGHT - MARGIN_BOTTOM}" '
                f'stroke="{SPEC}" stroke-width="2" stroke-dasharray="2 2"/>'
                f'<text x="{x:.1f}" y="{MARGIN_TOP + 10}" text-anchor="middle" fill="{SPEC}">'
                f"{name}</text>"
            )
    span = high - low
    for value in (low, (low + high) / 2, high):
        body.append(
            f'<text x="{frame.x(value):.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" '
            f'text-anchor="middle">{_on_scale(value, span)}</text>'
        )
    body.append(
        f'<text x="{(WIDTH + MARGIN_LEFT) / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">'
        f"{escape(f'value [{unit}]' if unit else 'value')}</text>"
    )
    description = (
        f"{title}: {len(data)} values from {_on_scale(first, span)} to {_on_scale(last, span)}."
    )
    return _svg(title, description, body)


__all__ = ["control_chart_svg", "drivers_svg", "histogram_svg", "price_ladder_svg"]
