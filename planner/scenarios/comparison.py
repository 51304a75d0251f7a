"""Scenarios side by side: the comparison table, and the same as display text.

:func:`compare` gives one column per scenario and one row per figure, indexed by
(section, item); :func:`comparison_text` turns it into money, ROAS and counts, with the
difference of two scenarios.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.base.format import money, roas, signed_money
from planner.scenarios.errors import ScenarioError
from planner.scenarios.scenario import Scenario, as_float

__all__ = [
    "SECTION_TOTALS", "SECTION_NET_SPEND", "SECTION_NET_REVENUE", "SECTION_ROW_SPEND", "COMPARE_UNITS",
    "compare", "comparison_text",
]

SECTION_TOTALS = "Totals"
SECTION_NET_SPEND = "Spend by network"
SECTION_NET_REVENUE = "Expected revenue by network"
SECTION_ROW_SPEND = "Spend by row"
COMPARE_UNITS = {"ROAS": "ratio", "Rows beyond observed spend": "count",
                 "Most creators to hire": "count"}  # every other row is money


def _totals_rows(s: Scenario) -> dict[str, float]:
    t = s.totals
    a = s.allocation
    extrap = a["extrapolated"].fillna(False).astype(bool).sum() if "extrapolated" in a.columns else np.nan
    rows = {
        "Budget": s.budget,
        "Spend": t["total_spend"],
        "Unspent budget": s.budget - t["total_spend"],
        "Expected revenue": t["total_response"],
        "Expected revenue, P10": t["response_p10"],
        "Expected revenue, P90": t["response_p90"],
        "ROAS": s.roas,
        "Current spend": t["total_current_spend"],
        "Expected revenue at current spend": t["total_current_response"],
        "Change in expected revenue vs current": t["total_response"] - t["total_current_response"],
        "Rows beyond observed spend": float(extrap),
    }
    if s.engagement_weight:
        rows["Value of one engagement"] = s.engagement_weight
    if s.max_creators is not None:
        rows["Most creators to hire"] = float(s.max_creators)
    return rows


def compare(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Return scenarios side by side: one column per scenario (in the order given), one row per figure.

    The table is indexed by (section, item).  Sections: ``Totals`` (budget, spend,
    expected revenue with P10/P90, ROAS, current spend and revenue, change, rows beyond
    observed spend; the value of one engagement and the most creators to hire when a
    scenario set them), ``Spend by network``, ``Expected revenue by network`` and
    ``Spend by row`` (every network's paid media and creator).  A network or row a
    scenario does not have is NaN there.

    Parameters
    ----------
    scenarios : sequence of Scenario
        At least one; their names head the columns.

    Returns
    -------
    DataFrame
        Floats, amounts in dollars; the Totals section also has the unspent budget. Columns named
        ``scenario``, index levels ``section`` and ``item``, rows in order of first appearance.

    Raises
    ------
    ScenarioError
        When ``scenarios`` is empty.
    """
    if not scenarios:
        raise ScenarioError("Pick at least one scenario to compare.")
    cols: dict[str, dict[tuple[str, str], float]] = {}
    order: list[tuple[str, str]] = []

    def put(col: dict, key: tuple[str, str], value) -> None:
        if key not in seen:
            seen.add(key)
            order.append(key)
        col[key] = as_float(value)

    seen: set = set()
    for s in scenarios:
        col: dict = {}
        for item, v in _totals_rows(s).items():
            put(col, (SECTION_TOTALS, item), v)
        cols[s.name] = col
    for section, measure in ((SECTION_NET_SPEND, "spend"), (SECTION_NET_REVENUE, "response")):
        for s in scenarios:
            for r in s.network_table.itertuples(index=False):
                put(cols[s.name], (section, str(r.network)), getattr(r, measure))
    for s in scenarios:
        for nm, sp in zip(s.allocation["name"].astype(str), s.allocation["spend"], strict=True):
            put(cols[s.name], (SECTION_ROW_SPEND, nm), sp)
    index = pd.MultiIndex.from_tuples(order, names=["section", "item"])
    out = pd.DataFrame({name: [col.get(k, np.nan) for k in order] for name, col in cols.items()}, index=index)
    out.columns.name = "scenario"
    return out


def _fmt(unit: str, x: float, signed: bool = False) -> str:
    if not (isinstance(x, (int, float)) and math.isfinite(x)):
        return "\u2014"
    if unit == "ratio":
        text = roas(x, per_dollar=True)
        return "+" + text if signed and text[0] != "-" and round(x, 2) != 0 else text
    if unit == "count":
        return f"{x:+,.0f}" if signed else f"{x:,.0f}"
    return signed_money(x) if signed else money(x)


def comparison_text(table: pd.DataFrame, section: str | None = None, difference: bool = True) -> pd.DataFrame:
    """Return the comparison of :func:`compare` as display text (money, ROAS, counts), indexed by item.

    ``section`` keeps one section; with exactly two scenarios and ``difference`` a
    last column gives the second minus the first.

    Parameters
    ----------
    table : DataFrame
        :func:`compare`'s table.
    section : str, optional
        Keep only this section (one of the ``SECTION_*`` names); None keeps all.
    difference : bool, default True
        Add the difference column when there are exactly two scenarios. Outside the Totals, a row only
        one scenario has counts as $0 in the other.

    Returns
    -------
    DataFrame of str
        One column per scenario (and the difference); indexed by item when ``section`` is given, else by
        ``"section: item"``. ROAS as ``$1.25 per $1``, counts whole, money as :func:`~planner.base.format.money`
        writes it, missing values as an em dash.
    """
    t = table if section is None else table.xs(section, level="section", drop_level=False)
    names = list(t.columns)
    rows = {}
    for (sec, item), vals in t.iterrows():
        unit = COMPARE_UNITS.get(item, "money") if sec == SECTION_TOTALS else "money"
        text = [_fmt(unit, float(v)) for v in vals]
        if difference and len(names) == 2:
            a, b = float(vals.iloc[0]), float(vals.iloc[1])
            if not math.isfinite(a) and math.isfinite(b) and sec != SECTION_TOTALS:
                a = 0.0  # a row only the second scenario has: all of it is new
            if not math.isfinite(b) and math.isfinite(a) and sec != SECTION_TOTALS:
                b = 0.0
            text.append(_fmt(unit, b - a, signed=True))
        rows[item if section is not None else f"{sec}: {item}"] = text
    columns = names + ([f"Difference ({names[1]} \u2212 {names[0]})"] if difference and len(names) == 2 else [])
    out = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    out.index.name = section or "item"
    return out
