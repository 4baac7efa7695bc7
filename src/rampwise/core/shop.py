"""A shop's rates and defaults: the quote catalog, optionally overridden by a shop file.

The catalog tables (``machines``, ``labour_rates``, ``finishes``, ``removal_rates``,
``lead_times``, ``cost_defaults``, ``strategies``, ``am_materials`` and the material
prices of ``materials``) hold published or documented default figures. A shop file, YAML
or TOML, given by ``--shop`` or ``RAMPWISE_SHOP``, overrides any numeric cell of them by
the same names (DESIGN.md: shop-specific numbers are overridable, never edited in code)::

    name: Acme Precision
    currency: USD
    overhead_rate: 0.25          # any cost_defaults key may also sit at the top level
    labour_rates: {setup: 40}
    machines: {mill_3axis: {rate_usd_per_h: 70}}
    materials: {6061: {price_usd_per_kg: 5.2}}
    finishes: {anodize_type_ii: {price_usd_per_part: 4, lot_minimum_usd: 120}}
    strategies: {dedicated_fixture: {fixture_material_usd: 180}}

An unknown section, row or column is an :class:`~rampwise.core.errors.InputError` naming it and
listing the valid names; a negative or non-numeric value is an error naming its key.

References
----------
.. [1] research/quoting.md §2.1 (keep separate machine, setup, programming and operator
   rates, after aPriori and ARCNM), §6 item 6 (versioned, sourced catalogs).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.checks import require_positive
from rampwise.core.errors import InputError
from rampwise.core.model import Material, find_material, materials

TIERS = ("expedite", "standard", "economy")
"""Lead-time tier columns of ``catalog/lead_times.csv``, fastest first."""

_UNIT_INTERVAL = frozenset({"learning_rate", "learning_floor", "part_fill_fraction"})
"""Keys that must lie in (0, 1]."""

_BELOW_ONE = frozenset({"scrap_rate", "scrap_rate_tight", "uncertainty_fraction"})
"""Keys that must lie in [0, 1)."""

_WHOLE = frozenset({"default_setups", "validation_run_parts"})
"""Keys that must be whole numbers."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class MachineClass(_Frozen):
    """One machine class of ``catalog/machines.csv``.

    Attributes
    ----------
    name
        Class key, e.g. ``mill_3axis``.
    description
        Plain words.
    turning
        Whether the machine turns the part (round bar stock).
    rate_usd_per_h
        Rate while cutting or being set up, operator included [USD/h].
    """

    name: str
    description: str
    turning: bool
    rate_usd_per_h: float
    source: str


class Finish(_Frozen):
    """One finish of ``catalog/finishes.csv``.

    Attributes
    ----------
    price_usd_per_part
        Price per part [USD/part].
    lot_minimum_usd
        Minimum charge per lot [USD].
    days
        Days the finish adds to the lead time [working days].
    """

    name: str
    aliases: tuple[str, ...]
    price_usd_per_part: float
    lot_minimum_usd: float
    days: float
    source: str


class RemovalRate(_Frozen):
    """Removal rates of one ``removal_rate_class`` (``catalog/removal_rates.csv``).

    Attributes
    ----------
    roughing_cm3_per_min
        Bulk roughing rate [cm³/min].
    finishing_cm2_per_min
        Finishing pass area rate [cm²/min].
    feature_time_factor
        Multiplier of the per-feature minutes, aluminium = 1 [unitless].
    """

    name: str
    roughing_cm3_per_min: float
    finishing_cm2_per_min: float
    feature_time_factor: float
    source: str


class ShopConfig(_Frozen):
    """Every rate and default the quote uses, after the shop file's overrides.

    Attributes
    ----------
    name
        The shop's name (``"catalog defaults"`` without a shop file).
    currency
        Currency of every money figure [ISO 4217 code]; no conversion is made.
    cost_defaults
        ``catalog/cost_defaults.csv`` key → value [unit per row].
    labour_rates
        Role → rate [USD/h].
    machines, finishes, removal_rates
        Typed rows by key.
    lead_times
        Item → tier → value [working days or hours per day].
    strategies
        Strategy → parameter → value [unit per row of ``strategies.csv``].
    am_powders
        Material category → metal powder price [USD/kg].
    material_prices
        Canonical material name → stock price [USD/kg].
    overrides
        Dotted keys the shop file changed, for the quote's assumptions.
    """

    name: str = "catalog defaults"
    currency: str = "USD"
    cost_defaults: dict[str, float]
    labour_rates: dict[str, float]
    machines: dict[str, MachineClass]
    finishes: dict[str, Finish]
    removal_rates: dict[str, RemovalRate]
    lead_times: dict[str, dict[str, float]]
    strategies: dict[str, dict[str, float]]
    am_powders: dict[str, float]
    material_prices: dict[str, float]
    overrides: tuple[str, ...] = ()

    def default(self, key: str) -> float:
        """One value of ``cost_defaults`` [unit per row]."""
        return self.cost_defaults[key]

    def labour(self, role: str) -> float:
        """Rate of a labour role [USD/h]."""
        return self.labour_rates[role]

    def machine(self, name: str, *, field: str = "machine") -> MachineClass:
        """The machine class called ``name``.

        Raises
        ------
        InputError
            If there is no such class; the message lists the valid ones.
        """
        if name not in self.machines:
            raise InputError(
                field, f"unknown machine class {name!r}; valid: {', '.join(self.machines)}"
            )
        return self.machines[name]

    def finish(self, name: str, *, field: str = "part.finish") -> Finish:
        """The finish called ``name`` or one of its aliases (case, spaces, ``-``, ``_`` ignored).

        Raises
        ------
        InputError
            If no finish matches; the message lists the valid names.
        """
        wanted = _normalise(name)
        for finish in self.finishes.values():
            if wanted in {_normalise(finish.name), *(_normalise(a) for a in finish.aliases)}:
                return finish
        raise InputError(field, f"unknown finish {name!r}; valid: {', '.join(self.finishes)}")

    def material_price(self, material: Material) -> float:
        """Stock price of a material [USD/kg]."""
        return self.material_prices[material.name]

    def lead(self, item: str, tier: str) -> float:
        """One lead-time term for a tier [working days or hours per day]."""
        return self.lead_times[item][tier]

    def strategy(self, name: str, parameter: str) -> float:
        """One documented default of a set-up strategy [unit per row of ``strategies.csv``]."""
        return self.strategies[name][parameter]


def _normalise(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


# --------------------------------------------------------------------------------------
# Catalog → raw nested numbers
# --------------------------------------------------------------------------------------

Raw = dict[str, dict[str, dict[str, float]]]
"""Section → row → column → value (flat tables use the single column ``value``)."""

_FLAT = {"cost_defaults": ("key", "value"), "labour_rates": ("role", "rate_usd_per_h")}
_TABLES = {
    "machines": ("machine_class", ("rate_usd_per_h",)),
    "finishes": ("finish", ("price_usd_per_part", "lot_minimum_usd", "days")),
    "removal_rates": (
        "removal_class",
        ("roughing_cm3_per_min", "finishing_cm2_per_min", "feature_time_factor"),
    ),
    "lead_times": ("item", TIERS),
    "am_materials": ("category", ("powder_usd_per_kg",)),
}
_ROW_WORD = {
    "machines": "machine class",
    "finishes": "finish",
    "removal_rates": "removal class",
    "lead_times": "lead-time item",
    "am_materials": "material category",
    "strategies": "strategy",
    "materials": "material",
}
SECTIONS = (*_FLAT, *_TABLES, "strategies", "materials")
"""Sections a shop file may contain, besides ``name``, ``currency`` and cost_defaults keys."""


@cache
def _catalog_raw() -> Raw:
    raw: Raw = {}
    for section, (key, column) in _FLAT.items():
        raw[section] = {row[key]: {"value": float(row[column])} for row in load_table(section)}
    for section, (key, columns) in _TABLES.items():
        raw[section] = {
            row[key]: {c: float(row[c]) for c in columns} for row in load_table(section)
        }
    strategies: dict[str, dict[str, float]] = {}
    for row in load_table("strategies"):
        strategies.setdefault(row["strategy"], {})[row["parameter"]] = float(row["value"])
    raw["strategies"] = strategies
    raw["materials"] = {
        m.name: {"price_usd_per_kg": m.price_usd_per_kg} for m in materials().values()
    }
    return raw


# --------------------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------------------


def _number(value: Any, field: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"must be a number; got {value!r}")
    number = require_positive(field, float(value), allow_zero=True)
    if key in _UNIT_INTERVAL and not 0 < number <= 1:
        raise InputError(field, f"must be in (0, 1]; got {value!r}")
    if key in _BELOW_ONE and number >= 1:
        raise InputError(field, f"must be in [0, 1); got {value!r}")
    if key in _WHOLE and number != int(number):
        raise InputError(field, f"must be a whole number; got {value!r}")
    return number


def _mapping(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(field, f"must be a mapping of names to values; got {value!r}")
    return {str(k): v for k, v in value.items()}


def _unknown(field: str, what: str, name: str, valid: Mapping[str, Any] | tuple[str, ...]) -> None:
    raise InputError(field, f"unknown {what} {name!r}; valid: {', '.join(valid)}")


def _row_key(section: str, name: str, rows: Mapping[str, Any], field: str) -> str:
    if section == "materials":
        return find_material(name, field=field).name
    if section == "finishes":
        return _finish_key(name, field)
    if name not in rows:
        _unknown(field, _ROW_WORD[section], name, tuple(rows))
    return name


def _finish_key(name: str, field: str) -> str:
    for row in load_table("finishes"):
        names = {row["finish"], *(a for a in row["aliases"].split(";") if a)}
        if _normalise(name) in {_normalise(n) for n in names}:
            return row["finish"]
    _unknown(field, "finish", name, tuple(_catalog_raw()["finishes"]))
    raise AssertionError  # pragma: no cover - _unknown always raises


def _apply_flat(raw: Raw, section: str, values: Mapping[str, Any], changed: list[str]) -> None:
    table = raw[section]
    for key, value in values.items():
        field = f"shop.{section}.{key}"
        if key not in table:
            _unknown(f"shop.{section}", "key", key, tuple(table))
        table[key] = {"value": _number(value, field, key)}
        changed.append(f"{section}.{key}")


def _apply_rows(raw: Raw, section: str, values: Mapping[str, Any], changed: list[str]) -> None:
    rows = raw[section]
    for name, cells in values.items():
        field = f"shop.{section}.{name}"
        row = rows[_row_key(section, name, rows, field)]
        for column, value in _mapping(cells, field).items():
            if column not in row:
                _unknown(field, "key", column, tuple(row))
            row[column] = _number(value, f"{field}.{column}", column)
            changed.append(f"{section}.{name}.{column}")


def shop_from_mapping(document: Any, *, name: str | None = None) -> ShopConfig:
    """Build the shop configuration from a parsed shop document.

    Parameters
    ----------
    document
        Mapping of a shop file (see the module docstring); ``None`` or ``{}`` gives the
        catalog defaults.
    name
        Name to use when the document has no ``name``.

    Returns
    -------
    ShopConfig
        Catalog values with the document's overrides applied.

    Raises
    ------
    InputError
        For an unknown section, row or key (the message names it and lists the valid
        ones), or a value that is not a finite number ≥ 0 (or out of its range).
    """
    import copy

    data = _mapping(document or {}, "shop")
    raw = copy.deepcopy(_catalog_raw())
    changed: list[str] = []
    shop_name = str(data.get("name", name or "catalog defaults"))
    currency = str(data.get("currency", "USD"))
    top_defaults = {}
    for key, value in data.items():
        if key in ("name", "currency"):
            continue
        if key in raw["cost_defaults"]:
            top_defaults[key] = value
        elif key in _FLAT:
            _apply_flat(raw, key, _mapping(value, f"shop.{key}"), changed)
        elif key in SECTIONS:
            _apply_rows(raw, key, _mapping(value, f"shop.{key}"), changed)
        else:
            valid = ("name", "currency", *SECTIONS, "or any cost_defaults key")
            _unknown("shop", "key", key, valid)
    _apply_flat(raw, "cost_defaults", top_defaults, changed)
    return _build(raw, shop_name, currency, tuple(changed))


def _build(raw: Raw, name: str, currency: str, changed: tuple[str, ...]) -> ShopConfig:
    for section, rows in raw.items():  # catalog values obey the same ranges as overrides
        for row, cells in rows.items():
            for column, value in cells.items():
                key = row if section in _FLAT else column
                _number(value, f"{section}.{row}.{column}", key)
    tables = {
        s: {r[_TABLES[s][0]]: r for r in load_table(s)}
        for s in ("machines", "finishes", "removal_rates")
    }
    return ShopConfig(
        name=name,
        currency=currency,
        cost_defaults={k: v["value"] for k, v in raw["cost_defaults"].items()},
        labour_rates={k: v["value"] for k, v in raw["labour_rates"].items()},
        machines={
            k: MachineClass(
                name=k,
                description=tables["machines"][k]["description"],
                turning=tables["machines"][k]["turning"] == "true",
                rate_usd_per_h=v["rate_usd_per_h"],
                source=tables["machines"][k]["source"],
            )
            for k, v in raw["machines"].items()
        },
        finishes={
            k: Finish(
                name=k,
                aliases=tuple(a for a in tables["finishes"][k]["aliases"].split(";") if a),
                price_usd_per_part=v["price_usd_per_part"],
                lot_minimum_usd=v["lot_minimum_usd"],
                days=v["days"],
                source=tables["finishes"][k]["source"],
            )
            for k, v in raw["finishes"].items()
        },
        removal_rates={
            k: RemovalRate(name=k, source=tables["removal_rates"][k]["source"], **v)
            for k, v in raw["removal_rates"].items()
        },
        lead_times=raw["lead_times"],
        strategies=raw["strategies"],
        am_powders={k: v["powder_usd_per_kg"] for k, v in raw["am_materials"].items()},
        material_prices={k: v["price_usd_per_kg"] for k, v in raw["materials"].items()},
        overrides=changed,
    )


@cache
def default_shop() -> ShopConfig:
    """The catalog's own figures, without any shop file (cached)."""
    return shop_from_mapping({})
