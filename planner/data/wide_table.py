"""Wide tables: a row per period with a spend column per channel.

With one outcome column (a marketing-mix table) the rows become a ``"total"``
:class:`~planner.data.dataset.Dataset`: spend per period and network, and the outcome per
period.  With an outcome column per channel (``Instagram spend``, ``Instagram revenue``)
the outcome is attributed, and each period x channel becomes one ``"attributed"`` row.
A total table's controls (:mod:`planner.data.controls`) are read beside its outcome.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from planner.data.checks import check_dates_in_order, outliers
from planner.data.columns import DateCells, NumberCells, formula_cells, read_dates, read_numbers, table_decimal
from planner.data.controls import kept_controls, read_controls, settle_controls
from planner.data.dataset import Dataset
from planner.data.issues import IssueLog, cell_text, format_amount, zeros_note
from planner.data.totals import RunningSums
from planner.data.work import TableMeta, TableWork, empty_frames, make_dataset

__all__ = ["build_wide", "build_wide_attributed"]


_FORMULA = ("This cell holds a formula whose result was never saved in the file; open the file in "
            "Excel and save it, then load it again.")


class _RowChecks:
    """The rows of a wide table as they are checked, one by one.

    Which rows are usable (``ok``), why the others are not (``reasons``; a reason
    starting ``"skip:"`` is not an error), and the blank cells read as 0 per column.
    """

    def __init__(self, work: TableWork, formulas: dict[tuple[int, int], str]):
        self.work, self.log, self.headers, self.formulas = work, work.log, work.choice.headers, formulas
        self.ok = np.ones(work.n, dtype=bool)
        self.reasons: dict[int, str] = {}
        self.blank_count: Counter = Counter()
        self.blank_first: dict[int, int] = {}

    def dateless(self, i: int, rownum: int, dates: DateCells, column: str, is_sum: bool) -> None:
        """Leave out a row without a usable date: the sum of the rows above (a totals row), or an error."""
        self.ok[i] = False
        if is_sum:
            self.reasons[i] = "skip:the sum of the rows above (a totals row without a label)"
        elif dates.bad[i] < 0:
            self.log.add("error", rownum, column, None, "This row has no date, so it was left out.", kind="no date")
            self.reasons[i] = "no date"
        else:
            p = dates.problems[dates.bad[i]]
            self.log.add("error", rownum, column, p.value, f"{p.message}, so this row was left out.",
                         kind="unreadable date")
            self.reasons[i] = "the date could not be read or is far from the others"

    def not_a_number(self, i: int, rownum: int, j: int, col: NumberCells) -> None:
        """Leave out a row whose cell in column j is not a number."""
        p = col.problems[col.bad[i]]
        self.log.add("error", rownum, self.headers[j], p.value, f"{p.message}, so this row was left out.",
                     kind="not a number")
        self.reasons.setdefault(i, f'"{self.headers[j]}" is not a number')
        self.ok[i] = False

    def blank(self, i: int, rownum: int, j: int, vals: np.ndarray) -> None:
        """Read a blank cell as 0, unless it is a formula whose result was never saved (then leave the row out)."""
        if (rownum, j) in self.formulas:
            self.log.add("error", rownum, self.headers[j], self.formulas[(rownum, j)], _FORMULA,
                         kind="formula without value")
            self.reasons.setdefault(i, "a formula without a saved value")
            self.ok[i] = False
        else:
            vals[i] = 0.0
            self.blank_count[j] += 1
            self.blank_first.setdefault(j, rownum)

    def negative_spend(self, i: int, rownum: int, j: int, v: float) -> None:
        """Leave out a row with a negative spend."""
        self.log.add("error", rownum, self.headers[j], cell_text(self.work.cell(i, j)),
                     f"Spend cannot be negative ({format_amount(v)}), so this row was left out.", kind="negative spend")
        self.reasons.setdefault(i, "negative spend")
        self.ok[i] = False

    def finish(self) -> np.ndarray:
        """Say how many blank cells were read as 0, note the rows left out, and return the usable rows' positions."""
        for j, cnt in self.blank_count.items():  # in the order of their first blank row
            self.log.add("warning", self.blank_first[j], self.headers[j], None, zeros_note(cnt, self.blank_first[j]))
        bad_rows = np.flatnonzero(~self.ok)
        why = [self.reasons.get(int(i), "an error in this row") for i in bad_rows]
        self.work.skip_rows(bad_rows, np.array([w[5:] if w.startswith("skip:") else f"left out: {w}" for w in why],
                                               dtype=object))
        return np.flatnonzero(self.ok)


def _repeated_dates(log: IssueLog, dates, rows, column: str) -> None:
    """Warn about each row whose date is on a row above too (both are kept)."""
    first: dict = {}
    for d, r in zip(dates, rows, strict=True):
        if d in first:
            log.add("warning", int(r), column, str(pd.Timestamp(d).date()),
                    f"The same date is on row {first[d]} too; both rows were kept.", kind="duplicate date")
        else:
            first[d] = int(r)


def build_wide(work: TableWork, meta: TableMeta) -> Dataset:
    """Read the rows of a wide table with one outcome column into a ``"total"`` Dataset.

    Parameters
    ----------
    work : TableWork
        The rows below the header; its plan is wide, with a date column, a spend column
        per channel and one outcome column (or orders and revenue per order).
    meta : TableMeta
        What the Dataset carries besides its rows.

    Returns
    -------
    Dataset
        Kind ``"total"``: ``rows`` with ``date, network, spend, row`` (a row per period
        and channel, by date, row and the channels' order) and ``outcome`` with
        ``date, outcome, row``, and ``controls`` (``date`` and a column per control, a row
        per row of ``outcome``) when the table has any.  A table with a region column is
        summed per date (its controls averaged).
    """
    choice, log = work.choice, work.log
    plan, headers = choice.plan, choice.headers
    f = plan.fields
    header_row = meta.header_row
    chan = list(plan.channels)
    out_fields = ["outcome"] if "outcome" in f else ["orders", "outcome_per_order"]
    hint = meta.decimal or table_decimal(work, [j for j, _ in chan] + [f[x] for x in out_fields])
    dates = read_dates(work, hint)
    ch_cols = [(j, net, read_numbers(work, j, hint, meta.decimal)) for j, net in chan]
    ctrl_cols = read_controls(work, plan.controls, hint, meta.decimal)
    o_cols = {x: read_numbers(work, f[x], hint, meta.decimal) for x in out_fields}
    for j, _, col in ch_cols:
        for note in col.notes:
            log.add("warning", header_row, headers[j], None, note)
    for x, col in o_cols.items():
        for note in col.notes:
            log.add("warning", header_row, headers[f[x]], None, note)
    if "outcome" in f:
        outcome = o_cols["outcome"].values.copy()
    else:
        outcome = o_cols["orders"].values * o_cols["outcome_per_order"].values
        log.add("warning", header_row, headers[f["orders"]], None,
                f'There is no revenue column; revenue was computed as "{headers[f["orders"]]}" x '
                f'"{headers[f["outcome_per_order"]]}" for every row.')
    spend_vals = [col.values.copy() for _, _, col in ch_cols]
    blanks = {j: np.flatnonzero(col.blank) for j, _, col in ch_cols}
    blanks.update({f[x]: np.flatnonzero(col.blank) for x, col in o_cols.items()})
    formulas = formula_cells(work, blanks)

    rownums = work.rownums
    checks = _RowChecks(work, formulas)
    ok, reasons = checks.ok, checks.reasons
    sums = RunningSums(len(ch_cols))
    dcol = headers[f["date"]]
    ocol = f.get("outcome", f.get("orders"))
    for i in range(work.n):
        rownum = int(rownums[i])
        if np.isnat(dates.values[i]):
            checks.dateless(i, rownum, dates, dcol, sums.is_sum([v[i] for v in spend_vals]))
            continue
        for k, (j, _, col) in enumerate(ch_cols):
            v = spend_vals[k][i]
            if col.bad[i] >= 0:
                checks.not_a_number(i, rownum, j, col)
            elif np.isnan(v):
                checks.blank(i, rownum, j, spend_vals[k])
            elif v < 0:
                checks.negative_spend(i, rownum, j, v)
        obad = next(((x, col) for x, col in o_cols.items() if col.bad[i] >= 0), None)
        if obad is not None:
            checks.not_a_number(i, rownum, f[obad[0]], obad[1])
        elif ok[i] and np.isnan(outcome[i]):
            if (rownum, ocol) in formulas:
                log.add("error", rownum, headers[ocol], formulas[(rownum, ocol)], _FORMULA, kind="formula without value")
                reasons[i] = "a formula without a saved value"
            else:
                log.add("warning", rownum, headers[ocol], None,
                        "This period has no outcome, so it was left out.", kind="no outcome")
                reasons[i] = "no outcome for this period"
            ok[i] = False
        elif ok[i] and outcome[i] < 0:
            log.add("warning", rownum, headers[ocol], cell_text(work.cell(i, ocol)),
                    f"The outcome is negative ({format_amount(outcome[i])}); it was kept.", kind="negative outcome")
        if ok[i]:
            sums.add([v[i] for v in spend_vals])
    keep = checks.finish()

    wide = pd.DataFrame({"date": pd.Series(dates.values[keep], dtype="datetime64[ns]"),
                         "row": rownums[keep].astype(int), "outcome": outcome[keep]})
    nets = [net for _, net, _ in ch_cols]
    for k in range(len(nets)):
        wide[f"s{k}"] = spend_vals[k][keep]
    kept = kept_controls(ctrl_cols, keep, work, log, header_row)
    cnames = list(kept.values)
    for k, name in enumerate(cnames):
        wide[f"c{k}"] = kept.values[name]

    if "geo" in f and not wide.empty:
        geos = work.per_value(f["geo"], str, "None")[keep]
        n_geo = len(pd.unique(geos))
        agg = {"row": ("row", "min"), "outcome": ("outcome", "sum")}
        agg.update({f"s{k}": (f"s{k}", "sum") for k in range(len(nets))})
        agg.update({f"c{k}": (f"c{k}", "mean") for k in range(len(cnames))})
        wide = wide.groupby("date", sort=True).agg(**agg).reset_index()
        log.add("warning", header_row, headers[f["geo"]], None,
                f"The table has a row per {headers[f['geo']]} ({n_geo:,} of them) and date; spend and outcome were "
                "added up over them for each date" + (", controls averaged." if cnames else "."))
        check_dates_in_order(log, wide["date"].to_numpy(), wide["row"].to_numpy(), dcol)
    else:
        if wide["date"].duplicated().any():
            _repeated_dates(log, wide["date"], wide["row"], dcol)
        check_dates_in_order(log, wide["date"].to_numpy(), wide["row"].to_numpy(), dcol)

    if plan.guessed and len(wide):
        top = max((float(np.nanmax(wide[f"s{k}"])) if len(wide) else 0.0) for k in range(len(nets)))
        if top <= 1.0:
            names = ", ".join(headers[j] for j, _, _ in ch_cols)
            log.add("warning", header_row, None, None,
                    f"The spend in {names} is never above 1, so it looks like a scaled index rather than money; "
                    "budgets and returns will be in the same units.")
    for k, (j, net, _) in enumerate(ch_cols):
        for pos, med in outliers(wide[f"s{k}"].to_numpy(), [net] * len(wide)):
            r = wide.iloc[pos]
            log.add("warning", int(r["row"]), headers[j], format_amount(r[f"s{k}"]),
                    f"Spend of {format_amount(r[f's{k}'])} is far above the usual spend on {net} (median {format_amount(med)}); "
                    "check it for a typing error.", kind="outlier")
    for pos, med in outliers(wide["outcome"].to_numpy(), ["all"] * len(wide)):
        r = wide.iloc[pos]
        log.add("warning", int(r["row"]), headers[ocol], format_amount(r["outcome"]),
                f"An outcome of {format_amount(r['outcome'])} is far above the usual (median {format_amount(med)}); "
                "check it for a typing error.", kind="outlier")

    long_parts = []
    for k, net in enumerate(nets):
        long_parts.append(pd.DataFrame({"date": wide["date"], "network": net, "spend": wide[f"s{k}"],
                                        "row": wide["row"].astype(int)}))
    rows = pd.concat(long_parts, ignore_index=True) if long_parts else empty_frames("wide")[0]
    rows["network"] = rows["network"].astype(object)
    order = {net: k for k, net in enumerate(nets)}
    rows = rows.iloc[np.lexsort((rows["network"].map(order).to_numpy(), rows["row"].to_numpy(),
                                 rows["date"].to_numpy()))].reset_index(drop=True)
    out = wide[["date", "outcome", "row"]].sort_values(["date", "row"], kind="stable").copy()
    out["row"] = out["row"].astype(int)
    controls = None
    if cnames:
        controls = wide.loc[out.index, ["date"] + [f"c{k}" for k in range(len(cnames))]]
        controls.columns = ["date", *cnames]
    settle_controls(kept, meta, log, plan.mapped)
    return make_dataset("total", rows, out, log, work, meta, controls)


def build_wide_attributed(work: TableWork, meta: TableMeta) -> Dataset:
    """Read a wide table with an outcome column per channel into an ``"attributed"`` Dataset.

    A row per period with a spend and an outcome column per channel: the outcome is
    attributed per channel, so each period x channel becomes one attributed row.

    Parameters
    ----------
    work : TableWork
        The rows below the header; its plan is wide, with ``outcome_channels``.
    meta : TableMeta
        What the Dataset carries besides its rows.

    Returns
    -------
    Dataset
        Kind ``"attributed"``: ``rows`` with ``date, network, entity`` (``""``),
        ``spend, outcome, row``, by spreadsheet row and the channels' order.
    """
    choice, log = work.choice, work.log
    plan, headers = choice.plan, choice.headers
    f = plan.fields
    header_row = meta.header_row
    spend_j = dict((net, j) for j, net in plan.channels)
    out_j = dict((net, j) for j, net in plan.outcome_channels)
    nets = [net for _, net in plan.channels]
    hint = meta.decimal or table_decimal(work, list(spend_j.values()) + list(out_j.values()))
    dates = read_dates(work, hint)
    spend = {net: read_numbers(work, spend_j[net], hint, meta.decimal) for net in nets}
    outcome = {net: read_numbers(work, out_j[net], hint, meta.decimal) for net in nets}
    for net in nets:
        for col, j in ((spend[net], spend_j[net]), (outcome[net], out_j[net])):
            for note in col.notes:
                log.add("warning", header_row, headers[j], None, note)
    s_vals = {net: spend[net].values.copy() for net in nets}
    o_vals = {net: outcome[net].values.copy() for net in nets}
    blanks = {spend_j[net]: np.flatnonzero(spend[net].blank) for net in nets}
    blanks.update({out_j[net]: np.flatnonzero(outcome[net].blank) for net in nets})
    formulas = formula_cells(work, blanks)

    rownums = work.rownums
    dcol = headers[f["date"]]
    checks = _RowChecks(work, formulas)
    sums = RunningSums(len(nets))
    for i in range(work.n):
        rownum = int(rownums[i])
        if np.isnat(dates.values[i]):
            checks.dateless(i, rownum, dates, dcol, sums.is_sum([s_vals[net][i] for net in nets]))
            continue
        for net in nets:
            for what, col, vals, j in (("spend", spend[net], s_vals[net], spend_j[net]),
                                       ("outcome", outcome[net], o_vals[net], out_j[net])):
                v = vals[i]
                if col.bad[i] >= 0:
                    checks.not_a_number(i, rownum, j, col)
                elif np.isnan(v):
                    checks.blank(i, rownum, j, vals)
                elif v < 0 and what == "spend":
                    checks.negative_spend(i, rownum, j, v)
                elif v < 0:
                    log.add("warning", rownum, headers[j], cell_text(work.cell(i, j)),
                            f"The outcome is negative ({format_amount(v)}); it was kept (refunds?).", kind="negative outcome")
        if checks.ok[i]:
            sums.add([s_vals[net][i] for net in nets])
    keep = checks.finish()
    parts = [pd.DataFrame({"date": pd.Series(dates.values[keep], dtype="datetime64[ns]"),
                           "network": pd.Series([net] * len(keep), dtype=object),
                           "entity": pd.Series([""] * len(keep), dtype=object),
                           "spend": s_vals[net][keep], "outcome": o_vals[net][keep],
                           "row": rownums[keep].astype(int)}) for net in nets]
    frame = pd.concat(parts, ignore_index=True) if parts else empty_frames("long")[0]
    order = {net: k for k, net in enumerate(nets)}
    frame = frame.iloc[np.lexsort((frame["network"].map(order).to_numpy(), frame["row"].to_numpy()))]
    frame = frame.reset_index(drop=True)
    _repeated_dates(log, dates.values[keep], rownums[keep], dcol)
    check_dates_in_order(log, dates.values[keep], rownums[keep], dcol)
    for net in nets:
        sub = frame.index[frame["network"] == net]
        for col, j in (("spend", spend_j[net]), ("outcome", out_j[net])):
            for pos, med in outliers(frame.loc[sub, col].to_numpy(), [net] * len(sub)):
                r = frame.loc[sub[pos]]
                log.add("warning", int(r["row"]), headers[j], format_amount(r[col]),
                        f"{'Spend' if col == 'spend' else 'An outcome'} of {format_amount(r[col])} is far above the usual on "
                        f"{net} (median {format_amount(med)}); check it for a typing error.", kind="outlier")
    return make_dataset("attributed", frame, None, log, work, meta)
