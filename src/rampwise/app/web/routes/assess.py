"""Assessing without storing: ``POST /api/assess`` and the stage profiles."""

from __future__ import annotations

from fastapi import APIRouter, Response

from rampwise.api import Assessment, assess
from rampwise.app.web.deps import Reader
from rampwise.app.web.documents import JsonBody, document_body, parse_project
from rampwise.app.web.errors import ErrorDetail
from rampwise.core.model import StageProfile
from rampwise.rules.stage import stage_profiles

router = APIRouter(prefix="/api", tags=["assess"])


@router.post(
    "/assess",
    response_model=Assessment,
    responses={422: {"model": ErrorDetail}},
    openapi_extra=document_body("The project document (the YAML's fields) as JSON."),
)
def assess_document(_reader: Reader, document: JsonBody) -> Response:
    """Assess a project document and return the Assessment; nothing is stored."""
    result = assess(parse_project(document))
    return Response(result.model_dump_json(), media_type="application/json")


@router.get("/stages")
def stages(_reader: Reader) -> list[StageProfile]:
    """The seeds' profile of each stage: purpose, quantity, quality, delivery, cost."""
    return list(stage_profiles().values())
