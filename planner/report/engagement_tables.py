"""Creators' revenue against their engagement: engagements per creator, the front no creator beats, its reading.

:func:`creator_engagement` sums the campaigns' engagements per creator;
:func:`engagement_table` sets each creator's revenue per dollar (from its curve)
beside its engagements per dollar and marks the creators no other beats on both
(:func:`planner.analysis.pareto.undominated`); :func:`engagement_reading` and
:func:`engagement_view` are what the Tradeoffs page shows of it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planner.analysis.pareto import undominated
from planner.base.format import money, one, roas
from planner.base.names import creator_names, is_creator
from planner.curves.forms import response
from planner.report.display import column_numbers, is_finite_number

__all__ = ["ENGAGEMENT_PER", "creator_engagement", "engagement_table", "engagement_reading", "eng_text",
           "engagement_view"]

ENGAGEMENT_PER = 1000.0  # engagements are shown per $1,000 of spend: readable whole numbers


def _by_name(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` indexed by its ``name`` column as text, first row of each name."""
    out = df.set_index(df["name"].astype(str).to_numpy())
    return out[~out.index.duplicated()]


def creator_engagement(datasets: Iterable) -> pd.DataFrame:
    """Engagements per creator in the campaign data, one row per creator.

    Columns: name (``Network/@handle``), network, campaigns, spend, engagements,
    engagements_per_dollar.  Only campaigns that report engagements count, for the
    engagements and for the spend they are divided by.  Empty (same columns) when no
    dataset has an ``engagements`` column.

    Parameters
    ----------
    datasets : iterable of Dataset
        Imported files; only rows with an entity (a creator) and readable spend and engagements count.

    Returns
    -------
    DataFrame
        One row per creator, spend in dollars; engagements_per_dollar NaN where spend is 0. A creator
        found in several files keeps the last file's figures.
    """
    cols = ["name", "network", "campaigns", "spend", "engagements", "engagements_per_dollar"]
    parts = []
    for ds in datasets:
        rows = getattr(ds, "rows", None)
        if rows is None or rows.empty or not {"engagements", "entity", "spend"} <= set(rows.columns):
            continue
        r = rows.loc[rows["entity"].astype(str) != "", ["network", "entity", "spend", "engagements"]].copy()
        r["engagements"] = pd.to_numeric(r["engagements"], errors="coerce")
        r["spend"] = pd.to_numeric(r["spend"], errors="coerce")
        r = r.dropna(subset=["engagements", "spend"])
        if r.empty:
            continue
        r["name"] = creator_names(r["network"], r["entity"])
        g = r.groupby("name", sort=False)
        parts.append(pd.DataFrame({
            "name": list(g.groups.keys()),
            "network": g["network"].first().astype(str).to_numpy(),
            "campaigns": g.size().to_numpy(dtype=int),
            "spend": g["spend"].sum().to_numpy(dtype=float),
            "engagements": g["engagements"].sum().to_numpy(dtype=float),
        }))
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True).drop_duplicates("name", keep="last")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["engagements_per_dollar"] = np.where(out["spend"] > 0, out["engagements"] / out["spend"], np.nan)
    return out[cols].reset_index(drop=True)


def engagement_table(allocation, curves: pd.DataFrame, engagement: pd.DataFrame) -> pd.DataFrame:
    """Each creator's expected revenue and engagements per dollar, and whether it is on the Pareto front.

    Revenue per $1 is the curve's average return at the creator's spend today (at one
    post's fee when it has no spend today); engagements per $1 come from its campaigns.
    Columns: name, network, in_plan, planned_spend, measured_at, revenue_per_dollar,
    engagements_per_1000, engagements, campaigns, on_front.  Sorted: the front first,
    by engagements.

    Parameters
    ----------
    allocation : Allocation or None
        The plan, for each creator's planned spend (NaN, and not in the plan, when None).
    curves : DataFrame
        The curve table; only creator rows are read.
    engagement : DataFrame or None
        :func:`creator_engagement`'s table.

    Returns
    -------
    DataFrame
        One row per creator in both ``curves`` and ``engagement``; empty (same columns) when there is
        none or ``engagement`` is None or empty. ``revenue_per_dollar`` is NaN when the creator has neither
        spend today nor a fee; ``measured_at`` reads e.g. ``"today's spend ($4,200)"``.
    """
    cols = ["name", "network", "in_plan", "planned_spend", "measured_at", "revenue_per_dollar",
            "engagements_per_1000", "engagements", "campaigns", "on_front"]
    if engagement is None or not len(engagement):
        return pd.DataFrame(columns=cols)
    c = _by_name(curves[is_creator(curves["name"])])
    e = _by_name(engagement)
    names = [n for n in e.index.astype(str) if n in c.index]
    if not names:
        return pd.DataFrame(columns=cols)
    rows = c.loc[names]
    cur = column_numbers(rows, "current_spend")
    unit = column_numbers(rows, "unit_cost")
    at = np.where(np.nan_to_num(cur) > 0, cur, unit)
    where = np.where(np.nan_to_num(cur) > 0, "today's spend", "one post")
    resp = response(rows, np.nan_to_num(at))
    with np.errstate(divide="ignore", invalid="ignore"):
        rpd = np.where(np.nan_to_num(at) > 0, resp / np.where(np.nan_to_num(at) > 0, at, 1.0), np.nan)
    planned = (_by_name(allocation.table)["spend"].reindex(names).to_numpy(dtype=float) if allocation is not None
               else np.full(len(names), np.nan))
    epd = e.loc[names, "engagements_per_dollar"].to_numpy(dtype=float)
    out = pd.DataFrame({
        "name": names,
        "network": rows["network"].astype(str).to_numpy(),
        "in_plan": np.nan_to_num(planned) > 0,
        "planned_spend": planned,
        "measured_at": [f"{w} ({money(v)})" if is_finite_number(v) else "—" for w, v in zip(where, at, strict=True)],
        "revenue_per_dollar": rpd,
        "engagements_per_1000": epd * ENGAGEMENT_PER,
        "engagements": e.loc[names, "engagements"].to_numpy(dtype=float),
        "campaigns": e.loc[names, "campaigns"].to_numpy(dtype=int),
    })
    out["on_front"] = undominated(out["engagements_per_1000"], out["revenue_per_dollar"])
    return out.sort_values(["on_front", "engagements_per_1000"], ascending=False, ignore_index=True)[cols]


def engagement_reading(table: pd.DataFrame) -> str:
    """One or two sentences on the revenue-engagement front (``engagement_table``).

    Parameters
    ----------
    table : DataFrame or None
        :func:`engagement_table`'s table.

    Returns
    -------
    str
        How many creators are on the front and how many of them the plan funds, and which front creators
        lead on revenue and on engagement; a sentence saying there are no engagements when ``table`` is
        None or empty.
    """
    if table is None or not len(table):
        return "The data has no engagements per creator, so revenue cannot be weighed against engagement."
    front = table[table["on_front"].astype(bool)]
    n, k = len(table), len(front)
    funded = int(front["in_plan"].astype(bool).sum())
    text = (f"{k} of {n} creators are on the front: no other creator brings both more revenue and more "
            f"engagement per dollar. The plan funds {funded} of them.")
    if k:
        eng = front.sort_values("engagements_per_1000", ascending=False).iloc[0]
        rev = front.sort_values("revenue_per_dollar", ascending=False).iloc[0]
        if eng["name"] == rev["name"]:
            text += f" {eng['name']} leads on both."
        else:
            text += (f" The front runs from {rev['name']} ({roas(rev['revenue_per_dollar'])} of revenue per {one()}, "
                     f"{eng_text(rev['engagements_per_1000'])}) to {eng['name']} "
                     f"({roas(eng['revenue_per_dollar'])} per {one()}, {eng_text(eng['engagements_per_1000'])}).")
    return text


def eng_text(per_1000) -> str:
    """``412.3`` -> ``"412 engagements per $1,000"``.

    Parameters
    ----------
    per_1000 : float or None
        Engagements per $1,000 of spend.

    Returns
    -------
    str
        The count rounded to a whole number with thousands separators; an em dash when it is not a number.
    """
    return "—" if not is_finite_number(per_1000) else f"{float(per_1000):,.0f} engagements per {one(1000)}"


def engagement_view(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``engagement_table`` as people read it.

    Columns: Name, Network, In the plan, Planned spend, Revenue per $1, Engagements per $1,000,
    Engagements, Campaigns, Revenue measured at.

    Parameters
    ----------
    table : DataFrame
        :func:`engagement_table`'s table.

    Returns
    -------
    DataFrame
        One row per creator in the same order; money columns numeric, Engagements per $1,000 rounded to
        whole numbers, Campaigns a nullable integer.
    """
    return pd.DataFrame({
        "Name": table["name"].astype(str).to_numpy(),
        "Network": table["network"].astype(str).to_numpy(),
        "In the plan": table["in_plan"].astype(bool).to_numpy(),
        "Planned spend": column_numbers(table, "planned_spend"),
        "Revenue per $1": column_numbers(table, "revenue_per_dollar"),
        "Engagements per $1,000": np.round(column_numbers(table, "engagements_per_1000")),
        "Engagements": column_numbers(table, "engagements"),
        "Campaigns": pd.array([int(v) if is_finite_number(v) else None for v in column_numbers(table, "campaigns")],
                              dtype="Int64"),
        "Revenue measured at": table["measured_at"].astype(str).to_numpy(),
    })
