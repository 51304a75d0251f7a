"""What an imported file holds, as tables people read: headline facts, issues, skipped rows, totals.

Each function takes a :class:`planner.data.dataset.Dataset` (or several) and returns a
dict or a DataFrame with readable column names (formats: planner.report.display).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planner.base.names import creator_names

__all__ = ["dataset_facts", "issues_table", "skipped_table", "skipped_runs", "network_totals", "followers",
           "spend_line"]


def dataset_facts(ds) -> dict:
    """Headline numbers of an imported file: rows, periods, networks, first and last date.

    Parameters
    ----------
    ds : Dataset
        An imported file (:class:`planner.data.dataset.Dataset`).

    Returns
    -------
    dict
        ``description`` (``ds.describe()``), ``rows``, ``periods`` and ``networks`` (counts), ``first`` and
        ``last`` (dates as ``"Jan 05, 2025"``, an em dash when there are none; from ``ds.outcome`` for
        total-outcome data, else ``ds.rows``), and the counts ``errors``, ``warnings`` and ``skipped``.
    """
    s = ds.summary()
    dates = ds.outcome["date"] if ds.kind == "total" and ds.outcome is not None else (
        ds.rows["date"] if "date" in ds.rows.columns else pd.Series(dtype="datetime64[ns]"))
    dates = pd.to_datetime(dates, errors="coerce").dropna()
    return {
        "description": ds.describe(),
        "rows": int(s["rows"]),
        "periods": int(s["periods"]),
        "networks": len(s["networks"]),
        "first": dates.min().strftime("%b %d, %Y") if len(dates) else "\u2014",
        "last": dates.max().strftime("%b %d, %Y") if len(dates) else "\u2014",
        "errors": len(ds.errors),
        "warnings": len(ds.warnings),
        "skipped": len(ds.skipped),
    }


def issues_table(ds, severity: str | None = None) -> pd.DataFrame:
    """Return the validation report: Message, Severity, Sheet, Row, Column, Value (one row per issue).

    The message comes first: it is what a person reads, and a wide table must not push it off the screen.

    Parameters
    ----------
    ds : Dataset
        An imported file.
    severity : {"error", "warning"}, optional
        Keep only issues of this severity; None keeps all.

    Returns
    -------
    DataFrame
        In the order of ``ds.issues``; Severity capitalised, Row a nullable integer (the spreadsheet row),
        missing Sheet, Column and Value as ``""``.
    """
    issues = [i for i in ds.issues if severity is None or i.severity == severity]
    return pd.DataFrame({
        "Message": [i.message for i in issues],
        "Severity": [i.severity.capitalize() for i in issues],
        "Sheet": [i.sheet or "" for i in issues],
        "Row": pd.array([i.row for i in issues], dtype="Int64"),
        "Column": [i.column or "" for i in issues],
        "Value": ["" if i.value is None else str(i.value) for i in issues],
    })


def skipped_table(ds) -> pd.DataFrame:
    """Rows of the file that are not in the data: Sheet, Row, Reason.

    Parameters
    ----------
    ds : Dataset
        An imported file.

    Returns
    -------
    DataFrame
        One row per entry of ``ds.skipped``; Row a nullable integer.
    """
    sk = ds.skipped
    return pd.DataFrame({
        "Sheet": sk["sheet"].astype(str).to_numpy() if len(sk) else [],
        "Row": pd.array(sk["row"].to_numpy() if len(sk) else [], dtype="Int64"),
        "Reason": sk["reason"].astype(str).to_numpy() if len(sk) else [],
    })


def network_totals(ds) -> pd.DataFrame:
    """Totals per network: Network, Spend and (outcome attributed per row) Revenue, Return per $1.

    For total-outcome data (marketing mix) the outcome is known only per period,
    so the table has spend only; :func:`dataset_facts` and ``ds.outcome_total()``
    give the total.

    Parameters
    ----------
    ds : Dataset
        An imported file.

    Returns
    -------
    DataFrame
        One row per network, most spend first; Spend and Revenue in dollars over the whole file, Return
        per $1 NaN where Spend is 0. Only ``Network, Spend`` (and no rows) when the file has no rows.
    """
    rows = ds.rows
    if rows.empty:
        return pd.DataFrame(columns=["Network", "Spend"])
    g = rows.groupby("network", sort=False)
    out = pd.DataFrame({"Network": list(g.groups.keys())})
    out["Spend"] = g["spend"].sum().to_numpy(dtype=float)
    if ds.kind == "attributed" and "outcome" in rows.columns:
        out["Revenue"] = g["outcome"].sum().to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["Return per $1"] = np.where(out["Spend"] > 0, out["Revenue"] / out["Spend"], np.nan)
    return out.sort_values("Spend", ascending=False, ignore_index=True)


def followers(datasets: Iterable) -> pd.Series:
    """Each creator's followers (latest row with a value), indexed by curve-table name ``Network/@handle``.

    Parameters
    ----------
    datasets : iterable of Dataset
        Imported files; those without ``entity`` and ``followers`` columns are skipped.

    Returns
    -------
    Series of float
        Followers per creator. Where several files name the same creator, the last file's value is kept;
        empty when no file has followers.
    """
    parts = []
    for ds in datasets:
        rows = getattr(ds, "rows", None)
        if rows is None or rows.empty or "followers" not in rows.columns or "entity" not in rows.columns:
            continue
        r = rows.loc[rows["entity"].astype(str) != "", ["date", "network", "entity", "followers"]].copy()
        r["followers"] = pd.to_numeric(r["followers"], errors="coerce")
        r = r.dropna(subset=["followers"]).sort_values("date")
        if r.empty:
            continue
        names = creator_names(r["network"], r["entity"])
        parts.append(pd.Series(r["followers"].to_numpy(dtype=float), index=names.to_numpy()))
    if not parts:
        return pd.Series(dtype=float)
    s = pd.concat(parts)
    return s[~s.index.duplicated(keep="last")]


def skipped_runs(skipped: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Return the rows left out as ``(sheet, rows, reason)``, a run of three or more with one reason as one.

    Parameters
    ----------
    skipped : DataFrame
        ``sheet, row, reason`` (``Dataset.skipped``), in row order per sheet.

    Returns
    -------
    list of (str, str, str)
        ``rows`` as ``"row 5"``, or ``"rows 2 to 547 (546 rows)"`` for a run of consecutive rows with one reason.
    """
    out: list[tuple[str, str, str]] = []
    run: list = []

    def close() -> None:
        if len(run) >= 3:
            out.append((run[0][0], f"rows {run[0][1]} to {run[-1][1]} ({len(run):,} rows)", run[0][2]))
        else:
            out.extend((s, f"row {r}", why) for s, r, why in run)
        run.clear()

    for sheet, row, reason in zip(skipped["sheet"].astype(str), skipped["row"].astype(int),
                                  skipped["reason"].astype(str), strict=True):
        if run and (sheet, reason) == (run[-1][0], run[-1][2]) and row == run[-1][1] + 1:
            run.append((sheet, row, reason))
            continue
        close()
        run.append((sheet, row, reason))
    close()
    return out


def spend_line(ds) -> str:
    """Say what a file of spend holds: ``"Spend on Facebook ($468,000) and Instagram ($436,800), Jan 02, 2023 to ..."``.

    Parameters
    ----------
    ds : Dataset
        A file read for its spend (planner.data.ingest.load with ``spend_only``).
    """
    from planner.base.format import money

    if ds.rows.empty:
        return "No spend could be read."
    nets = [f"{net} ({money(v)})" for net, v in ds.spend_by_network().items()]
    listed = nets[0] if len(nets) == 1 else f"{', '.join(nets[:-1])} and {nets[-1]}"
    facts = dataset_facts(ds)
    return f"Spend on {listed}, {facts['first']} to {facts['last']}"
