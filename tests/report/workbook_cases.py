"""A small curve table of paid media and creators, and readers of a written workbook, for the workbook's tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.curves.table import validate_curves


def curve_table(names=None, networks=None) -> pd.DataFrame:
    """A small curve table: paid media and creators, with current spend, observed range, P10/P90."""
    rows = [
        ("Instagram", "Instagram", "hill", 60000.0, 20000.0, 1.6, 0.0, np.nan, np.nan, 25000.0, 30000.0),
        ("Instagram/@maya.bakes", "Instagram", "log", 9000.0, 1500.0, np.nan, 0.0, 12000.0, np.nan, 2000.0, 4000.0),
        ("TikTok", "TikTok", "logistic", 40000.0, 9000.0, np.nan, 1000.0, np.nan, np.nan, 8000.0, 12000.0),
        ("TikTok/@lena.bakes", "TikTok", "hill", 15000.0, 2500.0, 1.2, 0.0, 9000.0, 500.0, 1500.0, 1000.0),
        ("YouTube", "YouTube", "linear", 1.8, np.nan, np.nan, 0.0, 5000.0, np.nan, np.nan, 5000.0),
        ("Pinterest", "Pinterest", "log", 12000.0, 4000.0, np.nan, 0.0, np.nan, np.nan, 4000.0, 3000.0),
    ]
    df = pd.DataFrame(rows, columns=["name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend",
                                     "unit_cost", "current_spend", "observed_max"])
    df["beta_p10"] = df["beta"] * 0.8
    df["beta_p90"] = df["beta"] * 1.25
    if names is not None:
        df["name"] = names
    if networks is not None:
        df["network"] = networks
    return validate_curves(df)


def sheet_rows(ws) -> list[tuple]:
    """Every row of a worksheet as a tuple of values."""
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def blank(v) -> bool:
    """True for an empty cell (None or "")."""
    return v is None or v == ""
