"""Server-rendered pages (Jinja2), one router per area; none is in the OpenAPI schema.

The core flow works without JavaScript: forms post, the server answers 303 to a job page
that refreshes itself until the result is ready.
"""

from __future__ import annotations

from rampwise.app.web.pages import account, assessments, batches, projects, reference

routers = (
    assessments.router,
    projects.router,
    batches.router,
    reference.router,
    account.router,
)
