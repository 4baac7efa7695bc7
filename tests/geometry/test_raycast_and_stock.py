"""The NumPy ray caster against brute force, wall thickness and stock by hand calculation."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.errors import InputError
from rampwise.geometry.facts import as_stock_area, axis_aligned_frame, choose_stock
from rampwise.geometry.raycast import RayCaster, measure_walls, triangle_normals


def brute_force(
    vertices: np.ndarray, triangles: np.ndarray, origin: np.ndarray, direction: np.ndarray
) -> float:
    """First hit by a second method: ray-plane distance, then an inside test by the signs of
    the three edge cross products (not Möller–Trumbore)."""
    best = float("inf")
    for a, b, c in vertices[triangles]:
        normal = np.cross(b - a, c - a)
        facing = float(normal @ direction)
        if abs(facing) < 1e-15:
            continue
        distance = float(normal @ (a - origin)) / facing
        if distance <= 1e-9:
            continue
        point = origin + distance * direction
        signs = [float(np.cross(q - p, point - p) @ normal) for p, q in ((a, b), (b, c), (c, a))]
        if all(v >= -1e-9 for v in signs) or all(v <= 1e-9 for v in signs):
            best = min(best, distance)
    return best


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_caster_agrees_with_brute_force(seed: int) -> None:
    sphere = trimesh.creation.icosphere(subdivisions=1, radius=10.0)
    box = trimesh.creation.box(extents=(30.0, 4.0, 8.0))
    scene = trimesh.util.concatenate([sphere, box])
    vertices, triangles = np.asarray(scene.vertices), np.asarray(scene.faces, dtype=np.int64)
    rng = np.random.default_rng(seed)
    origins = rng.uniform(-20, 20, size=(8, 3))
    directions = rng.normal(size=(8, 3))
    directions /= np.linalg.norm(directions, axis=1)[:, None]
    hits = RayCaster(vertices, triangles).first_hits(origins, directions, min_distance=1e-9)
    for origin, direction, distance in zip(origins, directions, hits.distance, strict=True):
        expected = brute_force(vertices, triangles, origin, direction)
        assert distance == pytest.approx(expected, rel=1e-9, abs=1e-9) or (
            np.isinf(distance) and np.isinf(expected)
        )


@pytest.mark.parametrize("thickness", [0.5, 2.0, 12.0])
def test_wall_of_a_slab_is_its_thickness(thickness: float) -> None:
    slab = trimesh.creation.box(extents=(40.0, 30.0, thickness))
    vertices, triangles = np.asarray(slab.vertices), np.asarray(slab.faces, dtype=np.int64)
    report = measure_walls(
        RayCaster(vertices, triangles), vertices, triangles, report_below_mm=1.0, min_distance=1e-6
    )
    assert report.min_mm == pytest.approx(thickness)
    assert len(report.thin) == (1 if thickness < 1.0 else 0)


def test_inside_test_of_a_cube() -> None:
    cube = trimesh.creation.box(extents=(2.0, 2.0, 2.0))
    caster = RayCaster(np.asarray(cube.vertices), np.asarray(cube.faces, dtype=np.int64))
    points = np.array([[0.0, 0.0, 0.0], [3.0, 0.0, 0.0], [0.9, 0.9, -0.9]])
    up = np.tile([0.3, 0.4, 0.866], (3, 1))
    up /= np.linalg.norm(up, axis=1)[:, None]
    assert caster.inside(points, up, min_distance=1e-9).tolist() == [True, False, True]


def test_stock_bar_with_allowance() -> None:
    """Part 10 x 50 x 100 mm: 10 + 2 x 1 mm allowance = 12 -> the next 1/8 in size is 1/2 in
    (12.7 mm); 50 + 2 = 52 -> 2 1/4 in (57.15 mm) bar; length sawn with 1 mm a side: 102 mm.

    The analysis takes the quote's stock (rampwise.stock): rectangular bar before plate, as
    bar costs about half the $/lb of plate (research/quoting.md §2.3). Its own rule took
    the smaller volume, plate 12.7 x 52 x 102 mm.
    """
    points = np.array([[0, 0, 0], [100, 50, 10]], dtype=float)
    choice = choose_stock([axis_aligned_frame(points)], allowance_mm=1.0)
    assert choice.stock.form == "rect_bar"
    assert choice.stock.size_mm == pytest.approx((12.7, 57.15, 102))
    assert choice.stock.volume_mm3 == pytest.approx(12.7 * 57.15 * 102)
    assert choice.kept_axes == ()


def test_stock_equal_to_a_standard_size_keeps_its_faces() -> None:
    """A 12.7 mm (1/2 in) thick part: plate of exactly that thickness, top and bottom as-stock."""
    slab = trimesh.creation.box(extents=(100.0, 60.0, 12.7))
    slab.apply_translation(-slab.bounds[0])
    vertices, triangles = np.asarray(slab.vertices), np.asarray(slab.faces, dtype=np.int64)
    choice = choose_stock([axis_aligned_frame(vertices)], allowance_mm=1.0)
    assert choice.stock.size_mm[0] == pytest.approx(12.7) and 2 in choice.kept_axes
    normals, areas = triangle_normals(vertices, triangles)
    kept = as_stock_area(choice, vertices[triangles].mean(axis=1), normals, areas)
    assert kept == pytest.approx(2 * 100 * 60)


def test_oversize_part_falls_back_to_a_block() -> None:
    """Nothing in the catalog is 400 mm thick: block = box + 1 mm per side."""
    points = np.array([[0, 0, 0], [500, 450, 400]], dtype=float)
    choice = choose_stock([axis_aligned_frame(points)], allowance_mm=1.0)
    assert choice.stock.form == "block"
    assert choice.stock.volume_mm3 == pytest.approx(402 * 452 * 502)


def test_negative_allowance_is_refused() -> None:
    with pytest.raises(InputError, match="allowance_mm"):
        choose_stock([axis_aligned_frame(np.eye(3))], allowance_mm=-1.0)
