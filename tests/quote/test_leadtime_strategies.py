"""Lead time as a critical path per tier, and the strategies' seed 003 defaults."""

from __future__ import annotations

from itertools import accumulate
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_support import stage_quote
from rampwise.core.model import Stage
from rampwise.core.shop import default_shop
from rampwise.io.project_file import load_project, project_from_mapping
from rampwise.rules.leadtime import LeadTimeInputs, LeadTimeTier, lead_time
from rampwise.rules.strategies import (
    StrategyName,
    WorkholdingOption,
    break_even_quantity,
    strategy_specs,
)
from support import TODAY, build_document

WORK = LeadTimeInputs(
    material_category="aluminium",
    machine_class="mill_3axis",
    programming_hours=4.0,
    machine_hours=32.0,
    finish_name="anodize_type_ii",
    finish_days=2.0,
    stage=Stage.LOW_VOLUME,
)


@pytest.mark.parametrize(
    ("tier", "stage", "days"),
    [
        # one machine (run_hours 0: nothing to spread) at 2 shifts × 7.5 h × capacity_share:
        # standard: max(material 2, queue 3, programming 4 h / 8 h = 0.5) = 3 + validation 1
        # + machining 32 h / 15 h = 2.13 + anodize 2 + first-article 1 + shipping 3 = 12.13 → 13
        (LeadTimeTier.STANDARD, Stage.LOW_VOLUME, 13),
        # prototypes skip the validation run and the first-article report: 12.13 − 2 → 11
        (LeadTimeTier.STANDARD, Stage.PROTOTYPE, 11),
        # expedite: max(1, 0, 0.5) = 1 + 1 + 32/22.5 + 2 + 1 + 1 = 7.42 → 8
        (LeadTimeTier.EXPEDITE, Stage.LOW_VOLUME, 8),
        # economy: max(3, 8, 0.5) = 8 + 2 + 32/7.5 + 2 + 1 + 5 = 22.27 → 23
        (LeadTimeTier.ECONOMY, Stage.MASS_PRODUCTION, 23),
    ],
)
def test_critical_path_by_hand(tier: LeadTimeTier, stage: Stage, days: int) -> None:
    result = lead_time(WORK.model_copy(update={"stage": stage}), tier, default_shop())
    assert result.days == days
    assert result.describe().endswith(f"= {days} working days ({tier.value})")


def test_additive_blanks_replace_material_availability() -> None:
    # 40 h of printing at 20 h/day + 2 days post-processing = 4 days > queue 3:
    # 4 + 1 + 32/15 + 2 + 1 + 3 = 13.13 → 14
    result = lead_time(
        WORK.model_copy(update={"additive_hours": 40.0}), LeadTimeTier.STANDARD, default_shop()
    )
    assert result.path[0] == ("additive blanks", pytest.approx(4.0))
    assert result.days == 14


def test_quote_lead_times_are_ordered_by_tier(examples_dir: Path) -> None:
    project = load_project(examples_dir / "valve_body_production.yaml", today=TODAY)
    quote = stage_quote(project, Stage.MASS_PRODUCTION, quantities=[10, 2000])
    for b in quote.breaks:
        tiers = b.lead_time_tiers
        assert tiers[LeadTimeTier.EXPEDITE] <= tiers[LeadTimeTier.STANDARD]
        assert tiers[LeadTimeTier.STANDARD] <= tiers[LeadTimeTier.ECONOMY]
        assert b.lead_time_days == tiers[LeadTimeTier.STANDARD]
    assert quote.at(2000).lead_time_days > quote.at(10).lead_time_days


def test_seed_003_strategy_defaults() -> None:
    shop = default_shop()
    document = build_document()
    document["part"]["material"] = "SS 316L"  # a grade the catalog printer prints
    material = project_from_mapping(document, today=TODAY).part.material
    specs = {
        s.name: s
        for s in strategy_specs(
            material,
            shop=shop,
            options={  # as the route allows them for a low-volume first order
                kind: WorkholdingOption(
                    kind=kind,
                    applies=kind is not StrategyName.TOOLING_LIBRARY,
                    reason="",
                    source="",
                )
                for kind in StrategyName
            },
            envelope_mm=(60, 40, 25),
            part_volume_mm3=30_000,
            machined_area_mm2=9_000,
        )
    }
    mill = shop.machine("mill_3axis").rate_per_h
    fixture = specs[StrategyName.DEDICATED_FIXTURE]
    assert fixture.fixture_cost == pytest.approx(250 + 4 * mill)  # seed 003: $250 + 4 h
    assert fixture.load_minutes_per_setup < specs[StrategyName.SOFT_JAWS].load_minutes_per_setup
    library = specs[StrategyName.TOOLING_LIBRARY]
    assert library.setup_time_factor == pytest.approx(15 / 120)  # seed 003: 2 h → 15 min
    assert not library.applies  # not a repeat order
    hybrid = specs[StrategyName.HYBRID_AM]
    assert hybrid.cycle_time_factor == pytest.approx(11 / 18)  # seed 003: 18 → 11 min
    assert hybrid.scrap_rate == pytest.approx(0.02)  # seed 003: 12 % → 2 %
    assert hybrid.blank is not None
    # blank = 30,000 + 9,000 × 0.8 mm = 37,200 mm³; printed with 12 % supports at
    # 13.3 cm³/h (EOS M 290, 316L) → 3.1326 h × 130 USD/h + 41,664 mm³ × 8.00 g/cm³ ×
    # 100 USD/kg
    assert hybrid.blank.blank_volume_mm3 == pytest.approx(37_200)
    assert hybrid.blank.laser_hours == pytest.approx(37_200 * 1.12 / 1000 / 13.3)
    assert hybrid.blank.cost == pytest.approx(
        37_200 * 1.12 / 1000 / 13.3 * 130 + 37_200 * 1.12 / 1000 * 8.00 / 1000 * 100
    )


def test_hybrid_needs_a_printable_metal_and_library_a_repeat_order() -> None:
    document = build_document()
    document["part"]["material"] = "PEEK"
    document["repeat_order"] = True
    quote = stage_quote(project_from_mapping(document, today=TODAY), Stage.LOW_VOLUME)
    options = {s.name: s for s in quote.strategies}
    assert not options[StrategyName.HYBRID_AM].applies
    assert options[StrategyName.HYBRID_AM].one_time_cost is None
    assert options[StrategyName.TOOLING_LIBRARY].applies
    assert options[StrategyName.SOFT_JAWS].break_even_quantity is None
    assert all(b.strategy is not StrategyName.HYBRID_AM for b in quote.breaks)


def test_break_even_of_linear_totals() -> None:
    # strategy: 500 + 10 q; default: 100 + 12 q → equal at q = 200
    assert break_even_quantity(lambda q: 500 + 10 * q, lambda q: 100 + 12 * q) == 200
    # 501 + 10 q ≤ 100 + 12 q ⇔ q ≥ 200.5: the first whole quantity that pays is 201
    assert break_even_quantity(lambda q: 501 + 10 * q, lambda q: 100 + 12 * q) == 201
    assert break_even_quantity(lambda q: 50 + 10 * q, lambda q: 100 + 12 * q) == 1
    assert break_even_quantity(lambda q: 500 + 12 * q, lambda q: 100 + 12 * q) is None


@given(
    extra_one_time=st.floats(min_value=0.01, max_value=1e5),
    saving_per_part=st.floats(min_value=0.0, max_value=50.0),
    learning_exponent=st.floats(min_value=-0.5, max_value=0.0),
)
def test_break_even_matches_a_linear_scan(
    extra_one_time: float, saving_per_part: float, learning_exponent: float
) -> None:
    """The interpolating search finds what walking q = 1, 2, 3… finds.

    The strategy costs ``extra_one_time`` more up front and saves ``saving_per_part``
    on each part's learning-curve time (x^b summed), so the difference falls with q.
    """
    limit = 3000
    learning = list(accumulate(x**learning_exponent for x in range(1, limit + 1)))

    def default_total(q: int) -> float:
        return 100.0 + 20.0 * learning[q - 1]

    def strategy_total(q: int) -> float:
        return default_total(q) + extra_one_time - saving_per_part * learning[q - 1]

    def pays(q: int) -> bool:
        return strategy_total(q) <= default_total(q) + 1e-9 * max(1.0, default_total(q))

    expected = next((q for q in range(1, limit + 1) if pays(q)), None)
    assert break_even_quantity(strategy_total, default_total, limit=limit) == expected


def test_fixture_break_even_matches_its_totals(examples_dir: Path) -> None:
    project = load_project(examples_dir / "sensor_housing_pilot.yaml", today=TODAY)
    # with no critical mark soft jaws may hold the batch (seed 003 rules them out only for
    # critical finishing), so the ladder switches from jaws to the fixture where it pays
    part = project.part
    loose = tuple(c.model_copy(update={"critical": False}) for c in part.characteristics)
    project = project.model_copy(
        update={"part": part.model_copy(update={"characteristics": loose})}
    )
    quote = stage_quote(project, Stage.LOW_VOLUME)
    fixture = next(s for s in quote.strategies if s.name is StrategyName.DEDICATED_FIXTURE)
    q = fixture.break_even_quantity
    assert q is not None and q > 1
    at = stage_quote(project, Stage.LOW_VOLUME, quantities=[q - 1, q])
    assert at.at(q - 1).strategy is StrategyName.SOFT_JAWS
    assert at.at(q).strategy is StrategyName.DEDICATED_FIXTURE
