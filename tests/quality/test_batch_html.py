"""The self-contained HTML batch report: inline SVG, escaping, labels, missing values."""

from __future__ import annotations

import re

import numpy as np

from rampwise.quality.batch import analyze_batch
from rampwise.quality.capability import SpecLimits
from rampwise.quality.measurements import parse_measurements_csv
from rampwise.quality.specs import SpecTable
from rampwise.render.batch_html import render_batch_html


def test_report_is_self_contained_and_escaped() -> None:
    values = 10 + 0.01 * np.resize([1.0, -1.0, 0.5, -0.5, 0.0], 30)
    rows = "\n".join(f"{i + 1},{v:.4f}" for i, v in enumerate(values))
    text = f"part,<b>Bore & Co</b>\n{rows}\n31,\n"
    specs = SpecTable(default=SpecLimits(lsl=9.9, usl=10.1))
    result = analyze_batch(parse_measurements_csv(text, specs=specs, allow_missing=True))
    page = render_batch_html(result, title="Batch <1>")
    assert page.count("<svg") == 3  # I chart, MR chart, histogram
    assert "<b>Bore & Co</b>" not in page and "&lt;b&gt;Bore &amp; Co&lt;/b&gt;" in page
    assert "<title>Batch &lt;1&gt;</title>" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "Missing values (not used): row 32" in page
    assert "first-pass yield 100.0% of 30 parts" in page
    # every figure's element ids are salted per figure, so no id repeats across figures
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_box_cox_capability_is_labelled_in_the_report() -> None:
    values = np.random.default_rng(11).lognormal(0.0, 0.5, 120)
    text = "value\n" + "\n".join(f"{v:.5f}" for v in values)
    specs = SpecTable(default=SpecLimits(lsl=0.05, usl=8.0))
    result = analyze_batch(parse_measurements_csv(text, specs=specs))
    (c,) = result.characteristics
    assert c.capability is not None and c.capability.non_normal is not None
    assert c.capability.non_normal.cpk is not None  # the I-MR σ estimator was passed on
    page = render_batch_html(result)
    assert "Box-Cox transformed capability (λ =" in page
    assert "normality rejected" in page
