"""What a creator roster changes in the curve table: unit costs, bounds in posts and net returns.

    from planner.data.roster import find_roster
    from planner.fit.roster import apply_roster
    roster = find_roster("creator_campaigns.xlsx")
    curves = apply_roster(fit_curves(datasets), roster, datasets)

How a roster changes a creator's row of the curve table
    - ``unit_cost`` (what one post costs) = fee per post + product cost per post +
      usage rights per post, so the optimiser buys whole posts at their full cost;
    - ``max_spend`` = maximum posts x unit cost (``min_spend`` likewise from minimum
      posts, e.g. posts already contracted); a maximum "per month" is three per quarter;
    - the curve is a response to posts bought: when a post now costs a different
      amount than in the campaign data (a new fee, or costs the data's spend did not
      include), spend is rescaled so that the same posts give the same response
      (``k`` times the ratio of new to old cost per post; ``beta`` divided by it for
      linear curves; ``current_spend`` and the observed range likewise; a post brings
      the same engagements, so ``engagement_per_dollar`` is divided by it);
    - commission on sales makes the response net: ``beta`` (and its interval) times
      (1 - commission), unless the campaign data were already net of commission;
    - campaigns a quarter (a roster's "Campaigns per quarter") replace the creator's usual
      number in the data (column ``campaigns``, planner.fit.creator_rows): the period's curve
      of c campaigns is ``c * f(x / c)`` of one campaign's ``f``, so ``beta`` (and its
      interval) and ``k`` follow the ratio of new to old campaigns (the form's ``repeat``).
    So every return the planner shows for a creator is net of fee, product, usage
    rights and commission.  Costs the campaign data already counted (columns such as
    "Product cost" in the campaigns table, see planner.data.long_table) are not counted twice.

Columns added to the curve table: ``fee_per_post``, ``other_cost_per_post``,
``commission_pct`` (empty for rows the roster does not name), and where the roster gives them
``available_from``/``available_until`` (ISO dates: a plan over time books the creator only between them,
planner.flighting.availability).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from planner.base.names import creator_name
from planner.curves.forms import get_form
from planner.curves.table import validate_curves
from planner.data.roster import Roster
from planner.data.roster_match import match_roster, roster_table
from planner.fit.creator_rows import CAMPAIGNS, roster_campaigns_note

__all__ = ["apply_roster"]


def _costs_in_data(datasets: Iterable[Any]) -> dict[str, set[str]]:
    """Return, for each creator ("Network/@handle"), the costs its campaign rows already counted."""
    out: dict[str, set[str]] = {}
    for ds in datasets or ():
        rows = getattr(ds, "rows", None)
        if rows is None or getattr(ds, "kind", None) != "attributed" or "entity" not in rows.columns:
            continue
        cols = [c for c in ("product_cost", "usage_rights", "commission") if c in rows.columns]
        if not cols:
            continue
        sub = rows.loc[rows["entity"] != "", ["network", "entity"] + cols]
        given = sub.groupby(["network", "entity"], sort=False)[cols].agg(lambda s: bool((s.fillna(0) != 0).any()))
        for (net, ent), flags in given.iterrows():
            out[creator_name(net, ent)] = {c for c in cols if flags[c]}
    return out


def _set_campaigns(out: pd.DataFrame, i: int, new: float) -> None:
    """Plan row ``i`` (a creator with a known number of campaigns) with ``new`` campaigns in the period, in place."""
    if math.isnan(new) or CAMPAIGNS not in out.columns or not np.isfinite(float(out.iloc[i][CAMPAIGNS])):
        return
    ratio = new / float(out.iloc[i][CAMPAIGNS])
    beta, k = float(out.iloc[i]["beta"]), float(out.iloc[i]["k"])
    new_beta, new_k, _ = get_form(out.iloc[i]["curve"]).repeat(beta, k, out.iloc[i].get("s"), ratio)
    for col in ("beta", "beta_p10", "beta_p90"):
        if col in out.columns:
            out.iat[i, out.columns.get_loc(col)] = float(out.iloc[i][col]) * float(new_beta) / beta
    if not math.isnan(k):
        out.iat[i, out.columns.get_loc("k")] = float(new_k)
    out.iat[i, out.columns.get_loc(CAMPAIGNS)] = new
    if "pooling_note" in out.columns:
        out.iat[i, out.columns.get_loc("pooling_note")] = roster_campaigns_note(str(out.iloc[i]["pooling_note"]), new)


def apply_roster(curves: pd.DataFrame, roster: Roster | pd.DataFrame | None, datasets: Iterable[Any] = (),
                 period_weeks: float = 13) -> pd.DataFrame:
    """Return the curve table with each rostered creator's unit cost, bounds and net response.

    Parameters
    ----------
    curves : the curve table (e.g. from planner.fit.pipeline.fit_curves)
    roster : a :class:`Roster` or a DataFrame with :data:`ROSTER_COLUMNS` (missing
        columns are empty); None returns the table unchanged (validated)
    datasets : the Datasets the curves were fitted to, so that costs their rows
        already counted (product cost, usage rights, commission) are not counted twice
    period_weeks : weeks in the planning period (13 = a quarter); maximum and
        minimum posts are per quarter and scaled to the period (whole posts, rounded down)

    Returns
    -------
    DataFrame
        A validated curve table (see the module docstring for what changes) with the
        extra columns ``fee_per_post, other_cost_per_post, commission_pct``.

    Raises
    ------
    CurveTableError
        When ``curves`` is not a valid curve table
        (:func:`planner.curves.table.validate_curves`,
        :class:`~planner.curves.table.CurveTableError`).
    """
    out = validate_curves(curves, "curve table")
    for col in ("fee_per_post", "other_cost_per_post", "commission_pct"):
        if col not in out.columns:
            out[col] = np.nan
    if roster is None:
        return out
    table = roster_table(roster)
    pairs, _, _ = match_roster(out, table)
    counted = _costs_in_data(datasets)
    f = period_weeks / 13.0
    for i, r in pairs.items():
        rr = table.iloc[r]
        c = out.iloc[i]
        name = str(c["name"])
        already = counted.get(name, set())
        fee = float(rr["fee_per_post"])
        product = 0.0 if math.isnan(float(rr["product_cost"])) else float(rr["product_cost"])
        usage = 0.0 if math.isnan(float(rr["usage_rights"])) else float(rr["usage_rights"])
        other = product + usage
        old_unit = float(c["unit_cost"])
        if not math.isnan(fee):
            new_unit = fee + other
            if math.isnan(old_unit):  # no posts in the data: its spend was the fee, plus the costs it counted
                old_unit = fee + (product if "product_cost" in already else 0.0) + (usage if "usage_rights" in already else 0.0)
        elif not math.isnan(old_unit):
            new_unit = old_unit + (0.0 if "product_cost" in already else product) \
                + (0.0 if "usage_rights" in already else usage)
        else:
            new_unit = math.nan
        if not math.isnan(new_unit) and new_unit > 0:
            ratio = new_unit / old_unit if old_unit > 0 else 1.0
            if abs(ratio - 1.0) > 1e-12:
                # the curve is a response to posts: its form says how its parameters follow the cost per post
                beta, k = float(c["beta"]), float(c["k"])
                new_beta, new_k, _ = get_form(c["curve"]).rescale_cost(beta, k, c.get("s"), ratio)
                if float(new_beta) != beta:  # the scale of the response moved: its interval moves with it
                    for col in ("beta", "beta_p10", "beta_p90"):
                        if col in out.columns:
                            out.iat[i, out.columns.get_loc(col)] = float(out.iloc[i][col]) * float(new_beta) / beta
                if not (math.isnan(k) and math.isnan(float(new_k))) and float(new_k) != k:
                    out.iat[i, out.columns.get_loc("k")] = float(new_k)
                for col in ("current_spend", "observed_min", "observed_max"):
                    if col in out.columns:
                        out.iat[i, out.columns.get_loc(col)] = float(out.iloc[i][col]) * ratio
                if "engagement_per_dollar" in out.columns:  # engagements come per post: a dearer post, fewer per $1
                    out.iat[i, out.columns.get_loc("engagement_per_dollar")] = (
                        float(out.iloc[i]["engagement_per_dollar"]) / ratio)
            out.iat[i, out.columns.get_loc("unit_cost")] = new_unit
            for col, posts in (("max_spend", rr["max_posts"]), ("min_spend", rr["min_posts"])):
                if not math.isnan(float(posts)):
                    out.iat[i, out.columns.get_loc(col)] = math.floor(float(posts) * f + 1e-9) * new_unit
            if math.isnan(float(rr["max_posts"])) and math.isfinite(float(c["max_spend"])) and not math.isnan(float(c["unit_cost"])):
                # a bound in posts from the data keeps its posts at the new cost
                out.iat[i, out.columns.get_loc("max_spend")] = float(c["max_spend"]) / float(c["unit_cost"]) * new_unit
        _set_campaigns(out, i, float(rr["campaigns"]) * f)
        comm = float(rr["commission_pct"])
        if not math.isnan(comm) and "commission" not in already and comm > 0:
            for col in ("beta", "beta_p10", "beta_p90"):
                if col in out.columns:
                    out.iat[i, out.columns.get_loc(col)] = float(out.iloc[i][col]) * (1.0 - comm)
        for col in ("available_from", "available_until"):  # the days a plan over time may book the creator
            if pd.notna(rr[col]):
                if col not in out.columns:
                    out[col] = pd.Series("", index=out.index, dtype=object)
                out.iat[i, out.columns.get_loc(col)] = pd.Timestamp(rr[col]).date().isoformat()
        out.iat[i, out.columns.get_loc("fee_per_post")] = fee
        out.iat[i, out.columns.get_loc("other_cost_per_post")] = other if other else np.nan
        out.iat[i, out.columns.get_loc("commission_pct")] = comm
    lo, hi = out["min_spend"].to_numpy(dtype=float), out["max_spend"].to_numpy(dtype=float)
    out["min_spend"] = np.minimum(lo, hi)
    return validate_curves(out, "curve table with the roster")

