"""A mesh carries no unit: the one given with its path (a project file's, a form's) scales it.

The test part is a closed 1 × 1 × 1 cube written by trimesh; read in inches it is a
25.4 mm cube (NIST SP 811, 1 in = 25.4 mm exactly).
"""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest
import trimesh
import yaml

from rampwise.api import assess
from rampwise.geometry import Limits, MeshPath, analyze, with_mesh_unit
from rampwise.geometry.formats import mesh_unit
from rampwise.io.project_file import load_project, project_from_mapping, with_cad
from support import TODAY

IN_PROCESS = Limits(time_limit_s=None)
INCH_CUBE_MM = [25.4, 25.4, 25.4]


@pytest.fixture
def cube(tmp_path: Path) -> Path:
    """A 1 × 1 × 1 cube in an STL file (no unit, as every STL)."""
    path = tmp_path / "cube.stl"
    trimesh.creation.box(extents=(1.0, 1.0, 1.0)).export(path)
    return path


def write_project(folder: Path, **top: object) -> Path:
    document = {
        "project": "Cube",
        "part": {"number": "C-1", "material": "Al 6061-T6", "cad": "cube.stl"},
        "quantity": 10,
        "purpose": "fit_check",
        **top,
    }
    path = folder / "cube.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_a_mesh_path_in_inches_is_analysed_as_a_25_4_mm_cube(cube: Path) -> None:
    result = analyze(with_mesh_unit(cube, "in"), limits=IN_PROCESS)
    assert result.bbox_mm == pytest.approx(INCH_CUBE_MM)
    assert result.units == "in"
    assert "input.units" not in {f.rule for f in result.findings}


def test_the_unit_reaches_the_time_limited_worker(cube: Path) -> None:
    assert analyze(with_mesh_unit(cube, "in")).bbox_mm == pytest.approx(INCH_CUBE_MM)


def test_an_explicit_unit_wins_over_the_paths(cube: Path) -> None:
    result = analyze(with_mesh_unit(cube, "in"), unit="mm", limits=IN_PROCESS)
    assert result.bbox_mm == pytest.approx([1.0, 1.0, 1.0])


def test_a_mesh_path_keeps_its_unit_through_copies_and_pickles(cube: Path) -> None:
    path = with_mesh_unit(cube, "in")
    assert isinstance(path, MeshPath) and path == cube
    for copied in (copy.copy(path), copy.deepcopy(path), pickle.loads(pickle.dumps(path))):
        assert mesh_unit(copied) == "in" and copied == cube
    # Paths derived from it name other files and state no unit.
    assert mesh_unit(path.parent) is None


def test_a_step_file_or_no_unit_stays_a_plain_path() -> None:
    assert type(with_mesh_unit("part.step", "in")) is type(Path("part.step"))
    assert mesh_unit(with_mesh_unit("part.stl", None)) is None
    assert mesh_unit(with_mesh_unit("part.STL", "in")) == "in"


def test_an_inch_project_file_reads_the_stl_it_names_in_inches(cube: Path) -> None:
    project = load_project(write_project(cube.parent, unit="in"), today=TODAY)
    assert project.part.cad is not None and mesh_unit(project.part.cad) == "in"
    result = assess(project, today=TODAY)
    assert result.geometry is not None
    assert result.geometry.bbox_mm == pytest.approx(INCH_CUBE_MM)
    assert "input.units" not in {f.rule for f in result.geometry.findings}


def test_a_project_file_saying_mm_states_the_unit_of_its_stl(cube: Path) -> None:
    project = load_project(write_project(cube.parent, unit="mm"), today=TODAY)
    assert project.part.cad is not None
    geometry = analyze(project.part.cad, limits=IN_PROCESS)
    assert geometry.bbox_mm == pytest.approx([1.0, 1.0, 1.0])
    assert geometry.units == "mm"


def test_a_project_file_without_a_unit_leaves_its_stl_in_assumed_mm(cube: Path) -> None:
    project = load_project(write_project(cube.parent), today=TODAY)
    assert project.part.cad is not None and mesh_unit(project.part.cad) is None
    geometry = analyze(project.part.cad, limits=IN_PROCESS)
    assert geometry.units == "mm (assumed)"
    assert "input.units" in {f.rule for f in geometry.findings}


def test_with_cad_gives_an_uploaded_model_the_unit(cube: Path) -> None:
    document = yaml.safe_load(write_project(cube.parent).read_text(encoding="utf-8"))
    del document["part"]["cad"]
    project = with_cad(project_from_mapping(document, today=TODAY), str(cube), unit="in")
    assert project.part.cad == cube
    assert mesh_unit(project.part.cad) == "in"
    assert with_cad(project, None).part.cad is None
