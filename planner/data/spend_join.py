"""Spend exports and the shop's sales over time, joined into one table for the marketing-mix model.

A brand's most common input comes apart: each ad platform exports its spend by day (Meta, TikTok, Google Ads),
and the shop exports its sales by day, week or month (planner.data.sales_file). :func:`join_spend` puts them on
one calendar: every network's spend and the sales per period, a ``"total"`` Dataset (the outcome known only in
total per period) that the marketing-mix model splits across the networks.

The periods are those of the coarsest file (the sales' own where they are as coarse as any spend): a file by day
joined to sales by week gives its days' spend to their weeks. The model's periods are those with sales within the
spend exports' dates; the rows and sales outside them are left out with their reason. A network's export that
starts after the first period or ends before the last has no spend in the periods it does not cover, said with
its dates (a platform's export leaves out days without delivery, so days it does not list are days of no spend).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from planner.base.format import money
from planner.data.code_report import day_text
from planner.data.dataset import DataError, Dataset, Issue
from planner.data.periods import STEP_DAYS, period_ends, period_step
from planner.data.sales_file import SalesSeries

__all__ = ["join_spend", "joined_name"]

_MIN_DATES = 3  # a spend export with fewer dates gives its spend over one period, not over time
# An export lists the days with spend; one whose first day is this long after the sales' first (or last before their
# last) may have been exported for a shorter range than they: said. Weeks without spend at the ends are common.
_LATE = pd.Timedelta(days=28)


def joined_name(spend: Sequence[str], sales: str) -> str:
    """Return the joined Dataset's name: ``"meta.csv + tiktok.csv with sales from shop.csv"``."""
    return f"{' + '.join(spend)} with sales from {sales}"


def _where(ds: Dataset) -> str:
    """How a file's issues name where they are: the file, and its sheet where that is not the file's name."""
    return ds.source if ds.sheet in ("", ds.source) else f"{ds.source} ({ds.sheet})"


@dataclass(frozen=True)
class _Grid:
    """The join's periods: their first days (sorted), how long each is, and the period of any date."""

    starts: np.ndarray  # datetime64[ns]
    step: str

    @cached_property
    def ends(self) -> np.ndarray:
        return period_ends(self.starts, self.step)

    def of(self, dates) -> np.ndarray:
        """Return the period of each date (its index in :attr:`starts`), -1 before the first or after the last."""
        d = pd.DatetimeIndex(dates).to_numpy(dtype="datetime64[ns]")
        b = np.searchsorted(self.starts, d, side="right") - 1
        return np.where(d > self.ends[-1], -1, b)


def _grid(used: Sequence[Dataset], steps: dict[str, str], sales: SalesSeries) -> _Grid:
    """Return the periods of the coarsest file: the sales' own where they are as coarse as any spend export."""
    coarsest = max([(STEP_DAYS[sales.step], 1, sales.source)] + [(STEP_DAYS[s], 0, n) for n, s in steps.items()])
    if coarsest[2] == sales.source:
        dates, step = sales.table["date"], sales.step
    else:
        dates, step = next(d for d in used if d.source == coarsest[2]).rows["date"], steps[coarsest[2]]
    return _Grid(pd.DatetimeIndex(np.sort(dates.unique())).to_numpy(dtype="datetime64[ns]"), step)


def _currency(spend: Sequence[Dataset], sales: SalesSeries) -> tuple[str | None, str]:
    """Return the currency the files state and where; refuse two (DataError)."""
    stated = [(ds.source, ds.currency, f"{ds.source}, {ds.currency_from}") for ds in spend if ds.currency] + (
        [(sales.source, sales.currency, f"{sales.source}, its amounts")] if sales.currency else [])
    if len({c for _, c, _ in stated}) > 1:
        said = ", ".join(f"{name} in {code}" for name, code, _ in stated)
        raise DataError(f"The files give their amounts in different currencies ({said}); give them in one currency "
                        "(the planner converts nothing).")
    return (stated[0][1], stated[0][2]) if stated else (None, "")


def _over_time(spend: Sequence[Dataset], issues: list[Issue], skipped: list[pd.DataFrame]) -> list[Dataset]:
    """Return the spend exports that give spend by date.

    Each file's issues and skipped rows, named by file, and the exports left out (spend over one period only) are
    added to ``issues`` and ``skipped``.
    """
    used = []
    for ds in spend:
        where = _where(ds)
        issues += [replace(i, sheet=where) for i in ds.issues]
        skipped.append(ds.skipped.assign(sheet=where))
        if ds.rows.empty:
            continue
        n_dates = ds.rows["date"].nunique()
        if n_dates < _MIN_DATES:
            issues.append(Issue("error", where, None, None, None,
                                f"{ds.source} gives its spend on {n_dates} date{'s' if n_dates != 1 else ''} only, "
                                "not over time, so it was left out; export it with a breakdown by day (Ads "
                                'Manager: "Breakdown > By time > Day").'))
            skipped.append(pd.DataFrame({"sheet": where, "row": ds.rows["row"].astype(int),
                                         "reason": "the export gives spend over its whole period, not by day"}))
            continue
        used.append(ds)
    return used


def join_spend(spend: Sequence[Dataset], sales: SalesSeries) -> Dataset:
    """Return the spend exports' spend and the shop's sales per period as one ``"total"`` Dataset.

    Parameters
    ----------
    spend : sequence of Dataset
        Spend without revenue, each read by planner.data.ingest.load with ``spend_only=True`` (rows of ``date,
        network, spend, row``).
    sales : SalesSeries
        The shop's sales over time.

    Returns
    -------
    Dataset
        Kind ``"total"``: ``rows`` (``date, network, spend, row``: a row per period and network, ``row`` the sales
        file's row of the period), ``outcome`` (``date, outcome, row``), every file's issues (named by file) with
        what the join decided, every row left out in ``skipped``, and ``joined`` naming the files.

    Raises
    ------
    DataError
        When the files state two currencies, no spend export has spend by date, or the sales and the spend share
        no period.
    """
    currency, currency_from = _currency(spend, sales)
    issues: list[Issue] = []
    skipped: list[pd.DataFrame] = [sales.skipped.assign(sheet=sales.source)]
    used = _over_time(spend, issues, skipped)
    if not used:
        raise DataError("No spend export gives its spend by date, so there is nothing to join the sales "
                        f"of {sales.source} to.")
    issues += [replace(i, sheet=sales.source) for i in sales.issues]
    steps = {ds.source: period_step(ds.rows["date"]) for ds in used}
    grid = _grid(used, steps, sales)
    spans = {ds.source: _span(ds, steps[ds.source]) for ds in used}
    first, last = min(a for a, _ in spans.values()), max(b for _, b in spans.values())

    # the periods with sales that the spend exports cover whole
    s_bin = grid.of(sales.table["date"])
    keep = np.zeros(len(grid.starts), dtype=bool)
    keep[s_bin[s_bin >= 0]] = True
    keep &= (grid.starts >= np.datetime64(first)) & (grid.ends <= np.datetime64(last))
    if not keep.any():
        raise DataError(f"The sales of {sales.source} ({day_text(sales.first)} to {day_text(sales.last)}) and the "
                        f"spend exports ({day_text(pd.Timestamp(first))} to {day_text(last)}) share no period, so "
                        "they cannot be joined.")
    s_ok = (s_bin >= 0) & keep[np.maximum(s_bin, 0)]
    out_rows = sales.table.loc[~s_ok, "row"].astype(int)
    if len(out_rows):
        skipped.append(pd.DataFrame({"sheet": sales.source, "row": out_rows,
                                     "reason": "not within the dates of the spend exports"}))
        issues.append(Issue("warning", sales.source, int(out_rows.iloc[0]), sales.date_header, None,
                            f"{len(out_rows):,} of the {len(s_bin):,} periods of sales are not within the dates of "
                            f"the spend exports ({day_text(pd.Timestamp(first))} to {day_text(last)}), in whole or "
                            "in part, so they were left out."))
    outcome = (sales.table[s_ok].assign(bin=s_bin[s_ok]).groupby("bin")
               .agg(outcome=("outcome", "sum"), row=("row", "min")).reset_index())
    outcome["date"] = grid.starts[outcome["bin"].to_numpy()]
    kept = outcome["bin"].to_numpy()

    rows = _spend_rows(used, spans, grid, kept, outcome["row"].to_numpy(), sales.source, issues, skipped)
    start, end = pd.Timestamp(grid.starts[kept[0]]), pd.Timestamp(grid.ends[kept[-1]])
    unit = grid.step
    parts = ", ".join(f"{', '.join(d.networks)} from {d.source}" for d in used)
    issues.insert(0, Issue("warning", sales.source, None, None, None,
                           f"Spend ({parts}) and the sales of {sales.source} ({sales.outcome_header}) were joined by "
                           f"{unit}: {len(kept):,} periods, {day_text(start)} to {day_text(end)}. The sales are known "
                           "only in total, so the marketing-mix model splits them across the networks."))
    if unit == "month" and any(STEP_DAYS[s] < STEP_DAYS["month"] for s in steps.values()):
        issues.insert(1, Issue("warning", sales.source, None, sales.date_header, None,
                               f"The sales are by month, so the model has {len(kept):,} periods to learn from where "
                               "sales by day would give it every week: its curves lean on what the networks have in "
                               "common and their bands are wider. Export the shop's sales by day (Shopify: Sales over "
                               "time, by Day) for a model that knows more."))
    digest = hashlib.sha256(sales.fingerprint.encode())
    for ds in spend:
        digest.update(f"\x00{ds.fingerprint}".encode())
    every = [ds.source for ds in spend]
    skip = pd.concat(skipped, ignore_index=True)
    skip["row"] = skip["row"].astype(int)
    return Dataset("total", rows, outcome[["date", "outcome", "row"]].reset_index(drop=True), tuple(issues), skip,
                   joined_name(every, sales.source), sales.sheet, digest.hexdigest(),
                   ((sales.date_header, "date"), (sales.outcome_header, "outcome")), currency=currency,
                   currency_from=currency_from, controls=_controls(used, grid, kept),
                   unused=tuple(f"{c} ({ds.source})" for ds in spend for c in ds.unused),
                   joined=(*every, sales.source))


def _span(ds: Dataset, step: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and the last day a spend export covers (the end of its last row's week or month)."""
    last = ds.rows["date"].max().to_datetime64().reshape(1)
    return pd.Timestamp(ds.rows["date"].min()), pd.Timestamp(period_ends(last, step)[0])


def _spend_rows(used: Sequence[Dataset], spans: dict, grid: _Grid, kept: np.ndarray, rows_of: np.ndarray,
                sales_source: str, issues: list[Issue], skipped: list[pd.DataFrame]) -> pd.DataFrame:
    """Return each network's spend per kept period (``date, network, spend, row``: 0 where a file has none).

    Rows outside the kept periods are left out and said; so are exports that start late or end early, and two
    files that give one network's spend in the same periods (added up).
    """
    frames = []
    start, end = grid.starts[kept[0]], grid.ends[kept[-1]]
    for ds in used:
        where, r = _where(ds), ds.rows
        b = grid.of(r["date"])
        ok = np.isin(b, kept)
        if (~ok).any():
            skipped.append(pd.DataFrame({"sheet": where, "row": r.loc[~ok, "row"].astype(int),
                                         "reason": "outside the dates of the sales"}))
            issues.append(Issue("warning", where, int(r.loc[~ok, "row"].iloc[0]), None, None,
                                f"{int((~ok).sum()):,} rows ({money(float(r.loc[~ok, 'spend'].sum()))} of "
                                f"spend) are outside the periods of {sales_source} that have sales, so they were "
                                "left out."))
        frames.append(pd.DataFrame({"bin": b[ok], "network": r.loc[ok, "network"].to_numpy(),
                                    "spend": r.loc[ok, "spend"].to_numpy(dtype=float), "file": where}))
        issues += _coverage(ds, where, spans[ds.source], start, end)
    spend_rows = pd.concat(frames, ignore_index=True)
    issues += _shared_networks(spend_rows)
    networks = list(dict.fromkeys(spend_rows["network"]))
    per = spend_rows.pivot_table(index="bin", columns="network", values="spend", aggfunc="sum", fill_value=0.0)
    per = per.reindex(index=kept, columns=networks, fill_value=0.0)
    return pd.DataFrame({
        "date": np.repeat(grid.starts[kept], len(networks)),
        "network": np.tile(np.array(networks, dtype=object), len(kept)),
        "spend": per.to_numpy(dtype=float).ravel(),
        "row": np.repeat(rows_of.astype(int), len(networks)),
    })


def _controls(used: Sequence[Dataset], grid: _Grid, kept: np.ndarray) -> pd.DataFrame | None:
    """Return the spend tables' controls (events, promotions, prices) per period: their mean over its dates.

    A control of two files with one name is named for each file; periods a file does not cover are NaN.
    """
    parts = [ds for ds in used if ds.controls is not None and ds.control_names]
    if not parts:
        return None
    names = [c for ds in parts for c in ds.control_names]
    out = {"date": grid.starts[kept]}
    for ds in parts:
        frame = ds.controls.assign(bin=grid.of(ds.controls["date"]))
        means = frame[frame["bin"].isin(kept)].groupby("bin")[ds.control_names].mean().reindex(kept)
        for c in ds.control_names:
            out[c if names.count(c) == 1 else f"{c} ({ds.source})"] = means[c].to_numpy(dtype=float)
    return pd.DataFrame(out)


def _coverage(ds: Dataset, where: str, span: tuple, start: np.datetime64, end: np.datetime64) -> list[Issue]:
    """Say where a spend export starts after the model's first period or ends before its last."""
    out = []
    first, last = span
    nets = " and ".join(ds.networks)
    if first > pd.Timestamp(start) + _LATE:
        out.append(Issue("warning", where, None, None, None,
                         f"{ds.source} starts on {day_text(first)}, after the first period with sales "
                         f"({day_text(pd.Timestamp(start))}): {nets} had no spend before then, as far as the "
                         "planner knows. If it ran before, export it from the sales' first day."))
    if last < pd.Timestamp(end) - _LATE:
        out.append(Issue("warning", where, None, None, None,
                         f"{ds.source} ends on {day_text(last)}, before the last period with sales "
                         f"({day_text(pd.Timestamp(end))}): {nets} had no spend after then, as far as the planner "
                         "knows. If it ran after, export it to the sales' last day."))
    return out


def _shared_networks(rows: pd.DataFrame) -> list[Issue]:
    """Say where two files give spend of one network in the same period (two ad accounts?): it is added up."""
    out = []
    for net, sub in rows.groupby("network", sort=False):
        files = list(dict.fromkeys(sub["file"]))
        if len(files) < 2:
            continue
        per_file = [set(sub.loc[sub["file"] == f, "bin"]) for f in files]
        both = set.intersection(*per_file)
        if both:
            out.append(Issue("warning", files[1], None, None, None,
                             f"{' and '.join(files)} both give {net} spend in {len(both):,} of the same periods; "
                             "it was added up (two ad accounts?). If one file repeats the other, load only one."))
    return out
