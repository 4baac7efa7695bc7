"""Fixtures of the batch-quality tests: the shared reference data sets."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest


@pytest.fixture(scope="session")
def refdata(shared_dir: Path) -> Path:
    """``shared/refdata``: data sets with published expected results (see its README)."""
    return shared_dir / "refdata"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def qcc_expected(refdata: Path) -> dict[str, Any]:
    """``qcc_expected.json``: qcc 3.0 vignette / qcc runs (Montgomery's data sets)."""
    data: dict[str, Any] = json.loads((refdata / "qcc_expected.json").read_text())
    return data


@pytest.fixture(scope="session")
def pistonrings(refdata: Path) -> np.ndarray:
    """Piston-ring diameters [mm], 40 subgroups of 5 in order (qcc ``pistonrings``)."""
    rows = read_rows(refdata / "qcc_pistonrings.csv")
    assert [int(r["sample"]) for r in rows] == [i // 5 + 1 for i in range(200)]
    return np.array([float(r["diameter"]) for r in rows])


@pytest.fixture(scope="session")
def read_csv(refdata: Path) -> Any:
    """Reader of a ``refdata`` CSV file by name, as a list of string dictionaries."""

    def read(name: str) -> list[dict[str, str]]:
        return read_rows(refdata / name)

    return read
