"""Read a user's YAML or TOML document, with one-line errors naming the file's role.

Project files, stack files, spec files and shop files all come through here, so a missing
file, an unreadable one and a malformed one read the same way everywhere.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from rampwise.core.errors import InputError


def read_document(path: str | Path, *, role: str) -> Any:
    """Parse a YAML file (or TOML, by the ``.toml`` suffix) into Python objects.

    Parameters
    ----------
    path
        The file to read.
    role
        What the file is for, used as the error's field (``"project file"``, ``"spec"``).

    Raises
    ------
    InputError
        If the file is missing, unreadable, not UTF-8 text, or malformed; the message gives
        the line of a YAML syntax error.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(role, f"not found: {file}") from None
    except IsADirectoryError:
        raise InputError(role, f"is a folder, not a file: {file}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(role, f"cannot read {file}: {err}") from None
    if file.suffix.lower() == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise InputError(role, f"malformed TOML in {file}: {err}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(role, f"malformed YAML{line} in {file}") from None
