"""Reading a spending plan (name, network, spend) from the files people send back.

:func:`read_plan` takes

(a) our own workbook (:func:`planner.report.workbook.allocation_workbook`): sheet "Allocation",
    columns Name and Optimal spend (the analyst may have edited the spends);
(b) a finance plan: sheet "Plan" with Network | Creator | Proposed spend (USD); a blank
    Creator is the network's paid media (name = Network), otherwise the name is
    ``Network/Creator`` (e.g. ``TikTok/@lena.bakes``);
(c) any sheet or CSV with an entity/name (or network, creator) column and a
    spend/budget/amount column; several month or quarter columns are summed, and the
    plan's notes say so;
(d) the allocation CSV of ``optimize --out x.csv`` (name, network, spend, ...).

Numbers are read as people type them (:mod:`planner.data.numbers`): ``$1,234.50``,
``1.234,50 €``, ``50k``; blanks and ``-`` = 0; a percentage or a negative spend is an error.
Blank rows are skipped; a totals row is skipped and noted. A problem raises
:class:`PlanError` with one sentence naming the sheet, the row (as the spreadsheet
shows it) and the column.

The result is a DataFrame with the columns ``name, network, spend`` (spend in dollars,
rounded to the cent). ``df.attrs`` holds ``source``, ``sheet``, ``kind`` (one of
"allocation workbook", "finance plan", "table", "allocation csv") and ``notes``: a
list of sentences on what was assumed (summed columns, skipped totals rows, ...).
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from planner.base.errors import InputError
from planner.base.names import SEPARATOR, creator_name, network_of
from planner.data.numbers import parse_numbers
from planner.data.values import is_missing

__all__ = ["PlanError", "read_plan"]

PLAN_COLUMNS = ("name", "network", "spend")


class PlanError(InputError):
    """A plan that cannot be read; the message names the sheet, row and column."""


# --------------------------------------------------------------------------- headers
def _norm(header) -> str:
    h = str(header if header is not None else "").strip().lower()
    h = re.sub(r"\(.*?\)", " ", h)  # "(USD)"
    h = re.sub(r"[_\-/:.$€£]+", " ", h)
    return re.sub(r"\s+", " ", h).strip()


_NAME = {"name", "entity", "entity name", "line item", "item", "plan item"}
_NETWORK = {"network", "networks", "platform", "channel", "social network", "media", "network name",
            "channel name", "platform name"}
_CREATOR = {"creator", "creators", "influencer", "influencers", "handle", "creator handle",
            "influencer handle", "account", "creator name", "influencer name"}
_AMOUNT_WORDS = ("spend", "spent", "budget", "amount", "cost", "investment", "allocation", "allocated",
                 "proposed", "planned", "fee")
_NOT_AMOUNT = ("revenue", "sales", "return", "roas", "roi", "response", "change", "marginal", "share",
               "min", "max", "unit", "observed", "follower", "posts", "percent", "%", "units", "per ")
_PREFER = ("proposed", "planned", "plan", "new", "optimal", "recommended", "target", "next", "final")
_AVOID = ("current", "actual", "last", "previous", "prior", "existing", "spent", "old", "baseline")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_PERIOD = re.compile(
    r"^(?:(?:spend|budget|amount|cost)\s+)?(?:"
    r"(?:" + "|".join(_MONTHS) + r")[a-z]*\.?(?:\s+'?\d{2,4})?"
    r"|q[1-4](?:\s+'?\d{2,4})?|(?:\d{4}\s+)q[1-4]|quarter\s+[1-4](?:\s+\d{4})?"
    r"|(?:month|m|week|w)\s*\d{1,2}|\d{4}\s+\d{1,2}|h[12](?:\s+\d{4})?"
    r")(?:\s+(?:spend|budget|amount|cost))?$"
)
_TOTAL_HEADERS = {"total", "totals", "total spend", "total budget", "sum", "grand total", "year", "full year",
                  "annual", "fy"}
_TOTAL_ROW = re.compile(r"^(grand\s+|sub\s*)?totals?\b|\btotals?$|^sum$", re.I)


def _is_amount(h: str) -> bool:
    return any(w in h for w in _AMOUNT_WORDS) and not any(w in h for w in _NOT_AMOUNT)


def _is_period(header, h: str) -> bool:
    return isinstance(header, (_dt.date, _dt.datetime)) or bool(_PERIOD.match(h))


@dataclass
class _Grid:
    """A sheet (or CSV) as rows of cell values; ``row_numbers`` as the file shows them."""

    where: str  # "plan.xlsx, sheet 'Plan'" or "plan.csv"
    sheet: str | None
    rows: list[list]
    row_numbers: list[int]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row idx, col idx) -> formula
    tables: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (ref, totals rows)

    def cell(self, i: int, j: int):
        row = self.rows[i]
        return row[j] if j < len(row) else None


@dataclass
class _Layout:
    header_row: int  # index into grid.rows
    headers: list
    name: int | None
    network: int | None
    creator: int | None
    amounts: list[int]  # one column, or several period columns to sum
    summed: bool
    notes: list[str]


def _layout(grid: _Grid, max_scan: int = 30) -> _Layout | None:
    for i in range(min(max_scan, len(grid.rows))):
        raw = grid.rows[i]
        hs = [_norm(h) for h in raw]
        ids = {"name": None, "network": None, "creator": None}
        for j, h in enumerate(hs):
            for key, words in (("name", _NAME), ("network", _NETWORK), ("creator", _CREATOR)):
                if h in words and ids[key] is None:
                    ids[key] = j
        if all(v is None for v in ids.values()):
            continue
        idcols = {v for v in ids.values() if v is not None}
        periods = [j for j, h in enumerate(hs) if j not in idcols and _is_period(raw[j], h)]
        amounts = [j for j, h in enumerate(hs) if j not in idcols and j not in periods and _is_amount(h)]
        notes: list[str] = []

        def label(j: int, raw=raw) -> str:
            return str(raw[j]).strip() if not isinstance(raw[j], _dt.date) else raw[j].strftime("%Y-%m-%d")

        if len(periods) >= 2:
            cols, summed = periods, True
            notes.append(f"{grid.where}: the spend of each row is the sum of the columns "
                         f"{', '.join(repr(label(j)) for j in periods)}.")
            ignored = [j for j in range(len(hs)) if j not in periods and j not in idcols and
                       (hs[j] in _TOTAL_HEADERS or _is_amount(hs[j]))]
            if ignored:
                notes.append(f"{grid.where}: the column(s) {', '.join(repr(label(j)) for j in ignored)} "
                             "were not added to the spend (the period columns were summed instead).")
        elif amounts:
            if len(amounts) > 1:
                score = {j: sum(w in hs[j] for w in _PREFER) - sum(w in hs[j] for w in _AVOID)
                         - (0.5 if hs[j] in _TOTAL_HEADERS else 0) for j in amounts}
                best = max(score.values())
                top = [j for j in amounts if score[j] == best]
                exact = [j for j in top if hs[j] == "spend"]
                if len(top) > 1 and len(exact) == 1:
                    top = exact
                if len(top) > 1:
                    raise PlanError(
                        f"{grid.where}, row {grid.row_numbers[i]}: several columns could hold the planned "
                        f"spend ({', '.join(repr(label(j)) for j in top)}); keep one, or name it 'Proposed spend'."
                    )
                others = [j for j in amounts if j != top[0]]
                notes.append(f"{grid.where}: the spend was read from the column {label(top[0])!r} "
                             f"(not {', '.join(repr(label(j)) for j in others)}).")
                amounts = top
            cols, summed = amounts[:1], False
        elif len(periods) == 1:
            cols, summed = periods, False
        else:
            continue
        return _Layout(i, list(raw), ids["name"], ids["network"], ids["creator"], cols, summed, notes)
    return None


# --------------------------------------------------------------------------- sources
def _text_of(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if v.is_integer():
            return str(int(v))
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    return str(v).strip()


def _uncsv(text: str) -> str:
    """Undo safe_text.csv_safe: a leading ' before = + - @ is ours, not the user's."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n" else text


def _load_bytes(source, name: str | None) -> tuple[bytes | None, Path | None, str]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise PlanError(f"The plan {path} does not exist.")
        return None, path, name or path.name
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None, name or "plan"
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, None, name or getattr(source, "name", None) or "plan"
    raise PlanError(f"A plan must be a file, not {type(source).__name__}.")


def _is_xlsx(data: bytes | None, path: Path | None, name: str) -> bool:
    if path is not None:
        with open(path, "rb") as fh:
            head = fh.read(4)
    else:
        head = (data or b"")[:4]
    if head == b"PK\x03\x04":
        return True
    return Path(name).suffix.lower() in (".xlsx", ".xlsm") and not head


def _xlsx_grids(data, path, label: str, sheet: str | None):
    src = path if path is not None else io.BytesIO(data)
    try:
        wb_v = load_workbook(src, data_only=True, read_only=False)
        if hasattr(src, "seek"):
            src.seek(0)
        wb_f = load_workbook(src, data_only=False, read_only=False)
    except Exception as exc:  # a damaged file is the user's problem, not a traceback
        raise PlanError(f"The plan {label} could not be opened as an Excel workbook ({exc}).") from exc
    names = wb_v.sheetnames
    if sheet is not None:
        match = [s for s in names if s == sheet] or [s for s in names if s.lower() == str(sheet).lower()]
        if not match:
            raise PlanError(f"{label} has no sheet {sheet!r}; its sheets are {', '.join(map(repr, names))}.")
        names = match
    out = []
    for s in names:
        ws_v, ws_f = wb_v[s], wb_f[s]
        merged = {}
        for rng in ws_v.merged_cells.ranges:
            top = ws_v.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged[(r, c)] = top
        rows, numbers, formulas = [], [], {}
        max_col = ws_v.max_column
        for r_idx, (row_v, row_f) in enumerate(zip(ws_v.iter_rows(max_col=max_col), ws_f.iter_rows(max_col=max_col), strict=False)):
            values = []
            for c_idx, (cv, cf) in enumerate(zip(row_v, row_f, strict=False)):
                v = merged.get((cv.row, cv.column), cv.value)
                values.append(v)
                if cf.data_type == "f" or (isinstance(cf.value, str) and cf.data_type == "f"):
                    formulas[(r_idx, c_idx)] = str(cf.value)
            rows.append(values)
            numbers.append(row_v[0].row if row_v else r_idx + 1)
        tables = {t.displayName: (t.ref, int(t.totalsRowCount or 0)) for t in ws_f.tables.values()}
        out.append(_Grid(f"{label}, sheet '{s}'", s, rows, numbers, formulas, tables))
    return out


def _csv_grid(data, path, label: str) -> _Grid:
    raw = path.read_bytes() if path is not None else data
    text = None
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    sep = max([",", ";", "\t"], key=lambda c: sample.count(c)) if sample else ","
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
                         skip_blank_lines=False, engine="python")
    except Exception as exc:
        raise PlanError(f"The plan {label} could not be read as CSV ({exc}).") from exc
    rows = [[_uncsv(v) if isinstance(v, str) else v for v in row] for row in df.itertuples(index=False)]
    return _Grid(label, None, rows, list(range(1, len(rows) + 1)))


def _frame_grid(df: pd.DataFrame, label: str) -> _Grid:
    rows = [list(df.columns)] + [list(r) for r in df.itertuples(index=False)]
    return _Grid(label, None, rows, list(range(1, len(rows) + 1)))


# --------------------------------------------------------------------------- reading
def _blank(v) -> bool:
    return v is None or is_missing(v)


def _rows_from_layout(grid: _Grid, lay: _Layout, *, stop: int | None = None,
                      totals_by_heuristic: bool = True) -> tuple[list[dict], list[str]]:
    """Read the plan rows below the header: identity, then the amount columns parsed as a whole."""
    notes = list(lay.notes)
    end = len(grid.rows) if stop is None else min(stop, len(grid.rows))
    kept: list[tuple[int, str, str]] = []  # (grid index, entity name, network)
    for i in range(lay.header_row + 1, end):
        name = _text_of(grid.cell(i, lay.name)) if lay.name is not None else ""
        net = _text_of(grid.cell(i, lay.network)) if lay.network is not None else ""
        creator = _text_of(grid.cell(i, lay.creator)) if lay.creator is not None else ""
        raw = [grid.cell(i, j) for j in lay.amounts]
        has_formula = any((i, j) in grid.formulas for j in lay.amounts)
        if not (name or net or creator):
            if all(_blank(v) or v == 0 for v in raw) and not has_formula:
                continue  # a blank row (or one with a zero and no name)
            rest = [r for r in grid.rows[i + 1:end] if any(_text_of(v) for v in r)]
            if totals_by_heuristic and not rest:
                notes.append(f"{grid.where}: row {grid.row_numbers[i]} has an amount but no name; "
                             "it was read as a totals row and skipped.")
                continue
            col = lay.name if lay.name is not None else (lay.network if lay.network is not None else lay.creator)
            raise PlanError(
                f"{grid.where}, row {grid.row_numbers[i]}, column {_text_of(lay.headers[col])!r} is empty, "
                "but the row has a spend; say which network or creator it is for."
            )
        ident = name or net or creator
        if totals_by_heuristic and any(t and _TOTAL_ROW.search(t) for t in (name, net, creator)):
            notes.append(f"{grid.where}: row {grid.row_numbers[i]} ({ident!r}) was read as a totals row "
                         "and skipped.")
            continue
        if name:
            entity = name
            network = net or (network_of(name) if SEPARATOR in name else ("" if name.startswith("@") else name))
        elif creator:
            entity, network = creator_name(net, creator), net
        else:
            entity, network = net, net
        kept.append((i, entity, network))

    spend = [0.0] * len(kept)
    for j in lay.amounts:
        header = _text_of(lay.headers[j])
        for i, _e, _n in kept:
            if grid.cell(i, j) is None and (i, j) in grid.formulas:
                raise PlanError(
                    f"{grid.where}, row {grid.row_numbers[i]}, column {header!r} holds the formula "
                    f"{grid.formulas[(i, j)]} with no saved result; open the file in Excel and save it, "
                    "or type the number."
                )
        col = parse_numbers([grid.cell(i, j) for i, _e, _n in kept])
        if col.problems:
            p = col.problems[0]
            i = kept[p.index][0]
            raise PlanError(f"{grid.where}, row {grid.row_numbers[i]}, column {header!r} holds {p.value!r}, "
                            f"which is not an amount of money ({p.message}).")
        for k, (i, _e, _n) in enumerate(kept):
            v, x = grid.cell(i, j), col.values[k]
            if isinstance(v, str) and "%" in v:
                raise PlanError(f"{grid.where}, row {grid.row_numbers[i]}, column {header!r} holds {v.strip()!r}: "
                                "a percentage is not an amount of money; write the dollars.")
            if math.isfinite(x) and x < 0:
                raise PlanError(f"{grid.where}, row {grid.row_numbers[i]}, column {header!r} holds "
                                f"{_text_of(v)!r}: a planned spend cannot be negative.")
            spend[k] += x if math.isfinite(x) else 0.0
        notes.extend(f"{grid.where}, column {header!r}: {n}" for n in col.notes)
    out = [{"name": e, "network": n, "spend": spend[k], "row": grid.row_numbers[i]}
           for k, (i, e, n) in enumerate(kept)]
    return out, notes


def _finish(records: list[dict], notes: list[str], attrs: dict) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=["name", "network", "spend", "row"])
    if df["name"].duplicated().any():
        dups = df.loc[df["name"].duplicated(keep=False)]
        for nm, grp in dups.groupby("name", sort=False):
            notes.append(f"{attrs['where']}: {nm!r} appears on rows {', '.join(map(str, grp['row']))}; "
                         "their spends were added together.")
        df = df.groupby("name", sort=False, as_index=False).agg(
            network=("network", "first"), spend=("spend", "sum"), row=("row", "first"))
    df["spend"] = df["spend"].astype(float).round(2)
    out = df[list(PLAN_COLUMNS)].reset_index(drop=True)
    out["name"] = out["name"].astype(object)
    out["network"] = out["network"].astype(object)
    out.attrs.update({k: v for k, v in attrs.items() if k != "where"})
    out.attrs["notes"] = notes
    return out


def _find_header(row, wanted: str) -> int | None:
    for j, h in enumerate(row):
        if _norm(h) == wanted:
            return j
    return None


def _own_workbook(grid: _Grid) -> tuple[list[dict], list[str]] | None:
    """Sheet "Allocation" of a workbook written by planner.report.workbook (Name + Optimal spend)."""
    if not grid.rows:
        return None
    name_j = _find_header(grid.rows[0], "name")
    spend_j = _find_header(grid.rows[0], "optimal spend")
    if name_j is None or spend_j is None:
        return None
    net_j = _find_header(grid.rows[0], "network")
    stop = None
    for ref, totals in grid.tables.values():
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row == grid.row_numbers[0]:
            last = max_row - totals  # the table's last entity row, as the sheet numbers it
            stop = sum(1 for n in grid.row_numbers if n <= last)
            break
    lay = _Layout(0, list(grid.rows[0]), name_j, net_j, None, [spend_j], False, [])
    if stop is not None:
        return _rows_from_layout(grid, lay, stop=stop, totals_by_heuristic=False)
    # no table (another program dropped it): the entities end at the totals row, whose
    # spend is a SUM formula, or at the first blank row
    end = len(grid.rows)
    for i in range(1, len(grid.rows)):
        f = grid.formulas.get((i, spend_j), "")
        nm = _text_of(grid.cell(i, name_j))
        if f.upper().startswith("=SUM(") and nm.lower() == "total":
            end = i
            break
        if not nm and all(v is None for v in grid.rows[i]):
            end = i
            break
    return _rows_from_layout(grid, lay, stop=end, totals_by_heuristic=False)


def read_plan(source, name: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a spending plan; return DataFrame(name, network, spend).

    Parameters
    ----------
    source
        A path, the file's bytes, a binary file object, or a DataFrame.
    name
        The file name (for bytes or file objects: tells xlsx from csv, and names the
        file in messages).
    sheet
        Read this sheet only; by default "Allocation" (our workbook), then "Plan",
        then the first sheet with a name column and a spend column.

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
        With one sentence naming the sheet, row and column of the problem.
    """
    if isinstance(source, pd.DataFrame):
        label = name or "the plan"
        grids, kind_hint = [_frame_grid(source, label)], "table"
    else:
        data, path, label = _load_bytes(source, name)
        label = Path(label).name
        if _is_xlsx(data, path, label):
            grids, kind_hint = _xlsx_grids(data, path, label, sheet), "xlsx"
        else:
            grids, kind_hint = [_csv_grid(data, path, label)], "csv"

    attrs = {"source": label}
    if kind_hint == "xlsx":
        by_name = {g.sheet.lower(): g for g in grids}
        own = by_name.get("allocation")
        if own is not None:
            got = _own_workbook(own)
            if got is not None:
                recs, notes = got
                return _finish(recs, notes, {**attrs, "where": own.where, "sheet": own.sheet,
                                             "kind": "allocation workbook"})
        order = ([by_name["plan"]] if "plan" in by_name else []) + [g for g in grids if g.sheet.lower() != "plan"]
        for g in order:
            lay = _layout(g)
            if lay is None:
                continue
            recs, notes = _rows_from_layout(g, lay)
            kind = "finance plan" if lay.creator is not None and lay.network is not None else "table"
            return _finish(recs, notes, {**attrs, "where": g.where, "sheet": g.sheet, "kind": kind})
        sheets = ", ".join(repr(g.sheet) for g in grids)
        raise PlanError(
            f"{label}: no sheet ({sheets}) has a header with a name, network or creator column and a "
            "spend, budget or amount column."
        )
    g = grids[0]
    lay = _layout(g)
    if lay is None:
        raise PlanError(
            f"{label}: no header row with a name, network or creator column and a spend, budget or "
            "amount column was found in the first 30 rows."
        )
    hs = [_norm(h) for h in lay.headers]
    ours = lay.header_row == 0 and {"name", "network", "spend", "response"} <= set(hs)
    kind = "allocation csv" if ours else (
        "finance plan" if lay.creator is not None and lay.network is not None else "table")
    # our own CSV has no totals row: an entity named "Total" is an entity
    recs, notes = _rows_from_layout(g, lay, totals_by_heuristic=not ours)
    return _finish(recs, notes, {**attrs, "where": g.where, "sheet": None, "kind": kind})
