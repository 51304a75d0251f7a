"""HiGHS on the whole-post problem (the textbook mixed-integer model a team would hand to a solver), and the timer."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from planner.curves.forms import response

__all__ = ["milp_posts", "median_time"]


def milp_posts(curves: pd.DataFrame, budget: float, time_limit: float = 60.0,
               network_bounds: pd.DataFrame | None = None, max_hires: int | None = None):
    """Solve the whole-post problem as a mixed-integer program with HiGHS (``scipy.optimize.milp``).

    One binary per creator and number of posts (at most one per creator), the budget as
    one row: the textbook model a team would hand to a MILP solver.  Returns
    (objective, proven relative gap reported by HiGHS, status message).

    Parameters
    ----------
    curves : DataFrame
        The curve table with ``unit_cost`` and ``max_spend`` on every row.
    budget : float
        The most the posts may cost.
    time_limit : float, default 60.0
        Seconds HiGHS may take.
    network_bounds : DataFrame, optional
        ``network, min_spend, max_spend``: one more row per network on its posts' cost.
    max_hires : int, optional
        The most creators with any post: one more row on the binaries.

    Returns
    -------
    tuple
        ``(objective, gap, message)``: the total response of the best plan found (NaN
        when HiGHS found none), HiGHS's ``mip_gap`` (NaN when it reports none) and its
        status message.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: PLC0415
    from scipy.sparse import csr_array  # noqa: PLC0415

    unit = curves["unit_cost"].to_numpy(dtype=float)
    n_max = np.floor(curves["max_spend"].to_numpy(dtype=float) / unit + 1e-9).astype(int)
    rows, spends = [], []
    for i, m in enumerate(n_max):
        for n in range(1, m + 1):
            rows.append(i)
            spends.append(n * unit[i])
    rows, spends = np.array(rows), np.array(spends)
    value = response(curves.iloc[rows].reset_index(drop=True), spends)
    nvar = len(rows)
    pick = csr_array((np.ones(nvar), (rows, np.arange(nvar))), shape=(len(curves), nvar))
    cost = csr_array(spends.reshape(1, -1))
    constraints = [LinearConstraint(pick, 0, 1), LinearConstraint(cost, 0, budget)]
    if network_bounds is not None:
        nets = curves["network"].to_numpy()[rows]
        for r in network_bounds.itertuples(index=False):
            lo = 0.0 if pd.isna(r.min_spend) else float(r.min_spend)
            hi = np.inf if pd.isna(r.max_spend) else float(r.max_spend)
            constraints.append(LinearConstraint(np.where(nets == r.network, spends, 0.0).reshape(1, -1), lo, hi))
    if max_hires is not None:
        constraints.append(LinearConstraint(np.ones((1, nvar)), 0, max_hires))
    res = milp(-value, integrality=np.ones(nvar), bounds=Bounds(0, 1), constraints=constraints,
               options={"time_limit": time_limit, "mip_rel_gap": 1e-6})
    obj = -res.fun if res.x is not None else np.nan
    gap = getattr(res, "mip_gap", np.nan)
    return obj, gap, str(res.message)


def median_time(fn: Callable, repeats: int) -> tuple[float, object]:
    """Median wall-clock seconds of ``repeats`` calls after one untimed warm-up call (imports, caches)."""
    fn()
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out
