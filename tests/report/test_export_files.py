"""planner.report.export_files: the curve table as CSV."""

from __future__ import annotations

from planner.report.export_files import curves_csv
from tests.report.view_cases import CURVES


def test_curves_csv_writes_no_limit_as_empty_and_text_as_text():
    c = CURVES.assign(name=["=1+1", "X", "TikTok/@lena.bakes", "X/@amir"])
    text = curves_csv(c).decode()
    first = text.splitlines()[1]
    assert first.startswith("'=1+1,TikTok,log")
    assert "inf" not in text
