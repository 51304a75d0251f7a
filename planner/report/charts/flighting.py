"""A plan over time (:class:`planner.flighting.FlightPlan`): spend and expected revenue per week or month.

:func:`flight_spend` stacks each period's spend by network, :func:`flight_response` stacks each
period's expected revenue into what that period's spend earns and what earlier spend carries over
into it, with its 80 % band, and :func:`flight_vs_even` sets the plan's spend per period beside the
even plan's (the same budget spread evenly over the weeks) and, when there is one, last year's pattern's
(the same budget spread as the spend was a year earlier, :mod:`planner.flighting.pattern`). :func:`flight_vs_best` sets a plan read
from a file (:class:`planner.analysis.flight_evaluate.FlightEvaluation`) beside the best plan of the
same spend over the same horizon, period by period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from planner.base.format import money, pct, signed_money
from planner.flighting import FlightPlan
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.style import (
    CHOSEN_COLOR,
    CURRENT_COLOR,
    FIT_X,
    HEIGHT,
    INK,
    OPTIMAL_COLOR,
    chart_title,
    money_axis,
    money_scale,
    money_title,
    network_scale,
    with_texts,
)

if TYPE_CHECKING:
    from planner.analysis.flight_evaluate import FlightEvaluation
    from planner.flighting.pattern import LastYear

__all__ = ["flight_spend", "flight_response", "flight_vs_even", "flight_vs_best", "period_ticks", "OWN", "CARRIED",
           "FLIGHTED", "EVEN", "LAST_YEAR", "PLANNED", "BEST"]

OWN = "From this period's spend"
CARRIED = "Carried over from earlier spend"
FLIGHTED = "This plan"
EVEN = "Even plan (same budget)"
LAST_YEAR = "Last year's pattern (same budget)"
PLANNED = "The plan"
BEST = "Best plan (same spend)"
SPEND, RESPONSE = "spend", "response"
CARRIED_COLOR = "#9DC3E6"  # a light blue under the plan's blue: the same money, earning later


def period_ticks(periods: pd.Series, period: str) -> list[str]:
    """Return a short name per period for an axis, in order: ``Jun 2026`` for months, ``Jun 1`` for weeks.

    A week's name carries its year on the first week and on the first week of every year (``Jun 1, 2026``),
    so the axis names each year once.

    Parameters
    ----------
    periods : Series
        The periods' first days, in order.
    period : {"month", "week"}
        What the periods are.

    Returns
    -------
    list of str
        Distinct names; the dates as ISO text when the short names would repeat.
    """
    days = pd.to_datetime(pd.Series(periods)).reset_index(drop=True)
    if period == "month":
        out = [d.strftime("%b %Y") for d in days]
    else:
        out = [f"{d.strftime('%b')} {d.day}" + (f", {d.year}" if i == 0 or (d.month == 1 and d.day <= 7) else "")
               for i, d in enumerate(days)]
    return out if len(set(out)) == len(out) else [d.date().isoformat() for d in days]


def _x(period: str, ticks: list[str]) -> alt.X:
    # level labels, thinned by Vega to every 2nd, 4th, ... where they would overlap (a year of weeks)
    return alt.X("tick:N", title="Week starting" if period == "week" else "Month", sort=ticks,
                 axis=alt.Axis(labelAngle=0, labelOverlap="parity", labelSeparation=6, labelLimit=120))


def _per(period: str) -> str:
    return "per week" if period == "week" else "per month"


def _periods(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return the periods of ``table`` in order (``period``, ``label``, ``tick``)."""
    p = table[["period", "label"]].drop_duplicates("period").sort_values("period").reset_index(drop=True)
    return p.assign(tick=period_ticks(p["period"], period))


def flight_spend(plan: FlightPlan, *, width: int | str = "container", height: int = HEIGHT,
                 title: str | None = None) -> alt.Chart:
    """Draw the plan's spend in each period as bars stacked by network.

    Parameters
    ----------
    plan : FlightPlan
        The plan over time (:func:`planner.flighting.plan_flighting`).
    width, height, title
        Size and title (default "Spend per month, by network" or per week).

    Returns
    -------
    alt.Chart
        A bar per period, a segment per network in its colour; tooltips give the period, the network,
        its spend and its share of the period's spend. A "No rows selected" chart when nothing is spent.
    """
    per = _per(plan.horizon.period)
    title = title or f"Spend {per}, by network"
    t = plan.table
    if t is None or not len(t) or not float(t["spend"].sum()) > 0:
        return empty_chart(title=title, width=width, height=height)
    periods = _periods(t, plan.horizon.period)
    nets = t.groupby("network", sort=False)["spend"].sum().sort_values(ascending=False)
    order = [str(n) for n in nets.index]
    d = t.groupby(["period", "network"], sort=False, as_index=False)["spend"].sum()
    d["network"] = d["network"].astype(str)
    d = d.merge(periods, on="period")
    total = d.groupby("period")["spend"].transform("sum")
    d["share"] = np.where(total > 0, d["spend"] / total.where(total > 0, 1.0), np.nan)
    d["order"] = d["network"].map({n: i for i, n in enumerate(order)})
    d = with_texts(d.drop(columns=["period"]), spend_text=("spend", money), share_text=("share", pct))
    d["total_text"] = [money(v) for v in total]
    chart = alt.Chart(inline_data(d)).mark_bar().encode(
        x=_x(plan.horizon.period, list(periods["tick"])),
        y=alt.Y("spend:Q", title=money_title(f"Spend {per}"), stack="zero", axis=money_axis(),
                scale=money_scale()),
        color=alt.Color("network:N", title="Network", sort=order, scale=network_scale(order)),
        order=alt.Order("order:Q", sort="ascending"),
        tooltip=[alt.Tooltip("label:N", title="Period"), alt.Tooltip("network:N", title="Network"),
                 alt.Tooltip("spend_text:N", title="Spend"), alt.Tooltip("share_text:N", title="Share of the period"),
                 alt.Tooltip("total_text:N", title="Period's spend")],
    )
    notes = [f"{money(plan.total_spend)} in all over {plan.horizon.label()}."]
    return chart.properties(width=width, height=height, title=chart_title(title, notes), autosize=FIT_X)


def flight_response(plan: FlightPlan, *, width: int | str = "container", height: int = HEIGHT,
                    title: str | None = None) -> alt.LayerChart | alt.Chart:
    """Draw the plan's expected revenue in each period, what earlier spend carries into it, and its 80 % band.

    Parameters
    ----------
    plan : FlightPlan
        The plan over time.
    width, height, title
        Size and title (default "Expected revenue per month" or per week).

    Returns
    -------
    alt.LayerChart
        A bar per period stacked from :data:`OWN` (what the period's own spend earns in it) and
        :data:`CARRIED` (the table's ``carried``: what spend of earlier periods, or from before the
        horizon, earns in it), and a black rule from the period's P10 to its P90 with ticks at its
        ends; or a "No rows selected" chart when the plan has no periods.
    """
    per = _per(plan.horizon.period)
    title = title or f"Expected revenue {per}"
    t = plan.table
    if t is None or not len(t):
        return empty_chart(title=title, width=width, height=height)
    b = plan.by_period().sort_values("period").reset_index(drop=True)
    b["tick"] = period_ticks(b["period"], plan.horizon.period)
    carried = np.clip(b["carried"].to_numpy(dtype=float), 0.0, None)
    own = np.clip(b["response"].to_numpy(dtype=float) - carried, 0.0, None)
    base = with_texts(b.drop(columns=["period"]), response_text=("response", money),
                      p10_text=("response_p10", money), p90_text=("response_p90", money),
                      spend_text=("spend", money), carried_text=("carried", money))
    parts = [OWN, CARRIED] if carried.sum() > 0 else [OWN]
    long = pd.concat([base.assign(part=OWN, value=own, order=0), base.assign(part=CARRIED, value=carried, order=1)],
                     ignore_index=True)
    long = long[long["part"].isin(parts)]
    x = _x(plan.horizon.period, list(b["tick"]))
    y_title = money_title(f"Expected revenue {per}")
    banded = len(plan.period_band) == len(b)  # a curve table without intervals gives no band, not one of width 0
    tips = [alt.Tooltip("label:N", title="Period"), alt.Tooltip("response_text:N", title="Expected revenue"),
            *([alt.Tooltip("p10_text:N", title="80% band from"), alt.Tooltip("p90_text:N", title="80% band to")]
              if banded else []),
            alt.Tooltip("carried_text:N", title="Of it carried over"), alt.Tooltip("spend_text:N", title="Spend")]
    bars = alt.Chart().mark_bar().encode(
        x=x, y=alt.Y("value:Q", title=y_title, stack="zero", axis=money_axis(), scale=money_scale()),
        color=alt.Color("part:N", title="Expected revenue", sort=parts,
                        scale=alt.Scale(domain=parts, range=[OPTIMAL_COLOR, CARRIED_COLOR][:len(parts)]),
                        legend=alt.Legend(orient="bottom", direction="horizontal", labelLimit=320)),
        order=alt.Order("order:Q", sort="ascending"),
        tooltip=[alt.Tooltip("part:N", title="Part"), *tips])
    band = inline_data(base)
    rule = alt.Chart().mark_rule(color=INK, strokeWidth=1.5).encode(
        x=x, y=alt.Y("response_p10:Q", title=y_title, axis=money_axis(), scale=money_scale()), y2="response_p90:Q",
        tooltip=tips)
    ends = [alt.Chart().mark_tick(color=INK, thickness=1.5, size=8).encode(
        x=x, y=alt.Y(f"{col}:Q", title=y_title, axis=money_axis(), scale=money_scale()), tooltip=tips)
        for col in ("response_p10", "response_p90")]
    notes = [f"{money(plan.total_response)} in all; the black line is each period's 80% band (P10 to P90)." if banded
             else f"{money(plan.total_response)} in all; the curves have no intervals, so no band is drawn."]
    if carried.sum() > 0:
        notes.append(f"{money(float(carried.sum()))} of it is carried over from earlier spend.")
    else:
        notes.append("No period earns from earlier spend: the model has no carry-over.")
    if plan.after and plan.after_response > 0:
        notes.append(f"After the horizon the plan's carry-over earns {money(plan.after_response)} more (not drawn).")
    marks = [on_data(band, rule), *[on_data(band, e) for e in ends]] if banded else []
    return layered([on_data(inline_data(long), bars), *marks], width, height, chart_title(title, notes))


def flight_vs_even(plan: FlightPlan, last_year: LastYear | None = None, *, width: int | str = "container",
                   height: int = HEIGHT, title: str | None = None) -> alt.LayerChart | alt.Chart:
    """Draw the plan's spend per period beside the even plan's and, when there is one, last year's pattern's.

    The even plan spreads the same budget evenly over the weeks; last year's pattern spreads it as the spend was
    spread a year earlier (:mod:`planner.flighting.pattern`).

    Parameters
    ----------
    plan : FlightPlan
        The plan over time; ``plan.even_table`` is the even plan.
    last_year : LastYear, optional
        :func:`planner.flighting.pattern.last_year` of the plan; drawn when it has a pattern.
    width, height, title
        Size and title (default "This plan against an even plan: spend per month", "... against an even plan and
        last year's pattern: ..." with the pattern).

    Returns
    -------
    alt.LayerChart
        A line with points per plan (this plan blue and solid; the even plan grey, dashed and hollow; last year's
        pattern orange, dotted, with diamonds; the others on top of this plan); tooltips give the spends and this
        plan's difference from the even plan. The subtitle says what this plan earns over the others.
    """
    pattern = last_year.value.table if last_year is not None and last_year.value is not None else None
    per = _per(plan.horizon.period)
    against = "an even plan" if pattern is None else "an even plan and last year's pattern"
    title = title or f"This plan against {against}: spend {per}"
    t, e = plan.table, plan.even_table
    if t is None or not len(t) or e is None or not len(e):
        return empty_chart(title=title, width=width, height=height)
    mine = t.groupby("period", as_index=False)["spend"].sum()
    even = e.groupby("period", as_index=False)["spend"].sum().rename(columns={"spend": "even"})
    d = _periods(t, plan.horizon.period).merge(mine, on="period").merge(even, on="period", how="left")
    d["difference"] = d["spend"] - d["even"]
    texts = {"spend_text": ("spend", money), "even_text": ("even", money),
             "difference_text": ("difference", signed_money)}
    plans, value = [FLIGHTED, EVEN], {FLIGHTED: "spend", EVEN: "even"}
    tips = [alt.Tooltip("plan:N", title="Plan"), alt.Tooltip("label:N", title="Period"),
            alt.Tooltip("spend_text:N", title="This plan's spend"), alt.Tooltip("even_text:N", title="Even plan's spend"),
            alt.Tooltip("difference_text:N", title="This plan minus even")]
    if pattern is not None:
        d = d.merge(pattern.groupby("period", as_index=False)["spend"].sum().rename(columns={"spend": "last_year"}),
                    on="period", how="left")
        texts["last_year_text"] = ("last_year", money)
        plans.append(LAST_YEAR)
        value[LAST_YEAR] = "last_year"
        tips.insert(4, alt.Tooltip("last_year_text:N", title="Last year's pattern's spend"))
    d = with_texts(d.drop(columns=["period"]), **texts)
    long = pd.concat([d.assign(plan=p, value=d[value[p]]) for p in plans], ignore_index=True)
    x = _x(plan.horizon.period, list(d["tick"]))
    y = alt.Y("value:Q", title=money_title(f"Spend {per}"), axis=money_axis(), scale=money_scale())
    # one legend for colour and dash (same field, same title): each plan's entry a short line in its colour and dash
    legend = alt.Legend(orient="bottom", direction="horizontal", labelLimit=260, symbolType="stroke",
                        symbolStrokeWidth=2, symbolSize=400, symbolOpacity=1)
    color = alt.Color("plan:N", title="Plan", sort=plans, legend=legend,
                      scale=alt.Scale(domain=plans, range=[OPTIMAL_COLOR, CURRENT_COLOR, CHOSEN_COLOR][:len(plans)]))
    dash = alt.StrokeDash("plan:N", title="Plan", sort=plans, legend=legend,
                          scale=alt.Scale(domain=plans, range=[[1, 0], [5, 3], [2, 2]][:len(plans)]))
    # one layer per plan, the others' dashes on top of this plan's line: where plans agree all stay visible
    points = {FLIGHTED: {"filled": True, "size": 40}, EVEN: {"filled": False, "size": 90, "strokeWidth": 1.5},
              LAST_YEAR: {"filled": True, "size": 45, "shape": "diamond"}}
    views = []
    for name in plans:
        one = inline_data(long[long["plan"] == name])
        views.append(on_data(one, alt.Chart().mark_line(strokeWidth=2).encode(x=x, y=y, color=color, strokeDash=dash,
                                                                             tooltip=tips)))
        views.append(on_data(one, alt.Chart().mark_point(**points[name]).encode(x=x, y=y, color=color, tooltip=tips)))
    gain = plan.over_even
    both = "Both" if pattern is None else "This plan and the even plan"
    if abs(gain) < 0.5:
        carry = "decay" in t and bool((t["decay"] > 0).any())
        said = [f"{both} earn about the same on this model." if carry else
                f"{both} earn the same on this model: without carry-over, timing changes nothing."]
    else:
        said = [f"Same budget, same model: this plan earns {signed_money(gain, whole=True)} over the even plan."]
    if pattern is not None:
        p, over = last_year.pattern, last_year.over
        than = f"this plan earns {signed_money(over, whole=True)} over it" if abs(over) >= 0.5 else "it earns as much as this plan"
        said.append(f"Last year's pattern spreads the budget as your spend was from {p.first.isoformat()} to "
                    f"{p.last.isoformat()}: {than}.")
    return layered(views, width, height, chart_title(title, said))


def flight_vs_best(ev: FlightEvaluation, measure: str = "response", *, width: int | str = "container",
                   height: int = HEIGHT, title: str | None = None) -> alt.Chart:
    """Draw a plan over time beside the best plan of the same spend over the same horizon, period by period.

    Parameters
    ----------
    ev : FlightEvaluation
        :func:`planner.analysis.flight_evaluate.evaluate_plan_over_time`'s result.
    measure : {"response", "spend"}, default "response"
        Expected revenue in each period, or spend.
    width, height, title
        Size and title (default "The plan against the best plan: expected revenue per month", or spend,
        or per week).

    Returns
    -------
    alt.Chart
        A pair of bars per period, the plan's (grey) beside the best plan's (blue); tooltips give the period
        and both plans' spend and expected revenue. The subtitle gives both totals. The plan's bars alone
        when no best plan could be made; a "No rows selected" chart when the plan has no periods.
    """
    if measure not in (SPEND, RESPONSE):
        raise ValueError(f"measure must be {SPEND!r} or {RESPONSE!r}, not {measure!r}")
    period = ev.horizon.period
    what = "spend" if measure == SPEND else "expected revenue"
    title = title or f"The plan against the best plan: {what} {_per(period)}"
    per = ev.periods()
    if not len(per):
        return empty_chart(title=title, width=width, height=height)
    per = with_texts(per.assign(tick=period_ticks(per["period"], period)).drop(columns=["period"]),
                     spend_text=("spend", money), response_text=("response", money),
                     best_spend_text=("best_spend", money), best_response_text=("best_response", money))
    plans = [PLANNED, BEST] if ev.best is not None else [PLANNED]
    column = {PLANNED: measure, BEST: f"best_{measure}"}
    long = pd.concat([per.assign(plan=p, value=per[column[p]]) for p in plans], ignore_index=True)
    tips = [alt.Tooltip("plan:N", title="Bar"), alt.Tooltip("label:N", title="Period"),
            alt.Tooltip("spend_text:N", title="Plan's spend"), alt.Tooltip("response_text:N", title="Plan's revenue"),
            alt.Tooltip("best_spend_text:N", title="Best plan's spend"),
            alt.Tooltip("best_response_text:N", title="Best plan's revenue")]
    chart = alt.Chart(inline_data(long)).mark_bar().encode(
        x=_x(period, list(per["tick"])),
        xOffset=alt.XOffset("plan:N", sort=plans),
        y=alt.Y("value:Q", title=money_title(f"{what.capitalize()} {_per(period)}"), axis=money_axis(),
                scale=money_scale()),
        color=alt.Color("plan:N", title="Plan", sort=plans,
                        scale=alt.Scale(domain=plans, range=[CURRENT_COLOR, OPTIMAL_COLOR][:len(plans)]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=tips,
    )
    mine = ev.total_spend if measure == SPEND else ev.total_response
    if ev.best is None:
        said = [f"In all: the plan {money(mine)}; no best plan could be made to compare with."]
    else:
        best = ev.best.total_spend if measure == SPEND else ev.best.total_response
        said = [f"In all: the plan {money(mine)}, the best plan {money(best)},"]
    said.append(f"over {ev.horizon.label()}.")
    return chart.properties(width=width, height=height, title=chart_title(title, said), autosize=FIT_X)
