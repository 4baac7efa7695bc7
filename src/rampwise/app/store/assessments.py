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
4        the user's unit: ``unit`` (``mm`` or ``in``) is the project's display unit, and
         ``route.characteristics[]`` keep the drawing's ``nominal_mm``,
         ``upper_deviation_mm`` and ``lower_deviation_mm`` for the faces to print
5        repeat orders: ``inspection.first_article`` says which first article the order
         needs (full, delta or the earlier one kept, AS9102B §4.6) and why;
         ``inspection.by_quantity`` records its ``first_article`` kind and
         ``first_article_minutes``
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

SCHEMA_VERSION = 5
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


DISPLAY_UNIT_V3 = "mm"
"""Display unit of a version-3 row: every result was shown in mm before the unit was kept."""


def _v3_to_v4(result: ResultJSON) -> ResultJSON:
    """Version 3 → 4: the display unit and the drawing's size on each route row.

    - ``unit``: ``mm``, the unit version 3 showed every project in (an inch project's
      results too);
    - ``route.characteristics[].nominal_mm``, ``.upper_deviation_mm`` and
      ``.lower_deviation_mm``: not recorded by version 3, so ``None`` (the faces then
      print the tolerance width, as version 3 did), not made up.

    Fills only what is missing, so a row already in the version-4 shape passes unchanged.
    """
    data = copy.deepcopy(result)
    data.setdefault("unit", DISPLAY_UNIT_V3)
    route = data.get("route")
    rows = route.get("characteristics") if isinstance(route, dict) else None
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict):
            for key in ("nominal_mm", "upper_deviation_mm", "lower_deviation_mm"):
                row.setdefault(key, None)
    return data


FIRST_ARTICLE_V4 = {
    "kind": "full",
    "triggers": [],
    "says": "stored before rampwise applied AS9102's rule for repeat orders: every "
    "low-volume and production order made a full first article",
    "source": "AS9102 (full first article of every characteristic)",
}
"""The first article of a version-4 plan, but for its characteristics: always full."""


def _v4_to_v5(result: ResultJSON) -> ResultJSON:
    """Version 4 → 5: the first article the order needs.

    - ``inspection.first_article``: version 4 made a full first article of every
      characteristic (the plan's gauges) at every stage but prototype, whose plan has
      none (``None``);
    - ``inspection.by_quantity.first_article`` and ``.first_article_minutes``: ``full``
      and the schedule's ``part_minutes`` (that FAI measured part 1 in full); ``None``
      and 0 for a prototype.

    Fills only what is missing, so a row already in the version-5 shape passes unchanged.
    """
    data = copy.deepcopy(result)
    inspection = data.get("inspection")
    if not isinstance(inspection, dict):
        return data
    prototype = inspection.get("stage") == "prototype"
    gauges = inspection.get("gauges")
    ids = [g.get("characteristic_id") for g in gauges or [] if isinstance(g, dict)]
    made = {**FIRST_ARTICLE_V4, "characteristics": ids}
    inspection.setdefault("first_article", None if prototype else made)
    schedule = inspection.get("by_quantity")
    if isinstance(schedule, dict):
        schedule.setdefault("first_article", None if prototype else "full")
        schedule.setdefault(
            "first_article_minutes", 0.0 if prototype else schedule.get("part_minutes", 0.0)
        )
    return data


UPCASTERS: Mapping[int, Upcaster] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5}
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
