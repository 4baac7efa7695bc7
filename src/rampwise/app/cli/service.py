"""Commands that run the service: ``serve``, ``worker``, ``db upgrade``, ``token create``.

``serve`` checks the database before it starts listening, so an unreachable database is
one clear line at start, not an error at the first request; it migrates an empty
database and refuses one at an older migration (``rampwise db upgrade`` fixes that).

The store (SQLAlchemy, Alembic) and the web app are imported when one of these commands
runs, so the other commands do not load them.
"""

from __future__ import annotations

import typer

from rampwise.app.cli._common import console, err_console, guarded
from rampwise.io.settings import get_settings

HOST_OPT = typer.Option("127.0.0.1", "--host", help="Interface to listen on.")
PORT_OPT = typer.Option(8000, "--port", min=1, max=65535, help="TCP port.")
WORKERS_OPT = typer.Option(1, "--workers", min=1, max=64, help="Server processes.")

db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for the routes that store.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the service commands to ``app``."""
    app.command("serve")(serve_command)
    app.command("worker")(worker_command)
    app.add_typer(db_app, name="db")
    app.add_typer(token_app, name="token")


@guarded
def serve_command(host: str = HOST_OPT, port: int = PORT_OPT, workers: int = WORKERS_OPT) -> None:
    """Serve the pages and the JSON API (SQLite under ./var unless RAMPWISE_DATABASE_URL)."""
    from rampwise.app.store import fail_unfinished_jobs, open_database, prepare_database
    from rampwise.app.store.database import display_url
    from rampwise.app.web.serving import serve

    settings = get_settings()
    database = open_database(settings)
    try:
        prepare_database(database)
        if settings.redis_url:
            from rampwise.app.web.jobs import RedisQueue

            RedisQueue(settings.redis_url, settings).check()
            jobs = "Redis queue (run `rampwise worker`)"
        else:
            with database.write() as session:
                fail_unfinished_jobs(
                    session, reason="the server stopped before the job finished; submit it again"
                )
            jobs = "in-process pool"
    finally:
        database.dispose()
    err_console.print(
        f"rampwise on http://{host}:{port} · database {display_url(database.url)} · jobs: {jobs}",
        highlight=False,
        soft_wrap=True,
    )
    serve("rampwise.app.web.app:create_app", factory=True, host=host, port=port, workers=workers)


@guarded
def worker_command() -> None:
    """Take jobs from the Redis queue (needs RAMPWISE_REDIS_URL and the shared database)."""
    from rq import Worker

    from rampwise.app.store import open_database, prepare_database
    from rampwise.app.web.jobs import RedisQueue
    from rampwise.core.errors import InputError

    settings = get_settings()
    if not settings.redis_url:
        raise InputError("RAMPWISE_REDIS_URL", "is not set; the server runs jobs in-process")
    database = open_database(settings)
    try:
        prepare_database(database)
    finally:
        database.dispose()
    queue = RedisQueue(settings.redis_url, settings)
    queue.check()
    Worker([queue.queue], connection=queue.connection).work()


@db_app.command("upgrade")
@guarded
def db_upgrade_command() -> None:
    """Migrate the database to this version's schema."""
    from rampwise.app.store import open_database, upgrade
    from rampwise.app.store.database import display_url

    database = open_database(get_settings())
    try:
        revision = upgrade(database)
    finally:
        database.dispose()
    console.print(
        f"database {display_url(database.url)} at migration {revision}",
        highlight=False,
        soft_wrap=True,
    )


@token_app.command("create")
@guarded
def token_create_command(
    name: str = typer.Argument(..., help="Who or what uses the token.", show_default=False),
) -> None:
    """Create an API token; it is printed once, as the last line."""
    from rampwise.app.store import create_token, open_database, prepare_database

    database = open_database(get_settings())
    try:
        prepare_database(database)
        with database.write() as session:
            record, secret = create_token(session, name=name)
    finally:
        database.dispose()
    console.print(
        f"token {record.name!r} created (id {record.id}); keep it, it is not shown again:",
        highlight=False,
        soft_wrap=True,
    )
    print(secret)
