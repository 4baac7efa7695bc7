"""Request body limit: an oversized upload is refused before it is read (HTTP 413).

A request announcing a larger ``Content-Length`` is answered at once, without reading a
byte of it; a chunked one is counted as it arrives and cut off at the limit, so the
server never spools more than the limit to disk. Each uploaded file is checked again,
exactly, when it is stored.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rampwise.app.web.errors import API_PREFIX


def limit_message(max_bytes: int) -> str:
    """The one-line 413 message."""
    return f"request body: exceeds the upload limit of {max_bytes} bytes"


class BodyTooLargeError(HTTPException):
    """Raised while reading a body past the limit; answered by the HTTP error handler."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(status_code=413, detail=limit_message(max_bytes))


class BodySizeLimit:
    """ASGI middleware limiting every request body to ``max_bytes``.

    Parameters
    ----------
    app
        The application to wrap.
    max_bytes
        Largest accepted body [bytes].
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse or count the body, then hand the request on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        announced = dict(scope.get("headers") or []).get(b"content-length", b"")
        if announced.isdigit() and int(announced) > self.max_bytes:
            await self._refuse(scope, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        detail = limit_message(self.max_bytes)
        if str(scope.get("path", "")).startswith(API_PREFIX):
            body = json.dumps({"detail": detail}).encode()
            content_type = b"application/json"
        else:
            body = (
                '<!doctype html><html lang="en"><title>Upload too large</title>'
                f'<p role="alert">{detail}.</p><p><a href="/">Back</a></p></html>'
            ).encode()
            content_type = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
