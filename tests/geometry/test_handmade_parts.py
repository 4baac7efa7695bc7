"""Parts built in the test with OpenCascade, whose features and findings are known by construction.

Each part is a box with cylinders and boxes cut out, written to STEP in ``tmp_path`` and
analysed like any file. Expected values are the construction dimensions; volumes are the
hand sums written next to them.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from OCP.BRepAlgoAPI import BRepAlgoAPI_Cut, BRepAlgoAPI_Fuse
from OCP.BRepPrimAPI import BRepPrimAPI_MakeBox, BRepPrimAPI_MakeCylinder
from OCP.gp import gp_Ax2, gp_Dir, gp_Pnt
from OCP.IFSelect import IFSelect_ReturnStatus
from OCP.ShapeUpgrade import ShapeUpgrade_UnifySameDomain
from OCP.STEPControl import STEPControl_StepModelType, STEPControl_Writer
from OCP.TopoDS import TopoDS_Shape

from rampwise.geometry import Limits, PartGeometry, Severity, analyze

pytestmark = pytest.mark.cad

IN_PROCESS = Limits(time_limit_s=None)


def box(x: float, y: float, z: float, dx: float, dy: float, dz: float) -> TopoDS_Shape:
    return BRepPrimAPI_MakeBox(gp_Pnt(x, y, z), dx, dy, dz).Shape()


def drill(
    part: TopoDS_Shape, x: float, y: float, top: float, diameter: float, depth: float
) -> TopoDS_Shape:
    """Cut a flat-bottomed hole down from z = top."""
    axis = gp_Ax2(gp_Pnt(x, y, top - depth), gp_Dir(0, 0, 1))
    tool = BRepPrimAPI_MakeCylinder(axis, diameter / 2, depth + 1.0).Shape()
    return BRepAlgoAPI_Cut(part, tool).Shape()


def cut(part: TopoDS_Shape, tool: TopoDS_Shape) -> TopoDS_Shape:
    return BRepAlgoAPI_Cut(part, tool).Shape()


def merged(shape: TopoDS_Shape) -> TopoDS_Shape:
    """Merge the coplanar faces a boolean union leaves (as a CAD system's export would)."""
    unifier = ShapeUpgrade_UnifySameDomain(shape, True, True, False)
    unifier.Build()
    return unifier.Shape()


def write_step(shape: TopoDS_Shape, path: Path) -> Path:
    writer = STEPControl_Writer()
    writer.Transfer(shape, STEPControl_StepModelType.STEPControl_AsIs)
    assert writer.Write(str(path)) == IFSelect_ReturnStatus.IFSelect_RetDone
    return path


def test_block(tmp_path: Path) -> None:
    """Block 100 x 60 x 40 mm with five holes, two sharp-cornered pockets and a 0.6 mm wall."""
    part = box(0, 0, 0, 100, 60, 40)
    part = drill(part, 15, 15, 40, 6.8, 40)  # through, 40/6.8 = 5.9 x D
    part = drill(part, 15, 45, 40, 10.0, 20)  # blind, flat bottom, 2 x D
    part = drill(part, 30, 45, 40, 3.0, 35)  # blind, 35/3 = 11.7 x D
    part = drill(part, 30, 15, 40, 6.6, 40)  # through ...
    part = drill(part, 30, 15, 40, 11.0, 6.5)  # ... with a Ø11 x 6.5 counterbore
    part = drill(part, 40, 52, 40, 7.77, 40)  # through, matches no catalog drill
    part = cut(part, box(50, 20, 25, 30, 20, 15))  # pocket 30 x 20, 15 deep
    part = cut(part, box(86, 10, 20, 13.4, 40, 20))  # pocket leaving a 0.6 mm wall at x = 100
    result = analyze(write_step(part, tmp_path / "block.step"), limits=IN_PROCESS)

    holes = {round(h.diameter_mm, 2): h for h in result.holes}
    assert sorted(holes) == [3.0, 6.6, 6.8, 7.77, 10.0]
    assert holes[3.0].depth_mm == pytest.approx(35) and not holes[3.0].through
    assert holes[3.0].bottom == "flat" and holes[3.0].axis == pytest.approx((0, 0, 1))
    assert holes[10.0].depth_mm == pytest.approx(20) and not holes[10.0].through
    assert holes[6.8].through and holes[6.8].depth_mm == pytest.approx(40)
    counterbore = holes[6.6].counterbore
    assert counterbore is not None
    assert (counterbore.diameter_mm, counterbore.depth_mm) == pytest.approx((11.0, 6.5))
    assert holes[6.8].standard_drill == "6.8 mm" and holes[7.77].standard_drill is None
    assert holes[10.0].entry_mm == pytest.approx((15, 45, 40))

    pockets = sorted((p for p in result.pockets if p.kind == "pocket"), key=lambda p: p.depth_mm)
    assert [(p.depth_mm, p.width_mm, p.length_mm) for p in pockets] == [
        pytest.approx((15, 20, 30)),
        pytest.approx((20, 13.4, 40)),
    ]
    sharp = [c for c in result.internal_corners if c.radius_mm == 0]
    assert Counter(round(c.depth_mm, 3) for c in sharp) == {15.0: 4, 20.0: 4}

    assert result.min_wall_mm == pytest.approx(0.6, abs=1e-6)
    assert result.min_wall_location_mm is not None
    assert 99.4 - 1e-6 <= result.min_wall_location_mm[0] <= 100 + 1e-6
    assert result.setups == 2 and result.unreachable_faces == 0
    assert set(result.setup_directions) == {(0.0, 0.0, 1.0), (0.0, 0.0, -1.0)}

    def disc(d: float, h: float) -> float:
        return math.pi * d**2 / 4 * h

    volume = (
        100 * 60 * 40
        - disc(6.8, 40)
        - disc(10, 20)
        - disc(3, 35)
        - disc(6.6, 40 - 6.5)
        - disc(11, 6.5)
        - disc(7.77, 40)
        - 30 * 20 * 15
        - 13.4 * 40 * 20
    )
    assert result.volume_mm3 == pytest.approx(volume, rel=1e-9)
    assert result.stock is not None and result.stock.form in {"plate", "rect_bar"}
    assert result.removed_volume_mm3 == pytest.approx(result.stock.volume_mm3 - volume)

    found = {(f.rule, f.severity) for f in result.violations}
    assert ("hole.depth_ratio_limit", Severity.CRITICAL) in found
    assert ("corner.sharp", Severity.CRITICAL) in found
    assert ("wall.metal", Severity.MAJOR) in found
    assert ("wall.workholding", Severity.MINOR) in found
    assert ("hole.non_standard", Severity.MINOR) in found
    deep = [f for f in result.violations if f.rule.startswith("hole.depth_ratio")]
    # 11.7 x D is reported once, as critical; 5.9, 6.1 and 5.1 x D as major.
    assert sorted((f.rule, f.actual.split(":")[1].strip()) for f in deep) == [
        ("hole.depth_ratio", "5.1 x D"),
        ("hole.depth_ratio", "5.9 x D"),
        ("hole.depth_ratio", "6.1 x D"),
        ("hole.depth_ratio_limit", "11.7 x D"),
    ]
    assert not any(f.rule.startswith("pocket.") for f in result.violations)


def test_deep_narrow_pocket_and_rounded_corners(tmp_path: Path) -> None:
    """A pocket 4 mm wide and 20 mm deep (5 x width) and a pocket with R2 corners 16 deep."""
    part = box(0, 0, 0, 80, 40, 30)
    part = cut(part, box(10, 5, 10, 60, 4, 20))
    # Rounded-rectangle pocket 30 x 14 with R2 corners: two boxes and four corner cylinders.
    tool = BRepAlgoAPI_Fuse(box(22, 20, 14, 26, 14, 17), box(20, 22, 14, 30, 10, 17)).Shape()
    for x, y in ((22, 22), (48, 22), (22, 32), (48, 32)):
        corner = BRepPrimAPI_MakeCylinder(gp_Ax2(gp_Pnt(x, y, 14), gp_Dir(0, 0, 1)), 2, 17).Shape()
        tool = BRepAlgoAPI_Fuse(tool, corner).Shape()
    part = merged(cut(part, tool))
    result = analyze(write_step(part, tmp_path / "pockets.step"), limits=IN_PROCESS)
    narrow = [p for p in result.pockets if p.width_mm == pytest.approx(4)]
    assert narrow and narrow[0].depth_mm == pytest.approx(20) and narrow[0].kind == "pocket"
    ratio = [f for f in result.violations if f.rule == "pocket.depth_ratio"]
    assert ratio and "5 x width" in ratio[0].actual.replace("5.0 x", "5 x")
    rounded = [c for c in result.internal_corners if c.radius_mm > 0]
    assert Counter((round(c.radius_mm, 3), round(c.depth_mm, 3)) for c in rounded) == {
        (2.0, 16.0): 4
    }
    wide = next(p for p in result.pockets if p.width_mm == pytest.approx(14))
    assert wide.corner_radius_mm == pytest.approx(2) and wide.depth_mm == pytest.approx(16)
    corners = [f for f in result.violations if f.rule == "corner.depth_ratio"]
    # 16 / 2 = 8 x radius, over the 4 x of the rule.
    assert (
        len(corners) == 1
        and "8.0 x radius" in corners[0].actual
        and corners[0].where.startswith("4 ×")
    )


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    length=st.floats(20, 200),
    width=st.floats(20, 200),
    thickness=st.floats(2, 30),
    diameter=st.floats(1, 15),
)
# Four rays on the hole saw only the long way to the edges; the 4.5 mm web was missed.
@example(length=27.0, width=20.0, thickness=5.0, diameter=11.0)
def test_plate_with_one_hole(
    tmp_path: Path, length: float, width: float, thickness: float, diameter: float
) -> None:
    """Any plate with one centred through hole: one hole of that size, volume by hand."""
    plate = box(0, 0, 0, length, width, thickness)
    plate = drill(plate, length / 2, width / 2, thickness, diameter, thickness)
    result = analyze(write_step(plate, tmp_path / "plate.step"), limits=IN_PROCESS)
    assert len(result.holes) == 1
    hole = result.holes[0]
    assert hole.diameter_mm == pytest.approx(diameter, abs=1e-6)
    assert hole.depth_mm == pytest.approx(thickness, abs=1e-6) and hole.through
    expected = length * width * thickness - math.pi * diameter**2 / 4 * thickness
    assert result.volume_mm3 == pytest.approx(expected, rel=1e-9)
    assert sorted(result.bbox_mm) == pytest.approx(sorted((length, width, thickness)), abs=1e-6)
    # Thinnest wall: the plate itself, or the web between hole and the nearer edge. The web
    # is sampled every 15° around the hole, so a ray may start up to 7.5° (plus one chord)
    # off the thinnest line; it then reads c / cos θ - r for centre distance c.
    centre = min(length, width) / 2
    web = centre - diameter / 2
    assert result.min_wall_mm is not None
    if thickness < web:
        assert result.min_wall_mm == pytest.approx(thickness, rel=1e-6)
    else:
        assert (
            web - 1e-6 <= result.min_wall_mm <= web + centre * (1 / math.cos(math.radians(15)) - 1)
        )


def test_turned_part_is_turnable(tmp_path: Path) -> None:
    """A stepped shaft Ø20 x 30 + Ø12 x 20 with an axial Ø5 hole: all of it revolved."""
    big = BRepPrimAPI_MakeCylinder(gp_Ax2(gp_Pnt(0, 0, 0), gp_Dir(0, 0, 1)), 10, 30).Shape()
    small = BRepPrimAPI_MakeCylinder(gp_Ax2(gp_Pnt(0, 0, 30), gp_Dir(0, 0, 1)), 6, 20).Shape()
    shaft = BRepAlgoAPI_Fuse(big, small).Shape()
    shaft = drill(shaft, 0, 0, 50, 5, 15)
    result: PartGeometry = analyze(write_step(shaft, tmp_path / "shaft.step"), limits=IN_PROCESS)
    assert result.turnable is True and result.revolved_area_share == pytest.approx(1.0)
    assert result.turning_axis == pytest.approx((0, 0, 1))
    assert result.stock is not None and result.stock.form == "round_bar"
    # Ø20 needs the next 1/8 in bar with 2 x 1 mm allowance: 7/8 in = 22.225 mm.
    assert result.stock.size_mm[0] == pytest.approx(22.225)
    assert {round(b.diameter_mm, 3) for b in result.bosses} == {20.0, 12.0}
