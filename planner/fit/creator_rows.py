"""Creators' rows of the curve table: campaigns from the data, curves from planner.fit.creators.

A campaign is a creator's rows with one campaign id (the optional ``campaign`` column),
else its rows on one date: one point (fee paid, promo-code revenue) of the response ``f``
of one campaign, a curve through the origin.  The model (planner.fit.creators) fits ``f``
from every creator's campaigns and pools its level toward its network
(planner.fit.pooling), explained in plain words in ``pooling_note``.

The curve table is per planning period (a quarter).  A creator that runs ``c`` campaigns
a quarter, its spend split evenly between them, returns ``c * f(x / c)``: for every form
the same form with ``beta`` and ``k`` times ``c`` (:meth:`planner.curves.forms.CurveForm.repeat`).
``c`` is the median number of campaigns in the quarters the creator was active (at least
1, a half rounded down), written in the column ``campaigns`` (campaigns in the planning
period) and said in the note; a roster's "Campaigns per quarter" replaces it
(planner.fit.roster).  Two 2-post campaigns are not one 4-post campaign.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.base.format import money, pct, things
from planner.base.names import creator_name
from planner.curves.campaign_controls import EFFECT, HIGH, LOW, USUAL
from planner.curves.forms import get_form
from planner.curves.season import SEASON
from planner.curves.support import IN_TOTAL_COLUMN
from planner.fit.budget import NOTES
from planner.fit.creators import fit_creator_model
from planner.fit.pooling import pooling_note
from planner.fit.shapes import log_shape
from planner.fit.table_rows import SOURCES, TABLE_COLUMNS, floor_outcome, in_sample

__all__ = ["CAMPAIGNS", "fit_creators", "campaigns_of", "usual_campaigns", "campaigns_note", "roster_campaigns_note",
           "unsold_note", "unsold_summary", "wave_note", "free_note"]

CAMPAIGNS = "campaigns"  # the curve table's column: a creator's campaigns in the planning period
COUNTS_SAID = 0.2  # the part of the campaigns' scatter their order counts make from which the fit says so
CONTROL = "control: "  # the prefix of a row's control (a discount, a launch) among the columns of rows


def campaigns_of(rows: pd.DataFrame) -> pd.DataFrame:
    """Return one point per creator campaign: its rows with one campaign id, else its rows on one date.

    Parameters
    ----------
    rows : DataFrame
        Canonical attributed rows (``date, network, entity, spend, outcome``; optional
        ``campaign``, ``posts``, ``followers``, ``max_posts``, and controls: columns named
        :data:`CONTROL` + name, averaged over a campaign's rows).  Rows of paid media
        (``entity`` blank) and rows without spend, outcome or date are left out; a row
        with a blank campaign id is a campaign of its date.

    Returns
    -------
    DataFrame
        ``network, entity, date`` (the campaign's first date), ``quarter`` (its calendar
        quarter), ``spend, outcome`` (summed), and the creator's ``unit_cost`` (median fee
        per post over its rows with posts), ``followers`` (median) and ``max_posts``
        (largest), in order of creator and date.
    """
    ent = rows["entity"].fillna("").astype(str).str.strip()
    df = rows.loc[ent != ""].copy()
    df["entity"] = ent[ent != ""]
    df["network"] = df["network"].astype(str).str.strip()
    df["spend"] = pd.to_numeric(df["spend"], errors="coerce")
    df["outcome"] = pd.to_numeric(df["outcome"], errors="coerce")
    df = df.dropna(subset=["spend", "outcome", "date"])
    df["date"] = pd.to_datetime(df["date"])
    ids = df["campaign"].astype(object).where(df["campaign"].notna(), "").astype(str).str.strip() \
        if "campaign" in df else pd.Series("", index=df.index)
    df["_campaign"] = np.where(ids != "", "id " + ids, "date " + df["date"].dt.strftime("%Y-%m-%d"))
    posts = pd.to_numeric(df["posts"], errors="coerce") if "posts" in df else pd.Series(np.nan, index=df.index)
    df["_fee"] = np.where(posts > 0, df["spend"] / posts.where(posts > 0), np.nan)
    df["_followers"] = pd.to_numeric(df["followers"], errors="coerce") if "followers" in df else np.nan
    df["_max_posts"] = pd.to_numeric(df["max_posts"], errors="coerce") if "max_posts" in df else np.nan
    g = df.groupby(["network", "entity", "_campaign"], sort=True, observed=True)
    extra = {c: (c, "mean") for c in df.columns if str(c).startswith(CONTROL)}  # a campaign's controls: its rows' mean
    if "sales_group" in df:  # sales known only in total over a code's campaigns (planner.data.code_sales)
        extra["sales_group"] = ("sales_group", "first")
    if "orders" in df:  # a campaign's orders, where every row of it says them (planner.fit.order_counts)
        df["_orders"] = pd.to_numeric(df["orders"], errors="coerce")
        extra["orders"] = ("_orders", lambda v: v.sum() if v.notna().all() else np.nan)
    camp = g.agg(date=("date", "min"), spend=("spend", "sum"), outcome=("outcome", "sum"), **extra).reset_index()
    camp["quarter"] = camp["date"].dt.to_period("Q")
    attrs = df.groupby(["network", "entity"], sort=True, observed=True).agg(
        unit_cost=("_fee", "median"), followers=("_followers", "median"), max_posts=("_max_posts", "max")
    )
    camp = camp.merge(attrs.reset_index(), on=["network", "entity"], how="left")
    return camp.drop(columns="_campaign").sort_values(["network", "entity", "date"], ignore_index=True)


def usual_campaigns(quarters) -> int:
    """Return a creator's usual campaigns a quarter: the median over the quarters it was active.

    Parameters
    ----------
    quarters : array-like
        The quarter (any label) of each of its campaigns.

    Returns
    -------
    int
        The median count per quarter with a campaign, a half rounded down (2 and 3 give 2),
        at least 1.
    """
    counts = pd.Series(np.asarray(quarters)).value_counts().to_numpy(dtype=float)
    return max(1, math.ceil(float(np.median(counts)) - 0.5)) if len(counts) else 1


def unsold_note(network: str, n: int, unsold: int, share: float, network_share: float, none_sold: bool,
                floor: float) -> str:
    """Say how a creator's campaigns that sold nothing shape its curve (planner.fit.sold_share); ``""`` if none did.

    Parameters
    ----------
    network : str
        The creator's network.
    n, unsold : int
        Its campaigns, and those that returned no revenue (0 when none of them sold: see ``none_sold``).
    share, network_share : float
        Its chance that a campaign sells, as the curve uses it, and its network's share of campaigns that sold.
    none_sold : bool
        None of its campaigns returned revenue.
    floor : float
        What each campaign without revenue counts as when none sold (half the least any campaign returned).

    Returns
    -------
    str
        One sentence with a leading space, e.g. " 1 of its 3 campaigns sold nothing: the curve is what its
        campaigns return when they sell, times its chance of selling, 79.0% (Instagram creators': 88.2%)."
    """
    if none_sold:
        return (f" None of its {things(n, 'campaign')} returned revenue: each counts as {money(floor)}, half the "
                "least any campaign returned.")
    if unsold:
        return (f" {unsold} of its {things(n, 'campaign')} sold nothing: the curve is what its campaigns return when "
                f"they sell, times its chance of selling, {pct(share)} ({network} creators': {pct(network_share)}).")
    if network_share < 1.0:
        return (f" Its campaigns all sold; {pct(1.0 - network_share)} of {network} creators' campaigns sold nothing, so "
                f"the curve counts its chance of selling as {pct(share)}.")
    return ""


def wave_note(wave) -> str:
    """Say the yearly wave taken out of the campaigns' revenue (planner.fit.campaign_season.CampaignWave).

    E.g. "Campaigns return most around 16 Nov (+30% on the year's average) and least six months later (-30%):
    each creator's curve is the average quarter's, its campaigns' time of year taken out."
    """
    best, worst = wave.swing()
    top = wave.top()
    return (f"Campaigns return most around {top.day} {top:%b} ({pct(best - 1.0, 0, signed=True)} on the year's average) and "
            f"least six months later ({pct(worst - 1.0, 0, signed=True)}): each creator's curve is the average "
            "quarter's, its campaigns' time of year taken out.")


def unsold_summary(unsold: int, campaigns: int, creators: int) -> str:
    """Say, for the fit's notes, how many campaigns sold nothing and how the curves count them; ``""`` if none.

    Parameters
    ----------
    unsold, campaigns, creators : int
        Campaigns that returned no revenue, all campaigns, and the creators who ran the unsold ones.

    Returns
    -------
    str
    """
    if not unsold:
        return ""
    return (f"{unsold:,} of {things(campaigns, 'campaign')} (of {things(creators, 'creator')}) returned no revenue. "
            "Each creator's curve is what its campaigns return when they sell, times its chance that a campaign "
            "sells (its own share, pulled toward its network's), not a sale of almost nothing.")


def campaigns_note(per_quarter: float, posts: float, spend: float, period_weeks: float = 13) -> str:
    """Say in one sentence what the plan assumes of a creator's campaigns.

    Parameters
    ----------
    per_quarter : float
        Campaigns a quarter the curve assumes.
    posts : float
        Posts of its typical campaign (NaN when the data has no posts: ``spend`` is said instead).
    spend : float
        Spend of its typical campaign, dollars.
    period_weeks : float, default 13
        Weeks in the planning period; other than 13, the campaigns in the period are said too.

    Returns
    -------
    str
        E.g. "Planned as 2 campaigns a quarter of about 3 posts each, as in its history."
    """
    n = f"{per_quarter:g}"
    size = f"about {posts:.0f} post{'' if round(posts) == 1 else 's'}" if np.isfinite(posts) and posts > 0 \
        else f"about {money(spend)}"
    each = size if n == "1" else f"{size} each"
    period = "" if abs(period_weeks - 13) < 1e-9 else \
        f" ({per_quarter * period_weeks / 13:.2g} in the {period_weeks:g}-week planning period)"
    return f"Planned as {n} campaign{'' if n == '1' else 's'} a quarter{period} of {each}, as in its history."


def roster_campaigns_note(note: str, campaigns: float) -> str:
    """Return a creator's note with the campaigns a roster sets in place of those of its history.

    Parameters
    ----------
    note : str
        The curve table's ``pooling_note`` (its sentence from :func:`campaigns_note`, if any, is replaced).
    campaigns : float
        Campaigns in the planning period the roster sets.

    Returns
    -------
    str
        E.g. "... Planned as 3 campaigns in the period, as the roster says."
    """
    kept = re.sub(r"\s*Planned as .*?, as in its history\.", "", note).strip()
    n = f"{campaigns:.2g}"
    return f"{kept} Planned as {n} campaign{'' if n == '1' else 's'} in the period, as the roster says.".strip()


def fit_creators(rows: pd.DataFrame, period_weeks: float = 13, controls: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fit the curve-table rows of every creator in attributed ``rows`` (entity != "").

    Parameters
    ----------
    rows : DataFrame
        Canonical attributed rows (``date, network, entity, spend, outcome``; optional
        ``campaign``, ``posts, followers`` and ``max_posts``).  A creator's rows with one
        campaign id, else on one date, form one campaign (:func:`campaigns_of`);
        campaigns without spend are not fitted.
    period_weeks : float
        Length of the planning period: ``c`` campaigns a quarter are ``c * P / 13`` in it.
    controls : DataFrame or None, default None
        Each row's controls (a discount, a launch: ``Dataset.controls``, ``date`` and a column per
        control, aligned with ``rows``); their effect on campaigns is taken out (planner.fit.campaign_controls)
        and said in the notes.

    Returns
    -------
    DataFrame
        Columns :data:`TABLE_COLUMNS` (see :func:`fit_curves`) and ``campaigns`` (the
        creator's campaigns in the planning period, :func:`usual_campaigns` times ``P / 13``):
        the curve is the period's response to spend split evenly over them.  ``r2`` and
        ``mape`` are **in-sample**, on the revenue scale of the creator's campaigns (``r2``
        NaN below three campaigns); ``n_obs`` counts campaigns.  Rows named
        ``"Network/@handle"``, by network and handle; ``current_spend`` is the spend of the
        creator's last quarter with a campaign and ``observed_min, observed_max`` the least
        and most of its quarters (times ``P / 13``), ``unit_cost`` the median fee per post
        (NaN without ``posts``) and ``max_spend`` the largest ``max_posts`` times it and
        ``P / 13`` (NaN without either).  Empty (same columns) when no creator has a campaign.
    """
    columns = list(TABLE_COLUMNS) + [CAMPAIGNS]
    names = [str(c) for c in controls.columns if c != "date"] if controls is not None else []
    if names:
        rows = rows.assign(**{CONTROL + n: controls[n].to_numpy(dtype=float) for n in names})
    camp = campaigns_of(rows)
    free = free_note(camp)  # campaigns that cost nothing (gifted): on no curve, and said
    camp = camp.loc[camp["spend"] > 0].reset_index(drop=True)
    if camp.empty:
        empty = pd.DataFrame(columns=columns)
        if free:
            empty.attrs[NOTES] = [free]
        return empty
    f = period_weeks / 13.0
    camp["y"] = floor_outcome(camp["outcome"].to_numpy(dtype=float))
    camp["sold"] = camp["outcome"].to_numpy(dtype=float) > 0
    if not camp["sold"].any():
        raise InputError(f"None of the creators' {things(len(camp), 'campaign')} returned revenue, so there is no "
                         "response to fit: check that the outcome column is the campaigns' revenue (promo-code "
                         "revenue), not a blank or zero column.")
    keys = camp[["network", "entity"]].drop_duplicates().sort_values(["network", "entity"]).reset_index(drop=True)
    keys["cid"] = np.arange(len(keys))
    camp = camp.merge(keys, on=["network", "entity"])
    cr = camp.groupby("cid").agg(
        network=("network", "first"), entity=("entity", "first"), unit_cost=("unit_cost", "first"),
        followers=("followers", "first"), max_posts=("max_posts", "first"), n=("spend", "size"),
    )
    ctrl = tuple(CONTROL + n for n in names)
    counts = ["orders"] if "orders" in camp else []
    counts += ["sales_group"] if "sales_group" in camp else []
    model = fit_creator_model(camp[["cid", "spend", "y", "sold", "date", *counts, *ctrl]], cr, ctrl)
    floor = float(camp["y"].min())  # what a campaign without revenue counts as, where none of a creator's sold
    out = []
    by_creator = camp.sort_values(["cid", "date"]).groupby("cid", sort=True)
    for j, ((_cid, row), (_, pts)) in enumerate(zip(cr.iterrows(), by_creator, strict=True)):
        x = pts["spend"].to_numpy(dtype=float)
        form, beta, k, s = model.form[j], float(model.beta[j]), float(model.k[j]), float(model.s[j])
        yhat = beta * np.exp(log_shape(form, x / k, 0.0, s))
        if model.wave is not None:  # scored against its campaigns as they were: at their time of year
            yhat = yhat * np.exp(model.wave.log_multiplier(pts["date"].to_numpy()))
        if model.controls is not None and len(model.controls.names):  # and with their own controls
            yhat = yhat * np.exp(model.controls.log_multiplier(pts[list(ctrl)].to_numpy(dtype=float)))
        r2, mape = in_sample(pts["outcome"].to_numpy(dtype=float), yhat)
        unit = float(row["unit_cost"]) if np.isfinite(row["unit_cost"]) else np.nan
        max_posts = float(row["max_posts"])
        max_spend = max_posts * unit * f if np.isfinite(max_posts) and np.isfinite(unit) else np.nan
        per_q = usual_campaigns(pts["quarter"])
        quarters = pts.groupby("quarter", sort=True)["spend"].sum().to_numpy(dtype=float) * f
        # the period's curve: per_q * f campaigns of a per_q * f-th of the spend each
        q_beta, q_k, _ = get_form(form).repeat(beta, k, s, per_q * f)
        q_beta, q_k = float(q_beta), float(q_k)
        unsold = int(model.sold.unsold[j])
        note = pooling_note(
            row["network"], int(row["n"]) - unsold, float(model.pooled_weight[j]), float(model.own_roas[j]),
            float(model.prior_roas[j]), float(model.used_roas[j]), float(model.ref_spend[j]),
            float(model.ref_units[j]), model.unit[j], model.covariate[j], model.sigma, float(model.tau[j]),
        )
        note += unsold_note(row["network"], int(row["n"]), unsold, float(model.sold.share[j]),
                            float(model.sold.network_share[j]), float(pts["outcome"].max()) <= 0, floor)
        note += " " + campaigns_note(per_q, float(np.median(x)) / unit, float(np.median(x)), period_weeks)
        out.append({
            "name": creator_name(row["network"], row["entity"]), "network": row["network"], "curve": form,
            "beta": q_beta, "k": q_k, "s": s if get_form(form).needs_s else np.nan,
            "min_spend": np.nan, "max_spend": max_spend, "unit_cost": unit,
            "current_spend": float(quarters[-1]), "observed_min": float(quarters.min()),
            "observed_max": float(quarters.max()), "n_obs": int(len(x)), "r2": r2, "mape": mape,
            "source": SOURCES["creator"], "pooled_weight": float(model.pooled_weight[j]),
            "beta_p10": q_beta * float(model.lo[j]), "beta_p90": q_beta * float(model.hi[j]),
            "pooling_note": note, CAMPAIGNS: per_q * f,
        })
    table = pd.DataFrame(out, columns=columns)
    if model.controls is not None:  # each control's effect and usual level, to plan with it set (curves.campaign_controls)
        fx = model.controls
        for name, g, u, lo, hi in zip(fx.names, fx.coef, fx.usual, fx.low, fx.high, strict=True):
            shown = name[len(CONTROL):] if name.startswith(CONTROL) else name
            table = table.assign(**{EFFECT + shown: float(g), USUAL + shown: float(u), LOW + shown: float(lo),
                                    HIGH + shown: float(hi)})
    if model.wave is not None:  # the campaigns' yearly wave, for a plan over a horizon (planner.curves.season)
        table = table.assign(**dict(zip(SEASON, model.wave.season_terms(), strict=True)))
    unsold = int((~camp["sold"]).sum())
    notes = [wave_note(model.wave)] if model.wave is not None else []
    if model.counts is not None and model.counts.counted >= COUNTS_SAID:  # campaigns of few orders weigh less
        notes.append(f"Campaigns of few orders scatter more: their order counts make {pct(model.counts.counted, 0)} of "
                     "the campaigns' scatter, so each campaign is weighed by its orders, and a creator whose campaigns "
                     "sold few is pulled further toward its network's creators.")
    if model.controls is not None:  # the campaigns' controls: what each did, and those left out
        notes.append(model.controls.sentences(CONTROL))
    if unsold:  # said once for the file (planner.fit.budget.NOTES), and per creator in its note
        notes.append(unsold_summary(unsold, len(camp), int(camp.loc[~camp["sold"], "cid"].nunique())))
    if free:
        notes.append(free)
    grouped = camp["sales_group"].fillna("") != "" if "sales_group" in camp else pd.Series(False, camp.index)
    if grouped.any():
        split = camp.loc[grouped]
        who = {creator_name(n, e) for n, e in zip(split["network"], split["entity"], strict=True)}  # on sums
        table[IN_TOTAL_COLUMN] = table["name"].isin(who).astype(float)
        notes.append(f"{things(int(split['cid'].nunique()), 'creator')} had the sales of their codes only in total "
                     f"over {things(len(split), 'campaign')} (a promo-code report without dates), shown split by fee: "
                     "their curves cannot tell how returns fall as a fee grows, so their bands span the shapes the "
                     "other creators show (all shapes, where none has sales of its own). A report by day gives each "
                     "campaign its own.")
    if notes:
        table.attrs[NOTES] = notes
    return table


def free_note(camp: pd.DataFrame) -> str:
    """Say the campaigns that cost nothing (gifted or seeded), ``""`` when every campaign had a cost.

    No curve of revenue against spend can read them.

    E.g. "6 campaigns of 6 creators cost nothing (gifted or seeded, $59,400 of revenue), so they are on no response
    curve: a curve of revenue against spend reads nothing from a campaign without spend. Give what they cost (a
    product cost column, or the fee) to count them."
    """
    free = camp.loc[camp["spend"] <= 0]
    if free.empty:
        return ""
    n, who = len(free), int(free[["network", "entity"]].drop_duplicates().shape[0])
    return (f"{things(n, 'campaign')} of {things(who, 'creator')} cost nothing (gifted or seeded, "
            f"{money(float(free['outcome'].sum()))} of revenue), so {'they are' if n > 1 else 'it is'} on no "
            "response curve: a curve of revenue against spend reads nothing from a campaign without spend. Give "
            f"what {'they' if n > 1 else 'it'} cost (a product cost column, or the fee) to count "
            f"{'them' if n > 1 else 'it'}.")
