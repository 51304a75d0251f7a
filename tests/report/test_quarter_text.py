"""What a plan for a calendar quarter assumed, in words."""

from __future__ import annotations

from planner.report.quarter_text import average_quarter_text, quarter_label, quarter_text
from tests.curves.test_quarter import table


def test_the_label_names_the_quarters_months():
    assert quarter_label(None) == "An average quarter"
    assert quarter_label("q4") == "Q4 (October to December)"


def test_a_quarter_says_how_much_each_wave_lifts_or_lowers_its_rows():
    said = quarter_text(table(), "Q4")
    assert said == ("Planned for Q4 (October to December), by the yearly waves the fit found: Instagram's and "
                    "TikTok's paid media earn 6% less per dollar than in an average quarter; creators' campaigns "
                    "earn 22% more.")
    assert "creators' campaigns earn 22% less" in quarter_text(table(), "Q2")


def test_rows_of_one_group_with_different_waves_are_given_as_a_range():
    c = table()
    c.loc[3, "season_cos"] = 0.05
    said = quarter_text(c, "Q4")
    assert "creators' campaigns earn +" in said and "% to +" in said


def test_nothing_is_said_of_the_average_quarter_or_of_a_table_without_a_wave():
    assert quarter_text(table(), None) == ""
    assert quarter_text(table().drop(columns=["season_sin", "season_cos"]), "Q4") == ""
    assert average_quarter_text(table().drop(columns=["season_sin", "season_cos"])) == ""


def test_the_average_quarter_names_each_waves_top_and_how_to_plan_a_quarter():
    said = average_quarter_text(table())
    assert said.startswith("This plan is for an average quarter; the fit found a yearly wave: Instagram's and "
                           "TikTok's paid media earn up to 10% more around 2 April and as much less around 1 October; "
                           "creators' campaigns earn up to 27% more around 10 December")
    assert said.endswith("Choose the quarter to plan it.")
    assert average_quarter_text(table(), "Use --quarter.").endswith("Use --quarter.")


def test_the_workbooks_period_names_the_quarter_a_table_was_made_for():
    from planner.curves.season import for_quarter
    from planner.report.export_files import export_meta, period_text

    assert period_text(table()) == "one quarter (13 weeks)"
    assert period_text(for_quarter(table(), "Q2")).startswith("Q2 (April to June), 13 weeks: each curve at its yearly")
    assert export_meta([("a.csv", "")], for_quarter(table(), "Q2"))["period"].startswith("Q2 (April to June)")
