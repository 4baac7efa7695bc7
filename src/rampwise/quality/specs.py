"""Specification limits for measured characteristics: spec files and project links.

A spec YAML names the limits of each characteristic (by the name or id used in the
measurement file)::

    unit: mm
    characteristics:
      Bore:   {nominal: 12.0, tolerance: "±0.005"}
      Length: {lsl: 59.9, usl: 60.1, target: 60.0}
      Pin bore: {nominal: 10.0, tolerance: H7}   # no target: aims at mid-tolerance 10.0075

or, for a file with a single characteristic, gives them at the top level
(``lsl: 11.995``, ``usl: 12.005``). Limits can also come from the project's own
characteristics (:func:`specs_for_characteristics`), keyed by both ``id`` and ``name``.

References
----------
.. [1] ISO 286-1:2010 (limits from nominal and deviations, via ``rampwise.tolerance``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.core.model import Characteristic, CharacteristicKind
from rampwise.quality.capability import SpecLimits


class SpecTable(BaseModel):
    """Specification limits from a spec file: by characteristic name, or one for all.

    Attributes
    ----------
    by_name
        Limits per characteristic name or id (as text).
    default
        Limits for a file with a single characteristic (a spec file without a
        ``characteristics`` section, or ``--lsl/--usl/--target``).
    """

    model_config = ConfigDict(frozen=True)

    by_name: dict[str, SpecLimits] = {}
    default: SpecLimits | None = None


# --------------------------------------------------------------------------------------
# Specifications
# --------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """Case-, space- and underscore-insensitive key for matching characteristic names."""
    return " ".join(name.lower().replace("_", " ").split())


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"must be a number; got {value!r}")
    if not math.isfinite(value):
        raise InputError(field, f"must be a finite number; got {value!r}")
    return float(value)


def spec_from_mapping(entry: Mapping[str, Any], *, field: str, unit: str = "mm") -> SpecLimits:
    """Specification limits from a spec-file entry.

    Accepted keys: ``lsl``/``usl``/``target``; or ``nominal`` with ``tolerance``
    (``"±0.005"``, ``[-0.005, 0.01]``, ``"H7"`` …) or with ``upper_deviation`` and
    ``lower_deviation``; plus an optional ``unit``. Without ``target`` a two-sided
    specification aims at mid-tolerance, (LSL + USL) / 2 — never the nominal, which for an
    ISO 286 class is a limit (Ø10 H7: nominal 10.000 = LSL, mid-tolerance 10.0075).

    Parameters
    ----------
    entry
        The mapping as read from YAML.
    field
        Where the entry sits, for error messages.
    unit
        Unit when the entry does not name one.

    Returns
    -------
    SpecLimits
        The limits [unit].

    Raises
    ------
    InputError
        For unknown keys, non-numeric limits, reversed limits or an unreadable tolerance.
    """
    from rampwise.tolerance.spec import parse_tolerance

    allowed = {"id", "name", "lsl", "usl", "target", "nominal", "tolerance"}
    allowed |= {"upper_deviation", "lower_deviation", "unit"}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise InputError(field, f"unknown key {unknown[0]!r}; valid: {', '.join(sorted(allowed))}")
    unit = str(entry.get("unit", unit))
    if "nominal" in entry:
        nominal = _number(entry["nominal"], f"{field}.nominal")
        if "tolerance" in entry:
            tol = parse_tolerance(entry["tolerance"], nominal=nominal, field=f"{field}.tolerance")
            upper, lower = tol.upper_deviation, tol.lower_deviation
        elif "upper_deviation" in entry and "lower_deviation" in entry:
            upper = _number(entry["upper_deviation"], f"{field}.upper_deviation")
            lower = _number(entry["lower_deviation"], f"{field}.lower_deviation")
        else:
            raise InputError(field, "a nominal needs tolerance or upper/lower_deviation")
        # The nominal is not the target: for an ISO class (H7: 10.000/+0.015) it is a
        # limit. Without a stated target the two-sided limits give the mid-tolerance.
        return make_spec(nominal + lower, nominal + upper, entry.get("target"), unit, field)
    return make_spec(entry.get("lsl"), entry.get("usl"), entry.get("target"), unit, field)


def make_spec(lsl: Any, usl: Any, target: Any, unit: str, field: str) -> SpecLimits:
    """:class:`SpecLimits` from loosely typed values, errors prefixed with ``field``."""
    limits = {
        name: None if value is None else _number(value, f"{field}.{name}")
        for name, value in (("lsl", lsl), ("usl", usl), ("target", target))
    }
    try:
        return SpecLimits(**limits, unit=unit)
    except InputError as err:
        raise InputError(f"{field}.{err.field}" if err.field else field, err.message) from None


def spec_table_from_mapping(document: Any, *, name: str = "spec") -> SpecTable:
    """Limits from a spec document: the content of a spec file, already parsed.

    Either a ``characteristics`` mapping (name → limits) or list (entries with ``id``
    and/or ``name``), with an optional top-level ``unit``; or, for a file with one
    characteristic, the limits at the top level.

    Raises
    ------
    InputError
        If the document is not a mapping or an entry is invalid; ``name`` names the file.
    """
    if not isinstance(document, dict):
        raise InputError("spec", f"{name} must hold a mapping")
    unit = str(document.get("unit", "mm"))
    entries = document.get("characteristics")
    if entries is None:
        flat = {k: v for k, v in document.items() if k != "unit"}
        return SpecTable(default=spec_from_mapping(flat, field="spec", unit=unit))
    by_name: dict[str, SpecLimits] = {}
    if isinstance(entries, dict):
        for name, entry in entries.items():
            if not isinstance(entry, dict):
                raise InputError(f"characteristics.{name}", "must be a mapping of limits")
            by_name[str(name)] = spec_from_mapping(
                entry, field=f"characteristics.{name}", unit=unit
            )
    elif isinstance(entries, list):
        for i, entry in enumerate(entries):
            field = f"characteristics[{i}]"
            if not isinstance(entry, dict) or not ({"id", "name"} & set(entry)):
                raise InputError(field, "must be a mapping with an id or a name")
            spec = spec_from_mapping(entry, field=field, unit=unit)
            for key in ("id", "name"):
                if key in entry:
                    by_name[str(entry[key])] = spec
    else:
        raise InputError("characteristics", "must be a mapping or a list")
    return SpecTable(by_name=by_name)


_KIND_UNITS = {CharacteristicKind.ROUGHNESS: "µm", CharacteristicKind.ANGLE: "deg"}


def spec_from_characteristic(characteristic: Characteristic) -> SpecLimits | None:
    """Specification limits of a project characteristic, or ``None`` if it has none.

    Parameters
    ----------
    characteristic
        A characteristic of the project's part.

    Returns
    -------
    SpecLimits or None
        Limits in the characteristic's unit (mm for sizes and geometric tolerances, µm
        for roughness, deg for angles). A two-sided specification aims at mid-tolerance
        (a drawing's nominal is no target: for H7 it is the lower limit); a one-sided
        one at its nominal when that lies inside.
    """
    lsl, usl = characteristic.lower_limit, characteristic.upper_limit
    if lsl is None and usl is None:
        return None
    target = None if lsl is not None and usl is not None else characteristic.nominal
    inside = (
        target is not None and (lsl is None or target >= lsl) and (usl is None or target <= usl)
    )
    return SpecLimits(
        lsl=lsl,
        usl=usl,
        target=target if inside else None,
        unit=_KIND_UNITS.get(characteristic.kind, "mm"),
    )


def specs_for_characteristics(characteristics: Iterable[Characteristic]) -> SpecTable:
    """Spec table keyed by each characteristic's ``id`` (as text) and ``name``.

    Parameters
    ----------
    characteristics
        The project part's characteristics.

    Returns
    -------
    SpecTable
        For :func:`load_measurements` ``specs=``.
    """
    by_name: dict[str, SpecLimits] = {}
    for characteristic in characteristics:
        spec = spec_from_characteristic(characteristic)
        if spec is not None:
            by_name[str(characteristic.id)] = spec
            by_name[characteristic.name] = spec
    return SpecTable(by_name=by_name)
