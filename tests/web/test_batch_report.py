"""The batch page's words: verdicts, chart names, flagged points, the drift sentence."""

from __future__ import annotations

from rampwise.app.web.batch_report import (
    VERDICTS,
    axis_label,
    drift_text,
    flag_groups,
    target_text,
)
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


def test_drift_sentence_names_the_target_used() -> None:
    stored = {
        "segment_start": 1,
        "segment_length": 20,
        "slope": -0.0002,
        "slope_p_value": 1e-9,
        "significant": True,
        "horizon": 30,
        "limit": "lsl",
        "crossing_part": 42,
        "offset": 0.0035,
        "apply_at_part": 21,
        "target": 10.0075,
        "target_basis": "mid_tolerance",
    }
    text = drift_text(stored, "mm")
    assert text is not None
    assert text.endswith("at part 21, toward the mid-tolerance target 10.0075 mm")


def test_target_text_of_a_stored_spec() -> None:
    # Ø10 H7 = 10.000/10.015: mid-tolerance (10.000 + 10.015)/2 = 10.0075
    spec = {"lsl": 10.0, "usl": 10.015, "target": 10.0075, "target_basis": "mid_tolerance"}
    assert target_text(spec) == "mid-tolerance target 10.0075"
    assert target_text({**spec, "target": 10.006, "target_basis": "given"}) == (
        "given target 10.006"
    )
    # stored before the basis was recorded: the target without a claim about its origin
    assert target_text({"lsl": 10.0, "usl": 10.015, "target": 10.0075}) == "target 10.0075"
    assert target_text({"usl": 0.02, "target": None}) is None
    assert target_text(None) is None
