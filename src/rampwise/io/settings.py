"""Typed settings, read from ``RAMPWISE_*`` environment variables when first asked for.

Built by :func:`get_settings` (cached), never at import time, so tests can override it
(STYLE.md point 13, after the FastAPI full-stack template's ``core/config.py``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where the embedded default keeps its SQLite file and uploads: ``./var`` of the cwd."""
    return Path.cwd() / "var"


class Settings(BaseSettings):
    """rampwise configuration.

    Attributes
    ----------
    database_url
        SQLAlchemy URL; ``None`` means the SQLite file ``<data_dir>/rampwise.db``.
    redis_url
        Redis URL for the shared job queue; ``None`` means the in-process worker pool.
    shop
        Shop file (YAML or TOML) overriding catalog rates, margins and limits.
    data_dir
        Folder for the SQLite file and uploaded files.
    upload_max_bytes
        Largest accepted upload [bytes].
    analysis_timeout_s
        Time limit of one CAD analysis [s].
    open_reads
        When true, reading routes need no token (writes always do).
    """

    model_config = SettingsConfigDict(env_prefix="RAMPWISE_", extra="ignore")

    database_url: str | None = None
    redis_url: str | None = None
    shop: Path | None = None
    data_dir: Path = Field(default_factory=default_data_dir)
    upload_max_bytes: int = Field(50 * 1024 * 1024, gt=0)
    analysis_timeout_s: float = Field(60.0, gt=0)
    open_reads: bool = True

    @field_validator("database_url", "redis_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under ``data_dir``."""
        return self.database_url or f"sqlite:///{self.data_dir / 'rampwise.db'}"


@cache
def get_settings() -> Settings:
    """The process-wide settings (cached; call ``get_settings.cache_clear()`` to re-read)."""
    return Settings()
