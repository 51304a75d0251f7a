"""What a chart looks like once drawn: its scenegraph (vl-convert runs Vega), as boxes, lines and points.

A chart test that asks "is any label crossed by a mark?" reads the drawn chart, not its spec: every
text (its box estimated from its font size), line, rule, area, bar and point in the pixels of the
picture, with the plot each belongs to.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import pytest

from planner.report.charts.placement import segment_hits

vlc = pytest.importorskip("vl_convert", reason="vl-convert-python is not installed: charts cannot be drawn")

CHAR = 0.55  # average width of a character of the charts' sans-serif font, in ems
_NARROW = set("ijlI.,:;'!|()[] ")


def text_box(item: dict, ox: float, oy: float) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) a drawn text covers, estimated from its font size and alignment."""
    text = item.get("text", "")
    text = " ".join(text) if isinstance(text, list) else str(text)
    size = float(item.get("fontSize", 11))
    w = sum(0.3 if c in _NARROW else CHAR for c in text) * size
    h = size
    x = ox + float(item.get("x", 0)) + float(item.get("dx", 0))
    y = oy + float(item.get("y", 0)) + float(item.get("dy", 0))
    left = {"left": x, "right": x - w, "center": x - w / 2}[item.get("align", "left")]
    top = {"top": y, "bottom": y - h, "middle": y - h / 2, "alphabetic": y - 0.8 * h,
           "line-top": y, "line-bottom": y - h}[item.get("baseline", "alphabetic")]
    return left, top, left + w, top + h


@dataclass
class Scene:
    """The drawn marks of a chart, in pixels of the picture."""

    width: float
    height: float
    texts: list = field(default_factory=list)  # (text, box, plot) of the marks' texts
    axis_labels: list = field(default_factory=list)  # (axis id, text, box), in the axis's order
    axis_titles: dict = field(default_factory=dict)  # axis id -> title
    legend_titles: list = field(default_factory=list)
    legend_labels: list = field(default_factory=list)  # every legend's entries' labels, in order
    legend_symbols: list = field(default_factory=list)  # their symbols (shape, stroke, strokeDash, ...), in order
    lines: list = field(default_factory=list)  # polylines: arrays of (x, y)
    points: list = field(default_factory=list)  # (x, y, radius, plot)
    areas: list = field(default_factory=list)  # (xs, tops, bottoms)
    rects: list = field(default_factory=list)  # boxes


def draw(chart, width: int) -> Scene:
    """Draw ``chart`` ``width`` pixels wide (the page's column) and return its marks."""
    text = chart.to_json().replace('"container"', str(int(width)))
    sg = vlc.vegalite_to_scenegraph(text)
    scene = Scene(float(sg["width"]), float(sg["height"]))
    _walk(sg["scenegraph"], 0.0, 0.0, None, scene, [0])
    return scene


def _walk(mark: dict, ox: float, oy: float, plot, scene: Scene, axis_id: list) -> None:
    kind, role, items = mark.get("marktype"), mark.get("role"), mark.get("items", [])
    if kind == "group":
        for g in items:
            gx, gy = ox + float(g.get("x", 0)), oy + float(g.get("y", 0))
            sub = (gx, gy, float(g["width"]), float(g["height"])) if role in ("frame", "scope") and "width" in g \
                else plot
            if role == "axis":
                axis_id[0] += 1
            for child in g.get("items", []):
                _walk(child, gx, gy, sub, scene, axis_id)
        return
    if role == "axis-label":
        for it in items:
            if it.get("opacity", 1) > 0 and it.get("text") not in ("", None):
                scene.axis_labels.append((axis_id[0], str(it["text"]), text_box(it, ox, oy)))
        return
    if role == "axis-title":
        scene.axis_titles[axis_id[0]] = " ".join(str(it.get("text", "")) for it in items)
        return
    if role == "legend-title":
        scene.legend_titles.extend(str(it.get("text", "")) for it in items)
        return
    if role == "legend-label":
        scene.legend_labels.extend(str(it.get("text", "")) for it in items)
        return
    if role == "legend-symbol":
        scene.legend_symbols.extend(dict(it) for it in items)
        return
    if role != "mark":
        return
    if kind == "text":
        for it in items:
            if it.get("opacity", 1) > 0 and str(it.get("text", "")).strip():
                scene.texts.append((str(it["text"]), text_box(it, ox, oy), plot))
    elif kind == "line":
        pts = [(ox + it["x"], oy + it["y"]) for it in items if it.get("defined", True) and "x" in it and "y" in it]
        if pts and items[0].get("opacity", 1) > 0 and items[0].get("strokeOpacity", 1) > 0:
            if items[0].get("interpolate") == "step-before":  # up or down first, then across
                xs, ys = np.array(pts).T
                pts = list(zip(np.repeat(xs, 2)[:-1], np.repeat(ys, 2)[1:], strict=True))
            scene.lines.append(np.array(pts, dtype=float))
    elif kind == "rule":
        for it in items:
            if it.get("opacity", 1) > 0:
                x1, y1 = ox + it.get("x", 0), oy + it.get("y", 0)
                scene.lines.append(np.array([(x1, y1), (ox + it.get("x2", it.get("x", 0)),
                                                        oy + it.get("y2", it.get("y", 0)))], dtype=float))
    elif kind == "symbol":
        for it in items:
            if it.get("opacity", 1) > 0 and (it.get("fillOpacity", 1) > 0 or it.get("strokeOpacity", 1) > 0):
                r = math.sqrt(float(it.get("size", 64)) / math.pi)
                scene.points.append((ox + it["x"], oy + it["y"], r, plot))
    elif kind == "area":
        ok = [it for it in items if it.get("defined", True) and "y2" in it]
        if ok and ok[0].get("opacity", 1) > 0:
            scene.areas.append((np.array([ox + it["x"] for it in ok]), np.array([oy + it["y"] for it in ok]),
                                np.array([oy + it["y2"] for it in ok])))
    elif kind == "rect":
        for it in items:
            if it.get("opacity", 1) > 0 and "width" in it:
                x, y = ox + it.get("x", 0), oy + it.get("y", 0)
                scene.rects.append((x, y, x + it["width"], y + it["height"]))


def shrink(box, by: float = 1.5):
    """The box less ``by`` pixels on each side (a text's estimated box is generous at its edges)."""
    left, top, right, bottom = box
    return left + by, top + by, right - by, bottom - by


def crossings(scene: Scene) -> list[str]:
    """What crosses each mark text of the scene: lines, rules, areas, bars, points and other texts."""
    found = []
    for i, (text, box, _) in enumerate(scene.texts):
        b = shrink(box)
        for line in scene.lines:
            if any(segment_hits(b, *line[k], *line[k + 1]) for k in range(len(line) - 1)):
                found.append(f"{text!r} is crossed by a line")
                break
        for xs, tops, bottoms in scene.areas:
            grid = np.linspace(b[0], b[2], 10)
            inside = (grid >= xs.min()) & (grid <= xs.max())
            order = np.argsort(xs)
            t, u = np.interp(grid, xs[order], tops[order]), np.interp(grid, xs[order], bottoms[order])
            if np.any(inside & (np.minimum(t, u) < b[3]) & (np.maximum(t, u) > b[1])):
                found.append(f"{text!r} is crossed by an area")
        for x, y, r, _ in scene.points:
            cx, cy = min(max(x, b[0]), b[2]), min(max(y, b[1]), b[3])
            if (cx - x) ** 2 + (cy - y) ** 2 < r * r:
                found.append(f"{text!r} is crossed by a point at ({x:.0f}, {y:.0f})")
                break
        for rect in scene.rects:
            if b[0] < rect[2] and rect[0] < b[2] and b[1] < rect[3] and rect[1] < b[3]:
                found.append(f"{text!r} is crossed by a bar")
                break
        for other, obox, _ in scene.texts[i + 1:]:
            o = shrink(obox)
            if b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3]:
                found.append(f"{text!r} overlaps {other!r}")
    return found


def axes(scene: Scene) -> dict[int, tuple[str, list[str]]]:
    """Each drawn axis: its title and its labels, in order."""
    out: dict = {}
    for axis, text, _ in scene.axis_labels:
        out.setdefault(axis, (scene.axis_titles.get(axis, ""), []))[1].append(text)
    return out


def colliding_ticks(scene: Scene, gap: float = 2.0) -> list[str]:
    """Pairs of labels of one axis drawn closer than ``gap`` pixels."""
    found = []
    by_axis: dict = {}
    for axis, text, box in scene.axis_labels:
        by_axis.setdefault(axis, []).append((text, box))
    for labels in by_axis.values():
        for i, (a, ba) in enumerate(labels):
            for b, bb in labels[i + 1:]:
                if ba[0] < bb[2] + gap and bb[0] < ba[2] + gap and ba[1] < bb[3] and bb[1] < ba[3]:
                    found.append(f"{a!r} and {b!r}")
    return found


def spec_text(chart) -> str:
    """Every string of the chart's spec, as JSON, without the schema's address."""
    spec = chart.to_dict()
    spec.pop("$schema", None)
    return json.dumps(spec, ensure_ascii=False)
