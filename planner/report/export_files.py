"""What the Export page hands over beside the workbook: the Summary's facts and the curve table as CSV."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.base.safe_text import to_csv_bytes
from planner.curves.season import QUARTER
from planner.report.model_tables import model_text
from planner.report.quarter_text import quarter_label

__all__ = ["export_meta", "curves_csv", "period_text"]


def export_meta(files: Sequence[tuple[str, str]], curves: pd.DataFrame, custom_bounds: bool = False,
                generated=None, controls: str = "") -> dict:
    """Return the facts for the workbook's Summary (planner.report.workbook.allocation_workbook ``meta``).

    ``files`` is (file name, one-sentence description) per data source.

    Parameters
    ----------
    files : sequence of (str, str)
        File name and description per data source; an empty description shows the name alone.
    curves : DataFrame
        The curve table the plan was made from, for the model's one-line description.
    custom_bounds : bool, default False
        Whether bounds were set in the app.
    generated : optional
        When the workbook was made (e.g. a datetime); left out of the dict when None.
    controls : str, default ""
        What the plan set of the creators' campaign controls (planner.report.controls_text), "" for none.

    Returns
    -------
    dict of str
        ``data_source``, ``model``, ``period`` (:func:`period_text`), ``bounds`` and, when given,
        ``generated``.
    """
    meta = {
        "data_source": "; ".join(f"{n} ({d})" if d else n for n, d in files),
        "model": model_text(curves),
        "period": period_text(curves),
        "bounds": "set in the app (see the Curves sheet: min_spend, max_spend)" if custom_bounds
        else "none beyond the curve table's",
    }
    if controls:
        meta["campaign_controls"] = controls
    if generated is not None:
        meta["generated"] = generated
    return meta


def period_text(curves: pd.DataFrame) -> str:
    """Return the period a one-quarter plan is for: ``"one quarter (13 weeks)"``, or the calendar quarter chosen.

    A curve table made for a calendar quarter (planner.curves.season.for_quarter) says it in its ``quarter``
    column: ``"Q4 (October to December), 13 weeks: each curve at its yearly wave's mean over the quarter"``.
    """
    q = curves[QUARTER].dropna().astype(str).unique() if QUARTER in curves else ()
    if len(q) == 1:
        return f"{quarter_label(q[0])}, 13 weeks: each curve at its yearly wave's mean over the quarter"
    return "one quarter (13 weeks)"


def curves_csv(curves: pd.DataFrame) -> bytes:
    """Return the curve table as CSV bytes (no limit written as an empty cell; text kept as text).

    Parameters
    ----------
    curves : DataFrame
        The curve table; it is not modified. Infinite ``min_spend`` / ``max_spend`` become empty cells.

    Returns
    -------
    bytes
        UTF-8 CSV with a header and no index, formula-like text prefixed with ``'``.
    """
    out = curves.copy()
    for c in ("min_spend", "max_spend"):
        if c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce").replace([np.inf, -np.inf], np.nan)
    return to_csv_bytes(out)
