"""The look shared by every chart: colours, sizes, formats, titles and display strings.

A network keeps its colour in every chart (:data:`NETWORK_COLORS`, Okabe-Ito, distinguishable
under the common colour-vision deficiencies).  Money is written in the currency shown
(:func:`planner.base.currency.current`): axes label each tick on its own (``$0``, ``$200k``,
``$1.5M``: :func:`money_axis`) and start at zero (:func:`money_scale`), dense curves' tooltips are
written in the browser (:func:`money_text`), and points, bars and rules with
:mod:`planner.base.format` (as the tables do; labels of one chart alike, :func:`money_labels`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence

import altair as alt
import pandas as pd

from planner.base.currency import current
from planner.base.format import money, roas, signed_money

__all__ = [
    "NETWORK_COLORS",
    "FALLBACK_COLORS",
    "ENTITY_COLORS",
    "BASELINE_COLOR",
    "CURRENT_COLOR",
    "OPTIMAL_COLOR",
    "CHOSEN_COLOR",
    "INK",
    "EMPTY_TEXT",
    "HEIGHT",
    "FIT_X",
    "SPEND_TITLE",
    "RESPONSE_TITLE",
    "currency_unit",
    "money_expr",
    "money_axis",
    "money_scale",
    "money_text",
    "money_title",
    "money_labels",
    "count_expr",
    "marginal_title",
    "roas_title",
    "network_color",
    "network_scale",
    "chart_title",
    "per_dollar_text",
    "with_texts",
]

# --------------------------------------------------------------------------- colours

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

_LOOKUP = {k.lower(): k for k in NETWORK_COLORS}


def network_color(network: str, others: Sequence[str] = ()) -> str:
    """Return the colour of ``network`` (case-insensitive).

    A network not in :data:`NETWORK_COLORS` takes a fallback colour by its place
    among the unknown networks ``others`` of the same chart (grey for the first).

    Parameters
    ----------
    network : str
        The network's name.
    others : sequence of str, default ()
        The networks of the chart, in order; only the unknown ones count. A network not among them takes
        the first fallback colour.

    Returns
    -------
    str
        A hex colour, e.g. ``"#56B4E9"`` for TikTok.
    """
    key = _LOOKUP.get(str(network).strip().lower())
    if key is not None:
        return NETWORK_COLORS[key]
    unknown = [str(o) for o in others if str(o).strip().lower() not in _LOOKUP]
    i = unknown.index(str(network)) if str(network) in unknown else 0
    return FALLBACK_COLORS[i % len(FALLBACK_COLORS)]


def network_scale(networks: Iterable[str]) -> alt.Scale:
    """Return a colour scale giving each of ``networks`` (in order, once each) its :func:`network_color`.

    Parameters
    ----------
    networks : iterable of str
        The networks of the chart; duplicates are dropped, first appearance kept.

    Returns
    -------
    alt.Scale
        ``domain`` the networks and ``range`` their colours.
    """
    domain = list(dict.fromkeys(str(n) for n in networks))
    return alt.Scale(domain=domain, range=[network_color(n, domain) for n in domain])


# --------------------------------------------------------------------------- sizes

EMPTY_TEXT = "No rows selected"
HEIGHT = 320
# The width follows the page's column; the height is the plot's own, with the title, axes and legends
# added around it.  (Streamlit's default, "fit", squeezes all of them into the height: a plot of a third
# of it under a three-line subtitle, and a tall legend cut off at the bottom.)
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")


# --------------------------------------------------------------------------- money in the currency shown

def _symbol() -> str:
    """Return the currency's symbol as a Vega string literal (``"€"``: JSON quotes as the expression language does)."""
    return json.dumps(current().symbol, ensure_ascii=False)


def currency_unit() -> str:
    """Return the unit written in money axes' titles: the currency's symbol without its space (``$``, ``CHF``).

    Returns
    -------
    str
    """
    return current().symbol.strip()


def money_expr(value: str = "datum.value", decimals: int | None = None) -> str:
    """Return a Vega expression writing the number ``value`` as money in the currency shown here.

    Each value is written on its own (``$0``, ``$200k``, ``$1.5M``, ``$2B``), never with a prefix
    shared by the axis (d3's ``"$~s"`` writes ``$0M, $0.2M``); the symbol is the one of
    :func:`planner.base.currency.current` when the chart is built (``€200k``, ``CHF 1.5M``).

    Parameters
    ----------
    value : str, default "datum.value"
        A Vega expression of the amount (an axis label's value, or ``datum.spend``).
    decimals : int, optional
        Fixed decimals with thousands separators (``$1.25`` for 2); default compact.

    Returns
    -------
    str
        The expression; a negative amount reads ``-$500``, as :func:`planner.base.format.money` writes it.
    """
    a = f"abs({value})"
    if decimals is None:
        # below 1,000 the amount itself (d3's "s" would write 0.5 as "500m"); G is a billion to d3, B to people
        number = f"({a} < 1000 ? format({a}, ',.2~f') : replace(format({a}, '~s'), 'G', 'B'))"
    else:
        number = f"format({a}, ',.{int(decimals)}f')"
    return f"({value} < 0 ? '-' : '') + {_symbol()} + {number}"


def money_axis(decimals: int | None = None, **axis) -> alt.Axis:
    """Return an axis of amounts in the currency shown here (:func:`money_expr`), labels that never collide.

    Parameters
    ----------
    decimals : int, optional
        As in :func:`money_expr`: fixed decimals (2 for a return per dollar), default compact.
    **axis
        Further ``alt.Axis`` properties (``tickCount``, ``orient``, ...).

    Returns
    -------
    alt.Axis
        Labels written by :func:`money_expr`, overlapping ones left out, the last one inside the plot.
    """
    props = {"labelExpr": money_expr("datum.value", decimals), "labelOverlap": True, "labelFlush": True}
    return alt.Axis(**{**props, **axis})


def money_scale(**scale) -> alt.Scale:
    """Return a scale of money that starts at zero (a chart that zooms says so in its axis title).

    Parameters
    ----------
    **scale
        Further ``alt.Scale`` properties (``domain``, ``padding``, ...).

    Returns
    -------
    alt.Scale
    """
    return alt.Scale(**{"zero": True, **scale})


def money_text(field: str, decimals: int = 0) -> str:
    """Return a Vega expression writing ``datum[field]`` as money for a tooltip: ``$12,345``; an em dash when missing.

    Parameters
    ----------
    field : str
        The data's column.
    decimals : int, default 0
        Decimals shown (2 for a return per dollar).

    Returns
    -------
    str
    """
    value = f"datum[{json.dumps(field)}]"
    return f"isValid({value}) && isFinite({value}) ? {money_expr(value, decimals)} : '\u2014'"


def count_expr(value: str = "datum.value") -> str:
    """Return a Vega expression writing a count compactly, each value on its own: ``0``, ``300``, ``200k``, ``1.2M``.

    Parameters
    ----------
    value : str, default "datum.value"
        A Vega expression of the count.

    Returns
    -------
    str
    """
    return f"({value} < 1000 ? format({value}, ',~d') : replace(format({value}, '~s'), 'G', 'B'))"


def money_title(text: str) -> str:
    """Return an axis title with the currency as its unit: ``"Spend per quarter ($)"``.

    Parameters
    ----------
    text : str
        The title.

    Returns
    -------
    str
    """
    return f"{text} ({currency_unit()})"


def money_labels(values: Iterable, signed: bool = False) -> list[str]:
    """Write the amounts labelled in one chart alike: compact, and never cents beside thousands.

    When the largest amount reaches 1,000, every label is compact (:func:`planner.base.format.money`
    with ``compact=True``: ``$102k``, ``$1.5M``) and the amounts under 1,000 are written in thousands
    too (``$0.4k``), so ``+$102k`` never stands beside ``+$76.29``; otherwise every label is written by
    :func:`planner.base.format.money`.

    Parameters
    ----------
    values : iterable of float
        The amounts (NaN for none).
    signed : bool, default False
        ``+`` in front of an amount above zero, as :func:`planner.base.format.signed_money` writes it.

    Returns
    -------
    list of str
        One text per value, an em dash for a missing one; an amount under 50 beside thousands is ``$0``.
    """
    vals = [math.nan if v is None or pd.isna(v) else float(v) for v in values]
    largest = max((abs(v) for v in vals if math.isfinite(v)), default=0.0)
    write = signed_money if signed else money
    out = []
    for v in vals:
        if largest < 1000 or not math.isfinite(v) or abs(v) >= 1000:
            out.append(write(v, compact=True))
        elif round(abs(v) / 1000, 1) == 0:
            out.append(money(0))
        else:  # a part of a thousand, in the unit of the others
            sign = "-" if v < 0 else ("+" if signed else "")
            out.append(f"{sign}{current().symbol}{abs(v) / 1000:.1f}k")
    return out


def per_dollar_text(x) -> str:
    """Format a return per dollar for a tooltip (``"$1.25 per $1"``, an em dash when missing).

    Parameters
    ----------
    x : float or None
        Dollars returned per dollar.

    Returns
    -------
    str
    """
    return roas(x, per_dollar=True)


def with_texts(df: pd.DataFrame, **spec: tuple[str, Callable[[object], str]]) -> pd.DataFrame:
    """Return a copy of ``df`` with display strings: ``new=(source column, formatter)``.

    A source column ``df`` lacks gives every row the formatter's text for ``None``.

    Parameters
    ----------
    df : DataFrame
        The chart's rows; it is not modified.
    **spec : tuple of (str, callable)
        For each new column, the source column and the formatter that turns one value into text.

    Returns
    -------
    DataFrame
        The copy with one new text column per keyword.
    """
    out = df.copy()
    for new, (col, fn) in spec.items():
        out[new] = [fn(v) for v in df[col]] if col in df.columns else [fn(None)] * len(df)
    return out


# --------------------------------------------------------------------------- titles

SPEND_TITLE = "Spend per quarter"
RESPONSE_TITLE = "Expected revenue per quarter"


def marginal_title() -> str:
    """Return the words for the return on the next unit of money: ``"Return on the next $1"``."""
    return f"Return on the next {current().symbol}1"


def roas_title() -> str:
    """Return the words for the average return: ``"Revenue per $1 (average)"``."""
    return f"Revenue per {current().symbol}1 (average)"


def chart_title(text: str, subtitle: Sequence[str] = ()) -> alt.TitleParams:
    """Return a title anchored left, with the non-empty lines of ``subtitle`` in grey below it.

    Parameters
    ----------
    text : str
        The title.
    subtitle : sequence of str, default ()
        Lines below it; empty ones are skipped.

    Returns
    -------
    alt.TitleParams
    """
    sub = [s for s in subtitle if s]
    if sub:
        return alt.TitleParams(text=text, subtitle=sub, anchor="start", subtitleColor="#555555")
    return alt.TitleParams(text=text, anchor="start")
