"""Every page of the app, driven as a user would with Streamlit's AppTest, on the sample data.

The first test pays for fitting the sample (a few seconds); st.cache_data keeps the
results for the rest of the session.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui.cache
from planner.base.format import money, signed_money
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "streamlit_app.py"
PAGES = ["pages/2_Model.py", "pages/3_Optimize.py", "pages/4_Tradeoffs.py", "pages/5_Finance_plan.py",
         "pages/6_Export.py", "pages/8_Plan_over_time.py", "pages/9_Pacing.py"]
OPTIMIZE = "pages/3_Optimize.py"
TIMEOUT = 120


def _app() -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> list[str]:
    """Each element's text as a reader sees it (the app sends text with Markdown escapes)."""
    return [shown(str(e.value)) for e in elements]


def _page_text(at: AppTest) -> str:
    return "\n".join(_texts(at.markdown) + _texts(at.caption) + _texts(at.subheader) + _texts(at.info))


def _allocation_table(at: AppTest) -> pd.DataFrame:
    """The Optimize page's table of every row (the one with Name and Optimal spend), in its tab."""
    if at.session_state["optimize_view"] != "Every row" if "optimize_view" in at.session_state else True:
        at.session_state["optimize_view"] = "Every row"  # the tabs draw only the open one
        at.run()
        assert not at.exception, at.exception
    for df in (d.value for d in at.dataframe):
        if {"Name", "Optimal spend", "Type"} <= set(df.columns):
            return df
    raise AssertionError("The Optimize page shows no allocation table with every row.")


def _paid_media_csv() -> bytes:
    """30 weeks of platform-attributed paid media on two networks the sample does not have."""
    rng = np.random.default_rng(3)
    lines = ["Date,Network,Amount spent (USD),Purchases conversion value"]
    for w in range(30):
        day = np.datetime64("2024-01-01") + np.timedelta64(7 * w, "D")
        for net, beta, k in (("Snapchat", 9000.0, 1500.0), ("Reddit", 4000.0, 800.0)):
            x = float(rng.uniform(200, 3000))
            y = beta * np.log1p(x / k) * float(rng.lognormal(0, 0.1))
            lines.append(f"{day},{net},{x:.2f},{y:.2f}")
    return ("\n".join(lines) + "\n").encode()


# ----------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("page", [None, *PAGES], ids=["Data", *[Path(p).stem for p in PAGES]])
def test_every_page_renders_on_the_sample(page):
    at = _app()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, _texts(at.error)
    assert at.title[0].value


def test_data_page_describes_the_sample():
    at = _app()
    text = _page_text(at)
    assert "creator_campaigns.xlsx" in _texts(at.subheader)
    assert "weekly_paid_media.xlsx" in _texts(at.subheader)
    assert "286 campaigns of 60 creators" in text
    assert "156 weeks, 6 networks, total sales only" in text
    totals = [d.value for d in at.dataframe if "Network" in d.value.columns and "Spend" in d.value.columns
              and "Conversion" not in d.value.columns]  # the funnel's tables (tests/app/test_funnel_page.py) apart
    assert len(totals) == 2
    assert set(totals[0]["Network"]) == {"Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"}
    # the sample's totals row is listed as skipped, with why
    skipped = [d.value for d in at.dataframe if "Reason" in d.value.columns]
    assert skipped and "total" in skipped[0]["Reason"].iloc[0].lower()


def test_model_page_shows_the_curve_table_and_the_mmm():
    at = _app()
    at.switch_page("pages/2_Model.py").run()
    table = next(d.value for d in at.dataframe if "ROAS at current spend" in d.value.columns)
    assert len(table) == 66
    assert {"Name", "Network", "Curve", "Current spend", "Next $1 at current spend", "Observed spend range",
            "Fit (R²)", "Pooling"} <= set(table.columns)
    assert table["Pooling"].str.startswith("pulled toward network average: ").any()
    assert table["Observed spend range"].str.startswith("$").all()
    labels = [m.label for m in at.metric]
    assert "R², held-out weeks" in labels
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) >= 3  # network curves, creators, decomposition
    # the networks the weekly data hardly tell apart from baseline sales: a column, and a warning naming them
    mix = next(d.value for d in at.dataframe if "Read from its data" in d.value.columns)
    assert set(mix["Network"]) == {"Facebook", "Instagram", "Pinterest", "TikTok", "X", "YouTube"}
    assert mix["Read from its data"].between(0, 1).all()
    weak = set(mix.loc[mix["Read from its data"] <= 0.5, "Network"])
    warned = [shown(w.value) for w in at.warning if "hardly tell" in w.value]
    assert weak == {"Pinterest", "TikTok", "X", "YouTube"} and len(warned) == 1
    assert warned[0].startswith("The weekly data hardly tell Pinterest, TikTok, X and YouTube apart from baseline "
                                "sales") and warned[0].endswith("A lift test of them (Experiments, below) would tell.")
    # the test for seasons in what paid media earns is said, and so is what it found (the sample has none)
    assert any(shown(c.value).startswith("Seasons in what paid media earns: none assumed (the 156 weeks show no "
                                         "yearly wave beyond chance)") for c in at.caption)


# ----------------------------------------------------------------------------- the main flow


def test_optimize_respects_the_budget_and_shows_the_reading():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    default = at.number_input(key="budget_input").value
    assert default == pytest.approx(339_453)  # today's total quarterly spend in the sample
    at.number_input(key="budget_input").set_value(200_000).run()
    assert not at.exception, at.exception
    assert not at.error, _texts(at.error)
    table = _allocation_table(at)
    rounded = table["Optimal spend"]  # each row rounded to the dollar, as the sentences write it
    assert rounded.sum() <= 200_000 + 0.5 * (rounded > 0).sum()
    assert rounded.sum() == pytest.approx(200_000, abs=0.5 * (rounded > 0).sum())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Spend"] == "$200,000"
    assert metrics["Expected revenue"].startswith("$")
    assert shown(metrics["Return on ad spend"]).endswith(" per $1")
    reading = _texts(at.info)[0]
    assert reading.startswith("At today's spend, the next $1 on ") and " returns $" in reading


def test_profit_objective_may_leave_budget_unspent():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    at.radio(key="objective_input").set_value("profit").run()
    at.number_input(key="margin_input").set_value(10.0).run()  # a thin margin: few rows pay back
    assert not at.exception, at.exception
    table = _allocation_table(at)
    assert table["Optimal spend"].sum() <= at.number_input(key="budget_input").value + 0.005
    assert at.metric[0].label == "Expected profit"


def test_switching_pages_keeps_the_budget_and_objective():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="budget_input").set_value(180_000).run()
    at.radio(key="objective_input").set_value("profit").run()
    for page in ("streamlit_app.py", "pages/2_Model.py", "pages/4_Tradeoffs.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
    sidebar = " ".join(_texts(at.sidebar.caption))
    assert "$180,000" in sidebar and "Profit" in sidebar
    at.switch_page(OPTIMIZE).run()
    assert at.number_input(key="budget_input").value == 180_000
    assert at.radio(key="objective_input").value == "profit"
    shown = _allocation_table(at)["Optimal spend"]  # each row in whole dollars that add up, as shown
    assert (shown == shown.round()).all() and shown.sum() <= 180_000


def test_bound_edits_survive_a_page_switch():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    table = _allocation_table(at)
    name = "Instagram"
    at.session_state["bounds_editor"] = {"edited_rows": {_row_of(at, name): {"Max spend": 5_000.0}},
                                         "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    table = _allocation_table(at)
    assert table.set_index("Name").loc[name, "Optimal spend"] <= 5_000 + 0.005
    at.switch_page("pages/2_Model.py").run()
    # kept in the app's own session key, not only in the editor's widget state
    assert at.session_state["planner_settings"]["bounds"].loc[name, "Max spend"] == 5_000
    at.switch_page(OPTIMIZE).run()
    table = _allocation_table(at)
    assert table.set_index("Name").loc[name, "Optimal spend"] <= 5_000 + 0.005


def _row_of(at: AppTest, name: str) -> int:
    """Position of ``name`` in the bounds editor (the curve table's order)."""
    for e in at.dataframe:  # AppTest lists data editors with the dataframes
        df = e.value
        if "Lock at current" in df.columns:
            return list(df.index).index(name)
    raise AssertionError("No bounds editor on the page.")


def test_an_infeasible_bound_shows_its_sentence():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="budget_input").set_value(100_000).run()
    # row 0 is a creator whose roster caps its spend, so its cap is raised with the minimum
    at.session_state["bounds_editor"] = {"edited_rows": {0: {"Min spend": 150_000.0, "Max spend": 200_000.0}},
                                         "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    errors = _texts(at.error)
    assert errors, "no st.error for an infeasible bound"
    assert "budget is $100,000" in errors[0]
    assert "Traceback" not in errors[0]


def test_min_above_max_is_a_validation_message():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    at.session_state["bounds_editor"] = {"edited_rows": {1: {"Min spend": 9_000.0, "Max spend": 1_000.0}},
                                         "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert any("is above the maximum $1,000" in e for e in _texts(at.error))


# ----------------------------------------------------------------------------- other data


def test_uploading_a_csv_replaces_the_sample_everywhere():
    ui.cache._fits.clear()  # fits are shared by the sessions of a server: another test may have fitted this file
    at = _app()
    at.file_uploader[0].upload("my_paid_media.csv", _paid_media_csv(), "text/csv").run()
    assert not at.exception, at.exception
    assert _texts(at.subheader) == ["my_paid_media.csv", "Why each network returns what it does"]
    assert "60 rows over 30 weeks on 2 networks" in _page_text(at)
    assert "my_paid_media.csv" in " ".join(_texts(at.sidebar.caption))
    at.switch_page("pages/2_Model.py").run()
    assert not at.exception, at.exception
    # new data is fitted in a status box that says what is being fitted; the next page does not refit
    bars = at.get("progress")
    assert len(bars) == 1 and bars[0].proto.value == 100
    assert re.fullmatch(r"checking the curve table \(\d+ s\)", shown(bars[0].proto.text)), bars[0].proto.text
    assert "my_paid_media.csv: 60 rows over 30 weeks on 2 networks, conversion value attributed per row" in \
        _texts(at.markdown)
    table = next(d.value for d in at.dataframe if "ROAS at current spend" in d.value.columns)
    assert sorted(table["Name"]) == ["Reddit", "Snapchat"]
    at.switch_page(OPTIMIZE).run()
    assert not at.exception, at.exception
    assert not at.get("progress")
    assert set(_allocation_table(at)["Name"]) == {"Reddit", "Snapchat"}
    # and back to the sample
    at.switch_page("streamlit_app.py").run()
    at.button(key="use_sample").click().run()
    assert "creator_campaigns.xlsx" in _texts(at.subheader)


def test_model_page_without_creators_says_nothing_of_creators():
    at = _app()
    at.file_uploader[0].upload("my_paid_media.csv", _paid_media_csv(), "text/csv").run()
    at.switch_page("pages/2_Model.py").run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "ROAS at current spend" in d.value.columns)
    assert len(table) == 2 and "Pooling" not in table.columns and "Type" not in table.columns
    assert set(table["Fit"]) <= {"good", "fair", "weak", "poor: worse than a flat average"}
    assert not at.get("button_group")  # no "All / Paid media / Creators" switch
    assert not at.tabs  # one chart of the networks, no Creators tab
    text = _page_text(at)
    assert "creator" not in text.lower() and "Fit (R\u00b2): the share of the ups and downs" in text


def test_the_sample_finance_plan_and_pacing_files_are_not_valued_against_the_users_data():
    """The samples name the sample's networks and creators: on the user's data they are said to, not valued at $0."""
    at = _app()
    at.file_uploader[0].upload("my_paid_media.csv", _paid_media_csv(), "text/csv").run()
    at.switch_page("pages/5_Finance_plan.py").run()
    assert not at.exception, at.exception
    assert _texts(at.info) == ["The sample finance plan names the sample's networks and creators, not those of "
                               "my_paid_media.csv: upload finance's plan for this data to value it next to the best "
                               "split of the same money."]
    assert not at.warning and not at.metric  # no "66 names in the plan match no entity", no plan valued at $0
    plan = b"Network,Spend\nSnapchat,30000\nReddit,10000\n"
    at.file_uploader[0].upload("finance_plan.csv", plan, "text/csv").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Plan's spend"] == "$40,000" and metrics["Plan's expected revenue"] != "$0"
    at.switch_page("pages/9_Pacing.py").run()
    assert not at.exception, at.exception
    assert _texts(at.info) == ["The sample plan and spend to date name the sample's networks and creators, not those "
                               "of my_paid_media.csv: upload your plan and your spend to date above to pace them "
                               "against its curves."]
    assert not at.warning and not at.metric


def test_a_broken_file_shows_the_validation_report():
    bad = b"Date,Network,Spend,Revenue\n2024-01-01,TikTok,abc,5000\n2024-01-08,TikTok,2000,xyz\nnot a date,TikTok,1,1\n"
    at = _app()
    at.file_uploader[0].upload("broken.csv", bad, "text/csv").run()
    assert not at.exception, at.exception
    assert any("Nothing in broken.csv could be used" in e for e in _texts(at.error))
    report = next(d.value for d in at.dataframe if "Message" in d.value.columns)
    assert list(report.columns) == ["Message", "Severity", "Sheet", "Row", "Column", "Value"]
    assert list(report["Row"]) == [2, 3, 4]
    assert report.loc[0, "Column"] == "Spend" and report.loc[0, "Value"] == "abc"
    # the other pages say why there is nothing to plan, without a traceback
    at.switch_page(OPTIMIZE).run()
    assert not at.exception, at.exception
    assert _texts(at.error)


def test_an_unreadable_file_is_one_sentence():
    at = _app()
    at.file_uploader[0].upload("empty.csv", b"", "text/csv").run()
    assert not at.exception, at.exception
    assert _texts(at.error) == ['The file "empty.csv" is empty.']


# ----------------------------------------------------------------------------- finance plan and export


def test_finance_plan_is_compared_with_the_optimum():
    at = _app()
    at.switch_page("pages/5_Finance_plan.py").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Plan's spend"] == "$250,000"
    assert metrics["Best split of the same money"].startswith("$")
    rows = next(d.value for d in at.dataframe if "Plan name" in d.value.columns)
    assert len(rows) == 66
    assert rows["Planned spend"].sum() == pytest.approx(250_000, abs=0.01)
    assert any(w.startswith("Optimal for these curves only: the data barely support 4 of them.")
               for w in _texts(at.warning))  # as on the Optimize page
    assert any("extrapolation" in w for w in _texts(at.warning))


def test_finance_plan_upload_of_a_bad_file_is_a_sentence():
    at = _app()
    at.switch_page("pages/5_Finance_plan.py").run()
    at.file_uploader[0].upload("plan.csv", b"foo,bar\n1,2\n", "text/csv").run()
    assert not at.exception, at.exception
    assert _texts(at.error) and "plan.csv" in _texts(at.error)[0]


def test_export_offers_the_workbook_and_csvs():
    at = _app()
    at.switch_page("pages/6_Export.py").run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Download the plan (Excel)", "Allocation (CSV)",
                                                "Response curve table (CSV)", "One-page report (PDF)",
                                                "One-page report (HTML)"]
    # AppTest carries no bytes (TESTING.md); the media URLs say what kind of file each one serves
    assert [Path(b.proto.url).suffix for b in buttons[1:3]] == [".csv", ".csv"]
    # the workbook and the reports are built when pressed (thousands of creators' formulas take seconds to write;
    # the browser test downloads the workbook and checks its numbers)
    assert [bool(b.proto.deferred_file_id) for b in buttons] == [True, False, False, True, True]
    assert "One page to hand over: The plan spends" in " ".join(m.value for m in at.markdown)


def _chart_data(chart) -> list[pd.DataFrame]:
    """The data sets Streamlit sent with a chart (it moves inline data out of the spec)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    return [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]


TRADEOFFS = "pages/4_Tradeoffs.py"


def _frontier_data(at: AppTest) -> dict[str, pd.DataFrame]:
    """The frontier chart's data sets by name (the curve, the marked budgets, the next step)."""
    charts = [c for c in at.get("vega_lite_chart") if "Best expected revenue for each total budget" in c.proto.spec]
    assert len(charts) == 1
    return {d.name: df for d, df in zip(charts[0].proto.datasets, _chart_data(charts[0]), strict=False)}


def test_tradeoffs_frontier_marks_the_budgets_and_the_next_step():
    at = _app()
    at.switch_page(TRADEOFFS).run()
    assert not at.exception, at.exception
    # the figures rest on curves the data barely support in part: said here too, as on the Optimize page
    assert [shown(w.value).split(". ")[0] for w in at.warning if "barely support" in w.value] == [
        "Optimal for these curves only: the data barely support 4 of them"]
    options = at.select_slider(key="budget_slider").options
    # round steps of $10,000 from half to one and a half times today's spend, and today's spend itself
    assert len(options) == 35
    assert {"$170,000", "$180,000", "$339,453 (today's spend)", "$500,000"} <= set(options)
    data = _frontier_data(at)
    curve = next(d for d in data.values() if "budget" in d.columns and len(d) == 35)
    assert curve["response"].is_monotonic_increasing
    marks = data["frontier-budgets"]
    assert set(marks["kind"]) == {"Current budget", "Chosen budget"}
    step = data["frontier-next-step"]
    assert step["budget"].tolist() == [339_453, 349_453]
    gain = step["response"].iloc[1] - step["response"].iloc[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Next $10,000 buys"] == signed_money(gain)
    assert any(t.startswith("The next $10,000 would buy about +$") for t in _texts(at.markdown))
    assert any("Break-even budget" in c for c in _texts(at.caption))


def test_the_budget_slider_replans_without_refitting():
    at = _app()
    at.switch_page(TRADEOFFS).run()
    fitted = at.session_state["planner_settings"]
    at.select_slider(key="budget_slider").set_value(200_000.0).run()
    assert not at.exception, at.exception
    assert at.session_state["planner_settings"]["budget"] == 200_000
    assert at.session_state["planner_settings"] is fitted or at.session_state["planner_settings"]["budget"]
    # the exact amount, the sidebar and the metrics follow the slider
    assert at.number_input(key="budget_input").value == 200_000
    assert "$200,000 per quarter" in " ".join(_texts(at.sidebar.caption))
    data = _frontier_data(at)
    chosen = data["frontier-budgets"].set_index("kind").loc["Chosen budget"]
    assert chosen["budget"] == 200_000
    assert {m.label: m.value for m in at.metric}["Expected revenue"] == money(chosen["response"])
    # the same plan as the Optimize page's at that budget, to the cent
    at.switch_page(OPTIMIZE).run()
    assert at.number_input(key="budget_input").value == 200_000
    rounded = _allocation_table(at)["Optimal spend"]  # each row rounded to the dollar
    assert rounded.sum() == pytest.approx(200_000, abs=0.5 * (rounded > 0).sum())
    assert {m.label: m.value for m in at.metric}["Expected revenue"] == money(chosen["response"])


@pytest.mark.parametrize("tab,charts", [("Where returns flatten", 2), ("Creators", 2), ("Revenue and engagement", 2)])
def test_tradeoffs_tabs(tab, charts):
    at = _app()
    at.switch_page(TRADEOFFS).run()
    at.session_state["tradeoffs_view"] = tab  # the tabs draw only the open one
    at.run()
    assert not at.exception, at.exception
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) == charts
    text = _page_text(at)
    if tab == "Where returns flatten":
        assert "Expected revenue per network" in specs[0] and "Return on the next $1 per network" in specs[1]
    elif tab == "Creators":
        assert '"network_pick"' in specs[0]  # the click selection on the networks' bars
        assert "60 creators on every network" in text
        table = next(d.value for d in at.dataframe if "Optimal spend" in d.value.columns)
        assert len(table) == 60 and table["Name"].str.contains("/").all()
    else:
        assert "Best plans of the budget: expected revenue against engagements" in specs[0]
        assert "revenue against engagement" in specs[1] and "Pareto front" in specs[1]
        assert "creators are on the front" in text
        front = next(d.value for d in at.dataframe if "Engagements per $1,000" in d.value.columns)
        assert len(front) >= 2 and front["Revenue per $1"].is_monotonic_increasing is not None


# ----------------------------------------------------------------------------- states


def _broken_upload(at: AppTest, kind: str) -> None:
    if kind == "no data":
        at.file_uploader[0].upload("empty.csv", b"", "text/csv").run()
    else:
        bad = b"Date,Network,Spend,Revenue\n2024-01-01,TikTok,abc,5000\n2024-01-08,TikTok,2000,xyz\n"
        at.file_uploader[0].upload("broken.csv", bad, "text/csv").run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("kind", ["no data", "data with errors"])
@pytest.mark.parametrize("page", PAGES, ids=[Path(p).stem for p in PAGES])
def test_every_page_says_why_there_is_nothing_to_plan(kind, page):
    at = _app()
    _broken_upload(at, kind)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    errors = _texts(at.error)
    assert errors and "Traceback" not in errors[0]
    assert "No data could be imported; see the Data page." in errors[0]


@pytest.mark.parametrize("page", [OPTIMIZE, TRADEOFFS, "pages/6_Export.py"], ids=["Optimize", "Tradeoffs", "Export"])
def test_a_plan_that_cannot_be_met_is_a_sentence_on_every_page(page):
    at = _app()
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="budget_input").set_value(100_000).run()
    # row 0 is a creator whose roster caps its spend, so its cap is raised with the minimum
    at.session_state["bounds_editor"] = {"edited_rows": {0: {"Min spend": 150_000.0, "Max spend": 200_000.0}},
                                         "added_rows": [], "deleted_rows": []}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    errors = _texts(at.error)
    assert errors, "no sentence for a plan that cannot be met"
    assert "budget is $100,000" in " ".join(errors)
    assert "Traceback" not in " ".join(errors)


def _network_bound(at: AppTest, column: str, value: float) -> None:
    """Type ``value`` into the first row's ``column`` of the Optimize page's network bounds editor."""
    at.session_state["network_bounds_editor"] = {"edited_rows": {0: {column: value}},
                                                 "added_rows": [], "deleted_rows": []}
    at.run()


def test_budgets_a_network_minimum_rules_out_are_left_off_the_frontier_and_said_so():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    _network_bound(at, "Min spend", 250_000.0)
    assert not at.exception, at.exception
    at.switch_page(TRADEOFFS).run()
    assert not at.exception, at.exception
    assert not at.error, _texts(at.error)  # today's budget can still be met
    notes = [c for c in _texts(at.caption) if c.startswith("No plan meets the bounds at")]
    assert len(notes) == 1 and "budgets from $170,000 to $240,000" in notes[0]
    curve = next(d for d in _frontier_data(at).values() if "budget" in d.columns and "marginal_return" in d.columns)
    assert curve["budget"].min() >= 250_000
