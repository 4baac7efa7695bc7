"""Fixtures shared by every test area."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rampwise.core.model import Project
from rampwise.io.project_file import project_from_mapping
from support import REPO, SHARED, TODAY, build_document, shared_folder


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared reference folder beside the repository (seeds, refdata, cad).

    Without it (or its ``refdata`` or ``cad``) the tests that use it fail when ``CI`` is
    set and are skipped elsewhere, saying what is missing.
    """
    return shared_folder(SHARED)


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The bundled example projects."""
    return REPO / "src" / "rampwise" / "examples"


@pytest.fixture
def make_project() -> Callable[..., Project]:
    """Factory: ``make_project(ready=True, quantity=5000, purpose="market_release")``."""

    def factory(ready: bool = False, **overrides: Any) -> Project:
        return project_from_mapping(build_document(ready, **overrides), today=TODAY)

    return factory
