"""Tolerances: ISO 286 limits and fits, and 1-D stack-ups (``limits``, ``fit``, ``stack``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from rampwise.app.web.deps import Reader
from rampwise.app.web.documents import read_json
from rampwise.app.web.errors import ErrorDetail
from rampwise.tolerance.iso286 import Fit, Limits, fit, limits
from rampwise.tolerance.stackup import (
    StackMethod,
    StackResult,
    analyse_stack,
    stack_from_mapping,
)

router = APIRouter(prefix="/api", tags=["tolerances"])

ERRORS: dict[int | str, dict[str, type[ErrorDetail]]] = {422: {"model": ErrorDetail}}

MONTE_CARLO_MAX_SAMPLES = 1_000_000
"""Most Monte Carlo samples one request may ask for (bounds the work per request)."""

Size = Annotated[float, Query(allow_inf_nan=False, description="Nominal size [mm].")]


@router.get("/limits", responses=ERRORS)
def limits_route(
    size: Size,
    designation: Annotated[str, Query(max_length=10, description="ISO 286 class, e.g. g6.")],
    _reader: Reader,
) -> Limits:
    """Limit deviations of an ISO 286 class at a size (``rampwise limits 25 g6``)."""
    return limits(size, designation)


@router.get("/fit", responses=ERRORS)
def fit_route(
    size: Size,
    designation: Annotated[str, Query(max_length=20, description="Hole/shaft, e.g. H7/g6.")],
    _reader: Reader,
) -> Fit:
    """Clearance and fit type of a hole/shaft pair (``rampwise fit 25 H7/g6``)."""
    return fit(size, designation)


@router.post(
    "/stack",
    response_model=StackResult,
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The stack document (the stack YAML's fields) as JSON.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def stack_route(
    request: Request,
    _reader: Reader,
    method: Annotated[StackMethod, Query(description="monte-carlo also simulates.")] = (
        StackMethod.RSS
    ),
    samples: Annotated[int, Query(ge=1_000, le=MONTE_CARLO_MAX_SAMPLES)] = 100_000,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
    inflation_factor: Annotated[
        float | None, Query(gt=0, le=10, allow_inf_nan=False, description="Modified-RSS Cf.")
    ] = None,
) -> Response:
    """Worst-case, RSS, modified-RSS and Monte Carlo stack-up (``rampwise stack``)."""
    stack = stack_from_mapping(await read_json(request))

    def run() -> StackResult:
        return analyse_stack(
            stack,
            monte_carlo_samples=samples if method is StackMethod.MONTE_CARLO else None,
            seed=seed,
            inflation_factor=inflation_factor,
        )

    result = await run_in_threadpool(run)
    return Response(result.model_dump_json(), media_type="application/json")
