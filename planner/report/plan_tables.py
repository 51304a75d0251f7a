"""A plan as people read it: the allocation per row, network and creator, and a finance plan beside the optimum.

Each function takes an :class:`planner.optimize.Allocation` (or a
:class:`planner.analysis.evaluate.PlanEvaluation`) and returns a DataFrame with readable
column names (formats: planner.report.display); it never modifies its input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.base.format import money
from planner.base.names import is_creator
from planner.fit.creator_rows import CAMPAIGNS
from planner.report.display import column_numbers, is_finite_number, row_kinds, whole_dollars

__all__ = ["allocation_view", "network_view", "creators_view", "of_networks", "top_creators", "evaluation_view",
           "evaluation_by_network", "campaigns_booked", "bookings"]


def campaigns_booked(table: pd.DataFrame, curves: pd.DataFrame | None) -> pd.arrays.IntegerArray:
    """Return the campaigns a plan books per row: the curve's campaigns in the period, at most one per post.

    Parameters
    ----------
    table : DataFrame
        A plan's table (``Allocation.table``: ``name``, ``spend``, ``units``).
    curves : DataFrame or None
        The curve table planned on; its ``campaigns`` column (creators' campaigns in the period,
        the number its curve assumes) is read by name.

    Returns
    -------
    IntegerArray
        Per row: 0 without spend, else the curve's campaigns rounded (at least 1) and at most the
        posts booked; missing where the curve table gives no campaigns (paid media, older tables).
    """
    n = len(table)
    if curves is None or CAMPAIGNS not in curves.columns:
        return pd.array([None] * n, dtype="Int64")
    per = pd.to_numeric(curves.drop_duplicates("name").set_index("name")[CAMPAIGNS], errors="coerce")
    c = per.reindex(table["name"].astype(str)).to_numpy(dtype=float)
    spend, units = column_numbers(table, "spend"), column_numbers(table, "units")
    out = np.maximum(1.0, np.round(c))
    out = np.where(np.isfinite(units) & (units > 0), np.minimum(out, units), out)
    out = np.where(spend > 0, out, 0.0)
    return pd.array([int(v) if np.isfinite(v) else None for v in np.where(np.isfinite(c), out, np.nan)], dtype="Int64")


def bookings(allocation, curves: pd.DataFrame | None) -> pd.DataFrame:
    """Return the creators a plan books: spend, posts and campaigns in the period, largest spend first.

    Parameters
    ----------
    allocation : Allocation
        The plan.
    curves : DataFrame or None
        The curve table planned on (for each creator's campaigns, :func:`campaigns_booked`).

    Returns
    -------
    DataFrame
        Columns Name, Spend, Posts, Campaigns, Posts per campaign: one row per creator with spend;
        Posts (and Posts per campaign) missing where the creator has no cost per post, Campaigns
        where the curve table does not say.
    """
    t = allocation.table
    units = column_numbers(t, "units")
    out = pd.DataFrame({
        "Name": t["name"].astype(str).to_numpy(),
        "Spend": column_numbers(t, "spend"),
        "Posts": pd.array([int(v) if is_finite_number(v) else None for v in units], dtype="Int64"),
        "Campaigns": campaigns_booked(t, curves),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        out["Posts per campaign"] = out["Posts"].astype(float) / out["Campaigns"].astype(float)
    out = out[np.asarray(is_creator(t["name"]), dtype=bool) & (out["Spend"] > 0)]
    return out.sort_values("Spend", ascending=False, ignore_index=True)


def _notes(table: pd.DataFrame) -> list[str]:
    binding = table["binding"].fillna("").astype(str).to_numpy() if "binding" in table.columns else [""] * len(table)
    extrap = table["extrapolated"].fillna(False).astype(bool).to_numpy() if "extrapolated" in table.columns \
        else np.zeros(len(table), dtype=bool)
    obs = column_numbers(table, "observed_max")
    out = []
    for b, e, o in zip(binding, extrap, obs, strict=True):
        parts = []
        if e:
            parts.append(f"beyond the data (most seen: {money(o)})")
        parts.append({"locked": "locked", "min": "at its minimum", "max": "at its maximum"}.get(b, ""))
        out.append("; ".join(p for p in parts if p))
    return out


def allocation_view(allocation, creators_only: bool = False, curves: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return every row of the allocation, sorted by optimal spend, largest first.

    Columns: Name, Network, Type, Current spend, Optimal spend, Change, Posts, Campaigns, Expected
    revenue, Revenue P10, Revenue P90, ROAS, Next $1 returns, Beyond data, Note.

    Parameters
    ----------
    allocation : Allocation
        The plan.
    creators_only : bool, default False
        Keep only creator rows (and drop the Type column).
    curves : DataFrame, optional
        The curve table planned on: its creators' campaigns in the period give Campaigns
        (:func:`campaigns_booked`); without it, or without that column, Campaigns is dropped.

    Returns
    -------
    DataFrame
        One row per curve-table row (ties by current spend); money columns numeric (dollars). Current and
        optimal spend and expected revenue are in whole dollars that add up to the plan's totals
        (:func:`~planner.report.display.whole_dollars`), and Change is their difference. Revenue
        P10/P90 are dropped when the plan has no bands, Posts when no row is booked in whole units. Next $1
        returns is NaN where the marginal is infinite; Note says "beyond the data (most seen: $...)" and
        "locked" / "at its minimum" / "at its maximum".
    """
    t = allocation.table
    marginal = column_numbers(t, "marginal_return")
    shown = _shown_money(t)
    out = pd.DataFrame({
        "Name": t["name"].astype(str).to_numpy(),
        "Network": t["network"].astype(str).to_numpy(),
        "Type": row_kinds(t["name"]),
        "Current spend": shown["current_spend"].to_numpy(),
        "Optimal spend": shown["spend"].to_numpy(),
        "Change": shown["change"].to_numpy(),
        "Posts": pd.array([int(v) if is_finite_number(v) else None for v in column_numbers(t, "units")], dtype="Int64"),
        "Campaigns": campaigns_booked(t, curves),
        "Expected revenue": shown["response"].to_numpy(),
        "Revenue P10": column_numbers(t, "response_p10"),
        "Revenue P90": column_numbers(t, "response_p90"),
        "ROAS": column_numbers(t, "roas"),
        "Next $1 returns": np.where(np.isinf(marginal), np.nan, marginal),
        "Beyond data": t["extrapolated"].fillna(False).astype(bool).to_numpy() if "extrapolated" in t.columns
        else False,
        "Note": _notes(t),
    })
    if not np.isfinite(out["Revenue P10"]).any():
        out = out.drop(columns=["Revenue P10", "Revenue P90"])
    if out["Posts"].isna().all():
        out = out.drop(columns=["Posts"])
    if out["Campaigns"].isna().all():
        out = out.drop(columns=["Campaigns"])
    if creators_only:
        out = out[out["Type"] == "Creator"].drop(columns=["Type"])
    return out.sort_values(["Optimal spend", "Current spend"], ascending=False, ignore_index=True)


def _shown_money(t: pd.DataFrame) -> pd.DataFrame:
    """Return the plan table's current spend, spend, change and response in whole dollars that add up."""
    cur, opt = whole_dollars(column_numbers(t, "current_spend")), whole_dollars(column_numbers(t, "spend"))
    change = np.where(np.isfinite(cur) & np.isfinite(opt), opt - cur, column_numbers(t, "change"))
    return pd.DataFrame({"current_spend": cur, "spend": opt, "change": change,
                         "response": whole_dollars(column_numbers(t, "response"))})


def network_view(allocation) -> pd.DataFrame:
    """Return the allocation per network.

    Columns: Network, Current spend, Optimal spend, Change, Change %, Expected revenue,
    Revenue change (against today's spend), ROAS, Rows beyond data (rows of that network whose
    optimal spend is beyond the data).

    Parameters
    ----------
    allocation : Allocation
        The plan.

    Returns
    -------
    DataFrame
        One row per network, the largest optimal spend first; Change % a fraction, NaN without spend today.
        Spends and expected revenue are the sums of :func:`allocation_view`'s whole dollars.
    """
    n = allocation.network_table
    t = allocation.table
    ex = (t.assign(_e=t["extrapolated"].fillna(False).astype(bool)).groupby("network", sort=False)["_e"].sum()
          if "extrapolated" in t.columns else pd.Series(dtype=float))
    cur = column_numbers(n, "current_spend")
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(cur > 0, column_numbers(n, "change") / np.where(cur > 0, cur, 1.0), np.nan)
    # the networks' whole dollars are their rows' (as the table of every row shows them), so both add up alike
    rows = _shown_money(t).assign(network=t["network"].astype(str).to_numpy())
    per = rows.groupby("network", sort=False)[["current_spend", "spend", "response"]].sum(min_count=1)
    per = per.reindex(n["network"].astype(str).to_numpy())
    kept = np.isfinite(per.to_numpy(dtype=float))
    exact = np.column_stack([cur, column_numbers(n, "spend"), column_numbers(n, "response")])
    whole = np.where(kept, per.to_numpy(dtype=float), exact)
    out = pd.DataFrame({
        "Network": n["network"].astype(str).to_numpy(),
        "Current spend": whole[:, 0],
        "Optimal spend": whole[:, 1],
        "Change": np.where(np.isfinite(whole[:, 0]), whole[:, 1] - whole[:, 0], column_numbers(n, "change")),
        "Change %": change_pct,
        "Expected revenue": whole[:, 2],
        "Revenue change": column_numbers(n, "response") - column_numbers(n, "current_response"),
        "ROAS": column_numbers(n, "roas"),
        "Rows beyond data": pd.array([int(ex.get(k, 0)) for k in n["network"].astype(str)], dtype="Int64"),
    })
    return out.sort_values("Optimal spend", ascending=False, ignore_index=True)


def of_networks(table: pd.DataFrame, networks: Sequence[str] | None) -> pd.DataFrame:
    """Return the rows of ``table`` (any table with a ``network`` column) on ``networks``; all of them when none.

    Parameters
    ----------
    table : DataFrame
        Any table with a ``network`` column.
    networks : sequence of str or None
        The networks to keep; None or empty keeps every row.

    Returns
    -------
    DataFrame
        ``table`` itself when no networks are given, else its matching rows (index kept).
    """
    if not networks:
        return table
    return table[table["network"].astype(str).isin([str(n) for n in networks])]


def creators_view(allocation, networks: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the allocation's creators (``allocation_view``, creators only), of ``networks`` when given.

    Parameters
    ----------
    allocation : Allocation
        The plan.
    networks : sequence of str, optional
        Keep only creators of these networks; None or empty keeps all.

    Returns
    -------
    DataFrame
        :func:`allocation_view`'s columns without Type, largest optimal spend first.
    """
    out = allocation_view(allocation, creators_only=True)
    if networks:
        out = out[out["Network"].isin([str(n) for n in networks])].reset_index(drop=True)
    return out


def top_creators(table: pd.DataFrame, n: int = 6, by: str = "spend") -> list[str]:
    """Names of the ``n`` creators with the largest ``by`` (ties by current spend).

    Parameters
    ----------
    table : DataFrame
        A table with a ``name`` column of curve-table names (e.g. ``Allocation.table``).
    n : int, default 6
        How many names.
    by : str, default "spend"
        The column to rank by; missing values count as 0, and a column absent from ``table`` is skipped.

    Returns
    -------
    list of str
        At most ``n`` creator names, largest first; empty when there is no creator.
    """
    t = table[is_creator(table["name"])]
    if t.empty:
        return []
    cols = [c for c in dict.fromkeys((by, "current_spend")) if c in t.columns]
    t = t.assign(**{c: pd.to_numeric(t[c], errors="coerce").fillna(0.0) for c in cols})
    return t.sort_values(cols, ascending=False)["name"].astype(str).head(n).tolist()


def evaluation_view(ev) -> pd.DataFrame:
    """Return a plan's rows next to the optimum.

    Columns: Name, Network, Plan name, Planned spend, Expected revenue, ROAS, Optimal spend,
    Expected revenue, optimal, Change to optimal, Beyond data, Matched.

    Parameters
    ----------
    ev : PlanEvaluation
        :func:`planner.analysis.evaluate.evaluate_plan`'s result.

    Returns
    -------
    DataFrame
        One row per row of ``ev.rows``, in its order. ROAS is NaN without planned spend; Matched is how the
        plan name matched, ``"not in the plan"`` or ``"no curve"``.
    """
    r = ev.rows
    return pd.DataFrame({
        "Name": r["name"].astype(str).to_numpy(),
        "Network": r["network"].astype(str).to_numpy(),
        "Plan name": r["plan_name"].astype(str).to_numpy(),
        "Planned spend": column_numbers(r, "spend"),
        "Expected revenue": column_numbers(r, "response"),
        "ROAS": np.where(column_numbers(r, "spend") > 0, column_numbers(r, "roas"), np.nan),
        "Optimal spend": column_numbers(r, "optimal_spend"),
        "Expected revenue, optimal": column_numbers(r, "optimal_response"),
        "Change to optimal": column_numbers(r, "change_to_optimal"),
        "Beyond data": r["extrapolated"].fillna(False).astype(bool).to_numpy(),
        "Matched": np.where(r["in_curves"].astype(bool), np.where(r["in_plan"].astype(bool), r["match"].astype(str),
                                                                   "not in the plan"), "no curve"),
    })


def evaluation_by_network(ev) -> pd.DataFrame:
    """Return a plan next to the optimum per network.

    Columns: Network, Planned spend, Expected revenue, Optimal spend, Expected revenue, optimal,
    Change to optimal.

    Parameters
    ----------
    ev : PlanEvaluation
        :func:`planner.analysis.evaluate.evaluate_plan`'s result.

    Returns
    -------
    DataFrame
        One row per network of the curve-table rows (plan rows that match no curve are left out), the
        largest planned spend first; the optimal columns NaN when there is no optimum.
    """
    r = ev.rows[ev.rows["in_curves"].astype(bool)]
    g = r.groupby("network", sort=False)
    out = pd.DataFrame({
        "Network": list(g.groups.keys()),
        "Planned spend": g["spend"].sum().to_numpy(dtype=float),
        "Expected revenue": g["response"].sum().to_numpy(dtype=float),
        "Optimal spend": g["optimal_spend"].sum(min_count=1).to_numpy(dtype=float),
        "Expected revenue, optimal": g["optimal_response"].sum(min_count=1).to_numpy(dtype=float),
    })
    out["Change to optimal"] = out["Optimal spend"] - out["Planned spend"]
    return out.sort_values("Planned spend", ascending=False, ignore_index=True)
