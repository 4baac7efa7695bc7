"""The shop file and ``RAMPWISE_SHOP``: read a shop's overrides into a :class:`ShopConfig`.

Format: :mod:`rampwise.core.shop` and ``catalog/README-quote.md``.
"""

from __future__ import annotations

from pathlib import Path

from rampwise.core.errors import InputError
from rampwise.core.shop import ShopConfig, default_shop, shop_from_mapping
from rampwise.io.documents import read_document

__all__ = ["load_shop", "resolve_shop"]


def load_shop(path: str | Path) -> ShopConfig:
    """Read a shop file: YAML (``.yaml``/``.yml``) or TOML (``.toml``).

    Parameters
    ----------
    path
        The shop file.

    Raises
    ------
    InputError
        If the file is missing, unreadable, malformed, of another type, or its content
        does not validate (see :func:`shop_from_mapping`).
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".yaml", ".yml", ".toml"):
        raise InputError("shop file", f"must be .yaml, .yml or .toml; got {file.name!r}")
    document = read_document(file, role="shop file")
    return shop_from_mapping(document, name=file.stem)


def resolve_shop(path: str | Path | None = None) -> ShopConfig:
    """The shop to quote with: ``path``, else ``RAMPWISE_SHOP``, else the catalog defaults.

    Raises
    ------
    InputError
        If the chosen shop file cannot be read or does not validate.
    """
    from rampwise.io.settings import get_settings  # pydantic-settings: ~30 ms, only here

    chosen = path if path is not None else get_settings().shop
    return load_shop(chosen) if chosen is not None else default_shop()
