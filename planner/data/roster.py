"""A creator roster or rate card, and what it changes in the curve table.

    from planner.data.roster import find_roster, load_roster, apply_roster, roster_issues
    roster = find_roster("creator_campaigns.xlsx")     # its "Roster" sheet, or None
    roster = load_roster("rate_card.csv")               # a file that is a roster
    curves = apply_roster(fit_curves(datasets), roster, datasets)
    notes = roster_issues(curves, roster)               # roster creators without data, and so on

A roster has one row per creator: the handle, and any of network, followers, fee
per post, maximum (and minimum) posts per quarter, commission on sales, product
cost and usage rights per post.  Headers are read as people type them ("Fee per
post", "Rate", "Max posts per quarter", "Commission %", "Gifted product value").

How a roster changes a creator's row of the curve table
    - ``unit_cost`` (what one post costs) = fee per post + product cost per post +
      usage rights per post, so the optimiser buys whole posts at their full cost;
    - ``max_spend`` = maximum posts x unit cost (``min_spend`` likewise from minimum
      posts, e.g. posts already contracted); a maximum "per month" is three per quarter;
    - the curve is a response to posts bought: when a post now costs a different
      amount than in the campaign data (a new fee, or costs the data's spend did not
      include), spend is rescaled so that the same posts give the same response
      (``k`` times the ratio of new to old cost per post; ``beta`` divided by it for
      linear curves; ``current_spend`` and the observed range likewise; a post brings
      the same engagements, so ``engagement_per_dollar`` is divided by it);
    - commission on sales makes the response net: ``beta`` (and its interval) times
      (1 - commission), unless the campaign data were already net of commission.
    So every return the planner shows for a creator is net of fee, product, usage
    rights and commission.  Costs the campaign data already counted (columns such as
    "Product cost" in the campaigns table, see planner.data.ingest) are not counted twice.

Columns added to the curve table: ``fee_per_post``, ``other_cost_per_post``,
``commission_pct`` (empty for rows the roster does not name).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.curves.table import validate_curves
from planner.data.dataset import DataError, Issue
from planner.data.headers import SYNONYMS, match_field, normalize_header, normalize_network
from planner.data.ingest import Sheet, creator_handle, read_sheets
from planner.data.values import is_missing, looks_like_date, looks_like_number, parse_numbers

__all__ = ["RosterError", "Roster", "ROSTER_COLUMNS", "load_roster", "find_roster", "apply_roster",
           "roster_issues", "creator_names", "check_roster"]

ROSTER_COLUMNS = ("network", "entity", "name", "followers", "fee_per_post", "max_posts", "min_posts",
                  "commission_pct", "product_cost", "usage_rights", "row")

# Normalised header -> roster field (checked before the campaign-table synonyms).
_ROSTER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "entity": ("creator", "handle", "creator handle", "influencer", "influencer handle", "username", "user name",
               "creator name", "influencer name", "name", "account", "account handle", "talent", "talent name",
               "profile", "instagram handle", "tiktok handle", "youtube channel", "kol", "ambassador"),
    "fee_per_post": ("fee per post", "rate per post", "price per post", "cost per post", "fee", "rate", "price",
                     "post fee", "post rate", "post price", "fee per video", "rate per video", "price per video",
                     "fee per deliverable", "rate per deliverable", "price per deliverable", "cost per deliverable",
                     "fee per content", "fee per piece", "unit cost", "unit price", "rate card", "rate card fee",
                     "fee per reel", "fee per story", "standard fee", "base fee", "flat fee per post"),
    "max_posts": ("max posts", "maximum posts", "max number of posts", "posts available", "max deliverables",
                  "maximum deliverables", "max videos", "capacity", "availability", "max posts per quarter",
                  "maximum posts per quarter", "posts per quarter", "max posts quarter", "max posts per month",
                  "maximum posts per month", "posts per month", "max posts per week", "max posts per year",
                  "maximum posts per year", "posts per year", "max deliverables per quarter",
                  "max deliverables per month", "max videos per quarter", "max videos per month"),
    "min_posts": ("min posts", "minimum posts", "committed posts", "contracted posts", "guaranteed posts",
                  "min posts per quarter", "minimum posts per quarter", "min posts per month",
                  "minimum posts per month", "min deliverables", "posts committed", "posts contracted"),
    "commission_pct": SYNONYMS["commission"],
    "product_cost": SYNONYMS["product_cost"],
    "usage_rights": SYNONYMS["usage_rights"],
}
_LOOKUP = {name: fld for fld, names in _ROSTER_SYNONYMS.items() for name in names}
_PER_MONTH = re.compile(r"\b(?:per month|monthly|a month|pm)\b")
_PER_WEEK = re.compile(r"\b(?:per week|weekly|a week)\b")
_PER_YEAR = re.compile(r"\b(?:per year|yearly|annual|annually|a year|pa)\b")
_PER_CAMPAIGN = re.compile(r"\b(?:per campaign|flat|one off|lump sum|total)\b")
_ISSUES_PER_KIND = 20


class RosterError(DataError):
    """A roster that cannot be read at all; the message is one sentence for the user."""


@dataclass(frozen=True, eq=False)
class Roster:
    """A roster read from a sheet, with every problem found in it.

    Attributes
    ----------
    table : DataFrame with :data:`ROSTER_COLUMNS`: ``network`` ("" when the roster
        has no network column), ``entity`` ("@handle"), ``name`` ("Network/@handle"
        or "@handle"), ``followers``, ``fee_per_post``, ``max_posts`` and ``min_posts``
        (per quarter), ``commission_pct`` (a share: 0.1 is 10 %), ``product_cost`` and
        ``usage_rights`` (per post), ``row`` (the spreadsheet row); NaN where not given.
    issues : errors and warnings (sheet, row, column, value, message)
    skipped : DataFrame(sheet, row, reason) of the rows not in ``table``
    source, sheet : the file and sheet read
    mapping : (header, roster field) pairs used
    """

    table: pd.DataFrame
    issues: tuple[Issue, ...]
    skipped: pd.DataFrame
    source: str
    sheet: str
    mapping: tuple[tuple[str, str], ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    def describe(self) -> str:
        """One sentence, e.g. ``"60 creators on 6 networks with fee per post, max posts"``."""
        t = self.table
        nets = sorted(n for n in t["network"].unique() if n)
        given = [label for col, label in (("fee_per_post", "fee per post"), ("max_posts", "maximum posts"),
                                          ("min_posts", "minimum posts"), ("commission_pct", "commission"),
                                          ("product_cost", "product cost"), ("usage_rights", "usage rights"))
                 if t[col].notna().any()]
        on = f" on {len(nets)} network{'s' if len(nets) != 1 else ''}" if nets else ""
        return f"{len(t)} creator{'s' if len(t) != 1 else ''}{on} with " + (", ".join(given) or "no costs")


# ----------------------------------------------------------------------------- reading


def _roster_field(header: str) -> str | None:
    key = normalize_header(header)
    if key in _LOOKUP:
        return _LOOKUP[key]
    base = re.sub(r"\s+(?:per|a)\s+(?:quarter|month|week|year)$", "", key)
    if base in _LOOKUP and _LOOKUP[base] in ("max_posts", "min_posts"):
        return _LOOKUP[base]
    fld = match_field(header)
    return {"entity": "entity", "network": "network", "followers": "followers", "commission": "commission_pct",
            "product_cost": "product_cost", "usage_rights": "usage_rights"}.get(fld or "")


def _plan(headers: Sequence[str], mapping: Mapping[str, str]) -> dict[str, int]:
    plan: dict[str, int] = {}
    taken = set()
    for src, fld in mapping.items():
        pos = next((j for j, h in enumerate(headers) if h == src or h.strip().lower() == str(src).strip().lower()), None)
        if pos is None:
            raise RosterError(f'The roster mapping names a column "{src}" that is not in the roster; its columns are '
                              + ", ".join(f'"{h}"' for h in headers if h) + ".")
        taken.add(pos)
        fld = str(fld).strip().lower()
        if fld in ("ignore", ""):
            continue
        if fld not in ROSTER_COLUMNS or fld in ("name", "row"):
            raise RosterError(f'"{fld}" is not a roster field; use one of: network, entity, followers, fee_per_post, '
                              "max_posts, min_posts, commission_pct, product_cost, usage_rights, ignore.")
        plan[fld] = pos
    for j, h in enumerate(headers):
        if j in taken:
            continue
        fld = _roster_field(h)
        if fld and fld not in plan:
            plan[fld] = j
    return plan


def _is_roster(plan: Mapping[str, int]) -> bool:
    return "entity" in plan and ("fee_per_post" in plan or "max_posts" in plan or "min_posts" in plan)


def _header_of(sheet: Sheet, mapping: Mapping[str, str],
               errors: list | None = None) -> tuple[int, list[str], dict[str, int]] | None:
    """The roster header of a sheet: (position, headers, plan), or None; a mapping that
    names no column of a candidate header row is noted in ``errors``."""
    head = sheet.head(30)
    width = max((len(c) for _, c in sheet.head(200)), default=0)
    best = None
    for pos, (_, cells) in enumerate(head):
        filled = [c for c in cells if c is not None]
        texts = [c for c in filled if isinstance(c, str) and not looks_like_number(c) and not looks_like_date(c)]
        if len(filled) < 2 or len(texts) < max(2, 0.6 * len(filled)):
            continue
        headers = []
        for j in range(max(width, len(cells))):
            v = cells[j] if j < len(cells) else None
            headers.append(" ".join(str(v).split()) if v is not None else f"Column {j + 1}")
        try:
            plan = _plan(headers, mapping)
        except RosterError as exc:
            if errors is not None:
                errors.append(exc)
            continue
        if _is_roster(plan) and (best is None or len(plan) > len(best[2])):
            best = (pos, headers, plan)
    return best


def _looks_like_campaigns(headers: Sequence[str]) -> bool:
    """A table of campaigns (spend and results per row) is not a roster."""
    fields = {match_field(h) for h in headers}
    return "spend" in fields and ("outcome" in fields or "date" in fields)


def find_roster(source: Any, name: str | None = None, mapping: Mapping[str, str] | None = None) -> Roster | None:
    """The roster in a file (the first sheet that looks like one), or None.

    A roster sheet has a creator column and a fee per post or maximum posts column,
    and is not a table of campaigns (dates with spend and results).
    """
    if hasattr(source, "read") or hasattr(source, "getvalue"):  # an upload: its bytes can be read once only
        name = name or Path(str(getattr(source, "name", "upload"))).name
        source = source.getvalue() if hasattr(source, "getvalue") else source.read()
    fname, heads = read_sheets(source, name, max_rows=200)  # enough to see each sheet's header
    for head in heads:
        found = _header_of(head, mapping or {})
        if found is not None and not _looks_like_campaigns(found[1]):
            _, (sheet,) = read_sheets(source, fname, only=[head.name])
            return _read(sheet, fname, *_header_of(sheet, mapping or {}))
    return None


def load_roster(source: Any, name: str | None = None, sheet: str | None = None,
                mapping: Mapping[str, str] | None = None) -> Roster:
    """Read a roster or rate card (xlsx, xls, csv).

    Parameters
    ----------
    source : path, bytes or file-like object
    name : the file name when ``source`` is bytes
    sheet : the sheet to read; None takes the first sheet that looks like a roster
    mapping : ``{header: roster field}`` for headers that are not recognised, e.g.
        ``{"Kosten pro Post": "fee_per_post"}``

    Raises
    ------
    RosterError
        When no roster can be found (one sentence naming what is missing).
    """
    fname, sheets = read_sheets(source, name)
    if sheet is not None:
        pick = [s for s in sheets if s.name == str(sheet) or s.name.strip().lower() == str(sheet).strip().lower()]
        if not pick:
            raise RosterError(f'There is no sheet "{sheet}" in "{fname}"; its sheets are '
                              + ", ".join(f'"{s.name}"' for s in sheets) + ".")
        sheets = pick[:1]
    errors: list[RosterError] = []
    for sh in sheets:
        found = _header_of(sh, mapping or {}, errors)
        if found is not None:
            return _read(sh, fname, *found)
    if errors:
        raise errors[0]
    where = f'sheet "{sheets[0].name}"' if sheet is not None else f'"{fname}"'
    raise RosterError(f"No creator roster was found in {where}: it needs a creator (handle) column and a fee per "
                      'post or maximum posts column, such as "Creator | Network | Fee per post | Max posts per quarter".')


class _Log:
    def __init__(self, sheet: str):
        self.sheet, self.items, self.counts = sheet, [], {}

    def add(self, severity: str, row: int | None, column: str | None, value: Any, message: str, kind: str) -> None:
        key = (severity, column, kind)
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] <= _ISSUES_PER_KIND:
            self.items.append(Issue(severity, self.sheet, row, column, None if value is None else str(value), message))

    def issues(self) -> tuple[Issue, ...]:
        extra = [Issue(sev, self.sheet, None, col, None,
                       f"{n - _ISSUES_PER_KIND:,} more rows{f' in column {col!r}' if col else ''} have the same "
                       f"problem as above ({kind}).")
                 for (sev, col, kind), n in self.counts.items() if n > _ISSUES_PER_KIND]
        return tuple(self.items) + tuple(extra)


def _shown(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _read(sheet: Sheet, fname: str, pos: int, headers: list[str], plan: dict[str, int]) -> Roster:
    log = _Log(sheet.name)
    header_row = int(sheet.rownums[pos])
    rows = [(int(sheet.rownums[k]), sheet.row(k)) for k in range(pos + 1, len(sheet))]
    cell = lambda cells, j: cells[j] if j is not None and j < len(cells) else None  # noqa: E731
    skipped: list[dict] = []
    n = len(rows)

    numbers: dict[str, np.ndarray] = {}
    problems: dict[str, dict[int, Any]] = {}
    for fld in ("followers", "fee_per_post", "max_posts", "min_posts", "commission_pct", "product_cost",
                "usage_rights"):
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
    per = {}
    for fld in ("max_posts", "min_posts"):
        if fld in plan:
            key = normalize_header(headers[plan[fld]])
            factor, unit = (3.0, "month") if _PER_MONTH.search(key) else (13.0, "week") if _PER_WEEK.search(key) \
                else (0.25, "year") if _PER_YEAR.search(key) else (1.0, "quarter")
            per[fld] = factor
            if factor != 1.0:
                log.add("warning", header_row, headers[plan[fld]], None,
                        f"Posts per {unit} were converted to posts per quarter (x {factor:g}), the planning period.",
                        kind="per period")
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
            log.add("warning", rownum, headers[ent_j], _shown(raw), "This row names no creator, so it was left out.",
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
        rec = {"network": network, "entity": handle, "name": f"{network}/{handle}" if network else handle, "row": rownum}
        for fld, vals in numbers.items():
            col = headers[plan[fld]]
            p = problems[fld].get(i)
            v = float(vals[i])
            if p is not None:
                log.add("warning", rownum, col, p.value, f"{p.message}; it was left empty.", kind="not a number")
                v = math.nan
            elif fld == "commission_pct" and not math.isnan(v) and not 0 <= v < 1:
                log.add("warning", rownum, col, _shown(cell(cells, plan[fld])),
                        f"A commission of {v:.0%} of sales is not possible; it was left empty.", kind="bad commission")
                v = math.nan
            elif fld != "commission_pct" and not math.isnan(v) and v < 0:
                log.add("warning", rownum, col, _shown(cell(cells, plan[fld])),
                        "This cannot be negative; it was left empty.", kind="negative")
                v = math.nan
            elif fld == "fee_per_post" and v == 0:
                log.add("warning", rownum, col, "0", "A fee of 0 per post was left empty: the fee per post comes from "
                        "the campaign data.", kind="zero fee")
                v = math.nan
            elif fld in ("max_posts", "min_posts") and not math.isnan(v):
                scaled = v * per[fld]
                if abs(scaled - round(scaled)) > 1e-9:
                    log.add("warning", rownum, col, _shown(cell(cells, plan[fld])),
                            f"Posts come whole; {scaled:g} per quarter was read as {math.floor(scaled + 1e-9):,}.",
                            kind="whole posts")
                v = float(math.floor(scaled + 1e-9))
            rec[fld] = v
        if not math.isnan(rec.get("min_posts", math.nan)) and not math.isnan(rec.get("max_posts", math.nan)) \
                and rec["min_posts"] > rec["max_posts"]:
            log.add("warning", rownum, headers[plan["min_posts"]], _shown(cell(cells, plan["min_posts"])),
                    f"The minimum of {rec['min_posts']:g} posts is above the maximum of {rec['max_posts']:g}; "
                    "the minimum was left empty.", kind="min above max")
            rec["min_posts"] = math.nan
        out.append(rec)
    table = pd.DataFrame(out, columns=list(ROSTER_COLUMNS))
    for col in ROSTER_COLUMNS:
        if col in ("network", "entity", "name"):
            table[col] = table[col].astype(object)
        elif col == "row":
            table[col] = table[col].astype(int)
        else:
            table[col] = pd.to_numeric(table[col], errors="coerce").astype(float)
    if table.empty:
        log.add("error", header_row, None, None, "The roster has a header but no creators below it.", kind="empty")
    mapping = tuple(sorted(((headers[j], fld) for fld, j in plan.items()), key=lambda p: headers.index(p[0])))
    skipped_df = pd.DataFrame(skipped, columns=["sheet", "row", "reason"])
    skipped_df["row"] = skipped_df["row"].astype(int)
    return Roster(table, log.issues(), skipped_df, fname, sheet.name, mapping)


# ----------------------------------------------------------------------------- applying


def _table(roster: Roster | pd.DataFrame) -> pd.DataFrame:
    t = roster.table if isinstance(roster, Roster) else pd.DataFrame(roster)
    t = t.copy()
    for col in ROSTER_COLUMNS:
        if col not in t.columns:
            t[col] = "" if col in ("network", "entity", "name") else np.nan
    t["network"] = t["network"].fillna("").astype(str).map(lambda x: normalize_network(x) if x else "")
    t["entity"] = t["entity"].map(creator_handle)
    return t


def _match(curves: pd.DataFrame, table: pd.DataFrame) -> tuple[dict[int, int], list[int], list[int]]:
    """Curve row -> roster row; roster rows without a curve; roster rows naming several curves."""
    by_key: dict[tuple[str, str], int] = {}
    by_handle: dict[str, list[int]] = {}
    for i, name in enumerate(curves["name"].astype(str)):
        net, _, handle = name.partition("/")
        if handle:
            by_key[(net, handle.lower())] = i
            by_handle.setdefault(handle.lower(), []).append(i)
    pairs: dict[int, int] = {}
    unmatched, ambiguous = [], []
    for r, (net, handle) in enumerate(zip(table["network"], table["entity"])):
        h = str(handle).lower()
        if net:
            i = by_key.get((net, h))
            if i is None:
                unmatched.append(r)
            elif i not in pairs:
                pairs[i] = r
        else:
            hits = by_handle.get(h, [])
            if len(hits) == 1:
                pairs.setdefault(hits[0], r)
            elif not hits:
                unmatched.append(r)
            else:
                ambiguous.append(r)
    return pairs, unmatched, ambiguous


def _costs_in_data(datasets: Iterable[Any]) -> dict[str, set[str]]:
    """For each creator ("Network/@handle"): the costs its campaign rows already counted."""
    out: dict[str, set[str]] = {}
    for ds in datasets or ():
        rows = getattr(ds, "rows", None)
        if rows is None or getattr(ds, "kind", None) != "attributed" or "entity" not in rows.columns:
            continue
        cols = [c for c in ("product_cost", "usage_rights", "commission") if c in rows.columns]
        if not cols:
            continue
        sub = rows.loc[rows["entity"] != "", ["network", "entity"] + cols]
        given = sub.groupby(["network", "entity"], sort=False)[cols].agg(lambda s: bool((s.fillna(0) != 0).any()))
        for (net, ent), flags in given.iterrows():
            out[f"{net}/{ent}"] = {c for c in cols if flags[c]}
    return out


def apply_roster(curves: pd.DataFrame, roster: Roster | pd.DataFrame | None, datasets: Iterable[Any] = (),
                 period_weeks: float = 13) -> pd.DataFrame:
    """The curve table with each rostered creator's unit cost, bounds and net response.

    Parameters
    ----------
    curves : the curve table (e.g. from planner.fit.pipeline.fit_curves)
    roster : a :class:`Roster` or a DataFrame with :data:`ROSTER_COLUMNS` (missing
        columns are empty); None returns the table unchanged (validated)
    datasets : the Datasets the curves were fitted to, so that costs their rows
        already counted (product cost, usage rights, commission) are not counted twice
    period_weeks : weeks in the planning period (13 = a quarter); maximum and
        minimum posts are per quarter and scaled to the period (whole posts, rounded down)

    Returns
    -------
    DataFrame
        A validated curve table (see the module docstring for what changes) with the
        extra columns ``fee_per_post, other_cost_per_post, commission_pct``.
    """
    out = validate_curves(curves, "curve table")
    for col in ("fee_per_post", "other_cost_per_post", "commission_pct"):
        if col not in out.columns:
            out[col] = np.nan
    if roster is None:
        return out
    table = _table(roster)
    pairs, _, _ = _match(out, table)
    counted = _costs_in_data(datasets)
    f = period_weeks / 13.0
    for i, r in pairs.items():
        rr = table.iloc[r]
        c = out.iloc[i]
        name = str(c["name"])
        already = counted.get(name, set())
        fee = float(rr["fee_per_post"])
        product = 0.0 if math.isnan(float(rr["product_cost"])) else float(rr["product_cost"])
        usage = 0.0 if math.isnan(float(rr["usage_rights"])) else float(rr["usage_rights"])
        other = product + usage
        old_unit = float(c["unit_cost"])
        if not math.isnan(fee):
            new_unit = fee + other
            if math.isnan(old_unit):  # no posts in the data: its spend was the fee, plus the costs it counted
                old_unit = fee + (product if "product_cost" in already else 0.0) + (usage if "usage_rights" in already else 0.0)
        elif not math.isnan(old_unit):
            new_unit = old_unit + (0.0 if "product_cost" in already else product) \
                + (0.0 if "usage_rights" in already else usage)
        else:
            new_unit = math.nan
        if not math.isnan(new_unit) and new_unit > 0:
            ratio = new_unit / old_unit if old_unit > 0 else 1.0
            if abs(ratio - 1.0) > 1e-12:
                if c["curve"] == "linear":
                    for col in ("beta", "beta_p10", "beta_p90"):
                        if col in out.columns:
                            out.iat[i, out.columns.get_loc(col)] = float(out.iloc[i][col]) / ratio
                else:
                    out.iat[i, out.columns.get_loc("k")] = float(c["k"]) * ratio
                for col in ("current_spend", "observed_min", "observed_max"):
                    if col in out.columns:
                        out.iat[i, out.columns.get_loc(col)] = float(out.iloc[i][col]) * ratio
                if "engagement_per_dollar" in out.columns:  # engagements come per post: a dearer post, fewer per $1
                    out.iat[i, out.columns.get_loc("engagement_per_dollar")] = (
                        float(out.iloc[i]["engagement_per_dollar"]) / ratio)
            out.iat[i, out.columns.get_loc("unit_cost")] = new_unit
            for col, posts in (("max_spend", rr["max_posts"]), ("min_spend", rr["min_posts"])):
                if not math.isnan(float(posts)):
                    out.iat[i, out.columns.get_loc(col)] = math.floor(float(posts) * f + 1e-9) * new_unit
            if math.isnan(float(rr["max_posts"])) and math.isfinite(float(c["max_spend"])) and not math.isnan(float(c["unit_cost"])):
                # a bound in posts from the data keeps its posts at the new cost
                out.iat[i, out.columns.get_loc("max_spend")] = float(c["max_spend"]) / float(c["unit_cost"]) * new_unit
        comm = float(rr["commission_pct"])
        if not math.isnan(comm) and "commission" not in already and comm > 0:
            for col in ("beta", "beta_p10", "beta_p90"):
                if col in out.columns:
                    out.iat[i, out.columns.get_loc(col)] = float(out.iloc[i][col]) * (1.0 - comm)
        out.iat[i, out.columns.get_loc("fee_per_post")] = fee
        out.iat[i, out.columns.get_loc("other_cost_per_post")] = other if other else np.nan
        out.iat[i, out.columns.get_loc("commission_pct")] = comm
    lo, hi = out["min_spend"].to_numpy(dtype=float), out["max_spend"].to_numpy(dtype=float)
    out["min_spend"] = np.minimum(lo, hi)
    return validate_curves(out, "curve table with the roster")


def roster_issues(curves: pd.DataFrame, roster: Roster | None) -> tuple[Issue, ...]:
    """What the roster could not be applied to, as warnings a marketing manager can act on.

    Roster creators with no response curve (no campaigns in the data), creators named
    without a network who are on several networks, and creators with campaigns who
    are not on the roster (one warning listing them).
    """
    if roster is None:
        return ()
    table = _table(roster)
    pairs, unmatched, ambiguous = _match(curves, table)
    sheet = roster.sheet if isinstance(roster, Roster) else ""
    ent_col = next((h for h, f in roster.mapping if f == "entity"), None) if isinstance(roster, Roster) else None
    out: list[Issue] = []
    for r in unmatched[:_ISSUES_PER_KIND]:
        rr = table.iloc[r]
        who = f"{rr['entity']} on {rr['network']}" if rr["network"] else str(rr["entity"])
        out.append(Issue("warning", sheet, int(rr["row"]), ent_col, str(rr["entity"]),
                         f"{who} is on the roster but has no campaigns in the data, so there is no response curve "
                         "for them and the planner gives them no budget."))
    if len(unmatched) > _ISSUES_PER_KIND:
        out.append(Issue("warning", sheet, None, ent_col, None,
                         f"{len(unmatched) - _ISSUES_PER_KIND:,} more creators on the roster have no campaigns in the data."))
    for r in ambiguous:
        rr = table.iloc[r]
        out.append(Issue("warning", sheet, int(rr["row"]), ent_col, str(rr["entity"]),
                         f"{rr['entity']} has campaigns on more than one network and the roster does not say which; "
                         "add a network column to the roster."))
    names = curves["name"].astype(str)
    creators = [i for i, n in enumerate(names) if "/" in n]
    missing = [names.iloc[i] for i in creators if i not in pairs]
    if missing and pairs:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        out.append(Issue("warning", sheet, None, ent_col, None,
                         f"{len(missing)} creator{'s' if len(missing) != 1 else ''} with campaigns "
                         f"{'are' if len(missing) != 1 else 'is'} not on the roster ({shown}); their cost per post "
                         "comes from the campaign data and their posts have no limit."))
    return tuple(out)


def creator_names(datasets: Iterable[Any]) -> pd.DataFrame:
    """The creators with campaigns in the datasets: DataFrame(name) with "Network/@handle"."""
    names: list[str] = []
    for ds in datasets or ():
        rows = getattr(ds, "rows", None)
        if rows is None or getattr(ds, "kind", None) != "attributed" or "entity" not in rows.columns or rows.empty:
            continue
        sub = rows.loc[rows["entity"] != "", ["network", "entity"]].drop_duplicates()
        names.extend((sub["network"].astype(str) + "/" + sub["entity"].astype(str)).tolist())
    return pd.DataFrame({"name": pd.Series(list(dict.fromkeys(names)), dtype=object)})


def check_roster(roster: Roster, datasets: Iterable[Any]) -> Roster:
    """The roster with, among its issues, what it cannot be applied to in these datasets
    (:func:`roster_issues` against the creators that have campaigns)."""
    return replace(roster, issues=roster.issues + roster_issues(creator_names(datasets), roster))
