"""Plausibility against the published quantity ladders of research/quoting.md §2.7.

Issue 22, point 13. Every example is configured only through a project (the mapping a
project file's YAML holds) and a shop: a shop file loaded as ``--shop`` loads it
(:func:`rampwise.io.shop_file.load_shop`, files under ``tests/data/published_ladders``),
or the catalog's default shop (a US job shop). Nothing is patched.

Two kinds of example, two kinds of check:

- **Amortisation** (lasercalcpro.com, lynniezulu.com, ekinsun.com): a fixed cost spread
  over the batch plus a constant cost per part. They speak about *shape*: with a shop
  file that removes what the examples do not have (overhead, margin, learning, scrap, a
  second way of holding the part), our unit price must be exactly
  ``one_time / q + variable``, both read from the quote's own drivers, and our ladder's
  ratios ``unit(q) / unit(1)`` must be the published ones once ``one_time / variable`` is
  the example's (20 for lasercalcpro's 300 + 15).
- **Level** (pkcncmachining.com's aluminium housing, brightstarcnc.com's bracket): unit
  prices a shop published for a described part. Our quote for a part fitting the
  description, in the catalog's default shop, must lie within the quote's own
  uncertainty band (``uncertainty_fraction``, ±25 %) of the published figure, and the
  published figure inside the band ``[unit_price_low, unit_price_high]`` the quote
  states. Both sources are Chinese job shops; where a US shop cannot reach their price
  the test is a strict xfail that gives the measured figure and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from rampwise.api import assess, open_plan
from rampwise.core.shop import ShopConfig, default_shop
from rampwise.io.project_file import project_from_mapping
from rampwise.io.shop_file import load_shop
from rampwise.pipeline import Assessment
from rampwise.rules.cost import DEFAULT_BREAKS
from rampwise.rules.quote import QuantityBreak, Quote
from support import REPO, TODAY

DATA = REPO / "tests" / "data" / "published_ladders"
AMORTISATION_SHOP = DATA / "amortisation_shop.yaml"
"""The catalog's US job shop without overhead, margin, learning, scrap or a fixture that
pays: what the published amortisation examples leave out."""


# --------------------------------------------------------------------------------------
# Amortisation examples: shape
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amortisation:
    """A published ladder of one fixed cost over the batch plus a constant cost per part.

    ``ladder``: published unit price by quantity [USD/piece]; ``one_time`` [USD] and
    ``variable`` [USD/piece]: the figures the source states (or, for a source that gives
    only two prices, the ones they imply); ``project``: the part we assumed.
    """

    source: str
    ladder: dict[int, float]
    one_time: float
    variable: float
    project: dict[str, Any]

    @property
    def ratio(self) -> float:
        """One-time cost over variable cost [pieces]: the ladder's whole shape."""
        return self.one_time / self.variable


def _milled_part(
    number: str, envelope: list[float], features: dict[str, int], length: float
) -> dict[str, Any]:
    return {
        "number": number,
        "revision": "A",
        "material": "Al 6061-T6",
        "envelope_mm": envelope,
        "features": features,
        # ±0.1 mm: the standard precision of a 3-axis mill (pkcncmachining.com), inside
        # what milling holds, so the route adds no finishing operation
        "characteristics": [
            {"id": 1, "name": "Overall length", "nominal": length, "tolerance": "±0.1"}
        ],
    }


# ekinsun gives two prices only: F + v = 90 and F / 100 + v = 12, so F = 78 × 100 / 99.
EKINSUN_ONE_TIME = 78 * 100 / 99

AMORTISATION = {
    "lasercalcpro": Amortisation(
        # lasercalcpro.com/blog/tutorials/cnc-volume-pricing, via research/quoting.md §2.7
        source="setup 300 USD + 15 USD variable (lasercalcpro.com)",
        ladder={1: 315.0, 10: 45.0, 50: 21.0, 100: 18.0, 500: 15.60, 1000: 15.30},
        one_time=300.0,
        variable=15.0,
        project={
            "project": "Cover plate, volume pricing",
            # A generic small milled aluminium part, as the tutorial's example is: a cover
            # plate with a pocket and four screw holes, machined from both sides.
            "part": _milled_part(
                "LC-1", [80, 60, 15], {"holes": 4, "pockets": 1, "setups": 2}, 80.0
            ),
            "quantity": 10,
            # a learning purpose keeps every break on one plan (the prototype's), as the
            # example has one fixed cost at every quantity
            "purpose": "fit_check",
        },
    ),
    "lynniezulu": Amortisation(
        # lynniezulu.com/what-are-typical-machine-shop-rates, via research/quoting.md §2.7
        source="200 USD setup + 2 USD machining and material (lynniezulu.com)",
        ladder={1: 202.0, 200: 3.0},
        one_time=200.0,
        variable=2.0,
        project={
            "project": "Spacer, volume pricing",
            # "Machining and material 2 USD" is a very small part: a round aluminium
            # spacer, Ø25 × 10 mm with two holes, one setup (its square section makes
            # the route turn it, held in soft jaws).
            "part": _milled_part("LZ-1", [25, 25, 10], {"holes": 2, "setups": 1}, 25.0),
            "quantity": 200,
            "purpose": "fit_check",
        },
    ),
    "ekinsun": Amortisation(
        # ekinsun.com/blog/how-to-read-cnc-quote.html, via research/quoting.md §2.7
        source="90 USD at 1 pc vs 12 USD at 100 (ekinsun.com)",
        ladder={1: 90.0, 100: 12.0},
        one_time=EKINSUN_ONE_TIME,
        variable=90.0 - EKINSUN_ONE_TIME,
        project={
            "project": "Bracket, volume pricing",
            # The blog names no part; 12 USD at 100 pcs is a small simple part: a 60 mm
            # aluminium bracket with two holes, machined from both sides.
            "part": _milled_part("EK-1", [60, 40, 10], {"holes": 2, "setups": 2}, 60.0),
            "quantity": 100,
            "purpose": "fit_check",
        },
    ),
}


def _quote(project: dict[str, Any], shop: ShopConfig, quantities: list[int]) -> Quote:
    """The project's price ladder at ``quantities``, planned as every face plans it."""
    plan = open_plan(project_from_mapping(project, today=TODAY), today=TODAY, shop=shop)
    return plan.quote(quantities)


def _one_time_and_variable(quote: Quote) -> tuple[float, float]:
    """One-time cost [USD] and variable cost [USD/piece] of a linear ladder.

    The one-time cost is the breaks' ``one_time_cost`` (one figure at every quantity);
    the variable cost is what each unit pays beyond its share of it, checked to be one
    figure at every quantity.
    """
    one_time = quote.breaks[0].one_time_cost
    assert [b.one_time_cost for b in quote.breaks] == pytest.approx(
        [one_time] * len(quote.breaks), rel=1e-12
    )
    variables = [b.unit_price - one_time / b.quantity for b in quote.breaks]
    assert variables == pytest.approx([variables[0]] * len(variables), rel=1e-9)
    return one_time, variables[0]


@pytest.mark.parametrize("name", AMORTISATION)
def test_published_ladder_is_one_time_over_q_plus_variable(name: str) -> None:
    """The transcription: each published price is the source's own one_time / q + variable."""
    example = AMORTISATION[name]
    assert example.ladder == pytest.approx(
        {q: example.one_time / q + example.variable for q in example.ladder}, abs=1e-9
    )


@pytest.mark.parametrize("name", AMORTISATION)
def test_our_ladder_is_one_time_over_q_plus_variable(name: str) -> None:
    """Without what the example leaves out, unit(q) = one-time / q + variable exactly.

    The part is the example's (see ``AMORTISATION``); the shop is the catalog's with
    ``amortisation_shop.yaml`` on top. Checked on the published quantities and the default
    ladder: ``unit(q)·q − unit(1)·1`` is linear in q, with the slope the quote's per-part
    buckets give, and the amortised buckets (programming, setup, fixture) times q are one
    figure, the break's ``one_time_cost``.
    """
    example = AMORTISATION[name]
    quantities = sorted({1, *example.ladder, *DEFAULT_BREAKS})
    quote = _quote(example.project, load_shop(AMORTISATION_SHOP), quantities)
    first = quote.at(1)
    one_time, variable = _one_time_and_variable(quote)

    assert {b.strategy for b in quote.breaks} == {first.strategy}  # one way of holding it
    assert {b.stage for b in quote.breaks} == {first.stage}  # one plan, one fixed cost
    for item in quote.breaks:
        q, d = item.quantity, item.drivers
        assert item.unit_price * q - first.unit_price == pytest.approx(variable * (q - 1))
        assert (d.programming + d.setup + d.fixture) * q == pytest.approx(one_time)
        per_part = d.material + d.machining + d.finishing + d.inspection + d.scrap
        assert per_part == pytest.approx(variable)
        assert d.scrap == 0
        assert d.overhead_margin == 0
    assert one_time > 0
    assert variable > 0


@pytest.mark.parametrize("name", AMORTISATION)
def test_published_ratios_are_matched_at_the_examples_one_time_over_variable(
    name: str, tmp_path: Path
) -> None:
    """At the example's one-time / variable ratio our ladder has the published shape.

    The shape of ``one_time / q + variable`` is ``unit(q) / unit(1) = (r / q + 1) / (r + 1)``
    with ``r = one_time / variable``: 20 for lasercalcpro (300 / 15), 100 for lynniezulu
    (200 / 2), 7.03 for ekinsun. The shop file scales the part's one-time cost, and only
    it, to that ratio: programming rate, setup minutes and the soft jaws' material and
    machine hours × k, k = r · variable / one_time, from the first quote's own figures;
    the ratios ``unit(q) / unit(1)`` then match the published ones at every published
    quantity.
    """
    example = AMORTISATION[name]
    quantities = sorted(example.ladder)
    document = yaml.safe_load(AMORTISATION_SHOP.read_text(encoding="utf-8"))
    one_time, variable = _one_time_and_variable(
        _quote(example.project, load_shop(AMORTISATION_SHOP), quantities)
    )
    k = example.ratio * variable / one_time
    catalog = default_shop()
    document["labour_rates"] = {"programming": catalog.labour("programming") * k}
    document["setup_minutes_per_setup"] = catalog.default("setup_minutes_per_setup") * k
    document["strategies"]["soft_jaws"] = {  # a turned part's jaws are one-time too
        key: catalog.strategy("soft_jaws", key) * k
        for key in ("jaw_material_cost", "jaw_machine_hours")
    }
    scaled_file = tmp_path / f"{name}_shop.yaml"
    scaled_file.write_text(yaml.safe_dump(document), encoding="utf-8")

    quote = _quote(example.project, load_shop(scaled_file), quantities)
    scaled_one_time, scaled_variable = _one_time_and_variable(quote)
    assert scaled_variable == pytest.approx(variable)  # the per-part cost is untouched
    assert scaled_one_time / scaled_variable == pytest.approx(example.ratio)
    ours = {q: quote.at(q).unit_price / quote.at(1).unit_price for q in quantities}
    published = {q: example.ladder[q] / example.ladder[1] for q in quantities}
    assert ours == pytest.approx(published, rel=1e-9)


# --------------------------------------------------------------------------------------
# Level examples: the catalog's US job shop against published unit prices
# --------------------------------------------------------------------------------------

HOUSING: dict[str, Any] = {
    "project": "Aluminium housing prototype",
    "part": {
        "number": "PK-H1",
        "revision": "A",
        "material": "Al 6061-T6",
        "envelope_mm": [100, 60, 30],
        "features": {"holes": 2, "tapped_holes": 4, "pockets": 1, "setups": 2},
        "characteristics": [
            {"id": 1, "name": "Overall length", "nominal": 100.0, "tolerance": "±0.1"},
            {
                "id": 2,
                "name": "Cavity depth",
                "kind": "depth",
                "nominal": 25.0,
                "tolerance": "±0.1",
            },
        ],
    },
    "quantity": 10,
    "purpose": "fit_check",
}

BRACKET: dict[str, Any] = {
    "project": "Simple aluminium bracket",
    "part": {
        "number": "BS-B1",
        "revision": "A",
        "material": "Al 6061-T6",
        "envelope_mm": [100, 50, 20],
        "features": {"holes": 4, "setups": 2},
        "characteristics": [
            {"id": 1, "name": "Hole pitch", "nominal": 80.0, "tolerance": "±0.1"},
        ],
    },
    "quantity": 1000,
}

LEVEL_PROJECTS = {"housing": HOUSING, "bracket": BRACKET}

HOUSING_AT_1_MISS = (
    "pkcncmachining.com's housing is 120 USD at 1 pc; the catalog's US shop quotes ≈ 445 "
    "USD (band 334–556): its one-time cost alone is ≈ 420 USD (CAM 2.6 h × 47.5 USD/h + "
    "2 setups × 60 min × (32.5 + 65) USD/h, × 1.15 overhead × 1.15 margin), each rate the "
    "midpoint of its US source (research/quoting.md §2.1–2.2). The published pair implies "
    "a one-time cost of ≈ 72 USD (F + v = 120, F/10 + v = 55): a Chinese shop's, whose "
    "3-axis rate the same page gives as 10–15 USD/h. Not a catalog error: a US/China gap."
)

BRACKET_AT_1000_MISS = (
    "brightstarcnc.com's bracket is 5 USD at 1,000 pcs; the catalog's US shop quotes ≈ "
    "11.5 USD (band 8.6–14.4): 4.0 min batch-average cycle (5.7 min first part, 90 % "
    "learning to its 70 % floor, dedicated fixture) × 65 USD/h = 4.30 USD + deburr 0.72 + "
    "stock 2.14 USD, × 1.32 overhead and margin. pkcncmachining.com times this bracket at "
    "15 min, so our cycle is not long; the gap is the rate: a Chinese shop (brightstarcnc, "
    "+86) at 10–15 USD/h against the US 50–80 USD/h of research/quoting.md §2.1."
)


@dataclass(frozen=True)
class PublishedPrice:
    """One published unit price [USD/piece] of a described part at a quantity [pieces].

    ``at_least``: the source says "or more" (a floor, not a figure).
    """

    example: str
    quantity: int
    unit_price: float
    at_least: bool = False


LEVEL = [
    pytest.param(
        PublishedPrice("housing", 1, 120.0),
        id="housing-1pc-120",
        marks=pytest.mark.xfail(strict=True, reason=HOUSING_AT_1_MISS),
    ),
    pytest.param(PublishedPrice("housing", 10, 55.0), id="housing-10pcs-55"),
    pytest.param(PublishedPrice("bracket", 10, 50.0, at_least=True), id="bracket-10pcs-50+"),
    pytest.param(
        PublishedPrice("bracket", 1000, 5.0),
        id="bracket-1000pcs-5",
        marks=pytest.mark.xfail(strict=True, reason=BRACKET_AT_1000_MISS),
    ),
]


@cache
def _assessment(example: str) -> Assessment:
    """The whole answer for a level example in the catalog's default shop."""
    return assess(LEVEL_PROJECTS[example], today=TODAY, shop=default_shop())


def assert_within_band(item: QuantityBreak, published: PublishedPrice, fraction: float) -> None:
    """Our unit price within ``fraction`` of the published one, and it inside our band.

    For a published floor ("50 USD or more"): our price no lower than the floor less the
    fraction, and the floor no higher than the top of our band.
    """
    if published.at_least:
        assert item.unit_price >= published.unit_price * (1 - fraction)
        assert item.unit_price_high >= published.unit_price
        return
    assert abs(item.unit_price / published.unit_price - 1) <= fraction
    assert item.unit_price_low <= published.unit_price <= item.unit_price_high


@pytest.mark.parametrize("published", LEVEL)
def test_quote_meets_the_published_unit_price(published: PublishedPrice) -> None:
    """The catalog's US job shop against a published unit price, within ±25 %.

    **Aluminium housing** (pkcncmachining.com, "CNC machining unit pricing in China":
    aluminium housing, 3-axis CNC, 120 USD at 1 pc, 55 USD at 10, under "prototyping
    1–10 units"). The page gives no drawing; we assumed a small electronics housing:
    6061-T6, 100 × 60 × 30 mm, one cavity pocket, four tapped lid-screw holes and two
    cable holes, machined from both sides (2 setups), as machined (the page prices
    anodizing apart), ±0.1 mm — the standard precision the page gives a 3-axis mill — on
    the length and the cavity depth. A fit-check purpose: the page calls 1–10 units
    prototyping, so both breaks are priced on the prototype plan.

    **Simple aluminium bracket** (brightstarcnc.com, "Why is small batch CNC machining so
    expensive": a simple aluminium bracket 5 USD each at 1,000 pcs, 50 USD "or more" at
    10). The page gives no size; we took the simple aluminium bracket that
    pkcncmachining.com sizes (100 × 50 × 20 mm, 6061), with four mounting holes, machined
    from both sides, ±0.1 mm on the hole pitch. No purpose is stated, so each quantity
    runs under its band's stage (seed 000/001: 10 and 1,000 pcs are low volume until the
    readiness gate passes, and this order gives no readiness evidence).
    """
    answer = _assessment(published.example)
    assert answer.quote is not None
    fraction = answer.quote.uncertainty.fraction
    assert fraction == default_shop().default("uncertainty_fraction")
    assert_within_band(answer.quote.at(published.quantity), published, fraction)
