"""Material-aware process chains, geometric zones at the feature's size, EDM for corners.

Expected chains are hand calculations from ISO 286-1 Table 1 (IT values in the comments),
``catalog/process_capability.csv`` (ANSI B4.2 grades, Ra bands), which processes apply to
which material (``catalog/process_materials.csv``) and ``catalog/process_route_rules.csv``
(``form_spread_fraction`` 0.5; ``min_milled_corner_radius_mm`` 0.25).
"""

from __future__ import annotations

from typing import Any

import pytest

from planning_support import characteristic_route, part_with, route_of
from rampwise.core.model import Stage
from rampwise.core.shop import default_shop
from rampwise.rules.cycle_time import operation_adders
from rampwise.rules.process_capability import process_capabilities

PROTOTYPE, LOW, MASS = Stage.PROTOTYPE, Stage.LOW_VOLUME, Stage.MASS_PRODUCTION
GRINDING = {"grinding_cylindrical", "grinding_surface", "grinding_internal", "jig_grinding"}


@pytest.mark.parametrize(
    ("material", "chain"),
    [
        # finish milling keeps milling's band 0.8–6.3 µm: centre √(0.8·6.3) = 2.24 > 0.8;
        # aluminium is fly-cut with a diamond: band 0.1–1.6, centre √(0.1·1.6) = 0.4 ≤ 0.8
        ("Al 6061-T6", ("milling", "fly_cutting")),
        # 4140 is not diamond-cut (carbon wears into iron): surface grinding, centre 0.4
        ("Steel 4140", ("milling", "grinding_surface")),
    ],
)
def test_ra_0_8_face_is_fly_cut_in_aluminium_and_ground_in_steel(
    material: str, chain: tuple[str, ...]
) -> None:
    row = characteristic_route(
        {"id": 1, "name": "Sealing face", "kind": "roughness", "max": 0.8}, LOW, material=material
    )
    assert row.chain == chain
    assert row.capable is True


def test_aluminium_note_says_what_it_is_not_given() -> None:
    row = characteristic_route(
        {"id": 1, "name": "Sealing face", "kind": "roughness", "max": 0.8}, LOW
    )
    # lapping applies to aluminium, but its chain starts with surface grinding
    assert "not for Al 6061-T6: surface grinding)" in row.note


@pytest.mark.parametrize("material", ["POM", "PEEK", "Nylon 6"])
@pytest.mark.parametrize("stage", [PROTOTYPE, LOW, MASS])
def test_a_plastic_part_is_never_ground(material: str, stage: Stage) -> None:
    tight = [
        {"id": 1, "name": "Face", "kind": "roughness", "max": 0.2},
        {"id": 2, "name": "Bore", "kind": "diameter", "nominal": 20, "tolerance": "H6"},
        {"id": 3, "name": "Pin", "kind": "diameter", "nominal": 20, "tolerance": "g5"},
        {"id": 4, "name": "Flat", "kind": "flatness", "max": 0.003},
        {"id": 5, "name": "Seat", "kind": "runout", "max": 0.003, "feature_size": 20},
    ]
    for turnable in (True, False):
        route = route_of(part_with(*tight, material=material), stage, turnable=turnable)
        steps = {step for row in route.characteristics for step in row.chain}
        assert not steps & (GRINDING | {"superfinishing", "lapping", "honing"})
        assert all(process_capabilities()[s].applies_to("plastic") for s in steps)


def _bearing_seat(**fields: Any) -> dict[str, Any]:
    return {"id": 1, "name": "Bearing seat", "kind": "runout", "max": 0.005, **fields}


def test_runout_of_a_20_mm_seat_is_held_by_cylindrical_grinding() -> None:
    # at the seat's 20 mm (18–30 mm): IT5 = 9 µm; cylindrical grinding's run-out spread
    # 0.5 × 9 = 4.5 µm, Cp = 5 / 4.5 = 1.11 ≥ 1.0 for a fully inspected prototype
    shaft = {"envelope_mm": [30, 30, 160], "material": "Steel 4140"}
    row = characteristic_route(_bearing_seat(feature_size=20), PROTOTYPE, **shaft)
    assert (row.size_mm, row.size_source) == (20, "feature")
    assert row.chain == ("turning", "grinding_cylindrical")
    assert row.capable is True
    assert row.expected_cp == pytest.approx(5 / 4.5)
    assert "the feature's size" in row.note
    # a batch needs Cp 1.33: superfinishing, IT4 = 6 µm × 0.5 = 3 µm, Cp 1.67
    batch = characteristic_route(_bearing_seat(feature_size=20), LOW, **shaft)
    assert batch.chain == ("turning", "grinding_cylindrical", "superfinishing")
    assert batch.expected_cp == pytest.approx(5 / 3)


def test_runout_without_a_feature_size_falls_back_to_the_envelope_and_says_so() -> None:
    # at the 160 mm envelope (120–180 mm): IT4 = 12 µm × 0.5 = 6 µm: Cp 0.83 — the
    # old verdict "no process holds it", now explained by the missing feature size
    row = characteristic_route(
        _bearing_seat(), PROTOTYPE, envelope_mm=[30, 30, 160], material="Steel 4140"
    )
    assert (row.size_mm, row.size_source) == (160, "envelope")
    assert row.capable is False
    assert "no feature_size given" in row.note


@pytest.mark.parametrize(
    ("turnable", "chain"),
    [
        # Ø25 IT6 = 13 µm: reaming IT6, Cp 1.0 < 1.33; diamond boring is not for steel;
        # a turned part turns about the bore: internal grinding IT5 = 9 µm, Cp 1.44
        (True, ("drilling", "boring", "grinding_internal")),
        # a prismatic part is honed: IT4 = 6 µm, Cp 2.17
        (False, ("drilling", "boring", "honing")),
    ],
)
def test_it6_bore_in_steel_is_internal_ground_or_honed(
    turnable: bool, chain: tuple[str, ...]
) -> None:
    bore = {"id": 1, "name": "Bore", "kind": "diameter", "nominal": 25, "tolerance": "H6"}
    route = route_of(part_with(bore, material="Steel 4140"), LOW, turnable=turnable)
    row = route.characteristics[0]
    assert row.required_it_grade == 6
    assert row.chain == chain
    if turnable:
        assert row.expected_cp == pytest.approx(13 / 9)


def test_it5_diameter_in_aluminium_is_diamond_turned() -> None:
    # IT5 at 25 mm = 9 µm; a prototype needs Cp 1.0: diamond turning IT5 = 9 µm on the lathe
    row = characteristic_route(
        {"id": 1, "name": "Journal", "kind": "diameter", "nominal": 25, "tolerance": "[-0.009, 0]"},
        PROTOTYPE,
        envelope_mm=[30, 30, 120],
    )
    assert row.chain == ("turning", "diamond_turning")


@pytest.mark.parametrize(
    ("material", "chain", "capable"),
    [
        # position Ø0.015 of a hole 30 mm from its datum (18–30 mm): finish milling IT7 =
        # 21 µm, Cp 0.71; jig grinding IT5 = 9 µm, Cp 1.67
        ("Steel 4140", ("milling", "jig_grinding"), True),
        # aluminium is not jig-ground: the finest chain it may take, flagged
        ("Al 6061-T6", ("milling", "finish_milling"), False),
    ],
)
def test_position_is_graded_at_the_feature_size(
    material: str, chain: tuple[str, ...], capable: bool
) -> None:
    position = {"id": 1, "name": "Dowel hole", "kind": "position", "max": 0.015, "feature_size": 30}
    row = characteristic_route(position, LOW, material=material)
    assert row.chain == chain
    assert row.capable is capable


def test_a_corner_sharper_than_an_end_mill_is_edm_and_priced_at_the_edm_rate() -> None:
    part = part_with(
        {"id": 1, "name": "Length", "nominal": 40, "tolerance": "±0.1"},
        material="Steel 4140",
        features={"pockets": 1, "internal_corner_radius_mm": 0.1},
    )
    route = route_of(part, LOW)
    assert "edm" in route.extra_operations
    edm = next(op for op in route.operations if op.process == "edm")
    assert edm.new_setup and edm.extra and edm.machine == "wire_edm"
    assert any("R0.1 mm" in note and "EDM" in note for note in route.notes)
    shop = default_shop()
    mill = shop.machine("mill_3axis")
    (adder,) = operation_adders(["edm"], part, shop, route_machine=mill)
    # one pocket: 4 corners × 10 min = 40 min at 102.5 USD/h, counted as mill minutes at
    # 65 USD/h: 40 × 102.5 / 65 = 63.08 min; setup 45 min → 45 × 102.5 / 65 = 70.96 min
    assert adder.minutes_per_part == pytest.approx(40 * 102.5 / 65)
    assert adder.setup_minutes == pytest.approx(45 * 102.5 / 65)
    assert adder.minutes_per_part * mill.rate_per_h == pytest.approx(40 * 102.5)


@pytest.mark.parametrize(
    ("features", "material", "edm"),
    [
        ({"pockets": 1, "internal_corner_radius_mm": 0.25}, "Steel 4140", False),  # milled
        ({"pockets": 1}, "Steel 4140", False),  # no corner radius stated
        ({"pockets": 1, "internal_corner_radius_mm": 0.0}, "POM", False),  # not conductive
    ],
)
def test_no_edm_where_a_mill_reaches_or_the_material_cannot_erode(
    features: dict[str, Any], material: str, edm: bool
) -> None:
    part = part_with(
        {"id": 1, "name": "Length", "nominal": 40}, material=material, features=features
    )
    route = route_of(part, LOW)
    assert ("edm" in route.extra_operations) is edm
    if material == "POM":
        assert any("cannot be eroded" in note for note in route.notes)


def test_an_operation_off_the_route_machine_is_set_up_and_priced_on_its_own() -> None:
    part = part_with({"id": 1, "name": "Length", "nominal": 40}, material="Steel 4140")
    shop = default_shop()
    mill = shop.machine("mill_3axis")
    reaming, grinding = operation_adders(
        ["reaming", "grinding_surface"], part, shop, route_machine=mill
    )
    factor = shop.removal_rates["steel"].feature_time_factor
    # reaming runs on the mill's spindle: 1.5 min × factor, a 10 min tool setup
    assert reaming.minutes_per_part == pytest.approx(1.5 * factor)
    assert reaming.setup_minutes == pytest.approx(10)
    # surface grinding: a 60 min machine setup on the grinder, at 80 / 65 of the mill rate
    assert grinding.minutes_per_part == pytest.approx(1.5 * factor * 80 / 65)
    assert grinding.setup_minutes == pytest.approx(60 * 80 / 65)
