"""Thread designations: ISO 965-1 / ISO 68-1 metric and ASME B1.1 unified (tolerance/thread.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.tolerance.thread import (
    MM_PER_INCH,
    ThreadSpec,
    ThreadSystem,
    coarse_pitch,
    format_thread,
    parse_thread,
    unified_sizes,
)


@pytest.mark.parametrize(
    ("text", "nominal", "pitch", "cls", "internal"),
    [
        # seed 003: "4× threaded holes: M3 × 0.5, class 6H"
        ("M3x0.5-6H", 3.0, 0.5, "6H", True),
        ("M12x1.5-6g", 12.0, 1.5, "6g", False),
        # coarse pitch omitted: M8 → 1.25 mm (ISO 261 Table 1)
        ("M8-6H", 8.0, 1.25, "6H", True),
        # pitch-diameter class 5g, major-diameter class 6g (ISO 965-1 clause 6)
        ("M10x1.25-5g6g", 10.0, 1.25, "5g6g", False),
        # 1/4 in = 6.35 mm; 20 threads per inch → 25.4 / 20 = 1.27 mm (ASME B1.1 Table 1)
        ("1/4-20 UNC-2B", 6.35, 1.27, "2B", True),
        # #10 = 0.060 + 0.013 × 10 = 0.190 in = 4.826 mm; 32 tpi → 0.79375 mm
        ("#10-32 UNF-2A", 4.826, 0.79375, "2A", False),
        # 1 1/2 in = 38.1 mm, 6 tpi → 4.2333 mm
        ("1 1/2-6 UNC-2A", 38.1, 25.4 / 6, "2A", False),
    ],
)
def test_designations_by_hand(
    text: str, nominal: float, pitch: float, cls: str, internal: bool
) -> None:
    spec = parse_thread(text)
    assert spec.nominal_mm == pytest.approx(nominal)
    assert spec.pitch_mm == pytest.approx(pitch)
    assert (spec.tolerance_class, spec.internal) == (cls, internal)
    assert spec.designation == text


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("M3 × 0.5 - 6H", "M3x0.5-6H"),
        ("M10x1.25-6g6g", "M10x1.25-6g"),  # one class written once (ISO 965-1 clause 5)
        ("0.250-20 UNC-2A", "1/4-20 UNC-2A"),
        ("1-1/2-6 UNC-2A", "1 1/2-6 UNC-2A"),
        ("1/4-20unc-2b", "1/4-20 UNC-2B"),
    ],
)
def test_written_forms_read_to_the_canonical_one(written: str, canonical: str) -> None:
    assert parse_thread(written).designation == canonical


def test_coarse_pitches_of_iso_261() -> None:
    # ISO 261 Table 1 coarse pitches
    assert [coarse_pitch(d) for d in (1.6, 3, 5, 6, 8, 10, 12, 16, 20, 24, 64)] == [
        0.35,
        0.5,
        0.8,
        1.0,
        1.25,
        1.5,
        1.75,
        2.0,
        2.5,
        3.0,
        6.0,
    ]
    assert coarse_pitch(17) is None


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("M3x0.7-6H", "coarser than ISO 261's coarse pitch 0.5 mm"),
        ("M3", "tolerance class missing"),
        ("M3x0.5-6X", "position is G or H"),
        ("M3x0.5-9H", "internal thread grades are 4 to 8"),
        ("M3x0.5-5g7g", "major-diameter grade"),
        ("M3x0.5-6H6g", "mixes an internal"),
        ("M3x0.5-6H/6g", "tolerance class '6H/6g'"),
        ("M17-6H", "write the pitch"),
        ("M3x-6H", "pitch ''"),
        ("1/4-28 UNC-2B", "1/4 UNC has 20 threads per inch"),
        ("1/4-20 UNX-2B", "series 'UNX'"),
        ("1/4-20 UNC-4B", "class '4B'"),
        ("1/4-20 UNC", "class ''"),
        ("5/32-20 UNC-2A", "size '5/32'"),
        ("#1-64 UNF-2A", "#1 UNF has 72 threads per inch"),
        ("", "is empty"),
    ],
)
def test_malformed_designations_name_the_part(text: str, part: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_thread(text, field="part.characteristics[4].designation")
    assert caught.value.field == "part.characteristics[4].designation"
    assert part in caught.value.message
    assert "\n" not in str(caught.value)


_METRIC_SIZES = sorted(
    d
    for d in (1, 1.6, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 30, 36, 42, 48, 56, 64)
    if coarse_pitch(d) is not None
)


@st.composite
def _metric(draw: st.DrawFn) -> ThreadSpec:
    size = draw(st.sampled_from(_METRIC_SIZES))
    coarse = coarse_pitch(size)
    assert coarse is not None
    stated = draw(st.booleans())
    pitch = coarse
    if stated:
        finer = [p for p in (0.2, 0.25, 0.35, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0) if p < coarse]
        pitch = draw(st.sampled_from([coarse, *finer]))
    internal = draw(st.booleans())
    if internal:
        position = draw(st.sampled_from("GH"))
        grades = draw(st.tuples(st.integers(4, 8), st.integers(4, 8)))
    else:
        position = draw(st.sampled_from("efgh"))
        grades = (draw(st.integers(3, 9)), draw(st.sampled_from((4, 6, 8))))
    first, second = f"{grades[0]}{position}", f"{grades[1]}{position}"
    return ThreadSpec(
        system=ThreadSystem.METRIC,
        nominal_mm=float(size),
        pitch_mm=pitch,
        tolerance_class=first if first == second else first + second,
        internal=internal,
        size=f"{size:g}",
        series="coarse" if pitch == coarse else "fine",
        pitch_stated=stated,
    )


@st.composite
def _unified(draw: st.DrawFn) -> ThreadSpec:
    size = draw(st.sampled_from(sorted(unified_sizes())))
    major, unc, unf = unified_sizes()[size]
    series = draw(st.sampled_from([s for s, t in (("UNC", unc), ("UNF", unf)) if t]))
    tpi = unc if series == "UNC" else unf
    assert tpi is not None
    grade, side = draw(st.integers(1, 3)), draw(st.sampled_from("AB"))
    return ThreadSpec(
        system=ThreadSystem.UNIFIED,
        nominal_mm=round(major * MM_PER_INCH, 6),
        pitch_mm=MM_PER_INCH / tpi,
        tolerance_class=f"{grade}{side}",
        internal=side == "B",
        size=size,
        threads_per_inch=tpi,
        series=series,
    )


@settings(max_examples=300, deadline=None)
@given(spec=st.one_of(_metric(), _unified()))
def test_format_then_parse_round_trips(spec: ThreadSpec) -> None:
    """Any valid thread written by format_thread reads back to the same thread."""
    text = format_thread(spec)
    assert parse_thread(text) == spec
    assert format_thread(parse_thread(text)) == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=24))
def test_any_text_parses_or_fails_in_one_line(text: str) -> None:
    """Arbitrary text is a thread or an InputError naming the field, never a traceback."""
    try:
        spec = parse_thread(text)
    except InputError as err:
        assert err.field == "designation"
        assert "\n" not in err.message or "\n" in text
        return
    assert spec.nominal_mm > 0 and 0 < spec.pitch_mm < spec.nominal_mm
