"""Loading project files: formats, unit conversion, and one-line errors for bad input."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.core.model import CharacteristicKind, Project
from rampwise.io.project_file import load_project, project_from_mapping
from support import TODAY, build_document


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_issue_example_loads(examples_dir: Path) -> None:
    """The project file of the issue (seed 003's sensor housing) loads with every section."""
    project = load_project(examples_dir / "sensor_housing_pilot.yaml", today=TODAY)
    bore = project.part.characteristics[0]
    assert (bore.upper_deviation, bore.lower_deviation) == (0.005, -0.005)
    assert bore.tolerance_width == pytest.approx(0.010)
    assert project.part.material.name == "Al 6061-T6"
    assert project.part.characteristics[1].kind is CharacteristicKind.ROUGHNESS
    assert project.supplier.cpk == {"1": 1.45}
    assert project.measurements is not None and project.measurements.is_absolute()


@pytest.mark.parametrize(
    ("tolerance", "upper", "lower"),
    [
        ("±0.005", 0.005, -0.005),
        ("+/-0.02", 0.02, -0.02),
        ([-0.005, 0.010], 0.010, -0.005),
        ("[-0.005, +0.010]", 0.010, -0.005),
        ({"min": 11.995, "max": 12.010}, 0.010, -0.005),
    ],
)
def test_tolerance_forms(tolerance: Any, upper: float, lower: float) -> None:
    doc = build_document()
    doc["part"]["characteristics"][0]["tolerance"] = tolerance
    bore = project_from_mapping(doc, today=TODAY).part.characteristics[0]
    assert bore.upper_deviation == pytest.approx(upper)
    assert bore.lower_deviation == pytest.approx(lower)


def test_iso_fit_on_a_diameter() -> None:
    """ISO 286-2: Ø12 H7 = +0.018 / 0 (IT7 at 10–18 mm is 18 µm, H has EI = 0)."""
    doc = build_document()
    doc["part"]["characteristics"][0]["tolerance"] = "H7"
    bore = project_from_mapping(doc, today=TODAY).part.characteristics[0]
    assert bore.designation == "H7"
    assert bore.kind is CharacteristicKind.DIAMETER
    assert (bore.upper_deviation, bore.lower_deviation) == (pytest.approx(0.018), 0.0)


def test_inch_file_is_converted_to_millimetres() -> None:
    """1 in = 25.4 mm exactly; ±0.001 in = ±0.0254 mm; Ra 32 µin = 0.8128 µm."""
    doc = build_document(unit="in")
    doc["part"]["envelope_mm"] = [2, 1, 0.5]
    doc["part"]["characteristics"] = [
        {"id": 1, "name": "Bore", "nominal": 0.5, "tolerance": "±0.001", "critical": True},
        {"id": 2, "name": "Face", "kind": "roughness", "max": 32},
        {"id": 3, "name": "Flat", "kind": "flatness", "max": 0.002},
    ]
    sent = copy.deepcopy(doc)
    part = project_from_mapping(doc, today=TODAY).part
    assert doc == sent  # the caller's document is not converted in place
    assert part.envelope_mm == pytest.approx((50.8, 25.4, 12.7))
    bore, face, flat = part.characteristics
    assert bore.nominal == pytest.approx(12.7)
    assert bore.upper_deviation == pytest.approx(0.0254)
    assert bore.lower_deviation == pytest.approx(-0.0254)
    assert face.max == pytest.approx(0.8128)
    assert flat.max == pytest.approx(0.0508)


def test_material_alias_is_accepted() -> None:
    doc = build_document()
    doc["part"]["material"] = "delrin"
    assert project_from_mapping(doc, today=TODAY).part.material.name == "POM"


@pytest.mark.parametrize(
    ("mutate", "field", "fragment"),
    [
        (
            lambda d: d.update(purpose="fun"),
            "purpose",
            "unknown purpose 'fun'; valid: design_review",
        ),
        (
            lambda d: d["part"].update(material="Unobtainium"),
            "part.material",
            "unknown material 'Unobtainium'",
        ),
        (lambda d: d.update(quantity=0), "quantity", "must be a whole number ≥ 1; got 0"),
        (lambda d: d.update(quantity=-4), "quantity", "got -4"),
        (lambda d: d.update(quantity=2.5), "quantity", "got 2.5"),
        (lambda d: d.update(quantity="many"), "quantity", "got 'many'"),
        (
            lambda d: d["part"]["characteristics"][0].update(tolerance="about right"),
            "part.characteristics[0].tolerance",
            "about right",
        ),
        (
            lambda d: d["part"]["characteristics"][0].update(tolerance=[0.01, -0.01]),
            "part.characteristics[0].tolerance",
            "exceeds",
        ),
        (
            lambda d: d.update(design={"revisions": [{"rev": "Z", "date": "2027-01-01"}]}),
            "design.revisions[0].date",
            "in the future",
        ),
        (lambda d: d.pop("part"), "part", "is required"),
        (lambda d: d.update(colour="red"), "colour", "is not a known field"),
        (lambda d: d["part"].update(envelope_mm=[10, -1, 5]), "part.envelope_mm", "> 0"),
    ],
)
def test_bad_input_names_the_field(mutate: Any, field: str, fragment: str) -> None:
    doc = build_document()
    mutate(doc)
    with pytest.raises(InputError) as info:
        project_from_mapping(doc, today=TODAY)
    assert info.value.field == field
    assert fragment in info.value.message
    assert "\n" not in str(info.value)


def test_missing_file_and_malformed_yaml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_project(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="malformed YAML at line 2"):
        load_project(bad)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just text\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a mapping"):
        load_project(scalar)


def test_relative_cad_path_resolves_against_the_file(tmp_path: Path) -> None:
    doc = build_document()
    doc["part"]["cad"] = "models/part.step"
    project = load_project(write(tmp_path, doc), today=TODAY)
    assert project.part.cad == (tmp_path / "models" / "part.step").resolve()


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "project",
        "part",
        "quantity",
        "purpose",
        "design",
        "validation",
        "demand",
        "unit",
        "tolerance_review",
        "supplier",
        "inspection_plan",
        "cost_target",
        "number",
        "material",
        "characteristics",
        "nominal",
        "tolerance",
        "max",
        "kind",
        "envelope_mm",
        "revisions",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(field_names, json_values, max_size=8)
    | st.builds(
        lambda doc, key, value: {**doc, key: value},
        st.just(build_document()),
        field_names,
        json_values,
    )
)
def test_random_documents_give_a_project_or_an_input_error(document: dict[str, Any]) -> None:
    """Property: the loader returns a Project or raises InputError, nothing else."""
    try:
        result = project_from_mapping(document, today=TODAY)
    except InputError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(result, Project)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["nominal", "tolerance", "kind", "max", "min", "id"]),
        json_values,
        max_size=6,
    )
)
def test_random_characteristics_give_a_project_or_an_input_error(ch: dict[str, Any]) -> None:
    document = build_document()
    document["part"]["characteristics"] = [{"name": "X", "id": 1, **ch}]
    try:
        project_from_mapping(document, today=TODAY)
    except InputError as err:
        assert "\n" not in str(err)
