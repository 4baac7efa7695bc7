"""Wall time of ``rampwise`` commands as a user runs them: a fresh process each time.

Every command runs ``--repeat`` times as a subprocess of the installed console script
(the first run warms the disk cache and is not counted); the best and the median wall
time are printed, with the import time of the whole ``rampwise.app.cli`` package beside them
(``python -X importtime``). A command that fails stops the script.

Figures are what a person at the terminal waits for: interpreter start, imports of the
libraries the command needs, the work, the output. A command that needs no CAD kernel, no
statistics and no database should not load them.

Run: ``.venv/bin/python benchmarks/bench_cli.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "src" / "rampwise" / "examples"
SHARED_CAD = HERE.parents[1] / "shared" / "cad"
RAMPWISE = Path(sys.executable).with_name("rampwise")

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("limits", "25", "g6"),
    ("fit", "25", "H7/g6"),
    ("stages",),
    ("sampling", "--lot-size", "2400", "--aql", "1.0", "--level", "II"),
    ("assess", str(EXAMPLES / "bracket_fit_check.yaml")),
    ("assess", str(EXAMPLES / "valve_body_production.yaml"), "--json"),
    ("quote", str(EXAMPLES / "enclosure_market_release.yaml")),
    ("assess", str(EXAMPLES / "sensor_housing_pilot.yaml")),
    (
        "capability",
        str(EXAMPLES / "measurements" / "sensor_housing_bore.csv"),
        "--spec",
        str(EXAMPLES / "measurements" / "sensor_housing_spec.yaml"),
    ),
    ("analyze", str(SHARED_CAD / "nist_ctc_01_asme1_ap242-e1.stp"), "--json"),
)


def wall_seconds(arguments: tuple[str, ...], workdir: Path) -> float:
    """Wall time of one run of ``rampwise ARGUMENTS`` [s]."""
    start = time.perf_counter()
    subprocess.run(
        [str(RAMPWISE), *arguments],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=workdir,
    )
    return time.perf_counter() - start


def import_seconds() -> float:
    """Cumulative import time of ``rampwise.app.cli`` in a fresh interpreter [s]."""
    report = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import rampwise.app.cli"],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    match = re.search(r"\|\s*(\d+)\s*\|\s*rampwise\.cli\s*$", report, re.M)
    if match is None:
        raise SystemExit("no import time for rampwise.app.cli in the -X importtime report")
    return int(match.group(1)) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command")
    options = parser.parse_args()
    print(f"import rampwise.app.cli: {import_seconds():.3f} s")
    print(f"{'command':58} {'best s':>7} {'median s':>9}")
    with tempfile.TemporaryDirectory() as workdir:
        for arguments in COMMANDS:
            wall_seconds(arguments, Path(workdir))
            times = [wall_seconds(arguments, Path(workdir)) for _ in range(options.repeat)]
            shown = " ".join(Path(a).name if Path(a).is_absolute() else a for a in arguments)
            print(f"rampwise {shown:49} {min(times):7.3f} {statistics.median(times):9.3f}")


if __name__ == "__main__":
    main()
