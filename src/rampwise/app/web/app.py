"""The FastAPI application: JSON API, server-rendered pages and background jobs.

:func:`create_app` builds it from :class:`~rampwise.io.settings.Settings` (read from the
``RAMPWISE_*`` environment when not given). On start it opens the database, migrates
an empty one to the newest schema (refusing one that is behind), and starts the job
queue; on stop it lets running jobs finish. ``uvicorn --factory rampwise.app.web.app:create_app``
serves it; ``rampwise serve`` does that for you.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline

from rampwise import __version__
from rampwise.app.store import open_database, prepare_database
from rampwise.app.web import batch_report, generic, labels, present
from rampwise.app.web.deps import Services
from rampwise.app.web.documents import document_schemas
from rampwise.app.web.errors import install_error_handlers
from rampwise.app.web.jobs import make_queue
from rampwise.app.web.limits import BodySizeLimit
from rampwise.io.settings import Settings, get_settings

HERE = Path(__file__).resolve().parent

FORM_OVERHEAD_BYTES = 64 * 1024
"""Room for form fields and multipart boundaries around an upload [bytes]."""

DESCRIPTION = (
    "Stage, readiness gate, route, quote, inspection and batch quality for CNC-machined "
    'parts. Errors answer `{"detail": "<field>: <message>"}` with the same one line '
    "as the command line. Routes that store need `Authorization: Bearer <token>` "
    "(`rampwise token create NAME`)."
)


def make_templates() -> Jinja2Templates:
    """The page templates, with the presentation helpers as filters, tests and globals.

    Each presentation module lists what it offers the templates (``TEMPLATE_FILTERS``,
    ``TEMPLATE_GLOBALS``); they are registered here, in one place.
    """
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters.update(
        present.TEMPLATE_FILTERS, **labels.TEMPLATE_FILTERS, **batch_report.TEMPLATE_FILTERS
    )
    env.globals.update(
        present.TEMPLATE_GLOBALS, **generic.TEMPLATE_GLOBALS, **batch_report.TEMPLATE_GLOBALS
    )
    return templates


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the rampwise web application.

    Parameters
    ----------
    settings
        Database, data folder, limits and queue; ``None`` reads the environment.

    Returns
    -------
    FastAPI
        The application; the database is opened and checked when it starts.
    """
    settings = settings or get_settings()
    templates = make_templates()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = open_database(settings)
        try:
            prepare_database(database)
            queue = make_queue(settings, database)
        except BaseException:
            database.dispose()
            raise
        app.state.services = Services(
            settings=settings, database=database, queue=queue, templates=templates
        )
        # What exists now (modules, catalogs, the app) leaves the cycle collector's sight
        # while serving: its full passes then walk the requests' objects only, which took
        # the p99 of POST /api/assess from about 105 to 65 ms under load
        # (benchmarks/bench_api.py).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            queue.shutdown()
            database.dispose()

    # Swagger UI and ReDoc served from the package, not a CDN: /docs works on a shop
    # network without internet access.
    app = FastAPIOffline(
        title="rampwise",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.upload_max_bytes + FORM_OVERHEAD_BYTES)
    install_error_handlers(app)
    from rampwise.app.web.pages import routers as page_routers
    from rampwise.app.web.routes import (
        assess,
        batches,
        gauge_studies,
        planning,
        projects,
        quality,
        service,
        tolerances,
    )

    for module in (
        service,
        assess,
        projects,
        batches,
        gauge_studies,
        planning,
        tolerances,
        quality,
    ):
        app.include_router(module.router)
    for router in page_routers:
        app.include_router(router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schema.setdefault("components", {}).setdefault("schemas", {}).update(document_schemas())
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
