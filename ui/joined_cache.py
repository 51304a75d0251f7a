"""Cached reading of a shop's sales over time and of spend exports without revenue, and their join.

planner.data.sales_file, planner.data.spend_export and planner.data.spend_join on uploaded files' bytes, each
result keyed on the bytes and the user's reading of the file, as :mod:`ui.cache` does for every other file.
"""

from __future__ import annotations

import streamlit as st

from planner.data import dataset as _dataset
from planner.data import ingest as _ingest
from planner.data import sales_file as _sales
from planner.data import spend_export as _spend_export
from planner.data import spend_join as _spend_join
from ui.cache import Result, attempt


@st.cache_data(show_spinner=False, max_entries=64)
def sales_file(name: str, data: bytes, mapping: tuple[tuple[str, str], ...] = (),
               decimal: str | None = None) -> Result:
    """The file's SalesSeries, None when it is not a shop's sales over time, or why it could not be read."""
    return attempt(f"reading {name}", _sales.sales_if_any, data, name, dict(mapping) or None, decimal)


@st.cache_data(show_spinner=False, max_entries=64)
def is_spend_export(name: str, data: bytes, mapping: tuple[tuple[str, str], ...] = ()) -> bool:
    """Whether the file is spend without revenue (an ad platform's export); False when it cannot be read."""
    found = attempt(f"reading {name}", _spend_export.is_spend_export, data, name, dict(mapping) or None)
    return bool(found.ok and found.value)


@st.cache_data(show_spinner=False, max_entries=64)
def spend_export(name: str, data: bytes, sheet: str | None = None, mapping: tuple[tuple[str, str], ...] = (),
                 decimal: str | None = None) -> Result:
    """The file read for its spend alone (planner.data.ingest.load with ``spend_only``), or why it could not be."""
    return attempt(f"reading {name}", _ingest.load, data, name=name, sheet=sheet, mapping=dict(mapping) or None,
                   decimal=decimal, spend_only=True)


def _join(spend, sales):
    read = [spend_export(*part) for part in spend]
    failed = next((r for r in read if not r.ok), None)
    if failed is not None:
        raise _dataset.DataError(failed.error)
    exports = [r.value for r in read]
    series = _sales.combine_sales([_sales.read_sales(data, name, decimal, dict(mapping) or None)
                                   for name, data, mapping, decimal in sales])
    return _spend_join.join_spend(exports, series)


@st.cache_data(show_spinner="Joining the spend exports and the sales…", max_entries=16)
def joined(spend: tuple, sales: tuple) -> Result:
    """The spend exports ``(name, bytes, sheet, mapping, decimal)`` joined with the sales files ``(name, bytes,
    mapping, decimal)`` into one total-outcome Dataset, or why they could not be."""
    return attempt("joining the spend exports and the sales", _join, spend, sales)
