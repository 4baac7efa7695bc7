"""Stored assessments: the JSON of :class:`~rampwise.api.Assessment` with a schema version.

An assessment is written as ``Assessment.model_dump(mode="json")`` next to the integer
:data:`SCHEMA_VERSION` of that JSON (the ``assessments.schema_version`` column), and read
back as an ``Assessment`` by :func:`read_assessment`, the one way the store reads one:
the stored JSON is brought up to the current version one step at a time by the
:data:`UPCASTERS` (version N dict → version N+1 dict), then validated by the model.

Changing the Assessment model so that a stored JSON no longer validates (a field added
without a default, renamed, moved or retyped) means: bump :data:`SCHEMA_VERSION` and add
the upcaster from the previous version that fills, renames or moves what changed. An
upcaster is a pure function of plain JSON; it never imports the models, so it still
describes the old shape after the models have moved on.

=======  ================================================================================
version  stored JSON
=======  ================================================================================
1        rows written before the version was stated (the migration that added the column
         made them 1): the Assessment JSON of commit 65d0d33 and before, whose route
         named its workholding in words of its own (``fixture_plate``), did not list the
         route's verdict per strategy, and whose price breaks did not say their stage;
         rows of 867b5f1 (the one-plan model, stored before this column) are version 1 too
2        ``Assessment.model_dump(mode="json")`` of the one-plan model: workholding named
         as the quote names strategies, ``route.workholding.options``,
         ``route.validation_run.sacrificial``, ``quote.breaks[].stage``
3        currency is a unit: ``inspection.currency`` names the currency of the inspection
         plan's costs (the shop's, as ``quote.currency`` does for the prices)
=======  ================================================================================
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from rampwise.api import Assessment
from rampwise.app.store.records import ResultJSON
from rampwise.core.errors import RampwiseError

SCHEMA_VERSION = 3
"""Version of the Assessment JSON this rampwise writes (see the module's table)."""

Upcaster = Callable[[ResultJSON], ResultJSON]
"""Turns the JSON of one schema version into that of the next; never changes its input."""


class StoredResultError(RampwiseError):
    """A stored result cannot be read as its model (a bug, not a user mistake).

    Raised for a version newer than this rampwise knows, a version without an upcaster,
    or JSON that does not validate after upcasting; and when writing a result whose JSON
    would not read back.
    """


WORKHOLDING_NAMES_V1 = {"fixture_plate": "dedicated_fixture"}
"""Version 1 workholding names that version 2 names as the quote's strategies do."""


def _workholding_name_v1(name: Any) -> Any:
    return WORKHOLDING_NAMES_V1.get(name, name) if isinstance(name, str) else name


def _v1_to_v2(result: ResultJSON) -> ResultJSON:
    """Version 1 → 2: the one-plan model's route and quote.

    - ``route.workholding.kind`` and ``.alternatives``: ``fixture_plate`` is the quote's
      ``dedicated_fixture`` (``vise``, ``soft_jaws``, ``conformal_support`` keep their
      names);
    - ``route.workholding.options``: version 1 did not record the route's verdict per
      strategy, so none is listed (empty, not made up);
    - ``route.validation_run.sacrificial``: a low-volume run was seed 003's sacrificial
      part, made on top of the order; a production run was PPAP's significant production
      run of the order's own parts;
    - ``quote.breaks[].stage``: version 1 priced every break on the plan of the quote's
      stage.

    Each step fills only what is missing, so a version-1 row already in the version-2
    shape (stored by 867b5f1) passes unchanged.
    """
    data = copy.deepcopy(result)
    route = data.get("route")
    if isinstance(route, dict):
        workholding = route.get("workholding")
        if isinstance(workholding, dict):
            workholding["kind"] = _workholding_name_v1(workholding.get("kind"))
            workholding["alternatives"] = [
                _workholding_name_v1(name) for name in workholding.get("alternatives", [])
            ]
            workholding.setdefault("options", [])
        run = route.get("validation_run")
        if isinstance(run, dict):
            run.setdefault("sacrificial", route.get("stage") == "low_volume")
    quote = data.get("quote")
    if isinstance(quote, dict):
        for row in quote.get("breaks", []):
            if isinstance(row, dict):
                row.setdefault("stage", quote.get("stage"))
    return data


CATALOG_CURRENCY_V2 = "USD"
"""Currency assumed for a version-2 inspection plan stored without a quote (the catalog's)."""


def _v2_to_v3(result: ResultJSON) -> ResultJSON:
    """Version 2 → 3: the inspection plan names its currency.

    - ``inspection.currency``: the shop's currency, which version 2 stated only on the
      quote (``quote.currency``); a row without a quote (a part that could not be priced)
      recorded none, and USD, the catalog's currency, is assumed.

    Fills only what is missing, so a row already in the version-3 shape passes unchanged.
    """
    data = copy.deepcopy(result)
    inspection = data.get("inspection")
    if isinstance(inspection, dict):
        quote = data.get("quote")
        currency = quote.get("currency") if isinstance(quote, dict) else None
        inspection.setdefault(
            "currency", currency if isinstance(currency, str) else CATALOG_CURRENCY_V2
        )
    return data


UPCASTERS: Mapping[int, Upcaster] = {1: _v1_to_v2, 2: _v2_to_v3}
"""The upcaster from each older version to the next one."""


def upcast(result: Mapping[str, Any], *, schema_version: int) -> ResultJSON:
    """Bring a stored Assessment JSON from ``schema_version`` to :data:`SCHEMA_VERSION`.

    Parameters
    ----------
    result
        The JSON as stored.
    schema_version
        The version it was stored in [unitless integer ≥ 1].

    Returns
    -------
    dict
        The JSON in the current version (a new dict; ``result`` is left as it is).

    Raises
    ------
    StoredResultError
        If the version is newer than this rampwise or no upcaster leads on from it.
    """
    if schema_version > SCHEMA_VERSION:
        raise StoredResultError(
            f"assessment JSON of schema version {schema_version} was written by a newer "
            f"rampwise (this one reads up to {SCHEMA_VERSION}); upgrade rampwise"
        )
    data = dict(result)
    for version in range(schema_version, SCHEMA_VERSION):
        step = UPCASTERS.get(version)
        if step is None:
            raise StoredResultError(f"no upcaster from assessment schema version {version}")
        data = step(data)
    return data


def read_assessment(result: Mapping[str, Any], *, schema_version: int) -> Assessment:
    """The stored JSON of an assessment as an :class:`Assessment` of the current version.

    Parameters
    ----------
    result
        The JSON as stored.
    schema_version
        The version it was stored in (1 for rows written before versions were stated).

    Raises
    ------
    StoredResultError
        If it cannot be upcast or does not validate afterwards (naming the first field).
    """
    data = upcast(result, schema_version=schema_version)
    try:
        return Assessment.model_validate(data)
    except ValidationError as err:
        raise StoredResultError(
            f"stored assessment (schema version {schema_version}) does not read as an "
            f"Assessment: {_first_error(err)}"
        ) from None


def assessment_of(result: Assessment | Mapping[str, Any]) -> Assessment:
    """An assessment handed to the store, as the model.

    Parameters
    ----------
    result
        The model, or its JSON in the current version (``model_dump(mode="json")``).

    Raises
    ------
    StoredResultError
        If the JSON does not validate as an Assessment.
    """
    if isinstance(result, Assessment):
        return result
    return read_assessment(result, schema_version=SCHEMA_VERSION)


def stored_json(assessment: Assessment) -> ResultJSON:
    """The JSON the store keeps for an assessment (of version :data:`SCHEMA_VERSION`).

    Raises
    ------
    StoredResultError
        If that JSON would not read back as an Assessment (a section whose JSON drops
        fields the model needs), so nothing unreadable is ever stored.
    """
    data = assessment.model_dump(mode="json")
    read_assessment(data, schema_version=SCHEMA_VERSION)
    return data


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "assessment"
    more = err.error_count() - 1
    return f"{where}: {first['msg']}" + (f" (and {more} more)" if more else "")
