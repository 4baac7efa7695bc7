"""Reference pages: the stage profiles of the seeds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rampwise.app.web.deps import Reader
from rampwise.app.web.pages.common import render
from rampwise.rules.stage import stage_profiles

router = APIRouter()


@router.get("/stages", response_class=HTMLResponse)
def stages_page(request: Request, token: Reader) -> HTMLResponse:
    """The seeds' comparison of prototype, low-volume and mass production."""
    return render(
        request, "stages.html", {"profiles": list(stage_profiles().values())}, token=token
    )
