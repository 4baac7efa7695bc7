"""Dependencies of the routes, as ``Annotated`` aliases (STYLE.md point 14).

``Services`` is built once per application by :func:`rampwise.app.web.app.create_app` and
kept in ``app.state``; the aliases below hand its parts to the routes, and check the
bearer token: writes always need one, reads only when ``open_reads`` is off. Pages send
the same token from a cookie set by the sign-in page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from rampwise.app.store import Database, TokenRecord, verify_token
from rampwise.app.web.jobs import JobQueue
from rampwise.io.settings import Settings

TOKEN_COOKIE = "rampwise_token"
"""Cookie holding the token of a signed-in browser (HttpOnly, SameSite=Strict)."""

bearer_scheme = HTTPBearer(
    auto_error=False, description="An API token from `rampwise token create NAME`."
)


@dataclass
class Services:
    """What the routes need, made once per application."""

    settings: Settings
    database: Database
    queue: JobQueue
    templates: Jinja2Templates


async def get_services(request: Request) -> Services:
    """The application's services."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """A read session for the length of the request."""
    with services.database.read() as session:
        yield session


ReadSession = Annotated[Session, Depends(get_session)]


def _presented_secret(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> str | None:
    if credentials is not None:
        return credentials.credentials
    return request.cookies.get(TOKEN_COOKIE)


def _verify(services: Services, secret: str) -> TokenRecord | None:
    with services.database.read() as session:
        return verify_token(session, secret=secret)


async def current_token(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> TokenRecord | None:
    """The token presented (header or cookie) if it is valid, else ``None``.

    Only a presented token costs a database look-up (in the thread pool); the checks
    themselves run on the event loop, so an open read costs no thread hop.
    """
    secret = _presented_secret(request, credentials)
    if not secret:
        return None
    return await run_in_threadpool(_verify, services, secret)


CurrentToken = Annotated[TokenRecord | None, Depends(current_token)]


async def require_writer(
    request: Request,
    token: CurrentToken,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> TokenRecord:
    """The token of a request that stores something; 401 without a valid one."""
    if token is not None:
        return token
    presented = _presented_secret(request, credentials)
    detail = "invalid or unknown token" if presented else "missing bearer token"
    raise HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail=f"authorization: {detail}; create one with `rampwise token create NAME`",
        headers={"WWW-Authenticate": "Bearer"},
    )


async def require_reader(
    request: Request,
    services: ServicesDep,
    token: CurrentToken,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> TokenRecord | None:
    """The token of a reading request: none needed when reads are open."""
    if services.settings.open_reads:
        return token
    return await require_writer(request, token, credentials)


Writer = Annotated[TokenRecord, Depends(require_writer)]
Reader = Annotated[TokenRecord | None, Depends(require_reader)]
