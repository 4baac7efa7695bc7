"""The price-ladder chart: unit price per quantity break, stacked by price driver.

Top panel: the nine buckets of each break stacked to its unit price, with the stated
uncertainty band as an error bar; bottom panel: the same buckets as shares of the price,
so the shift from setup-driven to machining-driven prices is visible at any scale.
Drawn on a bare :class:`matplotlib.figure.Figure` (Agg canvas, no pyplot state).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from rampwise.core.errors import InputError
from rampwise.rules.cost import DRIVER_WORDS, Drivers
from rampwise.rules.quote import Quote

PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def plot_ladder(quote: Quote, path: str | Path, *, title: str | None = None) -> Path:
    """Write the ladder chart of a quote.

    Parameters
    ----------
    quote
        The quote to draw.
    path
        Output file: ``.png``, ``.svg`` or ``.pdf``.
    title
        Chart title; defaults to "Unit price by quantity".

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InputError
        If the suffix is not supported or the file cannot be written.
    """
    file = Path(path)
    if file.suffix.lower() not in PLOT_SUFFIXES:
        raise InputError("--plot", f"must end in {', '.join(PLOT_SUFFIXES)}; got {file.name!r}")
    cur = quote.currency
    labels = [f"{b.quantity:,}" for b in quote.breaks]
    x = np.arange(len(labels))
    names = list(Drivers.model_fields)
    values = np.array([[getattr(b.drivers, n) for b in quote.breaks] for n in names])
    units = np.array([b.unit_price for b in quote.breaks])
    shares = np.divide(values, units, out=np.zeros_like(values), where=units > 0)
    palette = colormaps["tab10"]

    fig = Figure(figsize=(10, 7.5), layout="constrained")
    price_ax, share_ax = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    price_bottom = np.zeros(len(labels))
    share_bottom = np.zeros(len(labels))
    for i, name in enumerate(names):
        colour = palette(i % palette.N)
        price_ax.bar(x, values[i], bottom=price_bottom, color=colour, label=DRIVER_WORDS[name])
        share_ax.bar(x, shares[i] * 100, bottom=share_bottom, color=colour)
        price_bottom += values[i]
        share_bottom += shares[i] * 100
    low = np.array([b.unit_price_low for b in quote.breaks])
    high = np.array([b.unit_price_high for b in quote.breaks])
    price_ax.errorbar(
        x, units, yerr=[units - low, high - units], fmt="none", ecolor="black", capsize=4
    )
    for xi, b in zip(x, quote.breaks, strict=True):
        price_ax.annotate(
            f"{b.unit_price:,.2f}\n{b.strategy.label}",
            (xi, b.unit_price_high),
            textcoords="offset points",
            xytext=(0, 4),
            ha="center",
            fontsize=7,
        )
    price_ax.set_ylabel(f"unit price [{cur}/piece]")
    price_ax.set_ylim(0, float(high.max()) * 1.25 if len(high) else 1.0)
    price_ax.set_title(
        title or f"Unit price by quantity ({quote.stage.value}, ±{quote.uncertainty.fraction:.0%})"
    )
    price_ax.legend(fontsize=8, ncols=3, loc="upper right")
    share_ax.set_ylabel("share of the price [%]")
    share_ax.set_ylim(0, 100)
    share_ax.set_xticks(x, labels)
    share_ax.set_xlabel("quantity [pieces]")
    try:
        fig.savefig(file, dpi=120)
    except OSError as err:
        raise InputError("--plot", f"cannot write {file}: {err.strerror or err}") from None
    return file
