"""Helpers of the roster tests (reading in tests/data, applying in tests/fit): a CSV's bytes and a curve table."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from planner.curves.table import validate_curves


def csv_bytes(rows: list[list]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode()


def roster_curves(rows: list[dict]) -> pd.DataFrame:
    base = {"s": np.nan, "min_spend": np.nan, "max_spend": np.nan, "unit_cost": np.nan, "current_spend": np.nan,
            "observed_min": np.nan, "observed_max": np.nan, "beta_p10": np.nan, "beta_p90": np.nan}
    return validate_curves(pd.DataFrame([{**base, **r} for r in rows]))
