"""Reading the creators of a roster sheet, row by row, below its header.

Numbers are read as people type them (``"10%"`` commission is 0.1, and so is a bare 10);
maximum and minimum posts (and campaigns) per month, week or year become per quarter, the planning
period; totals rows, notes and repeated creators are skipped and said so.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from planner.base.names import creator_name
from planner.data.dataset import Issue
from planner.data.dates import parse_dates
from planner.data.headers import normalize_header
from planner.data.issues import IssueLog, cell_text
from planner.data.networks import creator_handle, normalize_network
from planner.data.numbers import looks_like_number, parse_numbers
from planner.data.sheet import Sheet
from planner.data.values import is_missing

__all__ = ["read_creators"]

_MONTH_ONLY = re.compile(r"^\s*(?:[a-z]+\.?\s+\d{4}|\d{4}-\d{1,2})\s*$", re.I)  # "March 2027", "2027-03"

_PER_MONTH = re.compile(r"\b(?:per month|monthly|a month|pm)\b")
_PER_WEEK = re.compile(r"\b(?:per week|weekly|a week)\b")
_PER_YEAR = re.compile(r"\b(?:per year|yearly|annual|annually|a year|pa)\b")
_PER_CAMPAIGN = re.compile(r"\b(?:per campaign|flat|one off|lump sum|total)\b")


class _RosterLog(IssueLog):
    """The issues of a roster sheet (a column is named in single quotes in the count of more rows)."""

    def more(self, n: int, column: str | None, kind: str) -> str:
        """Return the sentence saying that ``n`` more rows have a problem of a kind."""
        return f"{n:,} more rows{f' in column {column!r}' if column else ''} have the same problem as above ({kind})."


def _month_text(v: Any) -> Any:
    """Return "March 2027" as "1 March 2027" (and "2027-03" as "2027-03-01") for the date reader; else ``v``."""
    if isinstance(v, str) and _MONTH_ONLY.match(v):
        t = v.strip()
        return f"{t}-01" if re.match(r"^\d{4}-\d{1,2}$", t) else f"1 {t}"
    return v


def read_creators(sheet: Sheet, pos: int, headers: list[str],
                  plan: dict[str, int]) -> tuple[list[dict], tuple[Issue, ...], list[dict]]:
    """Read the creators below the header row at ``pos``.

    Parameters
    ----------
    sheet : the roster's sheet
    pos : the position of the header row in the sheet
    headers : the header names
    plan : ``{roster field: column position}``

    Returns
    -------
    tuple
        ``(creators, issues, skipped)``: a dict per creator (``network``, ``entity``,
        ``name``, ``row`` and the numbers of the fields in ``plan``), the issues found,
        and a dict (``sheet``, ``row``, ``reason``) per row left out.
    """
    log = _RosterLog(sheet.name)
    header_row = int(sheet.rownums[pos])
    rows = [(int(sheet.rownums[k]), sheet.row(k)) for k in range(pos + 1, len(sheet))]
    cell = lambda cells, j: cells[j] if j is not None and j < len(cells) else None  # noqa: E731
    skipped: list[dict] = []

    numbers: dict[str, np.ndarray] = {}
    problems: dict[str, dict[int, Any]] = {}
    for fld in ("followers", "fee_per_post", "max_posts", "min_posts", "commission_pct", "product_cost",
                "usage_rights", "campaigns"):
        if fld not in plan:
            continue
        col = parse_numbers([cell(c, plan[fld]) for _, c in rows])
        numbers[fld] = col.values.copy()
        problems[fld] = {p.index: p for p in col.problems}
        for note in col.notes:
            log.add("warning", header_row, headers[plan[fld]], None, note, kind=note)
        if fld == "commission_pct":  # "10%" is 0.1; so is a bare 10 (a share above 1 is a percentage)
            signed = np.array([isinstance(cell(c, plan[fld]), str) and "%" in cell(c, plan[fld]) for _, c in rows],
                              dtype=bool)
            v = numbers[fld]
            numbers[fld] = np.where(~signed & (np.abs(v) > 1.0), v / 100.0, v)
    dates: dict[str, np.ndarray] = {}
    for fld in ("available_from", "available_until"):
        if fld not in plan:
            continue
        raw = [cell(c, plan[fld]) for _, c in rows]
        col = parse_dates([_month_text(v) for v in raw])
        vals = pd.to_datetime(pd.Series(col.values))
        if fld == "available_until":  # "March 2027" runs to the month's last day
            month = np.array([isinstance(v, str) and bool(_MONTH_ONLY.match(v)) for v in raw], dtype=bool)
            vals = vals.where(~month, vals + pd.offsets.MonthEnd(0))
        dates[fld] = vals.to_numpy()
        problems[fld] = {p.index: p for p in col.problems}
        for note in col.notes:
            log.add("warning", header_row, headers[plan[fld]], None, note, kind=note)
    per = {}
    for fld in ("max_posts", "min_posts", "campaigns"):
        if fld in plan:
            key = normalize_header(headers[plan[fld]])
            factor, unit = (3.0, "month") if _PER_MONTH.search(key) else (13.0, "week") if _PER_WEEK.search(key) \
                else (0.25, "year") if _PER_YEAR.search(key) else (1.0, "quarter")
            per[fld] = factor
            if factor != 1.0:
                what = "Campaigns" if fld == "campaigns" else "Posts"
                log.add("warning", header_row, headers[plan[fld]], None,
                        f"{what} per {unit} were converted to {what.lower()} per quarter (x {factor:g}), the planning "
                        "period.", kind="per period")
    for fld in ("product_cost", "usage_rights"):
        if fld in plan and _PER_CAMPAIGN.search(normalize_header(headers[plan[fld]])):
            log.add("warning", header_row, headers[plan[fld]], None,
                    "This cost was read as a cost per post; if it is paid once per campaign, divide it by the "
                    "posts of a campaign, as the planner counts costs per post.", kind="per post")

    out = []
    seen: dict[tuple[str, str], int] = {}
    ent_j, net_j = plan["entity"], plan.get("network")
    for i, (rownum, cells) in enumerate(rows):
        raw = cell(cells, ent_j)
        label = next((c for c in cells if isinstance(c, str) and re.match(r"^\s*(?:grand\s*)?(?:sub\s*)?totals?\b|^\s*sum\b",
                                                                            c, re.I)), None)
        if label is not None:
            skipped.append({"sheet": sheet.name, "row": rownum, "reason": f'a totals row ("{label}")'})
            continue
        handle = creator_handle(raw)
        if not handle:
            filled = [c for c in cells if c is not None]
            if len(filled) == 1 and isinstance(filled[0], str) and not looks_like_number(filled[0]):
                skipped.append({"sheet": sheet.name, "row": rownum,
                                "reason": f'a note, not a creator (only one cell is filled: "{filled[0][:60]}")'})
                continue
            log.add("warning", rownum, headers[ent_j], cell_text(raw), "This row names no creator, so it was left out.",
                    kind="no creator")
            skipped.append({"sheet": sheet.name, "row": rownum, "reason": "left out: no creator"})
            continue
        net_raw = cell(cells, net_j)
        network = "" if net_j is None or is_missing(net_raw) else normalize_network(str(net_raw))
        key = (network, handle.lower())
        if key in seen:
            log.add("warning", rownum, headers[ent_j], handle,
                    f"{handle}{' on ' + network if network else ''} is on the roster twice (first on row {seen[key]}); "
                    "the first row was used.", kind="duplicate creator")
            skipped.append({"sheet": sheet.name, "row": rownum, "reason": f"left out: repeats the creator on row {seen[key]}"})
            continue
        seen[key] = rownum
        rec = {"network": network, "entity": handle, "name": creator_name(network, handle), "row": rownum}
        for fld, vals in numbers.items():
            col = headers[plan[fld]]
            p = problems[fld].get(i)
            v = float(vals[i])
            if p is not None:
                log.add("warning", rownum, col, p.value, f"{p.message}; it was left empty.", kind="not a number")
                v = math.nan
            elif fld == "commission_pct" and not math.isnan(v) and not 0 <= v < 1:
                log.add("warning", rownum, col, cell_text(cell(cells, plan[fld])),
                        f"A commission of {v:.0%} of sales is not possible; it was left empty.", kind="bad commission")
                v = math.nan
            elif fld != "commission_pct" and not math.isnan(v) and v < 0:
                log.add("warning", rownum, col, cell_text(cell(cells, plan[fld])),
                        "This cannot be negative; it was left empty.", kind="negative")
                v = math.nan
            elif fld == "campaigns" and not math.isnan(v):
                v = v * per[fld]
                if v <= 0:
                    log.add("warning", rownum, col, cell_text(cell(cells, plan[fld])),
                            "A creator runs at least one campaign to be planned; this was left empty, so its usual "
                            "number in the data is used.", kind="no campaigns")
                    v = math.nan
            elif fld == "fee_per_post" and v == 0:
                log.add("warning", rownum, col, "0", "A fee of 0 per post was left empty: the fee per post comes from "
                        "the campaign data.", kind="zero fee")
                v = math.nan
            elif fld in ("max_posts", "min_posts") and not math.isnan(v):
                scaled = v * per[fld]
                if abs(scaled - round(scaled)) > 1e-9:
                    log.add("warning", rownum, col, cell_text(cell(cells, plan[fld])),
                            f"Posts come whole; {scaled:g} per quarter was read as {math.floor(scaled + 1e-9):,}.",
                            kind="whole posts")
                v = float(math.floor(scaled + 1e-9))
            rec[fld] = v
        for fld, vals in dates.items():
            p = problems[fld].get(i)
            if p is not None:
                log.add("warning", rownum, headers[plan[fld]], p.value,
                        f"{p.message}; it was left empty, so the creator is taken as available "
                        f"{'from any day' if fld == 'available_from' else 'to any day'}.", kind="not a date")
            rec[fld] = pd.Timestamp(vals[i]) if p is None else pd.NaT
        if pd.notna(rec.get("available_from")) and pd.notna(rec.get("available_until")) \
                and rec["available_from"] > rec["available_until"]:
            log.add("warning", rownum, headers[plan["available_until"]], cell_text(cell(cells, plan["available_until"])),
                    f"The creator is available until {rec['available_until']:%Y-%m-%d}, before the day they are "
                    f"available from ({rec['available_from']:%Y-%m-%d}); both dates were left empty.",
                    kind="until before from")
            rec["available_from"] = rec["available_until"] = pd.NaT
        if not math.isnan(rec.get("min_posts", math.nan)) and not math.isnan(rec.get("max_posts", math.nan)) \
                and rec["min_posts"] > rec["max_posts"]:
            log.add("warning", rownum, headers[plan["min_posts"]], cell_text(cell(cells, plan["min_posts"])),
                    f"The minimum of {rec['min_posts']:g} posts is above the maximum of {rec['max_posts']:g}; "
                    "the minimum was left empty.", kind="min above max")
            rec["min_posts"] = math.nan
        out.append(rec)
    if not out:
        log.add("error", header_row, None, None, "The roster has a header but no creators below it.", kind="empty")
    return out, log.issues(), skipped
