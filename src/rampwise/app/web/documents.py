"""The project document as an API body: the wire model, parsing, server-side checks.

The body is the YAML's fields as JSON and goes through the same loader as the CLI
(:func:`~rampwise.io.project_file.project_from_mapping`), so inches are converted and every
mistake is the CLI's one-line :class:`~rampwise.core.errors.InputError` (HTTP 422). File
paths are refused: a client names no file on the server, it uploads it (a CAD model with
``/api/uploads``, a measured batch with ``/api/batches``, a gauge study with
``/api/projects/{id}/gauge-studies``).

:data:`ProjectDocument` is the body on the wire, derived from the domain's
:class:`~rampwise.core.model.Project`: its fields without the server paths, the material
by catalog name, the purpose from the catalog, and the document's ``unit``. The OpenAPI
schema of the body is that model's JSON schema, as pydantic makes it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model
from pydantic.json_schema import models_json_schema
from starlette.requests import ClientDisconnect

from rampwise.core.errors import InputError
from rampwise.core.model import Part, Project, materials, purpose_groups
from rampwise.io.project_file import project_from_mapping

SCHEMA_PREFIX = "Document"
"""Prefix of the document's component schemas, apart from the result models' names."""

PROJECT_DOCUMENT_REF = f"#/components/schemas/{SCHEMA_PREFIX}Project"

SERVER_PATH_FIELDS = (("part", "cad"), ("measurements",), ("gauge_studies",))
"""Fields naming files, which only make sense on the client's machine."""


def _wire_model(
    model: type[BaseModel],
    *,
    drop: tuple[str, ...],
    fields: dict[str, tuple[Any, Any]],
    doc: str,
) -> type[BaseModel]:
    """``model`` as it travels: ``drop`` left out, ``fields`` replaced or added.

    The kept fields are the model's own (type, default, constraints), in its order, so
    the wire model follows the domain model when that changes.
    """
    definitions: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in drop:
            continue
        definitions[name] = fields.get(name, (info.annotation, info))
    definitions.update({name: spec for name, spec in fields.items() if name not in definitions})
    wire: type[BaseModel] = create_model(
        model.__name__,
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__=doc,
        __module__=__name__,
        **definitions,
    )
    return wire


def _dropped(prefix: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(path[-1] for path in SERVER_PATH_FIELDS if path[:-1] == prefix)


PartDocument = _wire_model(
    Part,
    drop=_dropped(("part",)),
    fields={
        "material": (
            str,
            Field(description="Catalog material name or alias.", examples=list(materials())[:3]),
        ),
    },
    doc="The part of a project document on the wire: no CAD path (upload the model).",
)
"""The ``part`` of :data:`ProjectDocument`: the domain's Part without ``cad``."""

ProjectDocument = _wire_model(
    Project,
    drop=_dropped(()),
    fields={
        "part": (PartDocument, Field(description="The part ordered.")),
        "purpose": (
            Annotated[str, WithJsonSchema({"type": "string", "enum": list(purpose_groups())})]
            | None,
            Field(None, description="What the parts are for (catalog purposes)."),
        ),
        "unit": (
            Literal["mm", "in"],
            Field("mm", description="Unit of lengths in the document; inches are converted to mm."),
        ),
    },
    doc="A project document on the wire (the YAML's fields as JSON), without server paths.",
)
"""The request body of the routes that take a project document.

Server paths (``measurements``, ``gauge_studies``, ``part.cad``) are not fields of it: the
evidence and the model are uploaded. Validation is the CLI's loader's
(:func:`parse_project`), so its messages are the CLI's one-liners.
"""


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
    """Component schemas of :data:`ProjectDocument`, keyed by their OpenAPI names.

    Pydantic's JSON schema of the wire model and the models it holds, each named with
    :data:`SCHEMA_PREFIX` (``DocumentProject``, ``DocumentPart``, ``DocumentCharacteristic``
    …) so they never clash with the result models' schemas.
    """
    _, top = models_json_schema(
        [(ProjectDocument, "validation")],
        ref_template=f"#/components/schemas/{SCHEMA_PREFIX}{{model}}",
    )
    return {f"{SCHEMA_PREFIX}{name}": schema for name, schema in top["$defs"].items()}


def document_body(description: str) -> dict[str, Any]:
    """``openapi_extra`` declaring a required JSON project document as the body."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": {"$ref": PROJECT_DOCUMENT_REF}}},
        }
    }
