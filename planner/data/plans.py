"""Reading a spending plan (name, network, spend) from the files people send back.

:func:`read_plan` takes

(a) our own workbook (:func:`planner.report.workbook.allocation_workbook`): sheet "Allocation",
    columns Name and Optimal spend (the analyst may have edited the spends);
(b) a finance plan: sheet "Plan" with Network | Creator | Proposed spend (USD); a blank
    Creator is the network's paid media (name = Network), otherwise the name is
    ``Network/Creator`` (e.g. ``TikTok/@lena.bakes``); network cells merged down a column name
    every row they cover;
(c) any sheet or CSV with an entity/name (or network, creator) column and a
    spend/budget/amount column (:mod:`planner.data.plan_layout`); several month or quarter
    columns are summed, and the plan's notes say so;
(d) the allocation CSV of ``optimize --out x.csv`` (name, network, spend, ...).

Files are read by the importer's readers (:mod:`planner.data.plan_files`: any encoding of CSV, xlsx,
xls, within its limits); a visible sheet is preferred to a hidden one.  Numbers are read as people
type them (:mod:`planner.data.numbers`, each distinct value once): ``$1,234.50``, ``1.234,50 €``,
``50k``; blanks and ``-`` = 0; a percentage or a negative spend is an error.  Blank rows are skipped;
a totals row is skipped and noted. A problem raises :class:`PlanError` with one sentence naming the
file, sheet, row (as the spreadsheet shows it) and column.  A million rows read in seconds: the rows
are handled as columns, never one by one.

The result is a DataFrame with the columns ``name, network, spend`` (spend in dollars,
rounded to the cent). ``df.attrs`` holds ``source``, ``sheet``, ``kind`` (one of
"allocation workbook", "finance plan", "table", "allocation csv") and ``notes``: a
list of sentences on what was assumed (summed columns, skipped totals rows, ...).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from planner.base.names import SEPARATOR
from planner.data.headers import header_scale, scale_words
from planner.data.merged import fill_merges
from planner.data.numbers import parse_numbers
from planner.data.plan_files import EXPECTED, PlanError, frame_sheet, plan_sheets, sheet_order, where
from planner.data.plan_layout import Layout, find_layout, header_key
from planner.data.sheet import Sheet
from planner.data.values import is_excel_error, is_missing, show_value

__all__ = ["PlanError", "read_plan", "read_rows"]

PLAN_COLUMNS = ("name", "network", "spend")
LISTED = 8  # names or rows a note lists before it counts the rest
_TOTAL_ROW = re.compile(r"^(grand\s+|sub\s*)?totals?\b|\btotals?$|^sum$", re.I)


def _listed(items, limit: int = LISTED, total: int | None = None) -> str:
    """Join the first ``limit`` items and say how many more there are (of ``total``, default all)."""
    items = list(items)
    total = len(items) if total is None else total
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (f" and {total - min(limit, len(items)):,} more" if total > limit else "")


def _text_of(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:
            return ""
        if v.is_integer():
            return str(int(v))
    if hasattr(v, "isoformat") and not isinstance(v, str):
        return v.isoformat()
    return str(v).strip()


def _uncsv(text: str) -> str:
    """Undo safe_text.csv_safe: a leading ' before = + - @ is ours, not the user's."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n" else text


def _per_value(sheet: Sheet, j: int | None, lo: int, hi: int, fn, missing):
    """``fn`` of each cell of column ``j`` in rows ``lo:hi``, worked out once per distinct cell."""
    if j is None or j >= sheet.width:
        return np.full(hi - lo, missing, dtype=object)
    codes, uniq = sheet.factor(j)
    out = np.empty(len(uniq) + 1, dtype=object)
    out[:-1] = [fn(v) for v in uniq]
    out[-1] = missing  # code -1: a blank cell
    return out[codes[lo:hi]]


def _texts(sheet: Sheet, j: int | None, lo: int, hi: int) -> np.ndarray:
    fn = (lambda v: _uncsv(_text_of(v))) if sheet.is_csv else _text_of
    return _per_value(sheet, j, lo, hi, fn, "")


def _flags(texts: np.ndarray, test) -> np.ndarray:
    codes, uniq = pd.factorize(texts)
    return np.array([bool(test(t)) for t in uniq], dtype=bool)[codes] if len(texts) else np.zeros(0, bool)


def _identity(name: np.ndarray, net: np.ndarray, creator: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's entity and network.

    The entity is the row's name (its network from the name when the row has none), else
    ``Network/creator`` (:func:`planner.base.names.creator_name`), else the network's paid media.
    """
    named, netted, handle = name != "", net != "", creator != ""
    entity = np.where(named, name, np.where(handle, creator, net)).astype(object)
    both = ~named & handle & netted
    if both.any():
        entity[both] = net[both].astype(object) + SEPARATOR + creator[both].astype(object)
    network = net.astype(object, copy=True)
    guess = named & ~netted  # a name without a network: "TikTok/@lena" is on TikTok, "Instagram" is itself
    if guess.any():
        text = pd.Series(name[guess], dtype=object)
        network[guess] = np.where(text.str.contains(SEPARATOR, regex=False).to_numpy(dtype=bool),
                                  text.str.split(SEPARATOR, n=1).str[0].to_numpy(dtype=object),
                                  np.where(text.str.startswith("@").to_numpy(dtype=bool), "", name[guess]))
    return entity, network


def _formulas(sheet: Sheet, lay: Layout, rows: np.ndarray, lo: int, hi: int) -> dict:
    """Read the formulas of the blank amount cells (a formula whose result was never saved reads blank)."""
    if sheet.formulas is None:
        return {}
    wanted = set()
    for j in lay.amounts:
        blank = np.equal(sheet.cols[j][lo:hi], None) if j < sheet.width else np.ones(hi - lo, bool)
        wanted |= {(int(rows[k]), j) for k in np.flatnonzero(blank)}
    return sheet.formulas(wanted) if wanted else {}


def _unnamed(w: str, lay: Layout, sheet: Sheet, rows, has_id, formulas, lo, hi, heuristic: bool) -> tuple:
    """Rows without a name: blank ones skipped, an amount on the last row a totals row, else an error."""
    quiet = np.ones(hi - lo, dtype=bool)  # no amount: blank, zero, or a placeholder such as "-"
    for j in lay.amounts:
        quiet &= _per_value(sheet, j, lo, hi, lambda v: is_missing(v) or v == 0, True).astype(bool)
    if formulas:  # a formula whose result was never saved is an amount too
        quiet &= np.array([not any((int(r), j) in formulas for j in lay.amounts) for r in rows], bool)
    bad = np.flatnonzero(~has_id & ~quiet)
    notes = []
    if len(bad):
        k = bad[0]
        if heuristic and k == len(rows) - 1:
            notes.append(f"{w}: row {rows[k]} has an amount but no name; it was read as a totals row and skipped.")
        else:
            col = next(c for c in (lay.name, lay.network, lay.creator) if c is not None)
            raise PlanError(f"{w}, row {rows[k]}, column {lay.label(col)!r} is empty, but the row has a spend; "
                            "say which network or creator it is for.")
    return notes


def _amounts(w: str, lay: Layout, sheet: Sheet, rows, keep, formulas, lo: int) -> tuple[np.ndarray, list[str]]:
    """Return each kept row's spend: its amount columns read as numbers (each distinct value once), added."""
    spend = np.zeros(len(keep))
    notes: list[str] = []
    for j in lay.amounts:
        header = lay.label(j)
        if j >= sheet.width:
            continue
        cells = sheet.cols[j][lo + keep]
        for k in np.flatnonzero(np.equal(cells, None)):
            f = formulas.get((int(rows[keep[k]]), j))
            if f:
                raise PlanError(f"{w}, row {rows[keep[k]]}, column {header!r} holds the formula {f} with no saved "
                                "result; open the file in Excel and save it, or type the number.")
        codes = sheet.factor(j)[0][lo + keep]
        present, counts = np.unique(codes[codes >= 0], return_counts=True)
        uniq = sheet.factor(j)[1][present]
        failed = [i for i, v in enumerate(uniq) if is_excel_error(v)]
        if failed:  # "#N/A" would read as a blank, counted as nothing: the plan's total would change unsaid
            k = int(np.flatnonzero(np.isin(codes, present[failed]))[0])
            raise PlanError(f"{w}, row {rows[keep[k]]}, column {header!r} holds {str(uniq[failed[0]]).strip()!r}, "
                            "an Excel error (a formula that failed), not an amount of money; fix the formula in "
                            "the workbook, or type the number.")
        col = parse_numbers(list(uniq), hint=sheet.decimal_hint, weights=counts.tolist())
        at = np.full(len(sheet.factor(j)[1]) + 1, -1)
        at[present] = np.arange(len(present))
        pos = at[codes]  # each kept row's place among the distinct values (-1: blank)
        value = np.append(col.values, np.nan)[pos]  # NaN for a blank cell (pos -1)
        if col.problems:
            wrong = np.isin(pos, [p.index for p in col.problems])
            k = int(np.flatnonzero(wrong)[0])
            p = next(p for p in col.problems if p.index == pos[k])
            raise PlanError(f"{w}, row {rows[keep[k]]}, column {header!r} holds {p.value!r}, "
                            f"which is not an amount of money ({p.message}).")
        percent = np.array([isinstance(v, str) and "%" in v for v in uniq] + [False], bool)[pos]
        negative = np.isfinite(value) & (value < 0)
        if (percent | negative).any():
            k = int(np.flatnonzero(percent | negative)[0])
            cell = cells[k]
            if percent[k]:
                raise PlanError(f"{w}, row {rows[keep[k]]}, column {header!r} holds {str(cell).strip()!r}: "
                                "a percentage is not an amount of money; write the dollars.")
            raise PlanError(f"{w}, row {rows[keep[k]]}, column {header!r} holds {show_value(cell)!r}: "
                            "a planned spend cannot be negative.")
        scale = header_scale(header)[1]  # "Proposed spend ($000)": the plan's figures are thousands
        if scale != 1.0:
            notes.append(f"{w}, column {header!r}: its header says its figures are in {scale_words(scale)}, so they "
                         "were read as such.")
        elif lay.scale != 1.0:  # "All figures in $000" above the table
            scale = lay.scale
            notes.append(f"{w}: the sheet says its figures are in {scale_words(scale)} ({lay.scale_said}), so they "
                         "were read as such.")
        spend += np.where(np.isfinite(value), value * scale, 0.0)
        notes.extend(f"{w}, column {header!r}: {n}" for n in col.notes)
    return spend, notes


def _read_rows(sheet: Sheet, w: str, lay: Layout, stop: int | None = None,
               heuristic: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """Read the plan's rows below the header (to ``stop``): DataFrame(name, network, spend, row), notes."""
    lo, hi = lay.header + 1, len(sheet) if stop is None else min(stop, len(sheet))
    rows = sheet.rownums[lo:hi]
    name, net, creator = (_texts(sheet, j, lo, hi) for j in (lay.name, lay.network, lay.creator))
    has_id = (name != "") | (net != "") | (creator != "")
    formulas = _formulas(sheet, lay, rows, lo, hi)
    notes = list(lay.notes) + _unnamed(w, lay, sheet, rows, has_id, formulas, lo, hi, heuristic)
    totals = np.zeros(len(rows), dtype=bool)
    if heuristic:
        for texts in (name, net, creator):
            totals |= _flags(texts, lambda t: t and _TOTAL_ROW.search(t))
        totals &= has_id
        found = np.flatnonzero(totals)
        said = [f"{rows[k]} ({(name[k] or net[k] or creator[k])!r})" for k in found[:LISTED]]
        if len(found) == 1:
            notes.append(f"{w}: row {said[0]} was read as a totals row and skipped.")
        elif len(found):
            notes.append(f"{w}: rows {_listed(said, total=len(found))} were read as totals rows and skipped.")
    keep = np.flatnonzero(has_id & ~totals)
    entity, network = _identity(name[keep], net[keep], creator[keep])
    spend, said = _amounts(w, lay, sheet, rows, keep, formulas, lo)
    frame = pd.DataFrame({"name": entity, "network": network, "spend": spend, "row": rows[keep]})
    return frame, notes + said


def read_rows(sheet: Sheet, where: str, layout: Layout, stop: int | None = None,
              heuristic: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """Return the plan's rows on ``sheet`` below the header of ``layout``, its amount columns added per row.

    Parameters
    ----------
    sheet : Sheet
        The sheet.
    where : str
        How messages name it (:func:`planner.data.plan_files.where`).
    layout : Layout
        The header, identity and amount columns (:func:`planner.data.plan_layout.find_layout`); a plan over
        time reads one period's column at a time.
    stop : int, optional
        Read up to this position among the sheet's rows (not a spreadsheet row number); default all.
    heuristic : bool, default True
        Skip totals rows (and note them).

    Returns
    -------
    tuple of (DataFrame, list of str)
        ``name, network, spend, row`` (``row`` the spreadsheet row) in the sheet's order, names not yet
        merged; and the notes on what was assumed.

    Raises
    ------
    PlanError
        As :func:`read_plan`, naming the row and column of the problem.
    """
    return _read_rows(sheet, where, layout, stop=stop, heuristic=heuristic)


def _finish(df: pd.DataFrame, notes: list[str], attrs: dict) -> pd.DataFrame:
    w = attrs["where"]
    dup = df["name"].duplicated(keep=False)
    if dup.any():
        names = pd.unique(df.loc[dup, "name"])
        for nm in names[:LISTED]:
            notes.append(f"{w}: {nm!r} appears on rows {_listed(df.loc[df['name'] == nm, 'row'])}; "
                         "their spends were added together.")
        if len(names) > LISTED:
            notes.append(f"{w}: {len(names) - LISTED:,} more names appear on several rows each; their spends were "
                         "added together too.")
        df = df.groupby("name", sort=False, as_index=False).agg(
            network=("network", "first"), spend=("spend", "sum"), row=("row", "first"))
    out = pd.DataFrame({"spend": df["spend"].astype(float).round(2).to_numpy()})
    out.insert(0, "network", pd.Series(df["network"].to_numpy(), dtype=object))
    out.insert(0, "name", pd.Series(df["name"].to_numpy(), dtype=object))
    out.attrs.update({k: v for k, v in attrs.items() if k != "where"})
    out.attrs["notes"] = notes
    return out


def _own_workbook(sheet: Sheet, w: str) -> tuple[pd.DataFrame, list[str]] | None:
    """Sheet "Allocation" of a workbook written by planner.report.workbook (Name + Optimal spend).

    Its entities end at the totals row (Name "Total", its spend a SUM formula) or at the first blank row.
    """
    if not len(sheet):
        return None
    heads = [header_key(h) for h in sheet.row(0)]
    if "name" not in heads or "optimal spend" not in heads:
        return None
    name_j, spend_j = heads.index("name"), heads.index("optimal spend")
    net_j = heads.index("network") if "network" in heads else None
    gaps = np.flatnonzero(np.diff(sheet.rownums) > 1)
    stop = int(gaps[0]) + 1 if len(gaps) else len(sheet)
    names = _texts(sheet, name_j, 1, stop)
    for k in np.flatnonzero(np.char.lower(names.astype(str)) == "total") + 1:
        cell = (int(sheet.rownums[k]), spend_j)
        if str((sheet.formulas({cell}) if sheet.formulas else {}).get(cell, "")).upper().startswith("=SUM("):
            stop = int(k)
            break
    lay = Layout(0, int(sheet.rownums[0]), tuple(sheet.row(0)), name_j, net_j, None, (spend_j,))
    return _read_rows(sheet, w, lay, stop=stop, heuristic=False)


def _merged(sheet: Sheet, w: str, lay: Layout) -> list[str]:
    """Give a merged name, network or creator below the header to every row it covers, and say so."""
    ids = {lay.name, lay.network, lay.creator} - {None}
    notes = []
    for m in fill_merges(sheet, lay.row, repeat=lambda j: j in ids):
        cells = _listed(m.ranges, 3)
        if m.repeated and m.rows:
            notes.append(f"{w}: the merged cells {cells} of column {lay.label(m.column)!r} name each row they "
                         f"cover ({m.rows:,} rows below their first).")
        elif not m.repeated:
            notes.append(f"{w}: the merged cells {cells} of column {lay.label(m.column)!r} hold one amount each, "
                         "counted once, on their first row.")
    return notes


def _from_sheet(sheet: Sheet, w: str, lay: Layout) -> tuple[pd.DataFrame, list[str]]:
    notes = _merged(sheet, w, lay)
    if getattr(sheet, "hidden", False):
        how = "very hidden (shown only in Excel's VBA editor)" if getattr(sheet, "very_hidden", False) else "hidden"
        notes.insert(0, f"{w} is {how}; the plan was read from it because no visible sheet holds one.")
    frame, said = _read_rows(sheet, w, lay)
    return frame, notes + said


def _kind(lay: Layout) -> str:
    return "finance plan" if lay.creator is not None and lay.network is not None else "table"


def read_plan(source, name: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a spending plan; return DataFrame(name, network, spend).

    Parameters
    ----------
    source
        A path, the file's bytes, a binary file object, a DataFrame, or the file already read
        (:func:`planner.data.plan_files.read_plan_file`).
    name
        The file name (for bytes or file objects: names the file in messages; the type is told from
        the bytes).
    sheet
        Read this sheet only; by default "Allocation" (our workbook), then "Plan",
        then the first visible sheet with a name column and a spend column, then the hidden ones.

    Returns
    -------
    DataFrame
        ``name, network, spend``: spend in dollars, rounded to the cent; a name on
        several rows once, its spends added.  ``attrs`` holds ``source``, ``sheet``
        (None for a CSV file or a DataFrame), ``kind`` (``"allocation workbook"``,
        ``"finance plan"``, ``"table"`` or ``"allocation csv"``) and ``notes``.

    Raises
    ------
    PlanError
        With one sentence naming the file, sheet, row and column of the problem, or, for a file that
        cannot be read or holds no plan, the file and what a plan is.
    """
    frame_given = isinstance(source, pd.DataFrame)
    if frame_given:
        label = name or "the plan"
        sheets = [frame_sheet(source, label)]
    else:
        label, sheets = plan_sheets(source, name, sheet)

    def w_of(s: Sheet) -> str:
        return label if frame_given else where(label, s)

    attrs = {"source": label}
    if not frame_given and not any(len(s) for s in sheets):
        raise PlanError(f"{label} holds no text or numbers{'' if sheets[0].is_csv else ' on any sheet'}. {EXPECTED}")
    table = frame_given or sheets[0].is_csv
    if not table:  # a workbook
        own = next((s for s in sheets if s.name.casefold() == "allocation"), None)
        got = _own_workbook(own, w_of(own)) if own is not None else None
        if got is not None:
            return _finish(got[0], got[1], {**attrs, "where": w_of(own), "sheet": own.name,
                                            "kind": "allocation workbook"})
        for s in sheet_order(sheets):
            lay = find_layout(s, w_of(s))
            if lay is not None:
                frame, notes = _from_sheet(s, w_of(s), lay)
                return _finish(frame, notes, {**attrs, "where": w_of(s), "sheet": s.name, "kind": _kind(lay)})
        raise PlanError(f"{label}: no sheet ({', '.join(repr(s.name) for s in sheets)}) has a header with a name, "
                        "network or creator column and a spend, budget or amount column.")
    s = sheets[0]
    lay = find_layout(s, w_of(s))
    if lay is None:
        raise PlanError(f"{label}: no header row with a name, network or creator column and a spend, budget or "
                        "amount column was found in the first 30 rows.")
    hs = [header_key(h) for h in lay.headers]
    ours = lay.header == 0 and {"name", "network", "spend", "response"} <= set(hs)
    kind = "allocation csv" if ours else _kind(lay)
    # our own CSV has no totals row: an entity named "Total" is an entity
    frame, notes = _read_rows(s, w_of(s), lay, heuristic=not ours)
    return _finish(frame, notes, {**attrs, "where": w_of(s), "sheet": None, "kind": kind})
