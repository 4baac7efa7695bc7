"""Stored assessments: schema versions, upcasters, and the JSON reading back as the model."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from rampwise.api import Assessment, assess
from rampwise.app.store.assessments import (
    SCHEMA_VERSION,
    UPCASTERS,
    StoredResultError,
    read_assessment,
    stored_json,
    upcast,
)
from rampwise.core.shop import shop_from_mapping
from rampwise.io.project_file import load_project
from rampwise.rules.strategies import StrategyName

STORED_V1 = Path(__file__).with_name("stored_assessments_v1.json")
"""Assessment JSONs as rampwise kept them before schema versions (version 1), made by the
code of commit 65d0d33 on 2026-12-07: ``bracket_fit_check`` (the example as the API takes
it, a prototype), ``pilot_run_40`` and ``market_release_5000`` (tests/support.py's
document, plain at 40 pcs for a pilot run and ready at 5,000 pcs for a market release).
Frozen: a model change that stops them reading needs an upcaster, not new files."""

EXAMPLES = sorted(
    (Path(__file__).parents[2] / "src" / "rampwise" / "examples").glob("*.yaml"),
    key=lambda p: p.name,
)


def stored_v1(name: str) -> dict[str, Any]:
    """One frozen version-1 JSON."""
    loaded: dict[str, Any] = json.loads(STORED_V1.read_text(encoding="utf-8"))[name]
    return loaded


def test_every_older_version_has_an_upcaster_to_the_next() -> None:
    assert set(UPCASTERS) == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("name", ["bracket_fit_check", "pilot_run_40", "market_release_5000"])
def test_a_version_1_json_reads_as_the_current_model(name: str) -> None:
    stored = stored_v1(name)
    model = read_assessment(stored, schema_version=1)
    assert isinstance(model, Assessment)
    assert model.project == stored["project"]
    assert model.stage == stored["stage"]
    assert stored == stored_v1(name)  # reading leaves the stored JSON as it was


def test_version_1_workholding_is_named_as_the_quote_names_strategies() -> None:
    """``fixture_plate`` was the route's word for the quote's ``dedicated_fixture``."""
    prototype = read_assessment(stored_v1("bracket_fit_check"), schema_version=1)
    assert prototype.route.workholding.kind is StrategyName.VISE
    assert StrategyName.DEDICATED_FIXTURE in prototype.route.workholding.alternatives
    batch = read_assessment(stored_v1("pilot_run_40"), schema_version=1)
    assert batch.route.workholding.kind is StrategyName.DEDICATED_FIXTURE
    # Version 1 did not record the route's verdict per strategy: none is made up.
    assert batch.route.workholding.options == ()


def test_version_1_validation_runs_say_whether_they_are_sacrificial() -> None:
    """Low volume: seed 003's sacrificial part; production: PPAP's run of the order's parts."""
    low = read_assessment(stored_v1("pilot_run_40"), schema_version=1).route.validation_run
    production = read_assessment(
        stored_v1("market_release_5000"), schema_version=1
    ).route.validation_run
    assert low is not None and (low.quantity, low.sacrificial) == (1, True)
    assert production is not None and (production.quantity, production.sacrificial) == (300, False)


@pytest.mark.parametrize("name", ["bracket_fit_check", "pilot_run_40", "market_release_5000"])
def test_version_1_breaks_were_priced_at_the_quotes_stage(name: str) -> None:
    quote = read_assessment(stored_v1(name), schema_version=1).quote
    assert quote is not None
    assert {row.stage for row in quote.breaks} == {quote.stage}
    assert [row.unit_price for row in quote.breaks] == [
        row["unit_price"] for row in stored_v1(name)["quote"]["breaks"]
    ]


def test_a_version_1_row_already_in_the_current_shape_is_left_as_it_is(
    examples_dir: Path,
) -> None:
    """Rows stored by the one-plan model before versions were stated are version 1 too."""
    current = assess(load_project(examples_dir / "valve_body_production.yaml"))
    stored = current.model_dump(mode="json")
    assert upcast(copy.deepcopy(stored), schema_version=1) == stored
    assert read_assessment(stored, schema_version=1) == current


@pytest.mark.parametrize("name", ["bracket_fit_check", "pilot_run_40", "market_release_5000"])
def test_version_1_inspection_plans_are_in_their_quotes_currency(name: str) -> None:
    """Version 3 names the inspection plan's currency; older rows took the quote's."""
    model = read_assessment(stored_v1(name), schema_version=1)
    assert model.quote is not None
    assert model.inspection.currency == model.quote.currency == "USD"


def version_2(current: Assessment) -> dict[str, Any]:
    """A current assessment's JSON as version 2 stored it: no ``inspection.currency``."""
    stored = current.model_dump(mode="json")
    del stored["inspection"]["currency"]
    return stored


def test_a_version_2_json_reads_with_its_inspection_plan_in_the_shops_currency(
    examples_dir: Path,
) -> None:
    eur = shop_from_mapping({"currency": "EUR", "exchange_rates": {"USD": 0.92}})
    current = assess(load_project(examples_dir / "valve_body_production.yaml"), shop=eur)
    stored = version_2(current)
    assert "currency" not in stored["inspection"]
    model = read_assessment(stored, schema_version=2)
    assert model.inspection.currency == "EUR"
    assert model == current
    assert upcast(current.model_dump(mode="json"), schema_version=2) == current.model_dump(
        mode="json"
    )  # a row already in the version-3 shape passes unchanged


def test_a_version_2_json_without_a_quote_takes_the_catalogs_currency() -> None:
    """A part that could not be priced stored no currency: USD, the catalog's, is assumed."""
    stored = {**UPCASTERS[1](stored_v1("bracket_fit_check")), "quote": None}  # version 2
    assert "currency" not in stored["inspection"]
    model = read_assessment(stored, schema_version=2)
    assert model.quote is None and model.inspection.currency == "USD"


def version_3(current: Assessment) -> dict[str, Any]:
    """A current assessment's JSON as version 3 stored it: no unit, no drawn sizes."""
    stored = current.model_dump(mode="json")
    del stored["unit"]
    for row in stored["route"]["characteristics"]:
        for key in ("nominal_mm", "upper_deviation_mm", "lower_deviation_mm"):
            del row[key]
    return stored


def test_a_version_3_json_reads_in_mm_without_drawn_sizes(examples_dir: Path) -> None:
    """Version 3 showed every project in mm and kept no nominal per route row."""
    current = assess(load_project(examples_dir / "bracket_fit_check.yaml"))
    model = read_assessment(version_3(current), schema_version=3)
    assert model.unit == "mm"
    assert all(row.nominal_mm is None for row in model.route.characteristics)
    assert (
        model.route.characteristics[0].tolerance_mm == current.route.characteristics[0].tolerance_mm
    )
    assert upcast(current.model_dump(mode="json"), schema_version=3) == current.model_dump(
        mode="json"
    )  # a row already in the version-4 shape passes unchanged


def test_an_inch_assessment_reads_back_with_its_unit() -> None:
    inch = Path(__file__).parents[1] / "data" / "inch_bushing.yaml"
    model = assess(load_project(inch))
    stored = stored_json(model)
    assert stored["unit"] == "in"
    assert read_assessment(stored, schema_version=SCHEMA_VERSION) == model


def test_a_version_newer_than_this_rampwise_is_refused() -> None:
    with pytest.raises(StoredResultError, match="written by a newer rampwise"):
        read_assessment(stored_v1("bracket_fit_check"), schema_version=SCHEMA_VERSION + 1)


def test_json_that_does_not_validate_names_the_first_field() -> None:
    broken = {**stored_v1("bracket_fit_check"), "readiness": {"ready": "perhaps"}}
    with pytest.raises(StoredResultError, match=r"schema version 1\) .*readiness\.ready"):
        read_assessment(broken, schema_version=1)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_reads_back_as_the_model_it_was_stored_from(path: Path) -> None:
    """The sensor housing's measured batch and gauge study included."""
    model = assess(load_project(path))
    stored = stored_json(model)
    assert stored == json.loads(model.model_dump_json())
    assert read_assessment(stored, schema_version=SCHEMA_VERSION) == model
