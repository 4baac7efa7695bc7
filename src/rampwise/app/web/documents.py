"""The project document as an API body: parsing, server-side checks, OpenAPI schema.

The body is the YAML's fields as JSON and goes through the same loader as the CLI
(:func:`~rampwise.io.project_file.project_from_mapping`), so inches are converted and every
mistake is the CLI's one-line :class:`~rampwise.core.errors.InputError` (HTTP 422). File
paths are refused: a client names no file on the server, it uploads it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic.json_schema import models_json_schema
from starlette.requests import ClientDisconnect

from rampwise.core.errors import InputError
from rampwise.core.model import Project, materials, purpose_groups
from rampwise.io.project_file import project_from_mapping

SCHEMA_PREFIX = "Document"
"""Prefix of the document's component schemas, apart from the result models' names."""

PROJECT_DOCUMENT_REF = f"#/components/schemas/{SCHEMA_PREFIX}Project"

SERVER_PATH_FIELDS = (("part", "cad"), ("measurements",), ("gauge_studies",))
"""Fields naming files, which only make sense on the client's machine."""


async def read_json(request: Request) -> Any:
    """The request body parsed as JSON.

    Raises
    ------
    InputError
        If the body is empty, not UTF-8, or not JSON (with the line and column).
    """
    try:
        body = await request.body()
    except ClientDisconnect:
        raise InputError("body", "the client went away before sending it") from None
    if not body.strip():
        raise InputError("body", "is empty; send the project document as JSON")
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise InputError("body", "is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise InputError(
            "body", f"malformed JSON at line {err.lineno} column {err.colno}: {err.msg}"
        ) from None


JsonBody = Annotated[Any, Depends(read_json)]
"""The request body parsed as JSON, read on the event loop before a ``def`` handler runs.

A handler that assesses takes the body this way and stays a plain ``def``: FastAPI runs it
in the thread pool, so the assessment never blocks the event loop.
"""


def check_no_server_paths(document: Mapping[str, Any]) -> None:
    """Refuse ``part.cad``, ``measurements`` and ``gauge_studies`` sent over the network.

    Raises
    ------
    InputError
        Naming the field and what to do instead.
    """
    for path in SERVER_PATH_FIELDS:
        node: Any = document
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping) and node.get(path[-1]) not in (None, {}):
            raise InputError(".".join(path), "names a file on the server; upload the file instead")


def parse_project(document: Any) -> Project:
    """Validate a project document received over the network.

    Raises
    ------
    InputError
        The CLI's message for the first offending field.
    """
    if isinstance(document, Mapping):
        check_no_server_paths(document)
    return project_from_mapping(document)


def document_schemas() -> dict[str, Any]:
    """Component schemas of the project document, keyed by their OpenAPI names.

    The pydantic schema of :class:`~rampwise.core.model.Project` adjusted to what the body
    holds: ``unit`` (mm or in), the material by catalog name, the purpose from the
    catalog, and no file paths.
    """
    _, top = models_json_schema(
        [(Project, "validation")], ref_template=f"#/components/schemas/{SCHEMA_PREFIX}{{model}}"
    )
    schemas = {f"{SCHEMA_PREFIX}{name}": schema for name, schema in top["$defs"].items()}
    project = schemas[f"{SCHEMA_PREFIX}Project"]
    part = schemas[f"{SCHEMA_PREFIX}Part"]
    project["properties"].pop("measurements", None)
    part["properties"].pop("cad", None)
    project["properties"]["unit"] = {
        "type": "string",
        "enum": ["mm", "in"],
        "default": "mm",
        "description": "Unit of lengths in the document; inches are converted to mm.",
    }
    project["properties"]["purpose"] = {
        "anyOf": [{"type": "string", "enum": list(purpose_groups())}, {"type": "null"}],
        "default": None,
        "description": "What the parts are for (catalog purposes).",
    }
    part["properties"]["material"] = {
        "type": "string",
        "description": "Catalog material name or alias.",
        "examples": list(materials())[:3],
    }
    schemas.pop(f"{SCHEMA_PREFIX}Material", None)
    return schemas


def document_body(description: str) -> dict[str, Any]:
    """``openapi_extra`` declaring a required JSON project document as the body."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": {"$ref": PROJECT_DOCUMENT_REF}}},
        }
    }
