"""The geometric tolerance of the package and the tessellation settings built on it.

Kept apart from :mod:`rampwise.geometry.step` so that the OpenCascade-free modules (mesh,
facts, DFM rules, result models) can use the same numbers without loading the kernel.
"""

from __future__ import annotations

from typing import Final

GEOMETRIC_TOLERANCE_MM: Final = 1e-3
"""The one geometric tolerance [mm] of the package.

Two lengths closer than this are equal; two unit directions whose components differ by less
than it (≈ 1 mrad) are parallel; a junction whose normals differ by less than it (as a sine)
is tangent; it is also the fit tolerance when B-spline and revolved faces are recognised as
planes, cylinders and cones, and the precision shape healing works to. 1 µm is 10⁴ times
OpenCascade's ``Precision::Confusion()`` (1e-7 model units) and well under any machining
tolerance.

References
----------
.. [1] Open CASCADE Technology, ``Precision::Confusion()`` = 1e-7 (model units).
"""

LINE_TOLERANCE_MM: Final = 10 * GEOMETRIC_TOLERANCE_MM
"""Tolerance [mm] for axis lines, radii, touching extents and stock sizes of features.

Ten times the geometric tolerance, the 0.01 mm of ``research/cad.md`` §6: faces recognised
from B-splines carry axes fitted to about 1e-3 mm (NIST FTC 9 countersinks: gap 5.6e-4).
"""

MESH_DEFLECTION_RATIO: Final = 1e-3
"""Linear deflection of the tessellation as a fraction of the box diagonal [unitless].

0.1 % of the diagonal is the setting timed in ``research/cad.md`` §4.
"""

MESH_ANGULAR_DEFLECTION_RAD: Final = 0.5
"""Angular deflection of the tessellation [rad], as timed in ``research/cad.md`` §4."""
