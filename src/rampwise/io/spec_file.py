"""Spec files: the limits of each measured characteristic, read from YAML."""

from __future__ import annotations

from pathlib import Path

from rampwise.io.documents import read_document
from rampwise.quality.specs import SpecTable, spec_table_from_mapping

__all__ = ["load_spec_file"]


def load_spec_file(path: Path) -> SpecTable:
    """Read a spec YAML file.

    Either a ``characteristics`` mapping (name → limits) or list (entries with ``id``
    and/or ``name``), with an optional top-level ``unit``; or, for a file with one
    characteristic, the limits at the top level.

    Parameters
    ----------
    path
        The YAML file.

    Returns
    -------
    SpecTable
        Limits by name (ids as text) or a single default.

    Raises
    ------
    InputError
        If the file is missing, not YAML, or an entry is invalid.
    """
    document = read_document(path, role="spec")
    return spec_table_from_mapping(document, name=Path(path).name)
