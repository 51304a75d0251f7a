"""Tables (DataFrames) as JSON text, exactly: a loaded table equals the saved one to the last bit.

Each column is stored with its type; floats are written exactly (``repr``), NaN and the
infinities as JSON's ``NaN``/``Infinity``, dates as ISO text.  An index other than
``0..n-1`` is stored like a column.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["encode_frame", "decode_frame"]


def _plain(v):
    """Return a JSON-native value (floats kept exact; NaN and infinities as JSON's NaN/Infinity)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date)):
        return {"datetime": pd.Timestamp(v).isoformat()}
    return str(v)


def _column(s: pd.Series) -> dict:
    dtype = str(s.dtype)
    if pd.api.types.is_bool_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        kind, values = "bool", [None if pd.isna(v) else bool(v) for v in s]
    elif pd.api.types.is_integer_dtype(s.dtype):
        kind, values = "int", [None if pd.isna(v) else int(v) for v in s]
    elif pd.api.types.is_float_dtype(s.dtype):
        kind, values = "float", [float(v) for v in s.to_numpy(dtype=float, na_value=np.nan)]
    elif pd.api.types.is_datetime64_any_dtype(s.dtype):
        kind, values = "datetime", [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in s]
    else:
        kind, values = "object", [_plain(v) for v in s.astype(object)]
    return {"kind": kind, "dtype": dtype, "values": values}


def _series(spec: Mapping, index: pd.Index | None, name) -> pd.Series:
    kind, dtype, values = spec["kind"], spec.get("dtype"), spec["values"]
    if kind == "float":
        s = pd.Series(np.array(values, dtype=float), index=index, name=name)
    elif kind == "datetime":
        s = pd.Series(pd.to_datetime(values), index=index, name=name)
    elif kind == "object":
        vals = [pd.Timestamp(v["datetime"]) if isinstance(v, dict) and "datetime" in v else v for v in values]
        s = pd.Series(vals, index=index, name=name, dtype=object)
    else:
        s = pd.Series(values, index=index, name=name, dtype=object)
    if dtype and dtype != str(s.dtype):
        try:
            s = s.astype(dtype)
        except (TypeError, ValueError):
            pass  # a dtype this pandas does not know: keep the values as read
    return s


def encode_frame(df: pd.DataFrame | None) -> str | None:
    """Return a DataFrame as JSON text with its column types and index; None stays None.

    Parameters
    ----------
    df : DataFrame or None
        The table; column names are stored as text.

    Returns
    -------
    str or None
        Compact JSON (``format``, ``n`` rows, ``columns`` each with ``name``, ``kind``, ``dtype`` and
        ``values``, and ``index`` unless it is ``0..n-1``); None when ``df`` is None.
    """
    if df is None:
        return None
    index = df.index
    body: dict = {"format": 1, "columns": [], "n": int(len(df))}
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        body["index"] = {"name": None if index.name is None else str(index.name),
                         **_column(pd.Series(index, copy=False))}
    for j, col in enumerate(df.columns):
        body["columns"].append({"name": str(col), **_column(df.iloc[:, j])})
    return json.dumps(body, separators=(",", ":"), allow_nan=True, ensure_ascii=False)


def decode_frame(text: str | None) -> pd.DataFrame | None:
    """Return the DataFrame of :func:`encode_frame`.

    Parameters
    ----------
    text : str or None
        JSON text from :func:`encode_frame`.

    Returns
    -------
    DataFrame or None
        The table with its column types (a dtype this pandas does not know keeps the values as read)
        and its index; None when ``text`` is None.
    """
    if text is None:
        return None
    body = json.loads(text)
    index = None
    if "index" in body:
        spec = body["index"]
        index = pd.Index(_series(spec, None, spec.get("name")), name=spec.get("name"))
    data = {}
    for spec in body["columns"]:
        s = _series(spec, None, spec["name"])
        if index is not None:
            s.index = index
        data[spec["name"]] = s
    if not data:
        return pd.DataFrame(index=index if index is not None else pd.RangeIndex(body.get("n", 0)))
    return pd.DataFrame(data, index=index)
