"""Batch quality on 1e6 and 1e7 individual values: the command beside its floors, one run.

Each row is a fresh process, measured by the operating system (``os.wait4``): CPU seconds
(user + system, since the machine is shared) and peak resident memory. For each size:

* ``rampwise capability FILE --lsl --usl`` (terminal table) and with ``--json``, whole
  process: read the CSV, I-MR charts, Western Electric rules, capability (with the
  Anderson–Darling test and, when it rejects, Box-Cox), drift, output;
* anchor *pyarrow read*: a process that reads the same CSV with pyarrow into a numpy
  array (the floor of reading);
* anchor *maths alone*: a process that loads the same values from ``.npy`` and runs the
  charts, rules, capability and drift in memory (its in-process CPU beside);
* anchor *qcc*: R's qcc 3.0 ``qcc(type = "xbar.one")`` + ``process.capability`` in memory,
  when ``Rscript`` with qcc is installed (qcc built from source as ``bench_stackup.py``
  notes); otherwise the line says it is absent.

The memory bound of issue 24 is 3× the data's float64 size above the interpreter's
baseline; the baseline is the same command on a 100-value file, measured in the same
run, and the bound is printed beside each 1e7 row. Values are normal (seed fixed),
rounded to 1 nm, one ``value`` column; files are cached under the system temp folder.

Run: ``.venv/bin/python benchmarks/bench_spc.py [--sizes 1e6,1e7] [--repeats 3]
[--src OTHER/src]`` (``--src`` runs the commands against another checkout, e.g. a
worktree of the committed code, for before/after figures).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SEED = 20261123
LSL, USL = "11.995", "12.005"
CACHE = Path(tempfile.gettempdir()) / "rampwise-bench-spc"

PYARROW_READ = """
import sys
import pyarrow.csv as csv
values = csv.read_csv(sys.argv[1]).column("value").to_numpy()
print(values.size)
"""

MATHS_ALONE = """
import sys, time
import numpy as np
from rampwise.quality.capability import SpecLimits, process_capability
from rampwise.quality.charts import imr_charts
from rampwise.quality.drift import detect_drift
from rampwise.quality.rules import RuleSet
values = np.load(sys.argv[1])
start = time.process_time()
spec = SpecLimits(lsl=11.995, usl=12.005)
i, mr = imr_charts(values, rules=RuleSet.WE)
capability = process_capability(values, spec, sigma_within=i.sigma, mean=i.center)
drift = detect_drift(values, target=12.0, limits={"usl": 12.005, "lsl": 11.995})
print(f"{time.process_time() - start:.3f} {capability.cpk.value:.4f}")
"""

QCC = """
suppressMessages(library(qcc))
x <- as.numeric(read.csv(commandArgs(TRUE)[1])$value)
start <- proc.time()
q <- qcc(x, type = "xbar.one", plot = FALSE)
p <- process.capability(q, spec.limits = c(11.995, 12.005), plot = FALSE)
cat(sum((proc.time() - start)[c(1, 2)]), "\\n")
"""


def data_files(size: int) -> tuple[Path, Path]:
    """The CSV and ``.npy`` of ``size`` values (written once, then reused)."""
    CACHE.mkdir(exist_ok=True)
    csv_path, npy_path = CACHE / f"values_{size}.csv", CACHE / f"values_{size}.npy"
    if not csv_path.exists() or not npy_path.exists():
        import pyarrow as pa
        import pyarrow.csv as pacsv

        values = np.round(np.random.default_rng(SEED).normal(12.0, 0.001, size), 6)
        np.save(npy_path, values)
        pacsv.write_csv(pa.table({"value": values}), csv_path)
    return csv_path, npy_path


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """CPU seconds, peak RSS [MB] and stdout's last line of one process."""
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr = process.stderr.read().decode() if process.stderr else ""
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command[:4])} … failed: {stderr.strip()}")
        out.seek(max(0, out.seek(0, os.SEEK_END) - 4096))
        tail = out.read().decode(errors="replace").strip().splitlines()
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, tail[-1] if tail else ""


def best(command: list[str], env: dict[str, str], repeats: int) -> tuple[float, float, str]:
    """The least CPU of ``repeats`` runs, with the largest peak RSS seen."""
    runs = [measure(command, env) for _ in range(repeats)]
    return min(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e6,1e7", help="comma-separated value counts")
    parser.add_argument("--repeats", type=int, default=3, help="runs per row (least CPU kept)")
    parser.add_argument("--src", type=Path, help="run rampwise from this source folder")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src is not None:
        env["PYTHONPATH"] = str(args.src.resolve())
    python = sys.executable
    rampwise = [python, "-c", "from rampwise.app.cli import main; main()", "capability"]
    limits = ["--lsl", LSL, "--usl", USL]
    tiny, _ = data_files(100)
    base_cpu, baseline, _ = best([*rampwise, str(tiny), *limits], env, args.repeats)
    print(f"rampwise from {args.src or 'the installed package'}; seed {SEED}")
    print(f"baseline: capability on 100 values {base_cpu:.2f} s CPU, {baseline:.0f} MB peak RSS")
    print(f"{'values':>12}  {'row':<34} {'CPU s':>7} {'peak MB':>8}  note")
    for size in (int(float(s)) for s in args.sizes.split(",")):
        csv_path, npy_path = data_files(size)
        repeats = args.repeats if size <= 1_000_000 else 1
        bound = baseline + 3 * 8 * size / 2**20
        rows: list[tuple[str, list[str], str]] = [
            ("rampwise capability", [*rampwise, str(csv_path), *limits], ""),
            ("rampwise capability --json", [*rampwise, str(csv_path), *limits, "--json"], ""),
            ("anchor: pyarrow read (process)", [python, "-c", PYARROW_READ, str(csv_path)], ""),
            ("anchor: maths alone (process)", [python, "-c", MATHS_ALONE, str(npy_path)], "m"),
        ]
        for label, command, kind in rows:
            cpu, peak, last = best(command, env, repeats)
            note = f"in-process maths {last.split()[0]} s" if kind == "m" else ""
            if label.startswith("rampwise"):
                verdict = "within" if peak <= bound else "ABOVE"
                note = f"{verdict} the bound {bound:.0f} MB (baseline + 3×{8 * size / 2**20:.0f})"
            print(f"{size:>12,}  {label:<34} {cpu:>7.2f} {peak:>8.0f}  {note}")
        if shutil.which("Rscript") is None:
            print(f"{size:>12,}  {'anchor: qcc 3.0 in memory':<34} {'—':>7} {'—':>8}  no Rscript")
        else:
            cpu, peak, last = measure(["Rscript", "-e", QCC, str(csv_path)], env)
            print(
                f"{size:>12,}  {'anchor: qcc 3.0 (process)':<34} {cpu:>7.2f} {peak:>8.0f}  "
                f"in memory {last} s"
            )


if __name__ == "__main__":
    main()
