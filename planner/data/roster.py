"""A creator roster or rate card: what it is, and finding and reading one in a file.

    from planner.data.roster import find_roster, load_roster
    roster = find_roster("creator_campaigns.xlsx")     # its "Roster" sheet, or None
    roster = load_roster("rate_card.csv")               # a file that is a roster

A roster has one row per creator: the handle, and any of network, followers, fee
per post, maximum (and minimum) posts per quarter, commission on sales, product
cost and usage rights per post, campaigns a quarter, and the dates the creator is available from and until
(a plan over time books them only then).  Headers are read as people type them ("Fee per
post", "Rate", "Max posts per quarter", "Commission %", "Gifted product value").

What a roster does not match in the data is in :mod:`planner.data.roster_match`
(:func:`~planner.data.roster_match.check_roster`); how it changes the curve table is in
:mod:`planner.fit.roster` (:func:`~planner.fit.roster.apply_roster`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.data.dataset import DataError, HasIssues, Issue
from planner.data.files import read_sheets
from planner.data.headers import SYNONYMS, match_field, normalize_header
from planner.data.roster_rows import read_creators
from planner.data.sheet import Sheet
from planner.data.table_finder import header_texts

__all__ = ["RosterError", "Roster", "ROSTER_COLUMNS", "load_roster", "find_roster"]

ROSTER_COLUMNS = ("network", "entity", "name", "followers", "fee_per_post", "max_posts", "min_posts",
                  "commission_pct", "product_cost", "usage_rights", "campaigns", "available_from", "available_until",
                  "row")

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
    "campaigns": ("campaigns", "campaigns per quarter", "campaigns a quarter", "campaigns quarter",
                  "max campaigns", "maximum campaigns", "max campaigns per quarter", "maximum campaigns per quarter",
                  "number of campaigns", "campaigns per month", "max campaigns per month", "campaigns per year"),
    "available_from": ("available from", "availability from", "available since", "available starting",
                       "first available", "start date", "contract start", "contract start date", "from",
                       "available from date", "booking from", "bookable from"),
    "available_until": ("available until", "available to", "available till", "available through",
                        "availability until", "availability to", "last available", "end date", "contract end",
                        "contract end date", "until", "available until date", "booking until", "bookable until"),
    "commission_pct": SYNONYMS["commission"],
    "product_cost": SYNONYMS["product_cost"],
    "usage_rights": SYNONYMS["usage_rights"],
}
_LOOKUP = {name: fld for fld, names in _ROSTER_SYNONYMS.items() for name in names}


class RosterError(DataError):
    """A roster that cannot be read at all; the message is one sentence for the user."""


@dataclass(frozen=True, eq=False)
class Roster(HasIssues):
    """A roster read from a sheet, with every problem found in it.

    Attributes
    ----------
    table : DataFrame with :data:`ROSTER_COLUMNS`: ``network`` ("" when the roster
        has no network column), ``entity`` ("@handle"), ``name`` ("Network/@handle"
        or "@handle"), ``followers``, ``fee_per_post``, ``max_posts`` and ``min_posts``
        (per quarter), ``commission_pct`` (a share: 0.1 is 10 %), ``product_cost`` and
        ``usage_rights`` (per post), ``campaigns`` (campaigns a quarter the plan assumes, instead of
        the creator's usual number in the data), ``available_from`` and ``available_until`` (the days the
        creator can be booked, both included, as timestamps; NaT: open), ``row`` (the spreadsheet row); NaN
        where not given.
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


    def describe(self) -> str:
        """Describe the roster in one sentence, e.g. ``"60 creators on 6 networks with fee per post, max posts"``.

        Returns
        -------
        str
            The creators, the networks (when the roster names any) and the costs given
            (``"no costs"`` when none).
        """
        t = self.table
        nets = sorted(n for n in t["network"].unique() if n)
        given = [label for col, label in (("fee_per_post", "fee per post"), ("max_posts", "maximum posts"),
                                          ("min_posts", "minimum posts"), ("commission_pct", "commission"),
                                          ("product_cost", "product cost"), ("usage_rights", "usage rights"),
                                          ("campaigns", "campaigns a quarter"),
                                          ("available_from", "available from"), ("available_until", "available until"))
                 if t[col].notna().any()]
        on = f" on {len(nets)} network{'s' if len(nets) != 1 else ''}" if nets else ""
        return f"{len(t)} creator{'s' if len(t) != 1 else ''}{on} with " + (", ".join(given) or "no costs")


# ----------------------------------------------------------------------------- reading


def _roster_field(header: str) -> str | None:
    key = normalize_header(header)
    if key in _LOOKUP:
        return _LOOKUP[key]
    base = re.sub(r"\s+(?:per|a)\s+(?:quarter|month|week|year)$", "", key)
    if base in _LOOKUP and _LOOKUP[base] in ("max_posts", "min_posts", "campaigns"):
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
                              "max_posts, min_posts, commission_pct, product_cost, usage_rights, campaigns, ignore.")
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
    """Return the roster header of a sheet: (position, headers, plan), or None.

    A mapping that names no column of a candidate header row is noted in ``errors``.
    """
    head = sheet.head(30)
    width = max((len(c) for _, c in sheet.head(200)), default=0)
    best = None
    for pos, (_, cells) in enumerate(head):
        filled, texts = header_texts(cells)
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
    """Tell whether headers are those of a table of campaigns (spend and results per row), not a roster."""
    fields = {match_field(h) for h in headers}
    return "spend" in fields and ("outcome" in fields or "date" in fields)


def find_roster(source: Any, name: str | None = None, mapping: Mapping[str, str] | None = None) -> Roster | None:
    """Return the roster in a file (the first sheet that looks like one), or None.

    A roster sheet has a creator column and a fee per post or maximum posts column,
    and is not a table of campaigns (dates with spend and results).

    Parameters
    ----------
    source : str, PathLike, bytes or file-like
        The file (an upload is read once, into bytes).
    name : str or None, default None
        The file name when ``source`` is bytes or an upload.
    mapping : mapping of str to str or None, default None
        ``{header: roster field}`` as for :func:`load_roster`.

    Returns
    -------
    Roster or None
        The roster of the first such sheet, or None when no sheet is one.

    Raises
    ------
    DataError
        When the file cannot be read at all.
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

    Returns
    -------
    Roster
        The creators read, with every problem found as an Issue.

    Raises
    ------
    RosterError
        When no roster can be found (one sentence naming what is missing), the sheet
        named is not in the file, or ``mapping`` names a column that is not there or a
        field that is not a roster field.
    DataError
        When the file cannot be read at all.
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


def _read(sheet: Sheet, fname: str, pos: int, headers: list[str], plan: dict[str, int]) -> Roster:
    out, issues, skipped = read_creators(sheet, pos, headers, plan)
    table = pd.DataFrame(out, columns=list(ROSTER_COLUMNS))
    for col in ROSTER_COLUMNS:
        if col in ("network", "entity", "name"):
            table[col] = table[col].astype(object)
        elif col == "row":
            table[col] = table[col].astype(int)
        elif col in ("available_from", "available_until"):
            table[col] = pd.to_datetime(table[col])
        else:
            table[col] = pd.to_numeric(table[col], errors="coerce").astype(float)
    mapping = tuple(sorted(((headers[j], fld) for fld, j in plan.items()), key=lambda p: headers.index(p[0])))
    skipped_df = pd.DataFrame(skipped, columns=["sheet", "row", "reason"])
    skipped_df["row"] = skipped_df["row"].astype(int)
    return Roster(table, issues, skipped_df, fname, sheet.name, mapping)
