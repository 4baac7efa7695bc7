"""Uploaded files: kept once by SHA-256, type checked from name and content, size limited."""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.app.store.blobs import (
    FileTooLargeError,
    UnsupportedFileError,
    check_content,
    save_bytes,
    save_upload,
)
from rampwise.app.store.records import FileKind

STEP = b"ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def binary_stl(triangles: int) -> bytes:
    """80-byte header, uint32 count, 50 bytes per triangle (the binary STL layout)."""
    return b"\x00" * 80 + struct.pack("<I", triangles) + b"\x00" * (50 * triangles)


def test_content_is_named_by_its_sha256(tmp_path: Path) -> None:
    # FIPS 180-2, appendix B.1: SHA-256("abc").
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    blob = save_bytes(
        b"abc", files_dir=tmp_path, original_name="a.yaml", allowed=(FileKind.PROJECT,)
    )
    assert blob.sha256 == expected
    assert blob.path == tmp_path / "ba" / f"{expected}.yaml"
    assert blob.path.read_bytes() == b"abc"
    again = save_bytes(
        b"abc", files_dir=tmp_path, original_name="a.yaml", allowed=(FileKind.PROJECT,)
    )
    assert again.path == blob.path


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("part.STEP", STEP, FileKind.STEP),
        ("part.stp", b"\xef\xbb\xbf" + STEP, FileKind.STEP),
        ("mesh.stl", binary_stl(3), FileKind.STL),
        ("mesh.STL", b"solid cube\nfacet normal 0 0 1\nendsolid cube\n", FileKind.STL),
        ("parts.zip", b"PK\x03\x04" + b"\x00" * 30, FileKind.ZIP),
    ],
)
def test_accepted_types(tmp_path: Path, name: str, content: bytes, kind: FileKind) -> None:
    blob = save_bytes(
        content,
        files_dir=tmp_path,
        original_name=name,
        allowed=(FileKind.STEP, FileKind.STL, FileKind.ZIP),
    )
    assert blob.kind is kind
    assert blob.size_bytes == len(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("part.step", PNG, "is not a STEP file"),
        ("part.exe", STEP, "is not a supported type; accepted: .step, .stp, .stl"),
        ("mesh.stl", b"\x00" * 90, "is not an STL file"),
        ("part.step", b"", "is empty"),
    ],
)
def test_refused_types(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    with pytest.raises(UnsupportedFileError, match=message):
        save_bytes(
            content, files_dir=tmp_path, original_name=name, allowed=(FileKind.STEP, FileKind.STL)
        )
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_oversized_upload_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    with pytest.raises(FileTooLargeError, match="exceeds the upload limit of 100 bytes"):
        save_upload(
            io.BytesIO(STEP + b"x" * 200),
            files_dir=tmp_path,
            original_name="big.step",
            allowed=(FileKind.STEP,),
            max_bytes=100,
        )
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_folders_in_the_client_file_name_are_dropped(tmp_path: Path) -> None:
    blob = save_bytes(
        STEP, files_dir=tmp_path, original_name="..\\..\\etc/part.step", allowed=(FileKind.STEP,)
    )
    assert blob.original_name == "part.step"
    assert blob.path.is_relative_to(tmp_path)


def test_a_binary_stl_whose_count_does_not_match_its_size_is_refused() -> None:
    content = binary_stl(3)[:-10]
    with pytest.raises(UnsupportedFileError):
        check_content(FileKind.STL, "x.stl", content[:84], len(content))


@settings(max_examples=60, deadline=None)
@given(content=st.binary(min_size=1, max_size=400))
def test_any_text_is_kept_byte_for_byte(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    files = tmp_path_factory.mktemp("blobs")
    try:
        blob = save_bytes(
            content, files_dir=files, original_name="m.csv", allowed=(FileKind.MEASUREMENTS,)
        )
    except UnsupportedFileError:
        assert b"\x00" in content[:84]
        return
    assert blob.path.read_bytes() == content
    assert blob.sha256 == hashlib.sha256(content).hexdigest()
