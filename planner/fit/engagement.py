"""Engagements per dollar for each row of the curve table (column ``engagement_per_dollar``).

The optimizer can value engagement besides revenue (``optimize(..., engagement_weight=w)``):
a row's engagements are ``engagement_per_dollar x spend``.  This module estimates that
rate from the campaign data (the ``engagements`` field: likes, comments, shares, saves).

* **Paid media** of a network (``entity == ""``): its engagements divided by its spend,
  over the rows that report engagements.  Not pooled.
* **Creators.**  A "campaign" here is a creator's rows in one calendar quarter (a rate
  per dollar does not depend on how a quarter splits into campaigns, which the response
  curves read: planner.fit.creator_rows).  A creator's own rate is its engagements divided by its fees over the
  campaigns that report engagements.  Rates differ by orders of magnitude between
  creators and networks and the noise is multiplicative, so the rate is pooled on the
  log scale: ``y_i = log(own rate)`` with variance ``sigma2 / n_i`` (``n_i`` campaigns;
  ``sigma2`` the spread of one campaign's log rate around its creator's mean, from all
  creators with two or more campaigns), and per network the creators' rates are shrunk
  toward the network's figure by empirical Bayes (planner.fit.pooling.shrink, constant prior
  mean): ``log rate = w_i * y_i + (1 - w_i) * network``, ``w_i = tau2 / (tau2 + sigma2 / n_i)``.
  A creator with one campaign moves most of the way to its network's figure, one with
  eight keeps nearly its own.  A network with fewer than three creators is not pooled.
  A creator none of whose campaigns report engagements gets its network's figure; a
  creator with zero engagements counts as half the smallest positive rate seen.

Rows without an estimate (marketing-mix networks, data without engagements) are NaN,
which the optimizer counts as 0.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planner.base.names import creator_names, is_creator
from planner.fit.pooling import shrink

__all__ = ["COLUMN", "has_engagements", "engagement_rates", "engagement_per_dollar"]

COLUMN = "engagement_per_dollar"
RATE_COLUMNS = ["name", "network", "campaigns", "own_per_dollar", "engagement_per_dollar", "pooled_weight",
                "network_per_dollar"]


def _rows_with_engagements(datasets: Iterable) -> pd.DataFrame:
    """Attributed rows of every dataset that report engagements and a positive spend."""
    parts = []
    for ds in datasets:
        rows = getattr(ds, "rows", None)
        if getattr(ds, "kind", None) != "attributed" or rows is None or "engagements" not in rows.columns:
            continue
        r = pd.DataFrame({
            "network": rows["network"].astype(str).str.strip(),
            "entity": (rows["entity"] if "entity" in rows.columns else pd.Series("", index=rows.index))
            .fillna("").astype(str).str.strip(),
            "spend": pd.to_numeric(rows["spend"], errors="coerce"),
            "engagements": pd.to_numeric(rows["engagements"], errors="coerce"),
            "date": pd.to_datetime(rows["date"], errors="coerce") if "date" in rows.columns else pd.NaT,
        })
        parts.append(r[r["engagements"].notna() & (r["engagements"] >= 0) & (r["spend"] > 0)])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["network", "entity", "spend", "engagements", "date"])


def has_engagements(datasets: Iterable) -> bool:
    """Return True when any attributed dataset reports engagements for a row with spend.

    Parameters
    ----------
    datasets : iterable of Dataset
        Anything with ``kind`` and ``rows``; attributed datasets whose rows have an
        ``engagements`` column count.

    Returns
    -------
    bool
        True when some row has engagements (0 or more) and spend above 0.
    """
    return len(_rows_with_engagements(datasets)) > 0


def _pooled_creators(camp: pd.DataFrame) -> pd.DataFrame:
    """Per creator: own rate and the rate pooled toward its network (see the module docstring)."""
    camp = camp.assign(rate=camp["engagements"] / camp["spend"])
    floor = 0.5 * camp.loc[camp["rate"] > 0, "rate"].min() if (camp["rate"] > 0).any() else 1e-6
    camp["log_rate"] = np.log(np.maximum(camp["rate"], floor))
    g = camp.groupby(["network", "entity"], sort=True)
    cr = g.agg(campaigns=("spend", "size"), spend=("spend", "sum"), engagements=("engagements", "sum")).reset_index()
    cr["own_per_dollar"] = cr["engagements"] / cr["spend"]
    cr["y"] = np.log(np.maximum(cr["own_per_dollar"], floor))
    dev = camp["log_rate"] - g["log_rate"].transform("mean")
    dof = float((cr["campaigns"] - 1).sum())
    sigma2 = float((dev**2).sum() / dof) if dof >= 2 else float("nan")
    cr["post"], cr["pooled_weight"] = cr["y"], 0.0
    # without pooling, the network's figure is its creators' mean log rate weighted by campaigns
    n = cr["campaigns"].astype(float)
    cr["prior"] = (cr["y"] * n).groupby(cr["network"]).transform("sum") / n.groupby(cr["network"]).transform("sum")
    if np.isfinite(sigma2) and sigma2 > 0:
        for _, idx in cr.groupby("network", sort=False).groups.items():
            sub = cr.loc[idx]
            s = shrink(sub["y"].to_numpy(), sub["campaigns"].to_numpy(), sigma2)
            if len(sub) >= 3:
                cr.loc[idx, "prior"] = s.prior_mean
            cr.loc[idx, "post"] = s.post_mean
            cr.loc[idx, "pooled_weight"] = s.pooled_weight
    some = float((camp["rate"] > 0).any())  # no engagement at all: every rate is 0, not the floor
    cr["engagement_per_dollar"] = np.exp(cr["post"]) * some
    cr["network_per_dollar"] = np.exp(cr["prior"]) * some
    cr["name"] = creator_names(cr["network"], cr["entity"])
    return cr


def engagement_rates(datasets: Iterable) -> pd.DataFrame:
    """Return the engagements per dollar of every network's paid media and every creator with engagements.

    Parameters
    ----------
    datasets : iterable of Dataset
        Anything with ``kind`` and ``rows`` (planner.data.dataset.Dataset); attributed
        datasets whose rows have an ``engagements`` column count.

    Returns
    -------
    DataFrame
        Columns ``name, network, campaigns`` (campaigns, or rows for paid media, that
        report engagements), ``own_per_dollar`` (engagements / spend in the data),
        ``engagement_per_dollar`` (the estimate: pooled for creators) and
        ``pooled_weight`` (0..1, how far a creator was pulled to its network; 0 for
        paid media) and ``network_per_dollar`` (a creator's network figure, the value it
        is pulled toward; NaN for paid media).  Empty (same columns) when no dataset
        reports engagements.
    """
    rows = _rows_with_engagements(datasets)
    if rows.empty:
        return pd.DataFrame(columns=RATE_COLUMNS)
    out = []
    paid = rows[rows["entity"] == ""]
    if len(paid):
        p = paid.groupby("network", sort=True).agg(campaigns=("spend", "size"), spend=("spend", "sum"),
                                                   engagements=("engagements", "sum")).reset_index()
        p["own_per_dollar"] = p["engagements"] / p["spend"]
        out.append(p.assign(name=p["network"], engagement_per_dollar=p["own_per_dollar"], pooled_weight=0.0,
                            network_per_dollar=np.nan))
    creators = rows[rows["entity"] != ""]
    if len(creators):
        quarter = creators["date"].dt.to_period("Q").astype(str).where(creators["date"].notna(),
                                                                       creators.index.astype(str))
        camp = creators.assign(quarter=quarter).groupby(["network", "entity", "quarter"], sort=True)[
            ["spend", "engagements"]].sum().reset_index()
        out.append(_pooled_creators(camp))
    return pd.concat([o[RATE_COLUMNS] for o in out], ignore_index=True)


def engagement_per_dollar(curves: pd.DataFrame, datasets: Iterable) -> pd.Series:
    """Return the ``engagement_per_dollar`` column for the rows of ``curves`` (NaN where unknown).

    Rows are matched by name (:func:`engagement_rates`); a creator (``Network/@handle``)
    without engagements in the data gets its network's figure for creators (the mean
    its creators are pooled toward).

    Parameters
    ----------
    curves : DataFrame
        The curve table (``name``, ``network``).
    datasets : iterable of Dataset
        As for :func:`engagement_rates`.

    Returns
    -------
    Series
        Named ``engagement_per_dollar``, on the index of ``curves``: engagements per
        dollar of spend; NaN where unknown (marketing-mix networks, data without
        engagements).
    """
    rates = engagement_rates(datasets)
    names = curves["name"].astype(str)
    out = names.map(rates.drop_duplicates("name").set_index("name")["engagement_per_dollar"]).astype(float)
    creators = rates[is_creator(rates["name"])]
    missing = out.isna() & is_creator(names)
    if len(creators) and missing.any():
        network = creators.drop_duplicates("network").set_index("network")["network_per_dollar"]
        out[missing] = curves["network"].astype(str).str.strip()[missing].map(network).astype(float)
    return out.rename(COLUMN)
