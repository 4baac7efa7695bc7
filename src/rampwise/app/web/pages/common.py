"""What every page handler needs: rendering with the shared context, choices for forms."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from rampwise.app.store import FileTooLargeError, TokenRecord, UnsupportedFileError
from rampwise.core.errors import InputError
from rampwise.core.model import materials, purpose_groups


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    token: TokenRecord | None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with the signed-in token (if any) and the form choices."""
    templates = request.app.state.services.templates
    response: HTMLResponse = templates.TemplateResponse(
        request,
        template,
        {
            "token": token,
            "materials": list(materials()),
            "purposes": purpose_groups(),
            **context,
        },
        status_code=status_code,
    )
    return response


def error_status(err: InputError) -> int:
    """HTTP status of a refused form: 413, 415 or 422."""
    if isinstance(err, FileTooLargeError):
        return 413
    if isinstance(err, UnsupportedFileError):
        return 415
    return 422


def see_other(path: str) -> RedirectResponse:
    """Redirect after a successful form post (303, so a reload does not post again)."""
    return RedirectResponse(path, status_code=303)
