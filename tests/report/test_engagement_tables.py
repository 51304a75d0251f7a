"""planner.report.engagement_tables: creators' revenue against their engagement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.analysis.pareto import undominated
from planner.curves.forms import response
from planner.optimize import optimize
from planner.report.engagement_tables import creator_engagement, engagement_reading, engagement_table, engagement_view
from tests.report.view_cases import CURVES, Campaigns


def test_creator_engagement_sums_campaigns_with_engagements():
    e = creator_engagement([Campaigns()]).set_index("name")
    assert list(e.index) == ["TikTok/@lena.bakes", "X/@amir"]  # paid media and rows without engagements left out
    assert e.loc["TikTok/@lena.bakes", "engagements"] == 120_000
    assert e.loc["TikTok/@lena.bakes", "engagements_per_dollar"] == pytest.approx(30.0)
    assert e.loc["TikTok/@lena.bakes", "campaigns"] == 2
    assert creator_engagement([]).empty


def test_engagement_table_and_reading():
    a = optimize(CURVES, 50_000)
    table = engagement_table(a, CURVES, creator_engagement([Campaigns()]))
    t = table.set_index("name")
    assert set(t.index) == {"TikTok/@lena.bakes", "X/@amir"}
    lena = CURVES.set_index("name").loc["TikTok/@lena.bakes"]
    assert t.loc["TikTok/@lena.bakes", "revenue_per_dollar"] == pytest.approx(
        response(CURVES[CURVES["name"] == "TikTok/@lena.bakes"], np.array([lena["current_spend"]]))[0]
        / lena["current_spend"])
    assert t.loc["TikTok/@lena.bakes", "engagements_per_1000"] == pytest.approx(30_000)
    assert t.loc["TikTok/@lena.bakes", "measured_at"] == "today's spend ($2,000)"
    assert t["on_front"].tolist() == undominated(t["engagements_per_1000"], t["revenue_per_dollar"]).tolist()
    assert t.loc["TikTok/@lena.bakes", "in_plan"] == (a.table.set_index("name").loc["TikTok/@lena.bakes", "spend"] > 0)
    text = engagement_reading(table)
    assert f"{int(t['on_front'].sum())} of 2 creators are on the front" in text
    shown = engagement_view(table)
    assert list(shown.columns) == ["Name", "Network", "In the plan", "Planned spend", "Revenue per $1",
                                   "Engagements per $1,000", "Engagements", "Campaigns", "Revenue measured at"]
    assert engagement_table(a, CURVES, creator_engagement([])).empty
    assert "no engagements" in engagement_reading(engagement_table(a, CURVES, pd.DataFrame()))
