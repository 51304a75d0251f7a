"""A plan over time (:class:`planner.flighting.FlightPlan`): spend and expected revenue per week or month.

:func:`flight_spend` stacks each period's spend by network, :func:`flight_response` stacks each
period's expected revenue into what that period's spend earns and what earlier spend carries over
into it, with its 80 % band, and :func:`flight_vs_even` sets the plan's spend per period beside the
even plan's (the same budget spread evenly over the weeks).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from planner.base.format import money, pct, signed_money
from planner.flighting import FlightPlan
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.style import (
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

__all__ = ["flight_spend", "flight_response", "flight_vs_even", "period_ticks", "OWN", "CARRIED", "FLIGHTED", "EVEN"]

OWN = "From this period's spend"
CARRIED = "Carried over from earlier spend"
FLIGHTED = "This plan"
EVEN = "Even plan (same budget)"
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


def _x(plan: FlightPlan, ticks: list[str]) -> alt.X:
    # level labels, thinned by Vega to every 2nd, 4th, ... where they would overlap (a year of weeks)
    return alt.X("tick:N", title="Week starting" if plan.horizon.period == "week" else "Month", sort=ticks,
                 axis=alt.Axis(labelAngle=0, labelOverlap="parity", labelSeparation=6, labelLimit=120))


def _per(plan: FlightPlan) -> str:
    return "per week" if plan.horizon.period == "week" else "per month"


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
    title = title or f"Spend {_per(plan)}, by network"
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
        x=_x(plan, list(periods["tick"])),
        y=alt.Y("spend:Q", title=money_title(f"Spend {_per(plan)}"), stack="zero", axis=money_axis(),
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
    title = title or f"Expected revenue {_per(plan)}"
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
    x = _x(plan, list(b["tick"]))
    y_title = money_title(f"Expected revenue {_per(plan)}")
    tips = [alt.Tooltip("label:N", title="Period"), alt.Tooltip("response_text:N", title="Expected revenue"),
            alt.Tooltip("p10_text:N", title="80% band from"), alt.Tooltip("p90_text:N", title="80% band to"),
            alt.Tooltip("carried_text:N", title="Of it carried over"), alt.Tooltip("spend_text:N", title="Spend")]
    bars = alt.Chart().mark_bar().encode(
        x=x, y=alt.Y("value:Q", title=y_title, stack="zero", axis=money_axis(), scale=money_scale()),
        color=alt.Color("part:N", title="Expected revenue", sort=parts,
                        scale=alt.Scale(domain=parts, range=[OPTIMAL_COLOR, CARRIED_COLOR][:len(parts)]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        order=alt.Order("order:Q", sort="ascending"),
        tooltip=[alt.Tooltip("part:N", title="Part"), *tips])
    band = inline_data(base)
    rule = alt.Chart().mark_rule(color=INK, strokeWidth=1.5).encode(
        x=x, y=alt.Y("response_p10:Q", title=y_title, axis=money_axis(), scale=money_scale()), y2="response_p90:Q",
        tooltip=tips)
    ends = [alt.Chart().mark_tick(color=INK, thickness=1.5, size=8).encode(
        x=x, y=alt.Y(f"{col}:Q", title=y_title, axis=money_axis(), scale=money_scale()), tooltip=tips)
        for col in ("response_p10", "response_p90")]
    notes = [f"{money(plan.total_response)} in all; the black line is each period's 80% band (P10 to P90)."]
    if carried.sum() > 0:
        notes.append(f"{money(float(carried.sum()))} of it is carried over from earlier spend.")
    else:
        notes.append("No period earns from earlier spend: the model has no carry-over.")
    if plan.after and plan.after_response > 0:
        notes.append(f"After the horizon the plan's carry-over earns {money(plan.after_response)} more (not drawn).")
    return layered([on_data(inline_data(long), bars), on_data(band, rule), *[on_data(band, e) for e in ends]],
                   width, height, chart_title(title, notes))


def flight_vs_even(plan: FlightPlan, *, width: int | str = "container", height: int = HEIGHT,
                   title: str | None = None) -> alt.LayerChart | alt.Chart:
    """Draw the plan's spend per period beside the even plan's: the same budget, spread evenly over the weeks.

    Parameters
    ----------
    plan : FlightPlan
        The plan over time; ``plan.even_table`` is the even plan.
    width, height, title
        Size and title (default "This plan against an even plan: spend per month").

    Returns
    -------
    alt.LayerChart
        A line with points per plan (this plan blue and solid; the even plan grey, dashed and hollow, on top); tooltips give
        both spends and their difference. The subtitle says what this plan earns over the even one.
    """
    title = title or f"This plan against an even plan: spend {_per(plan)}"
    t, e = plan.table, plan.even_table
    if t is None or not len(t) or e is None or not len(e):
        return empty_chart(title=title, width=width, height=height)
    mine = t.groupby("period", as_index=False)["spend"].sum()
    even = e.groupby("period", as_index=False)["spend"].sum().rename(columns={"spend": "even"})
    d = _periods(t, plan.horizon.period).merge(mine, on="period").merge(even, on="period", how="left")
    d["difference"] = d["spend"] - d["even"]
    d = with_texts(d.drop(columns=["period"]), spend_text=("spend", money), even_text=("even", money),
                   difference_text=("difference", signed_money))
    long = pd.concat([d.assign(plan=FLIGHTED, value=d["spend"]), d.assign(plan=EVEN, value=d["even"])],
                     ignore_index=True)
    plans = [FLIGHTED, EVEN]
    x = _x(plan, list(d["tick"]))
    y = alt.Y("value:Q", title=money_title(f"Spend {_per(plan)}"), axis=money_axis(), scale=money_scale())
    tips = [alt.Tooltip("plan:N", title="Plan"), alt.Tooltip("label:N", title="Period"),
            alt.Tooltip("spend_text:N", title="This plan's spend"), alt.Tooltip("even_text:N", title="Even plan's spend"),
            alt.Tooltip("difference_text:N", title="This plan minus even")]
    color = alt.Color("plan:N", title="Plan", sort=plans, scale=alt.Scale(domain=plans, range=[OPTIMAL_COLOR,
                                                                                                 CURRENT_COLOR]),
                      legend=alt.Legend(orient="bottom", direction="horizontal"))
    dash = alt.StrokeDash("plan:N", title="Plan", sort=plans, scale=alt.Scale(domain=plans, range=[[1, 0], [5, 3]]),
                          legend=alt.Legend(orient="bottom", direction="horizontal"))
    # one layer per plan, the even plan's dashes on top: where the two plans agree both stay visible
    views = []
    for name in plans:
        one = inline_data(long[long["plan"] == name])
        views.append(on_data(one, alt.Chart().mark_line(strokeWidth=2).encode(x=x, y=y, color=color, strokeDash=dash,
                                                                             tooltip=tips)))
        point = {"filled": False, "size": 90, "strokeWidth": 1.5} if name == EVEN else {"filled": True, "size": 40}
        views.append(on_data(one, alt.Chart().mark_point(**point).encode(x=x, y=y, color=color, tooltip=tips)))
    gain = plan.over_even
    if abs(gain) < 0.5:
        carry = "decay" in t and bool((t["decay"] > 0).any())
        said = ("Both earn about the same on this model." if carry else
                "Both earn the same on this model: without carry-over, timing changes nothing.")
    else:
        said = f"Same budget, same model: this plan earns {signed_money(gain)} over the even plan."
    return layered(views, width, height, chart_title(title, [said]))
