"""Inline SVG charts: labels that do not collide, the target line's words inside the plot."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from rampwise.app.web.charts import WIDTH, price_ladder_svg

# The valve body's ladder: the default breaks plus its 2,000-piece order.
LADDER = [
    (1, 1192.84),
    (5, 266.44),
    (10, 148.36),
    (25, 75.98),
    (50, 51.85),
    (100, 39.39),
    (250, 31.40),
    (500, 27.74),
    (1000, 25.91),
    (2000, 25.00),
]


def _axis_labels(svg: str) -> list[tuple[float, str, str]]:
    """(x, anchor, text) of the quantity axis labels (the row below the plot)."""
    rows = re.findall(r'<text x="([\d.]+)" y="(\d+)" text-anchor="(\w+)">([\d,]+)</text>', svg)
    bottom = max(int(y) for _, y, _, _ in rows)
    return [(float(x), anchor, text) for x, y, anchor, text in rows if int(y) == bottom]


def test_the_last_quantity_is_labelled_and_its_neighbour_gives_way() -> None:
    """1,000 and 2,000 lie 0.3 decade apart (about 34 px): one label, the order's."""
    labels = _axis_labels(str(price_ladder_svg(LADDER, currency="USD", target_quantity=2000)))
    assert labels[-1][2] == "2,000" and "1,000" not in [text for _, _, text in labels]


@given(
    st.lists(st.integers(1, 100_000), min_size=2, max_size=12, unique=True).map(sorted),
)
def test_axis_labels_never_overlap(quantities: list[int]) -> None:
    ladder = [(q, 1000 / q + 10) for q in quantities]
    labels = _axis_labels(str(price_ladder_svg(ladder, currency="USD")))
    # DejaVu Sans at 12 px: a digit advances 1303/2048 em = 7.63 px, a comma 651/2048 em.
    extents = []
    for x, anchor, text in labels:
        width = sum(651 if ch == "," else 1303 for ch in text) / 2048 * 12
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        extents.append((left, left + width))
    assert labels[-1][2] == f"{quantities[-1]:,}"
    for (_, right), (left, _) in itertools.pairwise(extents):
        assert right <= left, labels


def test_the_target_words_stay_inside_the_chart() -> None:
    svg = str(price_ladder_svg(LADDER, currency="USD", target_quantity=2000))
    target = re.search(
        r'<text x="([\d.]+)" y="\d+"(?: text-anchor="(\w+)")? fill="[^"]+">target', svg
    )
    assert target is not None
    x, anchor = target.groups()
    # At the right edge the words end at the line instead of starting there.
    assert anchor == "end" and float(x) <= WIDTH
