"""The workbook's Funnel sheet: why each network (and creator) returns what it does.

Two tables (:mod:`planner.analysis.funnel`): the funnel by network with an "All networks" row, and below
it the funnel by creator. Spend, revenue and the counts (reach, engagements, clicks, orders) are numbers;
every rate that is a ratio of two of them (per $1,000, click-through, conversion, order value, revenue per
click, return per $1) is a live formula of those cells, saved with the planner's value, so editing a count
moves its rates. A rate the planner read over only the rows that know both of its counts (another row lacks
one) is the planner's number, and its cell's comment says so. A creator's Conversion and Order value are
pooled toward its network's (empirical Bayes, as its response curve is): those cells are numbers; its own
ratios stand beside them as formulas, and its Return per $1 is a formula of its clicks per dollar and the two
pooled figures. Only the columns the data has are written; a note names the missing steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.analysis.funnel import Funnel
from planner.base.currency import current
from planner.base.format import one
from planner.report.funnel_text import STEP_LABELS, missing_text, shown_label, thin_creators_text
from planner.report.sheets.book import Sheet, letter
from planner.report.sheets.cells import (
    BOLD,
    COUNT,
    PERCENT,
    TITLE,
    add_table,
    cell_number,
    fit_width,
    num,
    set_widths,
    style_total_row,
    write_header,
    write_text,
)

__all__ = ["FUNNEL_SHEET", "NETWORK_FUNNEL_TABLE", "CREATOR_FUNNEL_TABLE", "funnel_sheet"]

FUNNEL_SHEET = "Funnel"
NETWORK_FUNNEL_TABLE = "FunnelByNetwork"
CREATOR_FUNNEL_TABLE = "FunnelByCreator"

_NOTE = {"italic": True, "font_color": "#666666"}
_PERCENT_FINE = "0.00%"  # conversion: 1.37%
_SHARE = "0%"


@dataclass(frozen=True)
class _Column:
    """One column of a funnel table: the Funnel's column, its header, format, and the ratio it is of."""

    key: str
    header: str
    fmt: str  # "money", a number format, or "count"
    num: str | None = None  # the count column (a key) over ...
    den: str | None = None  # ... this one, times ``scale``: the cell is then a formula of the row's cells
    scale: float = 1.0
    note: str = ""


def _money_fmt() -> str:
    return current().excel_format(2)


def _columns(level: str) -> list[_Column]:
    """Every column a funnel table may have, in order; those without a finite value are left out later."""
    label = {k: shown_label(v) for k, v in STEP_LABELS.items()}
    per = f"per {one(1000)} of spend"
    cols = [_Column("spend", "Spend", "money", note="Spend in the data."),
            _Column("revenue", "Revenue", "money", note="Revenue in the data."),
            *(_Column(s, s.capitalize(), COUNT, note=f"Total {s} in the data.")
              for s in ("reach", "engagements", "clicks", "orders")),
            *(_Column(f"{s}_per_1000", label[f"{s}_per_1000"], COUNT, s, "spend", 1000.0, f"{s.capitalize()} {per}.")
              for s in ("reach", "engagements", "clicks", "orders")),
            _Column("click_through", label["click_through"], PERCENT, "clicks", "reach", note="Clicks / reach."),
            ]
    own = level == "creator"
    conv = _Column("conversion_own" if own else "conversion", "Own conversion" if own else label["conversion"],
                   _PERCENT_FINE, "orders", "clicks", note="Orders / clicks.")
    aov = _Column("order_value_own" if own else "order_value", "Own order value" if own else label["order_value"],
                  "money", "revenue", "orders", note="Revenue / orders.")
    rpc = _Column("revenue_per_click", label["revenue_per_click"], "money", "revenue", "clicks",
                  note="Revenue / clicks.")
    roas = _Column("roas", f"Own {label['roas'][0].lower()}{label['roas'][1:]}" if own else label["roas"], "money",
                   "revenue", "spend", note="Revenue / spend.")
    if not own:
        return [*cols, conv, aov, rpc, roas]
    pooled = ("Pulled toward the network's by empirical Bayes, weighted by the creator's orders (as its response "
              "curve is): a number, not a formula.")
    return [*cols,
            _Column("conversion", label["conversion"], _PERCENT_FINE, note="Orders per click. " + pooled),
            _Column("order_value", label["order_value"], "money", note="Revenue per order. " + pooled),
            rpc,
            _Column("roas_pooled", label["roas"], "money",
                    note="Clicks per dollar x Conversion x Order value (the pooled figures): a formula."),
            conv, aov, roas,
            _Column("conversion_pooled_weight", "Pulled toward network", _SHARE,
                    note="How far the creator's conversion was pulled toward its network's: 0% its own, 100% the "
                         "network's (a creator with no order).")]


def _kept(frame: pd.DataFrame, level: str) -> list[_Column]:
    """Return the columns with a finite value in ``frame`` (spend and revenue always)."""
    out = []
    for c in _columns(level):
        values = pd.to_numeric(frame[c.key], errors="coerce").to_numpy(dtype=float) if c.key in frame else []
        if c.key in ("spend", "revenue") or np.isfinite(values).any():
            out.append(c)
    return out


def _style(fmt: str) -> dict:
    return num(_money_fmt() if fmt == "money" else fmt)


def _value(frame: pd.DataFrame, i: int, key: str) -> float | None:
    return cell_number(frame[key].iloc[i]) if key in frame else None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


class _Writer:
    """Writes one funnel table's rows: numbers for counts, formulas for ratios the row's cells give."""

    def __init__(self, ws: Sheet, columns: list[_Column], first_col: int) -> None:
        self.ws, self.columns = ws, columns
        self.where = {c.key: first_col + j for j, c in enumerate(columns)}
        self.formula_rows: dict[str, int] = {c.key: 0 for c in columns}  # rows whose cell is a formula

    def ref(self, key: str, r: int) -> str:
        return f"{letter(self.where[key])}{r}"

    def row(self, r: int, frame: pd.DataFrame, i: int) -> None:
        ws = self.ws
        for c in self.columns:
            at, value = (r, self.where[c.key]), _value(frame, i, c.key)
            if value is None:
                ws.style(at, **_style(c.fmt))
            elif c.key == "roas_pooled":
                self._pooled_return(r, frame, i, value)
            elif c.num is None:
                ws.number(at, value, **_style(c.fmt))
            else:
                self._ratio(r, c, frame, i, value)

    def _ratio(self, r: int, c: _Column, frame: pd.DataFrame, i: int, value: float) -> None:
        n, d = _value(frame, i, c.num), _value(frame, i, c.den)
        at = (r, self.where[c.key])
        if c.num in self.where and c.den in self.where and n is not None and d and _close(c.scale * n / d, value):
            scale = "" if c.scale == 1 else f"{c.scale:g}*"
            den = self.ref(c.den, r)
            self.ws.formula(at, f'=IF({den}>0,{scale}{self.ref(c.num, r)}/{den},"")', value, **_style(c.fmt))
            self.formula_rows[c.key] += 1
        else:
            self.ws.number(at, value, **_style(c.fmt))
            self.ws.comment(at, f"The planner's figure over the rows of the data that have both {c.num} and "
                                f"{c.den} (some rows lack one of them), so not a formula of this row's cells.")

    def _pooled_return(self, r: int, frame: pd.DataFrame, i: int, value: float) -> None:
        """Clicks / spend x pooled conversion x pooled order value, as a formula where the row has them all."""
        at, keys = (r, self.where["roas_pooled"]), ("clicks", "spend", "conversion", "order_value")
        parts = [_value(frame, i, k) for k in keys]
        if all(k in self.where for k in keys) and all(p is not None for p in parts) and parts[1] > 0 \
                and _close(parts[0] / parts[1] * parts[2] * parts[3], value):
            clicks, spend, conv, aov = (self.ref(k, r) for k in keys)
            self.ws.formula(at, f'=IF({spend}>0,{clicks}/{spend}*{conv}*{aov},"")', value, **_style("money"))
            self.formula_rows["roas_pooled"] += 1
        else:
            self.ws.number(at, value, **_style("money"))

    def total(self, r: int, first: int, last: int, frame: pd.DataFrame) -> None:
        """Write the "All networks" row: the counts' sums, and each ratio of them where every row's is a formula."""
        sums = {}
        for c in self.columns:
            if c.num is not None:
                continue
            col = letter(self.where[c.key])
            sums[c.key] = float(np.nansum(pd.to_numeric(frame[c.key], errors="coerce").to_numpy(dtype=float)))
            self.ws.formula((r, self.where[c.key]), f"=SUM({col}{first}:{col}{last})", sums[c.key],
                            **_style(c.fmt))
        for c in self.columns:
            if c.num is None:
                continue
            at = (r, self.where[c.key])
            if self.formula_rows[c.key] == len(frame) and sums.get(c.den, 0) > 0 and c.num in sums:
                scale = "" if c.scale == 1 else f"{c.scale:g}*"
                den = self.ref(c.den, r)
                self.ws.formula(at, f'=IF({den}>0,{scale}{self.ref(c.num, r)}/{den},"")',
                                c.scale * sums[c.num] / sums[c.den], **_style(c.fmt))
            else:
                self.ws.style(at, **_style(c.fmt))


def _table(ws: Sheet, top: int, frame: pd.DataFrame, level: str, name: str) -> int:
    """Write one funnel table with its header in row ``top``; return the last row written."""
    frame = frame.sort_values("spend", ascending=False, kind="stable").reset_index(drop=True)
    columns = _kept(frame, level)
    names = ["Network"] if level == "network" else ["Creator", "Network"]
    write_header(ws, top, names + [c.header for c in columns], [None] * len(names) + [c.note for c in columns])
    writer = _Writer(ws, columns, len(names) + 1)
    for i in range(len(frame)):
        r = top + 1 + i
        write_text(ws, (r, 1), frame["network"].iloc[i] if level == "network" else frame["name"].iloc[i])
        if level == "creator":
            write_text(ws, (r, 2), frame["network"].iloc[i])
        writer.row(r, frame, i)
    last = top + max(len(frame), 1)
    width = len(names) + len(columns)
    add_table(ws, name, f"A{top}:{letter(width)}{last}")
    ws.height(top, 45)
    if level == "network" and len(frame):
        last += 1
        write_text(ws, (last, 1), "All networks")
        writer.total(last, top + 1, last - 1, frame)
        style_total_row(ws, last, width)
    return last


def funnel_sheet(ws: Sheet, f: Funnel) -> None:
    """Write the Funnel sheet on ``ws``: the funnel by network, then by creator, with notes.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    f : Funnel
        The data's funnel (:func:`planner.analysis.funnel.funnel`).
    """
    write_text(ws, "A1", "Funnel by network: why each network returns what it does", **TITLE)
    write_text(ws, "A2", f"Return per {one()} = clicks per {one()} x conversion (orders / clicks) x order value "
                         "(revenue / orders). Each rate is a formula of the counts in its row: edit a count and its "
                         "rates follow.", **_NOTE)
    gap = missing_text(f)
    if gap:
        write_text(ws, "A3", gap, **_NOTE)
    last = _table(ws, 5, f.networks, "network", NETWORK_FUNNEL_TABLE)
    names = list(f.networks["network"].astype(str))
    if len(f.creators):
        top = last + 3
        write_text(ws, (top, 1), "Funnel by creator", **BOLD)
        write_text(ws, (top + 1, 1), "A creator's Conversion and Order value are pooled toward its network's "
                                     "(empirical Bayes, weighted by its orders, as its response curve is): those "
                                     "cells are numbers, not formulas. Own conversion and Own order value are its "
                                     "own counts' ratios; Return per " + one() + " is its clicks per " + one()
                                     + " x the pooled conversion x the pooled order value.", **_NOTE)
        thin = thin_creators_text(f)
        if thin:
            write_text(ws, (top + 2, 1), thin, **_NOTE)
        _table(ws, top + 4, f.creators, "creator", CREATOR_FUNNEL_TABLE)
        names += list(f.creators["name"].astype(str))
    set_widths(ws, {"A": fit_width(names, "All networks", 14, 40)})
    for c in range(2, 2 + len(_columns("creator")) + 1):  # the widest table: a creator's
        ws.width(c, 14)
    ws.freeze("B1")
