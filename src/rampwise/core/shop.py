"""A shop's rates and defaults: the quote catalog, optionally overridden by a shop file.

The catalog tables (``machines``, ``labour_rates``, ``finishes``, ``removal_rates``,
``lead_times``, ``capacity``, ``cost_defaults``, ``strategies``, ``am_materials`` and the
material prices of ``materials``) hold published or documented default figures. A shop file, YAML
or TOML, given by ``--shop`` or ``RAMPWISE_SHOP``, overrides any numeric cell of them by
the same names (DESIGN.md: shop-specific numbers are overridable, never edited in code)::

    name: Acme Precision
    currency: EUR
    exchange_rates: {USD: 0.92}  # 1 USD = 0.92 EUR: converts the catalog's USD figures
    overhead_rate: 0.25          # any cost_defaults key may also sit at the top level
    labour_rates: {setup: 40}
    machines: {mill_3axis: {rate_per_h: 70}}
    materials: {6061: {price_per_kg: 5.2}}
    finishes: {anodize_type_ii: {price_per_part: 4, lot_minimum: 120}}
    strategies: {dedicated_fixture: {fixture_material_cost: 180}}
    capacity: {machines_mill_3axis: 4, shifts_per_day: 1}  # the machines an order may use

Currency is a unit. Every money figure of a :class:`ShopConfig` is in its ``currency``:
the figures a shop file writes are taken in that currency, and the catalog's figures,
which are USD (:data:`CATALOG_CURRENCY`), are converted on load with the file's
``exchange_rates.USD``; a shop in another currency without that rate is refused rather
than quoting USD numbers labelled in its currency. ``exchange_rates`` maps a currency
code to the units of the shop's currency that one unit of it is worth (``{EUR: 1.08}`` in
a USD shop: 1 EUR = 1.08 USD); the same table converts a cost target stated in another
currency (:meth:`ShopConfig.exchange_rate`).

The money keys carry no currency in their names (``rate_per_h``, ``price_per_part``,
``lot_minimum``, ``price_per_kg``, ``powder_price_per_kg`` and the ``*_cost`` /
``machine_rate_per_h`` strategy parameters); the catalog's column names (``rate_usd_per_h``
…) and the former parameter names (``jaw_material_usd`` …) are accepted as aliases
(:data:`KEY_ALIASES`).

An unknown section, row or column is an :class:`~rampwise.core.errors.InputError` naming it and
listing the valid names; a negative or non-numeric value is an error naming its key.

References
----------
.. [1] research/quoting.md §2.1 (keep separate machine, setup, programming and operator
   rates, after aPriori and ARCNM), §6 item 6 (versioned, sourced catalogs).
"""

from __future__ import annotations

import re
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

CATALOG_CURRENCY = "USD"
"""Currency of every money figure of the catalog tables (their sources are US
marketplaces; ``catalog/README-quote.md``)."""

KEY_ALIASES: Mapping[str, str] = {
    "rate_usd_per_h": "rate_per_h",
    "price_usd_per_part": "price_per_part",
    "lot_minimum_usd": "lot_minimum",
    "price_usd_per_kg": "price_per_kg",
    "powder_usd_per_kg": "powder_price_per_kg",
    "jaw_material_usd": "jaw_material_cost",
    "fixture_material_usd": "fixture_material_cost",
    "adapter_material_usd": "adapter_material_cost",
    "machine_rate_usd_per_h": "machine_rate_per_h",
    "build_setup_usd": "build_setup_cost",
}
"""Catalog column names and former shop-file keys of money figures → the shop file's
currency-neutral key (a shop file may use either; its figures are in its currency)."""

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")

_UNIT_INTERVAL = frozenset({"learning_rate", "learning_floor", "part_fill_fraction"})
"""Keys that must lie in (0, 1]."""

_BELOW_ONE = frozenset(
    {"scrap_rate", "scrap_rate_tight", "scrap_rate_floor", "uncertainty_fraction"}
)
"""Keys that must lie in [0, 1)."""

_WHOLE = frozenset({"default_setups", "validation_run_parts"})
"""Keys that must be whole numbers."""

_COUNTS = frozenset({"shifts_per_day"})
"""Keys that must be whole numbers ≥ 1, besides the ``machines_<class>`` counts."""

_SHIFT_KEYS = frozenset({"hours_per_shift"})
"""Keys that must lie in (0, 24] [h]."""


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
    rate_per_h
        Rate while cutting or being set up, operator included [shop currency/h].
    """

    name: str
    description: str
    turning: bool
    rate_per_h: float
    source: str


class Finish(_Frozen):
    """One finish of ``catalog/finishes.csv``.

    Attributes
    ----------
    price_per_part
        Price per part [shop currency/part].
    lot_minimum
        Minimum charge per lot [shop currency].
    days
        Days the finish adds to the lead time [working days].
    """

    name: str
    aliases: tuple[str, ...]
    price_per_part: float
    lot_minimum: float
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
        Currency of every money figure below [ISO 4217 code]: the shop file's figures are
        in it and the catalog's USD figures were converted to it on load.
    exchange_rates
        Currency code → units of ``currency`` that one unit of it is worth, from the
        shop file (``{EUR: 1.08}`` in a USD shop: 1 EUR = 1.08 USD).
    cost_defaults
        ``catalog/cost_defaults.csv`` key → value [unit per row].
    labour_rates
        Role → rate [shop currency/h].
    machines, finishes, removal_rates
        Typed rows by key.
    lead_times
        Item → tier → value [working days, hours per day or unitless factor per row].
    capacity
        ``catalog/capacity.csv`` key → value: ``machines_<class>`` [machines],
        ``shifts_per_day`` [shifts], ``hours_per_shift`` [h], ``working_days_per_month``
        [working days].
    strategies
        Strategy → parameter → value [unit per row of ``strategies.csv``].
    am_powders
        Material category → metal powder price [shop currency/kg].
    am_materials
        Material category → ``powder_price_per_kg`` [shop currency/kg],
        ``build_rate_cm3_per_h`` [cm³/h] and ``layer_um`` [µm] of its powder's process.
    material_prices
        Canonical material name → stock price [shop currency/kg].
    overrides
        Dotted keys the shop file changed, for the quote's assumptions.
    """

    name: str = "catalog defaults"
    currency: str = CATALOG_CURRENCY
    exchange_rates: dict[str, float] = {}
    cost_defaults: dict[str, float]
    labour_rates: dict[str, float]
    machines: dict[str, MachineClass]
    finishes: dict[str, Finish]
    removal_rates: dict[str, RemovalRate]
    lead_times: dict[str, dict[str, float]]
    capacity: dict[str, float]
    strategies: dict[str, dict[str, float]]
    am_powders: dict[str, float]
    am_materials: dict[str, dict[str, float]]
    material_prices: dict[str, float]
    overrides: tuple[str, ...] = ()

    def default(self, key: str) -> float:
        """One value of ``cost_defaults`` [unit per row]."""
        return self.cost_defaults[key]

    def labour(self, role: str) -> float:
        """Rate of a labour role [shop currency/h]."""
        return self.labour_rates[role]

    def exchange_rate(self, currency: str) -> float | None:
        """Units of the shop's currency one unit of ``currency`` is worth.

        Parameters
        ----------
        currency
            ISO 4217 code (case ignored).

        Returns
        -------
        float or None
            1 for the shop's own currency, the shop file's ``exchange_rates`` entry for
            another [shop currency per unit of ``currency``], ``None`` when it gives none.
        """
        code = currency.strip().upper()
        if code == self.currency:
            return 1.0
        return self.exchange_rates.get(code)

    @property
    def catalog_rate(self) -> float:
        """Units of the shop's currency per US dollar, the catalog's currency [1/USD].

        For catalog money figures read outside this configuration (the first-article
        costs of ``inspection_parameters.csv``); the shop's own tables are converted.

        Raises
        ------
        InputError
            If the shop quotes in another currency and gives no ``exchange_rates.USD``.
        """
        rate = self.exchange_rate(CATALOG_CURRENCY)
        if rate is None:
            raise _no_catalog_rate(self.currency)
        return rate

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
        """Stock price of a material [shop currency/kg]."""
        return self.material_prices[material.name]

    def lead(self, item: str, tier: str) -> float:
        """One lead-time term for a tier [working days, hours per day or unitless]."""
        return self.lead_times[item][tier]

    def machines_of(self, machine_class: str) -> int:
        """Machines of a class that can run an order (``capacity.machines_<class>``) [machines]."""
        return int(self.capacity[f"machines_{machine_class}"])

    def strategy(self, name: str, parameter: str) -> float:
        """One documented default of a set-up strategy [unit per row of ``strategies.csv``]."""
        return self.strategies[name][parameter]


def _normalise(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


# --------------------------------------------------------------------------------------
# Catalog → raw nested numbers
# --------------------------------------------------------------------------------------

Raw = dict[str, dict[str, dict[str, float]]]
"""Section → row → key → value (flat tables use the single key ``value``); a catalog
column is keyed by its shop-file name (:data:`KEY_ALIASES`)."""

_FLAT = {
    "cost_defaults": ("key", "value"),
    "labour_rates": ("role", "rate_usd_per_h"),
    "capacity": ("key", "value"),
}
_TABLES = {
    "machines": ("machine_class", ("rate_usd_per_h",)),
    "finishes": ("finish", ("price_usd_per_part", "lot_minimum_usd", "days")),
    "removal_rates": (
        "removal_class",
        ("roughing_cm3_per_min", "finishing_cm2_per_min", "feature_time_factor"),
    ),
    "lead_times": ("item", TIERS),
    "am_materials": ("category", ("powder_usd_per_kg", "build_rate_cm3_per_h", "layer_um")),
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
"""Sections a shop file may contain, besides ``name``, ``currency``, ``exchange_rates`` and
cost_defaults keys."""

_TOP_KEYS = ("name", "currency", "exchange_rates")
"""Top-level keys of a shop file that are not sections or cost_defaults keys."""


def _key(column: str) -> str:
    """The shop-file key of a catalog column or former key (itself when it has no alias)."""
    return KEY_ALIASES.get(column, column)


def _is_money(unit: str) -> bool:
    """Whether a catalog unit (a column name's or a ``unit`` cell) is an amount of USD."""
    return re.search(rf"\b{CATALOG_CURRENCY}\b", unit.upper().replace("_", " ")) is not None


@cache
def _catalog_raw() -> Raw:
    """The catalog's figures as they stand [catalog units: money in USD]."""
    raw: Raw = {}
    for section, (key, column) in _FLAT.items():
        raw[section] = {row[key]: {"value": float(row[column])} for row in load_table(section)}
    for section, (key, columns) in _TABLES.items():
        raw[section] = {
            row[key]: {_key(c): float(row[c]) for c in columns} for row in load_table(section)
        }
    strategies: dict[str, dict[str, float]] = {}
    for row in load_table("strategies"):
        strategies.setdefault(row["strategy"], {})[row["parameter"]] = float(row["value"])
    raw["strategies"] = strategies
    raw["materials"] = {m.name: {"price_per_kg": m.price_usd_per_kg} for m in materials().values()}
    return raw


@cache
def _catalog_money() -> frozenset[tuple[str, str, str]]:
    """(section, row, key) of every money cell of the catalog, all in USD.

    A column is money when its name says USD (``rate_usd_per_h``), a row of a table
    with a ``unit`` column when that cell does (``USD``, ``USD/h``); labour rates and
    material prices are money throughout.
    """
    cells: set[tuple[str, str, str]] = set()
    for section in ("cost_defaults", "strategies"):
        for row in load_table(section):
            name, key = (
                (row["key"], "value")
                if section == "cost_defaults"
                else (row["strategy"], row["parameter"])
            )
            if _is_money(row["unit"]):
                cells.add((section, name, key))
    cells.update(("labour_rates", role, "value") for role in _catalog_raw()["labour_rates"])
    for section, (_, columns) in _TABLES.items():
        for column in columns:
            if _is_money(column):
                cells.update((section, row, _key(column)) for row in _catalog_raw()[section])
    cells.update(("materials", name, "price_per_kg") for name in _catalog_raw()["materials"])
    return frozenset(cells)


def no_target_rate(currency: str, shop_currency: str) -> InputError:
    """The refusal to judge a cost target in ``currency`` against quotes in another.

    Parameters
    ----------
    currency
        The target's currency [ISO 4217 code].
    shop_currency
        The currency of the quotes [ISO 4217 code].

    Returns
    -------
    InputError
        On ``cost_target.currency``, naming both currencies and the shop-file key to set.
    """
    return InputError(
        "cost_target.currency",
        f"{currency} target cannot be compared with {shop_currency} quotes: give "
        f"exchange_rates.{currency} in the shop file",
    )


def _no_catalog_rate(currency: str) -> InputError:
    return InputError(
        f"shop.exchange_rates.{CATALOG_CURRENCY}",
        f"the catalog's money figures are {CATALOG_CURRENCY} and this shop quotes in "
        f"{currency}: give exchange_rates.{CATALOG_CURRENCY} ({currency} per 1 "
        f"{CATALOG_CURRENCY}) in the shop file",
    )


def _to_shop_currency(raw: Raw, rate: float) -> None:
    """Convert the catalog's USD cells of ``raw`` at ``rate`` [shop currency per USD]."""
    for section, row, key in _catalog_money():
        raw[section][row][key] *= rate


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
    if (key in _COUNTS or key.startswith("machines_")) and (number < 1 or number != int(number)):
        raise InputError(field, f"must be a whole number ≥ 1; got {value!r}")
    if key in _SHIFT_KEYS and not 0 < number <= 24:
        raise InputError(field, f"must be in (0, 24] hours; got {value!r}")
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
        given = _mapping(cells, field)
        for column, value in given.items():
            key = _key(column)  # a former name (``rate_usd_per_h``) means the same cell
            if key not in row:
                _unknown(field, "key", column, tuple(row))
            if key != column and key in given:
                raise InputError(
                    f"{field}.{column}", f"is the former name of {key!r}, also given; give one"
                )
            row[key] = _number(value, f"{field}.{column}", key)
            changed.append(f"{section}.{name}.{key}")


def _currency_code(value: Any, field: str) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if not _CURRENCY_CODE.fullmatch(code):
        raise InputError(
            field, f"must be a three-letter ISO 4217 currency code (USD, EUR …); got {value!r}"
        )
    return code


def _exchange_rates(value: Any, currency: str) -> dict[str, float]:
    """The shop file's ``exchange_rates`` [shop currency per unit of each currency]."""
    rates: dict[str, float] = {}
    for name, rate in _mapping(value, "shop.exchange_rates").items():
        field = f"shop.exchange_rates.{name}"
        code = _currency_code(name, field)
        if isinstance(rate, bool) or not isinstance(rate, int | float):
            raise InputError(field, f"must be a number; got {rate!r}")
        number = require_positive(field, float(rate))
        if code in rates:
            raise InputError(field, f"{code} is given twice")
        if code == currency and number != 1:
            raise InputError(field, f"{code} is the shop's own currency, worth 1; got {rate!r}")
        rates[code] = number
    return rates


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
        Catalog values with the document's overrides applied, every money figure in the
        document's ``currency``: the catalog's USD figures converted at its
        ``exchange_rates.USD``, its own figures taken as they are.

    Raises
    ------
    InputError
        For an unknown section, row or key (the message names it and lists the valid
        ones), a value that is not a finite number ≥ 0 (or out of its range), a
        currency that is not a three-letter code, an exchange rate that is not > 0, or a
        currency other than USD without ``exchange_rates.USD``.
    """
    import copy

    data = _mapping(document or {}, "shop")
    raw = copy.deepcopy(_catalog_raw())
    changed: list[str] = []
    shop_name = str(data.get("name", name or "catalog defaults"))
    currency = _currency_code(data.get("currency", CATALOG_CURRENCY), "shop.currency")
    rates = _exchange_rates(data.get("exchange_rates", {}), currency)
    if currency != CATALOG_CURRENCY:  # before the overrides: those are in `currency`
        if CATALOG_CURRENCY not in rates:
            raise _no_catalog_rate(currency)
        _to_shop_currency(raw, rates[CATALOG_CURRENCY])
    top_defaults = {}
    for key, value in data.items():
        if key in _TOP_KEYS:
            continue
        if key in raw["cost_defaults"]:
            top_defaults[key] = value
        elif key in _FLAT:
            _apply_flat(raw, key, _mapping(value, f"shop.{key}"), changed)
        elif key in SECTIONS:
            _apply_rows(raw, key, _mapping(value, f"shop.{key}"), changed)
        else:
            valid = (*_TOP_KEYS, *SECTIONS, "or any cost_defaults key")
            _unknown("shop", "key", key, valid)
    _apply_flat(raw, "cost_defaults", top_defaults, changed)
    return _build(raw, shop_name, currency, rates, tuple(changed))


def _build(
    raw: Raw,
    name: str,
    currency: str,
    rates: dict[str, float],
    changed: tuple[str, ...],
) -> ShopConfig:
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
        exchange_rates=rates,
        cost_defaults={k: v["value"] for k, v in raw["cost_defaults"].items()},
        labour_rates={k: v["value"] for k, v in raw["labour_rates"].items()},
        machines={
            k: MachineClass(
                name=k,
                description=tables["machines"][k]["description"],
                turning=tables["machines"][k]["turning"] == "true",
                rate_per_h=v["rate_per_h"],
                source=tables["machines"][k]["source"],
            )
            for k, v in raw["machines"].items()
        },
        finishes={
            k: Finish(
                name=k,
                aliases=tuple(a for a in tables["finishes"][k]["aliases"].split(";") if a),
                price_per_part=v["price_per_part"],
                lot_minimum=v["lot_minimum"],
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
        capacity={k: v["value"] for k, v in raw["capacity"].items()},
        strategies=raw["strategies"],
        am_powders={k: v["powder_price_per_kg"] for k, v in raw["am_materials"].items()},
        am_materials=raw["am_materials"],
        material_prices={k: v["price_per_kg"] for k, v in raw["materials"].items()},
        overrides=changed,
    )


@cache
def default_shop() -> ShopConfig:
    """The catalog's own figures, without any shop file (cached)."""
    return shop_from_mapping({})
