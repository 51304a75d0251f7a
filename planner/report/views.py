"""What the app shows: display tables and plain sentences built from the library's results.

Pure presentation helpers for the Streamlit pages (this module never imports
streamlit).  Every function takes the library's values (a Dataset, the curve
table, an Allocation, a PlanEvaluation) and returns a DataFrame with readable
column names or a sentence; it never modifies its input.

Money columns stay numeric so that tables sort by value; the page formats them
through :data:`COLUMN_FORMATS` (column name -> kind: ``money``, ``roas``,
``pct``, ``r2``, ``count``, and ``number`` for large counts shown with thousands
separators).  Sentences format their numbers with :mod:`planner.base.format`.

The app's constraint editors use :func:`bounds_table` / :func:`apply_bounds`
(one row per entity: minimum, maximum, locked at current spend) and
:func:`network_bounds_table` / :func:`network_bounds_frame` (one row per network).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from planner.base.format import count, interval_text, money, pct, roas, signed_money, unit_money
from planner.base.safe_text import to_csv_bytes
from planner.curves.forms import marginal, response
from planner.curves.table import is_creator

__all__ = [
    "COLUMN_FORMATS",
    "DEFAULT_BUDGET",
    "is_creator",
    "default_budget",
    "budget_grid",
    "budget_step",
    "budget_options",
    "frontier_table",
    "unmet_text",
    "next_step",
    "dataset_facts",
    "issues_table",
    "skipped_table",
    "network_totals",
    "pooled_text",
    "observed_range_text",
    "curve_view",
    "curve_counts",
    "mmm_view",
    "bounds_table",
    "bounds_problems",
    "apply_bounds",
    "network_bounds_table",
    "network_bounds_problems",
    "network_bounds_frame",
    "allocation_view",
    "network_view",
    "headline",
    "marginal_at_current",
    "optimum_level",
    "reading",
    "evaluation_view",
    "evaluation_by_network",
    "followers",
    "top_creators",
    "creator_engagement",
    "undominated",
    "interval_text",
    "engagement_table",
    "engagement_reading",
    "eng_text",
    "engagement_view",
    "engagement_trade",
    "of_networks",
    "creators_view",
    "model_text",
    "export_meta",
    "curves_csv",
]

DEFAULT_BUDGET = 250_000.0

# Display column -> how the page formats it.
COLUMN_FORMATS: dict[str, str] = {
    "Spend": "money",
    "Outcome": "money",
    "Revenue": "money",
    "Sales": "money",
    "Current spend": "money",
    "Optimal spend": "money",
    "Planned spend": "money",
    "Change": "money",
    "Change to optimal": "money",
    "Expected revenue": "money",
    "Revenue now": "money",
    "Revenue change": "money",
    "Expected revenue, optimal": "money",
    "Revenue P10": "money",
    "Revenue P90": "money",
    "Cost per post": "money",
    "Min spend": "money",
    "Max spend": "money",
    "Contribution": "money",
    "Return per $1": "roas",
    "ROAS": "roas",
    "ROAS at current spend": "roas",
    "Next $1 returns": "roas",
    "Next $1 at current spend": "roas",
    "Share of sales": "pct",
    "Carry-over": "pct",
    "Change %": "pct",
    "Fit (R²)": "r2",
    "Data points": "count",
    "Posts": "count",
    "Row": "count",
    "Rows beyond data": "count",
    "Revenue per $1": "roas",
    "Engagements per $1,000": "number",
    "Engagements": "number",
    "Campaigns": "count",
}


def _num(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _kind(names) -> np.ndarray:
    return np.where(is_creator(names), "Creator", "Paid media")


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ----------------------------------------------------------------------------- budgets


def default_budget(curves: pd.DataFrame | None) -> float:
    """Today's total quarterly spend (sum of ``current_spend``), whole dollars; else $250,000."""
    if curves is None or "current_spend" not in curves.columns:
        return DEFAULT_BUDGET
    cur = _num(curves, "current_spend")
    total = float(np.nansum(cur)) if np.isfinite(cur).any() else 0.0
    return float(round(total)) if total > 0 else DEFAULT_BUDGET


def budget_grid(budget: float, curves: pd.DataFrame | None = None, n: int = 25,
                lo: float = 0.2, hi: float = 2.0) -> tuple[float, ...]:
    """``n`` budgets from ``lo`` to ``hi`` times ``budget`` (whole dollars), for the frontier.

    The grid starts no lower than the sum of the curve table's minimum spends, so
    every budget on it can be met.
    """
    budget = float(budget) if _finite(budget) and budget > 0 else DEFAULT_BUDGET
    start, stop = lo * budget, hi * budget
    if curves is not None and "min_spend" in curves.columns:
        floor = float(np.nansum(_num(curves, "min_spend")))
        start = max(start, math.ceil(floor))
    stop = max(stop, start)
    return tuple(float(round(b)) for b in np.linspace(start, stop, n))


def budget_step(budget: float, positions: int = 30) -> float:
    """A round step for moving the budget: about ``budget / positions``, as 1, 2, 2.5 or 5 x a power of ten.

    $339,453 -> $10,000; $52,500 -> $2,000; $3M -> $100,000.
    """
    budget = float(budget) if _finite(budget) and budget > 0 else DEFAULT_BUDGET
    raw = budget / max(int(positions), 1)
    power = 10.0 ** math.floor(math.log10(raw))
    steps = [m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0)]
    return float(min(steps, key=lambda s: abs(math.log(s / raw))))


def budget_options(budget: float, curves: pd.DataFrame | None = None, step: float | None = None,
                   lo: float = 0.5, hi: float = 1.5) -> tuple[float, ...]:
    """The budgets the app plans ahead for: multiples of ``step`` from ``lo`` to ``hi`` x ``budget``, and ``budget``.

    The budget slider offers exactly these, and the frontier is drawn through them, so
    every position of the slider is a plan already computed.  The grid starts no lower
    than the sum of the curve table's minimum spends, so every budget on it can be met.
    """
    budget = float(budget) if _finite(budget) and budget > 0 else DEFAULT_BUDGET
    step = float(step) if step is not None and _finite(step) and step > 0 else budget_step(budget)
    start = lo * budget
    if curves is not None and "min_spend" in curves.columns:
        start = max(start, float(np.nansum(_num(curves, "min_spend"))))
    first = math.ceil(start / step - 1e-9)
    last = math.floor(max(hi * budget, start) / step + 1e-9)
    grid = [round(i * step, 2) for i in range(first, max(last, first) + 1)]
    return tuple(sorted({float(b) for b in grid} | {float(round(budget, 2))}))


def frontier_table(plans: Iterable[tuple[float, object]]) -> pd.DataFrame:
    """The budget frontier from the optimum at each budget (``(budget, Allocation or None)`` pairs).

    The same columns as ``planner.optimize.solver.frontier``: budget, spend, response,
    marginal_return, response_p10, response_p90; budgets without a plan (None: it
    cannot be met) are left out.  The best revenue can only grow with the budget, so
    float noise of the search is evened out the same way.
    """
    rows = [{"budget": float(b), "spend": a.total_spend, "response": a.total_response,
             "marginal_return": a.budget_value, "response_p10": a.response_p10, "response_p90": a.response_p90}
            for b, a in plans if a is not None]
    df = pd.DataFrame(rows, columns=["budget", "spend", "response", "marginal_return", "response_p10",
                                     "response_p90"])
    df = df.sort_values("budget", ignore_index=True)
    if len(df):
        df["response"] = np.maximum.accumulate(df["response"].to_numpy(dtype=float))
    return df


def unmet_text(unmet: Sequence[tuple[float, str]]) -> str:
    """One sentence on the budgets of the frontier that cannot be met (``(budget, reason)`` pairs)."""
    if not unmet:
        return ""
    budgets = sorted(float(b) for b, _ in unmet)
    span = money(budgets[0]) if len(budgets) == 1 else f"{len(budgets)} budgets from {money(budgets[0])} to " \
                                                        f"{money(budgets[-1])}"
    return f"No plan meets the bounds at {span}, so the frontier leaves them out: {unmet[0][1]}"


def next_step(allocation, more, step: float | None = None, top: int = 3) -> dict:
    """What the next ``step`` dollars of budget would buy: ``more`` is the optimum at budget + step.

    Keys: ``step``, ``gain`` (expected revenue added), ``per_dollar`` (gain / step),
    ``moves`` (DataFrame name, network, spend_change, response_change of the rows whose
    spend changes, largest increase first), ``sentence``.
    """
    step = float(step) if step is not None else float(more.budget - allocation.budget)
    gain = float(more.total_response - allocation.total_response)
    a = allocation.table.set_index("name")
    b = more.table.set_index("name").reindex(a.index)
    moves = pd.DataFrame({
        "name": a.index.astype(str),
        "network": a["network"].astype(str).to_numpy(),
        "spend_change": (b["spend"].to_numpy(dtype=float) - a["spend"].to_numpy(dtype=float)).round(2),
        "response_change": b["response"].to_numpy(dtype=float) - a["response"].to_numpy(dtype=float),
    })
    moves = moves[moves["spend_change"].abs() >= 0.01].sort_values("spend_change", ascending=False,
                                                                    ignore_index=True)
    spent = float(more.total_spend - allocation.total_spend)
    per_dollar = gain / step if step > 0 else float("nan")
    if spent < 0.01:
        sentence = (f"Another {money(step)} of budget would stay unspent: no row can take it within its bounds"
                    f"{' or pays back' if allocation.objective == 'profit' else ''}.")
    else:
        up = moves[moves["spend_change"] > 0].head(top)
        where = _join([f"{r.name} ({signed_money(r.spend_change)})" for r in up.itertuples()])
        sentence = (f"The next {money(step)} would buy about {signed_money(gain)} of expected revenue "
                    f"({roas(per_dollar)} per $1); it would go to {where}.")
        if (moves["spend_change"] < 0).any():
            sentence += " Some rows give a little back, because posts are booked whole."
    return {"step": step, "gain": gain, "per_dollar": per_dollar, "moves": moves, "sentence": sentence}


# ----------------------------------------------------------------------------- data


def dataset_facts(ds) -> dict:
    """Headline numbers of an imported file: rows, periods, networks, first and last date."""
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
    """The validation report: Severity, Sheet, Row, Column, Value, Message (one row per issue)."""
    issues = [i for i in ds.issues if severity is None or i.severity == severity]
    return pd.DataFrame({
        "Severity": [i.severity.capitalize() for i in issues],
        "Sheet": [i.sheet or "" for i in issues],
        "Row": pd.array([i.row for i in issues], dtype="Int64"),
        "Column": [i.column or "" for i in issues],
        "Value": ["" if i.value is None else str(i.value) for i in issues],
        "Message": [i.message for i in issues],
    })


def skipped_table(ds) -> pd.DataFrame:
    """Rows of the file that are not in the data: Sheet, Row, Reason."""
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


# ----------------------------------------------------------------------------- curves


def pooled_text(weight) -> str:
    """``0.4`` -> ``"pulled toward network average: 40%"``; empty for networks (0 or missing)."""
    if not _finite(weight) or float(weight) <= 0.0005:
        return ""
    return f"pulled toward network average: {pct(float(weight), decimals=0)}"


def observed_range_text(lo, hi) -> str:
    """``"$1,000 – $3,000"`` (one amount when equal; em dash when unknown)."""
    if not _finite(lo) and not _finite(hi):
        return "\u2014"
    if _finite(lo) and _finite(hi) and abs(float(hi) - float(lo)) < 0.5:
        return money(hi)
    return f"{money(lo)} \u2013 {money(hi)}"


def curve_view(curves: pd.DataFrame) -> pd.DataFrame:
    """The curve table as people read it, one row per network / creator.

    Columns: Name, Network, Curve, Current spend, ROAS at current spend,
    Next $1 at current spend, Observed spend range, Fit (R²), Pooling, Data points,
    Source, Type ("Paid media" or "Creator").
    """
    names = curves["name"].astype(str)
    cur = _num(curves, "current_spend")
    x = np.nan_to_num(cur)
    resp = response(curves, x)
    marg = marginal(curves, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        roas_now = np.where(x > 0, resp / np.where(x > 0, x, 1.0), np.nan)
    marg = np.where(np.isfinite(cur), marg, np.nan)
    marg = np.where(np.isinf(marg), np.nan, marg)
    out = pd.DataFrame({
        "Name": names.to_numpy(),
        "Network": curves["network"].astype(str).to_numpy(),
        "Curve": curves["curve"].astype(str).str.capitalize().to_numpy(),
        "Current spend": cur,
        "ROAS at current spend": roas_now,
        "Next $1 at current spend": marg,
        "Observed spend range": [observed_range_text(a, b) for a, b in
                                 zip(_num(curves, "observed_min"), _num(curves, "observed_max"))],
        "Fit (R²)": _num(curves, "r2"),
        "Pooling": [pooled_text(w) for w in _num(curves, "pooled_weight")],
        "Why": (curves["pooling_note"].fillna("").astype(str).to_numpy()
                if "pooling_note" in curves.columns else ""),
        "Data points": pd.array([int(v) if _finite(v) else None for v in _num(curves, "n_obs")], dtype="Int64"),
        "Source": curves["source"].astype(str).to_numpy() if "source" in curves.columns else "",
        "Type": _kind(names),
    })
    return out


def curve_counts(curves: pd.DataFrame) -> str:
    """``"66 response curves: 6 networks' paid media and 60 creators"``."""
    c = int(is_creator(curves["name"]).sum())
    p = len(curves) - c
    parts = []
    if p:
        parts.append(f"{p} network{'s' if p != 1 else ''}' paid media")
    if c:
        parts.append(f"{c} creator{'s' if c != 1 else ''}")
    return f"{len(curves)} response curve{'s' if len(curves) != 1 else ''}: {_join(parts)}"


def mmm_view(params: pd.DataFrame) -> pd.DataFrame:
    """A marketing-mix model's networks: Network, Contribution, Share of sales, Carry-over."""
    return pd.DataFrame({
        "Network": params["network"].astype(str).to_numpy(),
        "Contribution": _num(params, "contribution"),
        "Share of sales": _num(params, "share"),
        "Carry-over": _num(params, "decay"),
    }).sort_values("Contribution", ascending=False, ignore_index=True)


# ----------------------------------------------------------------------------- constraints

_B_MIN, _B_MAX, _B_LOCK = "Min spend", "Max spend", "Lock at current"


def bounds_table(curves: pd.DataFrame) -> pd.DataFrame:
    """The per-row bounds editor's table, indexed by name.

    Columns: Network, Current spend, Cost per post (read only), Min spend,
    Max spend (empty = no limit), Lock at current.
    """
    mx = _num(curves, "max_spend")
    out = pd.DataFrame({
        "Network": curves["network"].astype(str).to_numpy(),
        "Current spend": _num(curves, "current_spend"),
        "Cost per post": _num(curves, "unit_cost"),
        _B_MIN: np.nan_to_num(_num(curves, "min_spend"), nan=0.0),
        _B_MAX: np.where(np.isfinite(mx), mx, np.nan),
        _B_LOCK: False,
    }, index=pd.Index(curves["name"].astype(str).to_numpy(), name="Name"))
    return out


def _edit_values(bounds: pd.DataFrame):
    lo = pd.to_numeric(bounds[_B_MIN], errors="coerce").to_numpy(dtype=float)
    hi = pd.to_numeric(bounds[_B_MAX], errors="coerce").to_numpy(dtype=float)
    lock = bounds[_B_LOCK].fillna(False).astype(bool).to_numpy()
    cur = pd.to_numeric(bounds["Current spend"], errors="coerce").to_numpy(dtype=float)
    return lo, hi, lock, cur


def bounds_problems(bounds: pd.DataFrame, budget: float | None = None) -> list[str]:
    """Sentences for bounds that cannot be used as typed (negative, min above max, lock without a current spend)."""
    lo, hi, lock, cur = _edit_values(bounds)
    names = bounds.index.astype(str)
    out = []
    for i, name in enumerate(names):
        if np.isfinite(lo[i]) and lo[i] < 0:
            out.append(f"{name}: the minimum spend {money(lo[i])} is negative; use $0 or more.")
        if np.isfinite(hi[i]) and hi[i] < 0:
            out.append(f"{name}: the maximum spend {money(hi[i])} is negative; use $0 or more, or leave it empty.")
        if lock[i] and not (np.isfinite(cur[i]) and cur[i] >= 0):
            out.append(f"{name}: there is no current spend to lock it at.")
        elif not lock[i] and np.isfinite(lo[i]) and np.isfinite(hi[i]) and lo[i] > hi[i]:
            out.append(f"{name}: the minimum spend {money(lo[i])} is above the maximum {money(hi[i])}.")
    return out


def apply_bounds(curves: pd.DataFrame, bounds: pd.DataFrame | None) -> pd.DataFrame:
    """The curve table with ``min_spend``/``max_spend`` from the editor (a copy).

    A locked row gets both bounds at its current spend; an empty minimum is $0 and
    an empty maximum is no limit.  Rows of ``bounds`` not in ``curves`` are ignored.
    """
    out = curves.copy()
    if bounds is None or not len(bounds):
        return out
    b = bounds.reindex(out["name"].astype(str).to_numpy())
    known = b.index.isin(bounds.index)
    lo, hi, lock, cur = _edit_values(b)
    lo = np.where(np.isfinite(lo), lo, 0.0)
    hi = np.where(np.isfinite(hi), hi, np.inf)
    lock = lock & np.isfinite(cur)
    lo = np.where(lock, cur, lo)
    hi = np.where(lock, cur, hi)
    out["min_spend"] = np.where(known, lo, _num(out, "min_spend"))
    out["max_spend"] = np.where(known, hi, _num(out, "max_spend"))
    return out


def network_bounds_table(curves: pd.DataFrame) -> pd.DataFrame:
    """The network bounds editor's table, indexed by network: Current spend, Min spend ($0), Max spend (empty)."""
    nets = list(dict.fromkeys(curves["network"].astype(str)))
    cur = pd.Series(_num(curves, "current_spend"), index=curves["network"].astype(str).to_numpy())
    cur_sum = cur.groupby(level=0).sum(min_count=1).reindex(nets)
    return pd.DataFrame({
        "Current spend": cur_sum.to_numpy(dtype=float),
        _B_MIN: np.zeros(len(nets)),
        _B_MAX: np.full(len(nets), np.nan),
    }, index=pd.Index(nets, name="Network"))


def network_bounds_problems(table: pd.DataFrame | None) -> list[str]:
    """Sentences for network bounds that cannot be used as typed."""
    if table is None or not len(table):
        return []
    lo = pd.to_numeric(table[_B_MIN], errors="coerce").to_numpy(dtype=float)
    hi = pd.to_numeric(table[_B_MAX], errors="coerce").to_numpy(dtype=float)
    out = []
    for i, net in enumerate(table.index.astype(str)):
        if np.isfinite(lo[i]) and lo[i] < 0:
            out.append(f"{net}: the network minimum {money(lo[i])} is negative.")
        if np.isfinite(hi[i]) and hi[i] < 0:
            out.append(f"{net}: the network maximum {money(hi[i])} is negative.")
        if np.isfinite(lo[i]) and np.isfinite(hi[i]) and lo[i] > hi[i]:
            out.append(f"{net}: the network minimum {money(lo[i])} is above its maximum {money(hi[i])}.")
    return out


def network_bounds_frame(table: pd.DataFrame | None) -> pd.DataFrame | None:
    """``network, min_spend, max_spend`` for the optimizer: only networks with a bound; None without any."""
    if table is None or not len(table):
        return None
    lo = pd.to_numeric(table[_B_MIN], errors="coerce")
    hi = pd.to_numeric(table[_B_MAX], errors="coerce")
    keep = (lo.notna() & (lo > 0)) | hi.notna()
    if not keep.any():
        return None
    return pd.DataFrame({
        "network": table.index.astype(str)[keep.to_numpy()],
        "min_spend": lo[keep].to_numpy(dtype=float),
        "max_spend": hi[keep].to_numpy(dtype=float),
    })


# ----------------------------------------------------------------------------- the allocation


def _notes(table: pd.DataFrame) -> list[str]:
    binding = table["binding"].fillna("").astype(str).to_numpy() if "binding" in table.columns else [""] * len(table)
    extrap = table["extrapolated"].fillna(False).astype(bool).to_numpy() if "extrapolated" in table.columns \
        else np.zeros(len(table), dtype=bool)
    obs = _num(table, "observed_max")
    out = []
    for b, e, o in zip(binding, extrap, obs):
        parts = []
        if e:
            parts.append(f"beyond the data (most seen: {money(o)})")
        parts.append({"locked": "locked", "min": "at its minimum", "max": "at its maximum"}.get(b, ""))
        out.append("; ".join(p for p in parts if p))
    return out


def allocation_view(allocation, creators_only: bool = False) -> pd.DataFrame:
    """Every row of the allocation: Name, Network, Type, Current spend, Optimal spend, Change,
    Posts, Expected revenue, Revenue P10, Revenue P90, ROAS, Next $1 returns, Beyond data, Note.

    Sorted by optimal spend, largest first.
    """
    t = allocation.table
    out = pd.DataFrame({
        "Name": t["name"].astype(str).to_numpy(),
        "Network": t["network"].astype(str).to_numpy(),
        "Type": _kind(t["name"]),
        "Current spend": _num(t, "current_spend"),
        "Optimal spend": _num(t, "spend"),
        "Change": _num(t, "change"),
        "Posts": pd.array([int(v) if _finite(v) else None for v in _num(t, "units")], dtype="Int64"),
        "Expected revenue": _num(t, "response"),
        "Revenue P10": _num(t, "response_p10"),
        "Revenue P90": _num(t, "response_p90"),
        "ROAS": _num(t, "roas"),
        "Next $1 returns": np.where(np.isinf(_num(t, "marginal_return")), np.nan, _num(t, "marginal_return")),
        "Beyond data": t["extrapolated"].fillna(False).astype(bool).to_numpy() if "extrapolated" in t.columns
        else False,
        "Note": _notes(t),
    })
    if not np.isfinite(out["Revenue P10"]).any():
        out = out.drop(columns=["Revenue P10", "Revenue P90"])
    if out["Posts"].isna().all():
        out = out.drop(columns=["Posts"])
    if creators_only:
        out = out[out["Type"] == "Creator"].drop(columns=["Type"])
    return out.sort_values(["Optimal spend", "Current spend"], ascending=False, ignore_index=True)


def network_view(allocation) -> pd.DataFrame:
    """Per network: Network, Current spend, Optimal spend, Change, Change %, Expected revenue,
    Revenue change (against today's spend), ROAS, Rows beyond data (rows of that network whose
    optimal spend is beyond the data)."""
    n = allocation.network_table
    t = allocation.table
    ex = (t.assign(_e=t["extrapolated"].fillna(False).astype(bool)).groupby("network", sort=False)["_e"].sum()
          if "extrapolated" in t.columns else pd.Series(dtype=float))
    cur = _num(n, "current_spend")
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(cur > 0, _num(n, "change") / np.where(cur > 0, cur, 1.0), np.nan)
    out = pd.DataFrame({
        "Network": n["network"].astype(str).to_numpy(),
        "Current spend": cur,
        "Optimal spend": _num(n, "spend"),
        "Change": _num(n, "change"),
        "Change %": change_pct,
        "Expected revenue": _num(n, "response"),
        "Revenue change": _num(n, "response") - _num(n, "current_response"),
        "ROAS": _num(n, "roas"),
        "Rows beyond data": pd.array([int(ex.get(k, 0)) for k in n["network"].astype(str)], dtype="Int64"),
    })
    return out.sort_values("Optimal spend", ascending=False, ignore_index=True)


def headline(allocation) -> dict[str, str]:
    """The allocation's headline figures as text.

    Keys: ``revenue``, ``interval`` (P10–P90 sentence or ""), ``roas``, ``spend``,
    ``change`` (expected revenue against the current plan, or ""), ``change_pct``,
    ``current`` (what the current plan spends and returns, or ""), ``optimality``,
    ``message`` (the optimizer's note without "Proven optimal."), ``profit`` (profit
    objective: margin x revenue - spend, else "").
    """
    a = allocation
    out = {
        "revenue": money(a.total_response),
        "interval": "",
        "roas": roas(a.total_response / a.total_spend, per_dollar=True) if a.total_spend > 0 else "\u2014",
        "spend": money(a.total_spend),
        "budget": money(a.budget),
        "change": "",
        "change_pct": "",
        "current": "",
        "optimality": "",
        "message": "",
        "profit": "",
    }
    out["interval"] = interval_text(a.response_p10, getattr(a, "response_p50", float("nan")), a.response_p90)
    if _finite(a.total_current_response):
        d = a.total_response - a.total_current_response
        out["change"] = signed_money(d)
        if a.total_current_response > 0:
            out["change_pct"] = pct(d / a.total_current_response, signed=True)
        out["current"] = (f"Current plan: {money(a.total_current_spend)} spent, "
                          f"{money(a.total_current_response)} expected revenue.")
    rel = a.gap / max(1.0, abs(a.objective_value))
    out["optimality"] = "Proven optimal" if rel <= 1e-6 else f"Within {pct(rel, decimals=4)} of the optimum"
    out["message"] = str(a.message or "").replace("Proven optimal.", "").strip()
    if a.objective == "profit":
        out["profit"] = money(a.margin * a.total_response - a.total_spend)
    return out


def marginal_at_current(curves: pd.DataFrame) -> pd.Series:
    """Return on the next $1 per network at today's spend, highest first.

    A network's figure is the spend-weighted mean over all its rows with a spend
    today, paid media and creators alike: the same rows whose totals the plan moves
    (a figure from the paid media alone could call a network the worst place for
    the next dollar while the plan, through its creators, moves money toward it).
    A network with no spend today takes its paid media's figure at $0, if it has
    paid media; otherwise it is left out.
    """
    cur = _num(curves, "current_spend")
    x = np.nan_to_num(cur)
    m = marginal(curves, x)
    names = curves["name"].astype(str).to_numpy()
    nets = curves["network"].astype(str).to_numpy()
    out = {}
    for net in dict.fromkeys(nets):
        sel = (nets == net) & (x > 0) & np.isfinite(m)
        if sel.any():
            out[net] = float(np.average(m[sel], weights=x[sel]))
            continue
        paid = (names == net) & np.isfinite(cur) & np.isfinite(m)
        if paid.any():
            out[net] = float(m[paid][0])
    return pd.Series(out, dtype=float).sort_values(ascending=False)


def optimum_level(allocation) -> float:
    """The common return on the next $1 at the optimum: median over funded rows held by no bound."""
    t = allocation.table
    m = _num(t, "marginal_return")
    ok = np.isfinite(m) & (np.nan_to_num(_num(t, "spend")) > 0)
    if "binding" in t.columns:
        free = ~t["binding"].fillna("").astype(str).isin(["min", "max", "locked"]).to_numpy()
        if (ok & free).any():
            ok &= free
    return float(np.median(m[ok])) if ok.any() else float("nan")


def reading(allocation, curves: pd.DataFrame) -> str:
    """Plain sentences: where the next dollar earns most today, what the optimum moves, and its level.

    e.g. "At today's spend, the next $1 on TikTok returns $1.40; on X, $0.30. The best plan moves
    money toward TikTok and Instagram and away from X. At the optimum, the next $1
    returns about $1.10 on every funded row."
    """
    parts = []
    now = marginal_at_current(curves)
    if len(now) >= 2:
        hi, lo = now.index[0], now.index[-1]
        parts.append(f"At today's spend, the next $1 on {hi} returns {roas(now.iloc[0])}; on {lo}, "
                     f"{roas(now.iloc[-1])}.")
    elif len(now) == 1:
        parts.append(f"At today's spend, the next $1 on {now.index[0]} returns {roas(now.iloc[0])}.")
    n = allocation.network_table
    ch = pd.Series(_num(n, "change"), index=n["network"].astype(str).to_numpy())
    ch = ch[np.isfinite(ch)]
    thr = max(0.01 * float(allocation.budget or 0), 1.0)
    up = ch[ch > thr].sort_values(ascending=False).index[:2].tolist()
    down = ch[ch < -thr].sort_values().index[:2].tolist()
    if up and down:
        parts.append(f"The best plan moves money toward {_join(up)} and away from {_join(down)}.")
    elif up:
        parts.append(f"The best plan spends more on {_join(up)}.")
    elif down:
        parts.append(f"The best plan spends less on {_join(down)}.")
    level = optimum_level(allocation)
    weight = float((getattr(allocation, "extra", None) or {}).get("engagement_weight") or 0.0)
    if weight > 0:  # revenue per $1 is no longer even across rows: revenue plus engagement value is
        parts.append(f"Engagement is valued at {unit_money(weight)} each, so the optimum evens out revenue plus "
                     "engagement value on the next $1: the more engaging rows are funded further, to a lower "
                     "revenue return.")
    elif _finite(level):
        held = "binding" in allocation.table.columns and allocation.table["binding"].fillna("").astype(str).isin(
            ["min", "max", "locked"]).any()
        parts.append(f"At the optimum, the next $1 returns about {roas(level)} on every funded row"
                     f"{' not held by a bound' if held else ''}.")
    if allocation.objective == "profit":
        parts.append(f"The objective is profit at a {pct(allocation.margin, decimals=0)} margin: "
                     "a dollar is spent only while it brings back more than a dollar of margin.")
    return " ".join(parts)


# ----------------------------------------------------------------------------- finance plans


def evaluation_view(ev) -> pd.DataFrame:
    """A plan's rows next to the optimum: Name, Network, Plan name, Planned spend, Expected revenue,
    ROAS, Optimal spend, Expected revenue, optimal, Change to optimal, Beyond data, In plan, Matched."""
    r = ev.rows
    return pd.DataFrame({
        "Name": r["name"].astype(str).to_numpy(),
        "Network": r["network"].astype(str).to_numpy(),
        "Plan name": r["plan_name"].astype(str).to_numpy(),
        "Planned spend": _num(r, "spend"),
        "Expected revenue": _num(r, "response"),
        "ROAS": np.where(_num(r, "spend") > 0, _num(r, "roas"), np.nan),
        "Optimal spend": _num(r, "optimal_spend"),
        "Expected revenue, optimal": _num(r, "optimal_response"),
        "Change to optimal": _num(r, "change_to_optimal"),
        "Beyond data": r["extrapolated"].fillna(False).astype(bool).to_numpy(),
        "Matched": np.where(r["in_curves"].astype(bool), np.where(r["in_plan"].astype(bool), r["match"].astype(str),
                                                                   "not in the plan"), "no curve"),
    })


def evaluation_by_network(ev) -> pd.DataFrame:
    """Per network: Network, Planned spend, Expected revenue, Optimal spend, Expected revenue, optimal,
    Change to optimal."""
    r = ev.rows[ev.rows["in_curves"].astype(bool)]
    g = r.groupby("network", sort=False)
    out = pd.DataFrame({
        "Network": list(g.groups.keys()),
        "Planned spend": g["spend"].sum().to_numpy(dtype=float),
        "Expected revenue": g["response"].sum().to_numpy(dtype=float),
        "Optimal spend": g["optimal_spend"].sum(min_count=1).to_numpy(dtype=float),
        "Expected revenue, optimal": g["optimal_response"].sum(min_count=1).to_numpy(dtype=float),
    })
    out["Change to optimal"] = out["Optimal spend"] - out["Planned spend"]
    return out.sort_values("Planned spend", ascending=False, ignore_index=True)


# ----------------------------------------------------------------------------- charts' inputs


def followers(datasets: Iterable) -> pd.Series:
    """Each creator's followers (latest row with a value), indexed by curve-table name ``Network/@handle``."""
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
        names = r["network"].astype(str) + "/" + r["entity"].astype(str)
        parts.append(pd.Series(r["followers"].to_numpy(dtype=float), index=names.to_numpy()))
    if not parts:
        return pd.Series(dtype=float)
    s = pd.concat(parts)
    return s[~s.index.duplicated(keep="last")]


def top_creators(table: pd.DataFrame, n: int = 6, by: str = "spend") -> list[str]:
    """Names of the ``n`` creators with the largest ``by`` (ties by current spend)."""
    t = table[is_creator(table["name"])]
    if t.empty:
        return []
    cols = [c for c in dict.fromkeys((by, "current_spend")) if c in t.columns]
    t = t.assign(**{c: pd.to_numeric(t[c], errors="coerce").fillna(0.0) for c in cols})
    return t.sort_values(cols, ascending=False)["name"].astype(str).head(n).tolist()


def _by_name(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` indexed by its ``name`` column as text, first row of each name."""
    out = df.set_index(df["name"].astype(str).to_numpy())
    return out[~out.index.duplicated()]


def creator_engagement(datasets: Iterable) -> pd.DataFrame:
    """Engagements per creator in the campaign data, one row per creator.

    Columns: name (``Network/@handle``), network, campaigns, spend, engagements,
    engagements_per_dollar.  Only campaigns that report engagements count, for the
    engagements and for the spend they are divided by.  Empty (same columns) when no
    dataset has an ``engagements`` column.
    """
    cols = ["name", "network", "campaigns", "spend", "engagements", "engagements_per_dollar"]
    parts = []
    for ds in datasets:
        rows = getattr(ds, "rows", None)
        if rows is None or rows.empty or not {"engagements", "entity", "spend"} <= set(rows.columns):
            continue
        r = rows.loc[rows["entity"].astype(str) != "", ["network", "entity", "spend", "engagements"]].copy()
        r["engagements"] = pd.to_numeric(r["engagements"], errors="coerce")
        r["spend"] = pd.to_numeric(r["spend"], errors="coerce")
        r = r.dropna(subset=["engagements", "spend"])
        if r.empty:
            continue
        r["name"] = r["network"].astype(str) + "/" + r["entity"].astype(str)
        g = r.groupby("name", sort=False)
        parts.append(pd.DataFrame({
            "name": list(g.groups.keys()),
            "network": g["network"].first().astype(str).to_numpy(),
            "campaigns": g.size().to_numpy(dtype=int),
            "spend": g["spend"].sum().to_numpy(dtype=float),
            "engagements": g["engagements"].sum().to_numpy(dtype=float),
        }))
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True).drop_duplicates("name", keep="last")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["engagements_per_dollar"] = np.where(out["spend"] > 0, out["engagements"] / out["spend"], np.nan)
    return out[cols].reset_index(drop=True)


def undominated(x, y) -> np.ndarray:
    """True where no other point is at least as high on both ``x`` and ``y`` and higher on one (more is better).

    Points with a missing value are never on the front.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    front = np.zeros(len(x), dtype=bool)
    idx = np.flatnonzero(ok)
    # sweep from the highest x down (ties: highest y first); a point is on the front when
    # its y beats every y seen so far
    order = idx[np.lexsort((-y[idx], -x[idx]))]
    best = -np.inf
    prev = None
    for i in order:
        if y[i] > best:
            front[i] = True
            best = y[i]
        elif prev is not None and front[prev] and x[i] == x[prev] and y[i] == y[prev]:
            front[i] = True  # an exact twin of a front point is not beaten either
        prev = i
    return front


ENGAGEMENT_PER = 1000.0  # engagements are shown per $1,000 of spend: readable whole numbers


def engagement_table(allocation, curves: pd.DataFrame, engagement: pd.DataFrame) -> pd.DataFrame:
    """Each creator's expected revenue and engagements per dollar, and whether it is on the Pareto front.

    Revenue per $1 is the curve's average return at the creator's spend today (at one
    post's fee when it has no spend today); engagements per $1 come from its campaigns.
    Columns: name, network, in_plan, planned_spend, measured_at, revenue_per_dollar,
    engagements_per_1000, engagements, campaigns, on_front.  Sorted: the front first,
    by engagements.
    """
    cols = ["name", "network", "in_plan", "planned_spend", "measured_at", "revenue_per_dollar",
            "engagements_per_1000", "engagements", "campaigns", "on_front"]
    if engagement is None or not len(engagement):
        return pd.DataFrame(columns=cols)
    c = _by_name(curves[is_creator(curves["name"])])
    e = _by_name(engagement)
    names = [n for n in e.index.astype(str) if n in c.index]
    if not names:
        return pd.DataFrame(columns=cols)
    rows = c.loc[names]
    cur = _num(rows, "current_spend")
    unit = _num(rows, "unit_cost")
    at = np.where(np.nan_to_num(cur) > 0, cur, unit)
    where = np.where(np.nan_to_num(cur) > 0, "today's spend", "one post")
    resp = response(rows, np.nan_to_num(at))
    with np.errstate(divide="ignore", invalid="ignore"):
        rpd = np.where(np.nan_to_num(at) > 0, resp / np.where(np.nan_to_num(at) > 0, at, 1.0), np.nan)
    planned = (_by_name(allocation.table)["spend"].reindex(names).to_numpy(dtype=float) if allocation is not None
               else np.full(len(names), np.nan))
    epd = e.loc[names, "engagements_per_dollar"].to_numpy(dtype=float)
    out = pd.DataFrame({
        "name": names,
        "network": rows["network"].astype(str).to_numpy(),
        "in_plan": np.nan_to_num(planned) > 0,
        "planned_spend": planned,
        "measured_at": [f"{w} ({money(v)})" if _finite(v) else "—" for w, v in zip(where, at)],
        "revenue_per_dollar": rpd,
        "engagements_per_1000": epd * ENGAGEMENT_PER,
        "engagements": e.loc[names, "engagements"].to_numpy(dtype=float),
        "campaigns": e.loc[names, "campaigns"].to_numpy(dtype=int),
    })
    out["on_front"] = undominated(out["engagements_per_1000"], out["revenue_per_dollar"])
    return out.sort_values(["on_front", "engagements_per_1000"], ascending=False, ignore_index=True)[cols]


def engagement_reading(table: pd.DataFrame) -> str:
    """One or two sentences on the revenue-engagement front (``engagement_table``)."""
    if table is None or not len(table):
        return "The data has no engagements per creator, so revenue cannot be weighed against engagement."
    front = table[table["on_front"].astype(bool)]
    n, k = len(table), len(front)
    funded = int(front["in_plan"].astype(bool).sum())
    text = (f"{k} of {n} creators are on the front: no other creator brings both more revenue and more "
            f"engagement per dollar. The plan funds {funded} of them.")
    if k:
        eng = front.sort_values("engagements_per_1000", ascending=False).iloc[0]
        rev = front.sort_values("revenue_per_dollar", ascending=False).iloc[0]
        if eng["name"] == rev["name"]:
            text += f" {eng['name']} leads on both."
        else:
            text += (f" The front runs from {rev['name']} ({roas(rev['revenue_per_dollar'])} of revenue per $1, "
                     f"{eng_text(rev['engagements_per_1000'])}) to {eng['name']} "
                     f"({roas(eng['revenue_per_dollar'])} per $1, {eng_text(eng['engagements_per_1000'])}).")
    return text


def eng_text(per_1000) -> str:
    """``412.3`` -> ``"412 engagements per $1,000"``."""
    return "—" if not _finite(per_1000) else f"{float(per_1000):,.0f} engagements per $1,000"


def engagement_view(table: pd.DataFrame) -> pd.DataFrame:
    """``engagement_table`` as people read it: Name, Network, In the plan, Planned spend, Revenue per $1,
    Engagements per $1,000, Engagements, Campaigns, Revenue measured at."""
    return pd.DataFrame({
        "Name": table["name"].astype(str).to_numpy(),
        "Network": table["network"].astype(str).to_numpy(),
        "In the plan": table["in_plan"].astype(bool).to_numpy(),
        "Planned spend": _num(table, "planned_spend"),
        "Revenue per $1": _num(table, "revenue_per_dollar"),
        "Engagements per $1,000": np.round(_num(table, "engagements_per_1000")),
        "Engagements": _num(table, "engagements"),
        "Campaigns": pd.array([int(v) if _finite(v) else None for v in _num(table, "campaigns")], dtype="Int64"),
        "Revenue measured at": table["measured_at"].astype(str).to_numpy(),
    })


def of_networks(table: pd.DataFrame, networks: Sequence[str] | None) -> pd.DataFrame:
    """The rows of ``table`` (any table with a ``network`` column) on ``networks``; all of them when none."""
    if not networks:
        return table
    return table[table["network"].astype(str).isin([str(n) for n in networks])]


def creators_view(allocation, networks: Sequence[str] | None = None) -> pd.DataFrame:
    """The allocation's creators (``allocation_view``, creators only), of ``networks`` when given."""
    out = allocation_view(allocation, creators_only=True)
    if networks:
        out = out[out["Network"].isin([str(n) for n in networks])].reset_index(drop=True)
    return out


def model_text(curves: pd.DataFrame) -> str:
    """One line on the model behind a curve table, e.g. "66 response curves: ... (hill 30, log 20, ...)"."""
    forms = curves["curve"].astype(str).str.lower().value_counts()
    sources = (curves["source"].astype(str).value_counts() if "source" in curves.columns else pd.Series(dtype=int))
    text = curve_counts(curves) + "; curve forms: " + ", ".join(f"{k} {v}" for k, v in forms.items())
    if len(sources):
        text += "; fitted from " + ", ".join(f"{k} ({v})" for k, v in sources.items())
    return text + "."


def export_meta(files: Sequence[tuple[str, str]], curves: pd.DataFrame, custom_bounds: bool = False,
                generated=None) -> dict:
    """Facts for the workbook's Summary (planner.report.workbook.allocation_workbook ``meta``).

    ``files`` is (file name, one-sentence description) per data source.
    """
    meta = {
        "data_source": "; ".join(f"{n} ({d})" if d else n for n, d in files),
        "model": model_text(curves),
        "period": "one quarter (13 weeks)",
        "bounds": "set in the app (see the Curves sheet: min_spend, max_spend)" if custom_bounds
        else "none beyond the curve table's",
    }
    if generated is not None:
        meta["generated"] = generated
    return meta


def curves_csv(curves: pd.DataFrame) -> bytes:
    """The curve table as CSV bytes (no limit written as an empty cell; text kept as text)."""
    out = curves.copy()
    for c in ("min_spend", "max_spend"):
        if c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce").replace([np.inf, -np.inf], np.nan)
    return to_csv_bytes(out)


def engagement_trade(allocation, revenue_only) -> str:
    """One sentence on what valuing engagement costs: the plan against the same plan at weight 0.

    ``allocation`` was optimised with ``engagement_weight > 0`` (planner.optimize.solver), ``revenue_only``
    with 0, at the same budget and bounds.  E.g. "Valuing an engagement at $0.05 trades $3,200 of
    revenue (0.2%) for 41,000 more engagements ($0.08 of revenue each)."  Empty when engagement is
    not valued.
    """
    if allocation is None or revenue_only is None:
        return ""
    weight = float((getattr(allocation, "extra", None) or {}).get("engagement_weight") or 0.0)
    if not weight > 0:
        return ""
    at = f"Valuing an engagement at {unit_money(weight)}"
    e1, e0 = (float((getattr(a, "extra", None) or {}).get("engagements", np.nan)) for a in (allocation, revenue_only))
    lost = revenue_only.total_response - allocation.total_response
    gained = (e1 if _finite(e1) else 0.0) - (e0 if _finite(e0) else 0.0)
    if gained < 0.5:
        return (f"{at} does not change the plan: no row's extra engagements are worth the revenue they would "
                f"cost ({count(e1)} engagements expected).")
    share = lost / revenue_only.total_response if revenue_only.total_response else np.nan
    share_text = "under 0.01%" if 0 < share < 0.00005 else pct(share, decimals=1 if abs(share) >= 0.01 else 2)
    lost_text = f"{money(lost)} of revenue ({share_text})" if lost >= 0.005 else "no revenue"
    each = f" ({unit_money(lost / gained)} of revenue each)" if lost >= 0.005 else ""
    return (f"{at} trades {lost_text} for {count(gained)} more engagements{each}: "
            f"{count(e1)} in all instead of {count(e0)}.")
