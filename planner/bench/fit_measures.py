"""How far fitted curves are from the truth: error at the spends seen, plan regret, interval coverage.

* **error**: median over entities of the median ``|fitted / true - 1|`` of the response
  at the spends the data has seen (a creator's campaigns; a network's rolling 13-week spend);
* **regret**: ``1 - true(plan on fitted curves) / true(plan on true curves)``, both plans
  by planner.optimize.optimize at the same budget and valued by the true curves;
* **coverage**: share of entities whose true response at a spend lies in the fitted
  P10-P90 band (80 % intended).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.bench.fit_sample import campaign_spend, rows_of
from planner.curves.forms import response
from planner.optimize import optimize

__all__ = ["PERIOD", "creator_errors", "network_errors", "both_plans", "plan_regret", "plan_band", "coverage"]

PERIOD = 13  # weeks in a planning period


def creator_errors(table: pd.DataFrame, truth: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Return per creator the median ``|fitted / true - 1|`` over its campaigns' spend.

    Parameters
    ----------
    table : DataFrame
        The fitted curve table.
    truth : DataFrame
        The true curves (``true_curves.csv``), naming every creator of ``rows``.
    rows : DataFrame
        The attributed rows of the creator data as imported (``date, network, entity,
        spend, outcome``); a campaign is a creator's quarter with spend.

    Returns
    -------
    Series
        The median relative error of each creator's response at its campaigns' spends,
        indexed by curve name (``"Network/@handle"``).

    Raises
    ------
    KeyError
        When ``table`` or ``truth`` lacks a creator of ``rows``.
    """
    spend = campaign_spend(rows)
    names = spend.index.to_numpy()
    x = spend.to_numpy(dtype=float)
    rel = np.abs(response(rows_of(table, names), x) / response(rows_of(truth, names), x) - 1.0)
    return pd.Series(rel, index=names).groupby(level=0).median()


def _rolling_spend(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    out = {}
    for net, g in rows.groupby("network"):
        w = g.groupby("date")["spend"].sum().sort_index()
        out[net] = w.rolling(PERIOD).sum().dropna().to_numpy()
    return out


def network_errors(table: pd.DataFrame, truth: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Return per network the median ``|fitted / true - 1|`` over its rolling 13-week spends.

    Parameters
    ----------
    table : DataFrame
        The fitted curve table.
    truth : DataFrame
        The true curves, naming every network of ``rows``.
    rows : DataFrame
        The rows of the weekly data as imported (``date, network, spend``): spend per
        period and network, summed per date and over :data:`PERIOD` dates.

    Returns
    -------
    Series
        The median relative error of each network's response, indexed by network.
    """
    out = {}
    for net, x in _rolling_spend(rows).items():
        names = [net] * len(x)
        out[net] = float(np.median(np.abs(response(rows_of(table, names), x) / response(rows_of(truth, names), x) - 1)))
    return pd.Series(out)


def both_plans(fitted: pd.DataFrame, truth: pd.DataFrame, budget: float):
    """Return the plan on fitted curves (with the truth's bounds) and the plan on the true curves.

    Returns ``(fitted table with the truth's bounds, its allocation, its spends, the true plan's spends)``,
    spends in the order of ``truth``.

    Parameters
    ----------
    fitted : DataFrame
        The fitted curve table (may hold more rows than ``truth``).
    truth : DataFrame
        The true curves with ``min_spend, max_spend, unit_cost``.
    budget : float
        The budget of both plans, in dollars per planning period.

    Returns
    -------
    tuple
        ``(DataFrame, Allocation, ndarray, ndarray)``: the fitted rows of ``truth``'s
        names with the truth's bounds, the :class:`~planner.optimize.result.Allocation`
        on them, the spend per row of that plan and of the plan on the true curves.
    """
    f = rows_of(fitted, truth["name"])
    for col in ("min_spend", "max_spend", "unit_cost"):
        f[col] = truth[col].to_numpy()
    alloc = optimize(f, budget)
    xf = rows_of(alloc.table, truth["name"])["spend"].to_numpy(dtype=float)
    xt = rows_of(optimize(truth, budget).table, truth["name"])["spend"].to_numpy(dtype=float)
    return f, alloc, xf, xt


def plan_regret(fitted: pd.DataFrame, truth: pd.DataFrame, budget: float) -> float:
    """Return ``1 - true value of the plan on fitted curves / true value of the plan on true curves``.

    Both plans keep the truth's ``min_spend, max_spend, unit_cost`` (the roster's
    bounds); the fitted plan sees only the fitted curves.

    Parameters
    ----------
    fitted : DataFrame
        The fitted curve table.
    truth : DataFrame
        The true curves with ``min_spend, max_spend, unit_cost``.
    budget : float
        The budget of both plans, in dollars per planning period.

    Returns
    -------
    float
        The share of the best true return the fitted plan misses (0 when the true plan
        is worth nothing).
    """
    _, _, xf, xt = both_plans(fitted, truth, budget)
    best = float(response(truth, xt).sum())
    return 1.0 - float(response(truth, xf).sum()) / best if best > 0 else 0.0


def plan_band(fitted: pd.DataFrame, truth: pd.DataFrame, budget: float) -> dict:
    """Return the fitted plan's P10-P90 (as the optimizer reports it, selection allowance included) and its true return.

    Parameters
    ----------
    fitted : DataFrame
        The fitted curve table with ``beta_p10, beta_p90``.
    truth : DataFrame
        The true curves with ``min_spend, max_spend, unit_cost``.
    budget : float
        The budget of both plans, in dollars per planning period.

    Returns
    -------
    dict
        ``true`` (the fitted plan's true return), ``regret`` (as :func:`plan_regret`),
        ``p10, p50, p90, mean, expected, allowance`` (the fitted plan's band as the optimizer reports it, its
        mean lowered by the selection allowance), ``in_band`` and ``below`` (bool: the true return within
        P10-P90, below P10) and ``width`` (``(p90 - p10) / expected``).
    """
    f, alloc, xf, xt = both_plans(fitted, truth, budget)
    band = {"p10": alloc.response_p10, "p50": alloc.response_p50, "p90": alloc.response_p90,
            "mean": alloc.response_mean, "expected": alloc.total_response, "allowance": alloc.selection_allowance}
    true = float(response(truth, xf).sum())
    best = float(response(truth, xt).sum())
    return {"true": true, "regret": 1.0 - true / best if best > 0 else 0.0, **band,
            "in_band": band["p10"] <= true <= band["p90"], "below": true < band["p10"],
            "width": (band["p90"] - band["p10"]) / band["expected"]}


def coverage(table: pd.DataFrame, truth: pd.DataFrame, spend: pd.Series) -> float:
    """Return the share of entities whose true response at ``spend`` (by name) is in the P10-P90 band.

    Parameters
    ----------
    table : DataFrame
        The fitted curve table with ``beta_p10, beta_p90``.
    truth : DataFrame
        The true curves.
    spend : Series
        Spend per planning period in dollars, indexed by the names to check.

    Returns
    -------
    float
        A share from 0 to 1.
    """
    names = spend.index.to_numpy()
    x = spend.to_numpy(dtype=float)
    f = rows_of(table, names)
    r = response(f, x)
    lo = r * f["beta_p10"].to_numpy(dtype=float) / f["beta"].to_numpy(dtype=float)
    hi = r * f["beta_p90"].to_numpy(dtype=float) / f["beta"].to_numpy(dtype=float)
    t = response(rows_of(truth, names), x)
    return float(np.mean((t >= lo) & (t <= hi)))
