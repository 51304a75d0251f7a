"""Where a plan is on its sheet: the header row, the name, network and creator columns, and the spend.

:func:`find_layout` looks at a sheet's first 30 non-blank rows for a header with a name, network or
creator column and a spend, budget or amount column (or several month or quarter columns, which are
summed).  Several equally likely spend columns are an error, never a guess.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from planner.data.dates import MONTHS
from planner.data.headers import unit_scale
from planner.data.plan_files import PlanError
from planner.data.sheet import Sheet

__all__ = ["Layout", "find_layout", "header_key", "header_text"]


def header_key(header) -> str:
    """Return a header as it is compared: lower case, units in brackets and punctuation dropped.

    Parameters
    ----------
    header : object
        A header cell.

    Returns
    -------
    str
        E.g. ``"proposed spend"`` for ``"Proposed spend (USD)"``.
    """
    h = str(header if header is not None else "").strip().lower()
    h = re.sub(r"\(.*?\)", " ", h)  # "(USD)"
    h = re.sub(r"[_\-/:.$€£]+", " ", h)
    return re.sub(r"\s+", " ", h).strip()


def header_text(header) -> str:
    """Return a header cell as messages quote it (a date as ``YYYY-MM-DD``).

    Parameters
    ----------
    header : object
        A header cell.

    Returns
    -------
    str
    """
    if isinstance(header, _dt.date):
        return header.strftime("%Y-%m-%d")
    return "" if header is None else str(header).strip()


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
_PERIOD = re.compile(
    r"^(?:(?:spend|budget|amount|cost)\s+)?(?:"
    r"(?:" + "|".join(MONTHS) + r")[a-z]*\.?(?:\s+'?\d{2,4})?"
    r"|q[1-4](?:\s+'?\d{2,4})?|(?:\d{4}\s+)q[1-4]|quarter\s+[1-4](?:\s+\d{4})?"
    r"|(?:month|m|week|w)\s*\d{1,2}|\d{4}\s+\d{1,2}|h[12](?:\s+\d{4})?"
    r")(?:\s+(?:spend|budget|amount|cost))?$"
)
_TOTAL_HEADERS = {"total", "totals", "total spend", "total budget", "sum", "grand total", "year", "full year",
                  "annual", "fy"}


def _is_amount(h: str) -> bool:
    return any(w in h for w in _AMOUNT_WORDS) and not any(w in h for w in _NOT_AMOUNT)


def _is_period(header, h: str) -> bool:
    return isinstance(header, (_dt.date, _dt.datetime)) or bool(_PERIOD.match(h))


@dataclass(frozen=True)
class Layout:
    """A plan's place on its sheet.

    The header (its position among the sheet's rows and its row number), the identity columns and the
    amount columns (several are summed).
    """

    header: int
    row: int
    headers: tuple
    name: int | None
    network: int | None
    creator: int | None
    amounts: tuple[int, ...]
    notes: tuple[str, ...] = field(default=())
    scale: float = 1.0  # what a title above the header says the figures are in ("All figures in $000": 1,000)
    scale_said: str = ""  # that title, and its row, for a sentence

    def label(self, j: int) -> str:
        """Return column ``j``'s header as messages quote it.

        Parameters
        ----------
        j : int
            A column position.

        Returns
        -------
        str
        """
        return header_text(self.headers[j]) if j < len(self.headers) else ""


def _spend_column(amounts: list[int], hs: list[str], quoted, where: str, row: int) -> tuple[int, list[str]]:
    """Pick the one spend column among several (proposed over current); an error when none stands out."""
    score = {j: sum(w in hs[j] for w in _PREFER) - sum(w in hs[j] for w in _AVOID)
             - (0.5 if hs[j] in _TOTAL_HEADERS else 0) for j in amounts}
    best = max(score.values())
    top = [j for j in amounts if score[j] == best]
    exact = [j for j in top if hs[j] == "spend"]
    if len(top) > 1 and len(exact) == 1:
        top = exact
    if len(top) > 1:
        raise PlanError(f"{where}, row {row}: several columns could hold the planned spend "
                        f"({', '.join(quoted(j) for j in top)}); keep one, or name it 'Proposed spend'.")
    others = [j for j in amounts if j != top[0]]
    return top[0], [f"{where}: the spend was read from the column {quoted(top[0])} "
                    f"(not {', '.join(quoted(j) for j in others)})."]


def find_layout(sheet: Sheet, where: str, max_scan: int = 30) -> Layout | None:
    """Return the plan's layout on ``sheet``, or None when none of its first rows is a plan's header.

    Parameters
    ----------
    sheet : Sheet
        The sheet.
    where : str
        How messages name it (``plan.xlsx, sheet 'Plan'``).
    max_scan : int, default 30
        The non-blank rows looked at for the header.

    Returns
    -------
    Layout or None
        Its notes say which columns were summed, or which of several spend columns was read.

    Raises
    ------
    PlanError
        When several columns are equally likely to hold the planned spend.
    """
    for k, (row, raw) in enumerate(sheet.head(max_scan)):
        hs = [header_key(h) for h in raw]
        ids: dict[str, int | None] = {"name": None, "network": None, "creator": None}
        for j, h in enumerate(hs):
            for key, words in (("name", _NAME), ("network", _NETWORK), ("creator", _CREATOR)):
                if h in words and ids[key] is None:
                    ids[key] = j
        if all(v is None for v in ids.values()):
            continue
        idcols = {v for v in ids.values() if v is not None}
        periods = [j for j, h in enumerate(hs) if j not in idcols and _is_period(raw[j], h)]
        amounts = [j for j, h in enumerate(hs) if j not in idcols and j not in periods and _is_amount(h)]

        def quoted(j: int, raw=raw) -> str:
            return repr(header_text(raw[j]))

        notes: list[str] = []
        if len(periods) >= 2:
            cols = periods
            notes.append(f"{where}: the spend of each row is the sum of the columns "
                         f"{', '.join(quoted(j) for j in periods)}.")
            ignored = [j for j in range(len(hs)) if j not in periods and j not in idcols and
                       (hs[j] in _TOTAL_HEADERS or _is_amount(hs[j]))]
            if ignored:
                notes.append(f"{where}: the column{'s' if len(ignored) > 1 else ''} {', '.join(quoted(j) for j in ignored)} "
                             f"{'were' if len(ignored) > 1 else 'was'} not added to "
                             "the spend (the period columns were summed instead).")
        elif amounts:
            if len(amounts) > 1:
                best, said = _spend_column(amounts, hs, quoted, where, row)
                notes += said
                amounts = [best]
            cols = amounts[:1]
        elif len(periods) == 1:
            cols = periods
        else:
            continue
        scale, said = _title_scale(sheet.head(max_scan)[:k])
        return Layout(k, row, tuple(raw), ids["name"], ids["network"], ids["creator"], tuple(cols), tuple(notes),
                      scale, said)
    return None


# A title above a plan saying its figures are in thousands or millions: "All figures in $000", "USD '000",
# "Budget (in thousands)", "EUR millions"
_TITLE_SCALE = re.compile(r"(?:\bin\s+(?:[a-z]{3}\s+|us\$\s*|[$€£]\s*)?(?P<a>'?000s?|thousands|millions|k|m)\b)"
                          r"|(?:(?:[$€£]|\b[a-z]{3}\s?)(?P<b>'?000s?)(?!\d))|(?:\b(?:[a-z]{3}\s+)?(?P<c>thousands|millions)\b)",
                          re.I)


def _title_scale(rows) -> tuple[float, str]:
    """Return what the title rows above a plan's header say its figures are in (1 when none), and where."""
    for row, cells in rows:
        for cell in cells:
            if not isinstance(cell, str):
                continue
            m = _TITLE_SCALE.search(cell)
            if m:
                return unit_scale(m.group("a") or m.group("b") or m.group("c")), f"{' '.join(cell.split())!r} (row {row})"
    return 1.0, ""
