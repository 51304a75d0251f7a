"""A flighting problem: every row of a curve table in every period of a horizon, with carry-over.

The model (the weekly marketing-mix model's, read at the period's length):

- A row's *adstock* ``z`` is its spend rate with carry-over, in spend per quarter. In a period
  of ``n`` weeks it follows ``z_p = D_p z_{p-1} + (1 - D_p) r_p`` where ``r_p`` is the period's
  spend per quarter (``X_p / nu_p``, ``nu_p = n / 13``) and ``D_p = decay^n`` (the curve table's
  optional ``decay`` column: the weekly geometric carry-over; empty or missing = none).
- The period earns ``nu_p f(z_p)``: the row's quarterly curve at the adstock, for the period's
  share of a quarter. A steady spend of S a quarter gives ``z = S`` and f(S) a quarter, as the
  one-period plan says.
- Spend is never negative: ``z_p >= D_p z_{p-1}`` (a period without spend lets the adstock fade).
- The horizon's spend is linear in the adstocks: ``sum_p X_p = sum_p c_p z_p - K``, with
  ``c_p = nu_p / (1 - D_p) - nu_{p+1} D_{p+1} / (1 - D_{p+1})`` (the last period has no second
  term) and ``K`` the credit of the adstock carried in from before the horizon. So the objective
  and the budget are sums over (row, period) of one variable each; only ``z_p >= D_p z_{p-1}``
  ties a row's periods together, and it is an order constraint (isotonic in ``z_p / prod D``).
- A row without carry-over is one element for the whole horizon: it earns what ``H`` quarters of its
  curve give its total over the horizon (H the horizon in quarters; a creator at least one campaign's
  worth, 1/c quarters), shared among the periods by their spend. Timing changes nothing for it. A row
  available for part of the horizon only (the roster's dates, :mod:`.availability`) earns on that part:
  ``H`` times its available share; available on no day of it, it is not booked.
- A row whose response rises and falls over the year (``season_sin``/``season_cos``,
  :mod:`planner.curves.season`, written by the marketing-mix model, and by the creators' model for their
  campaigns, where the data support it) earns ``nu_p m_p f(z_p)``, ``m_p`` its mean multiplier over the
  period's days (the solver is unchanged, only the elements' weights move); a row without carry-over (a
  creator) earns over the horizon by its curve with the scale times the wave's mean over the days of the
  horizon it can post (the roster's dates; every day without them).
- With ``after`` on, what a row's last adstock earns in the weeks after the horizon (no spend
  then) is added: weekly steps of weight 1/13 and decay ``decay``, bound to the last period.

Bounds are the curve table's quarterly ``min_spend``/``max_spend`` read as rates: a row without
carry-over spends within them per quarter on average, one with carry-over keeps its adstock below
the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.curves.season import mean_multiplier, multiplier, season_terms
from planner.flighting.availability import available_days, available_share
from planner.flighting.horizon import QUARTER_WEEKS, Horizon
from planner.flighting.shapes import Shapes

__all__ = ["FlightProblem", "build_problem", "TAIL_LEFT", "whole_units", "whole_quarters", "weekly_decay"]

TAIL_LEFT = 1e-4  # the after-horizon tail stops where the carry-over left is below this share
MAX_TAIL_WEEKS = 156
NEGLIGIBLE = 1e-9  # dollars of a start adstock or a minimum below which they are taken as none


def _col(curves: pd.DataFrame, name: str, default: float) -> np.ndarray:
    if name not in curves:
        return np.full(len(curves), default)
    v = pd.to_numeric(curves[name], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(v), v, default)


@dataclass(frozen=True)
class FlightProblem:
    """Flat arrays of (row, period) elements, row-major; see the module's docstring for the model.

    Attributes
    ----------
    curves : DataFrame
        The curve table (one row per entity).
    horizon : Horizon
    periods : DataFrame
        :meth:`Horizon.periods`.
    shapes : Shapes
        Every element's curve (the entity's).
    decay : ndarray (E,)
        Weekly carry-over per entity (0 = none).
    z0 : ndarray (E,)
        Adstock entering the horizon (spend per quarter).
    ent, per : ndarray (N,)
        Entity and period of each element (period -1 for a week after the horizon).
    weight : ndarray (N,)
        Quarters the element's response counts for (``nu_p``; 1/13 for a week after).
    cost : ndarray (N,)
        Horizon spend per unit of the element's adstock.
    logd : ndarray (N,)
        Log of the carry-over from the element before (0 for an entity's first element).
    forced : ndarray (N,) of bool
        Weeks after the horizon: no spend, so bound to the element before.
    lo, hi : ndarray (N,)
        Bounds on an element's adstock when it starts a block.
    credit : float
        ``K``: the carried-in adstock's share of the spend formula.
    """

    curves: pd.DataFrame
    horizon: Horizon
    periods: pd.DataFrame
    shapes: Shapes
    decay: np.ndarray
    z0: np.ndarray
    ent: np.ndarray
    per: np.ndarray
    weight: np.ndarray
    cost: np.ndarray
    logd: np.ndarray
    forced: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    credit: float

    @property
    def n_periods(self) -> int:
        """Periods in the horizon."""
        return len(self.periods)

    def spends(self, z: np.ndarray) -> np.ndarray:
        """Spend per (entity, period), shape (E, P), of element adstocks ``z``."""
        E, P = len(self.decay), self.n_periods
        weeks = self.periods["weeks"].to_numpy(dtype=float)
        nu = weeks / QUARTER_WEEKS
        out = np.zeros((E, P))
        inside = self.per >= 0
        ent_in = np.unique(self.ent[inside])
        if len(ent_in):
            zz = z[inside].reshape(len(ent_in), P)
            d = self.decay[ent_in]
            D = np.where(d[:, None] > 0, np.power(d[:, None], weeks[None, :]), 0.0)
            prev = np.concatenate([self.z0[ent_in, None], zz[:, :-1]], axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                x = nu[None, :] * (zz - D * prev) / (1.0 - D)
            out[ent_in] = np.maximum(x, 0.0)
        whole = np.flatnonzero(self.per == -2)
        if len(whole):  # a horizon's rate, spread by the periods' weeks
            out[self.ent[whole]] = (z[whole] * self.weight[whole])[:, None] * (nu / nu.sum())[None, :]
        return out

    def adstocks(self, spend: np.ndarray) -> np.ndarray:
        """Element adstocks of spend per (entity, period) ``spend`` (E, P): the inverse of :meth:`spends`."""
        E, P = spend.shape
        weeks = self.periods["weeks"].to_numpy(dtype=float)
        nu = weeks / QUARTER_WEEKS
        z = np.empty(len(self.ent))
        whole = np.flatnonzero(self.per == -2)
        z[whole] = spend[self.ent[whole]].sum(axis=1) / self.weight[whole]
        inside = self.per >= 0
        ent_in = np.unique(self.ent[inside])
        if len(ent_in):
            D = np.power(self.decay[ent_in, None], weeks[None, :])
            zz = np.empty((len(ent_in), P))
            prev = self.z0[ent_in].astype(float)
            for p in range(P):
                prev = D[:, p] * prev + (1.0 - D[:, p]) * spend[ent_in, p] / nu[p]
                zz[:, p] = prev
            z[inside] = zz.ravel()
            tail = np.flatnonzero(self.per == -1)
            if len(tail):  # weeks after the horizon: the last adstock fading
                e = self.ent[tail]
                first_tail = np.r_[True, e[1:] != e[:-1]]
                run_start = np.maximum.accumulate(np.where(first_tail, np.arange(len(tail)), 0))
                step = np.arange(len(tail)) - run_start + 1
                row = np.searchsorted(ent_in, e)
                z[tail] = zz[row, -1] * np.power(self.decay[e], step)
        return z

    def value(self, z: np.ndarray, envelope: bool = False) -> np.ndarray:
        """Response of every element at adstocks ``z``."""
        return self.weight * self.shapes.value(z, envelope)

    def earned(self, spend: np.ndarray, after: bool) -> np.ndarray:
        """Return what each entity earns with ``spend`` (E, P): inside the horizon, and after it when ``after``."""
        v = self.value(self.adstocks(spend))
        keep = (self.per != -1) | after
        return np.bincount(self.ent[keep], weights=v[keep], minlength=len(self.decay))


def weekly_decay(curves: pd.DataFrame) -> np.ndarray:
    """Return each row's weekly carry-over from the optional ``decay`` column (0 where none; at most 0.99)."""
    return np.clip(_col(curves, "decay", 0.0), 0.0, 0.99)


def whole_units(amount: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Return a bound over the horizon in whole units where a unit is set (5 posts a quarter over 90 days: 5, not 4).

    A quarterly limit times the horizon's quarters is rounded to the nearest whole unit, up from 0.1 under.
    """
    amount = np.asarray(amount, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        posts = np.floor(amount / unit + 0.1) * unit
    return np.where(np.isfinite(unit) & (unit > 0) & np.isfinite(amount), posts, amount)


def whole_quarters(curves: pd.DataFrame, horizon: Horizon) -> tuple[np.ndarray, np.ndarray]:
    """Return, per row without carry-over, the quarters of its curve it earns over ``horizon`` and of its bounds.

    Returns
    -------
    curve : ndarray
        ``H`` (the horizon in quarters) times the share of it the row is available (the roster's dates,
        :mod:`.availability`), and a creator at least one campaign's worth: ``1/c`` quarters, ``c`` its
        campaigns a quarter (1 without the column). A row available on no day keeps ``H``.
    bounds : ndarray
        What its quarterly minimum and maximum are multiplied by: ``max(H, 1/c)`` times its available share
        (0 for a row available on no day of the horizon: it is not booked).
    """
    H = float(horizon.periods()["weeks"].sum()) / QUARTER_WEEKS
    share = available_share(curves, horizon)
    c = _col(curves, "campaigns", np.nan)
    c = np.where(np.isfinite(c) & (c > 0), c, np.where(np.isfinite(_col(curves, "unit_cost", np.nan)), 1.0, np.inf))
    return np.maximum(np.where(share > 0, H * share, H), 1.0 / c), np.maximum(H, 1.0 / c) * share


def build_problem(curves: pd.DataFrame, horizon: Horizon, after: bool = False,
                  start_adstock: np.ndarray | None = None) -> FlightProblem:
    """Lay out the elements of ``curves`` over ``horizon``.

    Parameters
    ----------
    curves : DataFrame
        A validated curve table; ``decay`` (weekly carry-over, 0 to below 1) is optional.
    horizon : Horizon
    after : bool, default False
        Count what the last adstock earns after the horizon.
    start_adstock : ndarray, optional
        Adstock entering the horizon per row (spend per quarter); default each row's
        ``current_spend`` for rows with carry-over (as if today's spend had run steadily), else 0.
    """
    periods = horizon.periods()
    weeks = periods["weeks"].to_numpy(dtype=float)
    nu = weeks / QUARTER_WEEKS
    P, E = len(weeks), len(curves)
    decay = weekly_decay(curves)
    if start_adstock is None:
        z0 = np.where(decay > 0, np.maximum(_col(curves, "current_spend", 0.0), 0.0), 0.0)
    else:
        z0 = np.maximum(np.asarray(start_adstock, dtype=float), 0.0)
    # a billionth of a dollar carried in or required is none: a subnormal one (1e-309) made a bound whose inverse
    # overflows, and a plan 0.03 % short was called proven
    z0 = np.where(z0 < NEGLIGIBLE, 0.0, z0)
    lo_q = np.maximum(_col(curves, "min_spend", 0.0), 0.0)
    lo_q = np.where(lo_q < NEGLIGIBLE, 0.0, lo_q)
    hi_q = _col(curves, "max_spend", np.inf)
    carry_e = decay > 0
    a, b = season_terms(curves)
    waves = (a != 0) | (b != 0)
    m = mean_multiplier(a, b, periods["period"], periods["last"]) if waves.any() else None  # rows x periods
    flat = ~carry_e & waves
    if flat.any():  # a row without carry-over (a creator) earns at its wave's mean over the days it can post
        scaled = pd.to_numeric(curves["beta"], errors="coerce").to_numpy(dtype=float, copy=True)
        days = available_days(curves.loc[flat], horizon)
        days = np.where(days.sum(axis=1, keepdims=True) > 0, days, weeks[None, :])  # none: the horizon's mean
        scaled[flat] = scaled[flat] * (m[flat] * days).sum(axis=1) / days.sum(axis=1)
        shapes = Shapes.of(curves.assign(beta=scaled))
    else:
        shapes = Shapes.of(curves)

    tail = np.zeros(E, dtype=int)
    if after:
        with np.errstate(divide="ignore"):
            need = np.ceil(np.log(TAIL_LEFT) / np.log(np.where(carry_e, decay, 0.5)))
        tail = np.where(carry_e, np.minimum(need, MAX_TAIL_WEEKS), 0).astype(int)
    one = ~carry_e
    counts = np.where(one, 1, P + tail)
    ent = np.repeat(np.arange(E), counts)
    per = np.concatenate([np.array([-2]) if one[e] else np.concatenate([np.arange(P), np.full(tail[e], -1)])
                          for e in range(E)]).astype(int) if E else np.zeros(0, int)
    N = len(ent)
    inside = per >= 0
    whole = per == -2
    pi = np.where(inside, per, 0)
    carries = carry_e[ent]
    D = np.where(inside, np.power(decay[ent], weeks[pi]), decay[ent])
    with np.errstate(divide="ignore"):
        logd = np.where(carries, np.log(np.where(carries, D, 1.0)), 0.0)
    first = np.zeros(N, dtype=bool)
    if N:
        first[np.concatenate([[0], np.cumsum(counts)[:-1]])] = True
    logd[first] = 0.0
    Hq, Hb = whole_quarters(curves, horizon)
    weight = np.where(inside, nu[pi], np.where(whole, Hq[ent], 1.0 / QUARTER_WEEKS))

    # a row with a yearly wave in its response (:mod:`planner.curves.season`) earns each period at its mean
    # multiplier, each week after the horizon at that week's
    seasonal = carry_e & waves
    if seasonal.any():
        k = np.flatnonzero(inside & seasonal[ent])
        weight[k] = weight[k] * m[ent[k], pi[k]]
        k = np.flatnonzero((per == -1) & seasonal[ent])
        if len(k):
            step = k - np.searchsorted(ent, ent[k]) - P + 1  # weeks after the horizon's end
            mid = np.datetime64(horizon.end, "D") + (7 * step - 3).astype("timedelta64[D]")
            weight[k] = weight[k] * multiplier(a[ent[k]], b[ent[k]], mid)

    # cost of each element's adstock in horizon spend: nu/(1-D) minus the next period's nu D/(1-D)
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(carries, nu[pi] / (1.0 - D), nu[pi])
        nxt = np.zeros(N)
        j = np.flatnonzero(inside & (pi < P - 1) & carries)
        nxt[j] = nu[pi[j] + 1] * D[j + 1] / (1.0 - D[j + 1])
    cost = np.where(inside, own - nxt, np.where(whole, weight, 0.0))

    # bounds, as spend rates per quarter: rows without carry-over within their quarterly bounds; rows with
    # carry-over: the quarterly maximum caps the adstock, and the first period cannot go below what is
    # carried in (no negative spend)
    hi = hi_q[ent].copy()
    w_idx = np.flatnonzero(whole)
    unit = _col(curves, "unit_cost", np.nan)[ent[w_idx]]
    hi[w_idx] = whole_units(hi[w_idx] * Hb[ent[w_idx]], unit) / weight[w_idx]  # 0: available on no day
    lo = np.where(carries, 0.0, lo_q[ent])
    lo[w_idx] = lo[w_idx] * Hb[ent[w_idx]] / weight[w_idx]
    D1 = np.where(carry_e, np.power(decay, weeks[0]), 0.0)
    lo[first] = np.where(carry_e, np.minimum(D1 * z0, hi[first]), lo[first])
    lo = np.minimum(lo, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        credit = float(np.sum(np.where(carry_e, nu[0] * D1 * z0 / (1.0 - D1), 0.0)))
    return FlightProblem(curves.reset_index(drop=True), horizon, periods, shapes.take(ent), decay, z0, ent, per,
                         weight, cost, logd, per == -1, lo, hi, credit)
