"""Charts of the planner: pure functions that return Altair charts.

Every function takes DataFrames (the curve table, an allocation table, a frontier,
a decomposition), never modifies them, and returns an ``alt.Chart`` or
``alt.LayerChart`` that a Streamlit page only places.  Curves are evaluated with
:func:`planner.curves.forms.response` and :func:`planner.curves.forms.marginal`; nothing is refit.

Conventions shared by every chart:

- money axes in compact dollars (``$50k``, ``$1.5M``); tooltips of points, bars
  and rules formatted by :mod:`planner.base.format` (so they read as the tables do,
  with an em dash for a missing value), dense curves with d3 formats
  (``$12,345``; ``$1.25`` per dollar);
- every mark carries a tooltip;
- a network keeps its colour in every chart (:data:`NETWORK_COLORS`, Okabe-Ito,
  distinguishable under the common colour-vision deficiencies);
- ``width="container"`` (the page's column) and a plot 320 px high by default, the title,
  axes and legends around it (:data:`FIT_X`);
- an empty selection gives a chart saying "No rows selected", never an error;
- no ``configure_*`` calls, so pages may still concatenate or layer the charts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from planner.base.format import count, money, pct, roas, signed_money, unit_money
from planner.curves.forms import marginal, response

__all__ = [
    "NETWORK_COLORS",
    "FALLBACK_COLORS",
    "ENTITY_COLORS",
    "EMPTY_TEXT",
    "network_color",
    "empty_chart",
    "response_curves",
    "marginal_roas",
    "frontier",
    "frontier_data",
    "current_vs_optimal",
    "current_vs_optimal_data",
    "creator_scatter",
    "creators_by_network",
    "revenue_engagement",
    "engagement_front",
    "NETWORK_PICK",
    "decomposition",
]

# Okabe & Ito (2008); black stays free for "actual sales" and text.
NETWORK_COLORS: dict[str, str] = {
    "Instagram": "#CC79A7",  # reddish purple
    "TikTok": "#56B4E9",  # sky blue
    "YouTube": "#D55E00",  # vermillion
    "Pinterest": "#E69F00",  # orange
    "Facebook": "#0072B2",  # blue
    "X": "#009E73",  # bluish green
    "Other": "#999999",  # grey: the first network not listed here
}
# Further unknown networks, after the grey of "Other" (Paul Tol's muted scheme).
FALLBACK_COLORS: tuple[str, ...] = ("#999999", "#882255", "#44AA99", "#332288", "#DDCC77", "#117733")
# Several entities of one network in one chart: one colour each (Okabe-Ito order).
ENTITY_COLORS: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
)
BASELINE_COLOR = "#D9D9D9"
CURRENT_COLOR = "#999999"
OPTIMAL_COLOR = "#0072B2"
CHOSEN_COLOR = "#D55E00"
INK = "#333333"

EMPTY_TEXT = "No rows selected"
HEIGHT = 320
MONEY = "$,.0f"  # dense tooltips: $12,345
MONEY_AXIS = "$~s"  # axes: $0, $50k, $1.5M ("$.2s" would print "$0.0" at the origin)
PER_DOLLAR = "$,.2f"  # a return per $1: $1.25
MAX_LINE_POINTS = 6000  # all curves of one chart together
# The width follows the page's column; the height is the plot's own, with the title, axes and legends
# added around it.  (Streamlit's default, "fit", squeezes all of them into the height: a plot of a third
# of it under a three-line subtitle, and a tall legend cut off at the bottom.)
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")

SPEND_TITLE = "Spend per quarter"
RESPONSE_TITLE = "Expected revenue per quarter"
MARGINAL_TITLE = "Return on the next $1"
ROAS_TITLE = "Revenue per $1 (average)"
RANGE_IN = "seen in the data"
RANGE_OUT = "beyond the data (extrapolation)"
RANGE_UNKNOWN = "range of the data unknown"
CURRENT, OPTIMAL = "Current spend", "Optimal spend"

_LOOKUP = {k.lower(): k for k in NETWORK_COLORS}


# --------------------------------------------------------------------------- helpers


def network_color(network: str, others: Sequence[str] = ()) -> str:
    """Colour of ``network`` (case-insensitive).

    A network not in :data:`NETWORK_COLORS` takes a fallback colour by its place
    among the unknown networks ``others`` of the same chart (grey for the first).
    """
    key = _LOOKUP.get(str(network).strip().lower())
    if key is not None:
        return NETWORK_COLORS[key]
    unknown = [str(o) for o in others if str(o).strip().lower() not in _LOOKUP]
    i = unknown.index(str(network)) if str(network) in unknown else 0
    return FALLBACK_COLORS[i % len(FALLBACK_COLORS)]


def _network_scale(networks: Iterable[str]) -> alt.Scale:
    domain = list(dict.fromkeys(str(n) for n in networks))
    return alt.Scale(domain=domain, range=[network_color(n, domain) for n in domain])


def _inline(df: pd.DataFrame) -> dict:
    """Data embedded in the spec, JSON-safe (NaN and inf -> null, dates as ISO text).

    Values rather than a DataFrame keep the chart independent of the app's global
    data-transformer settings (and of their 5,000-row limit); a plain dict rather
    than ``alt.InlineData``, which validates every row on construction (slow).
    Altair still gathers identical values into one top-level dataset.
    """
    return {"values": json.loads(df.to_json(orient="records", date_format="iso"))}


def _on(data: dict, chart: alt.Chart) -> tuple[dict, alt.Chart]:
    """A view and the data it will get once layered (see :func:`_layered`)."""
    return data, chart


def _layered(layers: list, width, height, title: alt.TitleParams, datasets: dict | None = None) -> alt.LayerChart:
    """Layer views; large data (given as ``_on(data, view)``) is attached last.

    Altair deep-copies a chart's data on every ``mark_*``/``encode``/``transform_*``
    call and again when layering, which is slow for thousands of rows.  ``datasets``
    holds the named data of :func:`_named`.
    """
    views, late = [], {}
    for i, item in enumerate(layers):
        if isinstance(item, tuple):
            late[i], item = item
        views.append(item)
    chart = alt.LayerChart(layer=views, width=width, height=height, title=title, autosize=FIT_X)
    for i, data in late.items():
        chart.layer[i].data = data
    if datasets:
        chart.datasets = datasets
    return chart


def _named(name: str, df: pd.DataFrame, datasets: dict) -> alt.NamedData:
    """Data under a fixed name (added to ``datasets``, the chart's top-level datasets).

    Inline data is named after a hash of its values, so a chart whose points move
    (the chosen budget, the plan's bars) would be a new spec on every move and be
    drawn from scratch; with fixed names only the data changes, and Streamlit swaps
    the data into the chart already drawn.
    """
    datasets[name] = _inline(df)["values"]
    return alt.NamedData(name=name)


def _texts(df: pd.DataFrame, **spec: tuple[str, Callable[[object], str]]) -> pd.DataFrame:
    """Copy of ``df`` with display strings: ``new=(source column, formatter)``."""
    out = df.copy()
    for new, (col, fn) in spec.items():
        out[new] = [fn(v) for v in df[col]] if col in df.columns else [fn(None)] * len(df)
    return out


def _per_dollar(x) -> str:
    return roas(x, per_dollar=True)


def _title(text: str, subtitle: Sequence[str] = ()) -> alt.TitleParams:
    sub = [s for s in subtitle if s]
    if sub:
        return alt.TitleParams(text=text, subtitle=sub, anchor="start", subtitleColor="#555555")
    return alt.TitleParams(text=text, anchor="start")


def empty_chart(
    message: str = EMPTY_TEXT, *, title: str | None = None, width: int | str = "container", height: int = HEIGHT
) -> alt.Chart:
    """A chart holding only ``message``, for a selection with nothing to draw."""
    chart = (
        alt.Chart(_inline(pd.DataFrame({"message": [message]})))
        .mark_text(fontSize=14, color="#555555")
        .encode(text="message:N", tooltip=alt.Tooltip("message:N", title="Note"))
        .properties(width=width, height=height, autosize=FIT_X)
    )
    return chart.properties(title=_title(title)) if title else chart


def _num(df: pd.DataFrame, col: str) -> np.ndarray:
    """Column ``col`` as floats (NaN where missing or not a number; all NaN if absent)."""
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def _is_creator(names: pd.Series) -> pd.Series:
    return names.astype(str).str.contains("/", regex=False)


def _select(curves: pd.DataFrame | None, names) -> pd.DataFrame:
    """Rows of the curve table to draw, in the order asked, indexed 0..n-1."""
    if curves is None or len(curves) == 0 or "name" not in curves.columns:
        return pd.DataFrame(columns=["name", "network", "curve", "beta"])
    key = curves["name"].astype(str)
    if names is None:
        sub = curves[~_is_creator(key)]
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
        sub["network"] = sub["name"].str.split("/").str[0]
    return sub


def _entity_color(sel: pd.DataFrame, legend: bool = True) -> alt.Color:
    """Colour by network when each network appears once, else one colour per entity.

    Every layer keeps the legend (one with ``legend=None`` hides the merged legend);
    its symbols are drawn as solid strokes, not as the band's faint fill.
    """
    networks, names = list(sel["network"]), list(sel["name"])
    extra = {"legend": alt.Legend(symbolType="stroke", symbolOpacity=1, symbolStrokeWidth=3, symbolSize=300,
                                  labelLimit=260)} if legend else {"legend": None}
    if len(set(networks)) == len(networks):
        return alt.Color("network:N", title="Network", scale=_network_scale(networks), **extra)
    palette = [ENTITY_COLORS[i % len(ENTITY_COLORS)] for i in range(len(names))]
    return alt.Color("name:N", title="Entity", sort=names, scale=alt.Scale(domain=names, range=palette), **extra)


def _plan_points(sel: pd.DataFrame, allocation: pd.DataFrame | None) -> pd.DataFrame:
    """Current and optimal spend of the selected rows: columns row, kind, spend.

    Current spend comes from the allocation table, else from the curve table's
    ``current_spend``; optimal spend is the allocation's ``spend``.
    """
    current = _num(sel, "current_spend")
    optimal = np.full(len(sel), np.nan)
    if allocation is not None and len(allocation) and "name" in allocation.columns:
        a = allocation.drop_duplicates("name")
        pos = pd.Series(np.arange(len(a)), index=a["name"].astype(str))
        idx = sel["name"].map(pos).to_numpy(dtype=float)
        found = np.isfinite(idx)
        take = idx[found].astype(int)
        optimal[found] = _num(a, "spend")[take]
        alloc_current = np.full(len(sel), np.nan)
        alloc_current[found] = _num(a, "current_spend")[take]
        current = np.where(np.isfinite(alloc_current), alloc_current, current)
    rows = np.concatenate([np.arange(len(sel)), np.arange(len(sel))])
    pts = pd.DataFrame({
        "row": rows,
        "kind": [CURRENT] * len(sel) + [OPTIMAL] * len(sel),
        "spend": np.concatenate([current, optimal]),
    })
    return pts[np.isfinite(pts["spend"])].reset_index(drop=True)


def _x_max(sel: pd.DataFrame, points: pd.DataFrame, max_spend: float | None) -> float:
    """Right end of the spend axis: past the data's spend, today's and the optimum."""
    if max_spend is not None and np.isfinite(max_spend) and max_spend > 0:
        return float(max_spend)
    cand = np.fmax(_num(sel, "observed_max") * 1.25, _num(sel, "current_spend") * 1.5)
    if len(points):
        top = points.groupby("row")["spend"].max()
        at = top.index.to_numpy()
        cand[at] = np.fmax(cand[at], top.to_numpy() * 1.5)
    curve = sel["curve"].astype(str).str.lower().to_numpy()
    fallback = np.where(curve == "linear", _num(sel, "max_spend"), 3.0 * _num(sel, "k"))
    cand = np.where(np.isfinite(cand) & (cand > 0), cand, fallback)
    cand = cand[np.isfinite(cand) & (cand > 0)]
    return float(cand.max()) if len(cand) else 1.0


def _evaluate(rep: pd.DataFrame, x: np.ndarray) -> dict[str, np.ndarray]:
    """Response, marginal return and average return per dollar of ``rep`` at ``x``."""
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
    """Every selected curve on a spend grid, split where the data's spend ends.

    Columns: row, name, network, spend, part (0 below, 1 inside, 2 above the
    observed spend), range (its label), response, marginal, roas and, with
    ``beta_p10``/``beta_p90`` in the curve table, response_p10/response_p90.
    A point on an observed boundary belongs to both parts, so lines join.
    """
    n = int(max(24, min(n_points, MAX_LINE_POINTS // max(len(sel), 1))))
    base = np.round(np.linspace(0.0, x_max, n), 2)  # whole cents: the values shown are exact
    has_range = "observed_max" in sel.columns
    lows = np.clip(np.nan_to_num(_num(sel, "observed_min"), nan=0.0), 0.0, None)
    highs = _num(sel, "observed_max")
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
        out["response_p10"] = response(rep.assign(beta=_num(rep, "beta_p10")), x)
        out["response_p90"] = response(rep.assign(beta=_num(rep, "beta_p90")), x)
        missing = ~(np.isfinite(_num(rep, "beta_p10")) & np.isfinite(_num(rep, "beta_p90")))
        out.loc[missing, ["response_p10", "response_p90"]] = np.nan
    # cents and hundredths of a cent are all a chart shows; keeps the spec small
    return out.round({"spend": 2, "response": 2, "response_p10": 2, "response_p90": 2, "marginal": 4, "roas": 4})


def _point_frame(sel: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """The plan's points on the curves, with values and display strings for tooltips."""
    rep = sel.iloc[points["row"].to_numpy()]
    x = points["spend"].to_numpy(dtype=float)
    out = points.assign(name=rep["name"].to_numpy(), network=rep["network"].to_numpy(), **_evaluate(rep, x))
    obs = _num(rep, "observed_max")
    out["data"] = np.where(np.isfinite(obs), np.where(x > obs, RANGE_OUT, RANGE_IN), RANGE_UNKNOWN)
    current = out[out["kind"] == CURRENT].set_index("row")["spend"]
    out["change"] = np.where(
        out["kind"] == OPTIMAL, out["spend"] - out["row"].map(current).to_numpy(dtype=float), np.nan
    )
    return _texts(
        out,
        spend_text=("spend", money),
        response_text=("response", money),
        roas_text=("roas", _per_dollar),
        marginal_text=("marginal", _per_dollar),
        change_text=("change", signed_money),
    )


def _spend_x(domain: list[float] | None) -> alt.X:
    scale = alt.Scale(domain=domain) if domain else alt.Undefined
    return alt.X("spend:Q", title=SPEND_TITLE, axis=alt.Axis(format=MONEY_AXIS), scale=scale)


LINE_TOOLTIPS = [
    alt.Tooltip("name:N", title="Entity"),
    alt.Tooltip("network:N", title="Network"),
    alt.Tooltip("spend:Q", title="Spend", format=MONEY),
    alt.Tooltip("response:Q", title="Expected revenue", format=MONEY),
    alt.Tooltip("roas:Q", title=ROAS_TITLE, format=PER_DOLLAR),
    alt.Tooltip("marginal:Q", title=MARGINAL_TITLE, format=PER_DOLLAR),
    alt.Tooltip("range:N", title="Data"),
]
POINT_TOOLTIPS = [
    alt.Tooltip("name:N", title="Entity"),
    alt.Tooltip("network:N", title="Network"),
    alt.Tooltip("kind:N", title="Point"),
    alt.Tooltip("spend_text:N", title="Spend"),
    alt.Tooltip("response_text:N", title="Expected revenue"),
    alt.Tooltip("roas_text:N", title=ROAS_TITLE),
    alt.Tooltip("marginal_text:N", title=MARGINAL_TITLE),
    alt.Tooltip("change_text:N", title="Change from current spend"),
    alt.Tooltip("data:N", title="Data"),
]


def _curve_layers(lines: pd.DataFrame, pts: pd.DataFrame, sel: pd.DataFrame, y: alt.Y, x: alt.X) -> list:
    """Lines (dashed beyond the data), transparent hover points and the plan's points."""
    enc = {"x": x, "y": y, "color": _entity_color(sel)}
    line_enc = dict(enc, color=_entity_color(sel), detail=["name:N", "part:O"], tooltip=LINE_TOOLTIPS)
    shown = [r for r in (RANGE_IN, RANGE_OUT, RANGE_UNKNOWN) if r in set(lines["range"])]
    if shown != [RANGE_UNKNOWN]:  # say solid / dashed only when some range is known
        dashes = {RANGE_IN: [1, 0], RANGE_OUT: [6, 4], RANGE_UNKNOWN: [1, 0]}
        line_enc["strokeDash"] = alt.StrokeDash(
            "range:N", title="Spend level", sort=shown,
            scale=alt.Scale(domain=shown, range=[dashes[r] for r in shown]),
            legend=alt.Legend(symbolStrokeColor=INK, symbolSize=300, labelLimit=260),
        )
    data = _inline(lines)
    layers = [
        _on(data, alt.Chart().mark_line(strokeWidth=2, clip=True).encode(**line_enc)),
        # transparent points so hovering anywhere on a line shows its values there
        _on(data, alt.Chart().mark_circle(size=70, opacity=0, clip=True).encode(**enc, tooltip=LINE_TOOLTIPS)),
    ]
    pdata = _inline(pts)
    is_current = alt.datum.kind == CURRENT
    if (pts["kind"] == CURRENT).any():
        layers.append(
            alt.Chart(pdata).transform_filter(is_current)
            .mark_point(filled=False, size=110, strokeWidth=2.5, opacity=1, clip=True)
            .encode(**enc, tooltip=POINT_TOOLTIPS)
        )
    if (pts["kind"] == OPTIMAL).any():
        layers.append(
            alt.Chart(pdata).transform_filter(~is_current)
            .mark_point(filled=True, size=110, opacity=1, stroke="white", strokeWidth=1, clip=True)
            .encode(**enc, tooltip=POINT_TOOLTIPS)
        )
    return layers


def _notes(lines: pd.DataFrame, pts: pd.DataFrame) -> list[str]:
    notes = []
    kinds = set(pts["kind"]) if not pts.empty else set()
    legend = ((CURRENT, "hollow circle: current spend"), (OPTIMAL, "filled circle: optimal spend"))
    marks = [text for kind, text in legend if kind in kinds]
    if marks:
        notes.append("; ".join(marks).capitalize() + ".")
    if RANGE_OUT in set(lines["range"]):
        notes.append("Dashed: spend the data has not seen (extrapolation).")
    return notes


def _prepare(curves, allocation_table, names, max_spend, n_points):
    sel = _select(curves, names)
    if sel.empty:
        return None
    points = _plan_points(sel, allocation_table)
    x_max = _x_max(sel, points, max_spend)
    lines = _curve_frame(sel, x_max, n_points)
    pts = _point_frame(sel, points)
    x = _spend_x([0.0, x_max] if max_spend is not None else None)
    return sel, lines, pts, x


# --------------------------------------------------------------------------- charts


def response_curves(
    curves: pd.DataFrame,
    allocation_table: pd.DataFrame | None = None,
    names: Iterable[str] | str | None = None,
    max_spend: float | None = None,
    n_points: int = 120,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Expected revenue at each level of spend",
) -> alt.LayerChart | alt.Chart:
    """Response curves: expected revenue per quarter against spend, one line per entity.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1).  Optional columns used when
        present: ``observed_min``/``observed_max`` (solid within, dashed beyond:
        extrapolation), ``beta_p10``/``beta_p90`` (a 10th-90th percentile band),
        ``current_spend`` (the hollow point when no allocation is given).
    allocation_table : DataFrame, optional
        ``Allocation.table``: ``spend`` is drawn as a filled point (optimal),
        ``current_spend`` as a hollow one.
    names : iterable of str or str, optional
        Rows to draw, in this order; default the networks' paid media (names
        without ``/``).  Names not in the curve table are ignored.
    max_spend : float, optional
        Right end of the spend axis; default 1.5 x the larger of current and
        optimal spend, or 1.25 x the largest spend seen in the data.
    n_points : int, default 120
        Grid points per curve (fewer when many curves share the chart).
    width, height, title
        Size (``"container"`` follows the page's column) and title.

    Returns
    -------
    alt.LayerChart
        Or a text chart saying "No rows selected" when no row matches.
    """
    prepared = _prepare(curves, allocation_table, names, max_spend, n_points)
    if prepared is None:
        return empty_chart(title=title, width=width, height=height)
    sel, lines, pts, x = prepared
    y = alt.Y("response:Q", title=RESPONSE_TITLE, axis=alt.Axis(format=MONEY_AXIS))
    layers, notes = [], _notes(lines, pts)
    if "response_p10" in lines.columns and lines["response_p10"].notna().any():
        layers.append(_on(
            _inline(lines),  # the lines' own data, so the spec holds it once
            alt.Chart().transform_filter("isValid(datum.response_p10) && isValid(datum.response_p90)")
            .mark_area(opacity=0.15, clip=True).encode(
                x=x,
                y=alt.Y("response_p10:Q", title=RESPONSE_TITLE, axis=alt.Axis(format=MONEY_AXIS), stack=None),
                y2="response_p90:Q",
                color=_entity_color(sel),
                detail="name:N",
                tooltip=LINE_TOOLTIPS[:3] + [
                    alt.Tooltip("response_p10:Q", title="Expected revenue, 10th percentile", format=MONEY),
                    alt.Tooltip("response_p90:Q", title="Expected revenue, 90th percentile", format=MONEY),
                ],
            )
        ))
        notes.append("Band: 10th to 90th percentile of the expected revenue.")
    layers += _curve_layers(lines, pts, sel, y, x)
    return _layered(layers, width, height, _title(title, notes))


def _equal_margin_level(allocation: pd.DataFrame | None) -> float | None:
    """The optimum's common marginal return: median over funded rows held by no bound."""
    if allocation is None or not len(allocation) or "marginal_return" not in allocation.columns:
        return None
    m = _num(allocation, "marginal_return")
    ok = np.isfinite(m) & (np.nan_to_num(_num(allocation, "spend")) > 0)
    if "binding" in allocation.columns:
        free = ~allocation["binding"].fillna("").astype(str).isin(["min", "max"]).to_numpy()
        if (ok & free).any():
            ok &= free
    return float(np.median(m[ok])) if ok.any() else None


def marginal_roas(
    curves: pd.DataFrame,
    allocation_table: pd.DataFrame | None = None,
    names: Iterable[str] | str | None = None,
    level: float | None = None,
    max_spend: float | None = None,
    n_points: int = 120,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Return on the next dollar at each level of spend",
) -> alt.LayerChart | alt.Chart:
    """Marginal return (d revenue / d spend) against spend, with the optimum's level.

    Parameters
    ----------
    curves, allocation_table, names, max_spend, n_points
        As in :func:`response_curves`.
    level : float, optional
        The equal marginal return at the optimum, drawn as a dashed rule; default
        the median ``marginal_return`` of the allocation's funded rows held by no
        bound (no rule without an allocation).
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        A line per entity, the plan's points, the optimum's rule and a break-even
        rule at $1 back per $1; or a "No rows selected" text chart.
    """
    prepared = _prepare(curves, allocation_table, names, max_spend, n_points)
    if prepared is None:
        return empty_chart(title=title, width=width, height=height)
    sel, lines, pts, x = prepared
    if level is None:
        level = _equal_margin_level(allocation_table)
    has_level = level is not None and np.isfinite(level)
    # a hill curve with s < 1 has an unbounded slope at $0: its first 2% of spend
    # does not set the axis (the line runs off the top, clipped)
    steep = (sel["curve"].astype(str).str.lower() == "hill").to_numpy() & (_num(sel, "s") < 1)
    vals = lines["marginal"].to_numpy(dtype=float)
    near_zero = steep[lines["row"].to_numpy()] & (lines["spend"].to_numpy() < 0.02 * lines["spend"].max())
    vals = vals[np.isfinite(vals) & ~near_zero]
    top = 1.05 * float(vals.max()) if len(vals) else 1.0
    top = max(top, 1.15, 1.15 * level if has_level else 0.0)
    y = alt.Y("marginal:Q", title=MARGINAL_TITLE, axis=alt.Axis(format=PER_DOLLAR),
              scale=alt.Scale(domain=[0.0, top]))
    layers = _curve_layers(lines, pts, sel, y, x)

    rules = [(1.0, "Break-even", "break-even: $1 back per $1", [2, 2])]
    if has_level:
        rules.append((float(level), "Optimum", f"optimum: {roas(level)} per $1 for every free entity", [8, 4]))
    for value, kind, label, dash in rules:
        d = _texts(pd.DataFrame({"value": [value], "kind": [kind], "label": [label]}),
                   value_text=("value", _per_dollar))
        tips = [alt.Tooltip("kind:N", title="Line"), alt.Tooltip("value_text:N", title=MARGINAL_TITLE),
                alt.Tooltip("label:N", title="Meaning")]
        data = _inline(d)
        layers.append(alt.Chart(data).mark_rule(color=INK, strokeWidth=1.5, strokeDash=dash)
                      .encode(y=alt.Y("value:Q"), tooltip=tips))
        layers.append(alt.Chart(data).mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=INK)
                      .encode(x=alt.value(0), y=alt.Y("value:Q"), text="label:N", tooltip=tips))
    notes = _notes(lines, pts)
    if has_level:
        notes.append("At the optimum every funded entity not held by a bound earns the same on its next dollar.")
    return _layered(layers, width, height, _title(title, notes))


def _frontier_parts(frontier_df, current_budget, chosen_budget, chosen_response, step, step_response) -> dict | None:
    """Everything :func:`frontier` draws, as data: the curve (``frame``), ``has_band``, the subtitle
    ``notes``, the marked budgets (``marks``, or None) and the next step (``next``, or None)."""
    if frontier_df is None or not len(frontier_df):
        return None
    if not {"budget", "response"} <= set(frontier_df.columns):
        raise ValueError("The frontier table needs the columns budget and response.")
    f = pd.DataFrame({c: _num(frontier_df, c)
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
    marks, notes = [], ["Each point is the best split of that budget; its slope is the return on the next $1."]
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
            "per_dollar_text": _per_dollar(gain / float(step)),
        })
        notes.append(f"The orange step is what the next {money(step)} of budget buys.")
    if has_band:
        notes.append("Band: 10th to 90th percentile of the expected revenue.")

    def with_text(df: pd.DataFrame) -> pd.DataFrame:
        return _texts(df, budget_text=("budget", money), response_text=("response", money),
                      p10_text=("response_p10", money), p90_text=("response_p90", money),
                      roas_text=("roas", _per_dollar), marginal_text=("marginal_return", _per_dollar))

    marked = None
    if marks:
        labels = {m["kind"]: m["kind"] for m in marks}
        if len(marks) == 2 and abs(marks[0]["budget"] - marks[1]["budget"]) <= 0.01 * max(b[-1] - b[0], 1.0):
            labels = {"Current budget": "", "Chosen budget": "Chosen budget = current budget"}  # one label, not two
        marked = with_text(pd.DataFrame(marks).assign(label=lambda d: d["kind"].map(labels)))
    return {"frame": with_text(f), "has_band": has_band, "notes": notes, "marks": marked, "next": nxt}


def frontier_data(
    frontier_df: pd.DataFrame,
    current_budget: float | None = None,
    chosen_budget: float | None = None,
    *,
    chosen_response: float | None = None,
    step: float | None = None,
    step_response: float | None = None,
) -> tuple[dict[str, list[dict]], tuple]:
    """The data of :func:`frontier` that moves with the chosen budget, and the shape of the rest.

    Returns
    -------
    datasets : dict
        The named data sets ``frontier-budgets`` and ``frontier-next-step`` (those
        drawn), as :func:`frontier` embeds them.
    shape : tuple
        Everything else the spec depends on besides ``frontier_df`` (which marks are
        drawn, the subtitle).  Two calls on the same frontier with equal shapes give
        specs that differ only in ``datasets``: a page can draw the chart once and
        swap these in when the budget moves, without building the chart again.
    """
    parts = _frontier_parts(frontier_df, current_budget, chosen_budget, chosen_response, step, step_response)
    if parts is None:
        return {}, ("empty",)
    datasets = {}
    if parts["marks"] is not None:
        datasets["frontier-budgets"] = _inline(parts["marks"])["values"]
    if parts["next"] is not None:
        datasets["frontier-next-step"] = _inline(parts["next"])["values"]
    kinds = tuple(sorted(parts["marks"]["kind"])) if parts["marks"] is not None else ()
    shape = (kinds, parts["next"] is not None, tuple(parts["notes"]), step)
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
) -> alt.LayerChart | alt.Chart:
    """The efficient frontier: the best expected revenue against the total budget.

    Parameters
    ----------
    frontier_df : DataFrame
        ``planner.optimize.solver.frontier`` output: ``budget``, ``response`` and, if
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

    Returns
    -------
    alt.LayerChart
        Or a "No rows selected" text chart for an empty frontier.

    Raises
    ------
    ValueError
        When ``frontier_df`` has rows but no ``budget`` or ``response`` column.
    """
    parts = _frontier_parts(frontier_df, current_budget, chosen_budget, chosen_response, step, step_response)
    if parts is None:
        return empty_chart(title=title, width=width, height=height)
    f, has_band, notes, marks, nxt = (parts[k] for k in ("frame", "has_band", "notes", "marks", "next"))

    tips = [
        alt.Tooltip("budget_text:N", title="Budget"),
        alt.Tooltip("response_text:N", title="Expected revenue"),
        *([alt.Tooltip("p10_text:N", title="10th percentile"),
           alt.Tooltip("p90_text:N", title="90th percentile")] if has_band else []),
        alt.Tooltip("roas_text:N", title=ROAS_TITLE),
        alt.Tooltip("marginal_text:N", title="Return on the next $1"),
    ]
    x = alt.X("budget:Q", title="Total budget per quarter", axis=alt.Axis(format=MONEY_AXIS))
    y = alt.Y("response:Q", title=RESPONSE_TITLE, axis=alt.Axis(format=MONEY_AXIS))
    data = _inline(f)
    layers, named = [], {}
    if has_band:
        layers.append(_on(
            data,
            alt.Chart().transform_filter("isValid(datum.response_p10) && isValid(datum.response_p90)")
            .mark_area(opacity=0.2, color=OPTIMAL_COLOR)
            .encode(x=x, y=alt.Y("response_p10:Q", title=RESPONSE_TITLE, axis=alt.Axis(format=MONEY_AXIS), stack=None),
                    y2="response_p90:Q", tooltip=tips),
        ))
    layers.append(_on(data, alt.Chart().mark_line(color=OPTIMAL_COLOR, strokeWidth=2.5).encode(x=x, y=y, tooltip=tips)))
    layers.append(_on(data, alt.Chart().mark_circle(size=80, opacity=0).encode(x=x, y=y, tooltip=tips)))
    if marks is not None:
        mdata = _named("frontier-budgets", marks, named)
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
        layers.append(alt.Chart(mdata).transform_filter("datum.label != ''")
                      .mark_text(align="left", dx=9, dy=12, color=INK)
                      .encode(x=x, y=y, text="label:N", tooltip=mtips))
    if nxt is not None:
        ntips = [alt.Tooltip("step_text:N", title=f"Next {money(step)} of budget"),
                 alt.Tooltip("gain_text:N", title="Expected revenue added"),
                 alt.Tooltip("per_dollar_text:N", title="Return per $1 of it")]
        ndata = _named("frontier-next-step", nxt, named)
        layers.append(alt.Chart(ndata).mark_line(color=CHOSEN_COLOR, strokeWidth=5, strokeCap="round")
                      .encode(x=x, y=y, tooltip=ntips))
        layers.append(alt.Chart(ndata).transform_filter("datum.label != ''")
                      .mark_text(align="left", dx=6, dy=-14, color=CHOSEN_COLOR, fontWeight="bold")
                      .encode(x=x, y=y, text="label:N", tooltip=ntips))
    return _layered(layers, width, height, _title(title, notes), datasets=named)


def _sum_or_nan(s: pd.Series) -> float:
    return float(s.sum(min_count=1))


def _cvo_parts(table: pd.DataFrame, by: str, top: int, gain: bool) -> dict | None:
    """Everything :func:`current_vs_optimal` draws, as data: ``rows`` (one per bar pair, in order),
    ``bars`` (long: a row per bar), ``notes`` and ``labels`` (the revenue change beside the bars, or None)."""
    what = {"network": "network", "creator": "creator", "name": "entity"}[by]
    if table is None or not len(table) or not {"name", "network"} & set(table.columns):
        return None
    name_col = "name" if "name" in table.columns else "network"
    t = pd.DataFrame({
        "name": table[name_col].astype(str).to_numpy(),
        "network": (table["network"] if "network" in table.columns else table["name"].astype(str).str.split("/").str[0])
        .astype(str).to_numpy(),
        "optimal": _num(table, "spend"),
        "response": _num(table, "response"),
        "current": _num(table, "current_spend"),
        "current_response": _num(table, "current_response"),
    })
    if by == "network":
        t = t.groupby("network", sort=False).agg(
            optimal=("optimal", _sum_or_nan), response=("response", _sum_or_nan),
            current=("current", _sum_or_nan), current_response=("current_response", _sum_or_nan),
        ).reset_index()
        t["label"] = t["network"]
    else:
        if by == "creator":
            t = t[_is_creator(t["name"])]
        t = t.assign(label=t["name"])
    n_all = len(t)
    t = t.sort_values(["optimal", "current"], ascending=False, na_position="last").head(max(int(top), 1))
    t["change"] = t["optimal"] - t["current"]
    t["response_change"] = t["response"] - t["current_response"]
    long = pd.concat([t.assign(plan="Current", spend=t["current"]), t.assign(plan="Optimal", spend=t["optimal"])],
                     ignore_index=True)
    long = long[np.isfinite(long["spend"])]
    if long.empty:
        return None
    long = _texts(long, spend_text=("spend", money), current_text=("current", money),
                  optimal_text=("optimal", money), change_text=("change", signed_money),
                  current_response_text=("current_response", money), response_text=("response", money),
                  response_change_text=("response_change", signed_money))
    notes = []
    if n_all > len(t):
        notes.append(f"Top {len(t)} of {n_all} {what}s by optimal spend.")
    if not np.isfinite(t["current"]).any():
        notes.append("The table has no current spend: optimal spend only.")
    labels = None
    if gain and np.isfinite(t["response_change"].to_numpy(dtype=float)).any():
        notes.insert(0, "Beside the bars: the change in expected revenue, optimal against current spend.")
        end = np.fmax(np.nan_to_num(t["current"].to_numpy(dtype=float)), np.nan_to_num(t["optimal"].to_numpy(dtype=float)))
        labels = _texts(t.assign(end=end, room=end * 1.3), current_text=("current", money),
                        optimal_text=("optimal", money), change_text=("change", signed_money),
                        current_response_text=("current_response", money), response_text=("response", money),
                        response_change_text=("response_change", signed_money))
        labels["gain_label"] = [f"{signed_money(v, compact=True)} revenue" if np.isfinite(v) else ""
                                for v in labels["response_change"]]
    return {"rows": t, "bars": long, "notes": notes, "labels": labels}


def current_vs_optimal_data(table: pd.DataFrame, by: str = "network", top: int = 15) -> tuple[dict[str, list[dict]], tuple]:
    """The data of ``current_vs_optimal(table, by, top, gain=True)`` and the shape of the rest.

    As :func:`frontier_data`: ``datasets`` are its named data sets (``{by}-spend``,
    ``{by}-revenue-change``); plans with equal ``shape`` (the rows in the same order,
    the same notes) give specs that differ only in them.
    """
    if by not in ("network", "creator", "name"):
        raise ValueError(f"by must be 'network', 'creator' or 'name', not {by!r}.")
    parts = _cvo_parts(table, by, top, True)
    if parts is None or parts["labels"] is None:
        return {}, ("plain", id(table))  # no named data: never the same shape as another plan's
    datasets = {f"{by}-spend": _inline(parts["bars"])["values"],
                f"{by}-revenue-change": _inline(parts["labels"])["values"]}
    return datasets, (by, tuple(parts["rows"]["label"]), tuple(parts["notes"]))


def current_vs_optimal(
    table: pd.DataFrame,
    by: str = "network",
    top: int = 15,
    *,
    gain: bool = False,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str | None = None,
) -> alt.Chart | alt.LayerChart:
    """Grouped horizontal bars: current against optimal spend.

    Parameters
    ----------
    table : DataFrame
        ``Allocation.table`` (``name, network, spend, response, current_spend,
        current_response``) or ``Allocation.network_table`` (no ``name``).
    by : {"network", "creator", "name"}, default "network"
        Totals per network, the creators (names with ``/``) or every entity.
    top : int, default 15
        Keep the ``top`` rows by optimal spend (ties by current spend).
    gain : bool, default False
        Write each row's change in expected revenue beside its bars and the total
        revenue gained in the subtitle (an ``alt.LayerChart`` then).
    width, height, title
        Size and title (default "Current and optimal spend per network", ...).

    Returns
    -------
    alt.Chart
        A grey ``Current`` and a blue ``Optimal`` bar per row; tooltips give the
        change in spend and in expected revenue.  Or a "No rows selected" chart.
    """
    if by not in ("network", "creator", "name"):
        raise ValueError(f"by must be 'network', 'creator' or 'name', not {by!r}.")
    what = {"network": "network", "creator": "creator", "name": "entity"}[by]
    title = title or f"Current and optimal spend per {what}"
    parts = _cvo_parts(table, by, top, gain)
    if parts is None:
        return empty_chart(title=title, width=width, height=height)
    t, long, notes, labels = (parts[k] for k in ("rows", "bars", "notes", "labels"))
    label_title = {"network": "Network", "creator": "Creator", "name": "Entity"}[by]
    tips = [
        alt.Tooltip("label:N", title=label_title),
        *([alt.Tooltip("network:N", title="Network")] if by != "network" else []),
        alt.Tooltip("plan:N", title="Bar"),
        alt.Tooltip("current_text:N", title="Current spend"),
        alt.Tooltip("optimal_text:N", title="Optimal spend"),
        alt.Tooltip("change_text:N", title="Change in spend"),
        alt.Tooltip("current_response_text:N", title="Expected revenue now"),
        alt.Tooltip("response_text:N", title="Expected revenue, optimal"),
        alt.Tooltip("response_change_text:N", title="Change in expected revenue"),
    ]
    y = alt.Y("label:N", title=None, sort=list(t["label"]), axis=alt.Axis(labelLimit=220))
    x = alt.X("spend:Q", title=SPEND_TITLE, axis=alt.Axis(format=MONEY_AXIS))
    named: dict = {}
    bars = (
        alt.Chart(_named(f"{by}-spend", long, named) if labels is not None else _inline(long))
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=y,
            yOffset=alt.YOffset("plan:N", sort=["Current", "Optimal"]),
            x=x,
            color=alt.Color("plan:N", title="Spend", sort=["Current", "Optimal"],
                            scale=alt.Scale(domain=["Current", "Optimal"], range=[CURRENT_COLOR, OPTIMAL_COLOR])),
            tooltip=tips,
        )
    )
    if labels is None:
        return bars.properties(width=width, height=height, title=_title(title, notes), autosize=FIT_X)
    # the labels' own data under a fixed name: a new plan changes the data, not the spec (see _named)
    ref = _named(f"{by}-revenue-change", labels, named)
    label_tips = [t_ for t_ in tips if t_.title != "Bar"]
    text = (alt.Chart(ref).mark_text(align="left", dx=6, color=INK)
            .encode(y=y, x=alt.X("end:Q", title=SPEND_TITLE, axis=alt.Axis(format=MONEY_AXIS)),
                    text="gain_label:N", tooltip=label_tips))
    # an invisible point 30% beyond the longest bar keeps room on the axis for its label
    room = (alt.Chart(ref).mark_point(opacity=0)
            .encode(y=y, x=alt.X("room:Q", title=SPEND_TITLE, axis=alt.Axis(format=MONEY_AXIS)), tooltip=label_tips))
    return alt.LayerChart(layer=[bars, text, room], width=width, height=height, title=_title(title, notes),
                          autosize=FIT_X, datasets=named)


def _followers(table: pd.DataFrame, followers) -> pd.Series | None:
    """Followers per creator name from a Series, mapping or DataFrame, else the table's column."""
    if followers is None:
        if "followers" not in table.columns:
            return None
        return pd.Series(_num(table, "followers"), index=table["name"].astype(str).to_numpy())
    if isinstance(followers, pd.DataFrame):
        if not {"name", "followers"} <= set(followers.columns):
            raise ValueError("The followers table needs the columns name and followers.")
        return pd.Series(_num(followers, "followers"), index=followers["name"].astype(str).to_numpy())
    s = pd.Series(dict(followers)) if isinstance(followers, Mapping) else pd.Series(followers)
    return pd.Series(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float), index=s.index.astype(str))


def creator_scatter(
    allocation_table: pd.DataFrame,
    followers=None,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Creators: spend and expected revenue",
) -> alt.LayerChart | alt.Chart:
    """Each creator's spend against expected revenue, chosen or not.

    Parameters
    ----------
    allocation_table : DataFrame
        ``Allocation.table``; creators are the rows whose name holds ``/``.
    followers : Series, mapping or DataFrame, optional
        Followers per creator name (a Series indexed by name, a dict, or a
        DataFrame with ``name, followers``); default the table's ``followers``
        column if any.  Sets the size of the points.
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        Chosen creators (spend > 0) as solid circles at their planned spend and
        expected revenue; the others as faded triangles at their current spend
        (at $0 without one); a dashed break-even line where revenue equals
        spend.  Or a "No rows selected" text chart without creators.
    """
    if allocation_table is None or not len(allocation_table) or "name" not in allocation_table.columns:
        return empty_chart(title=title, width=width, height=height)
    t = allocation_table[_is_creator(allocation_table["name"])]
    if t.empty:
        return empty_chart(title=title, width=width, height=height)
    layers, notes = _creator_layers(allocation_table, t, followers)
    return _layered(layers, width, height, _title(title, notes))


def _creator_layers(allocation_table: pd.DataFrame, t: pd.DataFrame, followers, pick=None,
                    legend_orient: str | None = None) -> tuple[list, list[str]]:
    """The creator scatter's layers (break-even line, points) and notes; ``pick`` filters the points."""
    names = t["name"].astype(str)
    spend, resp = _num(t, "spend"), _num(t, "response")
    cur, cur_resp = _num(t, "current_spend"), _num(t, "current_response")
    chosen = np.nan_to_num(spend) > 0
    at_current = ~chosen & (np.nan_to_num(cur) > 0)
    d = pd.DataFrame({
        "name": names.to_numpy(),
        "network": (t["network"].astype(str) if "network" in t.columns else names.str.split("/").str[0]).to_numpy(),
        "status": np.where(chosen, "Chosen", "Not chosen"),
        "x": np.where(chosen, spend, np.where(at_current, cur, 0.0)),
        "y": np.where(chosen, resp, np.where(at_current, cur_resp, 0.0)),
        "shown_at": np.where(chosen, "planned spend", np.where(at_current, "current spend", "no spend")),
        "spend": spend,
        "response": resp,
        "current_spend": cur,
        "current_response": cur_resp,
        "marginal_return": _num(t, "marginal_return"),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        d["roas"] = np.where(np.nan_to_num(d["spend"]) > 0, d["response"] / d["spend"], np.nan)
    fol = _followers(allocation_table, followers)
    if fol is not None:
        fol = fol[~fol.index.duplicated()]
        d["followers"] = d["name"].map(fol).to_numpy(dtype=float)
    has_size = "followers" in d.columns and bool(np.isfinite(d["followers"]).any())
    d = _texts(d, spend_text=("spend", money), response_text=("response", money), roas_text=("roas", _per_dollar),
               marginal_text=("marginal_return", _per_dollar), current_text=("current_spend", money),
               current_response_text=("current_response", money),
               followers_text=("followers", lambda v: "\u2014" if pd.isna(v) else f"{float(v):,.0f}"))
    tips = [
        alt.Tooltip("name:N", title="Creator"),
        alt.Tooltip("network:N", title="Network"),
        alt.Tooltip("status:N", title="In the plan"),
        alt.Tooltip("spend_text:N", title="Planned spend"),
        alt.Tooltip("response_text:N", title="Expected revenue"),
        alt.Tooltip("roas_text:N", title=ROAS_TITLE),
        alt.Tooltip("marginal_text:N", title=MARGINAL_TITLE),
        alt.Tooltip("current_text:N", title="Current spend"),
        alt.Tooltip("current_response_text:N", title="Expected revenue now"),
        *([alt.Tooltip("followers_text:N", title="Followers")] if has_size else []),
        alt.Tooltip("shown_at:N", title="Drawn at"),
    ]
    x = alt.X("x:Q", title=SPEND_TITLE, axis=alt.Axis(format=MONEY_AXIS))
    y = alt.Y("y:Q", title=RESPONSE_TITLE, axis=alt.Axis(format=MONEY_AXIS))
    status = ["Chosen", "Not chosen"]
    where = {} if legend_orient is None else {"orient": legend_orient}
    enc = dict(
        x=x, y=y,
        color=alt.Color("network:N", title="Network", scale=_network_scale(d["network"]),
                        legend=alt.Legend(**where)),
        shape=alt.Shape("status:N", title="In the plan",
                        scale=alt.Scale(domain=status, range=["circle", "triangle-up"]), legend=alt.Legend(**where)),
        opacity=alt.Opacity("status:N", title="In the plan", scale=alt.Scale(domain=status, range=[0.9, 0.4]),
                            legend=alt.Legend(**where)),
        tooltip=tips,
    )
    if has_size:
        enc["size"] = alt.Size("followers:Q", title="Followers", scale=alt.Scale(range=[30, 700]),
                               legend=alt.Legend(format="~s", **where))
    layers = []
    xs, ys = d["x"].to_numpy(dtype=float), d["y"].to_numpy(dtype=float)
    end = min(np.max(xs[np.isfinite(xs)], initial=0.0), np.max(ys[np.isfinite(ys)], initial=0.0))
    notes = ["Chosen creators at their planned spend; the others faded, at their current spend."]
    if end > 0:
        even = pd.DataFrame({"x": [0.0, end], "y": [0.0, end], "label": ["Break-even: revenue equals spend"] * 2})
        layers.append(alt.Chart(_inline(even)).mark_line(color="#777777", strokeDash=[4, 4], strokeWidth=1)
                      .encode(x=x, y=y, tooltip=[alt.Tooltip("label:N", title="Line")]))
        notes.append("Above the dashed line a creator brings in more than it costs.")
    points = alt.Chart().mark_point(filled=True, size=90)
    if pick is not None:
        points = points.transform_filter(pick)
    layers.append(_on(_inline(d), points.encode(**enc)))
    return layers, notes


NETWORK_PICK = "network_pick"  # the selection parameter of creators_by_network: a clicked network


def creators_by_network(
    allocation_table: pd.DataFrame,
    followers=None,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Creators per network: click a network to see only its creators",
) -> alt.VConcatChart | alt.Chart:
    """Creators' spend per network (bars you click) above the creator scatter, filtered by the click.

    Parameters
    ----------
    allocation_table : DataFrame
        ``Allocation.table``; creators are the rows whose name holds ``/``.
    followers : Series, mapping or DataFrame, optional
        As in :func:`creator_scatter` (sets the size of the points).
    width, height, title
        Size (of the scatter; the bars take 30 px per network) and title.

    Returns
    -------
    alt.VConcatChart
        Top: one bar per network, the optimal spend on its creators, with the
        selection parameter :data:`NETWORK_PICK` (a point selection on
        ``network``; click a bar to pick it, shift-click to add one, double-click
        to clear).  Bottom: :func:`creator_scatter`'s layers, showing only the picked
        network's creators (all of them when nothing is picked).  A "No rows
        selected" text chart without creators.
    """
    if allocation_table is None or not len(allocation_table) or "name" not in allocation_table.columns:
        return empty_chart(title=title, width=width, height=height)
    t = allocation_table[_is_creator(allocation_table["name"])]
    if t.empty:
        return empty_chart(title=title, width=width, height=height)
    net = (t["network"].astype(str) if "network" in t.columns else t["name"].astype(str).str.split("/").str[0])
    g = pd.DataFrame({
        "network": net.to_numpy(),
        "spend": _num(t, "spend"),
        "current": _num(t, "current_spend"),
        "response": _num(t, "response"),
        "chosen": (np.nan_to_num(_num(t, "spend")) > 0).astype(int),
    }).groupby("network", sort=False).agg(
        spend=("spend", _sum_or_nan), current=("current", _sum_or_nan), response=("response", _sum_or_nan),
        chosen=("chosen", "sum"), creators=("chosen", "size"),
    ).reset_index().sort_values("spend", ascending=False, ignore_index=True)
    g["change"] = g["spend"] - g["current"]
    g["in_plan"] = [f"{c} of {n}" for c, n in zip(g["chosen"], g["creators"])]
    g = _texts(g, spend_text=("spend", money), current_text=("current", money), change_text=("change", signed_money),
               response_text=("response", money))
    pick = alt.selection_point(name=NETWORK_PICK, fields=["network"], on="click", clear="dblclick")
    bars = (
        alt.Chart(_inline(g))
        .mark_bar(cornerRadiusEnd=2, cursor="pointer")
        .encode(
            y=alt.Y("network:N", title=None, sort=list(g["network"])),
            x=alt.X("spend:Q", title="Optimal spend on creators per quarter", axis=alt.Axis(format=MONEY_AXIS)),
            color=alt.Color("network:N", title="Network", scale=_network_scale(g["network"]), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3)),
            tooltip=[alt.Tooltip("network:N", title="Network"),
                     alt.Tooltip("in_plan:N", title="Creators in the plan"),
                     alt.Tooltip("spend_text:N", title="Optimal spend on creators"),
                     alt.Tooltip("current_text:N", title="Current spend on creators"),
                     alt.Tooltip("change_text:N", title="Change in spend"),
                     alt.Tooltip("response_text:N", title="Expected revenue from creators")],
        )
        .add_params(pick)
        .properties(width=width, height=30 * len(g))
    )
    # a concatenation cannot fit its width to the page with legends beside it: they go below
    layers, notes = _creator_layers(allocation_table, t, followers, pick=pick, legend_orient="bottom")
    scatter = _layered(layers, width, height, alt.TitleParams(text=""))
    scatter.title = alt.Undefined
    scatter.autosize = alt.Undefined  # only the top level may size itself
    notes = ["Click a bar to see only that network's creators, shift-click to add another, double-click to see "
             "all."] + notes
    return alt.vconcat(bars, scatter, title=_title(title, notes), spacing=18, autosize=FIT_X)


def revenue_engagement(
    table: pd.DataFrame,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Creators: expected revenue against engagement, per dollar",
) -> alt.LayerChart | alt.Chart:
    """Revenue per dollar against engagements per $1,000, with the Pareto front of creators.

    Parameters
    ----------
    table : DataFrame
        :func:`planner.report.views.engagement_table`: name, network, in_plan,
        planned_spend, measured_at, revenue_per_dollar, engagements_per_1000,
        engagements, campaigns and (optional) on_front; without ``on_front`` the
        front is computed here.
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        A point per creator (colour: network; shape: in the plan or not), the
        front's creators solid and named, the others faded, and the front as a
        dashed staircase: no creator beyond it brings both more revenue and more
        engagement per dollar.  Engagements on a log axis (they span orders of
        magnitude across networks).  A text chart when no creator has both numbers.
    """
    need = {"name", "network", "revenue_per_dollar", "engagements_per_1000"}
    if table is None or not len(table) or not need <= set(table.columns):
        return empty_chart("The data has no engagements per creator.", title=title, width=width, height=height)
    d = pd.DataFrame({
        "name": table["name"].astype(str).to_numpy(),
        "network": table["network"].astype(str).to_numpy(),
        "x": _num(table, "engagements_per_1000"),
        "y": _num(table, "revenue_per_dollar"),
        "in_plan": table["in_plan"].fillna(False).astype(bool).to_numpy() if "in_plan" in table.columns
        else np.zeros(len(table), dtype=bool),
        "planned_spend": _num(table, "planned_spend"),
        "engagements": _num(table, "engagements"),
        "campaigns": _num(table, "campaigns"),
        "measured_at": table["measured_at"].astype(str).to_numpy() if "measured_at" in table.columns else "",
    })
    d = d[np.isfinite(d["x"]) & (d["x"] > 0) & np.isfinite(d["y"])].reset_index(drop=True)
    if d.empty:
        return empty_chart("The data has no engagements per creator.", title=title, width=width, height=height)
    if "on_front" in table.columns:
        front = table.set_index(table["name"].astype(str))["on_front"]
        d["on_front"] = d["name"].map(front[~front.index.duplicated()]).fillna(False).astype(bool).to_numpy()
    else:
        from planner.report.views import undominated  # noqa: PLC0415 (views imports nothing from charts)

        d["on_front"] = undominated(d["x"], d["y"])
    d["plan"] = np.where(d["in_plan"], "In the plan", "Not in the plan")
    d["front"] = np.where(d["on_front"], "On the front", "Behind the front")
    d["handle"] = d["name"].str.split("/").str[-1]
    d = _texts(d, y_text=("y", _per_dollar), x_text=("x", lambda v: "\u2014" if pd.isna(v) else f"{float(v):,.0f}"),
               planned_text=("planned_spend", money),
               engagements_text=("engagements", lambda v: "\u2014" if pd.isna(v) else f"{float(v):,.0f}"),
               campaigns_text=("campaigns", lambda v: "\u2014" if pd.isna(v) else f"{int(v):d}"))
    tips = [
        alt.Tooltip("name:N", title="Creator"),
        alt.Tooltip("network:N", title="Network"),
        alt.Tooltip("front:N", title="Pareto front"),
        alt.Tooltip("plan:N", title="In the plan"),
        alt.Tooltip("planned_text:N", title="Planned spend"),
        alt.Tooltip("y_text:N", title="Expected revenue per $1"),
        alt.Tooltip("measured_at:N", title="Revenue measured at"),
        alt.Tooltip("x_text:N", title="Engagements per $1,000"),
        alt.Tooltip("engagements_text:N", title="Engagements in the data"),
        alt.Tooltip("campaigns_text:N", title="Campaigns"),
    ]
    x = alt.X("x:Q", title="Engagements per $1,000 of spend (log scale)",
              scale=alt.Scale(type="log", nice=False, padding=12), axis=alt.Axis(format="~s"))
    y = alt.Y("y:Q", title="Expected revenue per $1", axis=alt.Axis(format=PER_DOLLAR),
              scale=alt.Scale(zero=False, padding=12))
    plan = ["In the plan", "Not in the plan"]
    fronts = ["On the front", "Behind the front"]
    layers = []
    f = d[d["on_front"]].sort_values("x")
    if len(f) >= 2:
        layers.append(alt.Chart(_inline(f.assign(line="Pareto front")))
                      .mark_line(interpolate="step-before", color=INK, strokeDash=[5, 3], strokeWidth=1.5)
                      .encode(x=x, y=y, tooltip=[alt.Tooltip("line:N", title="Line"), *tips]))
    layers.append(_on(_inline(d), alt.Chart().mark_point(filled=True, size=110).encode(
        x=x, y=y,
        color=alt.Color("network:N", title="Network", scale=_network_scale(d["network"])),
        shape=alt.Shape("plan:N", title="Plan", scale=alt.Scale(domain=plan, range=["circle", "triangle-up"])),
        opacity=alt.Opacity("front:N", scale=alt.Scale(domain=fronts, range=[1.0, 0.25]), legend=None),
        tooltip=tips,
    )))
    if len(f):
        # neighbours on the front alternate above and below their point, so close names do not overlap;
        # names in the right quarter of the axis go to the left of their point, clear of the legend
        lx = np.log10(d["x"].to_numpy(dtype=float))
        right = np.log10(f["x"].to_numpy(dtype=float)) > lx.min() + 0.75 * (lx.max() - lx.min())
        labels = f.assign(side=np.arange(len(f)) % 2, right=right.astype(int))
        ldata = _inline(labels)
        for side, dy in ((0, -8), (1, 14)):
            for r, align, dx in ((0, "left", 8), (1, "right", -8)):
                layers.append(alt.Chart(ldata).transform_filter(f"datum.side == {side} && datum.right == {r}")
                              .mark_text(align=align, dx=dx, dy=dy, fontSize=11, color=INK)
                              .encode(x=x, y=y, text="handle:N", tooltip=tips))
    notes = [f"{len(f)} of {len(d)} creators on the front (solid, named): none of the others brings both more "
             "revenue and more engagement per dollar.",
             "Revenue per $1 from each creator's curve at today's spend; engagements from its campaigns."]
    return _layered(layers, width, height, _title(title, notes))


def _engagement_front_frame(front: pd.DataFrame) -> pd.DataFrame:
    """The points of :func:`engagement_front` with their tooltip texts."""
    d = pd.DataFrame({c: _num(front, c) for c in ("weight", "revenue", "engagements", "revenue_lost",
                                                    "revenue_lost_pct", "engagements_gained",
                                                    "engagements_gained_pct", "revenue_per_engagement")})
    d = d[np.isfinite(d["revenue"]) & np.isfinite(d["engagements"])].sort_values("engagements")
    return _texts(
        d.reset_index(drop=True),
        weight_text=("weight", lambda w: "not valued (revenue only)" if w == 0 else unit_money(w)),
        revenue_text=("revenue", money), engagements_text=("engagements", count),
        lost_text=("revenue_lost", money), lost_pct_text=("revenue_lost_pct", lambda v: pct(v, decimals=2)),
        gained_text=("engagements_gained", lambda v: count(v, signed=True)),
        gained_pct_text=("engagements_gained_pct", lambda v: pct(v, signed=True)),
        per_text=("revenue_per_engagement", unit_money),
    )


def engagement_front(
    front: pd.DataFrame,
    chosen_weight: float | None = None,
    chosen_revenue: float | None = None,
    chosen_engagements: float | None = None,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Best plans of the budget: expected revenue against engagements",
) -> alt.LayerChart | alt.Chart:
    """The plan-level Pareto front: expected revenue against expected engagements.

    Parameters
    ----------
    front : DataFrame
        ``planner.analysis.pareto.pareto_front(...).table``: weight, revenue, engagements and
        (optional) revenue_lost(_pct), engagements_gained(_pct), revenue_per_engagement.
    chosen_weight, chosen_revenue, chosen_engagements : float, optional
        The plan in use (its value of an engagement, revenue and engagements), drawn as
        a large orange point and named, whether or not it is one of the front's points.
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        The front as a line with a point per plan (tooltip: the value of an engagement,
        revenue, engagements, what was given up and gained against the revenue-only
        plan), the revenue-only plan named, the chosen plan highlighted.  A text chart
        when the front has no points.
    """
    d = _engagement_front_frame(front) if front is not None and len(front) else pd.DataFrame()
    if d.empty:
        return empty_chart("The data has no engagements per dollar, so revenue cannot be weighed against "
                           "engagement.", title=title, width=width, height=height)
    tips = [
        alt.Tooltip("weight_text:N", title="Value of one engagement"),
        alt.Tooltip("revenue_text:N", title="Expected revenue"),
        alt.Tooltip("engagements_text:N", title="Expected engagements"),
        alt.Tooltip("lost_text:N", title="Revenue given up"),
        alt.Tooltip("lost_pct_text:N", title="Revenue given up, share"),
        alt.Tooltip("gained_text:N", title="Engagements gained"),
        alt.Tooltip("gained_pct_text:N", title="Engagements gained, share"),
        alt.Tooltip("per_text:N", title="Revenue given up per engagement gained"),
    ]
    x = alt.X("engagements:Q", title="Expected engagements per quarter",
              axis=alt.Axis(format=",.3~s"), scale=alt.Scale(zero=False, padding=16))
    y = alt.Y("revenue:Q", title=RESPONSE_TITLE, axis=alt.Axis(format=MONEY_AXIS),
              scale=alt.Scale(zero=False, padding=16))
    data = _inline(d)
    layers = [
        alt.Chart(data).mark_line(color=OPTIMAL_COLOR, strokeWidth=2).encode(x=x, y=y, tooltip=tips),
        alt.Chart(data).mark_point(filled=True, size=70, color=OPTIMAL_COLOR, opacity=1).encode(x=x, y=y,
                                                                                               tooltip=tips),
    ]
    base = d[d["weight"] == 0]
    notes = ["Each point is the best plan of the budget when one engagement is worth the dollars in its tooltip.",
             "To the right: more engagements for less revenue. No plan lies above and to the right of the line."]
    if len(base):
        layers.append(alt.Chart(_inline(base.assign(label="Revenue only"))).mark_text(
            align="left", dx=9, dy=12, color=INK).encode(x=x, y=y, text="label:N", tooltip=tips))
    if chosen_revenue is not None and chosen_engagements is not None and np.isfinite(chosen_revenue) \
            and np.isfinite(chosen_engagements):
        w = float(chosen_weight or 0.0)
        r0 = float(base["revenue"].iloc[0]) if len(base) else np.nan
        e0 = float(base["engagements"].iloc[0]) if len(base) else np.nan
        lost, gained = r0 - float(chosen_revenue), float(chosen_engagements) - e0
        c = _engagement_front_frame(pd.DataFrame({
            "weight": [w], "revenue": [float(chosen_revenue)], "engagements": [float(chosen_engagements)],
            "revenue_lost": [lost], "revenue_lost_pct": [lost / r0 if r0 else np.nan],
            "engagements_gained": [gained], "engagements_gained_pct": [gained / e0 if e0 else np.nan],
            "revenue_per_engagement": [lost / gained if w > 0 and gained > 0 else np.nan],
        }))
        label = "Your plan (revenue only)" if w == 0 else f"Your plan ({unit_money(w)} per engagement)"
        cdata = _inline(c.assign(point="Your plan", label=label))
        ctips = [alt.Tooltip("point:N", title="Point"), *tips]
        layers.append(alt.Chart(cdata).mark_point(filled=True, size=180, color=CHOSEN_COLOR, opacity=1)
                      .encode(x=x, y=y, tooltip=ctips))
        layers.append(alt.Chart(cdata).mark_text(align="right", dx=-11, dy=-12, color=CHOSEN_COLOR,
                                                 fontWeight="bold").encode(x=x, y=y, text="label:N", tooltip=ctips))
        notes.append(f"Orange: your plan, valuing an engagement at {unit_money(w)}; set it on the Optimize page.")
    return _layered(layers, width, height, _title(title, notes))


def decomposition(
    decomp_df: pd.DataFrame,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Sales explained: baseline and each network's contribution",
) -> alt.LayerChart | alt.Chart:
    """Stacked contributions over time with the actual sales line.

    Parameters
    ----------
    decomp_df : DataFrame
        ``date``, ``actual``, ``fitted``, ``baseline`` and one numeric column per
        network holding its contribution; ``actual``, ``fitted`` and ``baseline``
        are optional (``fitted`` defaults to the sum of the parts).
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        A stacked area (baseline at the bottom, then the networks in column
        order), actual sales (solid black) and the model's fit (dashed); or a
        "No rows selected" text chart for an empty table.

    Raises
    ------
    ValueError
        When the table has rows but no ``date`` column.
    """
    if decomp_df is None or not len(decomp_df):
        return empty_chart(title=title, width=width, height=height)
    if "date" not in decomp_df.columns:
        raise ValueError("The decomposition table needs a date column.")
    reserved = {"date", "actual", "fitted", "baseline"}
    networks = [c for c in decomp_df.columns if c not in reserved
                and pd.api.types.is_numeric_dtype(decomp_df[c]) and not pd.api.types.is_bool_dtype(decomp_df[c])]
    parts = (["baseline"] if "baseline" in decomp_df.columns else []) + networks
    dates = pd.to_datetime(decomp_df["date"]).to_numpy()
    actual, fitted = _num(decomp_df, "actual"), _num(decomp_df, "fitted")
    if not np.isfinite(fitted).any() and parts:
        fitted = np.nansum(np.column_stack([_num(decomp_df, c) for c in parts]), axis=1)
    x = alt.X("date:T", title=None)
    axis = alt.Axis(format=MONEY_AXIS)
    date_tip = alt.Tooltip("date:T", title="Date", format="%b %d, %Y")
    layers = []
    if parts:
        labels = ["Baseline" if c == "baseline" else str(c) for c in parts]
        long = pd.concat(
            [pd.DataFrame({"date": dates, "component": label, "order": i, "value": _num(decomp_df, c),
                           "actual": actual, "fitted": fitted})
             for i, (c, label) in enumerate(zip(parts, labels))],
            ignore_index=True,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            long["share"] = np.where(long["fitted"] != 0, long["value"] / long["fitted"], np.nan)
        long = _texts(long, share_text=("share", pct), actual_text=("actual", money))
        colors = [BASELINE_COLOR if c == "baseline" else network_color(str(c), [str(n) for n in networks])
                  for c in parts]
        layers.append(_on(
            _inline(long),
            alt.Chart().mark_area(opacity=0.85).encode(
                x=x,
                y=alt.Y("value:Q", title="Sales", stack="zero", axis=axis),
                color=alt.Color("component:N", title="Contribution", sort=labels,
                                scale=alt.Scale(domain=labels, range=colors)),
                order=alt.Order("order:Q", sort="ascending"),
                tooltip=[date_tip, alt.Tooltip("component:N", title="Part"),
                         alt.Tooltip("value:Q", title="Contribution", format=MONEY),
                         alt.Tooltip("share_text:N", title="Share of the fit"),
                         alt.Tooltip("actual_text:N", title="Actual sales")],
            ),
        ))
    series = [(label, v) for label, v in (("Actual sales", actual), ("Model fit", fitted)) if np.isfinite(v).any()]
    if series:
        lines = pd.concat([pd.DataFrame({"date": dates, "series": label, "value": v, "actual": actual,
                                         "fitted": fitted}) for label, v in series], ignore_index=True)
        lines = _texts(lines.assign(error=lines["actual"] - lines["fitted"]), actual_text=("actual", money),
                       fitted_text=("fitted", money), error_text=("error", signed_money))
        tips = [date_tip, alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("actual_text:N", title="Actual sales"),
                alt.Tooltip("fitted_text:N", title="Model fit"),
                alt.Tooltip("error_text:N", title="Actual minus fit")]
        data = _inline(lines)
        y = alt.Y("value:Q", title="Sales", axis=axis)
        shown = [label for label, _ in series]
        dashes = {"Actual sales": [1, 0], "Model fit": [5, 3]}
        layers.append(_on(data, alt.Chart().mark_line(color="#000000", strokeWidth=1.5).encode(
            x=x, y=y, tooltip=tips,
            strokeDash=alt.StrokeDash("series:N", title="Line", sort=shown,
                                      scale=alt.Scale(domain=shown, range=[dashes[s] for s in shown])))))
        layers.append(_on(data, alt.Chart().mark_circle(size=50, opacity=0).encode(x=x, y=y, tooltip=tips)))
    if not layers:
        return empty_chart(title=title, width=width, height=height)
    notes = ["Stacked: the baseline at the bottom, then each network's contribution."] if parts else []
    return _layered(layers, width, height, _title(title, notes))


# ----------------------------------------------------------------------------- saved scenarios

# Sections of planner.scenarios.store.compare (named here so charts need no database library).
_SCENARIO_SECTIONS = {"spend": "Spend by network", "response": "Expected revenue by network"}
_SCENARIO_TOTALS = "Totals"


def _scenario_figure(table: pd.DataFrame, item: str) -> pd.Series:
    try:
        return table.loc[(_SCENARIO_TOTALS, item)].astype(float)
    except KeyError:
        return pd.Series(np.nan, index=table.columns)


def scenario_comparison(
    table: pd.DataFrame,
    measure: str = "spend",
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str | None = None,
) -> alt.Chart:
    """Saved scenarios side by side: one bar per scenario for each network.

    Parameters
    ----------
    table : DataFrame
        :func:`planner.scenarios.store.compare`: indexed by (section, item), one column per
        scenario.
    measure : {"spend", "response"}, default "spend"
        Spend per network, or the expected revenue per network.
    width, height, title
        Size and title (default "Spend per network in each scenario" or "Expected
        revenue per network in each scenario").

    Returns
    -------
    alt.Chart
        Horizontal bars grouped by network (largest first), a colour per scenario in
        the order given; the subtitle gives each scenario's spend and expected revenue
        (with its P10-P90 range when known); tooltips give the network's spend,
        expected revenue and ROAS in that scenario.  A "No scenarios to compare" chart
        when the table has none.
    """
    if measure not in _SCENARIO_SECTIONS:
        raise ValueError(f"measure must be 'spend' or 'response', not {measure!r}.")
    what = "Spend" if measure == "spend" else "Expected revenue"
    title = title or f"{what} per network in each scenario"
    if table is None or not len(table.columns) or not isinstance(table.index, pd.MultiIndex):
        return empty_chart("No scenarios to compare", title=title, width=width, height=height)
    scenarios = [str(c) for c in table.columns]
    sections = table.index.get_level_values(0)
    parts = {}
    for key, section in _SCENARIO_SECTIONS.items():
        block = table[sections == section]
        parts[key] = pd.DataFrame(block.to_numpy(dtype=float), index=block.index.get_level_values(1).astype(str),
                                  columns=scenarios)
    shown = parts[measure]
    if shown.empty:
        return empty_chart("No scenarios to compare", title=title, width=width, height=height)
    networks = list(shown.index)
    spend = parts["spend"].reindex(networks)
    revenue = parts["response"].reindex(networks)
    long = pd.DataFrame({
        "network": np.repeat(networks, len(scenarios)),
        "scenario": np.tile(scenarios, len(networks)),
        "value": shown.to_numpy().ravel(),
        "spend": spend.to_numpy().ravel(),
        "revenue": revenue.to_numpy().ravel(),
    })
    long["roas"] = np.divide(long["revenue"], long["spend"], out=np.full(len(long), np.nan),
                             where=long["spend"].to_numpy() > 0)
    long = long[np.isfinite(long["value"])]
    if long.empty:
        return empty_chart("No scenarios to compare", title=title, width=width, height=height)
    long = _texts(long, spend_text=("spend", money), revenue_text=("revenue", money), roas_text=("roas", _per_dollar))
    order = long.groupby("network", sort=False)["value"].max().sort_values(ascending=False).index.tolist()

    total_spend = _scenario_figure(table, "Spend")
    total_rev = _scenario_figure(table, "Expected revenue")
    p10, p90 = _scenario_figure(table, "Expected revenue, P10"), _scenario_figure(table, "Expected revenue, P90")
    notes = []
    for name in scenarios[:4]:
        text = (f"{name}: {money(total_spend.get(name), compact=True)} spent, "
                f"{money(total_rev.get(name), compact=True)} expected revenue")
        lo, hi = p10.get(name, np.nan), p90.get(name, np.nan)
        if np.isfinite(lo) and np.isfinite(hi):
            text += f" (P10-P90 {money(lo, compact=True)} to {money(hi, compact=True)})"
        notes.append(text + ".")
    if len(scenarios) > 4:
        notes.append(f"And {len(scenarios) - 4} more scenarios.")
    colors = [ENTITY_COLORS[i % len(ENTITY_COLORS)] for i in range(len(scenarios))]
    axis_title = SPEND_TITLE if measure == "spend" else RESPONSE_TITLE
    return (
        alt.Chart(_inline(long))
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("network:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("scenario:N", sort=scenarios),
            x=alt.X("value:Q", title=axis_title, axis=alt.Axis(format=MONEY_AXIS)),
            color=alt.Color("scenario:N", title="Scenario", sort=scenarios,
                            scale=alt.Scale(domain=scenarios, range=colors)),
            tooltip=[alt.Tooltip("scenario:N", title="Scenario"), alt.Tooltip("network:N", title="Network"),
                     alt.Tooltip("spend_text:N", title="Spend"),
                     alt.Tooltip("revenue_text:N", title="Expected revenue"),
                     alt.Tooltip("roas_text:N", title="Return per $1")],
        )
        .properties(width=width, height=height, title=_title(title, notes))
    )


__all__ += ["scenario_comparison"]
