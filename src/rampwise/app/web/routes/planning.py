"""Planning a project without storing it: quote, route and inspection plan.

Each takes the project document as JSON (the YAML's fields) like ``POST /api/assess``
and calls the same library function as its CLI command (``rampwise quote``, ``route``,
``inspect``); the stage defaults to the assessed one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from rampwise.api import open_plan
from rampwise.app.web.deps import Reader
from rampwise.app.web.documents import document_body, parse_project, read_json
from rampwise.app.web.errors import ErrorDetail
from rampwise.core.errors import InputError
from rampwise.core.model import Project, Stage
from rampwise.rules.inspection import InspectionPlan
from rampwise.rules.leadtime import LeadTimeTier
from rampwise.rules.process import Route
from rampwise.rules.quote import DEFAULT_BREAKS, Quote

router = APIRouter(prefix="/api", tags=["planning"])

QUANTITY_MAX = 10_000_000
"""Largest quantity break accepted [pcs]."""

ERRORS: dict[int | str, dict[str, type[ErrorDetail]]] = {422: {"model": ErrorDetail}}
BODY = document_body("The project document (the YAML's fields) as JSON.")

StageQuery = Annotated[
    Stage | None, Query(description="Plan for this stage instead of the assessed one.")
]


def _json(model: Quote | Route | InspectionPlan) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


async def _project(request: Request) -> Project:
    return parse_project(await read_json(request))


def _quantities(name: str, values: list[int] | None) -> list[int]:
    """Check a repeated quantity parameter.

    Raises
    ------
    InputError
        If a value is outside 1 to ``QUANTITY_MAX``.
    """
    chosen = list(values or ())
    bad = next((q for q in chosen if not 1 <= q <= QUANTITY_MAX), None)
    if bad is not None:
        raise InputError(name, f"must be whole numbers from 1 to {QUANTITY_MAX}; got {bad}")
    return chosen


@router.post("/quote", response_model=Quote, responses=ERRORS, openapi_extra=BODY)
async def quote(
    request: Request,
    _reader: Reader,
    qty: Annotated[
        list[int] | None,
        Query(description="Quantity breaks [pcs], repeated: ?qty=1&qty=50.", max_length=50),
    ] = None,
    tier: Annotated[LeadTimeTier, Query(description="Lead-time tier.")] = LeadTimeTier.STANDARD,
    machine: Annotated[
        str | None, Query(max_length=50, description="Machine class of the catalog.")
    ] = None,
    stage: StageQuery = None,
) -> Response:
    """Unit price, total and lead time per quantity, with the drivers (``rampwise quote``)."""
    quantities = _quantities("qty", qty) or list(DEFAULT_BREAKS)
    project = await _project(request)

    def run() -> Quote:
        return open_plan(project).quote(quantities, tier=tier, machine=machine, stage=stage)

    return _json(await run_in_threadpool(run))


@router.post("/route", response_model=Route, responses=ERRORS, openapi_extra=BODY)
async def route(request: Request, _reader: Reader, stage: StageQuery = None) -> Response:
    """How each characteristic will be made: chains, setups, workholding (``rampwise route``)."""
    project = await _project(request)

    def run() -> Route:
        return open_plan(project).route(stage)

    return _json(await run_in_threadpool(run))


@router.post("/inspect", response_model=InspectionPlan, responses=ERRORS, openapi_extra=BODY)
async def inspect(
    request: Request,
    _reader: Reader,
    stage: StageQuery = None,
    tool_change: Annotated[
        list[int] | None,
        Query(max_length=100, description="Part after which a tool is changed, repeated."),
    ] = None,
    lot_size: Annotated[
        int | None, Query(ge=1, le=QUANTITY_MAX, description="Parts per outgoing lot.")
    ] = None,
) -> Response:
    """Inspection plan of the stage, its cost, gauges and verdict (``rampwise inspect``)."""
    changes = _quantities("tool_change", tool_change)
    project = await _project(request)

    def run() -> InspectionPlan:
        return open_plan(project).inspection(stage, tool_changes=changes, lot_size=lot_size)

    return _json(await run_in_threadpool(run))
