"""Currency is a unit: money is compared in one currency, through a rate the shop file gives.

A cost target in another currency than the shop's is converted at the shop file's
``exchange_rates`` before the gate compares it (the evidence shows both figures), or the
assessment is refused with one line naming both currencies and the key to set (CLI exit 2,
API 422). A shop quoting in another currency than the catalog's USD converts the catalog's
figures at its ``exchange_rates.USD`` or is refused. The shop file's money keys are
currency-neutral; the former ``*_usd*`` keys still load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rampwise.api import assess
from rampwise.app.cli import app
from rampwise.app.web import create_app
from rampwise.core.errors import InputError
from rampwise.core.model import AreaResult, AreaStatus, ReadinessArea
from rampwise.core.shop import ShopConfig, default_shop, shop_from_mapping
from rampwise.io.settings import get_settings
from rampwise.io.shop_file import load_shop
from rampwise.rules.readiness import GateEvidence, cost_target
from service_support import make_settings
from support import TODAY

REFUSAL = (
    "cost_target.currency: EUR target cannot be compared with USD quotes: give "
    "exchange_rates.EUR in the shop file"
)
"""The one-line refusal of a EUR target against a USD shop without a rate."""


def valve_body(examples_dir: Path, **target: Any) -> dict[str, Any]:
    """The production valve body (quoted 86.69 USD at 2,000 pcs) with another target."""
    document: dict[str, Any] = yaml.safe_load(
        (examples_dir / "valve_body_production.yaml").read_text(encoding="utf-8")
    )
    document["cost_target"] = {"at_quantity": 2000, **target}
    return document


def cost_area(document: dict[str, Any], shop: ShopConfig) -> AreaResult:
    result = assess(document, shop=shop, today=TODAY)
    (area,) = (a for a in result.readiness.areas if a.area is ReadinessArea.COST_TARGET)
    return area


@pytest.fixture
def clear_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No ``RAMPWISE_SHOP`` from the caller's environment; settings read afresh."""
    monkeypatch.delenv("RAMPWISE_SHOP", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# --------------------------------------------------------------------------------------
# A cost target in another currency
# --------------------------------------------------------------------------------------


def test_a_eur_target_is_converted_at_the_shop_files_rate(examples_dir: Path) -> None:
    # Hand calculation: 74.00 EUR × 1.08 USD/EUR = 79.92 USD. The production plan quotes
    # 78.40 USD at 2,000 pcs: under 79.92, so the target is met. Compared number to
    # number (the old code), 78.40 > 74.00 failed the area.
    shop = shop_from_mapping({"exchange_rates": {"EUR": 1.08}})
    document = valve_body(examples_dir, unit_price=74.00, currency="EUR")
    quoted = assess(document, shop=shop, today=TODAY).quote
    assert quoted is not None and 74.00 < quoted.at(2000).unit_price < 79.92
    area = cost_area(document, shop)
    assert area.status is AreaStatus.PASS
    assert area.evidence[0] == (
        "target 74.00 EUR at 2000 pcs = 79.92 USD at 1.08 USD per EUR "
        "(shop file exchange_rates.EUR)"
    )
    assert area.evidence[1] == (
        f"quoted {quoted.at(2000).unit_price:.2f} USD at 2000 pcs on the mass-production plan"
    )


def test_a_converted_target_can_still_fail(examples_dir: Path) -> None:
    # 74.00 EUR × 1.05 USD/EUR = 77.70 USD, under the 78.40 USD quote: 1 % over target.
    shop = shop_from_mapping({"exchange_rates": {"EUR": 1.05}})
    area = cost_area(valve_body(examples_dir, unit_price=74.00, currency="EUR"), shop)
    assert area.status is AreaStatus.FAIL
    assert area.evidence[0].startswith("target 74.00 EUR at 2000 pcs = 77.70 USD")
    assert area.action is not None and area.action.startswith("The quote is 1% over target")


def test_a_eur_target_without_a_rate_is_refused(examples_dir: Path) -> None:
    document = valve_body(examples_dir, unit_price=82.00, currency="eur")  # case ignored
    with pytest.raises(InputError) as caught:
        assess(document, shop=default_shop(), today=TODAY)
    assert str(caught.value) == REFUSAL
    assert caught.value.field == "cost_target.currency"


def test_the_cli_refuses_a_eur_target_without_a_rate_in_one_line(
    tmp_path: Path, examples_dir: Path, clear_settings: None
) -> None:
    project = tmp_path / "valve.yaml"
    project.write_text(
        yaml.safe_dump(valve_body(examples_dir, unit_price=82.00, currency="EUR")),
        encoding="utf-8",
    )
    for command in (["assess", str(project)], ["assess", str(project), "--json"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2
        assert result.stderr == f"error: {REFUSAL}\n"
        assert result.stdout == ""


def test_the_cli_converts_with_the_rate_of_rampwise_shop(
    tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch, clear_settings: None
) -> None:
    project = tmp_path / "valve.yaml"
    project.write_text(
        yaml.safe_dump(valve_body(examples_dir, unit_price=82.00, currency="EUR")),
        encoding="utf-8",
    )
    shop = tmp_path / "shop.yaml"
    shop.write_text("exchange_rates: {EUR: 1.08}\n", encoding="utf-8")
    monkeypatch.setenv("RAMPWISE_SHOP", str(shop))
    result = CliRunner().invoke(app, ["assess", str(project), "--json"])
    assert result.exit_code == 0, result.stderr
    assert "= 88.56 USD at 1.08 USD per EUR" in result.stdout


def test_the_api_answers_422_to_a_eur_target_without_a_rate(
    tmp_path: Path, examples_dir: Path, clear_settings: None
) -> None:
    document = json.loads(
        json.dumps(valve_body(examples_dir, unit_price=82.00, currency="EUR"), default=str)
    )  # as the API takes it: JSON values (dates as text)
    with TestClient(create_app(make_settings(tmp_path))) as client:
        response = client.post("/api/assess", json=document)
    assert response.status_code == 422
    assert response.json()["detail"] == REFUSAL
    assert response.json()["field"] == "cost_target.currency"


def test_the_gate_never_compares_two_currencies_as_numbers(make_project: Any) -> None:
    """The rule itself refuses a target in another currency when it is given no rate."""
    project = make_project(
        ready=True, cost_target={"unit_price": 10.0, "at_quantity": 1000, "currency": "EUR"}
    )
    with pytest.raises(InputError, match="EUR target cannot be compared with USD quotes"):
        cost_target(project, GateEvidence(quoted_unit_price=9.0, currency="USD"))
    converted = cost_target(
        project, GateEvidence(quoted_unit_price=9.0, currency="USD", target_rate=0.5)
    )
    assert converted.status is AreaStatus.FAIL  # 10 EUR × 0.5 USD/EUR = 5 USD < 9 USD
    # Without a currency for the quote, the quote is taken in the target's (as before).
    same = cost_target(project, GateEvidence(quoted_unit_price=9.0))
    assert same.status is AreaStatus.PASS
    assert same.evidence == ("target 10.00 EUR at 1000 pcs", "quoted 9.00 EUR at 1000 pcs")


def test_a_bad_target_currency_is_a_field_error(examples_dir: Path) -> None:
    with pytest.raises(InputError, match=r"cost_target\.currency: must be a three-letter"):
        assess(valve_body(examples_dir, unit_price=82.00, currency="euros"), today=TODAY)


# --------------------------------------------------------------------------------------
# A shop in another currency than the catalog's
# --------------------------------------------------------------------------------------


def test_a_eur_shop_without_a_usd_rate_is_refused() -> None:
    """Before: the catalog's USD figures were quoted as EUR, number for number."""
    with pytest.raises(InputError) as caught:
        shop_from_mapping({"currency": "EUR"})
    assert str(caught.value) == (
        "shop.exchange_rates.USD: the catalog's money figures are USD and this shop quotes "
        "in EUR: give exchange_rates.USD (EUR per 1 USD) in the shop file"
    )


def test_a_eur_shop_converts_the_catalogs_usd_figures() -> None:
    shop = shop_from_mapping(
        {"currency": "EUR", "exchange_rates": {"USD": 0.92}, "labour_rates": {"setup": 40}}
    )
    assert shop.catalog_rate == 0.92
    assert shop.machine("mill_3axis").rate_per_h == pytest.approx(65 * 0.92)  # 59.80 EUR/h
    assert shop.labour("programming") == pytest.approx(47.5 * 0.92)  # 43.70 EUR/h
    assert shop.labour("setup") == 40  # the shop file's own figure is EUR already
    assert shop.finish("anodize").price_per_part == pytest.approx(5 * 0.92)
    assert shop.finish("anodize").lot_minimum == pytest.approx(150 * 0.92)
    assert shop.strategy("dedicated_fixture", "fixture_material_cost") == pytest.approx(230)
    assert shop.strategy("dedicated_fixture", "fixture_machine_hours") == 4  # not money
    assert shop.strategy("hybrid_am", "machine_rate_per_h") == pytest.approx(130 * 0.92)
    assert shop.am_powders["titanium"] == pytest.approx(400 * 0.92)
    assert shop.default("learning_rate") == 0.90  # not money


def test_a_eur_shop_prices_every_figure_at_its_rate(examples_dir: Path) -> None:
    """Every money input scales by 0.92, so every price does; the first article too."""
    eur = shop_from_mapping({"currency": "EUR", "exchange_rates": {"USD": 0.92}})
    project = examples_dir / "valve_body_production.yaml"
    in_usd = assess(project, shop=default_shop(), today=TODAY)
    in_eur = assess(project, shop=eur, today=TODAY)
    assert in_usd.quote is not None and in_eur.quote is not None
    assert in_eur.quote.currency == in_eur.inspection.currency == "EUR"
    for usd_break, eur_break in zip(in_usd.quote.breaks, in_eur.quote.breaks, strict=True):
        assert eur_break.unit_price == pytest.approx(0.92 * usd_break.unit_price, rel=1e-12)
        assert eur_break.strategy == usd_break.strategy
    assert in_eur.inspection.total_cost == pytest.approx(0.92 * in_usd.inspection.total_cost)
    # The example's target has no currency: USD, converted to EUR at the same rate.
    (area,) = (a for a in in_eur.readiness.areas if a.area is ReadinessArea.COST_TARGET)
    assert area.evidence[0] == (
        "target 95.00 USD at 2000 pcs = 87.40 EUR at 0.92 EUR per USD "
        "(shop file exchange_rates.USD)"
    )
    assert any("converted at 0.92 EUR per USD" in line for line in in_eur.quote.assumptions)
    (fixture,) = (s for s in in_eur.quote.strategies if s.name.value == "dedicated_fixture")
    assert fixture.note.startswith("dedicated fixture plate: 230 EUR material")


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        ({"currency": "euro"}, "shop.currency", "three-letter ISO 4217"),
        ({"exchange_rates": {"EUR": 0}}, "shop.exchange_rates.EUR", "> 0"),
        ({"exchange_rates": {"EUR": "1.08"}}, "shop.exchange_rates.EUR", "must be a number"),
        ({"exchange_rates": {"USD": 2}}, "shop.exchange_rates.USD", "the shop's own currency"),
        ({"exchange_rates": [1.08]}, "shop.exchange_rates", "must be a mapping"),
        (
            {"exchange_rates": {"EUR": 1.08, "eur": 1.1}},
            "shop.exchange_rates.eur",
            "EUR is given twice",
        ),
    ],
)
def test_bad_currencies_and_rates(document: Any, field: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        shop_from_mapping(document)
    assert caught.value.field == field
    assert message in caught.value.message


# --------------------------------------------------------------------------------------
# The shop file's money keys: neutral names, former names as aliases
# --------------------------------------------------------------------------------------

OLD_KEYS = """\
machines: {mill_3axis: {rate_usd_per_h: 70}}
materials: {6061: {price_usd_per_kg: 5.2}}
finishes: {anodize_type_ii: {price_usd_per_part: 4, lot_minimum_usd: 120}}
am_materials: {titanium: {powder_usd_per_kg: 350}}
strategies:
  soft_jaws: {jaw_material_usd: 25}
  dedicated_fixture: {fixture_material_usd: 180}
  tooling_library: {adapter_material_usd: 35}
  hybrid_am: {machine_rate_usd_per_h: 120, build_setup_usd: 140}
"""

NEW_KEYS = """\
machines: {mill_3axis: {rate_per_h: 70}}
materials: {6061: {price_per_kg: 5.2}}
finishes: {anodize_type_ii: {price_per_part: 4, lot_minimum: 120}}
am_materials: {titanium: {powder_price_per_kg: 350}}
strategies:
  soft_jaws: {jaw_material_cost: 25}
  dedicated_fixture: {fixture_material_cost: 180}
  tooling_library: {adapter_material_cost: 35}
  hybrid_am: {machine_rate_per_h: 120, build_setup_cost: 140}
"""


def test_a_shop_file_with_the_former_usd_keys_still_loads(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD_KEYS, encoding="utf-8")
    new.write_text(NEW_KEYS, encoding="utf-8")
    from_old = load_shop(old)
    assert from_old.model_copy(update={"name": "new"}) == load_shop(new)
    assert from_old.machine("mill_3axis").rate_per_h == 70
    assert from_old.strategy("hybrid_am", "build_setup_cost") == 140
    assert "machines.mill_3axis.rate_per_h" in from_old.overrides


def test_a_former_key_and_its_new_name_together_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        shop_from_mapping({"machines": {"lathe": {"rate_usd_per_h": 80, "rate_per_h": 90}}})
    assert caught.value.field == "shop.machines.lathe.rate_usd_per_h"
    assert "former name of 'rate_per_h'" in caught.value.message
