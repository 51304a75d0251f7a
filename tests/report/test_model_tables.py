"""planner.report.model_tables: the curve table as people read it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.report.model_tables import curve_counts, curve_view, observed_range_text, pooled_text
from tests.report.view_cases import CURVES


def test_pooled_and_range_texts():
    assert pooled_text(0.4) == "pulled toward network average: 40%"
    assert pooled_text(0.0) == "" and pooled_text(np.nan) == ""
    assert observed_range_text(1_000, 3_000) == "$1,000 \u2013 $3,000"
    assert observed_range_text(500, 500) == "$500"
    assert observed_range_text(np.nan, np.nan) == "\u2014"


def test_curve_view_reads_at_current_spend():
    v = curve_view(CURVES)
    assert list(v["Name"]) == list(CURVES["name"])
    tiktok = v.iloc[0]
    expected = 200_000 * math.log1p(30_000 / 40_000)
    assert tiktok["ROAS at current spend"] == pytest.approx(expected / 30_000)
    assert tiktok["Next $1 at current spend"] == pytest.approx(200_000 / (40_000 + 30_000))
    assert tiktok["Pooling"] == "" and v.iloc[3]["Pooling"] == "pulled toward network average: 40%"
    assert list(v["Type"]) == ["Paid media", "Paid media", "Creator", "Creator"]
    assert curve_counts(CURVES) == "4 response curves: 2 networks' paid media and 2 creators"
