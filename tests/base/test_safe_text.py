"""User text is never a formula in any file the planner writes."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.base.safe_text import csv_safe, to_csv_bytes, write_xlsx_table

DANGEROUS = ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "=HYPERLINK(\"http://x\",\"y\")"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_prefixes_formula_starts(text):
    assert csv_safe(text) == "'" + text
    out = to_csv_bytes(pd.DataFrame({"name": [text], "spend": [1.5]}))
    back = pd.read_csv(io.BytesIO(out), keep_default_na=False)
    assert back["name"].iloc[0] == "'" + text


@pytest.mark.parametrize("text", ["Instagram", "@handle_without_sign", "1+1", ""])
def test_plain_text_untouched(text):
    if text.startswith("@"):
        assert csv_safe(text) == "'" + text
    else:
        assert csv_safe(text) == text
    assert csv_safe(12.5) == 12.5


def test_xlsx_cells_are_text():
    data = write_xlsx_table({"Data": pd.DataFrame({"name": DANGEROUS, "spend": range(len(DANGEROUS))})})
    ws = load_workbook(io.BytesIO(data))["Data"]
    for i, text in enumerate(DANGEROUS, start=2):
        assert ws.cell(i, 1).data_type == "s"
        assert ws.cell(i, 1).value == text
        assert ws.cell(i, 2).value == i - 2
