"""The cautious plan: of the plans that discount each curve by its uncertainty, the one whose P10 is highest.

Planning for every curve at its 10th percentile at once (Robyn's and PyMC-Marketing's way of
being careful) plans for a world where everything goes wrong together, which the plan's own
band says is far rarer than one in ten; its P10 need not be higher than the usual plan's.  Here
the planner walks a frontier of caution instead: each row's curve is discounted by ``shade``
times its log-scale spread (``shade`` 0 is the usual plan; about 1.3 puts each curve near its P10),
every discounted table is planned exactly, every plan is valued on the expected curves with its
band (:mod:`planner.curves.intervals`, its selection allowance included), and the plan whose total
has the highest 10th percentile is kept.  The usual plan is one of them, so the plan kept never
has a lower P10 than it; what the extra certainty costs in expected revenue is reported beside it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.curves.forms import response
from planner.curves.intervals import band_columns, has_bands, log_spreads, total_band
from planner.curves.table import validate_curves
from planner.optimize import Allocation, optimize, prepare
from planner.optimize.result import PlanRows

__all__ = ["SHADES", "CautiousPlan", "highest_p10"]

SHADES = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5)  # spreads of discount tried, 0 the usual plan


@dataclass(frozen=True)
class CautiousPlan:
    """The plan with the highest P10 found, beside the usual plan.

    Attributes
    ----------
    plan : Allocation
        The cautious plan valued on the expected curves: its band is that of its total (selection allowance
        included); its rows keep the bounds and what binds of the plan as it was solved.
    usual : Allocation
        The plan for the expected curves.
    shade : float
        The discount of the plan kept, in spreads (0: the usual plan was the most certain).
    solved : Allocation
        The cautious plan as solved, on its discounted curves.
    curves : DataFrame
        The discounted curve table it was solved on.
    tried : DataFrame
        One row per shade: ``shade, expected, mean, p10, p50, p90`` of its plan on the expected curves.
    """

    plan: Allocation
    usual: Allocation
    shade: float
    solved: Allocation
    curves: pd.DataFrame
    tried: pd.DataFrame


def _discounted(curves: pd.DataFrame, spread: np.ndarray, shade: float) -> pd.DataFrame:
    """Return ``curves`` with each scale (and its interval) times ``exp(-shade * spread)``."""
    out = curves.copy()
    factor = np.exp(-shade * spread)
    for col in ("beta", "beta_p10", "beta_p90"):
        out[col] = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float) * factor
    return out


def highest_p10(curves: pd.DataFrame, budget: float, network_bounds: pd.DataFrame | None = None,
                objective: str = "revenue", margin: float = 1.0, engagement_weight: float = 0.0,
                max_creators: int | None = None, shades=SHADES) -> CautiousPlan:
    """Return the plan whose total revenue has the highest 10th percentile, among plans discounting uncertain curves.

    Parameters
    ----------
    curves : DataFrame
        The fitted curve table, with ``beta_p10`` and ``beta_p90``.
    budget : float
        The budget in dollars.
    network_bounds : DataFrame, optional
        Bounds on each network's total spend.
    objective, margin, engagement_weight, max_creators
        As :func:`planner.optimize.optimize` takes them.
    shades : sequence of float
        Discounts tried, in log-scale spreads; 0 (the usual plan) is always tried.

    Returns
    -------
    CautiousPlan

    Raises
    ------
    InputError
        When the curve table has no intervals, or a curve, bound or budget cannot be used.
    InfeasibleError
        When the bounds cannot all hold.
    """
    curves = validate_curves(curves)
    if not has_bands(curves):
        raise InputError("The curve table has no intervals (beta_p10, beta_p90); fit the curves to get them.")
    bands = band_columns(curves)
    spread = log_spreads(*bands[:3])
    kw = {"objective": objective, "margin": margin, "engagement_weight": engagement_weight,
          "max_creators": max_creators}
    rows, best = [], None
    usual = None
    for shade in sorted({0.0, *(float(s) for s in shades if s >= 0)}):
        table = curves if shade == 0 else _discounted(curves, spread, shade)
        solved = prepare(table, network_bounds, **kw).solve(budget)
        usual = solved if shade == 0 else usual
        x = solved.table["spend"].to_numpy(dtype=float)
        resp = response(curves, x)
        share = solved.selection_allowance / solved.total_response if solved.total_response > 0 else 0.0
        band = total_band(resp, *bands, allowance=share * float(resp.sum()))
        rows.append({"shade": shade, "expected": band["expected"], "mean": band["mean"], "p10": band["p10"],
                     "p50": band["p50"], "p90": band["p90"]})
        if best is None or band["p10"] > best[2]["p10"] + 1e-9 * max(1.0, abs(best[2]["p10"])):
            best = (shade, solved, band, table, x)
    shade, solved, band, table, x = best
    plan = _valued(curves, solved, x, band, network_bounds, kw)
    return CautiousPlan(plan=plan, usual=usual, shade=shade, solved=solved, curves=table, tried=pd.DataFrame(rows))


def _valued(curves: pd.DataFrame, solved: Allocation, x: np.ndarray, band: dict, network_bounds, kw) -> Allocation:
    """Return plan ``x`` valued on the expected curves, with ``band`` and the solved plan's bounds and binding."""
    pinned = curves.assign(min_spend=x, max_spend=x)
    valued = optimize(pinned, float(x.sum()) + 0.01, network_bounds, kw["objective"], kw["margin"],
                      engagement_weight=kw["engagement_weight"], selection=False)
    table = valued.table.copy()  # the bounds and what binds are the solved plan's, not the pins'
    own = solved.table.set_index("name")
    for col in ("min_spend", "max_spend", "binding"):
        if col in table.columns and col in own.columns:
            table[col] = table["name"].map(own[col]).to_numpy()
    return dataclasses.replace(valued, rows=PlanRows.from_frames(table, valued.network_table),
                               budget=solved.budget, response_p10=band["p10"], response_p50=band["p50"],
                               response_p90=band["p90"], response_mean=band["mean"],
                               selection_allowance=band["expected"] - band["mean"])
