"""Errors as HTTP answers: the CLI's one-line message, JSON for the API, HTML for pages.

================================  ======  ==========================================
exception                         status  when
================================  ======  ==========================================
``InputError``                    422     a user mistake (same text as the CLI)
``UnsupportedFileError``          415     an upload of a type rampwise does not read
``FileTooLargeError``             413     an upload over the configured limit
``RecordNotFoundError``           404     an id that does not exist
``StoreError``                    503     the database cannot be used
request validation (FastAPI)      422     a malformed path, query or form field
================================  ======  ==========================================
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from rampwise.app.store import (
    FileTooLargeError,
    RecordNotFoundError,
    StoreError,
    UnsupportedFileError,
)
from rampwise.core.errors import InputError

API_PREFIX = "/api"


class ErrorDetail(BaseModel):
    """What every error answers: the one-line message and, for input errors, the field."""

    detail: str
    field: str | None = None


def wants_json(request: Request) -> bool:
    """API routes answer JSON; pages answer HTML."""
    return request.url.path.startswith(API_PREFIX)


def error_response(
    request: Request, status_code: int, detail: str, *, field: str | None = None
) -> Response:
    """One error, as ``{"detail": …}`` JSON for the API or a small page for a browser."""
    if wants_json(request):
        body: dict[str, Any] = {"detail": detail}
        if field:
            body["field"] = field
        return JSONResponse(body, status_code=status_code)
    templates = request.app.state.services.templates
    page: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"status_code": status_code, "detail": detail},
        status_code=status_code,
    )
    return page


def validation_message(err: RequestValidationError) -> tuple[str, str]:
    """The first FastAPI validation error as (field, one line) in the CLI's form."""
    first = err.errors()[0] if err.errors() else {"loc": (), "msg": "invalid request"}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    field = ".".join(location) or "request"
    message = str(first.get("msg", "is invalid"))
    if first.get("type") == "missing":
        message = "is required"
    elif first.get("type") == "json_invalid":
        field, message = "body", "malformed JSON"
    elif "input" in first and first.get("type") not in ("missing",):
        message = f"{message}; got {first['input']!r}"
    return field, message


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping above on ``app``."""

    async def on_input_error(request: Request, err: Exception) -> Response:
        assert isinstance(err, InputError)
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        if isinstance(err, UnsupportedFileError):
            code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
        elif isinstance(err, FileTooLargeError):
            code = status.HTTP_413_CONTENT_TOO_LARGE
        return error_response(request, code, str(err), field=err.field)

    async def on_not_found(request: Request, err: Exception) -> Response:
        return error_response(request, status.HTTP_404_NOT_FOUND, str(err))

    async def on_store_error(request: Request, err: Exception) -> Response:
        return error_response(request, status.HTTP_503_SERVICE_UNAVAILABLE, str(err))

    async def on_validation(request: Request, err: Exception) -> Response:
        assert isinstance(err, RequestValidationError)
        field, message = validation_message(err)
        return error_response(
            request, status.HTTP_422_UNPROCESSABLE_CONTENT, f"{field}: {message}", field=field
        )

    async def on_http(request: Request, err: Exception) -> Response:
        assert isinstance(err, StarletteHTTPException)
        response = error_response(request, err.status_code, str(err.detail))
        for key, value in (err.headers or {}).items():
            response.headers[key] = value
        return response

    app.add_exception_handler(InputError, on_input_error)
    app.add_exception_handler(RecordNotFoundError, on_not_found)
    app.add_exception_handler(StoreError, on_store_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
