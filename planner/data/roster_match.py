"""Matching a roster's creators to the creators with data, and saying what does not match.

    from planner.data.roster_match import check_roster, roster_issues
    roster = check_roster(roster, datasets)     # its issues now name creators without data
    notes = roster_issues(curves, roster)       # the same against a curve table

A roster row names a creator by handle, with or without a network; it matches the
curve-table row ``Network/@handle`` (without a network, the one creator of that handle).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from planner.base.names import creator_names, handle_of, is_creator, network_of
from planner.data.dataset import Issue
from planner.data.issues import ISSUES_PER_KIND
from planner.data.networks import creator_handle, normalize_network
from planner.data.roster import ROSTER_COLUMNS, Roster

__all__ = ["roster_table", "match_roster", "roster_issues", "creators_with_campaigns", "check_roster"]


def roster_table(roster: Roster | pd.DataFrame) -> pd.DataFrame:
    """Return a roster's table with every column of ``ROSTER_COLUMNS``.

    Networks and handles are written as the planner writes them (``Facebook``, ``@lena``).

    Parameters
    ----------
    roster : Roster or DataFrame
        A roster, or a table with any of :data:`~planner.data.roster.ROSTER_COLUMNS`.

    Returns
    -------
    DataFrame
        A copy with every column (missing text columns ``""``, missing numbers NaN);
        ``network`` and ``entity`` normalised.
    """
    t = roster.table if isinstance(roster, Roster) else pd.DataFrame(roster)
    t = t.copy()
    for col in ROSTER_COLUMNS:
        if col not in t.columns:
            t[col] = "" if col in ("network", "entity", "name") else np.nan
    t["network"] = t["network"].fillna("").astype(str).map(lambda x: normalize_network(x) if x else "")
    t["entity"] = t["entity"].map(creator_handle)
    return t


def match_roster(curves: pd.DataFrame, table: pd.DataFrame) -> tuple[dict[int, int], list[int], list[int]]:
    """Match curve rows to roster rows.

    Parameters
    ----------
    curves : DataFrame
        A table with ``name`` (``"Network/@handle"`` for creators).
    table : DataFrame
        A roster table as :func:`roster_table` returns it.

    Returns
    -------
    tuple
        ``(pairs, unmatched, ambiguous)``: curve row -> roster row; roster rows without a
        curve; roster rows naming a handle without a network that has several curves.
        Rows are positions; handles match whatever their case, and of two roster
        rows for one curve the first is paired.
    """
    by_key: dict[tuple[str, str], int] = {}
    by_handle: dict[str, list[int]] = {}
    for i, name in enumerate(curves["name"].astype(str)):
        handle = handle_of(name)
        if handle:
            by_key[(network_of(name), handle.lower())] = i
            by_handle.setdefault(handle.lower(), []).append(i)
    pairs: dict[int, int] = {}
    unmatched, ambiguous = [], []
    for r, (net, handle) in enumerate(zip(table["network"], table["entity"], strict=True)):
        h = str(handle).lower()
        if net:
            i = by_key.get((net, h))
            if i is None:
                unmatched.append(r)
            elif i not in pairs:
                pairs[i] = r
        else:
            hits = by_handle.get(h, [])
            if len(hits) == 1:
                pairs.setdefault(hits[0], r)
            elif not hits:
                unmatched.append(r)
            else:
                ambiguous.append(r)
    return pairs, unmatched, ambiguous


def roster_issues(curves: pd.DataFrame, roster: Roster | None) -> tuple[Issue, ...]:
    """Return what the roster could not be applied to, as warnings a marketing manager can act on.

    Roster creators with no response curve (no campaigns in the data), creators named
    without a network who are on several networks, and creators with campaigns who
    are not on the roster (one warning listing them).

    Parameters
    ----------
    curves : DataFrame
        A table with ``name``: the curve table, or :func:`creators_with_campaigns`.
    roster : Roster, DataFrame or None
        The roster (a DataFrame as for :func:`roster_table`).

    Returns
    -------
    tuple of Issue
        Warnings on the roster's sheet (``""`` for a DataFrame); empty for None.
    """
    if roster is None:
        return ()
    table = roster_table(roster)
    pairs, unmatched, ambiguous = match_roster(curves, table)
    sheet = roster.sheet if isinstance(roster, Roster) else ""
    ent_col = next((h for h, f in roster.mapping if f == "entity"), None) if isinstance(roster, Roster) else None
    out: list[Issue] = []
    for r in unmatched[:ISSUES_PER_KIND]:
        rr = table.iloc[r]
        who = f"{rr['entity']} on {rr['network']}" if rr["network"] else str(rr["entity"])
        out.append(Issue("warning", sheet, int(rr["row"]), ent_col, str(rr["entity"]),
                         f"{who} is on the roster but has no campaigns in the data, so there is no response curve "
                         "for them and the planner gives them no budget."))
    if len(unmatched) > ISSUES_PER_KIND:
        out.append(Issue("warning", sheet, None, ent_col, None,
                         f"{len(unmatched) - ISSUES_PER_KIND:,} more creators on the roster have no campaigns in the data."))
    for r in ambiguous:
        rr = table.iloc[r]
        out.append(Issue("warning", sheet, int(rr["row"]), ent_col, str(rr["entity"]),
                         f"{rr['entity']} has campaigns on more than one network and the roster does not say which; "
                         "add a network column to the roster."))
    curve_names = curves["name"].astype(str)
    creators = np.flatnonzero(is_creator(curve_names)).tolist()
    missing = [curve_names.iloc[i] for i in creators if i not in pairs]
    if missing and pairs:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        out.append(Issue("warning", sheet, None, ent_col, None,
                         f"{len(missing)} creator{'s' if len(missing) != 1 else ''} with campaigns "
                         f"{'are' if len(missing) != 1 else 'is'} not on the roster ({shown}); their cost per post "
                         "comes from the campaign data and their posts have no limit."))
    return tuple(out)


def creators_with_campaigns(datasets: Iterable[Any]) -> pd.DataFrame:
    """Return the creators with campaigns in the datasets: DataFrame(name) with "Network/@handle".

    Parameters
    ----------
    datasets : iterable of Dataset
        The Datasets (None counts as none); only attributed ones with creator rows count.

    Returns
    -------
    DataFrame
        One column ``name``, each creator once, in the order first seen.
    """
    found: list[str] = []
    for ds in datasets or ():
        rows = getattr(ds, "rows", None)
        if rows is None or getattr(ds, "kind", None) != "attributed" or "entity" not in rows.columns or rows.empty:
            continue
        sub = rows.loc[rows["entity"] != "", ["network", "entity"]].drop_duplicates()
        found.extend(creator_names(sub["network"], sub["entity"]).tolist())
    return pd.DataFrame({"name": pd.Series(list(dict.fromkeys(found)), dtype=object)})


def check_roster(roster: Roster, datasets: Iterable[Any]) -> Roster:
    """Return the roster with, among its issues, what it cannot be applied to in these datasets.

    That is :func:`roster_issues` against the creators that have campaigns.

    Parameters
    ----------
    roster : Roster
        The roster as read.
    datasets : iterable of Dataset
        The campaign data the roster is for.

    Returns
    -------
    Roster
        A copy whose ``issues`` end with those of :func:`roster_issues`.
    """
    return replace(roster, issues=roster.issues + roster_issues(creators_with_campaigns(datasets), roster))
