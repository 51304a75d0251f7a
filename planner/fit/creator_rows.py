"""Creators' rows of the curve table: campaigns from the data, curves from planner.fit.creators.

A creator's rows in one calendar quarter are one campaign: one point (fee paid,
promo-code revenue), and the curve goes through the origin.  The model
(planner.fit.creators) pools every creator's level toward its network
(planner.fit.pooling), explained in plain words in ``pooling_note``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.names import creator_name
from planner.curves.forms import get_form
from planner.fit.creators import fit_creator_model
from planner.fit.pooling import pooling_note
from planner.fit.shapes import log_shape
from planner.fit.table_rows import SOURCES, TABLE_COLUMNS, floor_outcome, in_sample

__all__ = ["fit_creators"]


def _campaigns(rows: pd.DataFrame) -> pd.DataFrame:
    """One point per creator per calendar quarter: spend, outcome and attributes."""
    ent = rows["entity"].fillna("").astype(str).str.strip()
    df = rows.loc[ent != ""].copy()
    df["entity"] = ent[ent != ""]
    df["network"] = df["network"].astype(str).str.strip()
    df["spend"] = pd.to_numeric(df["spend"], errors="coerce")
    df["outcome"] = pd.to_numeric(df["outcome"], errors="coerce")
    df = df.dropna(subset=["spend", "outcome", "date"])
    df["date"] = pd.to_datetime(df["date"])
    df["quarter"] = df["date"].dt.to_period("Q")
    posts = pd.to_numeric(df["posts"], errors="coerce") if "posts" in df else pd.Series(np.nan, index=df.index)
    df["_fee"] = np.where(posts > 0, df["spend"] / posts.where(posts > 0), np.nan)
    df["_followers"] = pd.to_numeric(df["followers"], errors="coerce") if "followers" in df else np.nan
    df["_max_posts"] = pd.to_numeric(df["max_posts"], errors="coerce") if "max_posts" in df else np.nan
    g = df.groupby(["network", "entity", "quarter"], sort=True, observed=True)
    camp = g.agg(spend=("spend", "sum"), outcome=("outcome", "sum")).reset_index()
    attrs = df.groupby(["network", "entity"], sort=True, observed=True).agg(
        unit_cost=("_fee", "median"), followers=("_followers", "median"), max_posts=("_max_posts", "max")
    )
    return camp.merge(attrs.reset_index(), on=["network", "entity"], how="left")


def fit_creators(rows: pd.DataFrame, period_weeks: float = 13) -> pd.DataFrame:
    """Fit the curve-table rows of every creator in attributed ``rows`` (entity != "").

    Parameters
    ----------
    rows : DataFrame
        Canonical attributed rows (``date, network, entity, spend, outcome``; optional
        ``posts, followers`` and ``max_posts``).  Rows of a creator in one calendar
        quarter form one campaign; campaigns without spend are not fitted.
    period_weeks : float
        Length of the planning period.  A campaign is one quarter (13 weeks) of a
        creator's activity, so curves and spends are rescaled by ``P / 13`` when P differs.

    Returns
    -------
    DataFrame
        Columns :data:`TABLE_COLUMNS` (see :func:`fit_curves`); ``r2`` and ``mape`` are
        **in-sample**, on the revenue scale of the creator's campaigns (``r2`` NaN below
        three campaigns).  Rows named ``"Network/@handle"``, by network and handle;
        ``current_spend`` is the last campaign's spend, ``unit_cost`` the median fee per
        post (NaN without ``posts``) and ``max_spend`` the largest ``max_posts`` times it
        and ``P / 13`` (NaN without either).  Empty (same columns) when no creator has a campaign.
    """
    camp = _campaigns(rows)
    camp = camp.loc[camp["spend"] > 0].reset_index(drop=True)
    if camp.empty:
        return pd.DataFrame(columns=list(TABLE_COLUMNS))
    f = period_weeks / 13.0
    camp["y"] = floor_outcome(camp["outcome"].to_numpy(dtype=float))
    keys = camp[["network", "entity"]].drop_duplicates().sort_values(["network", "entity"]).reset_index(drop=True)
    keys["cid"] = np.arange(len(keys))
    camp = camp.merge(keys, on=["network", "entity"])
    cr = camp.groupby("cid").agg(
        network=("network", "first"), entity=("entity", "first"), unit_cost=("unit_cost", "first"),
        followers=("followers", "first"), max_posts=("max_posts", "first"), n=("spend", "size"),
    )
    model = fit_creator_model(camp[["cid", "spend", "y"]], cr)
    out = []
    by_creator = camp.sort_values(["cid", "quarter"]).groupby("cid", sort=True)
    for j, ((_cid, row), (_, pts)) in enumerate(zip(cr.iterrows(), by_creator, strict=True)):
        x = pts["spend"].to_numpy(dtype=float)
        form, beta, k, s = model.form[j], float(model.beta[j]), float(model.k[j]), float(model.s[j])
        yhat = beta * np.exp(log_shape(form, x / k, 0.0, s))
        r2, mape = in_sample(pts["outcome"].to_numpy(dtype=float), yhat)
        unit = float(row["unit_cost"]) if np.isfinite(row["unit_cost"]) else np.nan
        max_posts = float(row["max_posts"])
        max_spend = max_posts * unit * f if np.isfinite(max_posts) and np.isfinite(unit) else np.nan
        note = pooling_note(
            row["network"], int(row["n"]), float(model.pooled_weight[j]), float(model.own_roas[j]),
            float(model.prior_roas[j]), float(model.used_roas[j]), float(model.ref_spend[j]) * f,
            float(model.ref_units[j]), model.unit[j], model.covariate[j], model.sigma, float(model.tau[j]),
        )
        out.append({
            "name": creator_name(row["network"], row["entity"]), "network": row["network"], "curve": form,
            "beta": beta * f, "k": k * f, "s": s if get_form(form).needs_s else np.nan,
            "min_spend": np.nan, "max_spend": max_spend, "unit_cost": unit,
            "current_spend": float(x[-1]) * f, "observed_min": float(x.min()) * f,
            "observed_max": float(x.max()) * f, "n_obs": int(len(x)), "r2": r2, "mape": mape,
            "source": SOURCES["creator"], "pooled_weight": float(model.pooled_weight[j]),
            "beta_p10": beta * f * float(model.lo[j]), "beta_p90": beta * f * float(model.hi[j]),
            "pooling_note": note,
        })
    return pd.DataFrame(out, columns=list(TABLE_COLUMNS))
