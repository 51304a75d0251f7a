"""What the commands read from their arguments: files, money, column mappings; and the files they write.

Every mistake in an argument raises :class:`UsageError` with one sentence; the command
line prints it and exits with status 1 (planner.cli.main).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.currency import USD, Currency, currency_of, for_code, show_in
from planner.base.errors import InputError
from planner.base.format import things
from planner.base.plausible import LIMIT_TEXT, beyond_plausible

__all__ = [
    "UsageError", "parse_map", "code_reports", "spend_with_sales", "read_all", "load_data", "find_roster", "read_table",
    "curve_table", "money_arg", "network_bounds", "writing", "show_currency", "load_all", "as_planned",
]


class UsageError(InputError):
    """A command-line argument that cannot be used."""


def show_currency(args, stated: str | Currency | None) -> Currency:
    """Write amounts from here on in the currency of ``--currency``, else the one the input states, else US dollars.

    Parameters
    ----------
    args : argparse.Namespace
        Its ``currency`` (None when the option is not given).
    stated : str, Currency or None
        What the data or curve table says (an ISO code), or None.

    Returns
    -------
    Currency
        The currency now in force (planner.base.currency.current).

    Raises
    ------
    InputError
        When ``--currency`` names no currency the planner knows.
    """
    chosen = getattr(args, "currency", None)
    if chosen:
        return show_in(currency_of(chosen))
    if isinstance(stated, Currency):
        return show_in(stated)
    return show_in(for_code(stated) if stated else USD)


def load_all(args, purpose: str) -> list:
    """Import every DATA file of a command; a file with errors (printed first) or two currencies are refused.

    Parameters
    ----------
    args : argparse.Namespace
        ``data`` (a list of paths), ``sheet``, ``map`` and ``decimal``.
    purpose : str
        What the data is for, for the refusal: ``"fitting"``.

    Returns
    -------
    list of Dataset

    Raises
    ------
    UsageError
        When a file does not exist, its import has errors, or the files are in two currencies.
    """
    from planner.data.currency_found import same_currency

    out, reports = read_all(args)
    for ds in out:
        if ds.has_errors:
            for issue in ds.errors:
                print(f"ERROR: {issue}", file=sys.stderr)
            name = "The joined files" if ds.joined else Path(ds.source).name
            raise UsageError(f"{name} {'have' if ds.joined else 'has'} {things(len(ds.errors), 'error')}; fix "
                             f"{'it' if len(ds.errors) == 1 else 'them'} before {purpose}.")
    idle = [r.source for r in reports if not any(r.source in ds.code_reports for ds in out)]
    if idle:
        print(f"WARNING: {', '.join(idle)} (promo-code sales) not used: no other file is a creators' tracker with a "
              "promo-code column and no revenue column.", file=sys.stderr)
    mixed = same_currency([(ds.source, ds.currency) for ds in out])
    if mixed:
        raise UsageError(mixed)
    return out


def read_all(args, more_reports=()) -> tuple[list, list]:
    """Import every DATA file of a command as the tables they make; return them and the promo-code reports.

    The promo-code reports among the files (and ``more_reports``) give a tracker its revenue; a sales file joins
    the spend exports among them into one table (:func:`spend_with_sales`); every other file is a table.
    """
    mapping = parse_map(args.map)
    paths, reports = code_reports(args.data, args.decimal)
    paths, joined = spend_with_sales(paths, args.decimal, mapping)
    reports = [*reports, *more_reports]
    out = [] if joined is None else [joined]
    out += [load_data(path, args.sheet, mapping, args.decimal, reports) for path in paths]
    return out, reports


def parse_map(items: list[str] | None) -> dict[str, str]:
    """Return the ``--map "SOURCE=FIELD"`` options as ``{source column: field}``.

    Parameters
    ----------
    items : list of str or None
        The ``--map`` values, each ``"SOURCE COLUMN=FIELD"`` (split at the last ``=``, both sides stripped);
        None for no option.

    Returns
    -------
    dict of str to str
        A later option for the same source column wins.

    Raises
    ------
    UsageError
        When an item has no ``=``.
    """
    mapping = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f'--map "{item}" needs the form "SOURCE COLUMN=FIELD", e.g. --map "Fee paid=spend".')
        src, field = item.rsplit("=", 1)
        mapping[src.strip()] = field.strip()
    return mapping


def code_reports(paths, decimal: str | None = None) -> tuple[list[str], list]:
    """Split DATA files into the others and the promo-code reports among them (read).

    A report gives the sales of each discount code; a creators' tracker with a promo-code column and no revenue
    column takes its campaigns' sales from it (planner.data.code_join). Files that do not exist are left with the
    others, to be refused by :func:`load_data`.

    Returns
    -------
    tuple of (list of str, list of CodeReport)
    """
    from planner.data.code_report import is_code_report, read_code_report

    others, reports = [], []
    for path in paths:
        if Path(path).exists() and is_code_report(Path(path)):
            reports.append(read_code_report(Path(path), decimal=decimal))
        else:
            others.append(path)
    if reports and not others:
        names = ", ".join(r.source for r in reports)
        raise UsageError(f"{names}: {'a promo-code report' if len(reports) == 1 else 'promo-code reports'} alone "
                         "(codes and their sales, no fees); give the creators' tracker with it, whose promo-code "
                         "column says which campaign each code's sales are.")
    return others, [r for r in reports if r is not None]


def spend_with_sales(paths, decimal: str | None = None, mapping: dict | None = None):
    """Join the spend exports among DATA files with the shop's sales over time among them, if any.

    A file of sales by day, week or month without spend (planner.data.sales_file) gives the outcome of the
    files of spend without revenue (an ad platform's export, a table of spend per channel:
    planner.data.spend_export); together they are one table for the marketing-mix model
    (planner.data.spend_join). Files that do not exist are left with the others, to be refused by
    :func:`load_data`.

    Returns
    -------
    tuple of (list of str, Dataset or None)
        The other files, and the joined Dataset (None without a sales file or a spend export).

    Raises
    ------
    UsageError
        When a sales file is given without any spend export.
    DataError
        When the files cannot be joined (two currencies, no common period, two sales files for one day).
    """
    from planner.data.ingest import load
    from planner.data.sales_file import combine_sales, is_sales_file, read_sales
    from planner.data.spend_export import is_spend_export
    from planner.data.spend_join import join_spend

    there = [p for p in paths if Path(p).exists()]
    sales = [p for p in there if is_sales_file(Path(p), mapping=mapping)]
    if not sales:
        return list(paths), None
    spend = [p for p in there if p not in sales and is_spend_export(Path(p), mapping=mapping)]
    names = ", ".join(Path(p).name for p in sales)
    if not spend:
        raise UsageError(f"{names}: {'sales' if len(sales) == 1 else 'sales files'} over time without spend; give the "
                         "ad platforms' spend exports (spend by day, without revenue) with "
                         f"{'it' if len(sales) == 1 else 'them'}, and the marketing-mix model splits the sales "
                         "across the networks.")
    series = combine_sales([read_sales(Path(p), decimal=decimal, mapping=mapping) for p in sales])
    exports = [load(Path(p), mapping=mapping or None, decimal=decimal, spend_only=True) for p in spend]
    return [p for p in paths if p not in sales and p not in spend], join_spend(exports, series)


def load_data(path: str, sheet: str | None, mapping: dict, decimal: str | None = None, codes=()):
    """Import the spreadsheet at ``path`` (planner.data.ingest.load); return its Dataset.

    Parameters
    ----------
    path : str
        The spreadsheet (.xlsx, .xls, .csv or .tsv).
    sheet : str or None
        The sheet to read; None picks the one whose headers fit best.
    mapping : dict of str to str
        ``{source column: field}`` from :func:`parse_map`; empty for none.
    decimal : {".", ","}, optional
        The decimal mark of every number column; None decides per column.

    Returns
    -------
    Dataset
        The import, with its issues (``has_errors`` says whether it can be used).

    Raises
    ------
    UsageError
        When the file does not exist.
    DataError
        When the file cannot be read, or ``mapping`` names an unknown field or a missing column.
    """
    from planner.data.ingest import load

    p = Path(path)
    if not p.exists():
        raise UsageError(f"The file {path} does not exist.")
    return load(p, sheet=sheet, mapping=mapping or None, decimal=decimal, codes=codes)


def find_roster(args):
    """Return the roster: ``--roster FILE``, else the first roster sheet in a DATA workbook, else None.

    Parameters
    ----------
    args : argparse.Namespace
        The command's options: ``roster`` (optional) and ``data`` (a path or a list of paths).

    Returns
    -------
    Roster or None
        None when there is no ``--roster`` and no .xlsx/.xlsm/.xls DATA file has a roster sheet.

    Raises
    ------
    UsageError
        When the ``--roster`` file does not exist.
    RosterError
        When the ``--roster`` file holds no roster.
    DataError
        When a file cannot be read.
    """
    from planner.data.roster import find_roster as find_roster_sheet
    from planner.data.roster import load_roster

    if getattr(args, "roster", None):
        if not Path(args.roster).exists():
            raise UsageError(f"The roster file {args.roster} does not exist.")
        return load_roster(args.roster)
    paths = args.data if isinstance(args.data, list) else [args.data]
    for path in paths:
        if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            roster = find_roster_sheet(path)
            if roster is not None:
                return roster
    return None


def read_table(path: str, what: str) -> pd.DataFrame:
    """Read a CSV or XLSX table the user named as ``what`` (e.g. "network bounds").

    Parameters
    ----------
    path : str
        The file: ``.xlsx``/``.xlsm`` (its first sheet) or else UTF-8 CSV.
    what : str
        What the file is, for the messages.

    Returns
    -------
    DataFrame
        The table as pandas reads it, header from the first row.

    Raises
    ------
    UsageError
        When the file does not exist or cannot be read.
    """
    p = Path(path)
    if not p.exists():
        raise UsageError(f"The {what} file {path} does not exist.")
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(p, engine="openpyxl")
        return pd.read_csv(p, encoding="utf-8-sig")
    except Exception as exc:  # a damaged file is the user's mistake
        raise UsageError(f"The {what} file {p.name} could not be read ({exc}).") from exc


def curve_table(path: str) -> pd.DataFrame:
    """Read and validate the curve table of ``--curves``.

    Parameters
    ----------
    path : str
        The curve table (.csv, .xlsx or .xlsm).

    Returns
    -------
    DataFrame
        As :func:`planner.curves.files.read_curves` returns it.

    Raises
    ------
    CurveTableError
        When the file does not exist, cannot be read or is not a valid curve table.
    """
    from planner.curves.files import read_curves

    return read_curves(path)


def network_bounds(path: str | None) -> pd.DataFrame | None:
    """Read the table of ``--network-bounds`` (None without the option).

    Parameters
    ----------
    path : str or None
        The file named by ``--network-bounds``.

    Returns
    -------
    DataFrame or None
        The table as :func:`read_table` reads it (not yet checked), or None when ``path`` is None.

    Raises
    ------
    UsageError
        When the file does not exist or cannot be read.
    """
    return None if path is None else read_table(path, "network bounds")


def money_arg(text: str, what: str) -> float:
    """Read an amount of money given as ``what`` (e.g. "The budget"): ``250000``, ``$250,000``.

    Parameters
    ----------
    text : str
        The amount as typed (read by :func:`planner.data.numbers.parse_number`).
    what : str
        What the amount is, starting the message.

    Returns
    -------
    float
        The amount in dollars (the sign kept: ``-5`` reads as -5.0).

    Raises
    ------
    UsageError
        When the text is not a finite number.
    """
    from planner.data.numbers import parse_number

    try:
        value = parse_number(str(text))
    except ValueError:
        value = None
    if value is None or not np.isfinite(value):
        raise UsageError(f"{what} {text!r} is not an amount of money.")
    if beyond_plausible(value):
        raise UsageError(f"{what} {text!r} is beyond any plausible amount (the limit is {LIMIT_TEXT}).")
    return float(value)


@contextmanager
def writing(path: str | Path) -> Iterator[Path]:
    """Write the file ``path`` inside this block; a file that cannot be written is a :class:`UsageError`.

    Parameters
    ----------
    path : str or Path
        The file the block writes.

    Yields
    ------
    Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    UsageError
        When the block raises an :class:`OSError` (a missing folder, no permission, a full disk).
    """
    p = Path(path)
    try:
        yield p
    except OSError as exc:
        raise UsageError(f"The file {path} could not be written ({exc.strerror or exc}).") from exc


def as_planned(args, curves: pd.DataFrame, say: bool = True) -> pd.DataFrame:
    """Return the curve table for ``--quarter`` and ``--campaign-control``, saying what they assumed (with ``say``).

    Without the options, the table as it is; with them, planner.curves.season.for_quarter's and
    planner.curves.campaign_controls.for_controls'.

    Raises
    ------
    UsageError
        A ``--quarter`` that names no quarter, a ``--campaign-control`` the table does not have or not NAME=VALUE.
    """
    from planner.curves.season import for_quarter, has_wave
    from planner.report.quarter_text import average_quarter_text, quarter_text

    curves = _controls_asked(args, curves, say)
    quarter = getattr(args, "quarter", None)
    if quarter is None:
        if say and has_wave(curves):
            print(average_quarter_text(curves, "--quarter Q1 (to Q4) plans a calendar quarter."))
        return curves
    try:
        out = for_quarter(curves, quarter)
    except InputError as exc:
        raise UsageError(f"--quarter: {exc}") from exc
    if say:
        print(quarter_text(curves, quarter) if has_wave(curves) else
              f"--quarter {quarter}: the curve table has no yearly wave (season_sin, season_cos), so every quarter "
              "is planned as an average one.")
    return out


def _controls_asked(args, curves: pd.DataFrame, say: bool) -> pd.DataFrame:
    """Return the curve table with ``--campaign-control NAME=VALUE`` set (planner.curves.campaign_controls)."""
    from planner.curves.campaign_controls import for_controls
    from planner.report.controls_text import controls_beyond_text, controls_text

    values = {}
    for item in getattr(args, "campaign_control", None) or []:
        name, sep, value = str(item).rpartition("=")
        try:
            values[name.strip()] = float(value.strip().rstrip("%"))
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise UsageError(f'--campaign-control {item!r} needs the form NAME=VALUE, e.g. "Discount %=20".')
    try:
        out = for_controls(curves, values)
    except InputError as exc:
        raise UsageError(f"--campaign-control: {exc}") from exc
    if say and values:
        print(" ".join(filter(None, (controls_text(curves, values), controls_beyond_text(curves, values)))))
    return out
