"""Stack-up advice: tighten, re-centre or open, with the amounts (issue 22, point 10).

The published chains of ``refdata/tolerance/stackups.json`` (Drake ch. 9 motor assembly,
MITCalc shaft–bearing–case) with the advice worked by hand in the comments; small chains
made up for the re-centring cases; property tests that every plan makes the gap meet.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rampwise.app.cli import app
from rampwise.tolerance.stack_advice import (
    Link,
    StackAction,
    StackAdvice,
    cap_level,
    predicted_half_width,
    stack_advice,
)
from rampwise.tolerance.stackup import MM_PER_INCH, StackMethod, analyse_stack, stack_from_mapping
from support import stack_document

runner = CliRunner()


def _example(shared_dir: Path, example_id: str) -> dict[str, Any]:
    data = json.loads((shared_dir / "refdata" / "tolerance" / "stackups.json").read_text())
    (example,) = [e for e in data["examples"] if e["id"] == example_id]
    return stack_document(example)


def _advice(document: dict[str, Any], method: StackMethod) -> StackAdvice:
    advice = analyse_stack(stack_from_mapping(document)).advice_for(method)
    assert advice is not None
    return advice


def test_drake_worst_case_fails_so_the_largest_contributors_are_tightened(
    shared_dir: Path,
) -> None:
    """Drake ch. 9 motor assembly (inches): requirement gap ≥ 0; mean gap 0.0615, worst
    case ±0.0955 (published), so the minimum −0.034 fails by 0.034 in."""
    advice = _advice(_example(shared_dir, "drake_ch9_motor_assembly"), StackMethod.WORST_CASE)
    inch = MM_PER_INCH
    assert not advice.meets
    assert advice.shortfall / inch == pytest.approx(0.034, abs=1e-9)
    (plan,) = advice.plans  # one-sided requirement, mean inside: tighten only
    assert plan.recentre is None
    # Contributions |a|·t [in]: K .030, A .0155, D .0075, H .0075, F .007, I .007, J .006,
    # E .005, G .005, C .003, B .002 (Σ .0955). Capping the six largest at λ:
    # 6λ + (.006 + .005 + .005 + .003 + .002) = .0615 → λ = (.0615 − .021)/6 = .00675,
    # which lies between J's .006 and F's .007, so K, A, D, H, F, I go to ±.00675 in.
    assert plan.level is not None and plan.level / inch == pytest.approx(0.00675, abs=1e-9)
    assert [c.name for c in plan.tighten] == ["K", "A", "D", "H", "F", "I"]
    assert all(c.new_half_width / inch == pytest.approx(0.00675) for c in plan.tighten)
    assert plan.half_width_after / inch == pytest.approx(0.0615)
    assert advice.action("K") is StackAction.TIGHTEN and advice.action("J") is StackAction.KEEP
    assert advice.sentences()[0] == "Worst case fails by 0.8636 mm."  # 0.034 in


def test_drake_rss_meets_so_tolerances_may_open(shared_dir: Path) -> None:
    advice = _advice(_example(shared_dir, "drake_ch9_motor_assembly"), StackMethod.RSS)
    inch = MM_PER_INCH
    # RSS ±0.038076 (published 0.03808); slack 0.0615 − 0.038076 = 0.023424 in
    assert advice.meets and not advice.plans
    assert advice.slack / inch == pytest.approx(0.0615 - math.sqrt(0.00144975), abs=1e-9)
    # K alone: √(0.0615² − (0.00144975 − 0.030²)) = √0.0032325 = 0.056855 in
    k = next(c for c in advice.open if c.name == "K")
    assert k.new_half_width / inch == pytest.approx(math.sqrt(0.0032325), abs=1e-9)
    assert advice.action("K") is StackAction.OPEN


def test_mitcalc_off_centre_two_sided_offers_tighten_or_recentre(shared_dir: Path) -> None:
    """MITCalc shaft–bearing–case (mm): requirement 0.05…0.8, mean 0.4, worst case
    ±0.383 (published) → 0.017 … 0.783 fails at the minimum by 0.033 mm."""
    advice = _advice(_example(shared_dir, "mitcalc_shaft_bearing_case"), StackMethod.WORST_CASE)
    assert advice.shortfall == pytest.approx(0.033, abs=1e-12)
    tighten, recentre = advice.plans
    # From the present mean: room 0.4 − 0.05 = 0.35; the case e (±0.145) alone carries the
    # cut: λ = 0.35 − (0.036 + 0.03 + 0.06 + 0.026 + 0.026 + 0.06) = 0.112 ≥ 0.06.
    assert [(c.name, round(c.new_half_width, 12)) for c in tighten.tighten] == [("e", 0.112)]
    # Re-centred on (0.05 + 0.8)/2 = 0.425: shift +0.025, carried by a unit-gain link, the
    # loosest being e (direction −1): nominal 200 → 199.975; room 0.375, so e → ±0.137.
    assert recentre.recentre is not None
    assert recentre.recentre.name == "e"
    assert recentre.recentre.by == pytest.approx(-0.025, abs=1e-12)
    assert recentre.recentre.mean_gap_after == pytest.approx(0.425, abs=1e-12)
    assert [(c.name, round(c.new_half_width, 12)) for c in recentre.tighten] == [("e", 0.137)]
    assert advice.sentences()[2].startswith("Or re-centre nominal e 200 by -0.025")


def _chain(mean_offset: float, half: float = 0.05) -> list[Link]:
    """Two unit links ±half whose mean gap is ``mean_offset`` (20 + offset − 20)."""
    return [
        Link(
            name="a", nominal=20.0 + mean_offset, centre=20.0 + mean_offset, gain=1, half_width=half
        ),
        Link(name="b", nominal=20.0, centre=20.0, gain=-1, half_width=half),
    ]


def test_recentring_alone_fixes_an_off_centre_gap() -> None:
    # requirement 0.10…0.50 (middle 0.30, half-width 0.20); mean 0.16, worst case ±0.10
    # → 0.06 … 0.26 fails by 0.04; centred it fits (0.10 ≤ 0.20): shift +0.14 on a.
    advice = stack_advice(_chain(0.16), low=0.10, high=0.50, method="worst-case")
    assert advice is not None and not advice.meets
    (plan,) = advice.plans
    assert plan.tighten == ()
    assert plan.recentre is not None and plan.recentre.name == "a"
    assert plan.recentre.by == pytest.approx(0.14)
    assert advice.action("a") is StackAction.RECENTRE
    assert advice.action_text("a") == "re-centre by +0.14"


def test_mean_outside_a_narrow_requirement_recentres_then_tightens() -> None:
    # requirement 0…0.1 (middle 0.05, half-width 0.05); mean 0.3 lies outside: shift
    # −0.25; worst case ±0.10 > 0.05, so both links are capped at λ: 2λ = 0.05 → ±0.025.
    advice = stack_advice(_chain(0.3), low=0.0, high=0.1, method="worst-case")
    assert advice is not None
    (plan,) = advice.plans
    assert plan.recentre is not None and plan.recentre.gap_shift == pytest.approx(-0.25)
    assert [c.name for c in plan.tighten] == ["a", "b"]
    assert [c.new_half_width for c in plan.tighten] == pytest.approx([0.025, 0.025])
    # RSS: ±√2·0.05 = 0.0707 > 0.05 → λ = √(0.05²/2) = 0.035355
    rss = stack_advice(_chain(0.3), low=0.0, high=0.1, method="rss")
    assert rss is not None
    assert rss.plans[0].tighten[0].new_half_width == pytest.approx(0.05 / math.sqrt(2))


def test_one_sided_mean_beyond_the_limit_shifts_just_enough() -> None:
    # gap ≥ 0.05 with mean −0.02 and worst case ±0.10: shift 0.05 + 0.10 + 0.02 = 0.17
    advice = stack_advice(_chain(-0.02), low=0.05, high=None, method="worst-case")
    assert advice is not None
    (plan,) = advice.plans
    assert plan.recentre is not None and plan.recentre.gap_shift == pytest.approx(0.17)
    assert plan.tighten == ()


def test_no_requirement_no_advice() -> None:
    assert stack_advice(_chain(0.0), low=None, high=None, method="rss") is None


def test_issue_example_mean_outside_is_recentred() -> None:
    # Housing 40 ±0.05 − bearing (12 − 0.06) + 0.42·cover arm 8: mean 31.42 far above
    # 0.05…0.5; centred on 0.275 the worst case ±0.1226 fits (≤ 0.225): shift −31.145.
    document = {
        "name": "Shaft end play",
        "requirement": {"min": 0.05, "max": 0.50},
        "contributors": [
            {"name": "Housing depth", "nominal": 40.00, "tolerance": "±0.05", "direction": 1},
            {"name": "Bearing width", "nominal": 12.00, "tolerance": "[-0.12, 0]", "direction": -1},
            {
                "name": "Cover angle arm",
                "nominal": 8.00,
                "tolerance": "±0.03",
                "direction": 1,
                "sensitivity": 0.42,
            },
        ],
    }
    result = analyse_stack(stack_from_mapping(document))
    worst = result.advice_for(StackMethod.WORST_CASE)
    assert worst is not None
    (plan,) = worst.plans
    assert plan.recentre is not None and plan.recentre.gap_shift == pytest.approx(-31.145)
    assert plan.tighten == ()
    row = {c.name: c.advice for c in result.contributions}
    assert row[plan.recentre.name] is StackAction.RECENTRE
    # never "open every contributor" while the requirement fails
    assert StackAction.OPEN not in row.values()


def test_cli_prints_tighten_for_the_failing_worst_case(shared_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "motor.yaml"
    path.write_text(yaml.safe_dump(_example(shared_dir, "drake_ch9_motor_assembly")))
    result = runner.invoke(app, ["stack", str(path), "--method", "worst-case"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Worst case fails by 0.8636 mm." in text
    assert "tighten the largest contributors to |sensitivity|·t = 0.1714 mm each" in text.lower()
    assert "K ±0.762 → ±0.1714" in text  # 0.030 in → 0.00675 in
    assert "RSS meets the requirement" in text  # the statistical view follows
    assert "Advice (worst case)" in text and "tighten to ±0.1714" in text


# --------------------------------------------------------------------------------------
# Properties: every plan makes the gap meet; an opening lands on the limit
# --------------------------------------------------------------------------------------

_links = st.lists(
    st.tuples(
        st.floats(-5, 5),  # centre offset of the link [mm]
        st.sampled_from([-1.0, 1.0, 0.5, -2.0]),  # gain
        st.floats(0.001, 0.2),  # half-width [mm]
    ),
    min_size=1,
    max_size=6,
)


def _build(raw: list[tuple[float, float, float]]) -> list[Link]:
    return [
        Link(name=f"L{i}", nominal=10 + c, centre=10 + c, gain=g, half_width=t)
        for i, (c, g, t) in enumerate(raw)
    ]


@settings(max_examples=150, deadline=None)
@given(
    raw=_links,
    low=st.one_of(st.none(), st.floats(-1, 1)),
    width=st.floats(0.01, 1.0),
    two_sided=st.booleans(),
    method=st.sampled_from(["worst-case", "rss"]),
)
def test_every_plan_makes_the_gap_meet(
    raw: list[tuple[float, float, float]],
    low: float | None,
    width: float,
    two_sided: bool,
    method: str,
) -> None:
    links = _build(raw)
    high = None if low is None else (low + width if two_sided else None)
    if low is None:
        high = width
    advice = stack_advice(links, low=low, high=high, method=method)  # type: ignore[arg-type]
    assert advice is not None
    if advice.meets:
        assert not advice.plans
        return
    assert advice.plans and advice.shortfall > 0
    for plan in advice.plans:
        mean = advice.mean_gap + (plan.recentre.gap_shift if plan.recentre else 0.0)
        new = {c.name: c for c in plan.tighten}
        halves = [
            abs(link.gain)
            * (new[link.name].new_half_width if link.name in new else link.half_width)
            for link in links
        ]
        half = predicted_half_width(halves, method)  # type: ignore[arg-type]
        assert half == pytest.approx(plan.half_width_after, abs=1e-9)
        assert low is None or mean - half >= low - 1e-9
        assert high is None or mean + half <= high + 1e-9
        assert all(c.new_half_width < c.half_width for c in plan.tighten)  # only tightens


@settings(max_examples=100, deadline=None)
@given(raw=_links, room_share=st.floats(0.05, 0.95), method=st.sampled_from(["worst-case", "rss"]))
def test_cap_level_reaches_the_room(
    raw: list[tuple[float, float, float]], room_share: float, method: str
) -> None:
    contributions = [abs(g) * t for _, g, t in raw]
    room = room_share * predicted_half_width(contributions, method)  # type: ignore[arg-type]
    level = cap_level(contributions, room, method)  # type: ignore[arg-type]
    capped = [min(c, level) for c in contributions]
    assert predicted_half_width(capped, method) == pytest.approx(room, rel=1e-9)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(raw=_links, width=st.floats(0.5, 3.0), method=st.sampled_from(["worst-case", "rss"]))
def test_opening_one_link_lands_the_range_on_the_nearer_limit(
    raw: list[tuple[float, float, float]], width: float, method: str
) -> None:
    links = _build(raw)
    mean = math.fsum(link.gain * link.centre for link in links)
    advice = stack_advice(links, low=mean - width, high=mean + width, method=method)  # type: ignore[arg-type]
    assert advice is not None
    if not advice.meets:
        return
    for change in advice.open:
        halves = [
            abs(link.gain)
            * (change.new_half_width if link.name == change.name else link.half_width)
            for link in links
        ]
        assert predicted_half_width(halves, method) == pytest.approx(width, rel=1e-9)  # type: ignore[arg-type]
        assert change.new_half_width > change.half_width


def test_the_readme_stack_example_reads_and_lists_every_key() -> None:
    """The README's stack-file section: its example loads, and its table names every key
    the reader accepts (``stackup._STACK_KEYS``, ``_CONTRIBUTOR_KEYS``)."""
    from rampwise.tolerance import stackup

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Stack files (`rampwise stack`)", 1)[1].split("\n## ", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    stack = stack_from_mapping(yaml.safe_load(example))
    assert [c.name for c in stack.contributors] == [
        "Housing depth",
        "Bearing width",
        "Cover arm",
        "Shaft seat",
    ]
    for key in stackup._STACK_KEYS - {"requirement"}:
        assert f"| `{key}` |" in section
    assert "| `requirement.min`, `requirement.max` |" in section
    for key in stackup._CONTRIBUTOR_KEYS:
        assert f"| `contributors[].{key}` |" in section
