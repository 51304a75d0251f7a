"""The Plan over time page, driven as a user would with Streamlit's AppTest, on the sample data."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.flighting import next_months
from tests.app.open_page import ok, open_page
from tests.base.markdown_shown import shown
from ui.state import AppState

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/8_Plan_over_time.py"
TIMEOUT = 240
MONEY = r"\$\d{1,3}(,\d{3})*"
TITLES = ("Spend per {p}, by network", "Expected revenue per {p}", "This plan against an even plan: spend per {p}")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _text(at: AppTest) -> str:
    return "\n".join(shown(str(e.value)) for e in [*at.markdown, *at.info, *at.caption])


def _table(at: AppTest):
    return next(d.value for d in at.dataframe if {"Name", "Network", "Total"} <= set(d.value.columns))


def _titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]


def test_the_page_opens_on_the_sample_with_its_headline_charts_and_table():
    at = open_page(PAGE, TIMEOUT)
    assert at.title[0].value == "Plan over time"
    m = _metrics(at)
    assert re.fullmatch(MONEY, m["Expected revenue"])
    assert re.fullmatch(rf"\+{MONEY}|\$0", m["Over an even plan"])
    assert re.fullmatch(MONEY, m["Spend"]) and re.fullmatch(r"\d+\.\d+%", m["Proven within"])
    text = _text(at)
    assert re.search(rf"Spending {MONEY} from \d{{4}}-\d\d-\d\d to \d{{4}}-\d\d-\d\d \(3 months\) is expected to bring "
                     rf"{MONEY} of revenue in that time \(80% interval: {MONEY} to {MONEY}, median {MONEY}, mean "
                     rf"{MONEY}\)\. The mean allows {MONEY} for the optimizer's curse", text)
    assert re.search(r"over an even plan \(same budget, same model\)|An even plan \(same budget, same model\) earns "
                     "as much", text)
    assert re.search(rf"No plan of this budget can earn more than {MONEY}: this one is proven within ", text)
    # as on the Optimize page: the plan is the best for the sample's curves, four of which its data barely support
    warned = [shown(w.value) for w in at.warning if "barely support" in w.value]
    assert len(warned) == 1 and warned[0].startswith("Optimal for these curves only: the data barely support 4 of "
                                                     "them. Pinterest, TikTok, X and YouTube: an effect the weekly")
    assert "A lift test of Pinterest, TikTok, X and YouTube" in warned[0]
    note = shown(at.info[0].value)  # the sample's model carries each network's effect into later weeks
    assert re.match(r"\w[\w ]* \(\d+%\), .* carry part of a week's effect into the next week", note)
    assert "spend is flighted" in note and "creators' bookings are spread over the periods" in note
    assert _titles(at) == [t.format(p="month") for t in TITLES]
    # the chart against an even plan says the gain as the metric above it does, in whole dollars
    subtitles = [json.loads(c.proto.spec)["title"].get("subtitle", []) for c in at.get("vega_lite_chart")]
    gains = [line for lines in subtitles for line in lines if "over the even plan" in line or "earn" in line]
    assert gains and not any(re.search(r"\$[\d,]+\.\d\d", line) for line in gains), gains
    table = _table(at)
    horizon = next_months(date.today(), 3, "month")
    assert list(table.columns) == ["Name", "Network", *horizon.periods()["label"], "Total"]
    assert table["Name"].iloc[-1] == "Total" and len(table) == 66 + 1
    assert (table.iloc[:, 2:] == table.iloc[:, 2:].round()).all().all()  # whole money, as the sentences write it
    # the budget: today's quarterly spend scaled to the horizon, spent up to it
    budget = at.number_input(key="flight_budget").value
    assert budget == pytest.approx(round(339_453 * horizon.weeks / 13))
    assert table["Total"].iloc[-1] == pytest.approx(budget, abs=1)
    assert at.get("download_button")


def test_weeks_give_a_column_per_week():
    at = open_page(PAGE, TIMEOUT)
    months = _table(at).shape[1]
    at.radio(key="flight_period").set_value("week").run()
    ok(at)
    weeks = len(next_months(date.today(), 3, "week").starts())
    assert _table(at).shape[1] == weeks + 3 > months
    assert _titles(at) == [t.format(p="week") for t in TITLES]
    assert "Week starting" in at.get("vega_lite_chart")[0].proto.spec


def test_a_new_budget_redraws_the_plan():
    at = open_page(PAGE, TIMEOUT)
    before = _metrics(at)
    at.number_input(key="flight_budget").set_value(200_000).run()
    ok(at)
    after = _metrics(at)
    assert after["Spend"] == "$200,000"
    assert after["Expected revenue"] != before["Expected revenue"]
    assert _table(at)["Total"].iloc[-1] == pytest.approx(200_000, abs=1)
    assert "Budget: $200,000 over " in _text(at)
    # a longer horizon starts again from today's spend scaled to it; back to the quarter, the typed budget
    at.radio(key="flight_horizon").set_value("year").run()
    ok(at)
    year = next_months(date.today(), 12, "month")
    assert at.number_input(key="flight_budget").value == pytest.approx(round(339_453 * year.weeks / 13))
    assert len(_table(at).columns) == 12 + 3
    at.radio(key="flight_horizon").set_value("quarter").run()
    assert at.number_input(key="flight_budget").value == 200_000


def test_dates_of_ones_own_and_dates_in_the_wrong_order():
    at = open_page(PAGE, TIMEOUT)
    at.radio(key="flight_horizon").set_value("dates").run()
    at.date_input(key="flight_start").set_value(date(2027, 1, 1)).run()
    at.date_input(key="flight_end").set_value(date(2027, 12, 31)).run()
    ok(at)
    assert list(_table(at).columns)[2:5] == ["Jan 2027", "Feb 2027", "Mar 2027"] and _table(at).shape[1] == 15
    at.date_input(key="flight_end").set_value(date(2026, 12, 31)).run()
    assert not at.exception, at.exception
    assert [shown(e.value) for e in at.error] == ["The horizon ends (2026-12-31) before it starts (2027-01-01)."]
    assert not at.metric


def test_counting_what_is_earned_after_the_horizon():
    at = open_page(PAGE, TIMEOUT)
    at.checkbox(key="flight_after").check().run()
    ok(at)
    m = _metrics(at)
    assert re.fullmatch(MONEY, m["Earned after the horizon"])
    assert "(after the horizon included)" in _text(at)


def test_choices_survive_a_page_switch():
    at = open_page(PAGE, TIMEOUT)
    at.radio(key="flight_period").set_value("week").run()
    at.number_input(key="flight_budget").set_value(250_000).run()
    at.switch_page("pages/3_Optimize.py").run()
    at.switch_page(PAGE).run()
    ok(at)
    assert at.radio(key="flight_period").value == "week"
    assert at.number_input(key="flight_budget").value == 250_000
    assert _metrics(at)["Spend"] == "$250,000"


def test_with_carry_over_the_plan_is_flighted_and_beats_the_even_plan(monkeypatch):
    """Curves whose paid media carries over (a ``decay`` column, as the marketing-mix model writes it)."""
    decays = {"Facebook": 0.6, "Instagram": 0.5, "YouTube": 0.4}
    fitted = AppState.timed_curves.fget

    def with_decay(self):
        curves = fitted(self)
        return None if curves is None else curves.assign(decay=curves["name"].map(decays))

    monkeypatch.setattr(AppState, "timed_curves", property(with_decay))
    at = open_page(PAGE, TIMEOUT)
    at.radio(key="flight_horizon").set_value("dates").run()
    at.date_input(key="flight_start").set_value(date(2026, 6, 1)).run()
    at.date_input(key="flight_end").set_value(date(2026, 8, 31)).run()
    at.radio(key="flight_period").set_value("week").run()
    ok(at)
    assert any(shown(w.value).startswith("This horizon ended on 2026-08-31: the plan is what the best plan would have been")
               for w in at.warning)  # dates in the past are said to be so
    assert re.fullmatch(rf"\+{MONEY}", _metrics(at)["Over an even plan"])
    assert re.search(rf"That is \+{MONEY} over an even plan \(same budget, same model\), which earns {MONEY}\.",
                     _text(at))
    note = shown(at.info[0].value)
    assert note.startswith("Facebook (60%), Instagram (50%) and YouTube (40%) carry part of a week's effect")
    revenue = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert "Carried over from earlier spend" in json.dumps(revenue)
    assert any("carried over from earlier spend" in s for s in revenue["title"]["subtitle"])


def test_limits_set_in_the_editor_are_kept_and_said():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.run()
    horizon = next_months(date.today(), 3, "month")
    second = horizon.periods()["label"].iloc[1]
    at.session_state["planner_ui"] = {**at.session_state["planner_ui"], "flight_limits_table": pd.DataFrame(
        {"Network": ["Instagram", "All networks"], "Period": [second, "Whole horizon"],
         "Min spend": [None, None], "Max spend": [5_000.0, 250_000.0]})}
    at.switch_page(PAGE).run()
    ok(at)
    text = _text(at)
    assert "The plan keeps 2 limits on the networks' paid media" in text
    table = _table(at).set_index("Name")
    assert table.loc["Instagram", second] <= 5_000
    paid = table.loc[[n for n in table.index if "/" not in n and n != "Total"]]
    assert paid.drop(columns=["Network", "Total"]).to_numpy().sum() <= 250_000 + len(paid) * 3


def test_a_shortest_flight_is_kept_in_the_table_and_said():
    from planner.flighting.runs import flights_ok
    at = open_page(PAGE, TIMEOUT)
    at.radio(key="flight_period").set_value("week").run()
    paid = lambda: _table(at).set_index("Name").pipe(  # noqa: E731
        lambda t: t.loc[[n for n in t.index if "/" not in n and n != "Total"]].drop(columns=["Network", "Total"]))
    # the shortest flight the plan runs, plus one week: the sample's (Pinterest's 9 weeks, 2026-12-07)
    on = paid().to_numpy() > 0
    weeks = next(m for m in range(2, on.shape[1] + 1) if not flights_ok(on, m).all())
    assert weeks < on.shape[1]
    at.number_input(key="flight_min_flight").set_value(weeks).run()
    ok(at)
    assert f"runs in flights of at least {weeks} weeks, with pauses of at least {weeks} weeks between them" in _text(at)
    assert flights_ok(paid().to_numpy() > 0, weeks).all()
    at.radio(key="flight_period").set_value("month").run()  # 3 months: the shortest flight becomes the horizon
    ok(at)
    assert at.number_input(key="flight_min_flight").value == 3
    assert "runs in flights of at least 3 months" in _text(at)


def test_creators_available_part_of_the_horizon_are_booked_then_only(monkeypatch):
    """Curves whose creators carry the roster's dates (apply_roster writes them from 'Available from/until')."""
    horizon = next_months(date.today(), 3, "month")
    labels = list(horizon.periods()["label"])
    second = horizon.periods()["period"].iloc[1].date()
    fitted = AppState.timed_curves.fget
    picked = {}

    def with_dates(self):
        curves = fitted(self)
        if curves is None:
            return None
        creators = curves.loc[curves["name"].str.contains("/"), "name"].tolist()[:2]
        picked.update(late=creators[0], away=creators[1])
        return curves.assign(
            available_from=curves["name"].map({creators[0]: second.isoformat(), creators[1]: "2099-01-01"}).fillna(""),
            available_until="")

    monkeypatch.setattr(AppState, "timed_curves", property(with_dates))
    at = open_page(PAGE, TIMEOUT)
    ok(at)
    assert "By the roster's dates, 1 creator is available for part of the horizon" in _text(at)
    assert "1 is not available in it at all (not booked)" in _text(at)
    table = _table(at).set_index("Name")
    assert table.loc[picked["late"], labels[0]] == 0
    assert table.loc[picked["away"], "Total"] == 0


def test_expected_sales_with_the_weekly_models_baseline():
    at = open_page(PAGE, TIMEOUT)
    assert "Expected sales per month" in [s.value for s in at.subheader]
    frame = next(d.value for d in at.dataframe if "Expected sales" in d.value.columns).set_index("Period")
    assert (frame["Sales without paid media"] > 0).all()
    assert (frame["Expected sales"] - frame["Sales without paid media"]
            - frame["Paid media's revenue (this plan)"]).abs().max() <= 1  # whole money, rounded each
    assert re.search(rf"The weekly model expects {MONEY} of sales over the horizon without paid media", _text(at))
