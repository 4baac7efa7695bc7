"""AS9102 FAI workbook: Forms 1-3 through openpyxl, opened by LibreOffice headless.

The characteristics are those of the test project (seed 003 sensor housing): bore
12 ±0.005 mm (critical), sealing face Ra ≤ 0.8 µm.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from rampwise.app.cli import app
from rampwise.core.errors import InputError
from rampwise.core.model import Project
from rampwise.io.fai import fai_lines, load_fai_measurements, write_fai_workbook

MakeProject = Callable[..., Project]
runner = CliRunner()


def test_form_three_lines_with_results(make_project: MakeProject) -> None:
    """12.004 is inside 12 ±0.005 → pass; Ra 0.9 exceeds 0.8 → fail.

    The bore (a diameter of a hole, guessed from its name) is measured on the CMM: its
    ±3 µm bore gauge is under the 4:1 minimum of a 10 µm tolerance (gauges.csv).
    """
    lines = fai_lines(make_project(), {"1": [12.004], "Sealing face": [0.9]})
    rows = [(x.balloon, x.requirement, x.results, x.verdict, x.tool) for x in lines]
    assert rows == [
        (1, "Ø12 ±0.005 mm", (12.004,), "pass", "CMM"),
        (2, "Ra ≤ 0.8 µm", (0.9,), "fail", "profilometer"),
    ]
    assert lines[0].designator == "critical"


def test_unknown_measured_characteristic(make_project: MakeProject) -> None:
    with pytest.raises(InputError, match="no characteristic 'Slot'"):
        fai_lines(make_project(), {"Slot": [1.0]})


def test_measurements_file(tmp_path: Path) -> None:
    path = tmp_path / "fa.csv"
    path.write_text(
        "part,characteristic,value\nP1,1,12.001\nP1,2,0.5\nP2,1,12.1\n", encoding="utf-8"
    )
    assert load_fai_measurements(path) == {"1": (12.001,), "2": (0.5,)}
    path.write_text("characteristic,value\n1,abc\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_fai_measurements(path)
    assert caught.value.field == "measurements row 2"


def test_workbook_cells(make_project: MakeProject, tmp_path: Path) -> None:
    target = tmp_path / "fai.xlsx"
    summary = write_fai_workbook(make_project(), target, measurements={"1": [12.004], "2": [0.4]})
    assert summary.complete and summary.passed == 2 and summary.failed == 0
    book = load_workbook(target)
    assert book.sheetnames == ["Form 1", "Form 2", "Form 3"]
    form1 = {row[0]: row[1] for row in book["Form 1"].iter_rows(min_row=2, values_only=True)}
    assert form1["1. Part number"] == "T-1"
    assert form1["20. FAI complete"] == "yes"
    assert book["Form 2"]["A3"].value == "Al 6061-T6"
    form3 = list(book["Form 3"].iter_rows(min_row=3, values_only=True))
    assert form3[0][:7] == (
        1,
        "id 1: Bore",
        "critical",
        "Ø12 ±0.005 mm",
        "12.004",
        "pass",
        "CMM",
    )


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_opens_the_workbook(make_project: MakeProject, tmp_path: Path) -> None:
    """Convert every sheet to CSV headless and read the cells back."""
    target = tmp_path / "fai.xlsx"
    write_fai_workbook(make_project(), target, measurements={"1": [12.006]})
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path / "out"),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheets = {
        path.stem.removeprefix("fai-"): list(csv.reader(path.open(encoding="utf-8")))
        for path in (tmp_path / "out").glob("*.csv")
    }
    assert set(sheets) == {"Form 1", "Form 2", "Form 3"}
    assert sheets["Form 1"][1] == ["1. Part number", "T-1"]
    bore = sheets["Form 3"][2]
    # 12.006 is above 12.005: fail, and Form 1 records a nonconformance.
    assert bore[:7] == [
        "1",
        "id 1: Bore",
        "critical",
        "Ø12 ±0.005 mm",
        "12.006",
        "fail",
        "CMM",
    ]
    assert ["19. Does the FAIR contain a documented nonconformance?", "yes"] in sheets["Form 1"]


def test_inspect_command_json_and_fai(examples_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "fai.xlsx"
    result = runner.invoke(
        app,
        [
            "inspect",
            str(examples_dir / "sensor_housing_pilot.yaml"),
            "--stage",
            "low_volume",
            "--fai",
            str(target),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stderr

    data = json.loads(result.stdout)
    assert [p["part"] for p in data["plan"]["schedule"]] == [
        1,
        2,
        3,
        4,
        6,
        8,
        10,
        15,
        20,
        25,
        30,
        35,
        40,
    ]
    assert data["fai"]["path"] == str(target) and target.is_file()


def test_inspect_command_text_uses_the_assessed_stage(examples_dir: Path) -> None:
    result = runner.invoke(app, ["inspect", str(examples_dir / "sensor_housing_pilot.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "low-volume stage" in result.stdout
    assert "low_volume" not in result.stdout and "tiered_sampling" not in result.stdout


def test_inspect_bad_stage_exits_2(examples_dir: Path) -> None:
    result = runner.invoke(
        app, ["inspect", str(examples_dir / "sensor_housing_pilot.yaml"), "--stage", "beta"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: stage: must be one of prototype, low_volume")
