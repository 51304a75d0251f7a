"""Curve-table files: read a CSV or XLSX curve table and write one that Excel opens safely."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.safe_text import write_csv, write_xlsx_table
from planner.curves.table import CurveTableError, validate_curves

__all__ = ["read_curves", "write_curves"]


def read_curves(path: str | Path) -> pd.DataFrame:
    """Read a curve table from CSV or XLSX and validate it.

    An ``.xlsx``/``.xlsm`` file is read from its sheet named ``Curves`` (any case), else its first sheet;
    any other suffix is read as UTF-8 CSV (a byte-order mark is allowed). The ``'`` that
    :func:`~planner.curves.files.write_curves` put in front of formula-like text in ``name`` and
    ``network`` is taken off again.

    Parameters
    ----------
    path : str or Path
        The curve-table file.

    Returns
    -------
    DataFrame
        The table as :func:`~planner.curves.table.validate_curves` returns it: every contract column present
        and typed, ``min_spend`` 0 and ``max_spend`` ``inf`` where empty, a fresh ``RangeIndex``.

    Raises
    ------
    CurveTableError
        When the file does not exist, cannot be read, or fails validation (the message names the file, the
        sheet for a workbook, and the row and column).
    """
    path = Path(path)
    if not path.exists():
        raise CurveTableError(f"The curve table {path} does not exist.")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            book = pd.read_excel(path, sheet_name=None, engine="openpyxl")
            sheet = next((s for s in book if s.lower() == "curves"), next(iter(book)))
            df = book[sheet]
            where = f"{path.name}, sheet '{sheet}'"
        else:
            df = pd.read_csv(path, encoding="utf-8-sig")
            where = path.name
    except CurveTableError:
        raise
    except UnicodeDecodeError as exc:  # not text: a .parquet, an .xls, a PDF given where a curve table goes
        raise CurveTableError(f"The curve table {path.name} is not a CSV file or an Excel workbook (.xlsx): its bytes "
                              "are not text. Give the file that `fit --out curves.csv` (or curves.xlsx) wrote, or "
                              "the workbook's Curves sheet.") from exc
    except Exception as exc:  # a corrupt file is the user's mistake, not a traceback
        raise CurveTableError(f"The curve table {path.name} could not be read ({exc}).") from exc
    for col in ("name", "network"):
        if col in df.columns:
            df[col] = df[col].astype(str).str.replace(r"^'(?=[=+\-@\t\r\n])", "", regex=True)
    return validate_curves(df, where)


def write_curves(curves: pd.DataFrame, path: str | Path) -> Path:
    """Write the curve table as CSV or XLSX (sheet 'Curves'); user text stays text.

    Parameters
    ----------
    curves : DataFrame
        The curve table; it is not modified. An infinite ``max_spend`` (no upper bound) is written as an
        empty cell.
    path : str or Path
        The file to write: a ``.xlsx`` suffix (any case) gives a workbook with one sheet ``Curves``, any
        other suffix a UTF-8 CSV. Formula-like text gets a leading ``'`` (:mod:`planner.base.safe_text`).

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.
    """
    path = Path(path)
    out = curves.copy()
    out["max_spend"] = out["max_spend"].replace(np.inf, np.nan)
    if path.suffix.lower() == ".xlsx":
        write_xlsx_table({"Curves": out}, path)
    else:
        write_csv(out, path)
    return path
