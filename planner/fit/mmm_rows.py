"""The marketing mix's rows of the curve table: a hill curve per network of planner.fit.mmm.

Curves are converted to one planning period; ``pooling_note`` says in plain words how
far the weekly data determine a network's return rather than the pull toward the other
networks, and what the fit left out to keep within its time budget.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.curves.support import MOSTLY_PRIOR
from planner.fit.mmm import MMMResult
from planner.fit.table_rows import SOURCES, TABLE_COLUMNS, period_spend

__all__ = ["PRIOR_WEIGHT", "mmm_note", "mmm_curve_rows"]

PRIOR_WEIGHT = "prior_weight"  # the curve table's column: how much of a network's return the pull decides


def mmm_note(network: str, prior_weight: float) -> str:
    """Say in plain words how far the weekly data determine a network's return (see MMMResult.params).

    Parameters
    ----------
    network : str
        The network's name.
    prior_weight : float
        ``params.prior_weight`` of :class:`~planner.fit.mmm.MMMResult`, 0..1 (not finite:
        taken as 1).

    Returns
    -------
    str
        From a ``prior_weight`` of :data:`~planner.curves.support.MOSTLY_PRIOR` (0.5): the data hardly tell the
        effect apart from baseline sales, treat a plan's change as a test; from 0.2: the data tell it
        only roughly; below: read from the weekly data.  Each says the share pulled.
    """
    w = prior_weight if np.isfinite(prior_weight) else 1.0
    if w >= MOSTLY_PRIOR:
        return (f"The weekly data hardly tell {network}'s effect apart from baseline sales: its return per "
                f"dollar is {100 * w:.0f}% the other networks' level and only {100 * (1 - w):.0f}% its own "
                "data, and its range (P10 to P90) is wide. Treat a plan's change for it as a test.")
    if w >= 0.2:
        return (f"Pulled {100 * w:.0f}% toward the other networks' return per dollar: the weekly data tell "
                f"{network}'s effect only roughly.")
    return f"Read from the weekly data (pulled {100 * w:.0f}% toward the other networks' return per dollar)."


def mmm_curve_rows(result: MMMResult, period_weeks: float = 13) -> pd.DataFrame:
    """Return the curve-table rows of the networks of a marketing-mix model.

    Hill curves for one planning period of P weeks: ``beta * P/L``, ``k * P/L`` (L:
    weeks per data step); ``current_spend`` is the spend of the last P weeks,
    ``observed_min/max`` the range of rolling P-week spend, ``r2``/``mape`` those of
    the holdout weeks (in-sample R² when there was no holdout).

    Parameters
    ----------
    result : MMMResult
        A fitted marketing-mix model (:func:`planner.fit.mmm.fit_mmm`).
    period_weeks : float, default 13
        Weeks in the planning period (P).

    Returns
    -------
    DataFrame
        Columns :data:`~planner.fit.table_rows.TABLE_COLUMNS`, one row per network of
        ``result.params`` (``name`` the network): ``beta_p10/beta_p90`` scaled like
        ``beta``, ``decay`` the weekly carry-over, and, only where the data support a yearly wave in the media
        effect, ``season_sin``/``season_cos`` (:mod:`planner.curves.season`), ``n_obs`` the periods with a total outcome, ``mape`` NaN without a
        holdout, ``pooled_weight`` 0 and ``pooling_note`` from :func:`mmm_note`, then what the fit left out to keep
        within its time budget (``result.unfinished``), if anything; and :data:`PRIOR_WEIGHT` (``prior_weight``),
        the share of the network's return per dollar that the pull toward the other networks decides rather than
        its data (``result.params.prior_weight``, 0..1; planner.curves.support reads it).
    """
    conv = period_weeks / result.weeks_per_step
    n_obs = int(result.decomposition["actual"].notna().sum())
    r2 = result.r2_holdout if np.isfinite(result.r2_holdout) else result.r2_all
    out, pulled = [], []
    for p in result.params.itertuples(index=False):
        w = float(getattr(p, "prior_weight", 0.0))
        w = w if np.isfinite(w) else 1.0  # no measure of the pull: the data told nothing
        pulled.append(w)
        roll = period_spend(result.spend[p.network].to_numpy(dtype=float), conv)
        out.append({
            "name": p.network, "network": p.network, "curve": "hill", "beta": p.beta * conv,
            "k": p.k * conv, "s": p.s, "min_spend": np.nan, "max_spend": np.nan, "unit_cost": np.nan,
            "current_spend": float(roll[-1]), "observed_min": float(roll.min()),
            "observed_max": float(roll.max()), "n_obs": n_obs, "r2": r2, "mape": result.mape_holdout,
            "source": SOURCES["mmm"], "pooled_weight": 0.0,
            "beta_p10": p.beta_p10 * conv, "beta_p90": p.beta_p90 * conv,
            "decay": float(p.decay) ** (1.0 / result.weeks_per_step),  # per week, whatever the model's step
            "pooling_note": " ".join(filter(None, (mmm_note(p.network, w), result.unfinished))),
        })
    rows = pd.DataFrame(out, columns=list(TABLE_COLUMNS)).assign(**{PRIOR_WEIGHT: pulled})
    if result.season is not None and result.season.supported:  # the media effect's yearly wave, where supported
        rows = rows.assign(season_sin=result.season.sin, season_cos=result.season.cos)
    return rows
