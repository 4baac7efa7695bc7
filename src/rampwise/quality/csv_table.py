"""One columnar CSV reader for measurement files, gauge studies, lot histories and order sheets.

The file is read in blocks of whole lines (:data:`BLOCK_BYTES`) and each block is parsed
by pyarrow's CSV engine, column by column: numbers become numpy ``float64`` arrays
without a Python object per cell, and a block's text is dropped as soon as its numbers
are taken, so a large file is never held as text. Lines starting with ``#`` are comments
and blank lines are skipped; every row keeps its line number in the file (the header
line included, the first line is 1) so that an error names the row and the column.

Dialect, as CMM and spreadsheet exports write it:

* the separator is ``;``, a tab or ``,`` — whichever the header line holds (``;`` before
  tab before ``,``); a one-column header takes none of them, so that a decimal comma in
  its cells is not read as a separator;
* a number may use a decimal comma (``12,003``, European exports) or a decimal point;
  a cell with both (``1.234,5``) is not a number;
* ``"`` quotes a cell (which may then hold the separator); cells are trimmed;
* the file is UTF-8, with or without a byte-order mark.

A number cell that is empty or reads ``NA``, ``NaN``, ``N/A``, ``null`` or ``none`` is
*missing*: it is reported in a mask beside the values, never dropped here.

References
----------
.. [1] Apache Arrow, ``pyarrow.csv`` (``read_csv``, ``ParseOptions``, ``ConvertOptions``)
   and ``pyarrow.compute`` (``cast``, ``match_substring_regex``, ``is_in``).
.. [2] RFC 4180, *Common Format and MIME Type for CSV Files* (quoting).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from rampwise.core.errors import InputError
from rampwise.quality.series import Runs

if TYPE_CHECKING:  # pyarrow is imported on the first read, not with the module
    import pyarrow as pa

BLOCK_BYTES = 1 << 20
"""Bytes of whole lines parsed at a time (1 MiB): bounds the text held in memory."""

MISSING_MARKERS = ("", "na", "nan", "n/a", "null", "none")
"""Cell texts (any case) that mean "no value" in a number column."""

SEPARATORS = (";", "\t", ",")
"""Separators tried on the header line, in order of preference."""

_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_INFINITE = ("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity")
_BOM = b"\xef\xbb\xbf"

BadCell = Callable[[str, int, str, str], InputError]
"""Builds the error for a bad number cell from ``(reason, line, column, text)``; the
reason is ``"number"`` (not a number) or ``"finite"`` (an infinity)."""


def _pool() -> pa.MemoryPool:
    """The C library's allocator, for the parsed text.

    Freed blocks go back to the system, so the text of parsed blocks does not stay
    resident (Arrow's default pool keeps what it frees).
    """
    import pyarrow as pa

    return pa.system_memory_pool()


def bad_number_cell(reason: str, line: int, column: str, text: str) -> InputError:
    """The measurement files' error for a bad number cell: ``row 3, column 'value'``."""
    words = "is not a number" if reason == "number" else "is not a finite number"
    return InputError(f"row {line}, column {column!r}", f"{text!r} {words}")


class CsvTable:
    """The columns of one CSV file, as read by :func:`read_csv`.

    Attributes
    ----------
    header
        Column names as written (trimmed).
    keys
        The same names in lower case: how columns are looked up.
    lines
        Line number in the file of each data row (the header's line is before them).
    numbers
        Values of each number column [unit of the file], NaN where missing.
    missing
        Where each number column has no value.
    texts
        Trimmed cells of every other column.
    """

    def __init__(
        self,
        header: tuple[str, ...],
        lines: Runs,
        numbers: dict[str, NDArray[np.float64]],
        missing: dict[str, NDArray[np.bool_]],
        texts: dict[str, pa.ChunkedArray],
    ) -> None:
        self.header = header
        self.keys = tuple(name.lower() for name in header)
        self.lines = lines
        self.numbers = numbers
        self.missing = missing
        self.texts = texts

    @property
    def rows(self) -> int:
        """Number of data rows."""
        return self.lines.size

    def text(self, key: str) -> list[str]:
        """The cells of a text column as Python strings (for small files)."""
        values: list[str] = self.texts[key].to_pylist()
        return values


def _content_lines(block: bytes) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Start and end (exclusive, newline excluded) of each line that is not blank or a comment."""
    data = np.frombuffer(block, dtype=np.uint8)
    if data.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ends = np.flatnonzero(data == ord("\n"))
    if ends.size == 0 or ends[-1] != data.size - 1:
        ends = np.append(ends, data.size)
    starts = np.concatenate(([0], ends[:-1] + 1))
    keep = ends > starts
    first = np.where(keep, data[np.minimum(starts, data.size - 1)], 0)
    # only lines beginning with a space, a tab, "\r" or "#" can be blank or comments
    suspects = np.flatnonzero(keep & np.isin(first, np.frombuffer(b" \t\r#", dtype=np.uint8)))
    for line in suspects.tolist():
        stripped = block[starts[line] : ends[line]].strip()
        keep[line] = bool(stripped) and not stripped.startswith(b"#")
    return starts, np.where(keep, ends, -1)


def _bare_returns_as_newlines(block: bytes) -> bytes:
    """Old Mac line ends (a carriage return without a line feed) turned into line feeds."""
    if b"\r" not in block:
        return block
    data = np.frombuffer(block, dtype=np.uint8).copy()
    returns = np.flatnonzero(data == ord("\r"))
    following = np.append(data, 0)[returns + 1]
    data[returns[following != ord("\n")]] = ord("\n")
    return data.tobytes()


def _blocks(source: Path | bytes) -> Iterator[bytes]:
    """The file's bytes in blocks of whole lines, the byte-order mark removed."""
    if isinstance(source, bytes):
        yield source.removeprefix(_BOM)
        return
    with source.open("rb") as file:
        carry = b""
        first = True
        while chunk := file.read(BLOCK_BYTES):
            if first:
                chunk, first = chunk.removeprefix(_BOM), False
            chunk = carry + chunk
            cut = chunk.rfind(b"\n") + 1
            if cut == 0:
                carry = chunk
                continue
            carry = chunk[cut:]
            yield chunk[:cut]
        if carry:
            yield carry


def _separator(header_line: str) -> str:
    for separator in SEPARATORS:
        if separator in header_line:
            return separator
    return "\x1f"  # one column: no separator, so a decimal comma stays in its cell


def _decode(raw: bytes, field: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(field, "is not UTF-8 text") from None


def to_floats(
    cells: pa.Array,
    lines: Callable[[int], int],
    column: str,
    bad_cell: BadCell = bad_number_cell,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Numbers of a text column: values (NaN where missing) and the missing mask.

    Parameters
    ----------
    cells
        Trimmed cells of the column.
    lines
        Line number in the file of a row (0-based position in ``cells``).
    column
        Column name as written, for messages.
    bad_cell
        Builds the error for the first cell that is not a finite number.

    Returns
    -------
    tuple of ndarray
        ``(values, missing)``.

    Raises
    ------
    InputError
        From ``bad_cell``, for the first cell that is neither a number nor missing, or is
        an infinity.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = pc.cast(cells, pa.float64(), memory_pool=_pool()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        values = None
    if values is not None and not np.isnan(values).any() and np.isfinite(values).all():
        return values, np.zeros(values.size, dtype=bool)
    lower = pc.utf8_lower(cells)
    missing = pc.is_in(lower, value_set=pa.array(MISSING_MARKERS)).to_numpy(zero_copy_only=False)
    dotted = pc.replace_substring(cells, ",", ".", max_replacements=1)
    number = pc.match_substring_regex(dotted, _NUMBER).to_numpy(zero_copy_only=False)
    wrong = ~(number | missing)
    if wrong.any():
        at = int(np.argmax(wrong))
        text = cells[at].as_py()
        reason = "finite" if text.lower() in _INFINITE else "number"
        raise bad_cell(reason, lines(at), column, text)
    cleaned = pc.if_else(pa.array(missing), pa.scalar("nan"), dotted)
    values = np.asarray(
        pc.cast(cleaned, pa.float64(), memory_pool=_pool()).to_numpy(zero_copy_only=False)
    )
    return values, missing


def read_csv(
    source: Path | bytes,
    *,
    field: str,
    numeric: Callable[[tuple[str, ...]], Iterable[str]] = lambda header: (),
    bad_cell: BadCell = bad_number_cell,
    row_label: str = "row",
) -> CsvTable | None:
    """Read a CSV file column by column (see the module for the dialect).

    Parameters
    ----------
    source
        The file, or its content as bytes.
    field
        Names the file in errors about it as a whole (``measurements``, ``study`` …).
    numeric
        Given the lower-case header, the columns to read as numbers (while reading, so
        their text is never kept); the others are kept as text.
    bad_cell
        Builds the error for a number cell that is not a finite number.
    row_label
        Word before a line number in errors (``row``, ``study row`` …).

    Returns
    -------
    CsvTable or None
        The columns, or ``None`` for a file with no header (only blank lines and
        comments).

    Raises
    ------
    InputError
        If the file cannot be read or is not UTF-8, a row has more or fewer cells than
        the header, or a number cell is bad (``bad_cell``).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        chunks = _blocks(source)
        header: tuple[str, ...] | None = None
        header_keys: tuple[str, ...] = ()
        separator = ","
        wanted: set[str] = set()
        line_base = 0
        lines: list[Runs] = []
        numbers: dict[str, _Filling] = {}
        missing: dict[str, _Filling] = {}
        total_bytes = len(source) if isinstance(source, bytes) else source.stat().st_size
        bytes_read = 0
        texts: dict[str, list[pa.Array]] = {}
        for raw in chunks:
            block = _bare_returns_as_newlines(raw)
            starts, ends = _content_lines(block)
            content = np.flatnonzero(ends >= 0)
            if header is None:
                if content.size == 0:
                    line_base += starts.size
                    continue
                first = int(content[0])
                text = _decode(block[starts[first] : ends[first]], field).rstrip("\r")
                separator = _separator(text)
                try:
                    cells = next(csv.reader([text], delimiter=separator))
                except csv.Error as err:
                    raise InputError(field, f"cannot be read as CSV: {err}") from None
                header = tuple(name.strip() for name in cells)
                header_keys = tuple(name.lower() for name in header)
                _check_header(header)
                wanted = set(numeric(header_keys))
                content = content[1:]
            block_lines = content + line_base + 1
            bytes_read += len(raw)
            rows_read = sum(part.size for part in lines) + content.size
            expected = int(rows_read * total_bytes / max(bytes_read, 1) * 1.02) + 16
            table = _parse_block(
                block, starts, ends, content, header, separator, (field, row_label, line_base)
            )
            lines.append(Runs.compress(block_lines))
            for key, name, column in zip(header_keys, header, table.columns, strict=True):
                cells = pc.utf8_trim_whitespace(column.combine_chunks(), memory_pool=_pool())
                if key in wanted:
                    values, absent = to_floats(cells, _line_lookup(block_lines), name, bad_cell)
                    numbers.setdefault(key, _Filling(np.float64)).add(values, expected)
                    missing.setdefault(key, _Filling(np.bool_)).add(absent, expected)
                else:
                    texts.setdefault(key, []).append(cells)
            line_base += starts.size
    except OSError as err:
        name = source.name if isinstance(source, Path) else "the data"
        raise InputError(field, f"cannot read {name}: {err.strerror}") from None
    if header is None:
        return None
    return CsvTable(
        header,
        _joined_runs(lines),
        {key: numbers[key].result() if key in numbers else np.zeros(0) for key in wanted},
        {
            key: missing[key].result() if key in missing else np.zeros(0, dtype=bool)
            for key in wanted
        },
        {key: pa.chunked_array(parts, pa.string()) for key, parts in texts.items()}
        | {
            key: pa.chunked_array([], pa.string())
            for key in header_keys
            if key not in wanted and key not in texts
        },
    )


def _line_lookup(lines: NDArray[np.int64]) -> Callable[[int], int]:
    """The file line of a block's row, by its position in the block."""
    return lambda position: int(lines[position])


class _Filling:
    """An array filled block by block, allocated once for the rows the file should hold.

    The capacity is estimated from the rows per byte read so far (2 % spare) and grown by
    half when a file's later lines are shorter, so a large column is not first kept in
    pieces and then copied whole.
    """

    def __init__(self, dtype: type[np.generic]) -> None:
        self.array: NDArray[Any] = np.empty(0, dtype=dtype)
        self.size = 0

    def add(self, part: NDArray[Any], expected: int) -> None:
        need = self.size + part.size
        if need > self.array.size:
            grown = np.empty(max(need, expected, self.array.size * 3 // 2), self.array.dtype)
            grown[: self.size] = self.array[: self.size]
            self.array = grown
        self.array[self.size : need] = part
        self.size = need

    def result(self) -> NDArray[Any]:
        return self.array[: self.size]


def _joined_runs(parts: list[Runs]) -> Runs:
    """The line runs of the blocks as one sequence."""
    sizes = np.cumsum([0] + [part.size for part in parts])
    return Runs(
        first=np.concatenate([part.first for part in parts] or [np.zeros(0, dtype=np.int64)]),
        offset=np.concatenate(
            [part.offset + base for part, base in zip(parts, sizes.tolist(), strict=False)]
            or [np.zeros(0, dtype=np.int64)]
        ),
        size=int(sizes[-1]),
    )


def _check_header(header: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for i, name in enumerate(header):
        if not name:
            raise InputError(f"column {i + 1}", "has no name in the header")
        if name.lower() in seen:
            raise InputError(f"column {name!r}", "appears twice in the header")
        seen.add(name.lower())


def _parse_block(
    block: bytes,
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    content: NDArray[np.int64],
    header: tuple[str, ...],
    separator: str,
    where: tuple[str, str, int],
) -> pa.Table:
    """The content lines of a block parsed as strings, one column per header name.

    ``where`` is ``(field, row label, lines before the block)`` for error messages.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    field, row_label, line_base = where
    names = [f"c{i}" for i in range(len(header))]
    if content.size == 0:
        return pa.table({name: pa.array([], pa.string()) for name in names})
    kept = np.zeros(starts.size, dtype=bool)
    kept[content] = True
    if kept.all():
        data = block
    else:
        # keep the bytes of content lines (with their newline) and drop the others
        lengths = np.append(starts[1:], len(block)) - starts
        data = np.frombuffer(block, dtype=np.uint8)[np.repeat(kept, lengths)].tobytes()
    invalid: list[str] = []

    def refuse(row: pacsv.InvalidRow) -> str:
        invalid.append(f"{row.actual_columns} {row.text}")
        return "error"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            memory_pool=_pool(),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(
                delimiter=separator,
                ignore_empty_lines=False,
                invalid_row_handler=refuse,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as err:
        if invalid:
            count, text = invalid[0].split(" ", 1)
            line = line_base + _line_of(block, starts, ends, content, text)
            raise InputError(
                f"{row_label} {line}", f"has {count} cells; the header has {len(header)}"
            ) from None
        if "UTF8" in str(err) or "utf8" in str(err).lower():
            raise InputError(field, "is not UTF-8 text") from None
        raise InputError(field, f"cannot be read as CSV: {err}") from None
    if table.num_rows != content.size:
        raise InputError(field, "cannot be read as CSV: a quoted cell spans several lines")
    return table


def _line_of(
    block: bytes,
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    content: NDArray[np.int64],
    text: str,
) -> int:
    """Block-relative line number (1-based) of the first content line reading ``text``."""
    wanted = text.encode("utf-8", errors="replace")
    for line in content.tolist():
        if block[starts[line] : ends[line]].rstrip(b"\r") == wanted:
            return int(line) + 1
    return int(content[0]) + 1
