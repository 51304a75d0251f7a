"""Fixtures of the chart tests: a curve table, an allocation, a frontier, a decomposition and engagement tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from tests.report.chart_specs import NETWORKS


@pytest.fixture
def curves() -> pd.DataFrame:
    """A curve table (contract 1) with every form, models' extra columns and creators."""
    return pd.DataFrame(
        {
            "name": NETWORKS + ["TikTok/@lena.bakes", "TikTok/@max.fit", "Instagram/@sara.cooks"],
            "network": NETWORKS + ["TikTok", "TikTok", "Instagram"],
            "curve": ["hill", "logistic", "log", "hill", "log", "linear", "hill", "linear", "hill"],
            "beta": [400_000.0, 250_000.0, 60_000.0, 90_000.0, 120_000.0, 1.2, 30_000.0, 2.5, 12_000.0],
            "k": [60_000.0, 40_000.0, 20_000.0, 30_000.0, 50_000.0, np.nan, 4_000.0, np.nan, 2_000.0],
            "s": [2.0, np.nan, np.nan, 0.7, np.nan, np.nan, 1.5, np.nan, 1.0],
            "min_spend": 0.0,
            "max_spend": [np.inf] * 5 + [40_000.0, np.inf, 6_000.0, np.inf],
            "unit_cost": [np.nan] * 6 + [1_500.0, np.nan, 500.0],
            "current_spend": [50_000.0, 30_000.0, 20_000.0, 10_000.0, 40_000.0, 5_000.0, 3_000.0, 1_000.0, 0.0],
            "observed_min": [20_000.0, 10_000.0, 5_000.0, np.nan, 15_000.0, 1_000.0, 1_500.0, 500.0, np.nan],
            "observed_max": [80_000.0, 50_000.0, 30_000.0, np.nan, 60_000.0, 10_000.0, 4_500.0, 3_000.0, np.nan],
            "beta_p10": [340_000.0, 200_000.0, 50_000.0, 70_000.0, 100_000.0, 1.0, 24_000.0, 2.0, np.nan],
            "beta_p90": [460_000.0, 300_000.0, 70_000.0, 110_000.0, 140_000.0, 1.4, 36_000.0, 3.0, np.nan],
        }
    )


@pytest.fixture
def allocation(curves) -> pd.DataFrame:
    """An Allocation.table (docs/architecture.md columns) consistent with ``curves``."""
    spend = np.array([95_000.0, 45_000.0, 15_000.0, 0.0, 38_000.0, 40_000.0, 4_500.0, 0.0, 2_500.0])
    current = curves["current_spend"].to_numpy()
    resp = response(curves, spend)
    cur_resp = response(curves, current)
    with np.errstate(divide="ignore", invalid="ignore"):
        roas_ = np.where(spend > 0, resp / spend, np.nan)
    return pd.DataFrame(
        {
            "name": curves["name"],
            "network": curves["network"],
            "spend": spend,
            "response": resp,
            "roas": roas_,
            "marginal_return": [1.9, 2.1, 2.0, 0.0, 2.0, 1.2, 3.0, 2.5, 2.0],
            "current_spend": current,
            "current_response": cur_resp,
            "change": spend - current,
            "min_spend": 0.0,
            "max_spend": curves["max_spend"],
            "unit_cost": curves["unit_cost"],
            "units": [np.nan] * 6 + [3.0, np.nan, 5.0],
            "binding": ["", "", "", "", "", "max", "", "", ""],
            "extrapolated": spend > curves["observed_max"].fillna(np.inf),
            "observed_max": curves["observed_max"],
        }
    )


@pytest.fixture
def frontier_df() -> pd.DataFrame:
    budgets = np.linspace(0, 400_000, 9)
    resp = 900_000 * (1 - np.exp(-budgets / 150_000))
    return pd.DataFrame(
        {
            "budget": budgets,
            "response": resp,
            "response_p10": resp * 0.85,
            "response_p90": resp * 1.15,
            "marginal_return": 6 * np.exp(-budgets / 150_000),
        }
    )


@pytest.fixture
def decomp_df() -> pd.DataFrame:
    dates = pd.date_range("2024-01-01", periods=12, freq="W-MON")
    t = np.arange(12, dtype=float)
    df = pd.DataFrame(
        {"date": dates, "baseline": 50_000.0 + 500 * t, "Instagram": 8_000 + 100 * t, "TikTok": 6_000 - 50 * t,
         "Snapchat": 1_000.0}
    )
    df["fitted"] = df[["baseline", "Instagram", "TikTok", "Snapchat"]].sum(axis=1)
    df["actual"] = df["fitted"] * (1 + 0.03 * np.sin(t))
    return df


@pytest.fixture
def engagement() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["TikTok/@a", "TikTok/@b", "Instagram/@c", "Instagram/@d", "X/@e"],
        "network": ["TikTok", "TikTok", "Instagram", "Instagram", "X"],
        "in_plan": [True, False, True, False, False],
        "planned_spend": [3_000.0, 0.0, 1_500.0, 0.0, 0.0],
        "measured_at": "today's spend ($1,000)",
        "revenue_per_dollar": [5.0, 6.0, 9.0, 4.0, 2.0],
        "engagements_per_1000": [80_000.0, 60_000.0, 3_000.0, 2_000.0, 1_000.0],
        "engagements": [1e5, 2e5, 3e3, 4e3, 5e2],
        "campaigns": [3, 4, 5, 6, 1],
    })


@pytest.fixture
def engagement_front_table() -> pd.DataFrame:
    """planner.analysis.pareto.pareto_front(...).table: revenue falls and engagements rise with the weight."""
    w = np.array([0.0, 0.01, 0.05, 0.2, 1.0])
    rev = np.array([1_600_000.0, 1_599_500.0, 1_596_000.0, 1_580_000.0, 1_540_000.0])
    eng = np.array([970_000.0, 1_010_000.0, 1_060_000.0, 1_100_000.0, 1_130_000.0])
    lost, gained = rev[0] - rev, eng - eng[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(w > 0, lost / gained, np.nan)
    return pd.DataFrame({"weight": w, "revenue": rev, "engagements": eng, "spend": 250_000.0,
                         "revenue_lost": lost, "revenue_lost_pct": lost / rev[0], "engagements_gained": gained,
                         "engagements_gained_pct": gained / eng[0], "revenue_per_engagement": per})
