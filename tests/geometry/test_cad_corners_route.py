"""Sharp internal corners found in a CAD model reach the route (issue: shop-floor realism, 1).

``featuretype.STEP`` (../shared/cad, MANIFEST.md) has vertical internal corners of R 0, R
2.54 and R 3.175 mm. A corner of R 0 is below the R 0.25 mm the smallest end mill leaves
(``process_route_rules.csv`` ``min_milled_corner_radius_mm``): in steel the route adds
EDM for those corners; in acetal it cannot erode them and asks for a radius instead.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rampwise.api import open_plan
from rampwise.core.model import Project, Stage
from rampwise.geometry.models import PartGeometry
from support import TODAY

pytestmark = pytest.mark.cad


def _project(material: str) -> Project:
    return Project.model_validate(
        {
            "project": "Feature type part",
            "part": {"number": "FT-1", "material": material},
            "quantity": 10,
        }
    )


def test_a_model_s_sharp_corners_are_routed_to_edm(
    analysed: Callable[..., PartGeometry],
) -> None:
    geometry = analysed("featuretype.STEP")
    sharp = sum(1 for c in geometry.internal_corners if c.radius_mm < 0.25)
    assert sharp > 0  # the model has corners no end mill cuts
    plan = open_plan(_project("Steel 4140"), today=TODAY, geometry=geometry)
    features = plan.project.part.features
    assert features is not None
    assert features.internal_corner_radius_mm == 0
    assert features.internal_corners == sharp
    route = plan.route(Stage.LOW_VOLUME)
    assert "edm" in route.extra_operations
    assert any(f"{sharp} internal corner(s) at R0 mm" in note for note in route.notes)


def test_a_plastic_part_s_sharp_corners_ask_for_a_radius(
    analysed: Callable[..., PartGeometry],
) -> None:
    plan = open_plan(_project("POM"), today=TODAY, geometry=analysed("featuretype.STEP"))
    route = plan.route(Stage.LOW_VOLUME)
    assert "edm" not in route.extra_operations
    assert any("ask for a larger radius or dog-bone reliefs" in note for note in route.notes)
