"""Presentation helpers for the page templates: names, numbers, tables, sections.

Pages render a stored assessment as the :class:`~rampwise.api.Assessment` model the
store reads back (older rows upcast first), so the templates read fields by name.
Sections of the Assessment that the pages do not lay out by name are shown from their
JSON by the generic renderer (mappings as definition lists, lists of rows as tables).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup
from pydantic_core import to_jsonable_python

from rampwise.api import Assessment
from rampwise.app.store.history import price_at, readiness_text, target_quantity
from rampwise.app.web import charts
from rampwise.core.model import PROFILE_ASPECTS, AreaStatus, StageProfile
from rampwise.core.units import quantity_text, size_text, sizes_text, tolerance_text
from rampwise.render.lengths import characteristic_limit
from rampwise.render.part_ranges import ranges_text
from rampwise.rules.inspection import InspectionPlan
from rampwise.rules.quote import Quote

CORE_KEYS = frozenset(
    {
        "project",
        "part_number",
        "part_revision",
        "quantity",
        "stage",
        "readiness",
        "stage_decision",
        "profile",
        "assessed_on",
        "rampwise_version",
        "unit",
    }
)
"""Assessment fields the result page lays out itself; every other field is a section."""

SECTION_TITLES = {
    "quote": "Price ladder and drivers",
    "geometry": "Geometry and DFM findings",
    "route": "Route",
    "inspection": "Inspection plan",
    "batch": "Batch quality",
    "notes": "Notes",
}
"""Headings of the optional sections, in page order; unknown ones follow by name."""

STATUS_LABEL = {"pass": "pass", "fail": "fail", "unknown": "unknown"}


def humanise(key: Any) -> str:
    """``"design_status"`` → ``"Design status"``; ``"low_volume"`` → ``"Low volume"``."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def fmt(value: Any) -> str:
    """A value as short text: 4 significant digits, thousands separators, yes/no, —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
            return f"{value:.4g}"
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.2f}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ", ".join(fmt(v) for v in value)
    return str(value)


def measure(value: Any) -> str:
    """A measured value or limit with the digits a gauge reports (7 significant)."""
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.7g}"
    return fmt(value)


def index(value: Any) -> str:
    """A capability index with two decimals."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:.2f}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return " – ".join(index(v) for v in value)
    return fmt(value)


def money(value: Any, currency: str = "") -> str:
    """A price with two decimals and its currency."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return fmt(value)
    return f"{currency} {value:,.2f}".strip()


def plain(value: Any) -> Any:
    """A model (or anything holding models) as its JSON values, for the generic renderer."""
    return to_jsonable_python(value)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, tuple | list | dict) and not value)


def sections(result: Assessment) -> list[tuple[str, str, Any]]:
    """The optional sections an assessment has: (field, heading, value), in page order.

    Known sections come first in :data:`SECTION_TITLES` order; a field the page does not
    know by name (added by a later model) follows under its humanised name.
    """
    extra = [
        name
        for name in type(result).model_fields
        if name not in CORE_KEYS and not _empty(getattr(result, name))
    ]
    known = [key for key in SECTION_TITLES if key in extra]
    unknown = [key for key in extra if key not in SECTION_TITLES]
    return [
        (key, SECTION_TITLES.get(key, humanise(key)), getattr(result, key))
        for key in known + unknown
    ]


def passed_areas(result: Assessment) -> int:
    """How many readiness areas pass."""
    return sum(1 for area in result.readiness.areas if area.status is AreaStatus.PASS)


def quote_chart(result: Assessment, document: Mapping[str, Any] | None = None) -> Markup:
    """The price ladder of an assessment's quote as inline SVG (empty without a quote)."""
    quote = result.quote
    if quote is None:
        return Markup("")
    return charts.price_ladder_svg(
        [(row.quantity, row.unit_price) for row in quote.breaks],
        currency=quote.currency,
        target_quantity=target_quantity(result, document or {}),
    )


def drivers_chart(quote: Quote) -> Markup:
    """The cost drivers of each quantity break as a 100 % stacked bar chart.

    The bars split the cost before overhead and margin, which the uplift spreads over
    every bucket in proportion, so a bucket's share of the bar is its share of the unit
    price: the same figure as the break's "setup is 51% of the price" words
    (:func:`rampwise.rules.cost.top_drivers`). Overhead and margin, the same fraction of every
    price, is not a bar segment of its own.
    """
    rows = [(row.quantity, row.drivers.costs()) for row in quote.breaks]
    return charts.drivers_svg(rows, currency=quote.currency)


def driver_rows(quote: Quote) -> list[tuple[str, list[float]]]:
    """Each price bucket with its cost in every quantity break [currency/piece].

    Buckets in the model's order, overhead and margin last; none without breaks.
    """
    if not quote.breaks:
        return []
    drivers = [row.drivers for row in quote.breaks]
    return [
        (name, [getattr(bucket, name) for bucket in drivers])
        for name in type(drivers[0]).model_fields
    ]


def profile_rows(profile: StageProfile) -> list[tuple[str, str]]:
    """A stage profile's comparison aspects with what each says, in the seeds' order."""
    return [(aspect, getattr(profile, aspect)) for aspect in PROFILE_ASPECTS]


def quote_details(quote: Quote) -> dict[str, Any]:
    """Everything in a quote but its quantity breaks (shown as the ladder), as JSON."""
    details: dict[str, Any] = quote.model_dump(mode="json", exclude={"breaks"})
    return details


def part_list(parts: Any) -> str:
    """Part numbers as ranges: ``"parts 1–4; 6–10: every 2nd; 60–5,000: every 10th"``."""
    return ranges_text(int(part) for part in parts)


def inspection_details(plan: InspectionPlan) -> dict[str, Any]:
    """An inspection plan as JSON with its part lists written as ranges.

    A 5,000-piece low-volume schedule lists about 510 part numbers (and the tiered step
    the same again): the generic renderer would show them one by one.
    """
    details: dict[str, Any] = plan.model_dump(mode="json")
    if details.get("schedule"):
        details["schedule"] = part_list(row["part"] for row in details["schedule"])
    for step in details.get("steps") or []:
        if step.get("parts"):
            step["parts"] = part_list(step["parts"])
    return details


def size(value: Any, unit: Any = "mm") -> str:
    """A size [mm] in the display unit (``"0.500 in (12.700 mm)"``); ``—`` for none."""
    return size_text(value, unit) if isinstance(value, int | float) else fmt(value)


def sizes(values: Any, unit: Any = "mm") -> str:
    """The sides of a box [mm] in the display unit (``"80 × 30 × 12 mm"``)."""
    return sizes_text(values, unit) if values else fmt(None)


def tolerance(value: Any, unit: Any = "mm") -> str:
    """A tolerance or spread [mm] in the display unit (``"0.0004 in (0.0102 mm)"``)."""
    return tolerance_text(value, unit) if isinstance(value, int | float) else fmt(value)


def quantity(value: Any, stored_unit: str, unit: Any = "mm") -> str:
    """A gauge figure stored in ``stored_unit`` (mm, um, deg) as the user reads it."""
    return quantity_text(value, stored_unit, unit) if isinstance(value, int | float) else fmt(value)


ENUM_CHANGES = frozenset({"stage", "purpose"})
"""History changes whose values are enum values, shown in words."""


def change_value(value: str | None, what: str) -> str:
    """One side of a history change as the page shows it (``low_volume`` → ``Low volume``)."""
    if value is None:
        return "—"
    return humanise(value) if what in ENUM_CHANGES else value


TEMPLATE_FILTERS = {
    "humanise": humanise,
    "fmt": fmt,
    "money": money,
    "measure": measure,
    "index": index,
    "change_value": change_value,
    "size": size,
    "sizes": sizes,
    "tolerance": tolerance,
    "quantity": quantity,
    "limit": characteristic_limit,
    "plain": plain,
    "part_list": part_list,
}
"""Filters every template may use."""

TEMPLATE_GLOBALS = {
    "sections": sections,
    "passed_areas": passed_areas,
    "readiness_text": readiness_text,
    "quote_chart": quote_chart,
    "quote_details": quote_details,
    "inspection_details": inspection_details,
    "drivers_chart": drivers_chart,
    "driver_rows": driver_rows,
    "profile_rows": profile_rows,
    "price_at": price_at,
    "target_quantity": target_quantity,
    "profile_fields": PROFILE_ASPECTS,
    "status_label": STATUS_LABEL,
}
"""Functions and tables every template may use."""
