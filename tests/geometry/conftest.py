"""Fixtures of the geometry tests: the shared CAD files, each analysed once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rampwise.geometry import Limits, PartGeometry, analyze

IN_PROCESS = Limits(time_limit_s=None)
"""Analyse in the test process (the worker process is tested on its own)."""


@pytest.fixture(scope="session")
def cad_dir(shared_dir: Path) -> Path:
    """``../shared/cad``: the public test parts listed in its MANIFEST.md.

    ``shared_dir`` has checked that it is there (failing on CI, skipping elsewhere).
    """
    return shared_dir / "cad"


@pytest.fixture(scope="session")
def analysed(cad_dir: Path) -> Callable[..., PartGeometry]:
    """``analysed(name, **options)``: the analysis of a shared file, cached per options."""
    cache: dict[tuple[str, tuple[tuple[str, object], ...]], PartGeometry] = {}

    def get(name: str, **options: object) -> PartGeometry:
        key = (name, tuple(sorted(options.items())))
        if key not in cache:
            cache[key] = analyze(cad_dir / name, limits=IN_PROCESS, **options)  # type: ignore[arg-type]
        return cache[key]

    return get
