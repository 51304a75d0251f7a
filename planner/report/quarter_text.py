"""What a one-quarter plan for a calendar quarter assumed: the fitted yearly waves' mean over its days, in words.

The optimizer plans the average quarter unless a quarter is chosen (:func:`planner.curves.season.for_quarter`);
these sentences say which, and by how much the waves the fit found lift or lower each group of rows in it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.format import join_words, pct
from planner.base.names import is_creator
from planner.curves.season import QUARTERS, has_wave, peak, quarter_multipliers, quarter_name, season_terms

__all__ = ["quarter_label", "quarter_text", "average_quarter_text"]


def quarter_label(quarter: str | None) -> str:
    """Return ``"Q4 (October to December)"``, or ``"An average quarter"`` for None."""
    if quarter is None:
        return "An average quarter"
    q = quarter_name(quarter)
    first, last = QUARTERS[q]
    return f"{q} ({first} to {last})"


def _groups(curves: pd.DataFrame):
    """Yield ``(who, rows)`` for each group of rows: the paid media of one wave (by network), then the creators."""
    a, b = season_terms(curves)
    waves = (a != 0) | (b != 0)
    creator = is_creator(curves["name"].astype(str))
    names = curves["name"].astype(str).to_numpy()
    paid = waves & ~creator
    for _, idx in pd.Series(np.flatnonzero(paid)).groupby([a[paid], b[paid]], sort=False):
        rows = idx.to_numpy()
        yield join_words([n + "'s" for n in names[rows]]) + " paid media", rows
    if (waves & creator).any():  # the creators' campaigns share one wave (planner.fit.campaign_season)
        yield "creators' campaigns", np.flatnonzero(waves & creator)


def quarter_text(curves: pd.DataFrame, quarter: str | None) -> str:
    """Return what planning ``quarter`` assumed of ``curves`` (the table with its waves, before the quarter).

    Parameters
    ----------
    curves : DataFrame
        The curve table with its ``season_sin``/``season_cos``.
    quarter : str or None
        ``"Q1"``..``"Q4"``; None (the average quarter) says nothing.

    Returns
    -------
    str
        ``"Planned for Q4 (October to December), by the yearly waves the fit found: Instagram's paid media earn 8%
        more per dollar than in an average quarter; creators' campaigns 24% more."``; ``""`` for the average
        quarter or a table without a wave.
    """
    if quarter is None or not has_wave(curves):
        return ""
    m = quarter_multipliers(curves, quarter)
    said = [_clause(who, float(m[rows].min()) - 1.0, float(m[rows].max()) - 1.0, i == 0)
            for i, (who, rows) in enumerate(_groups(curves))]
    return f"Planned for {quarter_label(quarter)}, by the yearly waves the fit found: {'; '.join(said)}."


def _clause(who: str, lo: float, hi: float, first: bool) -> str:
    """Return one group's change against an average quarter (``lo``..``hi``: its rows' multipliers less 1)."""
    if round(hi - lo, 2) != 0:
        return f"{who} earn {pct(lo, 0, signed=True)} to {pct(hi, 0, signed=True)}" + \
            (" per dollar against an average quarter" if first else "")
    if round(hi, 2) == 0:
        return f"{who} earn as much" + (" per dollar as in an average quarter" if first else "")
    return f"{who} earn {pct(abs(hi), 0)} {'more' if hi > 0 else 'less'}" + \
        (" per dollar than in an average quarter" if first else "")


def average_quarter_text(curves: pd.DataFrame, remedy: str = "Choose the quarter to plan it.") -> str:
    """Return the note for a plan of the average quarter where the fit found a yearly wave ("" where it found none).

    ``remedy`` ends it: how to plan a calendar quarter where the note is read.

    Returns
    -------
    str
        ``"This plan is for an average quarter; the fit found a yearly wave: creators' campaigns earn up to 30%
        more around 14 November and as much less around 15 May. Choose the quarter to plan it."`` (with the default
        ``remedy``)
    """
    if not has_wave(curves):
        return ""
    a, b = season_terms(curves)
    parts = []
    for who, rows in _groups(curves):
        amp, top = peak(float(np.median(a[rows])), float(np.median(b[rows])))
        low = top + pd.Timedelta(days=182)
        parts.append(f"{who} earn up to {pct(amp, 0)} more around {top.day} {top:%B} and as much less around "
                     f"{low.day} {low:%B}")
    return (f"This plan is for an average quarter; the fit found a yearly wave: {'; '.join(parts)}. "
            f"{remedy}")
