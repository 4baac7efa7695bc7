"""Screw-thread designations: ISO metric (ISO 965-1 / ISO 68-1) and Unified inch (ASME B1.1).

A thread on a drawing is toleranced by its designation, not by ± deviations: the class
(``6H``, ``6g``, ``2B``) fixes the pitch- and crest-diameter limits that a GO/NO-GO
thread gauge checks (ISO 1502 for metric threads, ASME B1.2 for unified ones).
:func:`parse_thread` reads the designations people write and :func:`format_thread`
writes the canonical one back, so ``format_thread(parse_thread(text))`` reads again to
the same :class:`ThreadSpec`.

===========================  ==================================================
``M3x0.5-6H``                 metric, nominal 3 mm, pitch 0.5 mm, internal class 6H
``M12x1.5-6g``                metric fine pitch, external class 6g
``M8-6H``                     coarse pitch omitted: 1.25 mm from ISO 261
``M10x1.25-5g6g``             pitch-diameter class 5g, major-diameter class 6g
``1/4-20 UNC-2B``             unified coarse, 0.25 in, 20 threads per inch, internal
``#10-32 UNF-2A``             numbered size (0.190 in), fine series, external
===========================  ==================================================

Upper-case tolerance positions (G, H; classes 1B–3B) are internal threads (nuts, tapped
holes), lower-case ones (e, f, g, h; classes 1A–3A) external (bolts, threaded shafts).
Every failure is an :class:`~rampwise.core.errors.InputError` whose one-line message names
the part of the designation that is wrong (size, pitch, tolerance class, series).

References
----------
.. [1] ISO 68-1:1998, ISO general purpose screw threads — basic profile (metric threads).
.. [2] ISO 965-1:2013, ISO general purpose metric screw threads — tolerances, clause 5
   (designation: ``M`` size × pitch – tolerance class; coarse pitch may be omitted),
   clause 6 (tolerance positions G, H internal; e, f, g, h external; grades 4–8 for
   internal D2 and D1, 3–9 for external d2, 4, 6, 8 for d).
.. [3] ISO 261:1998, general plan (coarse pitches, ``catalog/iso261_coarse_pitches.csv``).
.. [4] ASME B1.1-2019, Unified inch screw threads (UN and UNR thread form), Table 1
   (standard series UNC, UNF; ``catalog/unified_threads.csv``) and clause 5 (classes
   1A, 2A, 3A external; 1B, 2B, 3B internal).
.. [5] ISO 1502:1996, ISO general-purpose metric screw threads — gauges and gauging.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache

from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary

__all__ = [
    "MM_PER_INCH",
    "ThreadSpec",
    "ThreadSystem",
    "coarse_pitch",
    "format_thread",
    "looks_like_thread",
    "parse_thread",
    "unified_sizes",
]

MM_PER_INCH = 25.4
"""Exact conversion factor [mm/in] (international inch, 1959)."""

FORMS = "M3x0.5-6H, M12x1.5-6g, M8-6H (coarse pitch), 1/4-20 UNC-2B or #10-32 UNF-2A"

METRIC_INTERNAL_GRADES = frozenset(range(4, 9))
"""Tolerance grades of internal metric threads, D2 and D1 [unitless] (ISO 965-1 clause 6)."""
METRIC_EXTERNAL_PD_GRADES = frozenset(range(3, 10))
"""Tolerance grades of the external pitch diameter d2 [unitless] (ISO 965-1 clause 6)."""
METRIC_EXTERNAL_MAJOR_GRADES = frozenset({4, 6, 8})
"""Tolerance grades of the external major diameter d [unitless] (ISO 965-1 clause 6)."""
METRIC_POSITIONS_INTERNAL = "GH"
METRIC_POSITIONS_EXTERNAL = "efgh"
UNIFIED_SERIES = ("UNC", "UNF")
"""Standard series read (ASME B1.1 Table 1): coarse and fine."""


class ThreadSystem(Vocabulary):
    """Which standard a thread designation follows."""

    METRIC = (
        "metric",
        "ISO metric",
        "ISO 68-1 profile, ISO 965-1 tolerance classes (6H, 6g), sizes and pitches in mm.",
    )
    UNIFIED = (
        "unified",
        "Unified inch",
        "ASME B1.1 UNC/UNF threads: size in inches, threads per inch, classes 1A–3B.",
    )


class ThreadSpec(BaseModel):
    """One thread designation, parsed.

    Attributes
    ----------
    system
        ``metric`` (ISO 965-1) or ``unified`` (ASME B1.1).
    nominal_mm
        Nominal (basic major) diameter [mm]; for a unified thread the inch size × 25.4.
    pitch_mm
        Pitch [mm]; for a unified thread 25.4 / threads per inch.
    tolerance_class
        ``"6H"``, ``"5g6g"`` (pitch-diameter class then crest-diameter class, written
        once when both are the same), or a unified class ``"2B"``.
    internal
        True for an internal thread (tapped hole, nut), False for an external one.
    size
        Metric: the nominal diameter as written (``"3"``); unified: the size as ASME
        B1.1 lists it (``"1/4"``, ``"#10"``, ``"1 1/2"``).
    threads_per_inch
        Unified only: threads per inch [1/in].
    series
        Unified: ``UNC`` or ``UNF``; metric: ``coarse`` when the pitch is ISO 261's
        coarse pitch of the size, else ``fine``.
    pitch_stated
        Metric: whether the designation wrote the pitch (a coarse pitch may be omitted).
    """

    model_config = ConfigDict(frozen=True)

    system: ThreadSystem
    nominal_mm: float
    pitch_mm: float
    tolerance_class: str
    internal: bool
    size: str
    threads_per_inch: float | None = None
    series: str
    pitch_stated: bool = True

    @property
    def designation(self) -> str:
        """The canonical designation (:func:`format_thread`)."""
        return format_thread(self)

    @property
    def side(self) -> str:
        """``internal`` or ``external``."""
        return "internal" if self.internal else "external"


def _number_text(value: float) -> str:
    """A size or pitch as a drawing writes it: ``3``, ``0.5``, ``1.25``."""
    return f"{value:g}"


@cache
def _coarse_pitches() -> dict[float, float]:
    return {
        float(r["nominal_mm"]): float(r["pitch_mm"]) for r in load_table("iso261_coarse_pitches")
    }


@cache
def unified_sizes() -> dict[str, tuple[float, float | None, float | None]]:
    """Unified sizes of ASME B1.1 Table 1: size → (major [in], UNC tpi, UNF tpi)."""
    return {
        ("#" if r["numbered"] == "true" else "") + r["size"]: (
            float(r["major_in"]),
            float(r["unc_tpi"]) if r["unc_tpi"] else None,
            float(r["unf_tpi"]) if r["unf_tpi"] else None,
        )
        for r in load_table("unified_threads")
    }


def coarse_pitch(nominal_mm: float) -> float | None:
    """ISO 261 coarse pitch of a metric size [mm]; ``None`` for a size the table lacks.

    Parameters
    ----------
    nominal_mm
        Nominal diameter [mm].
    """
    return next(
        (p for d, p in _coarse_pitches().items() if math.isclose(d, nominal_mm, abs_tol=1e-9)),
        None,
    )


_METRIC = re.compile(
    r"^M(?P<size>[^xX×\-\s]*)\s*(?:[xX×]\s*(?P<pitch>[^\-\s]*))?\s*(?:-\s*(?P<cls>.*))?$"
)
_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")
_METRIC_CLASS = re.compile(r"^(?P<g1>\d)(?P<p1>[A-Za-z])(?:(?P<g2>\d)(?P<p2>[A-Za-z]))?$")
_UNIFIED = re.compile(
    r"^(?P<size>#\s*\d+|\d+\s+\d+/\d+|\d+-\d+/\d+|\d+/\d+|\d+(?:\.\d+)?|\.\d+)\s*-\s*"
    r"(?P<tpi>[0-9.]+)\s*(?P<series>[A-Za-z]+)?\s*(?:-\s*(?P<cls>.*))?$"
)
_UNIFIED_CLASS = re.compile(r"^(?P<grade>[123])(?P<side>[AB])$")


def looks_like_thread(text: object) -> bool:
    """True when ``text`` is written like a thread designation (``M…`` or ``…UNC``/``UNF``).

    For error messages only: it tells a misplaced thread callout from a tolerance.
    """
    if not isinstance(text, str):
        return False
    clean = text.strip().upper()
    return bool(re.match(r"^M\d", clean)) or any(s in clean for s in (*UNIFIED_SERIES, " UN"))


def _metric_class(text: str, field: str) -> tuple[str, bool]:
    """A metric tolerance class in canonical form and whether it is internal."""
    match = _METRIC_CLASS.match(text)
    if not match:
        raise InputError(
            field,
            f"tolerance class {text!r} must be a grade and position such as 6H (internal) or "
            "6g, 5g6g (external), ISO 965-1",
        )
    g1, p1 = int(match["g1"]), match["p1"]
    g2 = int(match["g2"]) if match["g2"] else g1
    p2 = match["p2"] or p1
    internal = p1.isupper()
    if p2.isupper() != internal:
        raise InputError(
            field,
            f"tolerance class {text!r} mixes an internal (upper-case) and an external "
            "(lower-case) position",
        )
    if internal:
        if p1 not in METRIC_POSITIONS_INTERNAL or p2 not in METRIC_POSITIONS_INTERNAL:
            raise InputError(
                field, f"tolerance class {text!r}: an internal thread's position is G or H"
            )
        if g1 not in METRIC_INTERNAL_GRADES or g2 not in METRIC_INTERNAL_GRADES:
            raise InputError(
                field, f"tolerance class {text!r}: internal thread grades are 4 to 8 (ISO 965-1)"
            )
    else:
        if p1 not in METRIC_POSITIONS_EXTERNAL or p2 not in METRIC_POSITIONS_EXTERNAL:
            raise InputError(
                field, f"tolerance class {text!r}: an external thread's position is e, f, g or h"
            )
        if g1 not in METRIC_EXTERNAL_PD_GRADES:
            raise InputError(
                field,
                f"tolerance class {text!r}: the pitch-diameter grade of an external thread "
                "is 3 to 9 (ISO 965-1)",
            )
        if g2 not in METRIC_EXTERNAL_MAJOR_GRADES:
            raise InputError(
                field,
                f"tolerance class {text!r}: the major-diameter grade of an external thread "
                "is 4, 6 or 8 (ISO 965-1)",
            )
    first = f"{g1}{p1}"
    second = f"{g2}{p2}"
    return (first if first == second else first + second), internal


def _positive(text: str | None, what: str, field: str, whole: str) -> float:
    if text is None or not _DECIMAL.match(text):
        raise InputError(field, f"{what} {text or ''!r} of {whole!r} must be a number > 0")
    value = float(text)
    if not value > 0:
        raise InputError(field, f"{what} of {whole!r} must be > 0; got {text}")
    return value


def _parse_metric(text: str, field: str) -> ThreadSpec:
    match = _METRIC.match(text)
    if not match:
        raise InputError(field, f"cannot read {text!r}; write {FORMS}")
    size = _positive(match["size"] or None, "size", field, text)
    stated = match["pitch"] is not None
    coarse = coarse_pitch(size)
    if stated:
        pitch = _positive(match["pitch"] or None, "pitch", field, text)
        if coarse is not None and pitch > coarse * (1 + 1e-9):
            raise InputError(
                field,
                f"pitch {pitch:g} mm of {text!r} is coarser than ISO 261's coarse pitch "
                f"{coarse:g} mm for M{size:g}",
            )
        if pitch >= size / 2:
            raise InputError(field, f"pitch {pitch:g} mm of {text!r} is too coarse for M{size:g}")
    elif coarse is None:
        raise InputError(
            field,
            f"size M{size:g} has no ISO 261 coarse pitch in the catalog: write the pitch, "
            f"e.g. M{size:g}x1.5-6H",
        )
    else:
        pitch = coarse
    if match["cls"] is None or not match["cls"].strip():
        raise InputError(
            field, f"tolerance class missing in {text!r}: add -6H (internal) or -6g (external)"
        )
    cls, internal = _metric_class(match["cls"].strip(), field)
    return ThreadSpec(
        system=ThreadSystem.METRIC,
        nominal_mm=size,
        pitch_mm=pitch,
        tolerance_class=cls,
        internal=internal,
        size=_number_text(size),
        series="coarse" if coarse is not None and math.isclose(pitch, coarse) else "fine",
        pitch_stated=stated,
    )


def _unified_size(raw: str, field: str, whole: str) -> tuple[str, float]:
    """The ASME B1.1 size name and its basic major diameter [in]."""
    text = " ".join(raw.replace("-", " ").split())
    if text.startswith("#"):
        name = "#" + text[1:].strip()
    elif _DECIMAL.match(text) or text.startswith("."):
        inches = float(text)
        found = [n for n, (d, _, _) in unified_sizes().items() if math.isclose(d, inches)]
        if not found:
            raise InputError(field, f"size {raw!r} of {whole!r} is not a unified size (ASME B1.1)")
        name = found[0]
    else:
        name = text
    if name not in unified_sizes():
        valid = ", ".join(unified_sizes())
        raise InputError(field, f"size {raw!r} of {whole!r} is not one of {valid}")
    return name, unified_sizes()[name][0]


def _parse_unified(text: str, field: str) -> ThreadSpec:
    match = _UNIFIED.match(text)
    if not match:
        raise InputError(field, f"cannot read {text!r}; write {FORMS}")
    name, major_in = _unified_size(match["size"], field, text)
    tpi = _positive(match["tpi"], "threads per inch", field, text)
    series = (match["series"] or "").upper()
    if series not in UNIFIED_SERIES:
        raise InputError(
            field,
            f"series {match['series'] or ''!r} of {text!r} must be UNC or UNF (ASME B1.1)",
        )
    _, unc, unf = unified_sizes()[name]
    expected = unc if series == "UNC" else unf
    if expected is None:
        raise InputError(field, f"size {name} has no {series} thread (ASME B1.1 Table 1)")
    if not math.isclose(tpi, expected):
        raise InputError(
            field,
            f"{name} {series} has {expected:g} threads per inch (ASME B1.1 Table 1); got {tpi:g}",
        )
    cls_text = (match["cls"] or "").strip().upper()
    cls = _UNIFIED_CLASS.match(cls_text)
    if not cls:
        raise InputError(
            field,
            f"class {match['cls'] or ''!r} of {text!r} must be 1A, 2A, 3A (external) or "
            "1B, 2B, 3B (internal), ASME B1.1",
        )
    return ThreadSpec(
        system=ThreadSystem.UNIFIED,
        nominal_mm=round(major_in * MM_PER_INCH, 6),
        pitch_mm=MM_PER_INCH / tpi,
        tolerance_class=cls_text,
        internal=cls["side"] == "B",
        size=name,
        threads_per_inch=tpi,
        series=series,
    )


@lru_cache(maxsize=1024)
def _parse(text: str, field: str) -> ThreadSpec:
    clean = " ".join(text.strip().replace("×", "x").replace("−", "-").split())
    if not clean:
        raise InputError(field, f"is empty; write a thread designation such as {FORMS}")
    if clean[0] in "Mm" and not clean[1:2].isalpha():
        return _parse_metric("M" + clean[1:].replace(" ", ""), field)
    return _parse_unified(clean, field)


def parse_thread(text: object, *, field: str = "designation") -> ThreadSpec:
    """Read a thread designation (module docstring for the forms).

    Parameters
    ----------
    text
        The designation as written: ``"M3x0.5-6H"``, ``"M8-6H"``, ``"1/4-20 UNC-2B"``.
    field
        Name of the field in error messages.

    Returns
    -------
    ThreadSpec
        Nominal diameter [mm], pitch [mm], tolerance class and internal/external.

    Raises
    ------
    InputError
        One line naming the part that is wrong: an unreadable size or pitch, a pitch
        coarser than ISO 261's coarse pitch, a size without a coarse pitch and none
        written, a missing or invalid tolerance class, an unknown unified size or
        series, or threads per inch that are not the series' (ASME B1.1 Table 1).
    """
    if not isinstance(text, str):
        raise InputError(field, f"must be a thread designation such as {FORMS}; got {text!r}")
    return _parse(text, field)


def format_thread(spec: ThreadSpec) -> str:
    """The canonical designation of a thread: ``M3x0.5-6H``, ``M8-6H``, ``1/4-20 UNC-2B``.

    A metric coarse pitch that was omitted stays omitted (ISO 965-1 clause 5.1); a
    unified thread is written size-tpi series-class (ASME B1.1 clause 4).
    """
    if spec.system is ThreadSystem.METRIC:
        pitch = f"x{_number_text(spec.pitch_mm)}" if spec.pitch_stated else ""
        return f"M{spec.size}{pitch}-{spec.tolerance_class}"
    tpi = _number_text(spec.threads_per_inch or MM_PER_INCH / spec.pitch_mm)
    return f"{spec.size}-{tpi} {spec.series}-{spec.tolerance_class}"
