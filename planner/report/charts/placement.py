"""Where a chart writes its labels: beside their point, clear of every line, band, point and other label.

Vega-Lite draws a text where it is told, over whatever is there.  A chart whose scales have fixed
domains knows where each mark lands (its height is fixed, its width the page's column), so it can try
the places around a point (right, left, above, below and the diagonals) and keep the first one that
stays inside the plot and touches nothing, at every width the column may have (:data:`WIDTHS`).
A label with no free place is left out (its point's tooltip still names it).

:func:`place_labels` returns each label's alignment and its height in data units; :func:`text_layers`
draws them, one layer per alignment (a text's horizontal offset is a property of its mark, not of its
data).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd

__all__ = ["WIDTHS", "GAP", "Frame", "nice_end", "text_width", "segment_hits", "place_labels", "with_places",
           "text_layers"]

WIDTHS = (420.0, 640.0, 900.0)  # plot widths a page's column gives a chart, from a narrow window to a wide one
GAP = 8.0  # pixels between a point's edge and its label
STEP = 12.0  # pixels a label moves further away when the nearer places are taken
REACH = 90.0  # the furthest a label goes from its point, in pixels
_NARROW, _WIDE = set("ijlI.,:;'!|()[] "), set("mwMW@%")


def nice_end(value: float) -> float:
    """Return a round number at or above ``value``, for the end of an axis: 498,906 -> 500,000; 2.25M -> 2.4M.

    Parameters
    ----------
    value : float
        The largest value drawn (above zero).

    Returns
    -------
    float
        ``value`` rounded up to an even multiple of its second digit's unit; 1 for a value not above zero.
    """
    if not math.isfinite(value) or value <= 0:
        return 1.0
    unit = 2 * 10 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / unit - 1e-9) * unit


def text_width(text: str, size: float = 11.0) -> float:
    """Return the width of ``text`` in pixels in the charts' sans-serif font, slightly overestimated.

    Parameters
    ----------
    text : str
        The label.
    size : float, default 11
        The font size in pixels.

    Returns
    -------
    float
    """
    ems = sum(0.32 if c in _NARROW else 0.9 if c in _WIDE else 0.68 if c.isupper() else 0.58 for c in str(text))
    return ems * size


@dataclass(frozen=True)
class Frame:
    """A plot whose scales have fixed domains, and the marks a label must not touch.

    Attributes
    ----------
    x_domain, y_domain : tuple of float
        The scales' domains (``nice=False``, no padding: data lands exactly where this frame says).
    height : float
        The plot's height in pixels.
    x_log : bool
        Whether the x scale is logarithmic.
    points : list of (x, y, radius in pixels)
        Drawn points.
    lines : list of (xs, ys)
        Drawn lines, each a polyline.
    bands : list of (xs, lows, highs)
        Drawn areas between two lines.
    """

    x_domain: tuple[float, float]
    y_domain: tuple[float, float]
    height: float
    x_log: bool = False
    points: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    bands: list = field(default_factory=list)

    def to_px(self, x, y, width: float) -> tuple[np.ndarray, np.ndarray]:
        """Return the pixels of data ``(x, y)`` on a plot ``width`` wide (y from the top)."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        (x0, x1), (y0, y1) = self.x_domain, self.y_domain
        if self.x_log:
            x, x0, x1 = np.log10(x), math.log10(x0), math.log10(x1)
        return (x - x0) / (x1 - x0) * width, (1 - (y - y0) / (y1 - y0)) * self.height

    def dy_to_data(self, dy: float) -> float:
        """Return the data units of ``dy`` pixels downward on the y scale."""
        return -dy * (self.y_domain[1] - self.y_domain[0]) / self.height


def segment_hits(box, x1, y1, x2, y2) -> bool:
    """Return whether the segment (x1, y1)-(x2, y2) enters the box (left, top, right, bottom), by Liang-Barsky.

    Parameters
    ----------
    box : tuple of float
        Left, top, right and bottom, in pixels.
    x1, y1, x2, y2 : float
        The segment's ends.

    Returns
    -------
    bool
    """
    left, top, right, bottom = box
    t0, t1, dx, dy = 0.0, 1.0, x2 - x1, y2 - y1
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _clear(box, frame: Frame, width: float, placed: list, leaders: list) -> bool:
    """Whether a label's box lies inside the plot and touches no mark, no label and no leader placed before."""
    left, top, right, bottom = box
    if any(segment_hits(box, *seg) for seg in leaders):
        return False
    if left < 1 or top < 1 or right > width - 1 or bottom > frame.height - 1:
        return False
    for px, py, r in _points_px(frame, width):
        if left - r < px < right + r and top - r < py < bottom + r:
            cx, cy = min(max(px, left), right), min(max(py, top), bottom)
            if (cx - px) ** 2 + (cy - py) ** 2 < r * r:
                return False
    for xs, ys in frame.lines:
        px, py = frame.to_px(xs, ys, width)
        ok = np.isfinite(px) & np.isfinite(py)
        px, py = px[ok], py[ok]
        if any(segment_hits(box, px[i], py[i], px[i + 1], py[i + 1]) for i in range(len(px) - 1)):
            return False
    for xs, lows, highs in frame.bands:
        px, lo_px = frame.to_px(xs, lows, width)
        _, hi_px = frame.to_px(xs, highs, width)
        grid = np.linspace(left, right, 12)
        ok = np.isfinite(px) & np.isfinite(lo_px) & np.isfinite(hi_px)
        if ok.sum() < 2:
            continue
        inside = (grid >= px[ok].min()) & (grid <= px[ok].max())
        a = np.interp(grid, px[ok], lo_px[ok])  # the band's lower edge (larger pixel y)
        b = np.interp(grid, px[ok], hi_px[ok])
        if np.any(inside & (np.minimum(a, b) < bottom) & (np.maximum(a, b) > top)):
            return False
    return not any(left < r2 and l2 < right and top < b2 and t2 < bottom for l2, t2, r2, b2 in placed)


def _points_px(frame: Frame, width: float) -> list[tuple[float, float, float]]:
    """Return the frame's points in pixels on a plot ``width`` wide: ``(x, y, radius)``."""
    if not frame.points:
        return []
    xs, ys, rs = (np.array([p[i] for p in frame.points], dtype=float) for i in range(3))
    px, py = frame.to_px(xs, ys, width)
    return [(a, b, r) for a, b, r in zip(px, py, rs, strict=True) if math.isfinite(a) and math.isfinite(b)]


def _candidates(radius: float, reach: float) -> list[tuple[str, float]]:
    """Places around a point: (alignment, pixels down from the point), nearest first, then further above and below.

    Beyond the nearest ring a label moves away in steps of a line's height (up to ``reach`` pixels), so
    one can leave a band or a crowd of points and still sit above or below its point.
    """
    d = radius + GAP
    out = [("left", 0.0), ("right", 0.0)] + [(a, s * d) for s in (-1, 1) for a in ("left", "right", "center")]
    while (d := d + STEP) <= reach:  # further away a leader joins label and point: beside it, not through it
        out += [(align, sign * d) for sign in (-1, 1) for align in ("left", "right")]
    return out


def _box(px: float, py: float, align: str, dy: float, w: float, h: float) -> tuple[float, float, float, float]:
    dx = {"left": GAP, "right": -GAP - w, "center": -w / 2}[align]
    return px + dx, py + dy - h / 2, px + dx + w, py + dy + h / 2


def place_labels(frame: Frame, x: Sequence[float], y: Sequence[float], texts: Sequence[str],
                 radius: Sequence[float] | float = 6.0, size: float = 11.0, reach: float = REACH) -> pd.DataFrame:
    """Find a place for each label, in the order given (the first ones choose first).

    Parameters
    ----------
    frame : Frame
        The plot and its marks.
    x, y : sequence of float
        The labelled points, in data units.
    texts : sequence of str
        The labels.
    radius : float or sequence of float, default 6
        The points' radii in pixels (the label keeps :data:`GAP` pixels from the edge).
    size : float, default 11
        The font size.
    reach : float, default REACH (90)
        The furthest a label may go from its point, in pixels (joined to it by a leader beyond the nearest ring).

    Returns
    -------
    DataFrame
        One row per label that found a place: ``x``, ``label_y`` (the label's middle, in data units),
        ``label`` (the text), ``align`` (``left``: to the right of ``x``; ``right``: to its left; ``center``),
        ``leader`` (whether a line joins a label further away to its point) and ``leader_from`` (where that
        line leaves the point's edge, in data units), with the index of the label given.
    """
    radii = np.broadcast_to(np.asarray(radius, dtype=float), (len(texts),))
    placed, leaders = {w: [] for w in WIDTHS}, {w: [] for w in WIDTHS}
    rows = {}
    for i, (xi, yi, text) in enumerate(zip(x, y, texts, strict=True)):
        w, h, r = text_width(text, size), size * 1.25, float(radii[i])
        for align, dy in _candidates(r, reach):
            far = abs(dy) > r + GAP
            boxes, segs = {}, {}
            for width in WIDTHS:
                px, py = (float(v[0]) for v in frame.to_px([xi], [yi], width))
                boxes[width] = _box(px, py, align, dy, w, h)
                segs[width] = (px, py + math.copysign(r, dy), px, py + dy) if far else None
            if all(_clear(boxes[wd], frame, wd, placed[wd], leaders[wd])
                   and not (far and any(segment_hits(b, *segs[wd]) for b in placed[wd])) for wd in WIDTHS):
                for wd in WIDTHS:
                    placed[wd].append(boxes[wd])
                    if far:
                        leaders[wd].append(segs[wd])
                rows[i] = {"x": float(xi), "label_y": float(yi) + frame.dy_to_data(dy), "label": str(text),
                           "align": align, "leader": far,
                           "leader_from": float(yi) + frame.dy_to_data(math.copysign(r, dy))}
                break
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=["x", "label_y", "label", "align", "leader", "leader_from"])


def with_places(rows: pd.DataFrame, found: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """Return a copy of ``rows`` with their labels' places: ``label_y``, ``align``, ``leader``, ``leader_from``.

    Parameters
    ----------
    rows : DataFrame
        The labelled rows, as a chart draws them.
    found : DataFrame
        :func:`place_labels`'s answer.
    labels : dict
        The index of each label in ``found`` (as given to :func:`place_labels`) to the index of its row.

    Returns
    -------
    DataFrame
        Rows whose label found no place (or that have none) get no alignment, so no text layer draws them.
    """
    out = rows.assign(label_y=np.nan, align=None, leader=False, leader_from=np.nan)
    for k, row in labels.items():
        if k in found.index:
            for col in ("label_y", "align", "leader", "leader_from"):
                out.at[row, col] = found.at[k, col]
    return out


def text_layers(data, x: alt.X, y_title: str, y_scale: alt.Scale, tooltip, **mark) -> list[alt.Chart]:
    """Return the text layers drawing labels placed by :func:`place_labels`, one per alignment.

    Parameters
    ----------
    data
        The labels' data (with ``x``'s field and the columns of :func:`place_labels`), inline or named.
    x : alt.X
        The chart's x encoding (the labels share its scale).
    y_title : str
        The chart's y title (the layers share its axis).
    y_scale : alt.Scale
        The chart's y scale, on which the labels' heights (``label_y``) lie.
    tooltip : list
        The labels' tooltip.
    **mark
        Further text mark properties (``color``, ``fontWeight``); ``fontSize`` 11 unless given, the size
        :func:`place_labels` measured (a page's theme may not change it).

    Returns
    -------
    list of alt.Chart
        A layer of the leaders (grey lines from a point to its label further away), then one of text per
        alignment.
    """
    y = alt.Y("label_y:Q", title=y_title, scale=y_scale)
    mark = {"fontSize": 11, **mark}
    layers = [alt.Chart(data).transform_filter("datum.leader").mark_rule(color="#777777", strokeWidth=1)
              .encode(x=x, y=alt.Y("leader_from:Q", title=y_title, scale=y_scale), y2="label_y:Q", tooltip=tooltip)]
    for align, dx in (("left", GAP), ("right", -GAP), ("center", 0.0)):
        layers.append(alt.Chart(data).transform_filter(alt.datum.align == align)
                      .mark_text(align=align, baseline="middle", dx=dx, **mark)
                      .encode(x=x, y=y, text="label:N", tooltip=tooltip))
    return layers
