"""The one columnar CSV reader: dialects, block edges, line numbers, bad and missing cells.

Expected values are the cells written in each test; the property tests compare the
reader, on any block size, against the file's own lines split by hand.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.quality import csv_table
from rampwise.quality.csv_table import read_csv
from rampwise.quality.measurements import load_measurements, parse_measurements_csv
from rampwise.quality.msa import load_gauge_study
from rampwise.quality.series import Runs
from rampwise.quality.switching import load_lot_history


def test_european_export_semicolons_and_decimal_commas() -> None:
    text = "# CMM export\npart;Bohrung;Länge\n1;12,003;60,01\n2;12,004;60,02\n"
    bore, length = parse_measurements_csv(text).characteristics
    assert (bore.name, length.name) == ("Bohrung", "Länge")
    assert bore.values.tolist() == [12.003, 12.004]
    assert length.values.tolist() == [60.01, 60.02]
    assert bore.rows.tolist() == [3, 4]


def test_tabs_quotes_and_a_one_column_file_with_decimal_commas() -> None:
    tabbed = parse_measurements_csv('subgroup\tvalue\n"a"\t1.5\n"a"\t" 2.5 "\n')
    assert tabbed.characteristics[0].values.tolist() == [1.5, 2.5]
    single = parse_measurements_csv("value\n12,5\n12,75\n")
    assert single.characteristics[0].values.tolist() == [12.5, 12.75]
    quoted = parse_measurements_csv('part,value\n1,"12,5"\n2,13\n')
    assert quoted.characteristics[0].values.tolist() == [12.5, 13.0]


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("a;b\n1;2\n3;1.234,5\n", "row 3, column 'b'", "'1.234,5' is not a number"),
        ("a;b\n1;2\n3;-inf\n", "row 3, column 'b'", "'-inf' is not a finite number"),
        ("value\n1\n# note\n\n2;3\n", "row 5, column 'value'", "'2;3' is not a number"),
        ("a;b\n1;2\n\n# later\n3;4;5\n", "row 5", "3 cells"),
    ],
)
def test_bad_cells_name_the_file_line(text: str, field: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_measurements_csv(text)
    assert info.value.field == field
    assert message in info.value.message


def test_missing_values_in_a_european_file_are_reported() -> None:
    data = parse_measurements_csv("part;a\n1;1,5\n2;NA\n3;\n4;2,5\n", allow_missing=True)
    (a,) = data.characteristics
    assert a.values.tolist() == [1.5, 2.5]
    assert a.parts == ("1", "4")
    assert [(m.row, m.column) for m in data.missing] == [(3, "a"), (4, "a")]


def test_a_file_read_in_many_blocks_keeps_its_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["\ufeffsubgroup,value"]
    for i in range(200):
        if i % 17 == 0:
            lines.append("# probe re-zeroed")
        if i % 23 == 0:
            lines.append("")
        lines.append(f"{i // 5},{12 + i / 1000:.3f}")
    path = tmp_path / "long.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    whole = load_measurements(path).characteristics[0]
    monkeypatch.setattr(csv_table, "BLOCK_BYTES", 64)
    blocked = load_measurements(path).characteristics[0]
    assert blocked.values.tolist() == whole.values.tolist()
    assert blocked.rows.tolist() == whole.rows.tolist()
    expected = [n for n, line in enumerate(lines, start=1) if line and line[0].isdigit()]
    assert whole.rows.tolist() == expected
    assert blocked.subgroup_labels == tuple(str(k) for k in range(40))


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 4)), min_size=1),
    gaps=st.lists(st.sampled_from(["", "#", "  ", "# x;y"]), max_size=8),
    seed=st.integers(0, 2**16),
    european=st.booleans(),
    block=st.integers(8, 200),
)
def test_any_block_size_reads_the_same_numbers_and_lines(
    values: list[float], gaps: list[str], seed: int, european: bool, block: int
) -> None:
    rng = np.random.default_rng(seed)
    separator = ";" if european else ","
    lines = [f"part{separator}value"]
    for i, value in enumerate(values):
        if gaps and rng.random() < 0.3:
            lines.append(gaps[int(rng.integers(len(gaps)))])
        cell = repr(value).replace(".", ",") if european else repr(value)
        lines.append(f"{i}{separator}{cell}")
    data = "\n".join(lines).encode()
    expected_lines = [
        n
        for n, line in enumerate(lines, start=1)
        if line.strip() and not line.startswith("#") and n > 1
    ]
    old = csv_table.BLOCK_BYTES
    try:
        csv_table.BLOCK_BYTES = block
        with io.BytesIO(data) as handle:
            table = read_csv(handle.read(), field="measurements", numeric=lambda keys: ["value"])
    finally:
        csv_table.BLOCK_BYTES = old
    assert table is not None
    assert table.numbers["value"].tolist() == values
    assert table.lines.expand().tolist() == expected_lines


@given(st.lists(st.integers(0, 30), max_size=40))
def test_runs_give_back_their_numbers(steps: list[int]) -> None:
    numbers = np.cumsum(np.asarray([1, *steps], dtype=np.int64) + 1)
    runs = Runs.compress(numbers)
    assert runs.expand().tolist() == numbers.tolist()
    assert [runs.at(i) for i in range(numbers.size)] == numbers.tolist()
    assert runs.first.size == 1 + sum(1 for step in steps if step != 0)


def test_gauge_study_and_lot_history_read_european_files(tmp_path: Path) -> None:
    study = tmp_path / "study.csv"
    rows = [f"{p};A;{t};{p},{t}" for p in (1, 2) for t in (1, 2)]
    study.write_text("part;appraiser;trial;value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert load_gauge_study(study).values[:, 0, :].tolist() == [[1.1, 1.2], [2.1, 2.2]]
    history = tmp_path / "lots.csv"
    history.write_text("lot;nonconforming\n# week 1\nL1;0\nL2;3\n", encoding="utf-8")
    lots = load_lot_history(history)
    assert [(lot.lot, lot.nonconforming, lot.row) for lot in lots] == [("L1", 0, 3), ("L2", 3, 4)]


def test_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("value\n1\nÄ\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        load_measurements(path)
