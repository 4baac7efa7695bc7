"""Signing a browser in with an API token (kept in an HttpOnly, SameSite=Strict cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from rampwise.app.store import verify_token
from rampwise.app.web.deps import TOKEN_COOKIE, CurrentToken, ServicesDep
from rampwise.app.web.pages.common import render, see_other

router = APIRouter()

COOKIE_MAX_AGE_S = 30 * 24 * 3600
"""How long a browser stays signed in [s]."""


def _local(path: str | None) -> str:
    """Only redirect within this site."""
    if path and path.startswith("/") and not path.startswith("//"):
        return path
    return "/"


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, token: CurrentToken, next: str | None = None) -> HTMLResponse:
    """Paste a token made with ``rampwise token create NAME``."""
    return render(request, "signin.html", {"next": _local(next)}, token=token)


@router.post("/sign-in", response_model=None)
def sign_in(
    request: Request,
    services: ServicesDep,
    token: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> HTMLResponse | RedirectResponse:
    """Check the token and keep it in a cookie."""
    secret = token.strip()
    with services.database.read() as session:
        record = verify_token(session, secret=secret)
    if record is None:
        return render(
            request,
            "signin.html",
            {"next": _local(next), "error": "authorization: invalid or unknown token"},
            token=None,
            status_code=401,
        )
    response = see_other(_local(next))
    response.set_cookie(
        TOKEN_COOKIE,
        secret,
        max_age=COOKIE_MAX_AGE_S,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/sign-out")
def sign_out() -> RedirectResponse:
    """Forget the token cookie."""
    response = see_other("/")
    response.delete_cookie(TOKEN_COOKIE)
    return response
