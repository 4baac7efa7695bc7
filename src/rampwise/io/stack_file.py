"""Stack files: a one-dimensional tolerance chain, read from YAML."""

from __future__ import annotations

from pathlib import Path

from rampwise.io.documents import read_document
from rampwise.tolerance.stackup import Stack, stack_from_mapping

__all__ = ["load_stack"]


def load_stack(path: str | Path) -> Stack:
    """Read a stack file (YAML; format in the module docstring of :func:`stack_from_mapping`).

    Raises
    ------
    InputError
        If the file is missing, not YAML, or any field is invalid (the message names it).
    """
    document = read_document(path, role="stack file")
    return stack_from_mapping(document)
