"""Z1.4 / ISO 2859-1 code letters and master tables through the public functions.

Reference data: ``shared/refdata/z14_code_letters.csv`` (ANSI/ASQ Z1.4 = MIL-STD-105E Table
I) and ``shared/refdata/z14_single_normal.csv`` (Table II-A, every cell resolved; agrees
with R AQLSchemes 1.7-2). Tightened cells are checked against the NIBS transcription of
MIL-STD-105E Table II-B (nibs.org/FMOC/DPW_AC/AC-TABLE.ASC, Table 1-B).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.quality.sampling import (
    InspectionLevel,
    InspectionSeverity,
    SamplingScheme,
    code_letter,
    master_table_plan,
    sampling_plan,
    tighter_aql,
    valid_aqls,
)

LETTERS = "ABCDEFGHJKLMNPQR"


def _rows(shared_dir: Path, name: str) -> list[dict[str, str]]:
    with (shared_dir / "refdata" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_resolved_normal_cell_reproduces(shared_dir: Path) -> None:
    """All 416 cells of Table II-A: plan letter, n, Ac, Re after following arrows."""
    seen: set[tuple[str, str]] = set()
    for row in _rows(shared_dir, "z14_single_normal.csv"):
        key = (row["code_letter"], row["aql"])
        if key in seen:
            continue
        seen.add(key)
        plan = master_table_plan(row["code_letter"], float(row["aql"]))
        stage = plan.stages[0]
        assert (plan.plan_letter, stage.sample_size, stage.accept, stage.reject) == (
            row["resolved_letter"],
            int(row["n"]),
            int(row["Ac"]),
            int(row["Re"]),
        ), key
    assert len(seen) == 416


def test_code_letters_match_table_one(shared_dir: Path) -> None:
    """Both ends of every lot range, all seven levels (Z1.4 Table I)."""
    for row in _rows(shared_dir, "z14_code_letters.csv"):
        ends = [int(row["lot_min"])] + ([int(row["lot_max"])] if row["lot_max"] else [10**9])
        for level in InspectionLevel:
            for lot in ends:
                assert code_letter(lot, level) == row[level.value], (lot, level)


def test_readme_example_2400_pieces_level_two() -> None:
    """refdata README: 2400 pcs level II → K; K @ 2.5 → n 125, Ac 7, Re 8."""
    plan = sampling_plan(2400, 2.5, "II")
    assert (plan.code_letter, plan.sample_size, plan.accept, plan.reject) == ("K", 125, 7, 8)
    assert plan.inspection is InspectionSeverity.NORMAL
    assert not plan.hundred_percent


def test_an_arrow_changes_the_sample_size() -> None:
    """H @ 0.65 is ↓ (refdata): the plan is J's, n 80 with 1/2 — not n 50 with 0/1."""
    plan = sampling_plan(400, 0.65)
    assert plan.code_letter == "H"
    assert (plan.plan_letter, plan.sample_size, plan.accept, plan.reject) == ("J", 80, 1, 2)
    assert any("arrow" in note for note in plan.notes)


def test_sample_at_least_the_lot_means_hundred_percent() -> None:
    """Lot 5, level II → A; A @ 0.65 ↓ to F (n 20 ≥ 5): inspect all 5 (ISO 2859-1 10.1)."""
    plan = sampling_plan(5, 0.65)
    assert (plan.code_letter, plan.plan_letter, plan.table_sample_size) == ("A", "F", 20)
    assert plan.hundred_percent
    assert (plan.sample_size, plan.accept, plan.reject) == (5, 0, 1)


# NIBS transcription of MIL-STD-105E Table II-B (tightened), Re per cell, AQL 0.65 … 15;
# "v" = ↓ (shaft or head), "^" = ↑.
NIBS_TIGHTENED = {
    "B": "v v v v v 1 v v",
    "C": "v v v v 1 v v 2",
    "D": "v v v 1 v v 2 3",
    "E": "v v 1 v v 2 3 4",
    "F": "v 1 v v 2 3 4 6",
    "G": "1 v v 2 3 4 6 9",
    "H": "v v 2 3 4 6 9 13",
    "J": "v 2 3 4 6 9 13 19",
    "K": "2 3 4 6 9 13 19 ^",
    "L": "3 4 6 9 13 19 ^ ^",
}
NIBS_AQLS = (0.65, 1.0, 1.5, 2.5, 4.0, 6.5, 10.0, 15.0)


@pytest.mark.parametrize("letter", sorted(NIBS_TIGHTENED))
def test_tightened_cells_match_the_nibs_transcription(letter: str) -> None:
    for aql, printed in zip(NIBS_AQLS, NIBS_TIGHTENED[letter].split(), strict=True):
        plan = master_table_plan(letter, aql, InspectionSeverity.TIGHTENED)
        if printed == "v":
            assert plan.plan_letter > letter, (letter, aql)
        elif printed == "^":
            assert plan.plan_letter < letter, (letter, aql)
        else:
            assert plan.plan_letter == letter, (letter, aql)
            assert plan.stages[0].reject == int(printed), (letter, aql)


def test_tightened_and_reduced_examples() -> None:
    """K @ 2.5: tightened n 125 5/6 (Table II-B); reduced n 50 3/6 (II-C, gapped)."""
    tight = sampling_plan(2400, 2.5, inspection="tightened")
    assert (tight.sample_size, tight.accept, tight.reject) == (125, 5, 6)
    reduced = sampling_plan(2400, 2.5, inspection="reduced")
    assert (reduced.sample_size, reduced.accept, reduced.reject) == (50, 3, 6)
    assert any("gapped" in note for note in reduced.notes)


def test_tightened_arrow_reaches_letter_s() -> None:
    """R @ 0.025 tightened ↓ to the extra row S: n 3150, 1/2 (MIL-STD-105E Table II-B)."""
    plan = master_table_plan("R", 0.025, InspectionSeverity.TIGHTENED)
    assert (plan.plan_letter, plan.stages[0].sample_size, plan.stages[0].accept) == ("S", 3150, 1)


def test_double_plan_of_as1199_letter_e() -> None:
    """acceptance_sampling_expected.json › double_plan_AS1199_E_AQL4: (8, 0/2), (8, 1/2)."""
    plan = master_table_plan("E", 4.0, scheme=SamplingScheme.DOUBLE)
    assert [(s.sample_size, s.cumulative_sample_size, s.accept, s.reject) for s in plan.stages] == [
        (8, 8, 0, 2),
        (8, 16, 1, 2),
    ]


def test_double_plan_for_2400_at_2_5() -> None:
    """MIL-STD-105E Table III-A, K @ 2.5: n1 = n2 = 80, Ac/Re 3/7 then 8/9."""
    plan = sampling_plan(2400, 2.5, scheme="double")
    assert [(s.sample_size, s.accept, s.reject) for s in plan.stages] == [(80, 3, 7), (80, 8, 9)]
    assert (plan.sample_size, plan.accept, plan.reject) == (80, 3, 7)


def test_double_cell_with_zero_acceptance_uses_the_single_plan() -> None:
    """Table III-A prints * where the single plan is 0/1: use the single plan."""
    plan = sampling_plan(2400, 0.10, scheme="double")
    assert plan.code_letter == "K"
    assert [(s.sample_size, s.accept, s.reject) for s in plan.stages] == [(125, 0, 1)]


@pytest.mark.parametrize("inspection", list(InspectionSeverity))
@pytest.mark.parametrize("scheme", list(SamplingScheme))
def test_every_cell_of_every_table_resolves(
    inspection: InspectionSeverity, scheme: SamplingScheme
) -> None:
    for letter in LETTERS:
        for aql in valid_aqls():
            plan = master_table_plan(letter, aql, inspection, scheme)
            stages = plan.stages
            assert all(s.accept < s.reject for s in stages)
            assert [s.cumulative_sample_size for s in stages] == sorted(
                {s.cumulative_sample_size for s in stages}
            )
            assert (
                stages[-1].reject == stages[-1].accept + 1
                or inspection is InspectionSeverity.REDUCED
            )


def test_tightened_never_accepts_more_than_normal_at_the_same_sample_size() -> None:
    for letter in LETTERS:
        for aql in valid_aqls():
            normal = master_table_plan(letter, aql)
            tight = master_table_plan(letter, aql, InspectionSeverity.TIGHTENED)
            if normal.plan_letter == tight.plan_letter:
                assert tight.stages[0].accept <= normal.stages[0].accept, (letter, aql)


def test_reduced_sample_is_never_larger_than_normal() -> None:
    for letter in LETTERS:
        for aql in valid_aqls():
            normal = master_table_plan(letter, aql)
            reduced = master_table_plan(letter, aql, InspectionSeverity.REDUCED)
            assert reduced.stages[0].sample_size <= normal.stages[0].sample_size, (letter, aql)


def test_tighter_aql_steps_down_the_series() -> None:
    assert tighter_aql(2.5) == 1.5
    assert tighter_aql(0.010) is None


@given(st.integers(min_value=1, max_value=2_000_000), st.sampled_from(list(InspectionLevel)))
def test_code_letter_grows_with_the_lot(lot: int, level: InspectionLevel) -> None:
    assert code_letter(lot, level) <= code_letter(lot + 1, level)


@given(
    st.integers(min_value=1, max_value=1_000_000),
    st.sampled_from(valid_aqls()),
    st.sampled_from(list(InspectionSeverity)),
    st.sampled_from(list(SamplingScheme)),
)
def test_a_plan_never_samples_more_than_the_lot(
    lot: int, aql: float, inspection: InspectionSeverity, scheme: SamplingScheme
) -> None:
    plan = sampling_plan(lot, aql, "II", inspection, scheme)
    assert plan.stages[-1].cumulative_sample_size <= lot
    assert plan.hundred_percent == (plan.table_sample_size >= lot)


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"lot_size": 0, "aql": 1.0}, "lot_size", "whole number ≥ 1"),
        ({"lot_size": -5, "aql": 1.0}, "lot_size", "got -5"),
        ({"lot_size": 12.5, "aql": 1.0}, "lot_size", "got 12.5"),
        ({"lot_size": 100, "aql": 0.3}, "aql", "0.010, 0.015"),
        ({"lot_size": 100, "aql": "abc"}, "aql", "got 'abc'"),
        ({"lot_size": 100, "aql": 1.0, "level": "IV"}, "level", "S-1, S-2, S-3, S-4, I, II, III"),
        ({"lot_size": 100, "aql": 1.0, "inspection": "loose"}, "inspection", "normal, tightened"),
        ({"lot_size": 100, "aql": 1.0, "scheme": "triple"}, "scheme", "single, double"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        sampling_plan(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_aql_error_lists_every_valid_value() -> None:
    with pytest.raises(InputError) as caught:
        sampling_plan(100, 0.3)
    assert str(caught.value).count(",") == len(valid_aqls()) - 1
