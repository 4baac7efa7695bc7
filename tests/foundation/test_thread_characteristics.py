"""Threads written in a project file: `{kind: thread, designation: M3x0.5-6H}` (issue 22)."""

from __future__ import annotations

from typing import Any

import pytest

from rampwise.core.errors import InputError
from rampwise.core.model import CharacteristicKind, Feature
from rampwise.io.project_file import project_from_mapping
from rampwise.rules.readiness import GateEvidence, tolerance_review
from support import TODAY, build_document


def _project(*characteristics: dict[str, Any], unit: str = "mm") -> Any:
    document = build_document(True)
    document["unit"] = unit
    document["part"]["characteristics"] = [
        {"id": 1, "name": "Bore", "nominal": 12.0, "tolerance": "±0.005", "critical": True},
        *characteristics,
    ]
    return project_from_mapping(document, today=TODAY)


def test_a_thread_reads_into_size_pitch_class_and_side() -> None:
    project = _project(
        {"id": 2, "name": "Tapped holes", "kind": "thread", "designation": "M3x0.5-6H", "count": 4}
    )
    thread = project.part.characteristics[1]
    assert thread.kind is CharacteristicKind.THREAD and thread.feature is Feature.HOLE
    assert thread.nominal == 3.0 and thread.count == 4 and thread.toleranced
    spec = thread.thread
    assert spec is not None
    assert (spec.pitch_mm, spec.tolerance_class, spec.internal) == (0.5, "6H", True)


def test_the_tolerance_review_accepts_a_thread_class() -> None:
    """Seed 003's housing lists M3 × 0.5 6H: its class is its tolerance (seed 004 area)."""
    project = _project({"id": 2, "name": "Thread", "kind": "thread", "designation": "M8-6H"})
    area = tolerance_review(project, GateEvidence())
    assert area.status.value == "pass"
    assert "0 without a limit" in area.evidence[0]


def test_an_inch_document_keeps_the_unified_designation() -> None:
    # 1/4-20 UNC-2B is unit-free: 6.35 mm, pitch 1.27 mm in any document
    project = _project(
        {"id": 2, "name": "Port", "kind": "thread", "designation": "1/4-20 UNC-2B"}, unit="in"
    )
    thread = project.part.characteristics[1]
    assert thread.nominal == pytest.approx(6.35)
    assert thread.thread is not None and thread.thread.pitch_mm == pytest.approx(1.27)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"kind": "thread"}, "designation", "needs its designation"),
        ({"kind": "thread", "designation": "M3x0.7-6H"}, "designation", "coarse pitch 0.5"),
        ({"tolerance": "M3x0.5-6H", "nominal": 3}, "tolerance", "write kind: thread"),
        (
            {"kind": "thread", "designation": "M3x0.5-6H", "tolerance": "±0.1"},
            "tolerance",
            "toleranced by the class",
        ),
        (
            {"kind": "thread", "designation": "M3x0.5-6H", "feature": "shaft"},
            "feature",
            "class 6H makes it a hole",
        ),
        ({"kind": "thread", "designation": "M3x0.5-6H", "nominal": 4}, "nominal", "leave nominal"),
        ({"kind": "thread", "designation": "M3x0.5-6H", "count": 0}, "count", ""),
    ],
)
def test_bad_threads_give_one_line_naming_the_field(
    fields: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        _project({"id": 2, "name": "Thread", **fields})
    assert caught.value.field == f"part.characteristics[1].{field}"
    assert words in caught.value.message
    assert "\n" not in str(caught.value)
