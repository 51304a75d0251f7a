"""planner.report.plan_tables: the posts and campaigns a plan books per creator, in the tables and the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.optimize import optimize
from planner.report.plan_tables import allocation_view, bookings, campaigns_booked
from tests.report.view_cases import CURVES

WITH_CAMPAIGNS = CURVES.assign(campaigns=[np.nan, np.nan, 3.0, 2.0])


def test_the_plan_books_posts_in_the_creators_campaigns():
    a = optimize(WITH_CAMPAIGNS, 50_000)
    view = allocation_view(a, curves=WITH_CAMPAIGNS).set_index("Name")
    t = a.table.set_index("name")
    for name, c in (("TikTok/@lena.bakes", 3), ("X/@amir", 2)):
        posts = int(t.loc[name, "units"])
        assert view.loc[name, "Posts"] == posts
        assert view.loc[name, "Campaigns"] == (min(c, posts) if posts else 0)
    assert view.loc[["TikTok", "X"], "Campaigns"].isna().all()  # paid media runs no campaigns
    booked = bookings(a, WITH_CAMPAIGNS).set_index("Name")
    assert set(booked.index) == {n for n in ("TikTok/@lena.bakes", "X/@amir") if t.loc[n, "spend"] > 0}
    for name, r in booked.iterrows():
        assert r["Spend"] == t.loc[name, "spend"]
        assert r["Posts per campaign"] == r["Posts"] / r["Campaigns"]


def test_campaigns_never_outnumber_posts_and_are_none_without_spend():
    table = pd.DataFrame({"name": ["X/@a", "X/@b", "X/@c", "X/@d", "X"], "spend": [500.0, 100.0, 0.0, 300.0, 9.0],
                          "units": [5.0, 1.0, 0.0, np.nan, np.nan]})
    curves = pd.DataFrame({"name": ["X/@a", "X/@b", "X/@c", "X/@d", "X"], "campaigns": [3.0, 3.0, 2.0, 1.6, np.nan]})
    assert campaigns_booked(table, curves).tolist() == [3, 1, 0, 2, pd.NA]
    assert campaigns_booked(table, None).isna().all()


def test_without_campaigns_in_the_curve_table_the_column_is_left_out():
    a = optimize(CURVES, 50_000)
    assert "Campaigns" not in allocation_view(a, curves=CURVES).columns
    assert "Campaigns" not in allocation_view(a).columns
    assert bookings(a, CURVES)["Campaigns"].isna().all()
