"""Western Electric and Nelson run rules, CUSUM and EWMA on qcc's deterministic cases.

Reference: ``refdata/run_rules_cases.json`` — qcc 3.0 ``tests/testthat/test-rules.R``,
``test-cusum.R``, ``test-ewma.R`` with Nelson (1984) / Western Electric (1956) definitions;
centre 0, σ 1, 3σ limits, 1-based indices of the points that complete a pattern.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rampwise.quality import rules as rules_module
from rampwise.quality.rules import (
    RULE_DESCRIPTIONS,
    RuleSet,
    Violations,
    location_violations,
    points_by_rule,
    rule_flags,
    rule_label,
    violations_from_flags,
)
from rampwise.quality.shift_charts import cusum_chart, ewma_chart

SETS = {"WE": RuleSet.WE, "Nelson": RuleSet.NELSON}


def _cases(refdata: Path, kind: str) -> list[dict[str, Any]]:
    cases = json.loads((refdata / "run_rules_cases.json").read_text())["cases"]
    return [c for c in cases if c["rule_set"] == kind]


def _flagged(x: list[float], rule_set: RuleSet, rule: int) -> list[int]:
    flags = rule_flags(np.array(x, dtype=float), 0.0, 1.0, rule_set)
    return [int(i) + 1 for i in np.flatnonzero(flags[rule])]


def test_every_single_rule_case_reproduces(refdata: Path) -> None:
    cases = [c for kind in SETS for c in _cases(refdata, kind) if c["rule"] != "each"]
    assert len(cases) == 15
    for case in cases:
        got = _flagged(case["x"], SETS[case["rule_set"]], int(case["rule"]))
        assert got == case["expected"], case


def test_each_we_rule_and_lowest_rule_wins(refdata: Path) -> None:
    (case,) = [c for c in _cases(refdata, "WE") if c["rule"] == "each"]
    for rule, expected in case["expected"].items():
        assert _flagged(case["x"], RuleSet.WE, int(rule)) == expected
    lowest: list[int | None] = [None] * len(case["x"])
    flagged = location_violations(np.array(case["x"]), 0.0, 1.0, RuleSet.WE)
    for v in flagged.as_tuple():
        lowest[v.index - 1] = int(v.rule.removeprefix("we"))
    assert lowest == case["combined_rules_1to4_lowest_wins"]


def test_eight_on_one_side_is_we4_but_not_nelson2(refdata: Path) -> None:
    x = [0.5] * 8 + [-0.5]
    assert _flagged(x, RuleSet.WE, 4) == [8]
    assert _flagged(x, RuleSet.NELSON, 2) == []


def test_alternating_series_is_nelson4_only(refdata: Path) -> None:
    # run_rules_cases note: "same series under WE rule 4 -> no violation"
    x = [0, 1] * 7 + [0]
    assert _flagged(x, RuleSet.NELSON, 4) == [14, 15]
    assert location_violations(np.array(x, dtype=float), 0.0, 1.0, RuleSet.WE).count == 0


def test_violation_ids_name_the_rule_set() -> None:
    flags = {1: np.array([False, True]), 5: np.array([True, True])}
    got = violations_from_flags(flags, RuleSet.NELSON)
    assert [(v.rule, v.index) for v in got.as_tuple()] == [("nelson5", 1), ("nelson1", 2)]
    assert got.rule == ("nelson5", "nelson1") and got.index.tolist() == [1, 2]


def test_every_rule_id_has_words() -> None:
    """Each id a rule set can report is explained (the batch page shows the words)."""
    z = np.zeros(20)
    for rule_set in RuleSet:
        flags = rule_flags(z, 0.0, 1.0, rule_set)
        ids = {f"{rule_set.value}{number}" for number in flags}
        assert ids <= RULE_DESCRIPTIONS.keys()
    # Western Electric has 4 rules, Nelson 8 (module references), plus the two signals.
    assert len(RULE_DESCRIPTIONS) == 4 + 8 + 2
    assert {"ewma", "cusum"} <= RULE_DESCRIPTIONS.keys()


def test_flags_group_by_rule_for_reading() -> None:
    flags = [("nelson5", 40), ("nelson1", 37), ("nelson5", 35), ("nelson1", 38)]
    assert points_by_rule(flags) == {"nelson5": (35, 40), "nelson1": (37, 38)}
    assert [rule_label(r) for r in ("we2", "nelson5", "ewma", "weird")] == [
        "WE 2",
        "Nelson 5",
        "EWMA",
        "WEIRD",
    ]


def test_cusum_case(refdata: Path) -> None:
    (case,) = _cases(refdata, "CUSUM")
    p, e = case["params"], case["expected"]
    chart = cusum_chart(
        case["x"],
        p["center"],
        p["sd"],
        decision_interval=p["h"],
        shift=2 * p["k"],
        head_start=p["head_start"],
    )
    assert chart.statistic == pytest.approx(e["pos"], abs=1e-12)
    assert chart.statistic_lower == pytest.approx(e["neg"], abs=1e-12)
    assert [v.index for v in chart.violations] == e["upper_violation_idx"] + e[
        "lower_violation_idx"
    ]


def test_ewma_case(refdata: Path) -> None:
    (case,) = _cases(refdata, "EWMA")
    p, e = case["params"], case["expected"]
    chart = ewma_chart(case["x"], p["center"], p["sd"], smoothing=p["lambda"], nsigmas=p["L"])
    assert chart.statistic == pytest.approx(e["ewma"], abs=1e-12)
    sigma = np.array(e["sigma_ewma"])
    assert chart.lower == pytest.approx(10 - 2 * sigma, abs=1e-8)
    assert chart.upper == pytest.approx(10 + 2 * sigma, abs=1e-8)


def _scan_same_side(z: np.ndarray, length: int) -> list[int]:
    """Direct definition: the last ``length`` points all above or all below 0."""
    hits = []
    for i in range(length - 1, z.size):
        window = z[i - length + 1 : i + 1]
        if np.all(window > 0) or np.all(window < 0):
            hits.append(i + 1)
    return hits


def _scan_k_of_w(z: np.ndarray, level: float, k: int, w: int) -> list[int]:
    hits = []
    for i in range(w - 1, z.size):
        window = z[i - w + 1 : i + 1]
        if (z[i] > level and np.sum(window > level) >= k) or (
            z[i] < -level and np.sum(window < -level) >= k
        ):
            hits.append(i + 1)
    return hits


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-4, 4, allow_nan=False), min_size=1, max_size=60))
def test_vectorised_rules_equal_their_windowed_definitions(x: list[float]) -> None:
    z = np.array(x)
    we = rule_flags(z, 0.0, 1.0, RuleSet.WE)
    nelson = rule_flags(z, 0.0, 1.0, RuleSet.NELSON)
    flagged = {r: [int(i) + 1 for i in np.flatnonzero(f)] for r, f in we.items()}
    assert flagged[2] == _scan_k_of_w(z, 2.0, 2, 3)
    assert flagged[3] == _scan_k_of_w(z, 1.0, 4, 5)
    assert flagged[4] == _scan_same_side(z, 8)
    assert [int(i) + 1 for i in np.flatnonzero(nelson[2])] == _scan_same_side(z, 9)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-4, 4, allow_nan=False), min_size=1, max_size=200),
    st.integers(1, 40),
    st.sampled_from(list(RuleSet)),
)
def test_runs_found_block_by_block_equal_the_whole_series_flags(
    x: list[float], chunk: int, rule_set: RuleSet
) -> None:
    """Blocks of any size (each reading back the rules' window) find the same points."""
    z = np.array(x)
    whole = violations_from_flags(rule_flags(z, 0.0, 1.0, rule_set), rule_set)
    old = rules_module.CHUNK
    try:
        rules_module.CHUNK = chunk
        blocked = location_violations(z, 0.0, 1.0, rule_set)
    finally:
        rules_module.CHUNK = old
    assert blocked.index.tolist() == whole.index.tolist()
    assert blocked.rule == whole.rule
    # a run is one rule over consecutive points, and runs never touch with the same rule
    starts_next = blocked.first[1:]
    touching = starts_next == blocked.last[:-1] + 1
    assert not np.any(touching & (blocked.code[1:] == blocked.code[:-1]))


def test_violations_read_back_from_points_are_runs() -> None:
    flags = Violations.from_points([3, 4, 5, 9, 10], ["we4", "we4", "we4", "we1", "we4"])
    assert flags.by_rule() == {"we4": [(3, 5), (10, 10)], "we1": [(9, 9)]}
    assert flags.count == 5
    out = io.StringIO()
    flags.write_json(out)
    assert json.loads(out.getvalue()) == [
        {"rule": rule, "index": index}
        for rule, index in zip(flags.rule, flags.index.tolist(), strict=True)
    ]
