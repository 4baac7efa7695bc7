"""Uploaded files, kept once by content hash under ``<data_dir>/files``.

A file is written to a temporary name and moved into place atomically, so a reader
never sees half a file; it is referenced from the database only after that. Files are
immutable: the same content uploaded twice is kept once. What a file holds is decided
from its name *and* its first bytes, so a renamed file of the wrong type is refused.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from rampwise.app.store.records import FileKind
from rampwise.core.errors import InputError

CHUNK_BYTES = 1 << 20
"""Read size when streaming an upload [bytes]."""

STEP_MAGIC = b"ISO-10303-21"
"""First token of every STEP Part 21 file (ISO 10303-21 clause 5)."""

ZIP_MAGIC = b"PK\x03\x04"
"""Local file header signature of a ZIP archive."""

STL_HEADER_BYTES = 84
STL_TRIANGLE_BYTES = 50
"""Binary STL layout: an 80-byte header, a uint32 count, 50 bytes per triangle."""

SUFFIXES: dict[FileKind, tuple[str, ...]] = {
    FileKind.STEP: (".step", ".stp"),
    FileKind.STL: (".stl",),
    FileKind.PROJECT: (".yaml", ".yml", ".json"),
    FileKind.MEASUREMENTS: (".csv", ".qif", ".xml"),
    FileKind.GAUGE_STUDY: (".csv",),
    FileKind.ZIP: (".zip",),
}
"""Accepted file name endings per kind."""


class UnsupportedFileError(InputError):
    """An upload whose name or content is not a type rampwise reads (HTTP 415)."""


class FileTooLargeError(InputError):
    """An upload larger than the configured limit (HTTP 413)."""


@dataclass(frozen=True)
class Blob:
    """A file in the content store.

    Attributes
    ----------
    sha256
        Hex SHA-256 of the content.
    size_bytes
        Size [bytes].
    path
        Where it is kept.
    """

    sha256: str
    size_bytes: int
    kind: FileKind
    original_name: str
    path: Path


def kind_from_name(name: str, *, allowed: tuple[FileKind, ...]) -> FileKind:
    """The kind a file name announces, among ``allowed``.

    Raises
    ------
    UnsupportedFileError
        If the name ends in none of the accepted suffixes.
    """
    suffix = PurePath(name).suffix.lower()
    for kind in allowed:
        if suffix in SUFFIXES[kind]:
            return kind
    accepted = ", ".join(s for kind in allowed for s in SUFFIXES[kind])
    raise UnsupportedFileError("file", f"{name!r} is not a supported type; accepted: {accepted}")


def check_content(kind: FileKind, name: str, head: bytes, size_bytes: int) -> None:
    """Check that the first bytes of a file match the kind its name announces.

    Parameters
    ----------
    kind
        The kind from the file name.
    name
        The file name, for the message.
    head
        The first bytes of the file (at least 84 when the file is that long).
    size_bytes
        The whole file's size [bytes].

    Raises
    ------
    UnsupportedFileError
        If the content is not what the name says (e.g. a PNG renamed ``part.step``).
    """
    if size_bytes == 0:
        raise UnsupportedFileError("file", f"{name!r} is empty")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if kind is FileKind.STEP and not stripped.startswith(STEP_MAGIC):
        raise UnsupportedFileError("file", f"{name!r} is not a STEP file (no ISO-10303-21 header)")
    if kind is FileKind.STL and not _looks_like_stl(head, size_bytes):
        raise UnsupportedFileError(
            "file", f"{name!r} is not an STL file (neither binary nor ASCII)"
        )
    if kind is FileKind.ZIP and not head.startswith(ZIP_MAGIC):
        raise UnsupportedFileError("file", f"{name!r} is not a ZIP archive")
    if kind in (FileKind.PROJECT, FileKind.MEASUREMENTS, FileKind.GAUGE_STUDY) and b"\x00" in head:
        raise UnsupportedFileError("file", f"{name!r} is not a text file")


def _looks_like_stl(head: bytes, size_bytes: int) -> bool:
    if size_bytes >= STL_HEADER_BYTES and len(head) >= STL_HEADER_BYTES:
        count = int.from_bytes(head[80:84], "little")
        if STL_HEADER_BYTES + STL_TRIANGLE_BYTES * count == size_bytes:
            return True
    return head.lstrip().lower().startswith(b"solid") and b"\x00" not in head


def blob_path(files_dir: Path, sha256: str, kind: FileKind, original_name: str) -> Path:
    """Where the content with ``sha256`` is kept (suffix kept for readers that need it)."""
    suffix = PurePath(original_name).suffix.lower() or SUFFIXES[kind][0]
    return files_dir / sha256[:2] / f"{sha256}{suffix}"


def save_upload(
    stream: BinaryIO,
    *,
    files_dir: Path,
    original_name: str,
    allowed: tuple[FileKind, ...],
    max_bytes: int,
) -> Blob:
    """Stream an upload into the content store, checking its type and size on the way.

    Parameters
    ----------
    stream
        The upload, read in chunks.
    files_dir
        Root of the content store.
    original_name
        The file name the client gave.
    allowed
        Kinds accepted at this route.
    max_bytes
        Upload limit [bytes].

    Raises
    ------
    UnsupportedFileError
        If the name or the content is of a type not in ``allowed``.
    FileTooLargeError
        If the content exceeds ``max_bytes``; nothing is kept.
    """
    name = PurePath(original_name.replace("\\", "/")).name or "upload"
    kind = kind_from_name(name, allowed=allowed)
    files_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    handle, temp_name = tempfile.mkstemp(dir=files_dir, prefix=".upload-")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLargeError(
                        "file", f"{name!r} exceeds the upload limit of {max_bytes} bytes"
                    )
                if len(head) < STL_HEADER_BYTES:
                    head += chunk[: STL_HEADER_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        check_content(kind, name, head, size)
        sha = digest.hexdigest()
        target = blob_path(files_dir, sha, kind, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            temp.unlink()
        else:
            os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Blob(sha256=sha, size_bytes=size, kind=kind, original_name=name, path=target)


def save_bytes(
    content: bytes, *, files_dir: Path, original_name: str, allowed: tuple[FileKind, ...]
) -> Blob:
    """Keep in-memory content (a member of an uploaded archive) like an upload."""
    import io

    return save_upload(
        io.BytesIO(content),
        files_dir=files_dir,
        original_name=original_name,
        allowed=allowed,
        max_bytes=max(len(content), 1),
    )
