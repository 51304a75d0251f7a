"""Work the sessions can share is done once: the bars of a plan every session shows are made once per plan."""

from __future__ import annotations

import pandas as pd

from planner.base.currency import for_code, using
from ui import widgets


def _table(spend: float) -> pd.DataFrame:
    return pd.DataFrame({"name": ["Instagram", "TikTok/@a"], "network": ["Instagram", "TikTok"],
                         "spend": [spend, 500.0], "response": [3 * spend, 900.0],
                         "current_spend": [800.0, 400.0], "current_response": [2500.0, 800.0]})


def test_a_plans_bars_are_made_once_per_plan_table_and_currency():
    table = _table(1000.0)
    first = widgets._bar_data(table, "network", 15)
    assert widgets._bar_data(table, "network", 15) is first  # another session showing the same plan
    other = widgets._bar_data(_table(1200.0), "network", 15)
    assert other is not first and other[0] != first[0]
    with using(for_code("EUR")):
        euros = widgets._bar_data(table, "network", 15)
    assert euros is not first
    assert "€" in str(euros[0]) and "€" not in str(first[0])
