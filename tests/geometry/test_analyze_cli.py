"""``rampwise analyze`` in-process, and bad files: one line on stderr and exit 2, never a crash.

Bad inputs are made in ``tmp_path``: an empty file, a truncated copy of a shared STEP file,
text with a ``.stp`` name, an open STL, and a 500 MB sparse file (refused by its size
before anything reads it).
"""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rampwise.app.cli import app
from rampwise.core.errors import GeometryError, InputError
from rampwise.geometry import Limits, analyze

pytestmark = pytest.mark.cad

runner = CliRunner()


def test_json_output(cad_dir: Path) -> None:
    result = runner.invoke(
        app, ["analyze", str(cad_dir / "nist_ftc_11_asme1_ap242-e1.stp"), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["units"] == "mm" and data["solids"] == 1
    assert data["bbox_mm"] == pytest.approx([63.0, 63.0, 3.0], abs=0.05)
    assert data["holes"][0]["diameter_mm"] == pytest.approx(32.0)
    assert data["turnable"] is True and len(data["characteristics"]) == 10
    assert result.stderr == ""


def test_summary_and_picture(cad_dir: Path, tmp_path: Path) -> None:
    picture = tmp_path / "part.png"
    result = runner.invoke(
        app, ["analyze", str(cad_dir / "featuretype.STEP"), "--render", str(picture)]
    )
    assert result.exit_code == 0, result.stderr
    assert "Holes" in result.stdout and "DFM findings" in result.stdout
    assert "hole.depth_ratio" in result.stdout
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_mesh_unit_option(cad_dir: Path) -> None:
    result = runner.invoke(
        app, ["analyze", str(cad_dir / "octagonal_pocket.stl"), "--unit", "m", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert sorted(data["bbox_mm"]) == pytest.approx([15.875, 164.715, 228.6], abs=0.01)
    assert data["units"] == "m"


def bad(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def one_error_line(arguments: list[str]) -> str:
    result = runner.invoke(app, ["analyze", *arguments])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    return lines[0]


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in one_error_line([str(bad(tmp_path, "empty.step", b""))])


def test_text_named_step(tmp_path: Path) -> None:
    line = one_error_line([str(bad(tmp_path, "notes.stp", b"this is not a model\n"))])
    assert "not a STEP file" in line


def test_truncated_step(tmp_path: Path, cad_dir: Path) -> None:
    head = (cad_dir / "featuretype.STEP").read_bytes()[:60_000]
    assert "truncated" in one_error_line([str(bad(tmp_path, "cut.step", head))])


def test_header_only_step_is_rejected_by_the_reader(tmp_path: Path) -> None:
    text = b"ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\n#1=FOO(;\nENDSEC;\nEND-ISO-10303-21;\n"
    assert "STEP reader rejected" in one_error_line([str(bad(tmp_path, "broken.step", text))])


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    assert "unknown CAD format" in one_error_line([str(bad(tmp_path, "part.iges", b"x"))])
    assert "no such file" in one_error_line([str(tmp_path / "absent.step")])


def test_unit_is_for_meshes_only(cad_dir: Path) -> None:
    line = one_error_line([str(cad_dir / "featuretype.STEP"), "--unit", "in"])
    assert line.startswith("error: unit:")


def test_multi_body_needs_largest_solid(cad_dir: Path) -> None:
    assert "--largest-solid" in one_error_line([str(cad_dir / "box_sides.STEP")])


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.step"
    with huge.open("wb") as handle:
        handle.truncate(500 * 1024 * 1024)  # sparse: no disk is used
    assert "over the 200 MB limit" in one_error_line([str(huge)])
    assert "over the 100 MB limit" in one_error_line([str(huge), "--max-mb", "100"])


def test_open_stl_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    triangle = (
        b"solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
        b"vertex 0 1 0\nendloop\nendfacet\nendsolid t\n"
    )
    result = analyze(
        bad(tmp_path, "open.stl", triangle), unit="mm", limits=Limits(time_limit_s=None)
    )
    assert result.volume_mm3 is None and result.watertight is False
    finding = next(f for f in result.findings if f.rule == "input.open_mesh")
    assert finding.severity.value == "critical"


def test_time_limit_stops_the_worker(cad_dir: Path) -> None:
    with pytest.raises(GeometryError, match="time limit"):
        analyze(cad_dir / "nist_ftc_06_asme1_ap242-e1.stp", limits=Limits(time_limit_s=0.05))


def test_worker_returns_the_same_result(cad_dir: Path) -> None:
    path = cad_dir / "nist_ftc_11_asme1_ap242-e1.stp"
    forked = analyze(path, limits=Limits(time_limit_s=60))
    here = analyze(path, limits=Limits(time_limit_s=None))
    assert forked == here
    # and the other way round: an analysis made in this process first must not leave
    # state (a started kernel thread pool) that hangs the worker forked after it
    assert analyze(path, limits=Limits(time_limit_s=30)) == here


def test_answered_worker_exits_on_its_own(cad_dir: Path) -> None:
    """The caller does not wait for the worker's exit, but the worker still goes away."""
    before = {p.pid for p in multiprocessing.active_children()}
    analyze(cad_dir / "base_interface_AP214.STEP", limits=Limits(time_limit_s=60))
    deadline = time.monotonic() + 20
    while {p.pid for p in multiprocessing.active_children()} - before:
        assert time.monotonic() < deadline, "the analysis worker did not exit"
        time.sleep(0.05)


def test_worker_passes_user_errors_back(tmp_path: Path) -> None:
    with pytest.raises(GeometryError, match="not a STEP file"):
        analyze(bad(tmp_path, "x.step", b"hello"), limits=Limits(time_limit_s=30))


def test_bad_options(cad_dir: Path, tmp_path: Path) -> None:
    part = cad_dir / "nist_ftc_11_asme1_ap242-e1.stp"
    with pytest.raises(InputError, match="render"):
        analyze(part, render=tmp_path / "picture.jpg")
    with pytest.raises(InputError, match="unit"):
        analyze(cad_dir / "plate_holes.STL", unit="furlong")
    assert one_error_line([str(part), "--time-limit", "0"]).startswith("error: --time-limit")
