"""Reading measurement files (CSV long/wide, QIF 3.0) and specification limits.

Expected values are read off the small files written in each test (hand-checkable);
the QIF layout follows the QIF 3.0 schema (``Characteristics``, ``Results``,
``DefinedAsLimit``) as in the DMSC sample ``SheetMetal_QIF_Results_6_samples.QIF``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.core.model import Characteristic
from rampwise.io.spec_file import load_spec_file
from rampwise.quality.capability import SpecLimits, TargetBasis
from rampwise.quality.measurements import (
    load_measurements,
    parse_measurements_csv,
    parse_measurements_qif,
)
from rampwise.quality.specs import SpecTable, spec_from_characteristic, specs_for_characteristics

BORE = SpecLimits(lsl=11.995, usl=12.005)
"""Ø12 ±0.005 with no target given: aims at mid-tolerance (11.995 + 12.005)/2 = 12.0."""


def test_subgroup_value_file_is_one_characteristic(tmp_path: Path) -> None:
    path = tmp_path / "bore.csv"
    path.write_text("# CMM export\nsubgroup,value\n1,12.001\n1,12.002\n2,11.999\n2,12.000\n")
    data = load_measurements(path, specs=SpecTable(default=BORE))
    (bore,) = data.characteristics
    assert bore.name == "bore"  # the file stem
    assert bore.spec == BORE
    assert bore.values.tolist() == [12.001, 12.002, 11.999, 12.000]
    assert bore.rows.tolist() == [3, 4, 5, 6]  # line numbers, comment and header counted
    assert bore.subgroup_labels == ("1", "2")
    values, sizes = bore.grouped()
    assert values.tolist() == [12.001, 12.002, 11.999, 12.000]
    assert sizes.tolist() == [2, 2]


def test_interleaved_subgroups_are_grouped_stably() -> None:
    data = parse_measurements_csv("subgroup,value\na,1\nb,2\na,3\nb,4\na,5\n")
    values, sizes = data.characteristics[0].grouped()
    assert values.tolist() == [1, 3, 5, 2, 4]
    assert sizes.tolist() == [3, 2]


def test_long_form_with_characteristics_parts_and_tool_changes() -> None:
    text = (
        "part,characteristic,value,tool_change,timestamp\n"
        "7,Bore,12.001,,2026-11-02T08:00\n"
        "7,Length,60.01,,2026-11-02T08:00\n"
        "8,Bore,12.003,yes,2026-11-02T08:05\n"
        "8,Length,60.02,yes,2026-11-02T08:05\n"
    )
    data = parse_measurements_csv(text)
    bore, length = data.characteristics
    assert (bore.name, length.name) == ("Bore", "Length")
    assert bore.parts == ("7", "8")
    assert bore.tool_changes == (1,)
    assert not bore.subgrouped
    assert bore.timestamps is not None and bore.timestamps[1].minute == 5


def test_wide_form_one_column_per_characteristic() -> None:
    data = parse_measurements_csv("part,Bore,Length\n1,12.001,60.01\n2,12.002,60.03\n")
    assert [c.name for c in data.characteristics] == ["Bore", "Length"]
    assert data.characteristics[1].values.tolist() == [60.01, 60.03]
    assert data.characteristics[0].parts == ("1", "2")


def test_semicolon_delimited_files_are_read() -> None:
    data = parse_measurements_csv("subgroup;value\n1;2.5\n1;2.7\n")
    assert data.characteristics[0].values.tolist() == [2.5, 2.7]


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("value\n1.0\nabc\n", "row 3, column 'value'", "'abc' is not a number"),
        ("value\n1.0\nnan\n", "row 3, column 'value'", "missing"),
        ('value\n1.0\n\n2\n""\n', "row 5, column 'value'", "missing"),
        ("value\n1.0\ninf\n", "row 3, column 'value'", "finite"),
        ("a,b\n1,2\n3,x\n", "row 3, column 'b'", "not a number"),
        ("subgroup,value\n1,2\n,3\n", "row 3, column 'subgroup'", "empty"),
        ("value,tool_change\n1,maybe\n", "row 2, column 'tool_change'", "yes/no"),
        ("value,timestamp\n1,yesterday\n", "row 2, column 'timestamp'", "ISO 8601"),
        ("a,b\n1,2,3\n", "row 2", "3 cells"),
        ("a,a\n1,2\n", "column 'a'", "twice"),
        ("value\n", "measurements", "no values"),
        ("", "measurements", "no header"),
        ("part,subgroup\n1,1\n", "measurements", "no 'value' column"),
    ],
)
def test_bad_cells_name_row_and_column(text: str, field: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_measurements_csv(text)
    assert info.value.field == field
    assert message in info.value.message


def test_empty_column_is_an_error_even_when_missing_values_are_allowed() -> None:
    with pytest.raises(InputError, match=r"column 'b'.*every cell is missing"):
        parse_measurements_csv("a,b\n1,\n2,NA\n", allow_missing=True)


def test_missing_values_are_reported_never_dropped_silently() -> None:
    data = parse_measurements_csv("part,a,b\n1,1.0,2.0\n2,3.0,\n3,5.0,6.0\n", allow_missing=True)
    a, b = data.characteristics
    assert a.values.size == 3 and b.values.size == 2
    assert b.parts == ("1", "3")
    assert [(m.row, m.column) for m in data.missing] == [(3, "b")]


def test_units_are_converted_to_the_spec_unit() -> None:
    text = "value,unit\n0.4725,in\n0.4726,in\n"
    data = parse_measurements_csv(text, specs=SpecTable(default=SpecLimits(lsl=11.9, usl=12.1)))
    assert data.characteristics[0].values == pytest.approx([12.0015, 12.00404])
    assert data.characteristics[0].unit == "mm"
    with pytest.raises(InputError, match="unit 'deg'"):
        parse_measurements_csv("value,unit\n1,deg\n", specs=SpecTable(default=BORE))
    with pytest.raises(InputError, match="mixes units"):
        parse_measurements_csv("value,unit\n1,mm\n2,in\n")


def test_inline_limits_need_a_single_characteristic() -> None:
    with pytest.raises(InputError, match="this file has 2: a, b"):
        parse_measurements_csv("a,b\n1,2\n", specs=SpecTable(default=BORE))


def test_spec_file_forms(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "unit: mm\ncharacteristics:\n"
        "  Bore: {nominal: 12.0, tolerance: '±0.005'}\n"
        "  Length: {nominal: 60, upper_deviation: 0.1, lower_deviation: -0.2}\n"
        "  Flatness: {usl: 0.02}\n"
    )
    table = load_spec_file(path)
    assert table.by_name["Bore"] == BORE
    # 60 +0.1/−0.2 without a target aims at mid-tolerance (59.8 + 60.1)/2 = 59.95, not
    # at the nominal 60.0
    length = table.by_name["Length"]
    assert length.lsl == pytest.approx(59.8) and length.usl == pytest.approx(60.1)
    assert length.target == pytest.approx(59.95)
    assert length.target_basis is TargetBasis.MID_TOLERANCE
    assert table.by_name["Flatness"].lsl is None
    data = parse_measurements_csv("BORE,length\n12.0,60.0\n", specs=table)
    assert data.characteristics[0].spec == BORE  # names match without case
    flat = tmp_path / "flat.yaml"
    flat.write_text("lsl: 1\nusl: 2\n")
    assert load_spec_file(flat).default == SpecLimits(lsl=1, usl=2)
    listed = tmp_path / "list.yaml"
    listed.write_text("characteristics:\n  - {id: 1, name: Bore, lsl: 11.995, usl: 12.005}\n")
    assert set(load_spec_file(listed).by_name) == {"1", "Bore"}


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("characteristics:\n  Bore: {lsl: 12.005, usl: 11.995}\n", "characteristics.Bore.spec"),
        ("characteristics:\n  Bore: {lsl: x}\n", "characteristics.Bore.lsl"),
        ("characteristics:\n  Bore: {lsl: 1, tol: 2}\n", "characteristics.Bore"),
        ("characteristics:\n  Bore: {nominal: 12}\n", "characteristics.Bore"),
        ("- 1\n", "spec"),
        ("a: [\n", "spec"),
    ],
)
def test_bad_spec_files(tmp_path: Path, content: str, field: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        load_spec_file(path)
    assert info.value.field == field


def test_specs_from_project_characteristics() -> None:
    bore = Characteristic(id=1, name="Bore", nominal=12.0, tolerance="±0.005")
    ra = Characteristic(id=2, name="Sealing face", kind="roughness", max=0.8)
    free = Characteristic(id=3, name="Chamfer")
    assert spec_from_characteristic(bore) == BORE
    assert spec_from_characteristic(ra) == SpecLimits(usl=0.8, unit="µm")
    assert spec_from_characteristic(free) is None
    table = specs_for_characteristics([bore, ra, free])
    assert set(table.by_name) == {"1", "Bore", "2", "Sealing face"}
    data = parse_measurements_csv("characteristic,value\n1,12.001\n1,12.002\n", specs=table)
    assert data.characteristics[0].spec == BORE  # file names the characteristic by id


QIF = """<?xml version="1.0" encoding="UTF-8"?>
<QIFDocument xmlns="http://qifstandards.org/xsd/qif3" versionQIF="3.0.0">
  <FileUnits><PrimaryUnits><LinearUnit><SIUnitName>meter</SIUnitName>
    <UnitName>{unit}</UnitName></LinearUnit></PrimaryUnits></FileUnits>
  <Characteristics>
    <CharacteristicDefinitions n="2">
      <DiameterCharacteristicDefinition id="10">
        <Tolerance><MaxValue>{plus}</MaxValue><MinValue>{minus}</MinValue>
          <DefinedAsLimit>false</DefinedAsLimit></Tolerance>
      </DiameterCharacteristicDefinition>
      <PositionCharacteristicDefinition id="20"><ToleranceValue>0.05</ToleranceValue>
      </PositionCharacteristicDefinition>
    </CharacteristicDefinitions>
    <CharacteristicNominals n="2">
      <DiameterCharacteristicNominal id="11">
        <CharacteristicDefinitionId>10</CharacteristicDefinitionId><TargetValue>{target}</TargetValue></DiameterCharacteristicNominal>
      <PositionCharacteristicNominal id="21">
        <CharacteristicDefinitionId>20</CharacteristicDefinitionId>
      </PositionCharacteristicNominal>
    </CharacteristicNominals>
    <CharacteristicItems n="2">
      <DiameterCharacteristicItem id="12"><Name>Bore</Name>
        <CharacteristicNominalId>11</CharacteristicNominalId></DiameterCharacteristicItem>
      <PositionCharacteristicItem id="22"><Name>Bore position</Name>
        <CharacteristicNominalId>21</CharacteristicNominalId></PositionCharacteristicItem>
    </CharacteristicItems>
  </Characteristics>
  <Results><MeasurementResultsSet n="2">
    <MeasurementResults id="100"><MeasuredCharacteristics><CharacteristicMeasurements n="2">
      <DiameterCharacteristicMeasurement id="101"><CharacteristicItemId>12</CharacteristicItemId>
        <Value>{v1}</Value></DiameterCharacteristicMeasurement>
      <PositionCharacteristicMeasurement id="102"><CharacteristicItemId>22</CharacteristicItemId>
        <Value>0.012</Value></PositionCharacteristicMeasurement>
    </CharacteristicMeasurements></MeasuredCharacteristics></MeasurementResults>
    <MeasurementResults id="200"><MeasuredCharacteristics><CharacteristicMeasurements n="2">
      <DiameterCharacteristicMeasurement id="201"><CharacteristicItemId>12</CharacteristicItemId>
        <Value>{v2}</Value></DiameterCharacteristicMeasurement>
      <PositionCharacteristicMeasurement id="202"><CharacteristicItemId>22</CharacteristicItemId>
        <Value>0.020</Value></PositionCharacteristicMeasurement>
    </CharacteristicMeasurements></MeasuredCharacteristics></MeasurementResults>
  </MeasurementResultsSet></Results>
</QIFDocument>
"""

MM = {"unit": "mm", "plus": 0.005, "minus": -0.005, "target": 12, "v1": 12.001, "v2": 11.998}


def test_qif_results_with_tolerances() -> None:
    data = parse_measurements_qif(QIF.format(**MM))
    bore, position = data.characteristics
    assert bore.name == "Bore" and bore.spec == BORE
    assert bore.values.tolist() == [12.001, 11.998]
    assert bore.parts == ("100", "200")
    assert position.spec == SpecLimits(usl=0.05)  # a zone: one-sided


def test_qif_in_inches_is_converted_to_mm() -> None:
    inch = {
        "unit": "inch",
        "plus": 0.0002,
        "minus": -0.0002,
        "target": 0.5,
        "v1": 0.5001,
        "v2": 0.4999,
    }
    bore, position = parse_measurements_qif(QIF.format(**inch)).characteristics
    assert bore.unit == "mm"
    assert bore.spec is not None
    limits = [bore.spec.lsl, bore.spec.usl, bore.spec.target]
    assert limits == pytest.approx([12.69492, 12.70508, 12.7])  # (0.5 ∓ 0.0002)·25.4
    assert bore.values == pytest.approx([12.70254, 12.69746])
    assert position.values == pytest.approx([0.012 * 25.4, 0.020 * 25.4])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (QIF.format(**{**MM, "v1": "abc"}), "'abc' is not a number"),
        ("<QIFDocument><unclosed></QIFDocument>", "not well-formed XML"),
        ("<Other/>", "not a QIF document"),
        ('<QIFDocument xmlns="http://qifstandards.org/xsd/qif3"/>', "no MeasurementResults"),
    ],
)
def test_bad_qif(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_measurements_qif(text)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_measurements(tmp_path / "nope.csv")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_parser_raises_nothing_but_input_error_on_junk(text: str) -> None:
    try:
        data = parse_measurements_csv(text, allow_missing=True)
    except InputError:
        return
    for characteristic in data.characteristics:
        assert np.all(np.isfinite(characteristic.values))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.floats(), st.text(max_size=5), st.just("")), min_size=2, max_size=2),
        max_size=12,
    )
)
def test_parser_on_junk_rows_under_a_valid_header(rows: list[list[object]]) -> None:
    text = "subgroup,value\n" + "\n".join(",".join(str(c) for c in row) for row in rows)
    with contextlib.suppress(InputError):
        parse_measurements_csv(text, allow_missing=True)
