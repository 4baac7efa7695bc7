"""Every shared part analysed, checked against its MANIFEST and against second methods.

Expected values come from ``../shared/cad/MANIFEST.md`` (boxes, solid and hole counts,
PMI contents measured there with cadquery-ocp 8.0.1 and, for the NIST models, the NIST
MBE PMI test-case definitions) and from ``../shared/research/cad.md`` §6 (hole counts of
CTC 1, featuretype and FTC 11). Volumes are checked against an independent computation:
trimesh's divergence-theorem volume of OpenCascade's tessellation vs the B-rep volume.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import trimesh

from rampwise.core.errors import GeometryError
from rampwise.geometry import PartGeometry, Representation, analyze
from rampwise.geometry.step import read_step, solid_faces, solid_volume, tessellate

pytestmark = pytest.mark.cad

Analysed = Callable[..., PartGeometry]

# name: (box sides [mm] as MANIFEST.md lists them, rounded to 0.1 mm, sorted; options)
MANIFEST_BOXES: dict[str, tuple[tuple[float, float, float], dict[str, object]]] = {
    "ANC101.stp": ((190.5, 201.5, 426.2), {}),
    "base_interface_AP214.STEP": ((4.8, 599.4, 638.7), {}),
    "featuretype.STEP": ((34.9, 63.5, 127.0), {}),
    "featuretype.STL": ((34.9, 63.5, 127.0), {"unit": "in"}),
    "M6-1x12-countersunk-screw.step": ((10.2, 10.4, 12.0), {}),
    "nist_ctc_01_asme1_ap242-e1.stp": ((150.0, 450.0, 800.0), {}),
    "nist_ctc_03_asme1_ap242-e2.stp": ((162.7, 303.0, 485.4), {}),
    "nist_ctc_05_asme1_ap242-e1.stp": ((482.6, 527.0, 558.8), {}),
    "nist_ftc_06_asme1_ap242-e1.stp": ((97.8, 247.7, 304.8), {}),
    "nist_ftc_08_asme1_ap242-e1-tg.stp": ((48.3, 222.7, 311.6), {}),
    "nist_ftc_09_asme1_ap242-e1.stp": ((3.0, 190.5, 279.4), {}),
    "nist_ftc_11_asme1_ap242-e1.stp": ((3.0, 63.0, 63.0), {}),
    "octagonal_pocket.stl": ((15.9, 164.7, 228.6), {"unit": "m"}),
    "plate_holes.STL": ((12.7, 203.2, 304.8), {"unit": "mm"}),
}

B_REP_FILES = [
    name
    for name in MANIFEST_BOXES
    if name.lower().endswith((".stp", ".step")) and "-tg" not in name
]


def test_every_shared_file_is_covered(cad_dir: Path) -> None:
    files = {p.name for p in cad_dir.iterdir() if p.suffix != ".md"}
    assert files == set(MANIFEST_BOXES) | {"box_sides.STEP"}


@pytest.mark.parametrize("name", sorted(MANIFEST_BOXES))
def test_box_matches_manifest(analysed: Analysed, name: str) -> None:
    """MANIFEST.md "measured (OCP)" box, to its 0.1 mm (rounding, so ±0.06 mm)."""
    expected, options = MANIFEST_BOXES[name]
    result = analysed(name, **options)
    assert sorted(result.bbox_mm) == pytest.approx(expected, abs=0.06)
    assert np.prod(result.obb_mm) <= np.prod(result.bbox_mm) * (1 + 1e-9)


@pytest.mark.parametrize("name", B_REP_FILES)
def test_brep_volume_agrees_with_mesh_volume(analysed: Analysed, cad_dir: Path, name: str) -> None:
    """Second method: trimesh volume of the tessellation (deflection 0.1 % of the diagonal).

    Every triangle lies within the deflection d of the exact surface, so the two volumes
    differ by at most area × d (hand bound: the shell between the surfaces).
    """
    result = analysed(name)
    model = read_step(cad_dir / name)
    solid = model.solids[0]
    faces = solid_faces(solid)
    diagonal = float(np.linalg.norm(result.bbox_mm))
    mesh = tessellate(solid, faces, diagonal)
    welded = trimesh.Trimesh(mesh.vertices, mesh.triangles, process=True)
    assert result.volume_mm3 == pytest.approx(abs(solid_volume(solid)), rel=1e-9)
    assert abs(abs(welded.volume) - result.volume_mm3) <= result.area_mm2 * mesh.deflection
    assert result.area_mm2 == pytest.approx(welded.area, rel=1e-2)


def test_manifest_volume_of_ctc1(analysed: Analysed) -> None:
    """research/cad.md §1: CTC 1 volume 14 644 823 mm³."""
    assert analysed("nist_ctc_01_asme1_ap242-e1.stp").volume_mm3 == pytest.approx(14_644_823, abs=1)


def test_featuretype_step_and_stl_agree(analysed: Analysed) -> None:
    """The same part as B-rep and as an inch STL: box, volume and through holes agree.

    The STL's genus is 9 (MANIFEST.md), the STEP's holes are 8 counterbored + 1 plain, all
    through (research/cad.md §6).
    """
    step = analysed("featuretype.STEP")
    stl = analysed("featuretype.STL", unit="in")
    assert sorted(stl.bbox_mm) == pytest.approx(sorted(step.bbox_mm), abs=0.01)
    assert stl.volume_mm3 == pytest.approx(step.volume_mm3, rel=5e-3)
    assert stl.genus == 9 == sum(h.through for h in step.holes)
    assert stl.representation is Representation.MESH and stl.holes == ()


def test_ctc1_holes_match_manifest(analysed: Analysed) -> None:
    """MANIFEST.md / research/cad.md §6: 10 holes, 4 x Ø35, 4 x Ø25, 2 x Ø20."""
    holes = analysed("nist_ctc_01_asme1_ap242-e1.stp").holes
    assert Counter(round(h.diameter_mm, 3) for h in holes) == {35.0: 4, 25.0: 4, 20.0: 2}


def test_featuretype_counterbored_holes(analysed: Analysed) -> None:
    """research/cad.md §6: 8 holes Ø6.756 with Ø11.112 counterbores + 1 Ø9.892 (inch file)."""
    holes = analysed("featuretype.STEP").holes
    counterbored = [h for h in holes if h.counterbore is not None]
    assert len(holes) == 9 and len(counterbored) == 8
    assert {round(h.diameter_mm, 3) for h in counterbored} == {6.756}
    assert {round(h.counterbore.diameter_mm, 2) for h in counterbored if h.counterbore} == {11.11}
    plain = next(h for h in holes if h.counterbore is None)
    assert plain.diameter_mm == pytest.approx(9.892, abs=1e-3)
    # Ø6.756 = 0.266 in, the ASME B94.11M letter drill "H".
    assert {h.standard_drill for h in counterbored} == {"H"}


def test_ftc9_countersinks_recognised_from_bspline(analysed: Analysed) -> None:
    """MANIFEST.md: FTC 9 has 29 holes; its 8 countersink faces are B-splines (cad.md §3.3)."""
    result = analysed("nist_ftc_09_asme1_ap242-e1.stp")
    assert len(result.holes) == 29
    countersunk = [h for h in result.holes if h.countersink is not None]
    assert len(countersunk) == 4
    assert all(
        h.countersink and h.countersink.angle_deg == pytest.approx(90, abs=0.1) for h in countersunk
    )
    assert result.face_types.get("bspline", 0) == 0


def test_ftc11_ring_is_turned_with_one_hole(analysed: Analysed) -> None:
    """MANIFEST.md: flat ring OD 63, ID 32, 3 mm thick, turned;
    PMI Ø32 ±0.3, Ø63 ±0.5, R1.5 ±0.04."""
    result = analysed("nist_ftc_11_asme1_ap242-e1.stp")
    assert [round(h.diameter_mm, 3) for h in result.holes] == [32.0]
    assert result.holes[0].through
    assert result.turnable is True and result.turning_axis is not None
    assert result.stock is not None and result.stock.form == "round_bar"
    sizes = {
        (c.kind.value, c.nominal, c.lower_deviation, c.upper_deviation)
        for c in result.characteristics
    }
    assert ("diameter", 32.0, -0.3, 0.3) in sizes
    assert ("diameter", 63.0, -0.5, 0.5) in sizes
    assert ("radius", 1.5, -0.04, 0.04) in sizes
    hole_links = [link for link in result.characteristic_links if link.hole_index == 0]
    linked = {c.id: c for c in result.characteristics}
    assert any(linked[link.characteristic_id].nominal == 32.0 for link in hole_links)


def test_ctc1_pmi(analysed: Analysed) -> None:
    """MANIFEST.md: 8 valued dims, 6 GD&T (2 position 0.75, profile 1.25 and 0.5,
    perpendicularity 1.5, flatness 0.2), datums A/B/C; research/cad.md §3.4: Ø20 +0.05/-0.1
    reads [0.1, 0.05] from OpenCascade, the lower sign restored here."""
    result = analysed("nist_ctc_01_asme1_ap242-e1.stp")
    assert result.pmi.semantic and result.pmi.dimensions == 8 and result.pmi.tolerances == 6
    assert result.pmi.datums == 3 and result.pmi.unresolved == 4
    geometric = Counter((c.kind.value, c.max) for c in result.characteristics if c.max is not None)
    assert geometric == {
        ("position", 0.75): 2,
        ("profile", 1.25): 1,
        ("profile", 0.5): 1,
        ("perpendicularity", 1.5): 1,
        ("flatness", 0.2): 1,
    }
    positions = [c for c in result.characteristics if c.kind.value == "position"]
    assert {c.datum for c in positions} == {"A|B|C"}
    twenty = {
        (c.lower_deviation, c.upper_deviation) for c in result.characteristics if c.nominal == 20.0
    }
    assert (-0.1, 0.05) in twenty
    # Every Ø35 size characteristic names the faces of a Ø35 hole.
    links = {link.characteristic_id: link for link in result.characteristic_links}
    for characteristic in result.characteristics:
        if characteristic.kind.value == "diameter" and characteristic.nominal == 35.0:
            hole = links[characteristic.id].hole_index
            assert hole is not None and result.holes[hole].diameter_mm == pytest.approx(35.0)


@pytest.mark.parametrize(
    ("name", "tolerances"),
    [
        ("nist_ctc_03_asme1_ap242-e2.stp", 12),
        ("nist_ctc_05_asme1_ap242-e1.stp", 10),
        ("nist_ftc_06_asme1_ap242-e1.stp", 27),
        ("nist_ftc_09_asme1_ap242-e1.stp", 31),
        ("nist_ftc_11_asme1_ap242-e1.stp", 4),
    ],
)
def test_gdt_counts_match_manifest(analysed: Analysed, name: str, tolerances: int) -> None:
    """MANIFEST.md PMI column: geometric tolerances per NIST model."""
    assert analysed(name).pmi.tolerances == tolerances


@pytest.mark.parametrize(
    ("name", "units"),
    [
        ("nist_ctc_01_asme1_ap242-e1.stp", "mm"),
        ("nist_ftc_09_asme1_ap242-e1.stp", "in"),
        ("featuretype.STEP", "in"),
        ("nist_ctc_05_asme1_ap242-e1.stp", "in"),
    ],
)
def test_declared_units(analysed: Analysed, name: str, units: str) -> None:
    """MANIFEST.md units column (OpenCascade converts inch files to mm on transfer)."""
    assert analysed(name).units == units


def test_tessellated_step_is_analysed_as_a_mesh(analysed: Analysed) -> None:
    """MANIFEST.md: FTC 8 -tg has triangles only;
    cad.md §3.3: volume -503 281 mm³ (sign flipped)."""
    result = analysed("nist_ftc_08_asme1_ap242-e1-tg.stp")
    assert result.representation is Representation.MESH
    assert result.holes == () and result.setups is None and result.pmi.semantic is False
    assert result.volume_mm3 == pytest.approx(503_281, rel=1e-4)
    rules = {f.rule for f in result.findings}
    assert {"input.tessellated", "input.open_mesh"} <= rules


def test_multi_body_file_is_refused_unless_asked(cad_dir: Path, analysed: Analysed) -> None:
    """MANIFEST.md: box_sides.STEP is 10 solids."""
    with pytest.raises(GeometryError, match="10 solids"):
        analyze(
            cad_dir / "box_sides.STEP",
            limits=analyze.__kwdefaults__["limits"].__class__(time_limit_s=None),
        )
    result = analysed("box_sides.STEP", largest_solid=True)
    assert result.solids == 10 and result.analysed_solid is not None
    assert any(f.rule == "input.multi_body" for f in result.findings)


def test_mesh_without_unit_reports_the_suspected_unit(analysed: Analysed) -> None:
    """MANIFEST.md: octagonal_pocket.stl is in metres, featuretype.STL in inches."""
    metres = analysed("octagonal_pocket.stl")
    inches = analysed("featuretype.STL")
    for result, unit in ((metres, "m"), (inches, "in")):
        finding = next(f for f in result.findings if f.rule == "input.units")
        assert f"--unit {unit}" in finding.fix
        assert not result.units_declared
        assert all(
            f.status.value == "unverified" for f in result.findings if f.rule.startswith("wall.")
        )


@pytest.mark.parametrize("name", sorted(MANIFEST_BOXES))
def test_json_contract_fields(analysed: Analysed, name: str) -> None:
    """Issue item 7: the fields the JSON must carry."""
    _, options = MANIFEST_BOXES[name]
    data = analysed(name, **options).model_dump(mode="json")
    for key in (
        "units",
        "bbox_mm",
        "volume_mm3",
        "area_mm2",
        "solids",
        "holes",
        "turnable",
        "setups",
        "characteristics",
        "findings",
        "removed_volume_mm3",
        "machined_area_mm2",
        "feature_count",
        "min_wall_mm",
    ):
        assert key in data
    for hole in data["holes"]:
        assert {"diameter_mm", "depth_mm", "through", "axis"} <= set(hole)
    for finding in data["findings"]:
        assert {"rule", "severity", "expected", "actual", "where", "fix"} <= set(finding)


def test_quote_inputs_read_off_the_result(analysed: Analysed) -> None:
    """What the quote and route read: removed volume, machined area, features, setups."""
    result = analysed("featuretype.STEP")
    assert result.stock is not None and result.volume_mm3 is not None
    assert result.removed_volume_mm3 == pytest.approx(result.stock.volume_mm3 - result.volume_mm3)
    assert result.machined_area_mm2 is not None
    assert 0 < result.machined_area_mm2 <= result.area_mm2
    assert result.feature_count == len(result.holes) + len(result.pockets) + len(result.bosses)
    counts = result.feature_counts()
    assert counts.holes == 9 and counts.setups == result.setups
    assert counts.thin_wall_mm == result.min_wall_mm
