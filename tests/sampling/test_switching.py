"""Switching rules as scenarios, one per clause of ISO 2859-1:1999 9.3-9.4.

Clauses as summarised in ``shared/refdata/z14_switching_rules.json``. Plans used (Z1.4
Tables II-A/B/C, code letter K for 2400 pieces at level II, AQL 1.0): normal n 125 Ac 3
Re 4; tightened n 125 Ac 2 Re 3; reduced n 50 Ac 1 Re 4 (gapped). One step tighter than
AQL 1.0 is 0.65, where K's normal plan has Ac 2: a lot adds 3 to the switching score when
its count is ≤ 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rampwise.core.errors import InputError
from rampwise.quality.sampling import InspectionSeverity
from rampwise.quality.switching import (
    LotRecord,
    SchemeState,
    SwitchingResult,
    load_lot_history,
    run_switching,
    sampling_report,
    switching_rules,
)


def lots(*counts: int, **flags: dict[int, bool]) -> list[LotRecord]:
    """Lots named 1, 2, … with the given first-sample counts; flags by lot number."""
    steady = flags.get("unsteady", {})
    return [
        LotRecord(lot=str(i), nonconforming=d, steady_production=i not in steady)
        for i, d in enumerate(counts, start=1)
    ]


def run(history: list[LotRecord], **kwargs: Any) -> SwitchingResult:
    return run_switching(history, lot_size=2400, aql=1.0, **kwargs)


def test_rules_come_from_the_catalog(shared_dir: Path) -> None:
    rules = switching_rules()
    text = (shared_dir / "refdata" / "z14_switching_rules.json").read_text(encoding="utf-8")
    assert "2 out of 5" in text and rules.tightened_rejections == 2 and rules.tightened_window == 5
    assert "5 consecutive lots accepted" in text and rules.normal_after_accepted == 5
    assert "switching score >= 30" in text and rules.reduced_score == 30
    assert "cumulative 5 lots not accepted" in text and rules.discontinue_rejections == 5


def test_plans_of_the_three_severities() -> None:
    result = run(lots(0))
    first = result.lots[0]
    assert (first.inspection, first.sample_size, first.accept, first.reject) == (
        InspectionSeverity.NORMAL,
        125,
        3,
        4,
    )


def test_score_adds_three_per_lot_and_switches_to_reduced_at_30() -> None:
    """9.3.3.2 a): Ac ≥ 2 and accepted at the tighter AQL → +3; at 30 with steady
    production and approval → reduced."""
    result = run(lots(*[0] * 11))
    scores = [lot.switching_score for lot in result.lots]
    assert scores[:10] == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30]
    assert result.lots[9].state_after is SchemeState.REDUCED
    eleventh = result.lots[10]
    assert (eleventh.inspection, eleventh.sample_size, eleventh.accept, eleventh.reject) == (
        InspectionSeverity.REDUCED,
        50,
        1,
        4,
    )


def test_score_resets_when_the_lot_fails_the_tighter_aql() -> None:
    """d = 3 is accepted (Ac 3) but not at AQL 0.65 (Ac 2): the score returns to 0."""
    result = run(lots(0, 0, 3, 0))
    scores = [lot.switching_score for lot in result.lots]
    assert scores == [3, 6, 0, 3]
    assert all(lot.accepted for lot in result.lots)


def test_score_with_acceptance_number_one_adds_two() -> None:
    """9.3.3.2 b): 400 pieces → H; H @ 0.65 ↓ J: n 80, Ac 1 → +2 per accepted lot."""
    history = [LotRecord(lot=str(i), nonconforming=1) for i in range(1, 16)]
    result = run_switching(history, lot_size=400, aql=0.65)
    assert [lot.switching_score for lot in result.lots][:3] == [2, 4, 6]
    assert result.lots[13].state_after is SchemeState.NORMAL
    assert result.lots[14].switching_score == 30
    assert result.state is SchemeState.REDUCED


def test_reduced_needs_steady_production() -> None:
    """Normal → reduced needs ALL of: score ≥ 30, steady production, approval."""
    result = run(lots(*[0] * 11, unsteady={10: True}))
    assert result.lots[9].state_after is SchemeState.NORMAL
    assert result.lots[10].switching_score == 33
    assert result.state is SchemeState.REDUCED


def test_reduced_needs_the_authority() -> None:
    result = run(lots(*[0] * 12), reduced_approved=False)
    assert result.state is SchemeState.NORMAL
    assert result.switching_score == 36


def test_two_rejections_within_five_lots_tighten() -> None:
    """9.3.3.1: lots 1 and 5 not accepted (d ≥ Re 4) → tightened after lot 5."""
    result = run(lots(4, 0, 0, 0, 4, 0))
    states = [lot.state_after for lot in result.lots]
    assert states[:4] == [SchemeState.NORMAL] * 4
    assert states[4] is SchemeState.TIGHTENED
    sixth = result.lots[5]
    assert (sixth.inspection, sixth.accept, sixth.reject) == (InspectionSeverity.TIGHTENED, 2, 3)


def test_two_rejections_six_lots_apart_do_not_tighten() -> None:
    result = run(lots(4, 0, 0, 0, 0, 4))
    assert result.state is SchemeState.NORMAL


def test_five_accepted_on_tightened_restore_normal() -> None:
    """9.3.3.3: five consecutive lots accepted on tightened; a rejection restarts the run."""
    history = lots(0, 0, 0, 3, 0, 0, 0, 0, 0)
    result = run(history, start="tightened")
    states = [lot.state_after for lot in result.lots]
    assert states[:8] == [SchemeState.TIGHTENED] * 8  # d = 3 ≥ Re 3 on lot 4
    assert states[8] is SchemeState.NORMAL
    assert result.lots[8].switching_score == 0


def test_five_rejections_on_tightened_discontinue() -> None:
    """9.4: the cumulative count of non-accepted lots on tightened reaches 5."""
    history = lots(3, 0, 3, 0, 3, 0, 3, 0, 3)
    result = run(history, start="tightened")
    assert result.state is SchemeState.DISCONTINUED
    assert result.next_plan is None
    assert result.lots[-1].reason == "5 lots not accepted on tightened inspection"


def test_a_lot_after_discontinuation_needs_corrective_action() -> None:
    history = lots(3, 3, 3, 3, 3, 0)
    with pytest.raises(InputError) as caught:
        run(history, start="tightened")
    assert "lot 6" in caught.value.field and "corrective_action" in caught.value.message
    history[-1] = LotRecord(lot="6", nonconforming=0, corrective_action=True)
    result = run(history, start="tightened")
    assert result.lots[-1].inspection is InspectionSeverity.TIGHTENED


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (LotRecord(lot="1", nonconforming=4), "lot not accepted on reduced inspection"),
        (LotRecord(lot="1", nonconforming=2), "count between Ac and Re of the reduced plan"),
        (
            LotRecord(lot="1", nonconforming=0, steady_production=False),
            "production irregular or delayed",
        ),
    ],
)
def test_reduced_returns_to_normal(record: LotRecord, reason: str) -> None:
    """9.3.3.4 and MIL-STD-105E 10.1.4: reduced plan n 50, Ac 1, Re 4."""
    result = run([record, LotRecord(lot="2", nonconforming=0)], start="reduced")
    first = result.lots[0]
    assert first.reason == reason and first.state_after is SchemeState.NORMAL
    assert first.accepted is (record.nonconforming < 4)
    assert result.lots[1].inspection is InspectionSeverity.NORMAL


def test_double_sampling_scores_three_only_on_the_first_sample() -> None:
    """9.3.3.2 c): K @ 1.0 double = (80, 1/4), (80, 4/5)."""
    history = [
        LotRecord(lot="1", nonconforming=0),
        LotRecord(lot="2", nonconforming=2, nonconforming_second=1),
        LotRecord(lot="3", nonconforming=1),
    ]
    result = run(history, scheme="double")
    assert [lot.switching_score for lot in result.lots] == [3, 0, 3]
    assert [lot.nonconforming for lot in result.lots] == [0, 3, 1]
    assert all(lot.accepted for lot in result.lots)


def test_double_sampling_needs_the_second_count() -> None:
    with pytest.raises(InputError, match="nonconforming_2"):
        run([LotRecord(lot="7", nonconforming=2, row=3)], scheme="double")


def test_history_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "lots.csv"
    path.write_text(
        "# lot history\nlot,nonconforming,nonconforming_2,lot_size,steady,corrective_action\n"
        "L1,0,,2400,yes,\nL2,2,1,,no,\n",
        encoding="utf-8",
    )
    records = load_lot_history(path)
    assert records[0] == LotRecord(lot="L1", nonconforming=0, lot_size=2400, row=3)
    assert records[1].nonconforming_second == 1 and not records[1].steady_production
    assert records[1].row == 4


@pytest.mark.parametrize(
    ("text", "field", "fragment"),
    [
        ("lot,nonconforming\nA,1\nB,abc\n", "history row 3", "got 'abc'"),
        ("lot,nonconforming\nA,-1\n", "history row 2", "whole number ≥ 0"),
        ("lot,nonconforming\nA,1.5\n", "history row 2", "got '1.5'"),
        ("lot,nonconforming\nA,1,2\n", "history row 2", "3 cells"),
        ("lot,nonconforming\n,1\n", "history row 2", "'lot' is empty"),
        ("lot,nonconforming,steady\nA,1,maybe\n", "history row 2", "yes or no"),
        ("lot,defects\nA,1\n", "history", "missing column(s) nonconforming"),
        ("lot,nonconforming,colour\nA,1,red\n", "history", "unknown column(s) colour"),
        ("lot,nonconforming\n", "history", "no lots"),
        ("", "history", "no header"),
    ],
)
def test_malformed_history_names_the_row(
    tmp_path: Path, text: str, field: str, fragment: str
) -> None:
    path = tmp_path / "lots.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_lot_history(path)
    assert caught.value.field == field
    assert fragment in caught.value.message


def test_missing_history_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_lot_history(tmp_path / "none.csv")


def test_report_after_history_uses_the_new_state() -> None:
    report = sampling_report(2400, 1.0, history=lots(4, 4))
    assert report.inspection == "tightened"
    assert (report.sample_size, report.accept, report.reject) == (125, 2, 3)
    assert report.switching is not None and report.switching.state is SchemeState.TIGHTENED


def test_report_when_discontinued_has_no_plan() -> None:
    report = sampling_report(2400, 1.0, inspection="tightened", history=lots(3, 3, 3, 3, 3))
    assert report.inspection == "discontinued"
    assert report.plan is None and report.sample_size is None and not report.hundred_percent
