"""Reference tables shipped with rampwise, each a CSV in this folder with a ``source`` column.

One cached loader reads them through :mod:`importlib.resources` (STYLE.md point 5, after
statsmodels' dataset loaders and pvlib's ``retrieve_sam``). Domain modules turn the rows
into typed objects; nothing here knows what the columns mean.

Every table's provenance (source, edition, date, licence, column units) is listed in
``catalog/README.md``; every row also carries its own ``source`` cell.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from rampwise.core.errors import CatalogError

Row = dict[str, str]


def table_names() -> list[str]:
    """Names of the bundled tables (file stems), sorted."""
    folder = resources.files(__package__)
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csv"))


@cache
def load_table(name: str) -> tuple[Row, ...]:
    """Return the rows of catalog table ``name`` as read-only string dictionaries.

    Parameters
    ----------
    name
        File stem of the table, e.g. ``"materials"`` for ``catalog/materials.csv``.

    Returns
    -------
    tuple of dict
        One dictionary per data row, keyed by the header; cells are stripped strings.
        Lines starting with ``#`` are comments and skipped.

    Raises
    ------
    CatalogError
        If no table of that name exists; the message lists the valid names.
    """
    resource = resources.files(__package__).joinpath(f"{name}.csv")
    if not resource.is_file():
        raise CatalogError(f"no catalog table {name!r}; valid: {', '.join(table_names())}")
    text = resource.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    rows = tuple({k.strip(): (v or "").strip() for k, v in row.items()} for row in reader)
    if rows and "source" not in rows[0]:
        raise CatalogError(f"catalog table {name!r} has no 'source' column")
    return rows
