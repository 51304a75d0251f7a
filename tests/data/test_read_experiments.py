"""An experiments table is read from a CSV file or from its sheet of a workbook, or refused in a sentence."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from planner.data.experiments import ExperimentError, read_experiments

CSV = b"Network,Start date,End date,Lift,Lift SE\nInstagram,2024-03-04,2024-03-31,120000,15000\n"


def test_a_csv_of_experiments_is_read_with_its_synonyms():
    table = read_experiments(CSV, "lifts.csv")
    assert table.to_dict("records") == [{"name": "Instagram", "start": pd.Timestamp("2024-03-04"),
                                         "end": pd.Timestamp("2024-03-31"), "lift": 120000.0, "lift_se": 15000.0}]


def test_the_experiments_sheet_of_a_workbook_is_found_beside_others():
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        pd.DataFrame({"Week": ["2024-01-01"], "Spend": [10]}).to_excel(xl, sheet_name="Data", index=False)
        pd.DataFrame({"name": ["TikTok", "X"], "start": pd.to_datetime(["2024-05-06", "2024-06-03"]),
                      "end": pd.to_datetime(["2024-05-26", "2024-06-30"]), "lift": [5000, 800],
                      "lift_se": [900, 400]}).to_excel(xl, sheet_name="Experiments", index=False)
    table = read_experiments(buf.getvalue(), "plan.xlsx")
    assert list(table["name"]) == ["TikTok", "X"] and list(table["lift_se"]) == [900.0, 400.0]


def test_a_file_without_experiments_or_with_a_bad_row_is_refused_in_a_sentence():
    with pytest.raises(ExperimentError, match="spend.csv has no table of experiments: it needs the columns name"):
        read_experiments(b"Week,Spend\n2024-01-01,10\n", "spend.csv")
    bad = CSV + b"TikTok,2024-05-06,2024-05-26,5000,0\n"
    with pytest.raises(ExperimentError, match="lifts.csv, row 3, column lift_se: the standard error must be"):
        read_experiments(bad, "lifts.csv")
