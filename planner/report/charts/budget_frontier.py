"""The budget frontier: the best expected revenue for each total budget.

:func:`frontier` draws it, with today's and the chosen budget and what the next step of
budget buys; :func:`frontier_data` gives the part of it that moves with the chosen budget, so
a page can draw the chart once and only swap its data.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from planner.base.currency import current
from planner.base.format import money, signed_money
from planner.report.charts.layers import empty_chart, inline_data, layered, named_data, on_data
from planner.report.charts.placement import Frame, nice_end, place_labels, text_layers, with_places
from planner.report.charts.style import (
    CHOSEN_COLOR,
    HEIGHT,
    INK,
    OPTIMAL_COLOR,
    RESPONSE_TITLE,
    chart_title,
    marginal_title,
    money_axis,
    money_scale,
    money_title,
    per_dollar_text,
    roas_title,
    with_texts,
)
from planner.report.display import column_numbers

__all__ = ["frontier", "frontier_data"]


def _frontier_parts(frontier_df, current_budget, chosen_budget, chosen_response, step, step_response,
                    mark_labels=None, height: int = HEIGHT) -> dict | None:
    """Return everything :func:`frontier` draws, as data, or None for an empty frontier.

    Keys: the curve (``frame``), ``has_band``, the subtitle ``notes``, the marked budgets
    (``marks``, or None), the next step (``next``, or None) and the scales' ``domains`` (x, y).
    The labels' places (``label_y``, ``align``) are in ``marks`` and ``next``.
    """
    if frontier_df is None or not len(frontier_df):
        return None
    if not {"budget", "response"} <= set(frontier_df.columns):
        raise ValueError("The frontier table needs the columns budget and response.")
    f = pd.DataFrame({c: column_numbers(frontier_df, c)
                      for c in ("budget", "response", "response_p10", "response_p90", "marginal_return")})
    f = f[np.isfinite(f["budget"]) & np.isfinite(f["response"])]
    f = f.sort_values("budget").drop_duplicates("budget").reset_index(drop=True)
    if f.empty:
        return None
    if f["marginal_return"].isna().all() and len(f) >= 2:
        f["marginal_return"] = np.gradient(f["response"].to_numpy(), f["budget"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        f["roas"] = np.where(f["budget"] > 0, f["response"] / f["budget"], np.nan)
    has_band = bool((f["response_p10"].notna() & f["response_p90"].notna()).any())

    b = f["budget"].to_numpy()
    marks, notes = [], [f"Each point is the best split of that budget; its slope is the return on the next {current().symbol}1."]
    for kind, value in (("Current budget", current_budget), ("Chosen budget", chosen_budget)):
        if value is None or not np.isfinite(value):
            continue
        if not b[0] <= value <= b[-1]:
            notes.append(f"The {kind.lower()} {money(value)} is outside the budgets computed "
                         f"({money(b[0])} to {money(b[-1])}).")
            continue
        row = {"kind": kind, "budget": float(value)}
        for col in ("response", "response_p10", "response_p90", "marginal_return"):
            v = f[col].to_numpy()
            ok = np.isfinite(v)
            row[col] = float(np.interp(value, b[ok], v[ok])) if ok.any() else np.nan
        if kind == "Chosen budget" and chosen_response is not None and np.isfinite(chosen_response):
            row["response"] = float(chosen_response)
        row["roas"] = row["response"] / value if value > 0 else np.nan
        marks.append(row)
    chosen = next((m for m in marks if m["kind"] == "Chosen budget"), None)
    nxt = None
    if chosen is not None and step is not None and step_response is not None and np.isfinite(step) and step > 0 \
            and np.isfinite(step_response):
        gain = float(step_response) - chosen["response"]
        nxt = pd.DataFrame({
            "budget": [chosen["budget"], chosen["budget"] + float(step)],
            "response": [chosen["response"], float(step_response)],
            "label": ["", f"Next {money(step)}: {signed_money(gain)}"],
            "step_text": f"from {money(chosen['budget'])} to {money(chosen['budget'] + float(step))}",
            "gain_text": signed_money(gain),
            "per_dollar_text": per_dollar_text(gain / float(step)),
        })
        notes.append(f"The orange step is what the next {money(step)} of budget buys.")
    if has_band:
        notes.append("Band: 10th to 90th percentile of the expected revenue.")

    def with_text(df: pd.DataFrame) -> pd.DataFrame:
        return with_texts(df, budget_text=("budget", money), response_text=("response", money),
                      p10_text=("response_p10", money), p90_text=("response_p90", money),
                      roas_text=("roas", per_dollar_text), marginal_text=("marginal_return", per_dollar_text))

    marked = None
    if marks:
        labels = {m["kind"]: (mark_labels or {}).get(m["kind"], m["kind"]) for m in marks}
        if len(marks) == 2 and abs(marks[0]["budget"] - marks[1]["budget"]) <= 0.01 * max(b[-1] - b[0], 1.0):
            same = "Chosen budget = current budget" if not mark_labels else \
                f"{labels['Chosen budget']} = {labels['Current budget'][:1].lower()}{labels['Current budget'][1:]}"
            labels = {"Current budget": "", "Chosen budget": same}  # one label, not two
        marked = with_text(pd.DataFrame(marks).assign(label=lambda d: d["kind"].map(labels)))
    domains = _domains(f)
    marked, nxt = _place(f, has_band, marked, nxt, domains, height)
    return {"frame": with_text(f), "has_band": has_band, "notes": notes, "marks": marked, "next": nxt,
            "domains": domains}


def _domains(f: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Return the scales' domains: budgets and revenue from zero to a round number past the frontier and its band."""
    top = np.nanmax(np.concatenate([f["response"].to_numpy(), f["response_p90"].to_numpy()]))
    return [0.0, nice_end(float(f["budget"].max()))], [0.0, nice_end(1.04 * float(top))]


def _place(f, has_band, marks, nxt, domains, height) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Return ``marks`` and ``nxt`` with each label where no line, band, point or other label is.

    The next step's words come first, beside the end of its segment; then the marked budgets' names.
    """
    lines = [(f["budget"].to_numpy(), f["response"].to_numpy())]
    items = []  # (which table, row, radius of its point)
    if nxt is not None:
        lines.append((nxt["budget"].to_numpy(), nxt["response"].to_numpy()))
        items.append(("next", 1, 3.0))
    tables = {"next": nxt, "marks": marks}
    if marks is not None:
        items += [("marks", i, 7.0) for i in marks.index[marks["label"] != ""]]
    frame = Frame(tuple(domains[0]), tuple(domains[1]), float(height), lines=lines,
                  points=[] if marks is None else [(b, r, 7.0) for b, r in zip(marks["budget"], marks["response"],
                                                                                strict=True)],
                  bands=[(f["budget"].to_numpy(), f["response_p10"].to_numpy(), f["response_p90"].to_numpy())]
                  if has_band else [])
    found = place_labels(frame, [tables[t].at[i, "budget"] for t, i, _ in items],
                         [tables[t].at[i, "response"] for t, i, _ in items],
                         [tables[t].at[i, "label"] for t, i, _ in items], radius=[r for _, _, r in items],
                         reach=0.45 * height)
    placed = [None if tables[name] is None else
              with_places(tables[name], found, {k: i for k, (t, i, _) in enumerate(items) if t == name})
              for name in ("marks", "next")]
    return placed[0], placed[1]


def frontier_data(
    frontier_df: pd.DataFrame,
    current_budget: float | None = None,
    chosen_budget: float | None = None,
    *,
    chosen_response: float | None = None,
    step: float | None = None,
    step_response: float | None = None,
    height: int = HEIGHT,
) -> tuple[dict[str, list[dict]], tuple]:
    """Return the data of :func:`frontier` that moves with the chosen budget, and the shape of the rest.

    Parameters
    ----------
    frontier_df, current_budget, chosen_budget, chosen_response, step, step_response, height
        As in :func:`frontier`.

    Returns
    -------
    datasets : dict
        The named data sets ``frontier-budgets`` and ``frontier-next-step`` (those
        drawn), as :func:`frontier` embeds them.
    shape : tuple
        Everything else the spec depends on besides ``frontier_df`` (which marks are
        drawn, the subtitle, the currency).  Two calls on the same frontier with equal shapes give
        specs that differ only in ``datasets``: a page can draw the chart once and
        swap these in when the budget moves, without building the chart again.
        ``({}, ("empty",))`` for an empty frontier.

    Raises
    ------
    ValueError
        When ``frontier_df`` has rows but no ``budget`` or ``response`` column.
    """
    parts = _frontier_parts(frontier_df, current_budget, chosen_budget, chosen_response, step, step_response,
                            height=height)
    if parts is None:
        return {}, ("empty",)
    datasets = {}
    if parts["marks"] is not None:
        datasets["frontier-budgets"] = inline_data(parts["marks"])["values"]
    if parts["next"] is not None:
        datasets["frontier-next-step"] = inline_data(parts["next"])["values"]
    kinds = tuple(sorted(parts["marks"]["kind"])) if parts["marks"] is not None else ()
    shape = (kinds, parts["next"] is not None, tuple(parts["notes"]), step, current().code)
    return datasets, shape


def frontier(
    frontier_df: pd.DataFrame,
    current_budget: float | None = None,
    chosen_budget: float | None = None,
    *,
    chosen_response: float | None = None,
    step: float | None = None,
    step_response: float | None = None,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Best expected revenue for each total budget",
    mark_labels: dict[str, str] | None = None,
) -> alt.LayerChart | alt.Chart:
    """Draw the efficient frontier: the best expected revenue against the total budget.

    Parameters
    ----------
    frontier_df : DataFrame
        ``planner.optimize.frontier`` output: ``budget``, ``response`` and, if
        known, ``response_p10``/``response_p90`` (a band) and ``marginal_return``
        (the return on the next dollar; else estimated from the slope).
    current_budget, chosen_budget : float, optional
        Marked on the curve (hollow and filled point) when inside its range;
        outside it the subtitle says so.
    chosen_response : float, optional
        The optimum's expected revenue at ``chosen_budget`` (exact); default
        interpolated on the frontier.
    step, step_response : float, optional
        What the next ``step`` dollars buy: the optimum's expected revenue at
        ``chosen_budget + step``.  Drawn as a thick segment from the chosen point
        with its gain written beside it ("Next $10,000: +$80,273").
    width, height, title
        Size and title.
    mark_labels : dict, optional
        The words written beside the marked points, by kind (``"Current budget"``, ``"Chosen budget"``);
        default the kinds themselves.

    Returns
    -------
    alt.LayerChart
        Or a "No rows selected" text chart for an empty frontier.

    Raises
    ------
    ValueError
        When ``frontier_df`` has rows but no ``budget`` or ``response`` column.
    """
    parts = _frontier_parts(frontier_df, current_budget, chosen_budget, chosen_response, step, step_response,
                            mark_labels, height)
    if parts is None:
        return empty_chart(title=title, width=width, height=height)
    f, has_band, notes, marks, nxt = (parts[k] for k in ("frame", "has_band", "notes", "marks", "next"))

    tips = [
        alt.Tooltip("budget_text:N", title="Budget"),
        alt.Tooltip("response_text:N", title="Expected revenue"),
        *([alt.Tooltip("p10_text:N", title="10th percentile"),
           alt.Tooltip("p90_text:N", title="90th percentile")] if has_band else []),
        alt.Tooltip("roas_text:N", title=roas_title()),
        alt.Tooltip("marginal_text:N", title=marginal_title()),
    ]
    (x_domain, y_domain) = parts["domains"]
    y_title = money_title(RESPONSE_TITLE)
    y_scale = money_scale(domain=y_domain, nice=False)
    x = alt.X("budget:Q", title=money_title("Total budget per quarter"), axis=money_axis(),
              scale=money_scale(domain=x_domain, nice=False))
    y = alt.Y("response:Q", title=y_title, axis=money_axis(), scale=y_scale)
    data = inline_data(f)
    layers, named = [], {}
    if has_band:
        layers.append(on_data(
            data,
            alt.Chart().transform_filter("isValid(datum.response_p10) && isValid(datum.response_p90)")
            .mark_area(opacity=0.2, color=OPTIMAL_COLOR)
            .encode(x=x, y=alt.Y("response_p10:Q", title=y_title, axis=money_axis(), scale=y_scale, stack=None),
                    y2="response_p90:Q", tooltip=tips),
        ))
    layers.append(on_data(data, alt.Chart().mark_line(color=OPTIMAL_COLOR, strokeWidth=2.5).encode(x=x, y=y, tooltip=tips)))
    layers.append(on_data(data, alt.Chart().mark_circle(size=80, opacity=0).encode(x=x, y=y, tooltip=tips)))
    if nxt is not None:
        ntips = [alt.Tooltip("step_text:N", title=f"Next {money(step)} of budget"),
                 alt.Tooltip("gain_text:N", title="Expected revenue added"),
                 alt.Tooltip("per_dollar_text:N", title=f"Return per {current().symbol}1 of it")]
        ndata = named_data("frontier-next-step", nxt, named)
        layers.append(alt.Chart(ndata).mark_line(color=CHOSEN_COLOR, strokeWidth=5, strokeCap="round")
                      .encode(x=x, y=y, tooltip=ntips))
        layers += text_layers(ndata, x, y_title, y_scale, ntips, color=CHOSEN_COLOR, fontWeight="bold")
    if marks is not None:
        mdata = named_data("frontier-budgets", marks, named)
        mtips = [alt.Tooltip("kind:N", title="Point"), *tips]
        kinds = set(marks["kind"])
        is_current = alt.datum.kind == "Current budget"
        if "Current budget" in kinds:
            layers.append(alt.Chart(mdata).transform_filter(is_current)
                          .mark_point(filled=False, size=140, strokeWidth=2.5, color=INK, opacity=1)
                          .encode(x=x, y=y, tooltip=mtips))
        if "Chosen budget" in kinds:
            layers.append(alt.Chart(mdata).transform_filter(~is_current)
                          .mark_point(filled=True, size=140, color=CHOSEN_COLOR, opacity=1)
                          .encode(x=x, y=y, tooltip=mtips))
        layers += text_layers(mdata, x, y_title, y_scale, mtips, color=INK)
    return layered(layers, width, height, chart_title(title, notes), datasets=named)
