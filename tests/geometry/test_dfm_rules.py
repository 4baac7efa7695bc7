"""DFM rules as data: thresholds, severities, shop overrides and unverified checks.

Parts here are plain result models built by hand, so every expected finding follows from
the numbers written in the test and the thresholds of ``catalog/dfm_rules.csv``
(research/quoting.md §3.1: hole depth 4 x D recommended, 10 x D limit; walls 0.8 mm metal,
1.5 mm plastic; pocket depth 4 x width; seed 003: walls under 1.5 mm need soft workholding).
"""

from __future__ import annotations

import pytest

from rampwise.core.errors import InputError
from rampwise.geometry import (
    FindingStatus,
    Hole,
    PartGeometry,
    Pocket,
    Representation,
    Severity,
    ThinWall,
)
from rampwise.geometry.dfm import catalog_rules, check, recheck, rules


def part(**fields: object) -> PartGeometry:
    base: dict[str, object] = {
        "file": "hand.step",
        "format": "step",
        "representation": Representation.BREP,
        "units": "mm",
        "solids": 1,
        "bbox_mm": (50.0, 50.0, 50.0),
        "bbox_min_mm": (0.0, 0.0, 0.0),
        "obb_mm": (50.0, 50.0, 50.0),
        "volume_mm3": 100_000.0,
        "area_mm2": 15_000.0,
        "valid": True,
        "watertight": True,
        "setups": 1,
        "min_wall_mm": 5.0,
        "min_wall_location_mm": (0.0, 0.0, 0.0),
    }
    base.update(fields)
    return PartGeometry.model_validate(base)


def hole(
    diameter: float, depth: float, *, tapped: bool | None = False, drill: str | None = "x"
) -> Hole:
    return Hole(
        diameter_mm=diameter,
        depth_mm=depth,
        through=False,
        axis=(0.0, 0.0, 1.0),
        entry_mm=(diameter, depth, 0.0),
        bottom="flat",
        tapped=tapped,
        standard_drill=drill,
    )


def test_catalog_rules_have_sources_and_known_severities() -> None:
    table = catalog_rules()
    assert {r.rule for r in table} >= {
        "hole.depth_ratio",
        "hole.depth_ratio_limit",
        "wall.metal",
        "wall.plastic",
    }
    assert all(r.source and r.fix and r.expected for r in table)
    assert {r.severity for r in table} <= set(Severity)


def test_issue_example_hole_14_diameters_deep_is_critical_only() -> None:
    """Issue 5: "hole Ø3 depth 42 mm: 14×D, standard drills reach 4×D, 10×D is the
    practical limit"."""
    findings = check(part(holes=(hole(3.0, 42.0),)))
    deep = [f for f in findings if f.rule.startswith("hole.depth_ratio")]
    assert [(f.rule, f.severity) for f in deep] == [("hole.depth_ratio_limit", Severity.CRITICAL)]
    assert deep[0].actual == "hole Ø3 depth 42 mm: 14.0 x D"
    assert "10" in deep[0].expected and deep[0].fix


@pytest.mark.parametrize(
    ("depth", "rules_fired"),
    [(12.0, []), (15.0, ["hole.depth_ratio"]), (31.0, ["hole.depth_ratio_limit"])],
)
def test_hole_depth_thresholds(depth: float, rules_fired: list[str]) -> None:
    """Ø3: 12 mm = 4.0 x D (not over), 15 mm = 5 x D (major), 31 mm = 10.3 x D (critical)."""
    findings = check(part(holes=(hole(3.0, depth),)))
    assert [f.rule for f in findings if f.rule.startswith("hole.depth")] == rules_fired


def test_identical_holes_merge_into_one_finding() -> None:
    holes = tuple(hole(3.0, 15.0) for _ in range(3))
    holes = tuple(
        h.model_copy(update={"entry_mm": (float(i), 0.0, 0.0)}) for i, h in enumerate(holes)
    )
    findings = [f for f in check(part(holes=holes)) if f.rule == "hole.depth_ratio"]
    assert len(findings) == 1 and findings[0].where.startswith("3 ×")


def test_walls_metal_plastic_and_seed_003() -> None:
    """A 1.2 mm wall: fine in metal (>= 0.8) but seed 003 asks for soft workholding (< 1.5);
    in plastic it breaks the 1.5 mm rule."""
    thin = part(
        min_wall_mm=1.2,
        thin_walls=(ThinWall(thickness_mm=1.2, location_mm=(1.0, 2.0, 3.0), face_id=7),),
    )
    metal = {f.rule for f in check(thin, metal=True)}
    plastic = {f.rule for f in check(thin, metal=False)}
    assert metal == {"wall.workholding"}
    assert plastic == {"wall.plastic", "wall.workholding"}
    finding = next(f for f in check(thin, metal=False) if f.rule == "wall.plastic")
    assert finding.location_mm == (1.0, 2.0, 3.0) and "face 7" in finding.where


def test_overrides_change_threshold_severity_and_switch_rules_off() -> None:
    deep = part(holes=(hole(3.0, 15.0),))
    assert not [
        f for f in check(deep, overrides={"hole.depth_ratio": 6}) if f.rule == "hole.depth_ratio"
    ]
    changed = check(deep, overrides={"hole.depth_ratio": {"severity": "minor"}})
    assert next(f for f in changed if f.rule == "hole.depth_ratio").severity is Severity.MINOR
    off = check(deep, overrides={"hole.depth_ratio": {"enabled": False}})
    assert not [f for f in off if f.rule == "hole.depth_ratio"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hole.nope": 3}, "dfm_overrides"),
        ({"hole.depth_ratio": -1}, "dfm_overrides.hole.depth_ratio.threshold"),
        ({"hole.depth_ratio": "deep"}, "dfm_overrides.hole.depth_ratio.threshold"),
        ({"hole.depth_ratio": {"severity": "fatal"}}, "dfm_overrides.hole.depth_ratio.severity"),
        ({"hole.depth_ratio": {"colour": "red"}}, "dfm_overrides.hole.depth_ratio"),
    ],
)
def test_bad_overrides_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        rules(overrides)
    assert caught.value.field == field


def test_mesh_features_are_unverified_never_guessed() -> None:
    mesh = part(
        representation=Representation.MESH, setups=None, min_wall_mm=None, min_wall_location_mm=None
    )
    findings = check(mesh)
    assert findings and all(f.status is FindingStatus.UNVERIFIED for f in findings)
    families = {f.rule for f in findings}
    assert {"pocket.depth_ratio", "setups.count", "access.undercut"} <= families


def test_thread_rule_needs_the_model_or_pmi_to_say_tapped() -> None:
    """Thread depth 3 x D (Hubs): Ø6 tapped 24 deep = 4 x D breaks it; untapped holes do not,
    and holes nobody says anything about make one unverified finding."""
    findings = check(part(holes=(hole(6.0, 24.0, tapped=True), hole(5.0, 10.0, tapped=None))))
    thread = [f for f in findings if f.rule == "thread.depth_ratio"]
    assert {(f.status, f.actual.split(":")[0]) for f in thread} == {
        (FindingStatus.VIOLATED, "thread Ø6 24 mm long"),
        (FindingStatus.UNVERIFIED, "1 hole(s)"),
    }


def test_pockets_and_setups() -> None:
    deep_slot = Pocket(
        kind="slot",
        depth_mm=25.0,
        width_mm=5.0,
        length_mm=40.0,
        floor_area_mm2=200.0,
        axis=(0.0, 0.0, 1.0),
        location_mm=(0.0, 0.0, 0.0),
    )
    step = deep_slot.model_copy(update={"kind": "step"})
    findings = check(
        part(pockets=(deep_slot, step), setups=4, setup_directions=((0.0, 0.0, 1.0),) * 4)
    )
    rules_fired = [f.rule for f in findings]
    assert rules_fired.count("pocket.depth_ratio") == 1
    assert "setups.count" in rules_fired


def test_recheck_keeps_input_findings() -> None:
    from rampwise.geometry import Finding

    note = Finding(
        rule="input.units",
        severity=Severity.MINOR,
        status=FindingStatus.UNVERIFIED,
        expected="e",
        actual="a",
        where="w",
        fix="f",
        source="s",
    )
    thin = part(
        min_wall_mm=1.2,
        findings=(note,),
        thin_walls=(ThinWall(thickness_mm=1.2, location_mm=(0, 0, 0)),),
    )
    again = recheck(thin, metal=False)
    assert again.findings[0] == note or note in again.findings
    assert {f.rule for f in again.findings} >= {"input.units", "wall.plastic"}
