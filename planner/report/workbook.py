"""The allocation as files finance can read, audit and change: an Excel workbook and a CSV.

The workbook has these sheets:

- ``Summary``: budget, total spend, expected revenue (with its P10-P90 range when the
  model gives one), ROAS, the change against current spend, how close the plan is to
  the best possible, where the data and the model came from, and when it was made.
- ``Allocation``: one row per entity (an Excel Table) with live formulas for the
  change (``=D-C``), the ROAS (``=IF(D>0,F/D,"")``) and a totals row (``=SUM``); a
  column K of expected engagements when the allocation has them (curve-table column
  ``engagement_per_dollar``), and the Summary then gives their total and the value of
  one engagement the plan was optimised with.
- ``By network``: the allocation summed per network with ``SUMIF`` formulas over the
  Allocation sheet, so it follows the analyst's edits, and the return of the next dollar
  in each network.
- ``By creator`` (when the plan has creators, names ``Network/@handle``): the creators
  only, largest optimal spend first, each cell a live reference to its Allocation row.
- ``Curves``: the curve table, so the workbook itself is a valid curve table for
  :func:`planner.curves.table.read_curves` (it reads the sheet named "Curves").
- ``Frontier`` (when given): expected revenue and marginal return per budget.

Every text a user gave (names, networks, meta values) is stored as text with
:func:`planner.base.safe_text.set_text`: a creator named ``=HYPERLINK("x")`` stays text.
Spends are written rounded to the cent, so :func:`planner.data.plans.read_plan` reads the
workbook back as the same plan.

Expected revenue in the Allocation sheet is the planner's value at the optimal spend;
it is a number, not a formula of the curve, so a note on the Summary says how to
re-evaluate a plan whose spends were edited (``python -m planner evaluate``).
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from planner.base.format import unit_money
from planner.base.safe_text import set_text, to_csv_bytes
from planner.curves.table import is_creator
from planner.data.plans import PlanError, read_plan  # noqa: F401  (docs/architecture.md lists it here too)

__all__ = [
    "ALLOCATION_COLUMNS",
    "ALLOCATION_SHEET",
    "ALLOCATION_TABLE",
    "MONEY",
    "allocation_workbook",
    "allocation_csv",
    "read_plan",
    "PlanError",
]

ALLOCATION_SHEET = "Allocation"
ALLOCATION_TABLE = "AllocationTable"
NETWORK_TABLE = "NetworkTable"
CREATOR_SHEET = "By creator"
CREATOR_TABLE = "CreatorTable"

# Allocation sheet: header, column letter (fixed: the formulas below rely on it), help text.
ALLOCATION_COLUMNS = (
    ("Name", "A", "The network's paid media (e.g. Instagram) or one creator (Network/@handle)."),
    ("Network", "B", "The network the entity belongs to."),
    ("Current spend", "C", "Today's spend for one quarter, as given in the curve table (blank = not given)."),
    ("Optimal spend", "D", "The planner's spend for one quarter. Edit it to try another plan; "
     "Change, ROAS and the totals follow, expected revenue does not (run evaluate)."),
    ("Change", "E", "Optimal spend minus current spend (formula)."),
    ("Expected revenue", "F", "Revenue the response curve expects at the optimal spend, for one quarter."),
    ("ROAS", "G", "Expected revenue per dollar spent (formula: F / D)."),
    ("Marginal ROAS", "H", "Revenue expected from one more dollar at the optimal spend."),
    ("Binding", "I", "Whether a minimum or maximum spend bound holds this entity back."),
    ("Beyond observed spend", "J", "Yes when the optimal spend is above any spend seen in the data: "
     "the expected revenue there is an extrapolation."),
)
# Written after ALLOCATION_COLUMNS when the allocation table has an ``engagements`` column.
ENGAGEMENT_COLUMN = ("Expected engagements", "K", "Engagements (likes, comments, shares, saves) expected at the "
                     "optimal spend: the curve table's engagements per dollar times the spend.")

MONEY = '"$"#,##0.00'
MONEY_SMALL = '"$"#,##0.00##'  # the value of one engagement: $0.05, $0.0025
COUNT = "#,##0"
MONEY_SIGNED = '"$"#,##0.00;[Red]-"$"#,##0.00'
RATIO = '0.00"x"'
PERCENT = "0.0%"
PERCENT_SIGNED = "+0.0%;[Red]-0.0%"
DATETIME = "yyyy-mm-dd hh:mm"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOP_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
_WRAP = Alignment(wrap_text=True, vertical="top")
_TABLE_STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)

_BINDING_TEXT = {"min": "at minimum", "max": "at maximum", "locked": "fixed (min = max)", "zero": "not funded"}
_META_LABELS = {
    "data_source": "Data source",
    "source": "Data source",
    "model": "Model",
    "fitted": "Model fitted",
    "period": "Planning period",
    "author": "Prepared by",
}


# --------------------------------------------------------------------------- helpers
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean_text(value) -> str:
    """Text as a cell can hold it: XML 1.0 forbids control characters other than tab and
    line breaks, lone surrogates and U+FFFE/U+FFFF; they are dropped."""
    return _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _text(cell, value) -> None:
    set_text(cell, _clean_text(value))


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _num(x):
    """A plain Python float for a cell, or None for missing / non-finite values."""
    if isinstance(x, (bool, np.bool_)):
        return None
    return float(x) if _finite(x) else None


def _cents(x):
    return round(float(x), 2) if _finite(x) else None


def _money_text(x) -> str:
    return f"${x:,.2f}" if _finite(x) else "n/a"


def _attr(obj, name, default=None):
    return getattr(obj, name, default) if obj is not None else default


def _col(table: pd.DataFrame, name: str, default) -> pd.Series:
    if name in table.columns:
        return table[name]
    return pd.Series([default] * len(table), index=table.index)


def _header(ws, row: int, headers, notes=None) -> None:
    for j, title in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=j)
        _text(cell, title)
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if notes and notes[j - 1]:
            cell.comment = Comment(notes[j - 1], "planner", width=320, height=90)


def _widths(ws, widths: Mapping[str, float]) -> None:
    for letter, w in widths.items():
        ws.column_dimensions[letter].width = w


def _fit_width(values, header: str, lo: float = 10, hi: float = 48) -> float:
    longest = max([len(str(v)) for v in values] + [len(header)], default=len(header))
    return float(max(lo, min(hi, longest + 3)))


def _add_table(ws, name: str, ref: str) -> None:
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = _TABLE_STYLE
    ws.add_table(table)


_SUMIF_SAFE = re.compile(r"^[^\W_][\w .&'/-]*$")


def _sumif_safe(network: str, networks) -> bool:
    """SUMIF reads wildcards (* ? ~), leading operators and ignores case: use it only
    for plain network names that no other network equals case-insensitively."""
    if not _SUMIF_SAFE.match(network):
        return False
    low = network.casefold()
    return sum(1 for n in networks if n.casefold() == low) == 1


# --------------------------------------------------------------------------- sheets
def _allocation_sheet(ws, table: pd.DataFrame) -> dict:
    columns = ALLOCATION_COLUMNS + ((ENGAGEMENT_COLUMN,) if "engagements" in table.columns else ())
    _header(ws, 1, [c[0] for c in columns], [c[2] for c in columns])
    end = columns[-1][1]
    n = len(table)
    first, last = 2, n + 1
    names = [_clean_text(v) for v in table["name"]]
    networks = [_clean_text(v) for v in table["network"]]
    current = _col(table, "current_spend", np.nan)
    response = _col(table, "response", np.nan)
    marginal = _col(table, "marginal_return", np.nan)
    binding = _col(table, "binding", "")
    extrap = _col(table, "extrapolated", False)
    for i in range(n):
        r = first + i
        _text(ws.cell(r, 1), names[i])
        _text(ws.cell(r, 2), networks[i])
        ws.cell(r, 3).value = _cents(current.iloc[i])
        ws.cell(r, 4).value = _cents(table["spend"].iloc[i])
        ws.cell(r, 5).value = f"=D{r}-C{r}"
        ws.cell(r, 6).value = _num(response.iloc[i])
        ws.cell(r, 7).value = f'=IF(D{r}>0,F{r}/D{r},"")'
        ws.cell(r, 8).value = _num(marginal.iloc[i])
        b = binding.iloc[i]
        b = "" if b is None or (isinstance(b, float) and not math.isfinite(b)) else str(b)
        _text(ws.cell(r, 9), _BINDING_TEXT.get(b, b))
        x = extrap.iloc[i]
        _text(ws.cell(r, 10), "Yes" if (x is True or x is np.True_ or (not pd.isna(x) and bool(x))) else "")
        for c, fmt in ((3, MONEY), (4, MONEY), (5, MONEY_SIGNED), (6, MONEY), (7, RATIO), (8, RATIO)):
            ws.cell(r, c).number_format = fmt
        if end == "K":
            ws.cell(r, 11).value = _num(table["engagements"].iloc[i])
            ws.cell(r, 11).number_format = COUNT
    total = last + 1
    _text(ws.cell(total, 1), "Total")
    if end == "K":
        ws[f"K{total}"] = f"=SUM(K{first}:K{last})" if n else 0
        ws[f"K{total}"].number_format = COUNT
    if n:
        for c in "CDEF":
            ws[f"{c}{total}"] = f"=SUM({c}{first}:{c}{last})"
    else:
        for c in "CDEF":
            ws[f"{c}{total}"] = 0
    ws[f"G{total}"] = f'=IF(D{total}>0,F{total}/D{total},"")'
    for c, fmt in zip("CDEFG", (MONEY, MONEY, MONEY_SIGNED, MONEY, RATIO)):
        ws[f"{c}{total}"].number_format = fmt
    for c in range(1, len(columns) + 1):
        ws.cell(total, c).font = _BOLD
        ws.cell(total, c).border = _TOP_BORDER
    _add_table(ws, ALLOCATION_TABLE, f"A1:{end}{max(last, 2)}")
    ws.freeze_panes = "B2"
    _widths(ws, {
        "A": _fit_width(names, "Name", 16, 48),
        "B": _fit_width(networks, "Network", 12, 28),
        "C": 16, "D": 16, "E": 16, "F": 18, "G": 10, "H": 14, "I": 13, "J": 14, "K": 16,
    })
    ws.row_dimensions[1].height = 32
    return {"first": first, "last": last, "total": total, "networks": networks}


def _network_marginal(table: pd.DataFrame, nets: list[str]) -> dict[str, float]:
    """Per network, the return of the next dollar in its best row that can still take more."""
    marginal = pd.to_numeric(_col(table, "marginal_return", np.nan), errors="coerce")
    binding = _col(table, "binding", "").astype(object).where(lambda b: b.notna(), "").astype(str)
    open_ = ~binding.isin(["max", "locked"])
    networks = table["network"].map(_clean_text)
    out = {}
    for net in nets:
        m = marginal[(networks == net) & open_ & marginal.notna()]
        out[net] = float(m.max()) if len(m) else float("nan")
    return out


def _network_sheet(ws, alloc: dict, current_given: bool, table: pd.DataFrame) -> None:
    headers = ["Network", "Current spend", "Optimal spend", "Change", "Expected revenue", "ROAS", "Share of spend",
               "Marginal ROAS"]
    notes = [None, "Sum over the Allocation sheet (SUMIF).", "Sum over the Allocation sheet (SUMIF).",
             "Optimal minus current spend.", "Sum over the Allocation sheet (SUMIF).",
             "Expected revenue per dollar.", "This network's share of the total optimal spend.",
             "Revenue expected from one more dollar in this network's best row that can still take more "
             "(at the optimal spends)."]
    _header(ws, 1, headers, notes)
    first, last, atotal = alloc["first"], alloc["last"], alloc["total"]
    nets = list(dict.fromkeys(alloc["networks"]))
    next_dollar = _network_marginal(table, nets)
    net_col = f"{ALLOCATION_SHEET}!$B${first}:$B${last}"
    total = len(nets) + 2
    for i, net in enumerate(nets):
        r = 2 + i
        _text(ws.cell(r, 1), net)
        for c, src in ((2, "C"), (3, "D"), (5, "F")):
            rng = f"{ALLOCATION_SHEET}!${src}${first}:${src}${last}"
            if _sumif_safe(net, nets):
                ws.cell(r, c).value = f"=SUMIF({net_col},$A{r},{rng})"
            else:  # exact, case-sensitive match: no wildcard or operator in the name counts
                ws.cell(r, c).value = f"=SUMPRODUCT(EXACT({net_col},$A{r})*{rng})"
        ws.cell(r, 4).value = f"=C{r}-B{r}"
        ws.cell(r, 6).value = f'=IF(C{r}>0,E{r}/C{r},"")'
        ws.cell(r, 7).value = f'=IF($C${total}>0,C{r}/$C${total},"")'
        ws.cell(r, 8).value = _num(next_dollar[net])
        for c, fmt in ((2, MONEY), (3, MONEY), (4, MONEY_SIGNED), (5, MONEY), (6, RATIO), (7, PERCENT), (8, RATIO)):
            ws.cell(r, c).number_format = fmt
    _text(ws.cell(total, 1), "Total")
    lastn = total - 1
    if nets:
        for c in "BCDE":
            ws[f"{c}{total}"] = f"=SUM({c}2:{c}{lastn})"
    ws[f"F{total}"] = f'=IF(C{total}>0,E{total}/C{total},"")'
    ws[f"G{total}"] = f'=IF(C{total}>0,SUM(G2:G{lastn}),"")' if nets else None
    for c, fmt in zip("BCDEFG", (MONEY, MONEY, MONEY_SIGNED, MONEY, RATIO, PERCENT)):
        ws[f"{c}{total}"].number_format = fmt
    for c in range(1, 9):
        ws.cell(total, c).font = _BOLD
        ws.cell(total, c).border = _TOP_BORDER
    _add_table(ws, NETWORK_TABLE, f"A1:H{max(lastn, 2)}")
    # a check an auditor can see: the per-network totals equal the Allocation totals
    note = ws.cell(total + 2, 1)
    _text(note, "Check: equals the Allocation total")
    ws.cell(total + 2, 3).value = f'=IF(ABS(C{total}-{ALLOCATION_SHEET}!D{atotal})<0.005,"OK","DIFFERENT")'
    ws.freeze_panes = "B2"
    _widths(ws, {"A": _fit_width(nets + ["Check: equals the"], "Network", 14, 40),
                 "B": 16, "C": 16, "D": 16, "E": 18, "F": 10, "G": 12, "H": 14})
    ws.row_dimensions[1].height = 32
    if not current_given:
        _text(ws.cell(total + 3, 1), "No current spend was given: Current spend and Change show zero.")


def _creator_sheet(ws, alloc: dict, table: pd.DataFrame) -> None:
    """Creators only, largest optimal spend first; every number refers to its Allocation row."""
    headers = ["Creator", "Network", "Current spend", "Optimal spend", "Change", "Expected revenue", "ROAS",
               "Marginal ROAS", "Beyond observed spend"]
    notes = [None, None, "From the Allocation sheet.", "From the Allocation sheet: edit the spend there.",
             "Optimal minus current spend.", "From the Allocation sheet.", "Expected revenue per dollar.",
             "Revenue expected from one more dollar at the optimal spend.",
             "Yes when the optimal spend is above any spend seen in the data."]
    _header(ws, 1, headers, notes)
    names = [_clean_text(v) for v in table["name"]]
    spend = pd.to_numeric(table["spend"], errors="coerce").fillna(0.0).to_numpy()
    rows = list(np.flatnonzero(is_creator(names)))
    rows.sort(key=lambda i: (-spend[i], names[i]))
    A = ALLOCATION_SHEET
    for k, i in enumerate(rows):
        r, src = 2 + k, alloc["first"] + i
        _text(ws.cell(r, 1), names[i])
        _text(ws.cell(r, 2), alloc["networks"][i])
        ws.cell(r, 3).value = f'=IF(ISNUMBER({A}!C{src}),{A}!C{src},"")'
        ws.cell(r, 4).value = f"={A}!D{src}"
        ws.cell(r, 5).value = f'=IF(ISNUMBER(C{r}),D{r}-C{r},D{r})'
        ws.cell(r, 6).value = f"={A}!F{src}"
        ws.cell(r, 7).value = f'=IF(D{r}>0,F{r}/D{r},"")'
        ws.cell(r, 8).value = f'=IF(ISNUMBER({A}!H{src}),{A}!H{src},"")'
        ws.cell(r, 9).value = f'=IF({A}!J{src}="Yes","Yes","")'
        for c, fmt in ((3, MONEY), (4, MONEY), (5, MONEY_SIGNED), (6, MONEY), (7, RATIO), (8, RATIO)):
            ws.cell(r, c).number_format = fmt
    last = 1 + len(rows)
    total = last + 1
    _text(ws.cell(total, 1), "Total (creators)")
    for c in "CDEF":
        ws[f"{c}{total}"] = f"=SUM({c}2:{c}{last})"
    ws[f"G{total}"] = f'=IF(D{total}>0,F{total}/D{total},"")'
    for c, fmt in zip("CDEFG", (MONEY, MONEY, MONEY_SIGNED, MONEY, RATIO)):
        ws[f"{c}{total}"].number_format = fmt
    for c in range(1, 10):
        ws.cell(total, c).font = _BOLD
        ws.cell(total, c).border = _TOP_BORDER
    _add_table(ws, CREATOR_TABLE, f"A1:I{max(last, 2)}")
    ws.freeze_panes = "B2"
    _widths(ws, {"A": _fit_width([names[i] for i in rows], "Creator", 18, 48),
                 "B": _fit_width([alloc["networks"][i] for i in rows], "Network", 12, 28),
                 "C": 16, "D": 16, "E": 16, "F": 18, "G": 10, "H": 14, "I": 14})
    ws.row_dimensions[1].height = 32


def _statement(allocation) -> tuple[str, float | None]:
    """One sentence on how close the allocation is to the best possible."""
    objective = str(_attr(allocation, "objective", "revenue") or "revenue")
    what = "profit" if objective == "profit" else "revenue"
    value = _attr(allocation, "objective_value", None)
    if not _finite(value):
        value = _attr(allocation, "total_response")
    extra = _attr(allocation, "extra", None) or {}
    weight = extra.get("engagement_weight") or 0.0
    if weight and _finite(value):  # the bound is on the objective with engagement valued
        value = float(value) + weight * float(np.nan_to_num(extra.get("engagements", 0.0)))
        what += f" plus engagements at {unit_money(weight)} each"
    ub = _attr(allocation, "upper_bound")
    if not (_finite(ub) and _finite(value)):
        gap = _attr(allocation, "gap")
        if _finite(gap):
            return f"The optimizer reports a gap of {_money_text(gap)} to the best possible {what}.", None
        return "The optimizer gave no bound on the best possible result.", None
    diff = max(float(ub) - float(value), 0.0)
    rel = diff / max(abs(float(ub)), 1.0)
    bound = (f"no split of this budget within the bounds can be expected to return more than "
             f"{_money_text(ub)} of {what}")
    if diff < 0.005 or rel <= 1e-6:
        return f"Proven optimal: {bound}.", rel
    return f"Within {_money_text(diff)} ({rel:.4%}) of the best possible: {bound}.", rel


class _F(str):
    """A Summary formula with {placeholders} for the rows it refers to."""


def _summary_sheet(ws, allocation, table: pd.DataFrame, alloc: dict, meta: Mapping | None,
                   has_frontier: bool, has_creators: bool = False) -> None:
    ws["A1"] = "Marketing budget plan"
    ws["A1"].font = _TITLE
    _text(ws["A2"], "One planning period (a quarter). Amounts in USD.")
    ws["A2"].font = Font(italic=True)
    objective = str(_attr(allocation, "objective", "revenue") or "revenue")
    margin = _attr(allocation, "margin", 1.0)
    total = alloc["total"]
    A = ALLOCATION_SHEET
    # (key, label, value, number format, note); a value of type _F is a formula
    rows: list[tuple[str, str, object, str | None, str | None]] = []
    rows.append(("budget", "Budget", _cents(_attr(allocation, "budget")), MONEY, "The most this plan may spend."))
    rows.append(("spend", "Total spend", _F(f"={A}!D{total}"), MONEY, "Sum of Optimal spend on the Allocation sheet."))
    rows.append(("unspent", "Unspent budget", _F('=IF(ISNUMBER({budget}),{budget}-{spend},"")'), MONEY_SIGNED,
                 "Budget the plan leaves unspent (spending it would not raise the objective)."))
    rows.append(("rev", "Expected revenue", _F(f"={A}!F{total}"), MONEY, "Sum of Expected revenue on the Allocation sheet."))
    p10, p90 = _attr(allocation, "response_p10"), _attr(allocation, "response_p90")
    if _finite(p10):
        rows.append(("p10", "Expected revenue, P10 (pessimistic)", _num(p10), MONEY,
                     "The model gives a 10% chance that revenue comes in below this."))
        p50 = _attr(allocation, "response_p50")
        if _finite(p50):
            rows.append(("p50", "Expected revenue, P50 (median)", _num(p50), MONEY,
                         "The model gives even odds that revenue comes in below or above this."))
        if _finite(p90):
            rows.append(("p90", "Expected revenue, P90 (optimistic)", _num(p90), MONEY,
                         "The model gives a 10% chance that revenue comes in above this."))
    rows.append(("roas", "ROAS", _F('=IF({spend}>0,{rev}/{spend},"")'), RATIO, "Expected revenue per dollar spent."))
    extra = _attr(allocation, "extra", None) or {}
    weight = extra.get("engagement_weight") or 0.0
    if "engagements" in table.columns:
        rows.append(("eng", "Expected engagements", _F(f"={A}!K{total}"), COUNT,
                     "Sum of Expected engagements on the Allocation sheet."))
    if weight:
        rows.append(("engweight", "Value of one engagement", float(weight), MONEY_SMALL,
                     "The plan maximises the objective plus this value for each expected engagement."))
    cur_resp = _attr(allocation, "total_current_response")
    current_given = "current_spend" in table.columns and table["current_spend"].notna().any()
    if current_given:
        rows.append(("cur", "Current spend", _F(f"={A}!C{total}"), MONEY, "Sum of Current spend on the Allocation sheet."))
        rows.append(("dspend", "Change in spend", _F("={spend}-{cur}"), MONEY_SIGNED, "Total spend minus current spend."))
        if _finite(cur_resp):
            rows.append(("curresp", "Expected revenue at current spend", _num(cur_resp), MONEY,
                         "What the response curves expect from today's spend."))
            rows.append(("drev", "Change in expected revenue", _F("={rev}-{curresp}"), MONEY_SIGNED,
                         "Expected revenue of this plan minus that of current spend."))
            rows.append(("drevpct", "Change in expected revenue, %",
                         _F('=IF({curresp}>0,{rev}/{curresp}-1,"")'), PERCENT_SIGNED, None))
    else:
        rows.append(("cur", "Current spend", "not given", None, "The curve table has no current spend."))
    statement, _rel = _statement(allocation)
    rows.append(("gap", "Optimality", statement, None, None))
    if objective != "revenue":
        obj_text = f"{objective} (margin {float(margin):.0%} of revenue)" if _finite(margin) else objective
    else:
        obj_text = "expected revenue"
    if weight:
        obj_text += f" + {unit_money(weight)} per expected engagement"
    rows.append(("objective", "Objective maximised", obj_text, None, None))
    extrap = _col(table, "extrapolated", False).fillna(False).astype(bool)
    n_ex = int(extrap.sum())
    observed = pd.to_numeric(_col(table, "observed_max", np.nan), errors="coerce")
    if n_ex:
        text = (f"{n_ex} of {len(table)} entities are planned above any spend seen in the data: their "
                "expected revenue is an extrapolation (column 'Beyond observed spend').")
    elif observed.notna().any():
        text = "Every planned spend is within the range seen in the data."
    else:
        text = "The curve table does not say which spends the data has seen; extrapolation was not checked."
    rows.append(("extrap", "Beyond observed spend", text, None, None))
    message = str(_attr(allocation, "message", "") or "").replace("Proven optimal.", "").strip()
    if message:
        rows.append(("message", "Optimizer note", message, None, None))
    generated = None
    for key, value in (meta or {}).items():
        if str(key).lower() in ("generated", "date", "date generated", "date_generated"):
            generated = value
            continue
        label = _META_LABELS.get(str(key).lower(), str(key).replace("_", " ").capitalize())
        plain = isinstance(value, (int, float)) and not isinstance(value, bool)
        rows.append((f"meta:{key}", label, value if plain else str(value), None, None))
    if generated is None:
        generated = _dt.datetime.now().replace(microsecond=0)
    rows.append(("generated", "Date generated", generated,
                 DATETIME if isinstance(generated, _dt.datetime) else None, None))
    rows.append(("note", "Note", "Change, ROAS and every total are live formulas. Expected revenue is the "
                 "planner's value at the optimal spend: after editing spends, run "
                 "'python -m planner evaluate --curves CURVES --plan THIS.xlsx' to re-evaluate.", None, None))
    contents = ("Allocation (one row per network or creator), By network"
                + (", By creator" if has_creators else "") + ", Curves (the response curves used)")
    rows.append(("contents", "Sheets", contents + (", Frontier (revenue per budget)." if has_frontier else "."),
                 None, None))

    start = 4
    refs = {key: f"B{start + i}" for i, (key, *_r) in enumerate(rows)}
    for i, (_key, label, value, fmt, note) in enumerate(rows):
        r = start + i
        _text(ws.cell(r, 1), label)
        ws.cell(r, 1).font = _BOLD
        cell = ws.cell(r, 2)
        if isinstance(value, _F):
            cell.value = str(value).format(**refs)
        elif isinstance(value, str):  # user or planner text: never a formula
            _text(cell, value)
            cell.alignment = _WRAP
        else:
            cell.value = value
        if fmt:
            cell.number_format = fmt
        if note:
            _text(ws.cell(r, 3), note)
            ws.cell(r, 3).font = Font(italic=True, color="666666")
            ws.cell(r, 3).alignment = _WRAP
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 60
    ws.freeze_panes = "A4"


def _write_frame(ws, df: pd.DataFrame, formats: Mapping[str, str] | None = None) -> None:
    """Header + rows, user text as text, non-finite numbers as blanks."""
    formats = formats or {}
    cols = [str(c) for c in df.columns]
    _header(ws, 1, cols)
    for i, row in enumerate(df.itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j)
            if isinstance(v, str):
                _text(cell, v)
            elif isinstance(v, (bool, np.bool_)):
                cell.value = bool(v)
            elif isinstance(v, (int, float, np.integer, np.floating)):
                cell.value = _num(v)
            elif isinstance(v, pd.Timestamp):
                cell.value = v.to_pydatetime()
            elif v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
                cell.value = None
            else:
                _text(cell, v)
            fmt = formats.get(cols[j - 1])
            if fmt and cell.value is not None:
                cell.number_format = fmt
    for j, c in enumerate(cols, start=1):
        values = df.iloc[:, j - 1].head(200).tolist()
        ws.column_dimensions[get_column_letter(j)].width = _fit_width(
            [v for v in values if isinstance(v, str)], c, 10, 40)
    ws.freeze_panes = "A2"


def _curves_sheet(ws, curves: pd.DataFrame) -> None:
    out = curves.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].replace([np.inf, -np.inf], np.nan)
    _write_frame(ws, out)


_FRONTIER_NAMES = (
    (("budget",), "Budget", MONEY),
    (("total_spend", "spend"), "Total spend", MONEY),
    (("total_response", "response", "expected_revenue", "revenue"), "Expected revenue", MONEY),
    (("marginal_return", "marginal", "marginal_roas"), "Marginal return", RATIO),
    (("response_p10",), "Expected revenue, P10", MONEY),
    (("response_p90",), "Expected revenue, P90", MONEY),
)


def _frontier_sheet(ws, frontier: pd.DataFrame) -> None:
    lower = {str(c).lower(): c for c in frontier.columns}
    cols, formats, used = {}, {}, set()
    for keys, title, fmt in _FRONTIER_NAMES:
        for k in keys:
            if k in lower and lower[k] not in used:
                cols[title] = frontier[lower[k]]
                formats[title] = fmt
                used.add(lower[k])
                break
    for c in frontier.columns:  # anything else the optimizer reports, under its own name
        if c not in used:
            cols[str(c)] = frontier[c]
    _write_frame(ws, pd.DataFrame(cols), formats)
    ws.column_dimensions["A"].width = 16
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 18


# --------------------------------------------------------------------------- API
def allocation_workbook(allocation, curves: pd.DataFrame, frontier: pd.DataFrame | None = None,
                        meta: Mapping | None = None) -> bytes:
    """The allocation as an Excel workbook (bytes) a finance analyst can audit and edit.

    Parameters
    ----------
    allocation
        An :class:`planner.optimize.solver.Allocation` (``table``, ``budget``, ``total_response``,
        ``response_p10/p90``, ``upper_bound``, ``gap``, ``objective``, ``margin``,
        ``total_current_spend``, ``total_current_response``, ``message``).
    curves
        The curve table the allocation was computed from (written to sheet "Curves").
    frontier
        Optional DataFrame with ``budget``, ``total_response`` (or ``response``) and
        ``marginal_return`` columns, written to sheet "Frontier".
    meta
        Optional facts for the Summary, e.g. ``{"data_source": "weekly.xlsx",
        "model": "hill curves, weekly MMM"}``; ``generated`` overrides the date.
    """
    table = allocation.table.reset_index(drop=True)
    if frontier is not None and not isinstance(frontier, pd.DataFrame):
        frontier = pd.DataFrame(frontier)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    alloc_ws = wb.create_sheet(ALLOCATION_SHEET)
    alloc = _allocation_sheet(alloc_ws, table)
    current_given = "current_spend" in table.columns and table["current_spend"].notna().any()
    _network_sheet(wb.create_sheet("By network"), alloc, current_given, table)
    has_creators = bool(is_creator(_clean_text(n) for n in table["name"]).any())
    if has_creators:
        _creator_sheet(wb.create_sheet(CREATOR_SHEET), alloc, table)
    _curves_sheet(wb.create_sheet("Curves"), curves)
    has_frontier = frontier is not None and len(frontier.columns) > 0
    if has_frontier:
        _frontier_sheet(wb.create_sheet("Frontier"), frontier)
    _summary_sheet(summary, allocation, table, alloc, meta, has_frontier, has_creators)
    wb.properties.title = "Marketing budget plan"
    wb.properties.creator = "planner"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_CSV_FIRST = ("name", "network", "spend", "response")
_CSV_MONEY = ("spend", "current_spend", "change", "min_spend", "max_spend", "unit_cost")


def allocation_csv(allocation) -> bytes:
    """The allocation table as CSV bytes: ``name, network, spend, response`` then the
    other columns of ``allocation.table``; spends rounded to the cent, formula-like
    text neutralised (:func:`planner.base.safe_text.to_csv_bytes`)."""
    table = allocation.table.reset_index(drop=True)
    cols = [c for c in _CSV_FIRST if c in table.columns] + [c for c in table.columns if c not in _CSV_FIRST]
    out = table[cols].copy()
    for c in _CSV_MONEY:
        if c in out.columns:
            vals = pd.to_numeric(out[c], errors="coerce").replace([np.inf, -np.inf], np.nan)
            out[c] = vals.round(2)
    for c in ("name", "network"):
        if c in out.columns:
            out[c] = out[c].astype(str)
    return to_csv_bytes(out)
