"""Plain sentences on a plan: its headline figures, where the next dollar goes, and what engagement costs.

Each function takes the library's results (an :class:`planner.optimize.Allocation`, the
curve table) and returns text formatted with :mod:`planner.base.format`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.base.format import (
    count,
    interval_text,
    join_words,
    money,
    one,
    pct,
    roas,
    selection_text,
    signed_money,
    things,
    unit_money,
)
from planner.curves.intervals import band_columns, has_bands, variance_shares
from planner.report.display import column_numbers, is_finite_number
from planner.report.model_tables import marginal_at_current

__all__ = ["beyond_data_text", "first_test_text", "headline", "optimum_level", "reading", "unmet_text", "engagement_trade", "unspent_text",
           "optimality_text", "plan_status_text", "next_money_text", "engagements_gained"]


def unspent_text(allocation) -> str:
    """Return what the plan leaves of the budget and why, or "" when it spends all of it.

    Parameters
    ----------
    allocation : Allocation
        The plan.

    Returns
    -------
    str
        E.g. ``"$1,200 of the budget is left unspent: ..."``; the reason depends on the objective.
    """
    if allocation.unspent <= 0:
        return ""
    why = ("no row returns more than it costs beyond this point" if allocation.objective == "profit"
           else "no row can take more within its bounds and whole units")
    return f"{money(allocation.unspent)} of the budget is left unspent: {why}."


def beyond_data_text(allocation, shown: int = 3, ticked: str = "") -> str:
    """Say which rows the plan gives more than the data ever saw them spend: their revenue is extrapolated.

    Parameters
    ----------
    allocation : Allocation
        The plan; its table's ``extrapolated`` and ``observed_max`` columns are read.
    shown : int, default 3
        Rows named, the furthest beyond the data first (their spend and the most the data saw).
    ticked : str, default ""
        Where the rows are ticked, e.g. ``' (ticked under "Beyond data")'``; said after the count.

    Returns
    -------
    str
        E.g. "2 rows get more than the data has ever seen them spend: TV ($1,149,264; the most seen $531,747) and
        Print ($288,217; $108,146). Their expected revenue is an extrapolation of the curve; set a maximum spend
        to stay within the data."; ``""`` when no row is beyond the data.
    """
    t = allocation.table
    if "extrapolated" not in t.columns:
        return ""
    ex = t.loc[t["extrapolated"].fillna(False).astype(bool)]
    if ex.empty:
        return ""
    n = len(ex)
    ratio = ex["spend"].to_numpy(dtype=float) / np.maximum(ex["observed_max"].to_numpy(dtype=float), 1e-9)
    top = ex.iloc[np.argsort(-ratio, kind="stable")[:shown]]
    named = [f"{r.name} ({money(r.spend)}; {'the most seen ' if i == 0 else ''}{money(r.observed_max)})"
             for i, r in enumerate(top.itertuples(index=False))]
    more = n - len(named)
    listed = join_words(named + ([f"{things(more, 'more row')}"] if more else []))
    return (f"{things(n, 'row')}{ticked} {'gets' if n == 1 else 'get'} more than the data has ever seen "
            f"{'it' if n == 1 else 'them'} spend: {listed}. {'Its' if n == 1 else 'Their'} expected revenue is an "
            "extrapolation of the curve; set a maximum spend to stay within the data.")


def first_test_text(allocation, curves: pd.DataFrame, judged) -> str:
    """Say which lift test would narrow this plan's band most: the weak network that carries most of its uncertainty.

    Parameters
    ----------
    allocation : Allocation
        The plan; its table's ``name`` and ``response``.
    curves : DataFrame
        The curve table the plan was made on (its ``beta_p10``, ``beta_p90`` and ``source``).
    judged : Support or None
        What the data say about the curves (planner.curves.support.support); its ``pulled`` networks are the
        ones a lift test would tell apart from baseline sales.

    Returns
    -------
    str
        E.g. "Test TikTok first: it carries 41% of the uncertainty in this plan's revenue."; when the pulled
        networks carry under 10 % of it together, that a lift test would narrow the band little; ``""`` when no
        network is pulled, none is in the plan or the table has no intervals.
    """
    pulled = set(getattr(judged, "pulled", ()) or ())
    t = allocation.table
    if not pulled or not has_bands(curves) or t is None or not len(t):
        return ""
    rows = curves.set_index(curves["name"].astype(str))  # a curve table's names are unique (validate_curves)
    names = t["name"].astype(str).to_numpy()
    known = np.isin(names, rows.index)
    aligned = rows.loc[names[known]]
    v = variance_shares(t["response"].to_numpy(dtype=float)[known], *band_columns(aligned))
    total = float(v.sum())
    if not total > 0:
        return ""
    share = pd.Series(v / total, index=names[known])
    share = share[share.index.isin(pulled)]
    if share.empty:
        return ""
    if share.sum() < 0.10:
        return (f"{'That network carries' if len(share) == 1 else 'Those networks carry'} "
                f"{'under 1%' if share.sum() < 0.005 else pct(float(share.sum()), decimals=0)} of the uncertainty in "
                "this plan's revenue, so a lift test would narrow its band little.")
    top = str(share.idxmax())
    return f"Test {top} first: it carries {pct(float(share.max()), decimals=0)} of the uncertainty in this plan's revenue."


def optimality_text(allocation, judged=None) -> str:
    """Return "Proven optimal." or how close to the proven optimum the plan is known to be.

    Parameters
    ----------
    allocation : Allocation
        The plan.
    judged : Support, optional
        What the data say about the curves (planner.curves.support.support): on curves the data barely
        support, the plan is optimal for those curves only, and the sentence says so.

    Returns
    -------
    str
        ``"Proven optimal."``, ``"Within 3.10e-04 of the proven optimum."`` (the relative gap), or on weak
        curves ``"Optimal for these curves only (proven): the data barely support 4 of them."`` (``"(within
        3.10e-04)"`` when not proven): the proof holds for the curves, the caveat for the plan.
    """
    if judged is not None and judged.verdict != "sound":
        proof = "proven" if allocation.proven else f"within {allocation.relative_gap:.2e}"
        return f"Optimal for these curves only ({proof}): the data barely support {len(judged.weak)} of them."
    if allocation.proven:
        return "Proven optimal."
    return f"Within {allocation.relative_gap:.2e} of the proven optimum."


def plan_status_text(allocation, judged=None) -> str:
    """Return the plan's status in one or two sentences: budget left unspent, and how optimal it is proven.

    Parameters
    ----------
    allocation : Allocation
        The plan.
    judged : Support, optional
        What the data say about the curves (see :func:`optimality_text`).

    Returns
    -------
    str
        :func:`unspent_text` (when not empty) and :func:`optimality_text`, joined by a space.
    """
    return " ".join(s for s in (unspent_text(allocation), optimality_text(allocation, judged)) if s)


def next_money_text(nm, top: int = 3) -> str:
    """Say what the next step of budget would buy and where it would go.

    Parameters
    ----------
    nm : planner.analysis.insights.NextMoney
        The comparison of a plan with the optimum at a bigger budget.
    top : int
        Rows named where the money goes, largest increase first.

    Returns
    -------
    str
        The expected revenue the step buys (and engagements, when the plan values them) and the rows
        it goes to; a sentence that the money would stay unspent when the bigger plan spends less than
        a cent more. A note follows when some rows give spend back (whole posts).
    """
    if nm.spent < 0.01:
        return (f"Another {money(nm.step)} of budget would stay unspent: no row can take it within its bounds"
                f"{' or pays back' if nm.objective == 'profit' else ''}.")
    up = nm.moves[nm.moves["spend_change"] > 0].head(top)
    where = join_words([f"{r.name} ({signed_money(r.spend_change)})" for r in up.itertuples()])
    engaged = ""
    if nm.values_engagement and is_finite_number(nm.engagements_gained) and abs(nm.engagements_gained) >= 0.5:
        engaged = f" and {count(nm.engagements_gained, signed=True)} engagements"
    sentence = (f"The next {money(nm.step)} would buy about {signed_money(nm.gain)} of expected revenue "
                f"({roas(nm.per_dollar)} per {one()}){engaged}; it would go to {where}.")
    if (nm.moves["spend_change"] < 0).any():
        sentence += " Some rows give a little back, because posts are booked whole."
    return sentence


def headline(allocation, judged=None) -> dict[str, str]:
    """Return the allocation's headline figures as text.

    Keys: ``revenue``, ``interval`` (P10–P90 sentence or ""), ``selection`` (what the mean allows for the optimizer's curse, or ""), ``roas``, ``spend``, ``budget``,
    ``change`` (expected revenue against the current plan, or ""), ``change_pct``,
    ``current`` (what the current plan spends and returns and, where the plan's mean allows for the optimizer's
    curse, the change against it after that allowance; or ""), ``optimality``,
    ``message`` (the budget left unspent and why, or ""), ``profit`` (profit
    objective: margin x revenue - spend, else "") and ``profit_change`` (that profit against the
    current plan's at the same margin, or "").

    Parameters
    ----------
    allocation : Allocation
        The plan.
    judged : Support, optional
        What the data say about the curves: ``optimality`` says when the plan rests on weak curves.

    Returns
    -------
    dict of str to str
        The keys above, every value already formatted (``roas`` an em dash when nothing is spent).
    """
    a = allocation
    out = {
        "revenue": money(a.total_response),
        "interval": "",
        "roas": roas(a.total_response / a.total_spend, per_dollar=True) if a.total_spend > 0 else "\u2014",
        "spend": money(a.total_spend),
        "budget": money(a.budget),
        "change": "",
        "change_pct": "",
        "current": "",
        "optimality": "",
        "message": "",
        "profit": "",
    }
    out["interval"] = interval_text(a.response_p10, a.response_p50, a.response_p90, getattr(a, "response_mean", None))
    out["selection"] = selection_text(getattr(a, "selection_allowance", None)) if out["interval"] else ""
    if is_finite_number(a.total_current_response):
        d = a.total_response - a.total_current_response
        out["change"] = signed_money(d)
        if a.total_current_response > 0:
            out["change_pct"] = pct(d / a.total_current_response, signed=True)
        out["current"] = (f"Current plan: {money(a.total_current_spend)} spent, "
                          f"{money(a.total_current_response)} expected revenue.")
        allowance = getattr(a, "selection_allowance", 0.0) or 0.0
        mean = getattr(a, "response_mean", float("nan"))
        if allowance >= 0.5 and is_finite_number(mean):
            # today's plan was not chosen on these curves: its expected revenue carries no curse to allow for
            out["current"] += (f" Allowing for the optimizer's curse, the plan's change against it is "
                               f"{signed_money(mean - a.total_current_response)}, not {out['change']}.")
    out["optimality"] = "Proven optimal" if a.proven else f"Within {pct(a.relative_gap, decimals=4)} of the optimum"
    if judged is not None and judged.verdict != "sound":
        out["optimality"] = optimality_text(a, judged).rstrip(".")
    out["message"] = unspent_text(a)
    out["profit_change"] = ""
    if a.objective == "profit":
        profit = a.margin * a.total_response - a.total_spend
        out["profit"] = money(profit)
        if is_finite_number(a.total_current_response) and is_finite_number(a.total_current_spend):
            out["profit_change"] = signed_money(profit - (a.margin * a.total_current_response - a.total_current_spend))
    return out


def optimum_level(allocation) -> float:
    """Return the common return on the next $1 at the optimum: median over funded rows held by no bound.

    Parameters
    ----------
    allocation : Allocation
        The plan.

    Returns
    -------
    float
        Dollars of revenue per dollar: the median marginal return of rows with spend and a finite marginal,
        only those not at a bound (``binding`` min, max or locked) when there are any; NaN when no row
        is funded.
    """
    t = allocation.table
    m = column_numbers(t, "marginal_return")
    ok = np.isfinite(m) & (np.nan_to_num(column_numbers(t, "spend")) > 0)
    if "binding" in t.columns:
        free = ~t["binding"].fillna("").astype(str).isin(["min", "max", "locked"]).to_numpy()
        if (ok & free).any():
            ok &= free
    return float(np.median(m[ok])) if ok.any() else float("nan")


def engagements_gained(allocation, revenue_only) -> float:
    """Return the engagements the plan ``allocation`` expects beyond the same plan for revenue alone.

    Parameters
    ----------
    allocation, revenue_only : Allocation
        The plan that values engagement and the plan of the same budget and bounds that does not.

    Returns
    -------
    float
        The difference of their expected engagements (a missing figure counts as 0).
    """
    e1, e0 = float(allocation.engagements), float(revenue_only.engagements)
    return (e1 if is_finite_number(e1) else 0.0) - (e0 if is_finite_number(e0) else 0.0)


def reading(allocation, curves: pd.DataFrame, revenue_only=None) -> str:
    """Plain sentences: where the next dollar earns most today, what the optimum moves, and its level.

    e.g. "At today's spend, the next $1 on TikTok returns $1.40; on X, $0.30. The best plan moves
    money toward TikTok and Instagram and away from X. At the optimum, the next $1
    returns about $1.10 on every funded row."

    Parameters
    ----------
    allocation : Allocation
        The plan.
    curves : DataFrame
        The curve table the plan was made from, for the return on the next $1 at today's spend.
    revenue_only : Allocation, optional
        When engagement is valued, the same plan for revenue alone: when valuing engagement moves
        nothing, the reading says nothing of it (:func:`engagement_trade` says so, once).

    Returns
    -------
    str
        Up to four sentences: today's best and worst network for the next $1, the networks whose spend moves
        by more than 1 % of the budget (at most two each way), the optimum's common return on the next $1
        (or, when engagement is valued, why it is not even), and the profit margin for the profit objective.
        ``""`` when none applies.
    """
    parts = []
    now = marginal_at_current(curves)
    if len(now) >= 2:
        hi, lo = now.index[0], now.index[-1]
        parts.append(f"At today's spend, the next {one()} on {hi} returns {roas(now.iloc[0])}; on {lo}, "
                     f"{roas(now.iloc[-1])}.")
    elif len(now) == 1:
        parts.append(f"At today's spend, the next {one()} on {now.index[0]} returns {roas(now.iloc[0])}.")
    n = allocation.network_table
    ch = pd.Series(column_numbers(n, "change"), index=n["network"].astype(str).to_numpy())
    ch = ch[np.isfinite(ch)]
    thr = max(0.01 * float(allocation.budget or 0), 1.0)
    up = ch[ch > thr].sort_values(ascending=False).index[:2].tolist()
    down = ch[ch < -thr].sort_values().index[:2].tolist()
    if up and down:
        parts.append(f"The best plan moves money toward {join_words(up)} and away from {join_words(down)}.")
    elif up:
        parts.append(f"The best plan spends more on {join_words(up)}.")
    elif down:
        parts.append(f"The best plan spends less on {join_words(down)}.")
    level = optimum_level(allocation)
    weight = float(allocation.engagement_weight or 0.0)
    moved = revenue_only is None or engagements_gained(allocation, revenue_only) >= 0.5
    if weight > 0 and moved:  # revenue per $1 is no longer even across rows: revenue plus engagement value is
        parts.append(f"Engagement is valued at {unit_money(weight)} each, so the optimum evens out revenue plus "
                     f"engagement value on the next {one()}: the more engaging rows are funded further, to a lower "
                     "revenue return.")
    elif is_finite_number(level):
        held = "binding" in allocation.table.columns and allocation.table["binding"].fillna("").astype(str).isin(
            ["min", "max", "locked"]).any()
        parts.append(f"At the optimum, the next {one()} returns about {roas(level)} on every funded row"
                     f"{' not held by a bound' if held else ''}.")
    if allocation.objective == "profit":
        parts.append(f"The objective is profit at a {pct(allocation.margin, decimals=0)} margin: "
                     f"money is spent only while each {one()} brings back more than {one()} of margin.")
    return " ".join(parts)


def unmet_text(unmet: Sequence[tuple[float, str]]) -> str:
    """One sentence on the budgets of the frontier that cannot be met (``(budget, reason)`` pairs).

    Parameters
    ----------
    unmet : sequence of (float, str)
        Each budget in dollars that has no plan, with the reason (a sentence).

    Returns
    -------
    str
        The budget, or the count and range of budgets, and the first pair's reason; ``""`` when ``unmet``
        is empty.
    """
    if not unmet:
        return ""
    budgets = sorted(float(b) for b, _ in unmet)
    span = money(budgets[0]) if len(budgets) == 1 else f"{len(budgets)} budgets from {money(budgets[0])} to " \
                                                        f"{money(budgets[-1])}"
    return f"No plan meets the bounds at {span}, so the frontier leaves them out: {unmet[0][1]}"


def engagement_trade(allocation, revenue_only) -> str:
    """Say in one sentence what valuing engagement costs: the plan against the same plan at weight 0.

    ``allocation`` was optimised with ``engagement_weight > 0`` (planner.optimize), ``revenue_only``
    with 0, at the same budget and bounds.  E.g. "Valuing an engagement at $0.05 trades $3,200 of
    revenue (0.2%) for 41,000 more engagements ($0.08 of revenue each)."  Empty when engagement is
    not valued.

    Parameters
    ----------
    allocation : Allocation or None
        The plan that values engagement.
    revenue_only : Allocation or None
        The same plan at ``engagement_weight`` 0.

    Returns
    -------
    str
        The sentence; one saying the plan does not change when it gains fewer than 0.5 engagements;
        ``""`` when either plan is None or the weight is not above 0.
    """
    if allocation is None or revenue_only is None:
        return ""
    weight = float(allocation.engagement_weight or 0.0)
    if not weight > 0:
        return ""
    at = f"Valuing an engagement at {unit_money(weight)}"
    e1, e0 = float(allocation.engagements), float(revenue_only.engagements)
    lost = revenue_only.total_response - allocation.total_response
    gained = engagements_gained(allocation, revenue_only)
    if gained < 0.5:
        return (f"{at} does not change the plan: no row's extra engagements are worth the revenue they would "
                f"cost ({count(e1)} engagements expected).")
    share = lost / revenue_only.total_response if revenue_only.total_response else np.nan
    share_text = "under 0.01%" if 0 < share < 0.00005 else pct(share, decimals=1 if abs(share) >= 0.01 else 2)
    lost_text = f"{money(lost)} of revenue ({share_text})" if lost >= 0.005 else "no revenue"
    each = f" ({unit_money(lost / gained)} of revenue each)" if lost >= 0.005 else ""
    return (f"{at} trades {lost_text} for {count(gained)} more engagements{each}: "
            f"{count(e1)} in all instead of {count(e0)}.")
