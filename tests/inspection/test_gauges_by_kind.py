"""Gauges by characteristic kind and feature, judged on uncertainty or a gauge study."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rampwise.core.model import Characteristic, CharacteristicKind, Feature
from rampwise.quality.msa import gauge_rr, load_gauge_study
from rampwise.rules.inspection import choose_gauge, gauge_choices


def _choice(**spec: Any) -> Any:
    return choose_gauge(Characteristic.model_validate({"id": 1, "name": "Feature", **spec}))


def test_cmm_is_not_ok_for_a_3_um_zone() -> None:
    """Issue 22: a CMM passed as "ok" for a 3 µm zone on its 0.1 µm display resolution.

    CMM MPE_E at L = 0: 1.8 µm (gauges.csv); 3 µm / 1.8 µm = 1.7:1 < 4:1 → not capable.
    """
    choice = _choice(kind="flatness", max=0.003)
    assert (choice.gauge, choice.capable) == ("CMM", False)
    assert choice.uncertainty == pytest.approx(0.0018)
    assert "below the 4:1 minimum" in choice.note


def test_cmm_uncertainty_grows_with_length() -> None:
    # (1.8 + 300/300) µm = 2.8 µm at 300 mm
    assert _choice(kind="diameter", nominal=300, tolerance="±0.5").gauge == "caliper"
    choice = choose_gauge(
        Characteristic(id=1, name="Span", kind="spacing", nominal=300, tolerance="±0.02")
    )
    assert choice.gauge == "CMM" and choice.uncertainty == pytest.approx(0.0028, rel=1e-4)


def test_between_four_and_ten_to_one_is_usable_with_a_study_advised() -> None:
    # Ø16 H7 hole: 18 µm; bore gauge ±3 µm = 6:1; CMM 1.85 µm = 9.7:1: no 10:1, the
    # quickest within 4:1 is the bore gauge
    choice = _choice(kind="diameter", nominal=16, tolerance="H7")
    assert (choice.gauge, choice.capable) == ("bore gauge", True)
    assert "6.0:1" in choice.note and "gauge R&R" in choice.note


def test_a_diameter_without_a_side_takes_only_gauges_for_either() -> None:
    # neither feature, class nor name says hole or shaft: no bore gauge, no micrometer
    choice = _choice(kind="diameter", nominal=10, tolerance="±0.02")
    assert choice.gauge == "CMM"
    assert "feature: hole or shaft" in choice.note
    shaft = _choice(kind="diameter", feature="shaft", nominal=10, tolerance="±0.02")
    assert shaft.gauge == "outside micrometer" and "feature" not in shaft.note


def test_kind_guessed_from_the_name_is_said() -> None:
    """Old files without kind: "Hole pitch" is a spacing (CMM), not a bore (bore gauge)."""
    hole_pitch = Characteristic(id=1, name="Hole pitch", nominal=50, tolerance="±0.05")
    assert hole_pitch.kind is CharacteristicKind.SPACING and hole_pitch.feature is None
    choice = choose_gauge(hole_pitch)
    assert choice.gauge == "CMM"
    assert "kind 'spacing' guessed from the name 'Hole pitch'" in choice.note
    written = Characteristic(id=1, name="Hole pitch", kind="length", nominal=50, tolerance=0.05)
    assert written.kind is CharacteristicKind.LENGTH and written.inferred == ()
    bore = Characteristic(id=1, name="Bore", nominal=12, tolerance="±0.005")
    assert (bore.kind, bore.feature) == (CharacteristicKind.DIAMETER, Feature.HOLE)
    slot = Characteristic(id=1, name="Slot width", nominal=8, tolerance="±0.02")
    assert (slot.kind, slot.feature) == (CharacteristicKind.LENGTH, Feature.HOLE)
    # a slot is measured from inside: no outside micrometer; caliper fails 0.04 / 10,
    # height gauge too; the CMM (1.83 µm) meets 10:1
    assert choose_gauge(slot).gauge == "CMM"


def test_minutes_count_every_feature() -> None:
    # 4 tapped holes × 0.5 min with the thread plug gauge (gauges.csv)
    choice = _choice(kind="thread", designation="M3x0.5-6H", count=4)
    assert (choice.gauge, choice.minutes) == ("thread plug gauge", 2.0)


def test_gauge_study_judges_instead_of_the_catalog(examples_dir: Path) -> None:
    """The sensor housing bore's study: %GRR 27.86 % (AIAG example) → marginal, capable."""
    study = gauge_rr(load_gauge_study(examples_dir / "measurements/sensor_housing_bore_grr.csv"))
    bore = Characteristic(id=1, name="Bore", nominal=12, tolerance="±0.005", critical=True)
    (judged,) = gauge_choices([bore], studies={"Bore": study})
    assert judged.pct_grr == pytest.approx(study.pct_grr_judged)
    assert judged.capable is True and "marginal" in judged.note
    # a forced caliper (0.5:1 on its uncertainty) is still judged by the study
    (forced,) = gauge_choices([bore], gauges={"1": "caliper"}, studies={"1": study})
    assert forced.capable is True
    (unstudied,) = gauge_choices([bore], gauges={"1": "caliper"})
    assert unstudied.capable is False
