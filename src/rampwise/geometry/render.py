"""A picture of the part with its DFM findings marked, drawn headless with matplotlib.

The part's triangles are shaded by a fixed light; each finding with a location gets a
numbered marker coloured by severity, and the numbers are explained under the picture.

References
----------
.. [1] matplotlib ``mpl_toolkits.mplot3d.art3d.Poly3DCollection`` (Agg backend).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from mpl_toolkits.mplot3d.art3d import Poly3DCollection  # type: ignore[import-untyped]
from numpy.typing import NDArray

from rampwise.core.errors import InputError
from rampwise.geometry.models import FindingStatus, PartGeometry, Severity
from rampwise.geometry.raycast import triangle_normals

SEVERITY_COLOURS: Final = {
    Severity.CRITICAL: "#d62728",
    Severity.MAJOR: "#ff7f0e",
    Severity.MINOR: "#1f77b4",
}

MAX_TRIANGLES: Final = 20_000
"""Triangles drawn at most (an evenly spaced subset beyond it) [unitless]."""

_LIGHT: Final = np.array([0.4, -0.5, 0.77])


def render_part(
    vertices: NDArray[np.float64],
    triangles: NDArray[np.int64],
    geometry: PartGeometry,
    out: Path,
) -> Path:
    """Draw the part and its located findings to a PNG file.

    Parameters
    ----------
    vertices
        ``(n, 3)`` mesh vertices [mm].
    triangles
        ``(m, 3)`` vertex indices.
    geometry
        The analysis whose findings are marked.
    out
        PNG file to write.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    InputError
        If ``out`` does not end in ``.png`` or its folder does not exist.
    """
    if out.suffix.lower() != ".png":
        raise InputError("render", f"the picture is written as PNG; got {out.name!r}")
    if not out.parent.is_dir():
        raise InputError("render", f"folder {str(out.parent)!r} does not exist")
    if len(triangles) > MAX_TRIANGLES:
        triangles = triangles[np.linspace(0, len(triangles) - 1, MAX_TRIANGLES).astype(np.int64)]
    normals, _ = triangle_normals(vertices, triangles)
    shade = 0.35 + 0.6 * np.clip(normals @ (_LIGHT / np.linalg.norm(_LIGHT)), 0.0, 1.0)
    colours = np.column_stack((0.62 * shade, 0.68 * shade, 0.75 * shade, np.ones_like(shade)))
    located = [
        f
        for f in geometry.findings
        if f.location_mm is not None and f.status is FindingStatus.VIOLATED
    ]
    figure = plt.figure(figsize=(8, 8 if located else 7), dpi=110)
    axes: Any = figure.add_axes(
        (0.0, 0.22 if located else 0.0, 1.0, 0.74 if located else 0.95), projection="3d"
    )
    axes.add_collection3d(
        Poly3DCollection(
            vertices[triangles], facecolors=colours, edgecolors=colours, linewidths=0.3
        )
    )
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    span = np.maximum(high - low, 1e-6 * float((high - low).max() or 1.0))
    axes.set_xlim(low[0], low[0] + span[0])
    axes.set_ylim(low[1], low[1] + span[1])
    axes.set_zlim(low[2], low[2] + span[2])
    axes.set_box_aspect(tuple(float(v) for v in span), zoom=1.25)
    axes.view_init(elev=28, azim=-58)
    axes.set_axis_off()
    legend = []
    for number, finding in enumerate(located, start=1):
        assert finding.location_mm is not None
        x, y, z = finding.location_mm
        colour = SEVERITY_COLOURS[finding.severity]
        axes.scatter([x], [y], [z], s=90, c=colour, depthshade=False, edgecolors="white", zorder=10)
        axes.text(x, y, z, f" {number}", color=colour, fontsize=11, fontweight="bold", zorder=11)
        legend.append(
            (colour, f"{number}. {finding.severity.value}: {finding.actual} ({finding.rule})")
        )
    sx, sy, sz = geometry.bbox_mm
    title = f"{Path(geometry.file).name}: {sx:.1f} x {sy:.1f} x {sz:.1f} mm"
    if geometry.setups is not None:
        title += f", {len(geometry.holes)} holes, {geometry.setups} setup(s)"
    figure.suptitle(title, fontsize=11, y=0.99)
    for row, (colour, text) in enumerate(legend[:10]):
        figure.text(0.03, 0.19 - row * 0.018, text[:110], color=colour, fontsize=8)
    if len(legend) > 10:
        figure.text(0.03, 0.19 - 10 * 0.018, f"… and {len(legend) - 10} more", fontsize=8)
    figure.savefig(out)
    plt.close(figure)
    return out
