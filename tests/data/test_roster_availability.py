"""A roster's "available from" and "available until" dates: read as people type them, said when unreadable, and
carried into the curve table (the command line's fit and plan over time: tests/cli/test_horizon_cli.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.data.roster import load_roster
from planner.fit.roster import apply_roster

ROOT = Path(__file__).resolve().parents[2]


def _roster(tmp_path, **cols) -> Path:
    base = {"Creator": ["@a", "@b", "@c", "@d", "@e"], "Network": ["Instagram"] * 5, "Fee per post": [500] * 5}
    path = tmp_path / "roster.csv"
    pd.DataFrame({**base, **cols}).to_csv(path, index=False)
    return path


def test_dates_are_read_as_typed_and_a_month_runs_to_its_last_day(tmp_path):
    r = load_roster(_roster(tmp_path, **{
        "Available from": ["2027-02-01", "March 2027", None, "15/04/2027", "2027-05"],
        "Available until": [None, "June 2027", "2027-09-30", None, "2027-06"]}))
    t = r.table.set_index("entity")
    assert t.loc["@a", "available_from"] == pd.Timestamp("2027-02-01") and pd.isna(t.loc["@a", "available_until"])
    assert t.loc["@b", "available_from"] == pd.Timestamp("2027-03-01")
    assert t.loc["@b", "available_until"] == pd.Timestamp("2027-06-30")
    assert t.loc["@d", "available_from"] == pd.Timestamp("2027-04-15")
    assert t.loc["@e", "available_from"] == pd.Timestamp("2027-05-01")
    assert t.loc["@e", "available_until"] == pd.Timestamp("2027-06-30")
    assert not r.issues
    assert "available from, available until" in r.describe()


def test_a_date_that_cannot_be_read_or_an_end_before_the_start_is_a_sentence_with_its_row(tmp_path):
    r = load_roster(_roster(tmp_path, **{"Start date": ["soon", None, "2027-05-01", None, None],
                                         "End date": [None, None, "2027-04-01", None, None]}))
    said = {(i.row, i.column): i.message for i in r.issues}
    assert said[(2, "Start date")] == ('"soon" is not a date I can read; it was left empty, so the creator is taken '
                                       "as available from any day.")
    assert said[(4, "End date")] == ("The creator is available until 2027-04-01, before the day they are available "
                                     "from (2027-05-01); both dates were left empty.")
    t = r.table.set_index("entity")
    assert t["available_from"].isna().all() and t["available_until"].isna().all()


def test_apply_roster_writes_the_dates_into_the_curve_table(tmp_path):
    curves = pd.read_csv(ROOT / "sample_data" / "true_curves.csv")
    name = curves.loc[curves["name"].str.contains("/"), "name"].iloc[0]
    net, handle = name.split("/")
    path = tmp_path / "r.csv"
    pd.DataFrame({"Creator": [handle], "Network": [net], "Max posts per quarter": [6],
                  "Available from": ["2027-02-01"], "Available until": ["2027-03-15"]}).to_csv(path, index=False)
    out = apply_roster(curves, load_roster(path)).set_index("name")
    assert out.loc[name, "available_from"] == "2027-02-01" and out.loc[name, "available_until"] == "2027-03-15"
    assert (out.drop(index=name)["available_from"] == "").all()
