"""Constants and builders shared by tests (importable as ``support``)."""

from __future__ import annotations

import copy
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHARED_FOLDERS = ("refdata", "cad")
"""Folders of ``SHARED`` the reference tests read: published data sets and public CAD parts."""
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


def in_ci() -> bool:
    """True on a CI runner: the ``CI`` environment variable is set (``CI=true``, ``CI=1``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def shared_folder(root: Path, *, folders: tuple[str, ...] = SHARED_FOLDERS) -> Path:
    """``root`` when it holds ``folders``; else the reference tests cannot run.

    On CI that is a failure (a missing checkout must not turn the reference tests into
    silent skips); elsewhere they are skipped, with a message naming the missing folder.
    """
    missing = (
        [root] if not root.is_dir() else [root / f for f in folders if not (root / f).is_dir()]
    )
    if not missing:
        return root
    names = ", ".join(str(m) for m in missing)
    message = (
        f"shared reference data not found: {names} (check out ../shared beside the repository)"
    )
    if in_ci():
        pytest.fail(
            f"{message}; CI is set, so the reference tests fail instead of skipping", pytrace=False
        )
    pytest.skip(message)


def stack_document(example: dict[str, Any]) -> dict[str, Any]:
    """A shared stack-up example (refdata/tolerance/stackups.json) in the stack-file format.

    Tolerances are written as ``[lower, upper]``; an open side of the requirement is left out.
    """
    requirement = {k: example["requirement"].get(k) for k in ("min", "max")}
    return {
        "name": example["id"],
        "unit": example["units"],
        "requirement": {k: v for k, v in requirement.items() if v is not None},
        "contributors": [
            {
                "name": link["name"],
                "nominal": link["nominal"],
                "tolerance": [link["lower_tol"], link["upper_tol"]],
                "direction": link["direction"],
                "distribution": {"type": "normal", "k": link["distribution"]["tol_equals_k_sigma"]},
            }
            for link in example["chain"]
        ],
    }
