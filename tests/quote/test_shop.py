"""Shop files override catalog figures; unknown keys and negative rates are refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rampwise.api import assess
from rampwise.app.cli import app
from rampwise.core.errors import InputError
from rampwise.core.model import find_material
from rampwise.core.shop import default_shop, shop_from_mapping
from rampwise.io.project_file import load_project
from rampwise.io.settings import get_settings
from rampwise.io.shop_file import load_shop, resolve_shop


def test_defaults_come_from_the_catalog() -> None:
    shop = default_shop()
    assert shop.machine("mill_3axis").rate_per_h == 65  # midpoint of 50–80 USD/h
    assert (shop.currency, shop.exchange_rates, shop.catalog_rate) == ("USD", {}, 1.0)
    assert shop.default("learning_rate") == 0.90
    assert shop.finish("Anodize").name == "anodize_type_ii"
    assert shop.material_price(find_material("6061")) == 4.0
    assert shop.overrides == ()


def test_every_kind_of_override() -> None:
    shop = shop_from_mapping(
        {
            "name": "Acme",
            "currency": "EUR",
            "exchange_rates": {"USD": 0.9},
            "overhead_rate": 0.3,
            "cost_defaults": {"margin_rate": 0.1},
            "labour_rates": {"setup": 40},
            "machines": {"lathe": {"rate_per_h": 90}},
            "materials": {"316L": {"price_per_kg": 9.5}},
            "finishes": {"hard anodize": {"days": 5}},
            "lead_times": {"queue_days": {"standard": 5}},
            "strategies": {"dedicated_fixture": {"fixture_material_cost": 180}},
            "removal_rates": {"steel": {"roughing_cm3_per_min": 15}},
            "am_materials": {"titanium": {"powder_price_per_kg": 350}},
        }
    )
    assert (shop.name, shop.currency) == ("Acme", "EUR")
    assert shop.default("overhead_rate") == 0.3 and shop.default("margin_rate") == 0.1
    assert shop.labour("setup") == 40  # the shop file's figures are in its currency
    assert shop.machine("lathe").rate_per_h == 90
    assert shop.material_price(find_material("SS 316L")) == 9.5
    assert shop.finish("anodize_type_iii").days == 5
    assert shop.lead("queue_days", "standard") == 5
    assert shop.strategy("dedicated_fixture", "fixture_material_cost") == 180
    assert shop.removal_rates["steel"].roughing_cm3_per_min == 15
    assert shop.am_powders["titanium"] == 350
    # 10 overrides: machines.csv no longer has a natural_it_grade column to override
    assert len(shop.overrides) == 10
    assert default_shop().labour("setup") == 32.5  # the catalog itself is untouched


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        ({"overhed_rate": 0.2}, "shop", "unknown key 'overhed_rate'"),
        (
            {"machines": {"mill_9axis": {"rate_usd_per_h": 1}}},
            "shop.machines.mill_9axis",
            "unknown machine class 'mill_9axis'",
        ),
        (
            {"machines": {"mill_3axis": {"rate": 1}}},
            "shop.machines.mill_3axis",
            "unknown key 'rate'",
        ),
        ({"finishes": {"gold": {"days": 1}}}, "shop.finishes.gold", "unknown finish 'gold'"),
        (
            {"materials": {"unobtainium": {"price_usd_per_kg": 1}}},
            "shop.materials.unobtainium",
            "unknown material 'unobtainium'",
        ),
        ({"labour_rates": {"setup": -5}}, "shop.labour_rates.setup", "≥ 0; got -5"),
        (
            {"machines": {"lathe": {"rate_usd_per_h": -1}}},
            "shop.machines.lathe.rate_usd_per_h",
            "≥ 0; got -1",
        ),
        ({"margin_rate": "lots"}, "shop.cost_defaults.margin_rate", "must be a number"),
        ({"learning_rate": 1.2}, "shop.cost_defaults.learning_rate", "(0, 1]"),
        ({"scrap_rate": 1.0}, "shop.cost_defaults.scrap_rate", "[0, 1)"),
        ({"default_setups": 2.5}, "shop.cost_defaults.default_setups", "whole number"),
        ({"labour_rates": [1, 2]}, "shop.labour_rates", "must be a mapping"),
        ([1, 2], "shop", "must be a mapping"),
    ],
)
def test_bad_shop_documents(document: Any, field: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        shop_from_mapping(document)
    assert caught.value.field == field
    assert message in caught.value.message


def test_yaml_and_toml_files(tmp_path: Path) -> None:
    yaml_file = tmp_path / "acme.yaml"
    yaml_file.write_text("overhead_rate: 0.25\nmachines: {edm: {rate_per_h: 110}}\n")
    toml_file = tmp_path / "acme.toml"
    toml_file.write_text("overhead_rate = 0.25\n[machines.edm]\nrate_per_h = 110\n")
    for file in (yaml_file, toml_file):
        shop = load_shop(file)
        assert shop.name == "acme"
        assert shop.default("overhead_rate") == 0.25
        assert shop.machine("edm").rate_per_h == 110


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.yaml", None, "not found"),
        ("shop.json", "{}", "must be .yaml, .yml or .toml"),
        ("bad.yaml", "a: [1,", "malformed YAML"),
        ("bad.toml", "a = ", "malformed TOML"),
    ],
)
def test_unreadable_shop_files(tmp_path: Path, name: str, text: str | None, message: str) -> None:
    file = tmp_path / name
    if text is not None:
        file.write_text(text)
    with pytest.raises(InputError, match=message):
        load_shop(file)


@pytest.fixture
def clear_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_rampwise_shop_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clear_settings: None
) -> None:
    file = tmp_path / "env_shop.yaml"
    file.write_text("margin_rate: 0.4\n")
    monkeypatch.setenv("RAMPWISE_SHOP", str(file))
    assert resolve_shop().default("margin_rate") == 0.4
    other = tmp_path / "flag.yaml"
    other.write_text("margin_rate: 0.1\n")
    assert resolve_shop(other).default("margin_rate") == 0.1  # --shop wins
    monkeypatch.delenv("RAMPWISE_SHOP")
    get_settings.cache_clear()
    assert resolve_shop() is default_shop()


def test_an_assessment_speaks_the_shops_currency(examples_dir: Path) -> None:
    """A shop quoting in EUR: the quote and the gate's inspection evidence both say EUR."""
    shop = shop_from_mapping({"name": "Acme", "currency": "EUR", "exchange_rates": {"USD": 0.92}})
    result = assess(load_project(examples_dir / "bracket_fit_check.yaml"), shop=shop)
    assert result.quote is not None and result.quote.currency == "EUR"
    (area,) = (a for a in result.readiness.areas if a.area.value == "inspection_plan")
    assert any(line.startswith("generated") and line.endswith(" EUR") for line in area.evidence)
    assert "USD" not in result.readiness.model_dump_json()


def test_the_inspect_command_prices_in_the_shops_currency(
    tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch, clear_settings: None
) -> None:
    file = tmp_path / "eur_shop.yaml"
    file.write_text("currency: EUR\nexchange_rates: {USD: 0.92}\n")
    monkeypatch.setenv("RAMPWISE_SHOP", str(file))
    result = CliRunner().invoke(app, ["inspect", str(examples_dir / "bracket_fit_check.yaml")])
    assert result.exit_code == 0, result.output
    assert "EUR/part" in result.stdout and "USD" not in result.stdout
