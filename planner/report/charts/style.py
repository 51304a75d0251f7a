"""The look shared by every chart: colours, sizes, formats, titles and display strings.

A network keeps its colour in every chart (:data:`NETWORK_COLORS`, Okabe-Ito, distinguishable
under the common colour-vision deficiencies); money axes read in compact dollars, dense curves'
tooltips with d3 formats, and points, bars and rules with :mod:`planner.base.format` (as the
tables do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import altair as alt
import pandas as pd

from planner.base.format import roas

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
    "MONEY",
    "MONEY_AXIS",
    "PER_DOLLAR",
    "FIT_X",
    "SPEND_TITLE",
    "RESPONSE_TITLE",
    "MARGINAL_TITLE",
    "ROAS_TITLE",
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


# --------------------------------------------------------------------------- sizes and formats

EMPTY_TEXT = "No rows selected"
HEIGHT = 320
MONEY = "$,.0f"  # dense tooltips: $12,345
MONEY_AXIS = "$~s"  # axes: $0, $50k, $1.5M ("$.2s" would print "$0.0" at the origin)
PER_DOLLAR = "$,.2f"  # a return per $1: $1.25
# The width follows the page's column; the height is the plot's own, with the title, axes and legends
# added around it.  (Streamlit's default, "fit", squeezes all of them into the height: a plot of a third
# of it under a three-line subtitle, and a tall legend cut off at the bottom.)
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")


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
MARGINAL_TITLE = "Return on the next $1"
ROAS_TITLE = "Revenue per $1 (average)"


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
