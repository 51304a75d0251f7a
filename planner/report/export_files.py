"""What the Export page hands over beside the workbook: the Summary's facts and the curve table as CSV."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.base.safe_text import to_csv_bytes
from planner.report.model_tables import model_text

__all__ = ["export_meta", "curves_csv"]


def export_meta(files: Sequence[tuple[str, str]], curves: pd.DataFrame, custom_bounds: bool = False,
                generated=None) -> dict:
    """Return the facts for the workbook's Summary (planner.report.workbook.allocation_workbook ``meta``).

    ``files`` is (file name, one-sentence description) per data source.
    """
    meta = {
        "data_source": "; ".join(f"{n} ({d})" if d else n for n, d in files),
        "model": model_text(curves),
        "period": "one quarter (13 weeks)",
        "bounds": "set in the app (see the Curves sheet: min_spend, max_spend)" if custom_bounds
        else "none beyond the curve table's",
    }
    if generated is not None:
        meta["generated"] = generated
    return meta


def curves_csv(curves: pd.DataFrame) -> bytes:
    """Return the curve table as CSV bytes (no limit written as an empty cell; text kept as text)."""
    out = curves.copy()
    for c in ("min_spend", "max_spend"):
        if c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce").replace([np.inf, -np.inf], np.nan)
    return to_csv_bytes(out)
