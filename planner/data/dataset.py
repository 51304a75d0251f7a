"""The imported data: :class:`Dataset` (canonical tables) and its :class:`Issue` list.

A Dataset is what :func:`planner.data.ingest.load` returns and what the models read.

``kind == "attributed"``
    ``rows``: one row per input row with ``date, network, entity, spend, outcome``
    (``entity`` is ``""`` for a network's paid media, else ``"@handle"``), the optional
    columns ``followers, posts, reach, engagements, clicks, orders, campaign`` when the
    file has them, and ``row`` (the spreadsheet row it came from; with ``sheet`` where a workbook's sheet per
    network was read together, planner.data.network_tabs; with ``sales_group`` where a promo-code report gave a
    code's sales only in total over several campaigns: the code, whose rows' outcomes are a split by fee,
    planner.data.code_sales). ``outcome`` is None.
    A creator's cost beyond the fee, where the file gives it, is counted in: ``spend``
    is the fee plus ``product_cost`` and ``usage_rights`` (both kept as columns), and
    ``outcome`` is net of ``commission`` (kept as a column, in money), so every return
    computed from the rows is net. A table with a creator column may have ``controls``: ``date``
    and one float column per control of each campaign row (a discount depth, a launch), one row
    per row of ``rows`` in the same order (the creators' fit allows for them).
``kind == "total"``
    ``rows``: ``date, network, spend, row`` (one row per period x network);
    ``outcome``: ``date, outcome, row`` (one row per period);
    ``controls``: ``date`` and one float column per control of the marketing-mix model
    (events, promotions, price, competitors, organic media), one row per row of
    ``outcome`` in the same order, NaN where the file's cell is blank or unreadable; a text
    column (``events``: ``na``, ``event2``) gives a 0/1 column per value,
    ``"events: event2"``. None when the table has no control (and for kind "attributed").

``unused`` names every header of the table that nothing reads, in file order.

``skipped`` lists every input row that is not in ``rows`` (``sheet, row, reason``).
Row numbers are those a spreadsheet shows (the header row has its own number).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from planner.base.errors import InputError

__all__ = ["DataError", "Issue", "HasIssues", "Dataset", "ATTRIBUTED_COLUMNS", "OPTIONAL_COLUMNS", "TOTAL_COLUMNS"]

ATTRIBUTED_COLUMNS = ("date", "network", "entity", "spend", "outcome")
OPTIONAL_COLUMNS = ("followers", "posts", "reach", "engagements", "clicks", "orders", "campaign",
                    "product_cost", "usage_rights", "commission")
TOTAL_COLUMNS = ("date", "network", "spend")


class DataError(InputError):
    """A file that cannot be read at all.

    Empty, damaged, password-protected, too big, an unknown sheet or a bad mapping.
    The message is one sentence for the user.
    """


@dataclass(frozen=True)
class Issue:
    """One problem found in the data, located as the user sees it.

    ``row`` is the spreadsheet row number (None for the whole sheet); ``column`` the
    header text as written in the file (None for the whole row); ``value`` the cell
    as written; ``message`` a sentence a marketing manager understands.
    """

    severity: Literal["error", "warning"]
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def as_dict(self) -> dict:
        """JSON-ready dict with sheet, row, column, value, message.

        Returns
        -------
        dict
            ``sheet, row, column, value, message`` as held (``row``, ``column``, ``value``
            may be None); the severity is not included.
        """
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": self.value,
                "message": self.message}

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f'column "{self.column}"')
        prefix = ", ".join(where)
        prefix = prefix[:1].upper() + prefix[1:]
        return f"{prefix}: {self.message}" if prefix else self.message


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _period_unit(dates: pd.Series) -> tuple[str, str]:
    uniq = np.sort(pd.to_datetime(dates.dropna().unique()).to_numpy(dtype="datetime64[D]"))
    if len(uniq) < 2:
        return "period", "periods"
    step = float(np.median(np.diff(uniq).astype(np.int64)))
    if step <= 1.5:
        return "day", "days"
    if 6 <= step <= 8:
        return "week", "weeks"
    if 13 <= step <= 15:
        return "fortnight", "fortnights"
    if 27 <= step <= 32:
        return "month", "months"
    if 85 <= step <= 95:
        return "quarter", "quarters"
    if 360 <= step <= 370:
        return "year", "years"
    return "period", "periods"


def _outcome_label(mapping: tuple[tuple[str, str], ...]) -> str:
    source = [col for col, field in mapping if field == "outcome" or field.startswith("outcome:")]
    if not source:
        if any(field == "outcome_per_order" for _, field in mapping):
            return "revenue"
        return "outcome"
    text = source[0].lower()
    for word in ("revenue", "sales", "umsatz", "ventes"):
        if word in text:
            return {"umsatz": "revenue", "ventes": "sales"}.get(word, word)
    if "value" in text or "valeur" in text:
        return "conversion value"
    return f"outcome ({source[0]})"


class HasIssues:
    """The ``errors`` and ``warnings`` of anything read with a tuple of :class:`Issue` in ``issues``."""

    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues that are errors.

        Returns
        -------
        tuple of Issue
            The issues with severity ``"error"``, in order.
        """
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The issues that are warnings.

        Returns
        -------
        tuple of Issue
            The issues with severity ``"warning"``, in order.
        """
        return tuple(i for i in self.issues if i.severity == "warning")


@dataclass(frozen=True, eq=False)
class Dataset(HasIssues):
    """Canonical tables of one imported sheet, with every problem found.

    Attributes
    ----------
    kind : "attributed" (outcome per row) or "total" (outcome only per period)
    rows : DataFrame (see the module docstring)
    outcome : DataFrame(date, outcome, row) for kind "total", else None
    issues : every error and warning, in sheet order
    skipped : DataFrame(sheet, row, reason): input rows not in ``rows``
    source : the file name
    sheet : the sheet read (the file name for CSV)
    fingerprint : hash of the file bytes, sheet and mapping (a cache key)
    mapping : (source column, canonical field) pairs used; wide spend columns are
        mapped to ``"spend:<Network>"``
    columns : every column header of the table read, in order (for a mapping editor)
    sheets : every sheet of the workbook (the file name for CSV), so a user can pick another
    currency : the ISO code the table states its amounts in (a currency column, a code in a money
        column's header, symbols in the amounts), or None when it does not say
    currency_from : where the table says it, for a sentence (``column "Amount spent (EUR)"``)
    controls : DataFrame(date, one float column per control) aligned row for row with ``outcome``
        (kind "total"), or with ``rows`` (kind "attributed" with creators: each campaign row's discount or
        promotion), or None when there is none
    unused : every header of the table that maps to no field and is not a control, in file order
    code_reports : the promo-code reports whose sales are the revenue of a tracker that had none
        (planner.data.code_join), by file name
    joined : the spend exports and the shop's sales file whose spend and sales this Dataset joins
        (planner.data.spend_join), by file name; empty for a Dataset of one file
    """

    kind: Literal["attributed", "total"]
    rows: pd.DataFrame
    outcome: pd.DataFrame | None
    issues: tuple[Issue, ...]
    skipped: pd.DataFrame
    source: str
    sheet: str
    fingerprint: str
    mapping: tuple[tuple[str, str], ...]
    columns: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()
    currency: str | None = None
    currency_from: str = ""
    controls: pd.DataFrame | None = None
    unused: tuple[str, ...] = ()
    code_reports: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()

    @property
    def has_errors(self) -> bool:
        """Whether any issue is an error (the data cannot be used as it is).

        Returns
        -------
        bool
            True when at least one issue has severity ``"error"``.
        """
        return any(i.severity == "error" for i in self.issues)

    @property
    def networks(self) -> list[str]:
        """Networks in the order they first appear.

        Returns
        -------
        list of str
            The distinct values of ``rows["network"]``; empty when there are no rows.
        """
        if self.rows.empty:
            return []
        return [str(x) for x in pd.unique(self.rows["network"].to_numpy(dtype=object))]

    @property
    def source_rows(self) -> int:
        """Number of input (spreadsheet) rows imported into ``rows``.

        Returns
        -------
        int
            The distinct ``row`` numbers of ``rows`` (a wide table's row gives one row per
            network), or the number of rows when there is no ``row`` column; 0 without rows.
        """
        if self.rows.empty:
            return 0
        if "row" in self.rows.columns and "sheet" in self.rows.columns:  # several sheets read together
            return int(self.rows[["sheet", "row"]].drop_duplicates().shape[0])
        if "row" in self.rows.columns:
            return int(self.rows["row"].nunique())
        return len(self.rows)

    @property
    def control_names(self) -> list[str]:
        """The names of the controls (of the marketing-mix model, or of the creators' campaigns).

        Returns
        -------
        list of str
            The columns of ``controls`` other than ``date``, in order; empty without controls.
        """
        if self.controls is None:
            return []
        return [str(c) for c in self.controls.columns if c != "date"]

    def _dates(self) -> pd.Series:
        if self.kind == "total" and self.outcome is not None:
            return self.outcome["date"]
        return self.rows["date"] if "date" in self.rows.columns else pd.Series(dtype="datetime64[ns]")

    def spend_by_network(self) -> dict[str, float]:
        """Return the total spend of each network, in the order the networks first appear.

        Returns
        -------
        dict of str to float
            Spend summed per network, in the data's currency, rounded to 6 decimals; empty
            when there are no rows.
        """
        if self.rows.empty:
            return {}
        s = self.rows.groupby("network", sort=False)["spend"].sum()
        return {str(k): round(float(v), 6) for k, v in s.items()}

    def outcome_total(self) -> float:
        """Return the total outcome (revenue) of the data.

        Returns
        -------
        float
            The sum of ``outcome["outcome"]`` for kind ``"total"``, else of ``rows["outcome"]``;
            0.0 when there is none.
        """
        if self.kind == "total":
            frame = self.outcome
            return 0.0 if frame is None or frame.empty else float(frame["outcome"].sum())
        return 0.0 if self.rows.empty else float(self.rows["outcome"].sum())

    def summary(self) -> dict:
        """JSON-ready dict for ``inspect --json`` (DESIGN.md, contract 2).

        ``rows`` counts input rows imported (for kind "total": periods rows, not
        period x network); ``networks`` is the list of network names;
        ``outcome_totals`` is ``{"outcome": total outcome}``; ``skipped`` is a list of
        ``{sheet, row, reason}``.

        Returns
        -------
        dict
            ``kind, rows, periods`` (distinct dates), ``networks, spend_by_network,
            outcome_totals``, ``errors`` and ``warnings`` (lists of :meth:`Issue.as_dict`),
            ``skipped, source, sheet``, ``description`` (:meth:`describe`), ``currency`` (the ISO code the
            table states, or None), ``unused_columns`` (:attr:`unused`), ``controls``
            (:attr:`control_names`), ``code_reports`` (:attr:`code_reports`: the promo-code reports whose
            sales are its revenue) and ``joined`` (:attr:`joined`: the spend exports and sales file it joins).
        """
        dates = self._dates()
        return {
            "kind": self.kind,
            "rows": self.source_rows,
            "periods": int(dates.dropna().nunique()),
            "networks": self.networks,
            "spend_by_network": self.spend_by_network(),
            "outcome_totals": {"outcome": round(self.outcome_total(), 6)},
            "errors": [i.as_dict() for i in self.errors],
            "warnings": [i.as_dict() for i in self.warnings],
            "skipped": [
                {"sheet": str(r.sheet), "row": int(r.row), "reason": str(r.reason)}
                for r in self.skipped.itertuples(index=False)
            ],
            "source": self.source,
            "sheet": self.sheet,
            "description": self.describe(),
            "currency": self.currency,
            "unused_columns": list(self.unused),
            "controls": self.control_names,
            "code_reports": list(self.code_reports),
            "joined": list(self.joined),
        }

    def mapping_table(self) -> pd.DataFrame:
        """Every column of the table with the field it was read as (``""``: not used).

        Columns ``column, field``; edit ``field`` and pass the changes to
        :func:`planner.data.mapping.mapping_changes` to import again with the correction.

        Returns
        -------
        DataFrame
            One row per entry of ``columns`` (or, when that is empty, per mapped column), in
            order; ``field`` as in ``mapping`` (e.g. ``"date:dmy"``, ``"spend:TikTok"``).
        """
        used = dict(self.mapping)
        cols = list(self.columns) or [c for c, _ in self.mapping]
        return pd.DataFrame({"column": pd.Series(cols, dtype=object),
                             "field": pd.Series([used.get(c, "") for c in cols], dtype=object)})

    def describe(self) -> str:
        """One sentence, e.g. ``"156 weeks, 6 networks, total sales only"``.

        Returns
        -------
        str
            The periods, networks and outcome label for kind ``"total"``; the campaigns,
            creators (and paid media) and networks, or the rows, periods and networks, for
            kind ``"attributed"``; ``"No rows could be imported."`` without rows.
        """
        if self.rows.empty:
            return "No rows could be imported."
        label = _outcome_label(self.mapping)
        n_net = len(self.networks)
        one, many = _period_unit(self._dates())
        periods = int(self._dates().dropna().nunique())
        if self.kind == "total":
            return f"{_plural(periods, one, many)}, {_plural(n_net, 'network')}, total {label} only"
        creators = self.rows.loc[self.rows["entity"] != "", ["network", "entity"]].drop_duplicates()
        n_rows = len(self.rows)
        if len(creators):
            paid = " and paid media" if (self.rows["entity"] == "").any() else ""
            return (f"{_plural(n_rows, 'campaign')} of {_plural(len(creators), 'creator')}{paid} "
                    f"on {_plural(n_net, 'network')}, {label} attributed per row")
        return (f"{_plural(n_rows, 'row')} over {_plural(periods, one, many)} on "
                f"{_plural(n_net, 'network')}, {label} attributed per row")
