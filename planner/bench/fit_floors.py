"""What the fit could reach knowing what the data cannot show: the floor the benchmark compares against.

Creators: their true shapes known, only the scale fitted and pooled.  Weekly data: the
true adstock, shapes and baseline known, only the scales fitted by least squares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.bench.fit_sample import Sample, campaign_rows, per_campaign, rows_of
from planner.curves.forms import response
from planner.fit.pooling import shrink
from planner.fit.weekly import adstock

__all__ = ["creator_floor", "weekly_floor"]


def creator_floor(sample: Sample) -> pd.DataFrame:
    """Return creator curves knowing each one's true shape: only the scale is fitted, then pooled.

    The scale is the mean log residual of the creator's campaigns (its rows on one date)
    under the true shape of one campaign, pooled toward its network by
    planner.fit.pooling.shrink (log followers / log fee as covariates), the noise variance
    estimated from the residuals; the quarter's curve is that of its campaigns (the truth's
    ``campaigns``, else one).

    Parameters
    ----------
    sample : Sample
        A generated sample (:func:`planner.bench.fit_sample.make_sample`).

    Returns
    -------
    DataFrame
        The truth's creator rows (the columns of ``true_curves.csv``, in its order) with
        ``beta`` replaced by the pooled fitted scale (expected revenue: the posterior mean
        of the log scale plus half the noise variance).
    """
    truth = sample.truth.loc[sample.truth["kind"] == "creator"].reset_index(drop=True)
    camp = campaign_rows(sample.creators.rows)
    y = camp["outcome"].to_numpy(dtype=float)
    y = np.where(y > 0, y, 0.5 * y[y > 0].min())
    one = per_campaign(truth)
    unit = rows_of(one.assign(beta=1.0), camp.index)
    res = pd.Series(np.log(y) - np.log(response(unit, camp["spend"].to_numpy(dtype=float))), index=camp.index)
    g = res.groupby(level=0)
    est, n = g.mean(), g.size().astype(float)
    dof = float((n - 1).sum())
    sigma2 = float(((res - est.reindex(res.index).to_numpy()) ** 2).sum() / dof) if dof > 0 else 0.35**2
    t = truth.set_index("name")
    beta = t["beta"].copy()  # creators without campaigns keep the truth (none in the samples)
    per_q = t["beta"] / one.set_index("name")["beta"]  # the quarter's beta over a campaign's
    for _, idx in t.loc[est.index].groupby("network").groups.items():
        names = list(idx)
        sh = shrink(est[names].to_numpy(), n[names].to_numpy(), sigma2,
                    {"followers": np.log(t.loc[names, "followers"].to_numpy(dtype=float)),
                     "fee": np.log(t.loc[names, "unit_cost"].to_numpy(dtype=float))})
        beta[names] = np.exp(sh.post_mean + 0.5 * sigma2) * per_q[names].to_numpy()
    return truth.assign(beta=beta.reindex(truth["name"]).to_numpy())


def weekly_floor(sample: Sample, experiments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return network curves knowing the true adstock, hill shapes and baseline: scales by least squares.

    Where the data has controls (events, promotions), each lifts the true baseline in proportion, as the
    generator draws them, and its scale is fitted beside the networks'. With ``experiments`` (columns
    ``name, start, end, lift, lift_se``) each measured lift is one more row of the least squares, the
    true shape's lift over its window times the network's scale, weighted by its standard error against
    the weeks' residual standard deviation: what a fit knowing the shapes makes of the same evidence.

    Parameters
    ----------
    sample : Sample
        A generated sample (:func:`planner.bench.fit_sample.make_sample`) with its
        ``true_weekly`` components.

    Returns
    -------
    DataFrame
        The truth's network rows (kind other than ``"creator"``) with ``beta`` multiplied
        by the ratio of the least-squares coefficient to the true weekly beta (at least
        1e-6).
    """
    tw = sample.true_weekly
    b = tw.loc["baseline"]
    rows = sample.weekly.rows
    spend = rows.pivot_table(index="date", columns="network", values="spend", aggfunc="sum").sort_index()
    oc = sample.weekly.outcome.groupby("date")["outcome"].sum().reindex(spend.index).to_numpy(dtype=float)
    idx = pd.DatetimeIndex(spend.index)
    doy = idx.day_of_year.to_numpy().astype(float)
    t = np.arange(len(idx)) / 52.0
    season = 1 + b["season_amplitude"] * np.cos(2 * np.pi * (doy - b["season_peak_day"]) / 365.25) \
        + b["holiday_amplitude"] * np.exp(-0.5 * ((doy - b["holiday_peak_day"]) / b["holiday_width_days"]) ** 2)
    base = b["level"] * (1 + b["trend_per_year"] * t) * season  # the true baseline
    y = oc - base
    cols = []
    nets = list(spend.columns)
    for net in nets:
        x = spend[net].to_numpy(dtype=float)
        a = adstock(x, tw.loc[net, "decay"], x0=x[0])
        s, k = tw.loc[net, "s"], tw.loc[net, "k"]
        cols.append(a**s / (a**s + k**s))
    ctrl = sample.weekly.controls
    if ctrl is not None and len(ctrl.columns) > 1:  # controls lift the baseline: their scales fitted too
        c = ctrl.set_index("date").reindex(spend.index).fillna(0.0).to_numpy(dtype=float)
        cols += list((base[:, None] * c).T)
    A = np.column_stack(cols)
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    if experiments is not None and len(experiments):
        sigma = float(np.std(y - A @ coef, ddof=A.shape[1]))
        rows, lifts = [A / sigma], [y / sigma]
        moved = experiments.get("spend_tested", pd.Series(np.nan, experiments.index)).to_numpy(dtype=float)
        for e, tested in zip(experiments.itertuples(index=False), moved, strict=True):
            n = nets.index(e.name)
            inside = np.flatnonzero((idx >= pd.Timestamp(e.start)) & (idx <= pd.Timestamp(e.end)))
            x = spend[e.name].to_numpy(dtype=float)
            share = 1.0 if not np.isfinite(tested) else float(tested) / float(x[inside].sum())
            row = np.zeros(A.shape[1])
            row[n] = _window_lift(x, tw.loc[e.name], inside, share) / e.lift_se
            rows.append(row[None, :])
            lifts.append(np.array([e.lift / e.lift_se]))
        coef = np.linalg.lstsq(np.vstack(rows), np.concatenate(lifts), rcond=None)[0]
    coef = coef[:len(nets)]
    out = sample.truth.loc[sample.truth["kind"] != "creator"].reset_index(drop=True).copy()
    ratio = pd.Series(coef / tw.loc[nets, "beta"].to_numpy(dtype=float), index=nets)
    out["beta"] = out["beta"] * np.maximum(ratio.reindex(out["name"]).to_numpy(), 1e-6)
    return out


def _window_lift(x: np.ndarray, true: pd.Series, inside: np.ndarray, share: float = 1.0) -> float:
    """Return the true shape's lift (per unit of scale) over weeks ``inside``: their spend against that less ``share``.

    ``share`` 1 is a holdout (no spend in the window, the carry-over decaying); less, a heavy-up's money held back.
    """
    d, s, k = true["decay"], true["s"], true["k"]
    a = adstock(x, d, x0=x[0])
    t0 = int(inside[0])
    less = adstock(x[inside] * (1.0 - share), d, x0=a[t0 - 1] if t0 > 0 else x[0])
    on, off = a[inside] ** s, less**s
    return float(np.sum(on / (on + k**s) - off / (off + k**s)))
