"""A ZIP's order sheet (quantities.csv): every row read back, every mistake an InputError."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rampwise.app.web.archive import PartOrder, archive_members, archive_orders
from rampwise.core.errors import InputError
from rampwise.core.model import materials

MODELS = ("a.step", "b.STEP", "c.stl")


def _orders_of(sheet: bytes) -> dict[str, PartOrder]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rfq.zip"
        with zipfile.ZipFile(path, "w") as bundle:
            for name in MODELS:
                bundle.writestr(f"parts/{name}", b"solid")
            bundle.writestr("Quantities.CSV", sheet)
        return archive_orders(path, archive_members(path, max_bytes=1_000_000))


@given(
    st.dictionaries(
        st.sampled_from(MODELS),
        st.tuples(st.integers(1, 10_000_000), st.none() | st.sampled_from(sorted(materials()))),
    )
)
def test_every_row_is_read_back(rows: dict[str, tuple[int, str | None]]) -> None:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["file", "quantity", "material"])
    for name, (quantity, material) in rows.items():
        writer.writerow([name, f"{quantity:,}", material or ""])
    assert _orders_of(text.getvalue().encode()) == {
        name: PartOrder(quantity, material) for name, (quantity, material) in rows.items()
    }


@given(st.binary(max_size=200))
def test_any_sheet_is_read_or_refused_with_an_input_error(sheet: bytes) -> None:
    try:
        orders = _orders_of(sheet)
    except InputError as err:
        assert err.field.startswith("quantities.csv")
    else:
        assert set(orders) <= set(MODELS)


def test_a_zip_without_a_sheet_orders_nothing() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rfq.zip"
        with zipfile.ZipFile(path, "w") as bundle:
            bundle.writestr("a.step", b"solid")
        assert archive_orders(path, archive_members(path, max_bytes=1000)) == {}


def test_a_model_ordered_twice_is_refused() -> None:
    with pytest.raises(InputError, match=r"row 3, column 'file': 'a\.step' is ordered twice"):
        _orders_of(b"file,quantity\na.step,1\na.step,2\n")


def test_a_field_longer_than_csv_reads_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"quantities\.csv"):
        _orders_of(b"file,quantity\n" + b"x" * 200_000 + b",1\n")
