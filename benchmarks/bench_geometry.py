"""Time the geometry analysis against a raw OpenCascade read + tessellation of each part.

For every file in ``../shared/cad`` this prints the raw time (STEP: XCAF read and
transfer, then BRepMesh at the same deflection as the analysis; mesh files: trimesh
load), the whole ``analyze`` in the calling process, and their ratio; then the medians
over all files (the target), over the STEP files and over the mesh files. Each is the
best of ``--repeat`` runs, raw and analysis taken in turn so that a slow spell of a
shared machine hits both.
Target on the 2-core reference machine: median analyze <= 1 s per part and <= 2x raw.

Run: ``.venv/bin/python benchmarks/bench_geometry.py [--repeat N] [--forked] [--stages]``
(``--forked`` times analyze with its default worker process and time limit, and the raw
read in a forked child too; ``--stages``
adds, under each file, the milliseconds of each pipeline step of one more in-process run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import trimesh
from OCP.Bnd import Bnd_Box
from OCP.BRepBndLib import BRepBndLib
from OCP.BRepMesh import BRepMesh_IncrementalMesh
from OCP.STEPCAFControl import STEPCAFControl_Reader
from OCP.TCollection import TCollection_ExtendedString
from OCP.TDocStd import TDocStd_Document
from OCP.XCAFDoc import XCAFDoc_DocumentTool

from rampwise.geometry import DEFAULT_LIMITS, Limits, analysis, analyze
from rampwise.geometry.kernel_threads import note_pool_started
from rampwise.geometry.step import silence_kernel_messages
from rampwise.geometry.tolerances import MESH_ANGULAR_DEFLECTION_RAD, MESH_DEFLECTION_RATIO

SHARED_CAD = Path(__file__).resolve().parents[1].parent / "shared" / "cad"

STAGES = (
    "read_step",
    "solid_volume",
    "prepare_solid",
    "face_map",
    "solid_box",
    "tessellate",
    "survey_faces",
    "survey_edges",
    "RayCaster",
    "find_holes",
    "AccessMap",
    "plan_setups",
    "find_pockets",
    "find_internal_corners",
    "assess_turning",
    "measure_walls",
    "solid_area",
    "oriented_frame",
    "read_pmi",
    "find_bosses",
    "load_mesh",
    "closed_body",
)
"""Steps of ``rampwise.geometry.analysis`` timed by ``--stages`` (the names it calls)."""


def raw_step(path: Path) -> None:
    """XCAF read + transfer + mesh, no checks: the floor any analysis stands on."""
    reader = STEPCAFControl_Reader()
    reader.SetGDTMode(True)
    reader.ReadFile(str(path))
    document = TDocStd_Document(TCollection_ExtendedString("XmlOcaf"))
    reader.Transfer(document)
    shape_tool = XCAFDoc_DocumentTool.ShapeTool_s(document.Main())
    shape = shape_tool.GetOneShape()
    box = Bnd_Box()
    BRepBndLib.Add_s(shape, box, False)
    diagonal = float(np.linalg.norm(np.subtract(box.CornerMax().Coord(), box.CornerMin().Coord())))
    BRepMesh_IncrementalMesh(
        shape, diagonal * MESH_DEFLECTION_RATIO, False, MESH_ANGULAR_DEFLECTION_RAD, True
    )
    note_pool_started()  # a worker forked after this meshes serially (kernel_threads)


def raw_mesh(path: Path) -> None:
    """trimesh load of an STL."""
    trimesh.load(str(path), force="mesh")


def seconds(action: Callable[[], object]) -> float:
    """Wall time of one call [s]."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def seconds_in_child(action: Callable[[], object]) -> float:
    """Wall time of one call made in a forked child [s], as the analysis worker runs.

    The parent never starts OpenCascade's thread pool, so the analysis workers it forks
    afterwards mesh in parallel as a user's ``rampwise analyze`` does (kernel_threads).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write, struct.pack("d", seconds(action)))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        data = answer.read()
    os.waitpid(pid, 0)
    return float(struct.unpack("d", data)[0])


def best_pair(
    raw: Callable[[], object], analysis: Callable[[], object], repeat: int, *, forked: bool
) -> tuple[float, float]:
    """Best of ``repeat`` raw reads and analyses, taken in turn so drift hits both alike."""
    timer = seconds_in_child if forked else seconds
    raws, totals = [], []
    for _ in range(repeat):
        raws.append(timer(raw))
        totals.append(seconds(analysis))
    return min(raws), min(totals)


@contextmanager
def stage_timer() -> Iterator[dict[str, float]]:
    """Seconds spent in each of :data:`STAGES` while the context is open."""
    spent: dict[str, float] = defaultdict(float)
    originals = {name: getattr(analysis, name) for name in STAGES}

    def timed(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return run

    for name, step in originals.items():
        setattr(analysis, name, timed(name, step))
    try:
        yield spent
    finally:
        for name, step in originals.items():
            setattr(analysis, name, step)


def print_stages(path: Path) -> None:
    """One more in-process analysis, its steps in milliseconds, largest first."""
    start = time.perf_counter()
    with stage_timer() as spent:
        analyze(path, limits=Limits(time_limit_s=None), largest_solid=True)
    total = time.perf_counter() - start
    steps = sorted(((t, n) for n, t in spent.items() if t >= 0.0005), reverse=True)
    parts = [f"{name} {1000 * t:.0f}" for t, name in steps]
    print(f"    ms: {', '.join(parts)}, other {1000 * (total - sum(spent.values())):.0f}")


def print_median(label: str, raws: list[float], totals: list[float], ratios: list[float]) -> None:
    if raws:
        print(
            f"{label:36s} {statistics.median(raws):7.3f} {statistics.median(totals):10.3f} "
            f"{statistics.median(ratios):6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per file")
    parser.add_argument("--forked", action="store_true", help="time analyze in its worker")
    parser.add_argument("--stages", action="store_true", help="print each step's time")
    args = parser.parse_args()
    if args.stages and args.forked:
        parser.error("--stages times the steps in this process; leave out --forked")
    silence_kernel_messages()
    limits = DEFAULT_LIMITS if args.forked else Limits(time_limit_s=None)
    files = sorted(p for p in SHARED_CAD.iterdir() if p.suffix.lower() != ".md")
    analyze(files[0], limits=limits, largest_solid=True)  # warm imports and caches
    print(f"{'file':36s} {'raw s':>7s} {'analyze s':>10s} {'ratio':>6s}")
    rows: list[tuple[bool, float, float]] = []
    for path in files:
        step = path.suffix.lower() in {".stp", ".step"}
        raw_read = raw_step if step else raw_mesh
        raw, total = best_pair(
            lambda p=path, read=raw_read: read(p),
            lambda p=path: analyze(p, limits=limits, largest_solid=True),
            args.repeat,
            forked=args.forked,
        )
        rows.append((step, raw, total))
        print(f"{path.name:36s} {raw:7.3f} {total:10.3f} {total / raw:6.2f}")
        if args.stages:
            print_stages(path)
    for label, kinds in (
        ("median", {True, False}),
        ("median, STEP", {True}),
        ("median, mesh", {False}),
    ):
        chosen = [(raw, total) for step, raw, total in rows if step in kinds]
        print_median(
            label,
            [raw for raw, _ in chosen],
            [total for _, total in chosen],
            [total / raw for raw, total in chosen],
        )
    totals = [total for _, _, total in rows]
    ratios = [total / raw for _, raw, total in rows]
    print(
        f"target: median analyze <= 1 s ({statistics.median(totals) <= 1.0}), "
        f"median ratio <= 2 ({statistics.median(ratios) <= 2.0})"
    )


if __name__ == "__main__":
    main()
