"""``rampwise quote`` in-process: table, JSON contract, chart, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from rampwise.app.cli import app
from rampwise.rules.quote import Quote
from support import build_document

runner = CliRunner()

DRIVER_KEYS = {
    "programming",
    "setup",
    "fixture",
    "material",
    "machining",
    "finishing",
    "inspection",
    "scrap",
    "overhead_margin",
}


def _write(tmp_path: Path, name: str, document: Any) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_json_is_the_quote_contract(examples_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "quote",
            str(examples_dir / "sensor_housing_pilot.yaml"),
            "--qty",
            "1,10,100,1000",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    Quote.model_validate(data)
    assert list(data)[:4] == ["currency", "breaks", "strategies", "assumptions"]
    assert data["currency"] == "USD"
    assert [b["quantity"] for b in data["breaks"]] == [1, 10, 100, 1000]
    for b in data["breaks"]:
        assert {
            "quantity",
            "unit_price",
            "total_price",
            "lead_time_days",
            "strategy",
            "drivers",
        } <= set(b)
        assert set(b["drivers"]) == DRIVER_KEYS
        assert sum(b["drivers"].values()) == pytest.approx(b["unit_price"])
    assert [s["name"] for s in data["strategies"]] == [
        "vise",
        "soft_jaws",
        "conformal_support",
        "dedicated_fixture",
        "tooling_library",
        "hybrid_am",
    ]
    # a pilot run stays low volume at every quantity (its purpose decides), so every break
    # is priced on the low-volume plan
    assert {b["stage"] for b in data["breaks"]} == {"low_volume"}
    assert all(
        {"one_time_cost", "per_part_cost", "break_even_quantity"} <= set(s)
        for s in data["strategies"]
    )
    assert data["stage"] == "low_volume"  # from assess: pilot_run → low volume
    assert data["assumptions"] and result.stderr == ""


@pytest.mark.parametrize(
    "name",
    [
        "sensor_housing_pilot.yaml",  # low volume, milled, bore honed
        "shaft_function_test.yaml",  # prototype, turned
        "valve_body_production.yaml",
        pytest.param("ring_customer_testing.yaml", marks=pytest.mark.cad),  # CAD model only
    ],
)
def test_quote_prices_what_assess_prices(examples_dir: Path, name: str) -> None:
    """``quote --qty <project quantity>`` gives assess's price at that break: one pipeline."""
    path = str(examples_dir / name)
    assessed = runner.invoke(app, ["assess", path, "--json"])
    assert assessed.exit_code == 0, assessed.stderr
    assessment = json.loads(assessed.stdout)
    quantity = assessment["quantity"]
    expected = next(b for b in assessment["quote"]["breaks"] if b["quantity"] == quantity)
    quoted = runner.invoke(app, ["quote", path, "--qty", str(quantity), "--json"])
    assert quoted.exit_code == 0, quoted.stderr
    quote = json.loads(quoted.stdout)
    assert quote["stage"] == assessment["stage"]
    assert quote["machine_class"] == assessment["quote"]["machine_class"]
    assert quote["breaks"][0]["unit_price"] == pytest.approx(expected["unit_price"], rel=1e-12)
    assert quote["breaks"][0]["drivers"] == pytest.approx(expected["drivers"], rel=1e-12)


def test_table_shows_the_default_ladder(examples_dir: Path) -> None:
    result = runner.invoke(app, ["quote", str(examples_dir / "bracket_fit_check.yaml")])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "prototype" in out and "Workholding" in out and "Assumptions" in out
    # a fit check is a prototype at any quantity: every break on the prototype plan, held
    # in a plain vise (the strategies' names, not their keys)
    best = ("Vise", "Dedicated fixture")
    rows = [line.strip() for line in out.splitlines()]
    quantities = [row.split()[0] for row in rows if row.endswith(best)]
    assert quantities == ["1", "5", "10", "25", "50", "100", "250", "500", "1,000"]
    assert "moulding" in out  # the ladder reaches the 500 pcs cross-over


def test_plot_writes_a_png(examples_dir: Path, tmp_path: Path) -> None:
    chart = tmp_path / "ladder.png"
    result = runner.invoke(
        app,
        ["quote", str(examples_dir / "shaft_function_test.yaml"), "--plot", str(chart), "--json"],
    )
    assert result.exit_code == 0, result.stderr
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    json.loads(result.stdout)  # stdout holds nothing but the JSON


def test_shop_and_tier_options(examples_dir: Path, tmp_path: Path) -> None:
    shop = _write(tmp_path, "shop.yaml", {"margin_rate": 0.5})
    # a pilot run's stage does not hang on the gate, which the dearer shop's price moves
    project = str(examples_dir / "sensor_housing_pilot.yaml")
    plain = json.loads(runner.invoke(app, ["quote", project, "--qty", "10", "--json"]).stdout)
    dear = json.loads(
        runner.invoke(
            app,
            ["quote", project, "--qty", "10", "--json", "--shop", str(shop), "--tier", "expedite"],
        ).stdout
    )
    # margin 15 % → 50 %: every price × 1.5 / 1.15; the expedite tier × 1.5 on top
    # (lead_times.csv price_factor: the low end of the published 50–100 % rush markup)
    assert dear["breaks"][0]["unit_price"] == pytest.approx(
        plain["breaks"][0]["unit_price"] * 1.5 / 1.15 * 1.5
    )
    assert dear["tier"] == "expedite"
    assert dear["breaks"][0]["lead_time_days"] < plain["breaks"][0]["lead_time_days"]


@pytest.mark.parametrize(
    ("qty", "message"),
    [
        ("0", "error: --qty: must be a whole number ≥ 1; got 0"),
        ("-5", "error: --qty: must be a whole number ≥ 1; got -5"),
        ("2.5", "error: --qty: must be a whole number ≥ 1; got 2.5"),
        ("1,ten", "error: --qty: must be whole numbers separated by commas; got 'ten'"),
    ],
)
def test_bad_quantities_exit_2(examples_dir: Path, qty: str, message: str) -> None:
    result = runner.invoke(
        app, ["quote", str(examples_dir / "bracket_fit_check.yaml"), "--qty", qty]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(message)


def _error_line(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_unknown_names_exit_2(examples_dir: Path, tmp_path: Path) -> None:
    project = examples_dir / "bracket_fit_check.yaml"
    line = _error_line(["quote", str(project), "--machine", "mill_9axis"])
    assert line.startswith("error: machine: unknown machine class 'mill_9axis'; valid: mill_3axis")
    document = build_document()
    document["part"]["finish"] = "gold_plating"
    line = _error_line(["quote", str(_write(tmp_path, "f.yaml", document))])
    assert line.startswith("error: part.finish: unknown finish 'gold_plating'; valid:")
    document = build_document()
    document["part"]["material"] = "unobtainium"
    line = _error_line(["quote", str(_write(tmp_path, "m.yaml", document))])
    assert "unknown material 'unobtainium'" in line


def test_bad_shop_files_exit_2(examples_dir: Path, tmp_path: Path) -> None:
    project = str(examples_dir / "bracket_fit_check.yaml")
    unknown = _write(tmp_path, "u.yaml", {"labour_rates": {"welding": 50}})
    line = _error_line(["quote", project, "--shop", str(unknown)])
    assert line.startswith("error: shop.labour_rates: unknown key 'welding'; valid: setup")
    negative = _write(tmp_path, "n.yaml", {"machines": {"mill_3axis": {"rate_usd_per_h": -60}}})
    line = _error_line(["quote", project, "--shop", str(negative)])
    assert line == (
        "error: shop.machines.mill_3axis.rate_usd_per_h: must be a finite number ≥ 0; got -60.0"
    )


def test_bad_plot_suffix_exits_2(examples_dir: Path, tmp_path: Path) -> None:
    line = _error_line(
        [
            "quote",
            str(examples_dir / "bracket_fit_check.yaml"),
            "--plot",
            str(tmp_path / "ladder.txt"),
        ]
    )
    assert line.startswith("error: --plot: must end in .png, .svg, .pdf")
