"""What the marketing-mix model reads besides its parameters: the weeks, the controls and the experiments.

:func:`wide` turns a total-outcome dataset into weekly spend per network, the outcome and the controls per
week; :func:`baseline_design` gives the trend and season columns; :func:`windows` places measured lifts on
the model's weeks and :func:`model_lifts` / :func:`experiment_rows` give the model's lift over each window and
its residuals (planner.fit.mmm).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from planner.base.errors import InputError
from planner.base.format import money
from planner.data.experiments import SPEND_TESTED
from planner.fit.weekly import fourier_pairs, lfilter, weekly_steps

__all__ = ["MMMError", "YEAR_WEEKS", "baseline_design", "wide", "controls_per_step", "windows", "model_lifts",
           "experiment_rows"]

YEAR_WEEKS = 365.25 / 7


class MMMError(InputError):
    """Total-outcome data a marketing-mix model cannot be fitted to."""



def model_lifts(model, th) -> np.ndarray:
    """Return each experiment's modelled lift: the window's outcome minus that with the spend the test moved taken out.

    A holdout moved all of the window's spend (``share`` 1: the carry-over alone is left, decaying); a heavy-up
    moved a share of it, taken from every week of the window alike. The lift is the model's media effect as the
    weeks see it, so a yearly wave of the response (``model.media_scale``, planner.fit.seasonal_response)
    multiplies it week by week, as it does the fit.
    """
    out = np.zeros(len(model.experiments))
    if not model.experiments:
        return out
    _, beta, d, lk, s = model.split(th)
    for i, (n, t0, t1, _lift, _se, share) in enumerate(model.experiments):
        x = model.X[:, n]
        a = lfilter([1.0 - d[n]], [1.0, -d[n]], x[: t1 + 1], zi=[d[n] * model.x0[n]])[0]
        before = a[t0 - 1] if t0 > 0 else model.x0[n]
        kept = x[t0: t1 + 1] * (1.0 - share)  # what the weeks spent without the test's money (none: a holdout)
        a0 = lfilter([1.0 - d[n]], [1.0, -d[n]], kept, zi=[d[n] * before])[0]
        h = expit(s[n] * (np.log(np.maximum(a[t0:], 1e-12)) - lk[n]))
        h0 = expit(s[n] * (np.log(np.maximum(a0, 1e-12)) - lk[n]))
        out[i] = beta[n] * float(np.sum((h - h0) * model.media_scale[t0:t1 + 1]))
    return out

def experiment_rows(model, th) -> tuple[np.ndarray, np.ndarray]:
    """Return the residuals and Jacobian rows of the experiments (the network's own parameters, by differences)."""
    m = len(model.experiments)
    if not m:
        return np.zeros(0), np.zeros((0, model.n_par))
    lift = np.array([e[3] for e in model.experiments])
    se = np.array([e[4] for e in model.experiments])
    base = model_lifts(model, th)
    J = np.zeros((m, model.n_par))
    for i, (n, *_rest) in enumerate(model.experiments):
        for sl in (model.sl_beta, model.sl_d, model.sl_k, model.sl_s):
            j = sl.start + n
            step = 1e-6 * max(1.0, abs(th[j]))
            th2 = th.copy()
            th2[j] += step
            J[i, j] = -(model_lifts(model, th2)[i] - base[i]) / step / se[i]
    return (lift - base) / se, J



def baseline_design(index, wps: float) -> np.ndarray:
    """Columns of the baseline: intercept, linear trend, yearly Fourier pairs."""
    T = len(index)
    t = np.arange(T, dtype=float)
    cols = [np.ones(T), (t - t.mean()) / max(T, 1)]
    n_fourier = fourier_pairs(T * wps)
    if n_fourier:
        period = YEAR_WEEKS / wps
        for j in range(1, n_fourier + 1):
            cols += [np.sin(2 * np.pi * j * t / period), np.cos(2 * np.pi * j * t / period)]
    return np.column_stack(cols)


def _whole_weeks(oc: pd.DataFrame, y: pd.Series) -> pd.Series:
    """Return the outcome per week, with the weeks of daily data that lack days unknown, not low.

    A partial week at either end, or one with days left out, has only some days' sales (and spend), which no
    baseline explains.
    """
    days = pd.to_datetime(oc["date"]).dt.normalize()
    distinct = np.sort(days.unique())
    if len(distinct) < 2 or np.median(np.diff(distinct)) / np.timedelta64(1, "D") > 1:
        return y
    count = days.groupby(oc["step"].to_numpy()).nunique().reindex(y.index)
    return y.where(count >= 7)


def wide(dataset):
    """Return weekly spend per network, the total outcome per week, weeks per step and the controls per week.

    Raises
    ------
    MMMError
        When there is no total outcome or no network has spend.
    """
    rows = dataset.rows
    outcome = getattr(dataset, "outcome", None)
    if outcome is None or len(outcome) == 0:
        raise MMMError("The marketing-mix model needs the total outcome per period, and there is none.")
    df = rows.copy()
    df["network"] = df["network"].astype(str).str.strip()
    df["spend"] = pd.to_numeric(df["spend"], errors="coerce").fillna(0.0)
    oc = outcome.copy()
    oc["outcome"] = pd.to_numeric(oc["outcome"], errors="coerce")
    oc = oc.dropna(subset=["date", "outcome"])
    all_dates = pd.concat([pd.to_datetime(df["date"]), pd.to_datetime(oc["date"])], ignore_index=True)
    steps_all, wps = weekly_steps(all_dates)
    df["step"] = steps_all[: len(df)]
    oc["step"] = steps_all[len(df):]
    spend = df.pivot_table(index="step", columns="network", values="spend", aggfunc="sum", fill_value=0.0)
    y = oc.groupby("step")["outcome"].sum()
    y = _whole_weeks(oc, y)
    if wps == 1.0:
        lo, hi = min(spend.index.min(), y.index.min()), max(spend.index.max(), y.index.max())
        index = pd.date_range(lo, hi, freq="7D")
    else:
        index = spend.index.union(y.index).sort_values()
    seen = spend.index.union(y.index)
    spend = spend.reindex(index, fill_value=0.0)
    gap = ~index.isin(seen)  # weeks the table lacks: their spend is unknown, not 0 (it carries over into the next)
    if gap.any() and (~gap).sum() >= 2:
        spend = spend.mask(pd.Series(gap, index=index), axis=0).interpolate(method="time", limit_direction="both")
    spend = spend.loc[:, spend.sum(axis=0) > 0]
    spend = spend[sorted(spend.columns)]
    y = y.reindex(index)
    if spend.shape[1] == 0:
        raise MMMError("No network has any spend, so there is nothing to fit.")
    return spend, y, wps, controls_per_step(dataset, index, wps)


def windows(experiments: pd.DataFrame | None, spend: pd.DataFrame, y_scale: float) -> list:
    """Return the experiments as (network, first step, last step, lift, se, share moved) in the model's units.

    ``share moved`` is the part of the window's spend the test moved: 1 for a holdout (``spend_tested`` blank
    or absent), ``spend_tested`` over the window's spend for a heavy-up.
    """
    if experiments is None or len(experiments) == 0:
        return []
    networks = [str(c) for c in spend.columns]
    by_name = {n.casefold(): i for i, n in enumerate(networks)}
    starts = pd.to_datetime(spend.index)
    moved = experiments[SPEND_TESTED] if SPEND_TESTED in experiments.columns else pd.Series(np.nan, experiments.index)
    out = []
    for r, tested in zip(experiments.itertuples(index=False), moved, strict=True):
        n = by_name.get(str(r.name).strip().casefold())
        if n is None:
            raise MMMError(f"The experiment on {r.name!r} names no network of the marketing-mix model "
                           f"({', '.join(networks)}).")
        first = pd.Timestamp(r.start) - pd.Timedelta(days=int(pd.Timestamp(r.start).day_of_week))
        inside = np.flatnonzero((starts >= first) & (starts <= pd.Timestamp(r.end)))
        when = f"{pd.Timestamp(r.start).date()} to {pd.Timestamp(r.end).date()}"
        if not len(inside):
            raise MMMError(f"The experiment on {r.name} ({when}) falls outside the data's weeks.")
        share = 1.0
        if pd.notna(tested):
            spent = float(spend.iloc[inside, n].sum())
            if tested > spent * (1 + 1e-6) + 0.005:
                raise MMMError(f"The experiment on {r.name} ({when}) moved {money(float(tested))}, more than the "
                               f"{money(spent)} the data shows {r.name} spent in those weeks; its spend_tested is the "
                               "money the test added over the whole window.")
            share = min(float(tested) / spent, 1.0) if spent > 0 else 1.0
        out.append((n, int(inside[0]), int(inside[-1]), float(r.lift) / y_scale, float(r.lift_se) / y_scale, share))
    return out


def controls_per_step(dataset, index, wps: float) -> pd.DataFrame | None:
    """Return the dataset's controls per modelled period (the mean over a week's days; a gap takes the mean)."""
    ctrl = getattr(dataset, "controls", None)
    if ctrl is None or len(ctrl) == 0 or ctrl.shape[1] < 2:
        return None
    c = ctrl.copy()
    c["date"] = pd.to_datetime(c["date"], errors="coerce")
    c = c.dropna(subset=["date"])
    if c.empty:
        return None
    c["step"] = weekly_steps(c["date"])[0]
    values = c.drop(columns=["date"]).groupby("step").mean(numeric_only=True).reindex(index)
    return values.fillna(values.mean()).astype(float)
