"""Curves drawn against spend: what :func:`response_curves` and :func:`marginal_roas` share.

The rows of the curve table to draw, a spend grid per row split where the data's spend
ends (solid inside, dashed beyond: extrapolation), the plan's current and optimal points
on the curves, and the layers drawing them.  Curves are evaluated with
:func:`planner.curves.forms.response` and :func:`planner.curves.forms.marginal`; nothing is refit.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from planner.base.format import money, signed_money
from planner.base.names import is_creator, networks_of
from planner.curves.forms import form_flags, marginal, response
from planner.report.charts.layers import inline_data, on_data
from planner.report.charts.style import (
    ENTITY_COLORS,
    INK,
    SPEND_TITLE,
    marginal_title,
    money_axis,
    money_scale,
    money_text,
    money_title,
    network_scale,
    per_dollar_text,
    roas_title,
    with_texts,
)
from planner.report.display import column_numbers

__all__ = [
    "MAX_LINE_POINTS",
    "RANGE_IN",
    "RANGE_OUT",
    "RANGE_UNKNOWN",
    "CURRENT",
    "OPTIMAL",
    "line_texts",
    "curve_tooltips",
    "row_word",
    "entity_color",
    "curve_layers",
    "plan_notes",
    "prepare_curves",
]

MAX_LINE_POINTS = 6000  # all curves of one chart together
RANGE_IN = "seen in the data"
RANGE_OUT = "beyond the data (extrapolation)"
RANGE_UNKNOWN = "range of the data unknown"
CURRENT, OPTIMAL = "Current spend", "Optimal spend"


def _select(curves: pd.DataFrame | None, names) -> pd.DataFrame:
    """Return the rows of the curve table to draw, in the order asked, indexed 0..n-1."""
    if curves is None or len(curves) == 0 or "name" not in curves.columns:
        return pd.DataFrame(columns=["name", "network", "curve", "beta"])
    key = curves["name"].astype(str)
    if names is None:
        sub = curves[~is_creator(key)]
    else:
        wanted = [names] if isinstance(names, str) else [str(n) for n in names]
        order = {n: i for i, n in enumerate(dict.fromkeys(wanted))}
        keep = key.isin(order).to_numpy()
        sub = curves[keep].iloc[np.argsort(key[keep].map(order).to_numpy(), kind="stable")]
    sub = sub.reset_index(drop=True)  # a new frame: the caller's table is never touched
    sub["name"] = sub["name"].astype(str)
    if "network" in sub.columns:
        sub["network"] = sub["network"].astype(str)
    else:
        sub["network"] = networks_of(sub["name"])
    return sub


def entity_color(sel: pd.DataFrame, legend: bool = True) -> alt.Color:
    """Return the colour encoding of curves: by network when each network appears once, else one per entity.

    Every layer keeps the legend (one with ``legend=None`` hides the merged legend);
    its symbols are drawn as solid strokes, not as the band's faint fill.

    Parameters
    ----------
    sel : DataFrame
        The rows drawn (``name`` and ``network`` as text), as :func:`prepare_curves` selects them.
    legend : bool, default True
        Show the colour legend.

    Returns
    -------
    alt.Color
        On ``network:N`` with each network's colour, or on ``name:N`` with the entity palette in the
        order of ``sel``.
    """
    networks, names = list(sel["network"]), list(sel["name"])
    extra = {"legend": alt.Legend(symbolType="stroke", symbolOpacity=1, symbolStrokeWidth=3, symbolSize=300,
                                  labelLimit=260)} if legend else {"legend": None}
    if len(set(networks)) == len(networks):
        return alt.Color("network:N", title="Network", scale=network_scale(networks), **extra)
    palette = [ENTITY_COLORS[i % len(ENTITY_COLORS)] for i in range(len(names))]
    return alt.Color("name:N", title=row_word(names), sort=names, scale=alt.Scale(domain=names, range=palette),
                     **extra)


def row_word(names) -> str:
    """Return what the rows drawn are, in a word: ``"Creator"`` when all are creators, else ``"Network or creator"``.

    Parameters
    ----------
    names : sequence of str
        The rows' names (``Network/@handle`` for a creator).

    Returns
    -------
    str
    """
    names = pd.Series(list(names), dtype=object).astype(str)
    return "Creator" if len(names) and bool(is_creator(names).all()) else "Network or creator"


def _plan_points(sel: pd.DataFrame, allocation: pd.DataFrame | None) -> pd.DataFrame:
    """Return the current and optimal spend of the selected rows: columns row, kind, spend.

    Current spend comes from the allocation table, else from the curve table's
    ``current_spend``; optimal spend is the allocation's ``spend``.
    """
    current = column_numbers(sel, "current_spend")
    optimal = np.full(len(sel), np.nan)
    if allocation is not None and len(allocation) and "name" in allocation.columns:
        a = allocation.drop_duplicates("name")
        pos = pd.Series(np.arange(len(a)), index=a["name"].astype(str))
        idx = sel["name"].map(pos).to_numpy(dtype=float)
        found = np.isfinite(idx)
        take = idx[found].astype(int)
        optimal[found] = column_numbers(a, "spend")[take]
        alloc_current = np.full(len(sel), np.nan)
        alloc_current[found] = column_numbers(a, "current_spend")[take]
        current = np.where(np.isfinite(alloc_current), alloc_current, current)
    rows = np.concatenate([np.arange(len(sel)), np.arange(len(sel))])
    pts = pd.DataFrame({
        "row": rows,
        "kind": [CURRENT] * len(sel) + [OPTIMAL] * len(sel),
        "spend": np.concatenate([current, optimal]),
    })
    return pts[np.isfinite(pts["spend"])].reset_index(drop=True)


def _x_max(sel: pd.DataFrame, points: pd.DataFrame, max_spend: float | None) -> float:
    """Return the right end of the spend axis: past the data's spend, today's and the optimum."""
    if max_spend is not None and np.isfinite(max_spend) and max_spend > 0:
        return float(max_spend)
    cand = np.fmax(column_numbers(sel, "observed_max") * 1.25, column_numbers(sel, "current_spend") * 1.5)
    if len(points):
        top = points.groupby("row")["spend"].max()
        at = top.index.to_numpy()
        cand[at] = np.fmax(cand[at], top.to_numpy() * 1.5)
    fallback = np.where(form_flags(sel["curve"], "needs_cap"), column_numbers(sel, "max_spend"), 3.0 * column_numbers(sel, "k"))
    cand = np.where(np.isfinite(cand) & (cand > 0), cand, fallback)
    cand = cand[np.isfinite(cand) & (cand > 0)]
    return float(cand.max()) if len(cand) else 1.0


def _evaluate(rep: pd.DataFrame, x: np.ndarray) -> dict[str, np.ndarray]:
    """Return the response, marginal return and average return per dollar of ``rep`` at ``x``."""
    y = response(rep, x)
    dy = marginal(rep, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = np.where(x > 0, y / x, dy)  # at $0 the average return is the slope's limit
    return {
        "response": y,
        "marginal": np.where(np.isfinite(dy), dy, np.nan),
        "roas": np.where(np.isfinite(avg), avg, np.nan),
    }


def _curve_frame(sel: pd.DataFrame, x_max: float, n_points: int) -> pd.DataFrame:
    """Return every selected curve on a spend grid, split where the data's spend ends.

    Columns: row, name, network, spend, part (0 below, 1 inside, 2 above the
    observed spend), range (its label), response, marginal, roas and, with
    ``beta_p10``/``beta_p90`` in the curve table, response_p10/response_p90.
    A point on an observed boundary belongs to both parts, so lines join.
    """
    n = int(max(24, min(n_points, MAX_LINE_POINTS // max(len(sel), 1))))
    base = np.round(np.linspace(0.0, x_max, n), 2)  # whole cents: the values shown are exact
    has_range = "observed_max" in sel.columns
    lows = np.clip(np.nan_to_num(column_numbers(sel, "observed_min"), nan=0.0), 0.0, None)
    highs = column_numbers(sel, "observed_max")
    rows, xs, parts, labels = [], [], [], []

    def add(i, x, part, label):
        rows.append(np.full(len(x), i))
        xs.append(x)
        parts.append(np.full(len(x), part))
        labels.append(np.full(len(x), label, dtype=object))

    for i in range(len(sel)):
        lo, hi = lows[i], highs[i]
        if not (has_range and np.isfinite(hi)):
            add(i, base, 1, RANGE_UNKNOWN)
            continue
        grid = np.unique(np.concatenate([base, [v for v in (lo, hi) if 0 < v < x_max]]))
        for part, mask, label in (
            (0, grid <= lo, RANGE_OUT),
            (1, (grid >= lo) & (grid <= hi), RANGE_IN),
            (2, grid >= hi, RANGE_OUT),
        ):
            if mask.sum() >= 2:
                add(i, grid[mask], part, label)
    row = np.concatenate(rows)
    x = np.concatenate(xs)
    rep = sel.iloc[row]
    out = pd.DataFrame({
        "row": row,
        "name": rep["name"].to_numpy(),
        "network": rep["network"].to_numpy(),
        "spend": x,
        "part": np.concatenate(parts),
        "range": np.concatenate(labels),
        **_evaluate(rep, x),
    })
    if "beta_p10" in sel.columns and "beta_p90" in sel.columns:
        out["response_p10"] = response(rep.assign(beta=column_numbers(rep, "beta_p10")), x)
        out["response_p90"] = response(rep.assign(beta=column_numbers(rep, "beta_p90")), x)
        missing = ~(np.isfinite(column_numbers(rep, "beta_p10")) & np.isfinite(column_numbers(rep, "beta_p90")))
        out.loc[missing, ["response_p10", "response_p90"]] = np.nan
    # cents and hundredths of a cent are all a chart shows; keeps the spec small
    return out.round({"spend": 2, "response": 2, "response_p10": 2, "response_p90": 2, "marginal": 4, "roas": 4})


def _point_frame(sel: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Return the plan's points on the curves, with values and display strings for tooltips."""
    rep = sel.iloc[points["row"].to_numpy()]
    x = points["spend"].to_numpy(dtype=float)
    out = points.assign(name=rep["name"].to_numpy(), network=rep["network"].to_numpy(), **_evaluate(rep, x))
    obs = column_numbers(rep, "observed_max")
    out["data"] = np.where(np.isfinite(obs), np.where(x > obs, RANGE_OUT, RANGE_IN), RANGE_UNKNOWN)
    current = out[out["kind"] == CURRENT].set_index("row")["spend"]
    out["change"] = np.where(
        out["kind"] == OPTIMAL, out["spend"] - out["row"].map(current).to_numpy(dtype=float), np.nan
    )
    return with_texts(
        out,
        spend_text=("spend", money),
        response_text=("response", money),
        roas_text=("roas", per_dollar_text),
        marginal_text=("marginal", per_dollar_text),
        change_text=("change", signed_money),
    )


def _spend_x(domain: list[float] | None) -> alt.X:
    """Return the spend axis from zero, over ``domain`` when given."""
    scale = money_scale(domain=domain) if domain else money_scale()
    return alt.X("spend:Q", title=money_title(SPEND_TITLE), axis=money_axis(), scale=scale)


def line_texts() -> dict[str, str]:
    """Return the tooltips' texts of the curves' points, written in the browser (the grid has thousands of points).

    Returns
    -------
    dict of str to str
        For ``transform_calculate``: ``spend_shown``, ``response_shown`` (``$12,345``), ``roas_shown`` and
        ``marginal_shown`` (``$1.25``), in the currency shown.
    """
    return {"spend_shown": money_text("spend"), "response_shown": money_text("response"),
            "roas_shown": money_text("roas", 2), "marginal_shown": money_text("marginal", 2)}


def curve_tooltips(word: str = "Name", points: bool = False) -> list[alt.Tooltip]:
    """Return the tooltip of the curves' lines (texts from :func:`line_texts`) or of the plan's points on them.

    Parameters
    ----------
    word : str, default "Name"
        What the rows are (:func:`row_word`).
    points : bool, default False
        The plan's points (their texts written by :mod:`planner.base.format`, with the change from today).

    Returns
    -------
    list of alt.Tooltip
    """
    shown = "text" if points else "shown"
    return [
        alt.Tooltip("name:N", title=word),
        alt.Tooltip("network:N", title="Network"),
        *([alt.Tooltip("kind:N", title="Point")] if points else []),
        alt.Tooltip(f"spend_{shown}:N", title="Spend"),
        alt.Tooltip(f"response_{shown}:N", title="Expected revenue"),
        alt.Tooltip(f"roas_{shown}:N", title=roas_title()),
        alt.Tooltip(f"marginal_{shown}:N", title=marginal_title()),
        *([alt.Tooltip("change_text:N", title="Change from current spend")] if points else []),
        alt.Tooltip("data:N" if points else "range:N", title="Data"),
    ]


def curve_layers(lines: pd.DataFrame, pts: pd.DataFrame, sel: pd.DataFrame, y: alt.Y, x: alt.X) -> list:
    """Return the layers of curves against spend: lines (dashed beyond the data), hover points, the plan's points.

    ``lines`` and ``pts`` come from :func:`prepare_curves`; ``y`` is the value drawn (revenue or its slope).

    Parameters
    ----------
    lines : DataFrame
        Every curve on its spend grid (``prepare_curves``'s ``lines``).
    pts : DataFrame
        The plan's points (``prepare_curves``'s ``pts``).
    sel : DataFrame
        The rows drawn, for the colours.
    y : alt.Y
        The value axis.
    x : alt.X
        The spend axis.

    Returns
    -------
    list
        For :func:`~planner.report.charts.layers.layered`: the lines and the hover points as
        ``on_data`` pairs, then a layer of hollow current-spend points and one of filled optimal-spend
        points when there are any.
    """
    word = row_word(sel["name"])
    line_tips, point_tips = curve_tooltips(word), curve_tooltips(word, points=True)
    enc = {"x": x, "y": y, "color": entity_color(sel)}
    line_enc = dict(enc, color=entity_color(sel), detail=["name:N", "part:O"], tooltip=line_tips)
    shown = [r for r in (RANGE_IN, RANGE_OUT, RANGE_UNKNOWN) if r in set(lines["range"])]
    if shown != [RANGE_UNKNOWN]:  # say solid / dashed only when some range is known
        dashes = {RANGE_IN: [1, 0], RANGE_OUT: [6, 4], RANGE_UNKNOWN: [1, 0]}
        line_enc["strokeDash"] = alt.StrokeDash(
            "range:N", title="Spend level", sort=shown,
            scale=alt.Scale(domain=shown, range=[dashes[r] for r in shown]),
            legend=alt.Legend(symbolStrokeColor=INK, symbolSize=300, labelLimit=260),
        )
    data = inline_data(lines)
    texts = line_texts()
    layers = [
        on_data(data, alt.Chart().transform_calculate(**texts).mark_line(strokeWidth=2, clip=True).encode(**line_enc)),
        # transparent points so hovering anywhere on a line shows its values there
        on_data(data, alt.Chart().transform_calculate(**texts).mark_circle(size=70, opacity=0, clip=True)
                .encode(**enc, tooltip=line_tips)),
    ]
    pdata = inline_data(pts)
    is_current = alt.datum.kind == CURRENT
    if (pts["kind"] == CURRENT).any():
        layers.append(
            alt.Chart(pdata).transform_filter(is_current)
            .mark_point(filled=False, size=110, strokeWidth=2.5, opacity=1, clip=True)
            .encode(**enc, tooltip=point_tips)
        )
    if (pts["kind"] == OPTIMAL).any():
        layers.append(
            alt.Chart(pdata).transform_filter(~is_current)
            .mark_point(filled=True, size=110, opacity=1, stroke="white", strokeWidth=1, clip=True)
            .encode(**enc, tooltip=point_tips)
        )
    return layers


def plan_notes(lines: pd.DataFrame, pts: pd.DataFrame) -> list[str]:
    """Return the subtitle lines saying what the points mean and that dashes are extrapolation.

    Parameters
    ----------
    lines : DataFrame
        The curves drawn (its ``range`` column).
    pts : DataFrame
        The plan's points (its ``kind`` column).

    Returns
    -------
    list of str
        Up to two lines; empty when there are no points and no extrapolation.
    """
    notes = []
    kinds = set(pts["kind"]) if not pts.empty else set()
    legend = ((CURRENT, "hollow circle: current spend"), (OPTIMAL, "filled circle: optimal spend"))
    marks = [text for kind, text in legend if kind in kinds]
    if marks:
        notes.append("; ".join(marks).capitalize() + ".")
    if RANGE_OUT in set(lines["range"]):
        notes.append("Dashed: spend the data has not seen (extrapolation).")
    return notes


def prepare_curves(curves, allocation_table, names, max_spend, n_points):
    """Return what a chart of curves against spend draws: ``(sel, lines, pts, x)``, or None without rows.

    ``sel`` are the curve table's rows to draw (see :func:`response_curves` for ``names``), ``lines`` every
    curve on a spend grid, ``pts`` the plan's current and optimal points on them and ``x`` the spend axis.

    Parameters
    ----------
    curves : DataFrame or None
        The curve table; it is not modified.
    allocation_table : DataFrame or None
        An allocation table (``name``, ``spend``, ``current_spend``) for the plan's points; None draws only
        the curve table's current spend.
    names : str, sequence of str or None
        The rows to draw, in that order; None draws every network's paid media (no creators).
    max_spend : float or None
        The spend axis's right end in dollars; None (or not above 0) chooses it from the data, today's
        spend and the plan.
    n_points : int
        Grid points per curve (at least 24; all curves together at most :data:`MAX_LINE_POINTS`).

    Returns
    -------
    tuple of (DataFrame, DataFrame, DataFrame, alt.X) or None
        ``sel`` indexed 0..n-1; ``lines`` with columns row, name, network, spend, part, range, response,
        marginal, roas (and response_p10/response_p90 with bands); ``pts`` with row, kind, spend, the values
        at it and their display strings; ``x`` over ``[0, max_spend]`` when ``max_spend`` is given. None when
        no row of ``curves`` is selected.
    """
    sel = _select(curves, names)
    if sel.empty:
        return None
    points = _plan_points(sel, allocation_table)
    x_max = _x_max(sel, points, max_spend)
    lines = _curve_frame(sel, x_max, n_points)
    pts = _point_frame(sel, points)
    x = _spend_x([0.0, x_max] if max_spend is not None else None)
    return sel, lines, pts, x
