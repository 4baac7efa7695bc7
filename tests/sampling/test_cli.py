"""``rampwise sampling`` in-process: JSON contract, text view, plot, errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rampwise.app.cli import app

runner = CliRunner()


def test_json_contract_for_2400_at_1_0() -> None:
    """Issue contract: code_letter, sample_size, accept, reject, inspection, hundred_percent.
    K @ 1.0 normal (Z1.4 Table II-A) = n 125, Ac 3, Re 4."""
    result = runner.invoke(
        app, ["sampling", "--lot-size", "2400", "--aql", "1.0", "--level", "II", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {
        k: data[k]
        for k in ("code_letter", "sample_size", "accept", "reject", "inspection", "hundred_percent")
    } == {
        "code_letter": "K",
        "sample_size": 125,
        "accept": 3,
        "reject": 4,
        "inspection": "normal",
        "hundred_percent": False,
    }
    assert data["pa_at_aql"] == pytest.approx(0.96255, abs=5e-6)
    assert result.stderr == ""


def test_double_and_tightened_options() -> None:
    result = runner.invoke(
        app,
        [
            "sampling",
            "--lot-size",
            "2400",
            "--aql",
            "2.5",
            "--double",
            "--inspection",
            "tightened",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    stages = json.loads(result.stdout)["plan"]["stages"]
    # MIL-STD-105E Table III-B, K @ 2.5 (tightened s = 21): (80, 2/5), (80, 6/7).
    assert [(s["sample_size"], s["accept"], s["reject"]) for s in stages] == [
        (80, 2, 5),
        (80, 6, 7),
    ]


def test_hundred_percent_in_json() -> None:
    result = runner.invoke(app, ["sampling", "--lot-size", "5", "--aql", "0.65", "--json"])
    data = json.loads(result.stdout)
    assert data["hundred_percent"] is True and data["sample_size"] == 5


def test_history_switches_and_text_view(tmp_path: Path) -> None:
    history = tmp_path / "lots.csv"
    history.write_text("lot,nonconforming\nL1,4\nL2,0\nL3,5\n", encoding="utf-8")
    result = runner.invoke(
        app, ["sampling", "--lot-size", "2400", "--aql", "1.0", "--history", str(history)]
    )
    assert result.exit_code == 0, result.stderr
    assert "tightened" in result.stdout
    assert "2 of the last 3 lots not accepted" in result.stdout
    assert "n 125, Ac 2, Re 3" in result.stdout


def test_plot_writes_a_png(tmp_path: Path) -> None:
    target = tmp_path / "oc.png"
    result = runner.invoke(
        app, ["sampling", "--lot-size", "2400", "--aql", "1.0", "--plot", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lot-size", "0", "--aql", "1.0"], "error: lot_size: must be a whole number ≥ 1; got 0"),
        (
            ["--lot-size", "-3", "--aql", "1.0"],
            "error: lot_size: must be a whole number ≥ 1; got -3",
        ),
        (["--lot-size", "100", "--aql", "0.3"], "error: aql: must be one of 0.010, 0.015, 0.025"),
        (["--lot-size", "100", "--aql", "1", "--level", "IV"], "error: level: must be one of S-1"),
        (
            ["--lot-size", "100", "--aql", "1", "--inspection", "x"],
            "error: inspection: must be one of",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["sampling", *args, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(message)


def test_malformed_history_row_exits_2(tmp_path: Path) -> None:
    history = tmp_path / "lots.csv"
    history.write_text("lot,nonconforming\nL1,0\nL2,two\n", encoding="utf-8")
    result = runner.invoke(
        app, ["sampling", "--lot-size", "2400", "--aql", "1.0", "--history", str(history)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: history row 3: column 'nonconforming'")
