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
    "pyarrow",
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


def modules_after_command(*arguments: str, cwd: Path) -> set[str]:
    """Every module in ``sys.modules`` once ``rampwise ARGUMENTS`` has run, in a fresh process.

    The command runs as the console script runs it; its output goes to a pipe.
    """
    probe = (
        "import json, sys\n"
        "from rampwise.app.cli import main\n"
        f"sys.argv = ['rampwise', *{list(arguments)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as end:\n"
        "    assert end.code in (0, None), end.code\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=cwd
    )
    loaded: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return set(loaded)


def _heavy(modules: set[str]) -> list[str]:
    return sorted(modules.intersection(HEAVY))


def test_help_loads_no_command_and_no_library_beyond_the_command_line(tmp_path: Path) -> None:
    """``rampwise --help`` lists the commands from their table: no command module, numpy,
    pydantic, pipeline or any :data:`HEAVY` library is imported."""
    loaded = modules_after_command("--help", cwd=tmp_path)
    assert _heavy(loaded) == []
    assert {"numpy", "pydantic", "yaml", "rampwise.pipeline"}.isdisjoint(loaded)
    commands = {m for m in loaded if m.startswith("rampwise.app.cli.")}
    assert commands == {"rampwise.app.cli._common", "rampwise.app.cli._lazy"}


def test_limits_and_fit_load_no_numpy(tmp_path: Path) -> None:
    for arguments in (("limits", "25", "g6"), ("fit", "25", "H7/g6")):
        loaded = modules_after_command(*arguments, cwd=tmp_path)
        assert _heavy(loaded) == []
        assert {"numpy", "rampwise.pipeline"}.isdisjoint(loaded), arguments


def test_sampling_loads_no_heavy_library(tmp_path: Path) -> None:
    """The lot plan, its Pa at the AQL and AOQL: the distributions are worked out in numpy."""
    loaded = modules_after_command(
        "sampling", "--lot-size", "2400", "--aql", "1.0", "--double", cwd=tmp_path
    )
    assert _heavy(loaded) == []
    assert "rampwise.pipeline" not in loaded


def test_a_monte_carlo_stack_loads_no_heavy_library(tmp_path: Path) -> None:
    """The normal tail of the RSS estimate through math.erfc, not scipy.stats."""
    stack = {
        "name": "two",
        "requirement": {"min": 0.0, "max": 0.2},
        "contributors": [
            {"name": "a", "nominal": 10.1, "tolerance": "±0.05", "direction": 1},
            {"name": "b", "nominal": 10.0, "tolerance": "±0.05", "direction": -1},
        ],
    }
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(stack), encoding="utf-8")
    loaded = modules_after_command(
        "stack", str(path), "--method", "monte-carlo", "--samples", "1000", cwd=tmp_path
    )
    assert _heavy(loaded) == []
    assert "rampwise.pipeline" not in loaded
