"""File formats the geometry package reads, and mesh units.

References
----------
.. [1] NIST SP 811 (2008), Appendix B: 1 in = 25.4 mm exactly.
"""

from __future__ import annotations

from typing import Final

STEP_SUFFIXES: Final = (".stp", ".step")
"""Suffixes read as STEP (AP203, AP214, AP242)."""

MESH_FORMATS: Final = {".stl": "stl", ".obj": "obj", ".3mf": "3mf"}
"""Mesh suffix → trimesh file type."""

UNIT_SCALE_MM: Final = {"mm": 1.0, "in": 25.4, "m": 1000.0}
"""Millimetres per mesh unit [mm]."""
