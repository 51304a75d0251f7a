"""planner.report.data_tables: what an imported file holds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.report.data_tables import followers


def test_followers_from_creator_rows():
    class DS:
        rows = pd.DataFrame({
            "date": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-01-01"]),
            "network": ["TikTok", "TikTok", "X"], "entity": ["@lena.bakes", "@lena.bakes", ""],
            "followers": [1_000, 1_500, np.nan],
        })

    f = followers([DS()])
    assert f.to_dict() == {"TikTok/@lena.bakes": 1_500.0}
