"""Plan one stage the way :class:`rampwise.pipeline.Plan` does, for tests of single rules.

A rule takes its inputs as values; these helpers make those inputs as the pipeline makes
them (gauges and the validation run once, the route and the inspection plan that share
that run, the quote plan of that route and plan), so a test can price or route one stage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rampwise.core.model import Characteristic, Part, Project, Stage, parse_stage
from rampwise.core.shop import ShopConfig, default_shop
from rampwise.rules.cost import DEFAULT_BREAKS, QuotePlan, plan_quote
from rampwise.rules.cycle_time import GeometryFacts, OperationAdder
from rampwise.rules.first_article import first_article_need
from rampwise.rules.inspection import InspectionPlan, gauge_choices, inspection_plan
from rampwise.rules.leadtime import LeadTimeTier
from rampwise.rules.process import Route, plan_route
from rampwise.rules.quote import PriceBook, Quote, quote_project
from rampwise.rules.validation_run import plan_validation_run
from support import TODAY


def as_project(subject: Project | Part, quantity: int = 10) -> Project:
    """A project around a bare part (no purpose), or the project itself."""
    if isinstance(subject, Project):
        return subject
    return Project(project="test", part=subject, quantity=quantity)


def route_of(subject: Project | Part, stage: Stage | str, **options: Any) -> Route:
    """The route at ``stage`` with the gauges the inspection plan chooses."""
    project = as_project(subject)
    gauges = gauge_choices(project.part.characteristics)
    shop = options.pop("shop", None) or default_shop()
    run = plan_validation_run(project.part, parse_stage(stage), project.quantity, shop=shop)
    return plan_route(project, stage, gauges=gauges, validation_run=run, **options)


def inspection_of(
    project: Project,
    stage: Stage | str,
    *,
    gauges: Mapping[str, str] | None = None,
    shop: ShopConfig | None = None,
    **options: Any,
) -> InspectionPlan:
    """The inspection plan at ``stage``, inspecting the route's validation run.

    The first article is the one the project needs on :data:`support.TODAY`.
    """
    shop = shop or default_shop()
    choices = gauge_choices(project.part.characteristics, gauges=gauges)
    run = plan_validation_run(project.part, parse_stage(stage), project.quantity, shop=shop)
    options.setdefault("first_article", first_article_need(project, today=TODAY))
    return inspection_plan(
        project, stage, choices=choices, shop=shop, validation_run=run, **options
    )


def stage_plan(
    project: Project,
    stage: Stage,
    *,
    shop: ShopConfig | None = None,
    geometry: GeometryFacts | None = None,
    extra_operations: Sequence[OperationAdder] | None = None,
    machine: str | None = None,
) -> QuotePlan:
    """The quote plan at ``stage``: the route, inspection plan and validation run priced."""
    shop = shop or default_shop()
    facts = geometry or GeometryFacts()
    gauges = gauge_choices(project.part.characteristics)
    run = plan_validation_run(project.part, stage, project.quantity, shop=shop)
    route = plan_route(
        project,
        stage,
        gauges=gauges,
        validation_run=run,
        turnable=facts.turnable,
        setups=facts.setups,
    )
    inspection = inspection_plan(
        project,
        stage,
        choices=gauges,
        shop=shop,
        first_article=first_article_need(project, today=TODAY),
        validation_run=run,
    )
    return plan_quote(
        project,
        route=route,
        inspection=inspection,
        shop=shop,
        geometry=geometry,
        extra_operations=extra_operations,
        machine=machine,
    )


def stage_quote(
    project: Project,
    stage: Stage,
    quantities: Sequence[int] = DEFAULT_BREAKS,
    *,
    shop: ShopConfig | None = None,
    tier: LeadTimeTier = LeadTimeTier.STANDARD,
    **plan_options: Any,
) -> Quote:
    """Every break priced on the plan of one stage (:func:`stage_plan`)."""
    shop = shop or default_shop()
    book = PriceBook(stage_plan(project, stage, shop=shop, **plan_options))
    return quote_project(
        project, book_at=lambda _quantity: book, quantities=quantities, shop=shop, tier=tier
    )


def part_with(*characteristics: dict[str, Any], **fields: Any) -> Part:
    """A 60 × 40 × 25 mm 6061 part with these characteristics; ``fields`` override the part's."""
    document: dict[str, Any] = {
        "number": "P-1",
        "material": "Al 6061-T6",
        "envelope_mm": [60, 40, 25],
        "characteristics": [Characteristic(**c) for c in characteristics],
    }
    document.update(fields)
    return Part(**document)


def characteristic_route(characteristic: dict[str, Any], stage: Stage, **fields: Any) -> Any:
    """The route row of the one characteristic of :func:`part_with` at ``stage``."""
    return route_of(part_with(characteristic, **fields), stage).characteristics[0]
