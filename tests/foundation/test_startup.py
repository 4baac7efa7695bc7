"""Start-up: a command loads only the heavy libraries its work needs.

Each check runs in a fresh interpreter, as a user's ``rampwise`` does, and lists the heavy
packages present in ``sys.modules`` afterwards. Loading scipy's statistics, the store
(SQLAlchemy, Alembic), the web framework, the CAD kernel or the plotting library costs
about a second before the command does anything (``benchmarks/bench_cli.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "scipy.stats",
    "scipy.optimize",
    "scipy.signal",
    "scipy.integrate",
    "scipy.special",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "matplotlib",
    "openpyxl",
    "OCP",
    "trimesh",
)


def heavy_modules_after(code: str) -> list[str]:
    """The :data:`HEAVY` packages loaded once ``code`` has run in a fresh interpreter."""
    report = (
        f"import json, sys\nprint(json.dumps(sorted(set(sys.modules).intersection({HEAVY!r}))))"
    )
    probe = f"{code}\n{report}"
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_the_command_line_loads_no_heavy_library() -> None:
    assert heavy_modules_after("import rampwise.app.cli") == []


def test_assessing_without_measurements_or_a_model_loads_no_heavy_library(
    examples_dir: Path,
) -> None:
    """The bracket example: stage, gate, route, inspection plan and price ladder."""
    code = (
        "from rampwise.api import assess\n"
        "from rampwise.io.project_file import load_project\n"
        f"assess(load_project({str(examples_dir / 'bracket_fit_check.yaml')!r}))"
    )
    assert heavy_modules_after(code) == []


def test_a_measured_batch_loads_the_statistics_it_needs(examples_dir: Path) -> None:
    """The sensor housing names a measured batch: its capability needs scipy.stats."""
    code = (
        "from rampwise.api import assess\n"
        "from rampwise.io.project_file import load_project\n"
        f"assess(load_project({str(examples_dir / 'sensor_housing_pilot.yaml')!r}))"
    )
    loaded = heavy_modules_after(code)
    assert "scipy.stats" in loaded
    assert "sqlalchemy" not in loaded
