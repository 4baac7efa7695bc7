"""The batch page's words: verdicts, chart names, flagged points, the drift sentence."""

from __future__ import annotations

from rampwise.app.web.batch_report import VERDICTS, axis_label, drift_text, flag_groups
from rampwise.quality.batch import Verdict


def test_every_verdict_has_a_light_and_words() -> None:
    assert VERDICTS.keys() == {v.value for v in Verdict}
    # Without limits nothing is said of capability, neither way.
    for verdict in (Verdict.STABLE_NO_LIMITS, Verdict.UNSTABLE_NO_LIMITS):
        assert "capable" not in VERDICTS[verdict][1]


def test_flags_are_grouped_by_rule_in_order_of_first_point() -> None:
    stored = [
        {"rule": "we1", "index": 5},
        {"rule": "we2", "index": 6},
        {"rule": "we1", "index": 8},
    ]
    groups = flag_groups(stored)
    assert [(g.rule, g.points) for g in groups] == [("we1", (5, 8)), ("we2", (6,))]
    assert groups[1].meaning == "2 of 3 points beyond 2σ on one side"
    # A rule this version does not know is shown by its id.
    assert flag_groups([{"rule": "future7", "index": 1}])[0].meaning == "future7"


def test_axis_labels_carry_the_unit_except_the_standardised_cusum() -> None:
    assert axis_label("xbar", "mm") == "X̄ [mm]"
    assert axis_label("mr", "mm") == "MR [mm]"
    assert axis_label("cusum", "mm") == "CUSUM [standard errors]"
    assert axis_label("i", "") == "I"


def test_drift_sentence() -> None:
    stored = {
        "segment_start": 21,
        "segment_length": 20,
        "slope": -0.00017,
        "slope_p_value": 1.1e-5,
        "significant": True,
        "horizon": 10,
        "limit": "lcl",
        "crossing_part": 41,
        "offset": 0.00088,
        "apply_at_part": 41,
    }
    text = drift_text(stored, "mm")
    assert text is not None
    assert text.startswith("Trend -0.00017 mm/part over the 20 parts since part 21")
    assert "crosses LCL at part 41" in text and "+0.00088 mm" in text
    assert drift_text(None, "mm") is None
    assert drift_text({"slope": "steep"}, "mm") is None  # not a drift this version reads
