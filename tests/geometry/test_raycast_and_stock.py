"""The NumPy ray caster against brute force, wall thickness and stock by hand calculation."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
import trimesh
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.geometry import raycast
from rampwise.geometry.facts import as_stock_area, axis_aligned_frame, choose_stock
from rampwise.geometry.features import min_area_rectangle
from rampwise.geometry.raycast import RayCaster, measure_walls, spread, triangle_normals


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


@given(size=st.integers(0, 5_000), count=st.integers(1, 4_000))
def test_spread_picks_what_linspace_picks(size: int, count: int) -> None:
    rows = np.arange(size, dtype=np.int64) * 7
    expected = rows if size <= count else rows[np.linspace(0, size - 1, count).astype(np.int64)]
    np.testing.assert_array_equal(spread(rows, count), expected)


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


def all_triangles(
    vertices: np.ndarray, triangles: np.ndarray, origin: np.ndarray, direction: np.ndarray
) -> float:
    """First hit against every triangle at once: plane distance, then the three edge signs."""
    a, b, c = (vertices[triangles[:, k]] for k in range(3))
    normal = np.cross(b - a, c - a)
    facing = normal @ direction
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = np.einsum("ij,ij->i", normal, a - origin) / facing
        point = origin + distance[:, None] * direction
        signs = np.stack(
            [
                np.einsum("ij,ij->i", np.cross(q - p, point - p), normal)
                for p, q in ((a, b), (b, c), (c, a))
            ]
        )
    scale = np.einsum("ij,ij->i", normal, normal)
    inside = (signs >= -1e-9 * scale).all(axis=0) | (signs <= 1e-9 * scale).all(axis=0)
    hit = inside & (np.abs(facing) > 1e-15) & (distance > 1e-9)
    return float(distance[hit].min()) if hit.any() else float("inf")


def test_caster_agrees_with_brute_force_on_a_large_mesh() -> None:
    """Thousands of triangles and hundreds of rays: the hierarchy is descended, not skipped.

    Half the rays are axis-parallel and start on the planes of the box's faces (rays that a
    box test with 0 × ∞ used to drop).
    """
    sphere = trimesh.creation.icosphere(subdivisions=4, radius=10.0)
    box = trimesh.creation.box(extents=(30.0, 4.0, 8.0))
    scene = trimesh.util.concatenate([sphere, box])
    vertices, triangles = np.asarray(scene.vertices), np.asarray(scene.faces, dtype=np.int64)
    rng = np.random.default_rng(7)
    random_origins = rng.uniform(-20, 20, size=(150, 3))
    random_directions = rng.normal(size=(150, 3))
    random_directions /= np.linalg.norm(random_directions, axis=1)[:, None]
    # Rays in the planes of the box's y faces, along x from beyond its ends or along z from
    # above and below it: each grazes a face and meets the box or the sphere.
    side = rng.choice([-1.0, 1.0], size=(150, 1))
    along_x = np.column_stack((25.0 * side[:75, 0], np.zeros(75), rng.uniform(-3.9, 3.9, 75)))
    along_z = np.column_stack((rng.uniform(-14, 14, 75), np.zeros(75), 20.0 * side[75:, 0]))
    axis_origins = np.vstack((along_x, along_z))
    axis_origins[:, 1] = rng.choice([-2.0, 2.0], size=150)
    axis_directions = -side * np.vstack(
        (np.tile([1.0, 0, 0], (75, 1)), np.tile([0, 0, 1.0], (75, 1)))
    )
    origins = np.vstack((random_origins, axis_origins))
    directions = np.vstack((random_directions, axis_directions))
    hits = RayCaster(vertices, triangles).first_hits(origins, directions, min_distance=1e-9)
    expected = np.array(
        [all_triangles(vertices, triangles, o, d) for o, d in zip(origins, directions, strict=True)]
    )
    assert np.isfinite(expected[150:]).all()
    for distance, want in zip(hits.distance, expected, strict=True):
        assert distance == pytest.approx(want, rel=1e-9, abs=1e-9) or (
            np.isinf(distance) and np.isinf(want)
        )


def test_rays_cast_together_or_one_by_one_agree() -> None:
    """A batch starts its descent nearer the root than a single ray; the hits are the same."""
    sphere = trimesh.creation.icosphere(subdivisions=3, radius=5.0)
    vertices, triangles = np.asarray(sphere.vertices), np.asarray(sphere.faces, dtype=np.int64)
    caster = RayCaster(vertices, triangles)
    rng = np.random.default_rng(3)
    origins = rng.uniform(-8, 8, size=(400, 3))
    directions = rng.normal(size=(400, 3))
    directions /= np.linalg.norm(directions, axis=1)[:, None]
    together = caster.first_hits(origins, directions, min_distance=1e-9)
    for i in range(0, 400, 37):
        alone = caster.first_hits(origins[i : i + 1], directions[i : i + 1], min_distance=1e-9)
        assert alone.distance[0] == together.distance[i]
        assert alone.triangle[0] == together.triangle[i]


def test_a_ray_through_a_shared_edge_names_the_lower_triangle() -> None:
    """A square of two triangles hit on its diagonal: both at 5 mm, triangle 0 is reported."""
    vertices = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=float)
    for triangles in (np.array([[0, 1, 2], [0, 2, 3]]), np.array([[0, 2, 3], [0, 1, 2]])):
        hits = RayCaster(vertices, triangles).first_hits(
            np.array([[0.5, 0.5, 5.0]]), np.array([[0.0, 0.0, -1.0]]), min_distance=1e-9
        )
        assert hits.distance[0] == pytest.approx(5.0)
        assert hits.triangle[0] == 0


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), cut=st.floats(0.0, 40.0))
def test_a_cut_off_cast_keeps_the_hits_within_it(seed: int, cut: float) -> None:
    """Hits no farther than ``max_distance`` are the uncut ones (distance and triangle, to
    the bit); farther ones become misses."""
    sphere = trimesh.creation.icosphere(subdivisions=3, radius=10.0)
    box = trimesh.creation.box(extents=(30.0, 4.0, 8.0))
    scene = trimesh.util.concatenate([sphere, box])
    caster = RayCaster(np.asarray(scene.vertices), np.asarray(scene.faces, dtype=np.int64))
    rng = np.random.default_rng(seed)
    origins = rng.uniform(-20, 20, size=(300, 3))
    directions = rng.normal(size=(300, 3))
    directions /= np.linalg.norm(directions, axis=1)[:, None]
    uncut = caster.first_hits(origins, directions, min_distance=1e-9)
    hits = caster.first_hits(origins, directions, min_distance=1e-9, max_distance=cut)
    within = uncut.distance <= cut
    np.testing.assert_array_equal(hits.distance, np.where(within, uncut.distance, np.inf))
    np.testing.assert_array_equal(hits.triangle, np.where(within, uncut.triangle, -1))


def slabs() -> tuple[np.ndarray, np.ndarray]:
    """Three separate slabs 0.5, 3 and 12 mm thick and a drum, one mesh."""
    parts = [
        trimesh.creation.box(extents=(40.0, 30.0, t)).apply_translation((60.0 * i, 0, 0))
        for i, t in enumerate((0.5, 3.0, 12.0))
    ]
    parts.append(trimesh.creation.cylinder(radius=9.0, height=25.0).apply_translation((0, 70, 0)))
    scene = trimesh.util.concatenate(parts)
    return np.asarray(scene.vertices), np.asarray(scene.faces, dtype=np.int64)


@settings(max_examples=15, deadline=None)
@given(
    reach=st.sampled_from([0.0, 1e-4, 1e-3, 1.0 / 64, 1.0 / 32, 0.1, 1.0]), below=st.floats(0.1, 20)
)
def test_walls_cut_off_or_not_agree(reach: float, below: float) -> None:
    """The wall cast's cut-off changes nothing, whether a wall is found within it or the
    misses are cast again (a reach of 0 forces the second cast)."""
    vertices, triangles = slabs()
    caster = RayCaster(vertices, triangles)
    expected = measure_walls(caster, vertices, triangles, report_below_mm=below, min_distance=1e-6)
    with patch.object(raycast, "WALL_REACH", reach):
        report = measure_walls(
            caster, vertices, triangles, report_below_mm=below, min_distance=1e-6
        )
    assert report == expected


def test_a_wall_beyond_the_cut_off_is_found_by_the_second_cast() -> None:
    """A 20 mm cube: its walls are far beyond 1/32 of its diagonal (1.1 mm)."""
    cube = trimesh.creation.box(extents=(20.0, 20.0, 20.0))
    vertices, triangles = np.asarray(cube.vertices), np.asarray(cube.faces, dtype=np.int64)
    report = measure_walls(
        RayCaster(vertices, triangles), vertices, triangles, report_below_mm=1.0, min_distance=1e-6
    )
    assert report.min_mm == pytest.approx(20.0)
    assert report.thin == ()


def test_min_area_rectangle_of_a_rotated_rectangle() -> None:
    """A 3 x 7 rectangle turned 30° about z, with points inside it: its own sides back."""
    angle = np.radians(30.0)
    corners = np.array([[0, 0], [3, 0], [3, 7], [0, 7], [1, 2], [2, 5]], dtype=float)
    turned = corners @ np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    points = np.column_stack((turned, np.full(len(turned), 4.0)))
    assert min_area_rectangle(points, np.array([0.0, 0.0, 1.0])) == pytest.approx((3.0, 7.0))


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

    The analysis takes the quote's stock (rampwise.core.stock): rectangular bar before plate, as
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
