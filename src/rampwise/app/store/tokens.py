"""Store functions for API tokens: only a hash of each secret is kept.

A token is 32 random bytes (URL-safe text), so one SHA-256 is enough to make a leaked
table useless; a slow password hash would only slow every request down.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from rampwise.app.store.records import TokenRecord
from rampwise.app.store.tables import ApiTokenRow
from rampwise.core.errors import InputError

TOKEN_PREFIX = "rw_"
TOKEN_BYTES = 32
"""Random bytes in a token's secret."""

NAME_MAX_CHARS = 100


def hash_token(secret: str) -> str:
    """Hex SHA-256 of a token's secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(session: Session, *, name: str) -> tuple[TokenRecord, str]:
    """Make a new token called ``name``; the secret is returned once and never stored.

    Raises
    ------
    InputError
        If the name is empty or longer than 100 characters.
    """
    name = name.strip()
    if not name or len(name) > NAME_MAX_CHARS:
        raise InputError("name", f"must be 1 to {NAME_MAX_CHARS} characters; got {name!r}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiTokenRow(name=name, token_hash=hash_token(secret))
    session.add(row)
    session.flush()
    return TokenRecord.model_validate(row, from_attributes=True), secret


def verify_token(session: Session, *, secret: str) -> TokenRecord | None:
    """The token whose secret is ``secret``, or ``None``."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = session.scalars(
        select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(secret))
    ).first()
    if row is None or not secrets.compare_digest(row.token_hash, hash_token(secret)):
        return None
    return TokenRecord.model_validate(row, from_attributes=True)


def list_tokens(session: Session) -> list[TokenRecord]:
    """Every token's name and creation time, oldest first."""
    rows = session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))
    return [TokenRecord.model_validate(row, from_attributes=True) for row in rows]
