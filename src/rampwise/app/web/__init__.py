"""The web service: JSON API with OpenAPI, server-rendered pages, background jobs.

Thin over :func:`~rampwise.api.assess`, the quality functions and the store; no rule
is implemented here. Build the application with :func:`create_app`.
"""

from __future__ import annotations

from rampwise.app.web.app import create_app

__all__ = ["create_app"]
