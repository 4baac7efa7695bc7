"""Constants and builders shared by tests (importable as ``support``)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TODAY = date(2026, 11, 23)
"""Fixed assessment date so revision-age rules do not drift with the calendar."""

BASE_DOCUMENT: dict[str, Any] = {
    "project": "Test project",
    "part": {
        "number": "T-1",
        "revision": "A",
        "material": "Al 6061-T6",
        "envelope_mm": [60, 40, 25],
        "characteristics": [
            {"id": 1, "name": "Bore", "nominal": 12.0, "tolerance": "±0.005", "critical": True},
            {"id": 2, "name": "Sealing face", "kind": "roughness", "max": 0.8},
        ],
    },
    "quantity": 40,
    "purpose": "pilot_run",
}

READY_SECTIONS: dict[str, Any] = {
    "design": {
        "frozen": True,
        "material_locked": True,
        "finish_locked": True,
        "revisions": [{"rev": "A", "date": "2025-06-01"}],
    },
    "validation": {"function": True, "assembly": True, "material": True, "surface_finish": True},
    "demand": {"monthly": [100, 110, 95, 105, 100, 98]},
    "tolerance_review": {"done": True},
    "supplier": {"cpk": {1: 1.5}},
    "inspection_plan": {"fai": True, "in_process": True, "outgoing": True},
    "cost_target": {"unit_price": 1000.0, "at_quantity": 1000},
}


def build_document(ready: bool = False, **overrides: Any) -> dict[str, Any]:
    """A project document; ``ready`` adds sections that pass every readiness area."""
    document = copy.deepcopy(BASE_DOCUMENT)
    if ready:
        document.update(copy.deepcopy(READY_SECTIONS))
    for key, value in overrides.items():
        document[key] = value
    return document
