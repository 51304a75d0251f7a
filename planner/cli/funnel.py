"""The ``funnel`` command: why each network (or creator) returns what it does, from clicks per dollar to order value.

Prints the funnel by network (reach, engagements, clicks and orders per $1,000, click-through, conversion,
order value, revenue per click and return per $1; only what the data has), the steps the data lacks, and
which step makes two returns per dollar differ (``--compare A B``; by default the networks with the highest
and the lowest return). ``--creators`` adds the funnel by creator, pooled toward the network where orders are
few; ``--json`` prints it all as one object; ``--out FILE.xlsx`` writes the workbook's Funnel sheet.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from planner.analysis.funnel import DECOMPOSED, Difference, Funnel, compare, funnel
from planner.base.format import count, money, pct, roas
from planner.cli.arguments import UsageError, load_all, show_currency, writing
from planner.report.funnel_text import (
    difference_text,
    funnel_table,
    missing_text,
    shown_label,
    thin_creators_text,
)

__all__ = ["cmd_funnel"]

# how each column of planner.report.funnel_text.funnel_table is written
_FORMATS = {
    "Spend": money, "Revenue": money, "Order value": money, "Revenue per click": money, "Return per $1": roas,
    "Click-through": pct, "Conversion": lambda v: pct(v, decimals=2), "Orders": count,
    "Pulled toward network": lambda v: pct(v, decimals=0),
}


def _text(table: pd.DataFrame) -> str:
    """Write the funnel table as text: money in the currency shown here, rates in per cent, counts with separators."""
    shown = pd.DataFrame(index=table.index)
    for col in table.columns:
        fmt = _FORMATS.get(col, count if col.endswith("per $1,000") else None)
        if fmt:
            shown[shown_label(col)] = [fmt(v) for v in table[col]]
        else:  # names, left-aligned under a left-aligned header
            names = table[col].astype(str)
            width = max([len(col), *names.str.len()])
            shown[col.ljust(width)] = names.str.ljust(width)
    return shown.to_string(index=False)


def _default_pair(f: Funnel) -> tuple[str, str] | None:
    """Return the networks with the highest and the lowest return per dollar whose return splits into steps."""
    if not f.decomposable:
        return None
    n = f.networks
    steps = n[list(DECOMPOSED)].to_numpy(dtype=float)
    ok = n[np.isfinite(steps).all(axis=1) & (steps > 0).all(axis=1)].sort_values("roas", ascending=False,
                                                                                  kind="stable")
    if len(ok) < 2:
        return None
    return str(ok["network"].iloc[0]), str(ok["network"].iloc[-1])


def _plain(value):
    """Return a table's value as JSON writes it: numbers as floats or ints, NaN as null."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return None if value is None or value is pd.NA else str(value)


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _comparison(d: Difference | None) -> dict | None:
    if d is None:
        return None
    return {"a": d.a, "b": d.b, "roas_a": d.roas_a, "roas_b": d.roas_b, "steps": _records(d.steps),
            "main": d.main, "sentence": difference_text(d)}


def cmd_funnel(args) -> int:
    """Run ``funnel``: print the funnel by network (and creator), what the data lacks, and why two returns differ.

    Parameters
    ----------
    args : argparse.Namespace
        ``data`` (a list of paths), ``sheet``, ``map``, ``decimal``, ``creators``, ``compare`` (two names, or
        None: the networks with the highest and the lowest return per dollar), ``json``, ``out`` (an
        ``.xlsx`` workbook with the Funnel sheet) and ``currency``.

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageError
        When a file does not exist or its import has errors (printed to stderr first), the files are in two
        currencies, none holds results per row, ``--out`` is not an ``.xlsx`` file or cannot be written.
    InputError
        When a name of ``--compare`` is neither a network nor a creator of the data, or the data has no
        clicks or no orders to split return per dollar by.
    DataError
        When a file cannot be read at all.
    """
    datasets = load_all(args, "reading its funnel")
    shown = show_currency(args, next((ds.currency for ds in datasets if ds.currency), None))
    f = funnel(datasets)
    if f.networks.empty:
        raise UsageError(f"{', '.join(Path(p).name for p in args.data)} holds no spend with its revenue per row (a "
                         "weekly marketing-mix table has only total sales), so there is no funnel to show. Load a "
                         "creator tracker or an ad platform's export.")
    if args.out and Path(args.out).suffix.lower() != ".xlsx":
        raise UsageError(f"The funnel is written as an .xlsx workbook, not {Path(args.out).name}.")
    pair = tuple(args.compare) if args.compare else _default_pair(f)
    difference = compare(f, *pair) if pair else None  # before any output: a mistake prints only its sentence
    if args.json:
        out = {"currency": shown.code, "present": list(f.present), "missing": list(f.missing),
               "missing_text": missing_text(f), "networks": _records(f.networks),
               "comparison": _comparison(difference)}
        if args.creators:
            out["creators"] = _records(f.creators)
            out["thin_creators_text"] = thin_creators_text(f)
        print(json.dumps(out, indent=2))
    else:
        print(f"Funnel by network ({len(f.networks)} networks, amounts in {shown.name}):")
        print(_text(funnel_table(f, "network")))
        for sentence in (missing_text(f), difference_text(difference) if difference else ""):
            if sentence:
                print("\n" + sentence)
        if args.creators:
            if f.creators.empty:
                print("\nThe data names no creator: every row is a network's paid media.")
            else:
                print(shown_label(f"\nFunnel by creator ({len(f.creators)} creators; Conversion, Order value and "
                                  "Return per $1 pooled toward the network where orders are few):"))
                print(_text(funnel_table(f, "creator")))
                thin = thin_creators_text(f)
                if thin:
                    print("\n" + thin)
    if args.out:
        from planner.report.workbook import funnel_workbook

        with writing(args.out) as p:
            p.write_bytes(funnel_workbook(f))
        print(f"\nWrote the funnel of {len(f.networks)} networks and {len(f.creators)} creators to {args.out} "
              "(sheet Funnel).", file=sys.stderr if args.json else sys.stdout)
    return 0
