"""Pacing: actual spend to date against a plan over time, and the rest re-planned."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from planner.analysis.actuals_file import read_actuals
from planner.analysis.pacing import carried_adstock, pace, status_of
from planner.base.errors import InputError
from planner.data.plan_files import PlanError
from planner.fit import saved
from planner.flighting import Horizon, plan_flighting
from planner.flighting.problem import build_problem

Q1 = Horizon(date(2027, 1, 1), date(2027, 3, 31), "month")


def _networks(decay=(0.6, 0.3, 0.0)) -> pd.DataFrame:
    """Three concave networks, two with carry-over and one without."""
    return pd.DataFrame({
        "name": ["TV", "Search", "Social"], "network": ["TV", "Search", "Social"], "curve": ["hill", "log", "hill"],
        "beta": [300_000.0, 80_000.0, 120_000.0], "k": [60_000.0, 15_000.0, 20_000.0], "s": [0.9, np.nan, 1.0],
        "current_spend": [30_000.0, 10_000.0, 12_000.0], "decay": list(decay),
    })


def _csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode()


def _daily(plan_table: pd.DataFrame, through: date, factor: dict | None = None) -> bytes:
    """Daily actuals that follow a monthly plan (times ``factor`` per name) up to ``through``."""
    rows = []
    for r in plan_table.itertuples():
        days = pd.date_range(r.period, pd.Timestamp(r.period) + pd.offsets.MonthEnd(0))
        for d in days[days <= pd.Timestamp(through)]:
            rows.append((d.date().isoformat(), r.name, r.spend / len(days) * (factor or {}).get(r.name, 1.0)))
    return _csv(pd.DataFrame(rows, columns=["Date", "Network", "Spend"]))


def test_daily_exports_and_period_sheets_read_as_spans_of_days():
    daily = read_actuals(_csv(pd.DataFrame({"Day": ["2027-01-03", "2027-01-04"], "Platform": ["Instagram", "TikTok"],
                                             "Amount spent (EUR)": ["1.200,50", "300"]})), "export.csv")
    assert daily.table["spend"].tolist() == [1200.5, 300.0]
    assert (daily.table["first"] == daily.table["last"]).all() and daily.last_day == date(2027, 1, 4)
    assert any("holds days" in n for n in daily.notes)
    windows = read_actuals(_csv(pd.DataFrame({"Reporting starts": ["2027-01-01"], "Reporting ends": ["2027-01-10"],
                                               "Network": ["X"], "Amount spent": [1000]})), "w.csv")
    assert windows.table["last"].iloc[0] == pd.Timestamp("2027-01-10")
    months = read_actuals(_csv(pd.DataFrame({"Month": ["2027-01-01", "2027-02-01"], "Network": ["X", "X"],
                                              "Spend": [10, 20]})), "m.csv")
    assert months.table["last"].tolist() == [pd.Timestamp("2027-01-31"), pd.Timestamp("2027-02-28")]
    wb = Workbook()
    ws = wb.active
    ws.append(["Network", "Jan 2027", "Feb 2027", "Total"])
    ws.append(["Instagram", 1000, 500, 1500])
    buf = io.BytesIO()
    wb.save(buf)
    wide = read_actuals(buf.getvalue(), "finance.xlsx")
    assert wide.total_spend == 1500.0 and wide.last_day == date(2027, 2, 28)


def test_the_meta_sample_export_reads_to_its_total():
    a = read_actuals("sample_data/meta_ads_export_eur.csv")
    raw = pd.read_csv("sample_data/meta_ads_export_eur.csv", sep=";", decimal=",", thousands=".")
    assert a.total_spend == pytest.approx(raw["Amount spent (EUR)"].sum(), abs=0.01)
    assert set(a.table["network"]) == set(raw["Platform"])


def test_unreadable_actuals_are_sentences_naming_row_and_column():
    with pytest.raises(PlanError, match=r"row 3, column 'Date' holds 'soon'"):
        read_actuals(_csv(pd.DataFrame({"Date": ["2027-01-01", "soon"], "Network": ["X", "X"], "Spend": [1, 2]})),
                     "a.csv")
    with pytest.raises(PlanError, match="no sheet has a network"):
        read_actuals(_csv(pd.DataFrame({"Date": ["2027-01-01"], "Revenue": [5]})), "b.csv")
    with pytest.raises(PlanError, match="ends .* before it starts"):
        read_actuals(_csv(pd.DataFrame({"Reporting starts": ["2027-01-05"], "Reporting ends": ["2027-01-01"],
                                        "Network": ["X"], "Spend": [1]})), "c.csv")


def test_status_is_within_ten_percent_of_the_plan_to_date():
    assert list(status_of([111, 109, 91, 89, 0], [100, 100, 100, 100, 0])) == \
        ["ahead", "on pace", "on pace", "behind", "on pace"]


def test_carried_adstock_is_the_plans_own_adstock_when_the_plan_was_followed():
    curves = _networks()
    plan = plan_flighting(curves, 300_000.0, Q1)
    prob = build_problem(curves, Q1)
    spend = plan.table.pivot(index="name", columns="period", values="spend").reindex(curves["name"]).to_numpy()
    z = prob.adstocks(spend)
    elapsed = np.array([31.0, 28.0, 0.0])
    got = carried_adstock(curves, np.where(elapsed > 0, spend, 0.0), elapsed)
    second = [z[(prob.ent == e) & (prob.per == 1)][0] for e in range(2)]
    assert got[:2] == pytest.approx(second, rel=1e-9) and got[2] == 0.0


def test_following_an_optimal_plan_keeps_it_optimal_and_on_pace():
    curves = _networks()
    plan = plan_flighting(curves, 300_000.0, Q1)
    actuals = read_actuals(_daily(plan.table, date(2027, 1, 31)), "actuals.csv")
    p = pace(curves, plan.table, Q1, actuals)
    assert p.as_of == date(2027, 1, 31) and p.status == "on pace"
    assert list(p.periods["status"]) == ["on pace", "to come", "to come"]
    assert p.spent == pytest.approx(float(plan.table.loc[plan.table["period"] == "2027-01-01", "spend"].sum()),
                                    abs=0.05)
    # the best rest of a best plan is its own rest (Bellman): same money, same value
    assert p.expected.total_response == pytest.approx(p.planned.total_response, rel=1e-6)
    assert p.periods["expected"].to_numpy() == pytest.approx(p.periods["planned"].to_numpy(), abs=2.0)
    assert p.periods["expected"].sum() <= p.budget + 0.005


def test_a_network_ahead_and_one_behind_are_named_and_the_rest_is_replanned():
    curves = _networks()
    plan = plan_flighting(curves, 300_000.0, Q1)
    actuals = read_actuals(_daily(plan.table, date(2027, 2, 14), {"TV": 1.3, "Search": 0.6}), "actuals.csv")
    p = pace(curves, plan.table, Q1, actuals)
    jan = p.rows[p.rows["period"] == pd.Timestamp("2027-01-01")].set_index("name")["status"]
    assert jan.to_dict() == {"TV": "ahead", "Search": "behind", "Social": "on pace"}
    assert p.rest is not None and p.rest.start == date(2027, 2, 15)
    assert p.periods["expected"].sum() == pytest.approx(p.budget, abs=0.05)  # the money left is all planned
    assert p.expected.total_spend == pytest.approx(p.budget, abs=0.05)
    # re-planning the rest never earns less than keeping the plan's pattern with the same money
    assert p.kept is not None and p.over_kept >= -1e-6 * p.kept.total_response
    assert p.remaining == pytest.approx(p.budget - p.spent, abs=0.01)


def test_overspending_and_unknown_names_are_said_and_counted():
    curves = _networks()
    plan = plan_flighting(curves, 90_000.0, Q1)
    rows = pd.DataFrame({"Date": ["2026-12-30", "2027-01-05", "2027-01-06"], "Network": ["TV", "TV", "Radio"],
                         "Spend": [5_000.0, 95_000.0, 2_000.0]})
    p = pace(curves, plan.table, Q1, read_actuals(_csv(rows), "a.csv"))
    assert p.spent == 97_000.0 and p.rest is None
    assert any("'Radio'" in w and "$2,000" in w for w in p.warnings)
    assert any("budget of $90,000 is spent" in w for w in p.warnings)
    assert any("$5,000 of the spend in a.csv is before the plan starts" in n for n in p.notes)


def test_creators_are_booked_on_top_of_what_they_were_paid_within_their_limits():
    curves = saved_sample()
    h = Horizon(date(2027, 1, 1), date(2027, 3, 31), "month")
    plan = plan_flighting(curves, 339_000.0, h)
    creators = plan.table[plan.table["name"].str.contains("/")]
    paid = creators[creators["period"] == pd.Timestamp("2027-01-01")]
    rows = pd.DataFrame({"Date": paid["period"].dt.date.astype(str), "Name": paid["name"], "Spend": paid["spend"]})
    p = pace(curves, plan.table, h, read_actuals(_csv(rows[rows["Spend"] > 0]), "creators.csv"),
             as_of=date(2027, 1, 31))
    total = p.rows.groupby("name")["expected"].sum()
    caps = curves.set_index("name")
    for name, fee in caps.loc[caps["unit_cost"].notna(), "unit_cost"].items():
        if name in total:
            assert total[name] <= caps.loc[name, "max_spend"] * h.weeks / 13 + fee + 0.01
            posts = p.rows.loc[(p.rows["name"] == name), "rest"] / fee
            assert np.allclose(posts, np.round(posts))
    assert p.expected.total_spend <= p.budget + 0.01


def test_pacing_before_the_plan_starts_is_refused():
    curves = _networks()
    plan = plan_flighting(curves, 90_000.0, Q1)
    rows = pd.DataFrame({"Date": ["2026-12-20"], "Network": ["TV"], "Spend": [1.0]})
    with pytest.raises(InputError, match="before the plan starts"):
        pace(curves, plan.table, Q1, read_actuals(_csv(rows), "a.csv"))


def saved_sample() -> pd.DataFrame:
    return pd.read_parquet(saved.SAMPLE_FIT)


def test_a_weekly_plan_paced_mid_week_keeps_its_weeks():
    curves = _networks()
    weeks = Horizon(date(2027, 1, 4), date(2027, 3, 28), "week")
    plan = plan_flighting(curves, 200_000.0, weeks)
    first = plan.table[plan.table["period"] < pd.Timestamp("2027-01-21")]
    rows = pd.DataFrame({"Date": first["period"].dt.date.astype(str), "Network": first["name"],
                         "Spend": first["spend"]})
    p = pace(curves, plan.table, weeks, read_actuals(_csv(rows), "weekly.csv"), as_of=date(2027, 1, 20))
    assert p.rest.start == date(2027, 1, 21) and p.rest.starts()[1] == date(2027, 1, 25)  # the plan's next week
    assert list(p.periods["period"]) == list(weeks.periods()["period"])
    assert p.periods.loc[2, "elapsed"] == 3 and p.periods.loc[2, "rest"] > 0
    assert p.periods["expected"].sum() == pytest.approx(200_000.0, abs=0.05)


def test_the_rest_keeps_a_shortest_flight():
    from planner.flighting.runs import flights_ok

    weeks = Horizon(date(2027, 1, 4), date(2027, 3, 28), "week")
    curves = pd.DataFrame({
        "name": ["TV", "Search"], "network": ["TV", "Search"], "curve": ["hill", "log"],
        "beta": [285_528.0, 40_000.0], "k": [41_907.0, 9_000.0], "s": [4.0, np.nan],
        "current_spend": [0.0, 5_000.0], "decay": [0.16, 0.3]})
    plan = plan_flighting(curves, 10_000.0, weeks)
    rows = [(d.date().isoformat(), "Search", 100.0) for d in pd.date_range("2027-01-04", "2027-01-31")]
    actuals = read_actuals(_csv(pd.DataFrame(rows, columns=["Date", "Network", "Spend"])), "actuals.csv")
    for k in (1, 3):
        p = pace(curves, plan.table, weeks, actuals, min_flight=k)
        rest = p.rows[p.rows["period"] >= pd.Timestamp("2027-02-01")]
        on = rest.pivot_table(index="name", columns="period", values="rest", aggfunc="sum").to_numpy() > 0
        if k == 1:
            free = on
        else:
            assert flights_ok(on, 3).all()
    assert not flights_ok(free, 3).all()  # without the rule the rest is not in such flights
