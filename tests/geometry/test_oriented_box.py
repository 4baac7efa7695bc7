"""The oriented box: known boxes recovered, and never worse than trimesh's on the same points."""

from __future__ import annotations

import numpy as np
import trimesh
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from rampwise.geometry.facts import axis_aligned_frame, oriented_frame
from rampwise.geometry.tolerances import MESH_DEFLECTION_RATIO


def box_corners(sides: tuple[float, float, float]) -> np.ndarray:
    grid = np.array(np.meshgrid([0, 1], [0, 1], [0, 1])).reshape(3, -1).T
    return grid * np.asarray(sides, dtype=float)


def test_rotated_box_is_recovered() -> None:
    # A 10 x 20 x 30 mm box turned by 30°, 40° and 50°: its model-axis box is larger, the
    # oriented one is the box itself (volume 6000 mm³).
    rotation = Rotation.from_euler("xyz", [30, 40, 50], degrees=True).as_matrix()
    points = box_corners((10.0, 20.0, 30.0)) @ rotation.T + [5.0, -3.0, 2.0]
    frame = oriented_frame(points)
    np.testing.assert_allclose(np.sort(frame.sides), [10.0, 20.0, 30.0], atol=1e-9)
    assert abs(frame.volume - 6000.0) < 1e-6
    assert axis_aligned_frame(points).volume > 6000.0


def test_cylinder_box_is_square_across_its_axis() -> None:
    # 180 points on each end circle of a Ø20 x 50 mm cylinder along (1, 1, 0): the
    # smallest box is 20 x 20 x 50 mm (volume 20 000 mm³) up to the polygon's chord.
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    circle = np.stack([10 * np.cos(angles), 10 * np.sin(angles), np.zeros_like(angles)], axis=1)
    points = np.vstack([circle, circle + np.array([0, 0, 50.0])])
    turned = points @ Rotation.from_euler("y", 45, degrees=True).as_matrix().T
    frame = oriented_frame(turned)
    np.testing.assert_allclose(np.sort(frame.sides), [20.0, 20.0, 50.0], rtol=1e-3)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 100_000), count=st.integers(8, 300))
def test_never_larger_than_trimesh_and_holds_every_point(seed: int, count: int) -> None:
    rng = np.random.default_rng(seed)
    stretch = rng.uniform(0.2, 5.0, size=3)
    points = rng.normal(size=(count, 3)) * stretch @ Rotation.random(random_state=seed).as_matrix()
    frame = oriented_frame(points)
    _, extents = trimesh.bounds.oriented_bounds(points)
    trimesh_volume = min(float(np.prod(extents)), axis_aligned_frame(points).volume)
    # The search stops once no candidate can beat the best box by more than the
    # tessellation's relative error (MESH_DEFLECTION_RATIO).
    assert frame.volume <= trimesh_volume * (1 + MESH_DEFLECTION_RATIO) + 1e-9
    np.testing.assert_allclose(frame.axes @ frame.axes.T, np.eye(3), atol=1e-9)
    assert np.linalg.det(frame.axes) > 0
    local = points @ frame.axes.T - frame.low
    assert local.min() >= -1e-9
    assert (local <= frame.sides + 1e-9).all()
