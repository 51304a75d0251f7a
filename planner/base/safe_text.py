"""Writing user text safely: a name like ``=HYPERLINK(...)`` stays text in every file."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

__all__ = ["csv_safe", "write_csv", "to_csv_bytes", "set_text", "write_xlsx_table"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value):
    """Prefix ``'`` to text a spreadsheet would read as a formula.

    Parameters
    ----------
    value : object
        Any cell value; only a ``str`` that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage
        return or a newline is changed.

    Returns
    -------
    object
        ``"'" + value`` for such text, otherwise ``value`` unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        if col.dtype == object or pd.api.types.is_string_dtype(col) or isinstance(col.dtype, pd.CategoricalDtype):
            out.isetitem(j, col.astype(object).map(csv_safe))
    out.columns = [csv_safe(c) for c in out.columns]  # a header is text a user may have typed too
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8) of ``df`` with formula-like text neutralised.

    Parameters
    ----------
    df : DataFrame
        The table to write. Text cells (object, string and categorical columns) and column names go
        through :func:`csv_safe`; ``df`` itself is not changed.

    Returns
    -------
    bytes
        The CSV, UTF-8 encoded, with a header row and without the index.
    """
    buf = io.StringIO()
    _safe_frame(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` to ``path`` as :func:`to_csv_bytes` makes it (UTF-8, no index); return the path.

    Parameters
    ----------
    df : DataFrame
        The table to write.
    path : str or Path
        The file to create or overwrite.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.
    """
    Path(path).write_bytes(to_csv_bytes(df))
    return Path(path)


def set_text(cell, value: str) -> None:
    """Store ``value`` in an openpyxl cell as text, never as a formula.

    Parameters
    ----------
    cell : openpyxl.cell.Cell
        The cell to fill; changed in place.
    value : str
        The text; its data type is forced to ``"s"`` (string), so ``"=1+1"`` is kept as written.
    """
    cell.value = value
    cell.data_type = "s"


def write_xlsx_table(sheets: dict[str, pd.DataFrame], path: str | Path | None = None) -> bytes:
    """Write plain data sheets (header + rows), text as text; return the bytes.

    Each sheet has its column names as a header row (frozen) and one row per row of the frame.
    Text is stored as text (:func:`set_text`), ``None`` and non-finite floats as empty cells, NumPy
    scalars as Python numbers and ``Timestamp`` values as datetimes.

    Parameters
    ----------
    sheets : dict of str to DataFrame
        Sheet title to table, in the order the sheets are written.
    path : str or Path, optional
        When given, the workbook is also written to this file; None writes no file.

    Returns
    -------
    bytes
        The ``.xlsx`` workbook.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for title, df in sheets.items():
        ws = wb.create_sheet(title)
        for j, col in enumerate(df.columns, start=1):
            set_text(ws.cell(row=1, column=j), str(col))
            ws.column_dimensions[get_column_letter(j)].width = max(12, min(40, len(str(col)) + 4))
        for i, row in enumerate(df.itertuples(index=False), start=2):
            for j, v in enumerate(row, start=1):
                cell = ws.cell(row=i, column=j)
                if isinstance(v, str):
                    set_text(cell, v)
                elif v is None or (isinstance(v, float) and not np.isfinite(v)):
                    cell.value = None
                elif isinstance(v, (np.integer, np.floating)):
                    cell.value = v.item()
                elif isinstance(v, pd.Timestamp):
                    cell.value = v.to_pydatetime()
                else:
                    cell.value = v
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
