"""Design-for-manufacture rules as data, checked against a :class:`PartGeometry`.

The rules live in ``catalog/dfm_rules.csv`` (id, measured quantity, threshold, severity,
material class, expected, fix, source). A shop overrides them by passing a mapping
``{rule_id: threshold}`` or ``{rule_id: {"threshold": …, "severity": …, "enabled": …}}``.
Checks run on the plain result model, so a project can re-check a part for its material
or its shop's limits without reading the CAD file again.

A rule the model cannot measure (no holes on a mesh, thread depth without a thread in
the model or PMI) gives one ``unverified`` finding; nothing is guessed.

References
----------
.. [1] ``research/quoting.md`` §3.1 (published CNC DFM rules with sources) and §3.4
   (CADEX MTK: each issue as expected vs actual; aPriori critical/major/minor).
.. [2] seed 003 (thin walls under 1.5 mm need soft or conformal workholding).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from rampwise.catalog import load_table
from rampwise.core.errors import InputError
from rampwise.geometry.catalogs import largest_catalog_drill
from rampwise.geometry.models import (
    Finding,
    FindingStatus,
    PartGeometry,
    Representation,
    Severity,
    ThinWall,
    Vector3,
)

LIMIT_SUFFIX = "_limit"
"""A rule ``X_limit`` is the harder limit of rule ``X``: one feature reports only the worse."""

INPUT_RULE_PREFIX = "input."
"""Findings about the file itself (units, bodies, representation), kept on re-checks."""


@dataclass(frozen=True)
class DfmRule:
    """One row of ``catalog/dfm_rules.csv``.

    Attributes
    ----------
    rule
        Rule id.
    measure
        The quantity checked (``min_wall``, ``hole_depth_ratio``…).
    threshold
        Limit in ``unit``.
    unit
        Unit of the threshold (``mm``, ``depth/diameter``…).
    severity
        Severity when broken.
    applies_to
        ``any``, ``metal`` or ``plastic``.
    expected, fix, source
        Texts of the finding.
    enabled
        False when a shop switched the rule off.
    """

    rule: str
    measure: str
    threshold: float
    unit: str
    severity: Severity
    applies_to: str
    expected: str
    fix: str
    source: str
    enabled: bool = True


@cache
def catalog_rules() -> tuple[DfmRule, ...]:
    """The rules as shipped in ``catalog/dfm_rules.csv``."""
    return tuple(
        DfmRule(
            rule=row["rule"],
            measure=row["measure"],
            threshold=float(row["threshold"]),
            unit=row["unit"],
            severity=Severity(row["severity"]),
            applies_to=row["applies_to"],
            expected=row["expected"],
            fix=row["fix"],
            source=row["source"],
        )
        for row in load_table("dfm_rules")
    )


def rules(overrides: Mapping[str, Any] | None = None) -> tuple[DfmRule, ...]:
    """The catalog rules with a shop's overrides applied.

    Parameters
    ----------
    overrides
        ``{rule_id: threshold}`` or ``{rule_id: {"threshold": float, "severity": str,
        "enabled": bool}}``; thresholds in the rule's unit.

    Returns
    -------
    tuple of DfmRule
        All rules, overridden where asked.

    Raises
    ------
    InputError
        For an unknown rule id, an unknown key, a severity not in critical/major/minor, or
        a threshold that is not a finite number ≥ 0.
    """
    table = {rule.rule: rule for rule in catalog_rules()}
    for rule_id, change in (overrides or {}).items():
        if rule_id not in table:
            raise InputError(
                "dfm_overrides", f"unknown rule {rule_id!r}; valid: {', '.join(table)}"
            )
        spec = change if isinstance(change, Mapping) else {"threshold": change}
        unknown = set(spec) - {"threshold", "severity", "enabled"}
        if unknown:
            raise InputError(
                f"dfm_overrides.{rule_id}",
                f"unknown keys {sorted(unknown)}; use threshold, severity, enabled",
            )
        updated = table[rule_id]
        if "threshold" in spec:
            try:
                threshold = float(spec["threshold"])
            except (TypeError, ValueError):
                threshold = float("nan")
            if not threshold >= 0.0 or threshold == float("inf"):
                raise InputError(
                    f"dfm_overrides.{rule_id}.threshold",
                    f"must be a finite number ≥ 0; got {spec['threshold']!r}",
                )
            updated = replace(updated, threshold=threshold)
        if "severity" in spec:
            valid = [s.value for s in Severity]
            if spec["severity"] not in valid:
                raise InputError(
                    f"dfm_overrides.{rule_id}.severity",
                    f"must be one of {', '.join(valid)}; got {spec['severity']!r}",
                )
            updated = replace(updated, severity=Severity(spec["severity"]))
        if "enabled" in spec:
            updated = replace(updated, enabled=bool(spec["enabled"]))
        table[rule_id] = updated
    return tuple(table.values())


@dataclass(frozen=True)
class _Hit:
    """One feature breaking (or not measurable against) a rule."""

    actual: str
    where: str
    location: Vector3 | None = None
    status: FindingStatus = FindingStatus.VIOLATED


Check = Callable[[PartGeometry, DfmRule], Iterator[_Hit]]


def _mm(value: float) -> str:
    """A length for a message: two decimals at most, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _min_wall(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    if geometry.min_wall_mm is None:
        yield _Hit(
            "wall thickness not measurable on this model",
            "whole part",
            status=FindingStatus.UNVERIFIED,
        )
        return
    if not geometry.units_declared:
        yield _Hit(
            f"thinnest wall {_mm(geometry.min_wall_mm)} file units, "
            "but the mesh unit was not given",
            "whole part",
            status=FindingStatus.UNVERIFIED,
        )
        return
    walls = [w for w in geometry.thin_walls if w.thickness_mm < rule.threshold]
    if not walls and geometry.min_wall_mm < rule.threshold and geometry.min_wall_location_mm:
        walls = [
            ThinWall(thickness_mm=geometry.min_wall_mm, location_mm=geometry.min_wall_location_mm)
        ]
    for wall in walls:
        if wall.thickness_mm < rule.threshold:
            face = f" (face {wall.face_id})" if wall.face_id is not None else ""
            yield _Hit(
                f"wall {_mm(wall.thickness_mm)} mm",
                f"wall at ({', '.join(f'{c:.1f}' for c in wall.location_mm)}) mm{face}",
                wall.location_mm,
            )


def _needs_features(geometry: PartGeometry, what: str) -> Iterator[_Hit]:
    if geometry.representation is Representation.MESH:
        yield _Hit(
            f"{what} not recognisable from triangles", "whole part", status=FindingStatus.UNVERIFIED
        )


def _pocket_ratio(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    yield from _needs_features(geometry, "pockets")
    for pocket in geometry.pockets:
        if pocket.kind == "step" or pocket.width_mm <= 0:
            continue
        ratio = pocket.depth_mm / pocket.width_mm
        if ratio > rule.threshold:
            yield _Hit(
                f"{pocket.kind} {_mm(pocket.depth_mm)} mm deep, {_mm(pocket.width_mm)} mm wide: "
                f"{ratio:.1f} x width",
                f"{pocket.kind} {_mm(pocket.width_mm)} x {_mm(pocket.length_mm)} mm",
                pocket.location_mm,
            )


def _corner_ratio(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    yield from _needs_features(geometry, "internal corners")
    for corner in geometry.internal_corners:
        if corner.radius_mm <= 0:
            continue
        ratio = corner.depth_mm / corner.radius_mm
        if ratio > rule.threshold:
            yield _Hit(
                f"R{_mm(corner.radius_mm)} mm corner {_mm(corner.depth_mm)} mm deep: "
                f"{ratio:.1f} x radius",
                f"internal corner R{_mm(corner.radius_mm)}",
                corner.location_mm,
            )


def _sharp_corner(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    yield from _needs_features(geometry, "internal corners")
    for corner in geometry.internal_corners:
        if corner.radius_mm <= rule.threshold:
            yield _Hit(
                f"sharp internal corner {_mm(corner.depth_mm)} mm long",
                "sharp internal vertical corner",
                corner.location_mm,
            )


def _hole_ratio(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    yield from _needs_features(geometry, "holes")
    for hole in geometry.holes:
        ratio = hole.depth_mm / hole.diameter_mm
        if ratio > rule.threshold:
            yield _Hit(
                f"hole Ø{_mm(hole.diameter_mm)} depth {_mm(hole.depth_mm)} mm: {ratio:.1f} x D",
                f"{'through' if hole.through else 'blind'} hole Ø{_mm(hole.diameter_mm)}",
                hole.entry_mm,
            )


def _standard_drill(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    yield from _needs_features(geometry, "holes")
    largest = largest_catalog_drill()
    for hole in geometry.holes:
        if hole.standard_drill is None and hole.diameter_mm <= largest:
            yield _Hit(
                f"Ø{hole.diameter_mm:.3f} mm matches no catalog drill",
                f"hole Ø{_mm(hole.diameter_mm)}",
                hole.entry_mm,
            )


def _thread_ratio(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    yield from _needs_features(geometry, "threads")
    unknown = [h for h in geometry.holes if h.tapped is None]
    if unknown:
        yield _Hit(
            f"{len(unknown)} hole(s): neither the model nor its PMI says whether they are tapped",
            "holes",
            status=FindingStatus.UNVERIFIED,
        )
    for hole in geometry.holes:
        ratio = hole.depth_mm / hole.diameter_mm
        if hole.tapped and ratio > rule.threshold:
            yield _Hit(
                f"thread Ø{_mm(hole.diameter_mm)} {_mm(hole.depth_mm)} mm long: {ratio:.1f} x D",
                f"tapped hole Ø{_mm(hole.diameter_mm)}",
                hole.entry_mm,
            )


def _setups(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    if geometry.setups is None:
        yield _Hit(
            "tool access not measurable on this model",
            "whole part",
            status=FindingStatus.UNVERIFIED,
        )
    elif geometry.setups > rule.threshold:
        directions = "; ".join(
            f"({x:.2f}, {y:.2f}, {z:.2f})" for x, y, z in geometry.setup_directions
        )
        yield _Hit(f"{geometry.setups} setups: {directions}", "whole part")


def _unreachable(geometry: PartGeometry, rule: DfmRule) -> Iterator[_Hit]:
    if geometry.setups is None:
        yield _Hit(
            "tool access not measurable on this model",
            "whole part",
            status=FindingStatus.UNVERIFIED,
        )
    elif geometry.unreachable_faces > rule.threshold:
        yield _Hit(
            f"{geometry.unreachable_faces} face(s) reachable from no 3-axis direction",
            "undercut faces",
        )


CHECKS: dict[str, Check] = {
    "min_wall": _min_wall,
    "pocket_depth_ratio": _pocket_ratio,
    "corner_depth_ratio": _corner_ratio,
    "sharp_corner": _sharp_corner,
    "hole_depth_ratio": _hole_ratio,
    "hole_standard_drill": _standard_drill,
    "thread_depth_ratio": _thread_ratio,
    "setups": _setups,
    "unreachable_faces": _unreachable,
}
"""Measured quantity (the ``measure`` column) → the check that evaluates it."""

_SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.MAJOR: 1, Severity.MINOR: 2}


def check(
    geometry: PartGeometry,
    *,
    metal: bool | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[Finding, ...]:
    """Check a part against the DFM rules.

    Parameters
    ----------
    geometry
        The analysed part.
    metal
        True for metal, False for plastic, None when the material is not known (metal
        limits are applied and the plastic rules are skipped).
    overrides
        A shop's rule overrides (see :func:`rules`).

    Returns
    -------
    tuple of Finding
        Most severe first. Identical findings on several features are merged (``where``
        counts them). Where two rules on the same quantity fire for one feature (hole
        depth 4×D and 10×D), only the more severe is kept.

    Raises
    ------
    InputError
        If an override is malformed.
    """
    material = "metal" if metal is None or metal else "plastic"
    active = [
        rule
        for rule in rules(overrides)
        if rule.enabled and rule.applies_to in {"any", material} and rule.measure in CHECKS
    ]
    active.sort(key=lambda r: _SEVERITY_ORDER[r.severity])
    claimed: set[tuple[str, str, object]] = set()
    merged: dict[tuple[str, str], tuple[DfmRule, _Hit, int]] = {}
    for rule in active:
        family = rule.rule.removesuffix(LIMIT_SUFFIX)
        for hit in CHECKS[rule.measure](geometry, rule):
            # One feature is one place (or, for whole-part checks, one statement).
            feature = (family, hit.where, hit.location or hit.actual)
            if feature in claimed:
                continue
            claimed.add(feature)
            key = (rule.rule, hit.actual)
            previous = merged.get(key)
            merged[key] = (
                rule,
                previous[1] if previous else hit,
                previous[2] + 1 if previous else 1,
            )
    findings = []
    for rule, hit, count in merged.values():
        where = hit.where if count == 1 else f"{count} × {hit.where}"
        findings.append(
            Finding(
                rule=rule.rule,
                severity=rule.severity,
                status=hit.status,
                expected=f"{rule.expected} (threshold {rule.threshold:g} {rule.unit})",
                actual=hit.actual,
                where=where,
                fix=rule.fix,
                source=rule.source,
                location_mm=hit.location,
            )
        )
    findings.sort(key=lambda f: (f.status is FindingStatus.UNVERIFIED, _SEVERITY_ORDER[f.severity]))
    return tuple(findings)


def recheck(
    geometry: PartGeometry,
    *,
    metal: bool | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> PartGeometry:
    """The same part with its DFM findings re-checked for a material and a shop's rules.

    Findings about the file itself (``input.*``: units, bodies, representation) are kept.

    Raises
    ------
    InputError
        If an override is malformed.
    """
    kept = tuple(f for f in geometry.findings if f.rule.startswith(INPUT_RULE_PREFIX))
    return geometry.model_copy(
        update={"findings": kept + check(geometry, metal=metal, overrides=overrides)}
    )
