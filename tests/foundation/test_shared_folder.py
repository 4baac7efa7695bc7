"""The shared reference folder: missing on CI is a failure, elsewhere a skip that says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import SHARED_FOLDERS, in_ci, shared_folder


def complete(root: Path) -> Path:
    for folder in SHARED_FOLDERS:
        (root / folder).mkdir(parents=True)
    return root


@pytest.mark.parametrize("value", ["true", "1", "True", "yes"])
def test_on_ci_a_missing_shared_folder_fails_the_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI is set") as failure:
        shared_folder(tmp_path / "shared")
    assert str(tmp_path / "shared") in str(failure.value)


@pytest.mark.parametrize("missing", SHARED_FOLDERS)
def test_on_ci_a_missing_refdata_or_cad_folder_fails_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.setenv("CI", "true")
    root = complete(tmp_path / "shared")
    (root / missing).rmdir()
    with pytest.raises(pytest.fail.Exception) as failure:
        shared_folder(root)
    assert str(root / missing) in str(failure.value)


@pytest.mark.parametrize("value", [None, "", "0", "false"])
def test_outside_ci_a_missing_shared_folder_skips_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match="shared reference data not found"):
        shared_folder(tmp_path / "shared")


def test_a_complete_shared_folder_is_returned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    root = complete(tmp_path / "shared")
    assert shared_folder(root) == root
