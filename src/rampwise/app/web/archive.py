"""What a ZIP of models holds: its CAD files, checked against the limits, and its order sheet.

A request for quotation often orders each part in its own quantity and material. A ZIP may
carry that as ``quantities.csv`` (columns ``file`` and ``quantity``, optionally
``material``): each model it names is assessed at its own quantity and in its own
material; the others take the upload form's. The sheet is read when the ZIP arrives, so a
mistake in it is refused at once with its row and column.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from rampwise.app.store import FileKind
from rampwise.app.store.blobs import SUFFIXES, UnsupportedFileError
from rampwise.core.checks import require_whole
from rampwise.core.errors import InputError
from rampwise.core.model import find_material
from rampwise.quality.csv_table import CsvTable, read_csv

ARCHIVE_MAX_MEMBERS = 1000
"""Most CAD files one ZIP may hold."""

ARCHIVE_MAX_TOTAL_FACTOR = 20
"""Unpacked size of a ZIP may be this many times the upload limit [unitless]."""

CAD_KINDS = (FileKind.STEP, FileKind.STL)

ORDER_SHEET = "quantities.csv"
"""Name of the order sheet in a ZIP (any folder, any letter case)."""

ORDER_SHEET_MAX_BYTES = 1024 * 1024
"""Largest order sheet read [bytes]."""


@dataclass(frozen=True)
class PartOrder:
    """One row of the order sheet: how many of a model, in what material."""

    quantity: int
    """Pieces ordered [pcs]."""
    material: str | None = None
    """Material name as the catalog knows it; ``None`` keeps the form's."""


def archive_members(path: Path, *, max_bytes: int) -> list[zipfile.ZipInfo]:
    """The CAD files in a ZIP, checked against the size limits before anything is unpacked.

    Parameters
    ----------
    path
        The ZIP file.
    max_bytes
        Upload limit [bytes]; each member may unpack to at most this, all of them to
        ``ARCHIVE_MAX_TOTAL_FACTOR`` times it.

    Raises
    ------
    UnsupportedFileError
        If the file is not a readable ZIP or holds no STEP/STL file.
    InputError
        If it holds too many files or unpacks too large.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise UnsupportedFileError("file", f"{path.name!r} is not a readable ZIP: {err}") from None
    cad_suffixes = {s for kind in CAD_KINDS for s in SUFFIXES[kind]}
    members = [
        info
        for info in infos
        if not info.is_dir()
        and PurePath(info.filename).suffix.lower() in cad_suffixes
        and not PurePath(info.filename).name.startswith(".")
    ]
    if not members:
        raise UnsupportedFileError("file", "the ZIP holds no STEP or STL file")
    if len(members) > ARCHIVE_MAX_MEMBERS:
        raise InputError(
            "file", f"the ZIP holds {len(members)} CAD files; at most {ARCHIVE_MAX_MEMBERS}"
        )
    too_big = next((m for m in members if m.file_size > max_bytes), None)
    if too_big is not None:
        raise InputError(
            "file", f"{too_big.filename!r} unpacks to {too_big.file_size} bytes; limit {max_bytes}"
        )
    total = sum(m.file_size for m in members)
    if total > ARCHIVE_MAX_TOTAL_FACTOR * max_bytes:
        raise InputError(
            "file",
            f"the ZIP unpacks to {total} bytes; limit {ARCHIVE_MAX_TOTAL_FACTOR * max_bytes}",
        )
    return members


def archive_orders(path: Path, members: list[zipfile.ZipInfo]) -> dict[str, PartOrder]:
    """The order sheet of a ZIP, by model file name; empty when it carries none.

    Parameters
    ----------
    path
        The ZIP file.
    members
        Its CAD files (:func:`archive_members`); every row must name one of them.

    Raises
    ------
    InputError
        Field ``quantities.csv``: several sheets, no ``file`` or ``quantity`` column, a
        row naming a file the ZIP does not hold or naming one twice, a quantity that is
        not a whole number ≥ 1, a material the catalog does not know; with the row (the
        header is row 1) and column.
    """
    with zipfile.ZipFile(path) as archive:
        sheets = [
            info
            for info in archive.infolist()
            if PurePath(info.filename).name.lower() == ORDER_SHEET and not info.is_dir()
        ]
        if not sheets:
            return {}
        if len(sheets) > 1:
            raise InputError(ORDER_SHEET, f"the ZIP holds {len(sheets)}; keep one")
        if sheets[0].file_size > ORDER_SHEET_MAX_BYTES:
            raise InputError(ORDER_SHEET, f"is larger than {ORDER_SHEET_MAX_BYTES} bytes")
        raw = archive.read(sheets[0])
    try:
        table = read_csv(raw, field=ORDER_SHEET)
    except InputError as err:
        if err.field == ORDER_SHEET:
            raise
        raise InputError(ORDER_SHEET, f"{err.field}: {err.message}") from None
    if table is None:
        raise InputError(ORDER_SHEET, "needs the columns file and quantity; it is empty")
    return _read_orders(table, members)


def _read_orders(table: CsvTable, members: list[zipfile.ZipInfo]) -> dict[str, PartOrder]:
    columns = set(table.keys)
    missing = [c for c in ("file", "quantity") if c not in columns]
    if missing:
        raise InputError(ORDER_SHEET, f"needs the columns file and quantity; missing {missing}")
    models = {PurePath(m.filename).name for m in members}
    orders: dict[str, PartOrder] = {}
    cells = {key: table.text(key) for key in ("file", "quantity", "material") if key in columns}
    for position, number in enumerate(table.lines.expand().tolist()):
        row = {key: values[position] for key, values in cells.items()}
        where = f"row {number}"
        name = PurePath(row["file"]).name
        if name not in models:
            raise InputError(ORDER_SHEET, f"{where}, column 'file': no model {name!r} in the ZIP")
        if name in orders:
            raise InputError(ORDER_SHEET, f"{where}, column 'file': {name!r} is ordered twice")
        material = row.get("material", "")
        if material:
            find_material(material, field=f"{ORDER_SHEET}: {where}, column 'material'")
        orders[name] = PartOrder(
            quantity=_quantity(row["quantity"], f"{where}, column 'quantity'"),
            material=material or None,
        )
    return orders


def _quantity(text: str | None, where: str) -> int:
    try:
        value = float((text or "").strip().replace(",", ""))
    except ValueError:
        raise InputError(ORDER_SHEET, f"{where}: {text!r} is not a number") from None
    try:
        return require_whole("quantity", value)
    except InputError as err:
        raise InputError(ORDER_SHEET, f"{where}: {err.message}") from None
