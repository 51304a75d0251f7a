"""What a spending plan is expected to return, next to the optimum at the same total spend.

:func:`evaluate_plan` takes the curve table and a plan (``name, spend`` and optionally
``network``, e.g. from :func:`planner.data.plans.read_plan`) and returns a
:class:`PlanEvaluation`: one row per curve-table entity (its planned spend, the
expected revenue there, ROAS, marginal return, whether the spend is beyond what the
data has seen, and the optimal spend and revenue at the same total), plus the plan
rows that match no entity.

Plan names are matched to curve-table names exactly, else ignoring case, as a creator
handle alone, or ignoring ``@`` and spaces, each step only when it is unambiguous
(:mod:`planner.analysis.plan_match`).

Nothing is dropped silently: a plan row that matches no entity counts in the total
spend with no expected revenue and a warning (one for all of them when there are many);
an entity missing from the plan counts at zero spend and is listed.  The plan's rows are
handled as columns: a million rows are valued in seconds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.analysis.plan_match import match_names
from planner.base.errors import InputError
from planner.base.format import interval_text, money, selection_text, things
from planner.curves.forms import marginal, response
from planner.curves.intervals import row_bands
from planner.curves.table import validate_curves
from planner.optimize import InfeasibleError, optimize

__all__ = ["PlanEvaluation", "evaluate_plan"]

ROW_COLUMNS = (
    "name", "network", "plan_name", "match", "spend", "response", "roas", "marginal_return",
    "extrapolated", "observed_max", "optimal_spend", "optimal_response", "change_to_optimal",
    "in_curves", "in_plan",
)
_LIST_MAX = 8
EXACT_JSON_ROWS = 10_000  # up to this many rows to_json_text writes each float exactly; beyond, to 15 digits


def _names(items, limit: int = _LIST_MAX) -> str:
    items = list(items)
    shown = ", ".join(repr(s) for s in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _spends(rows) -> str:
    """``"1 planned spend is"`` or ``"3 planned spends are"``."""
    return f"{things(len(rows), 'planned spend')} {'is' if len(rows) == 1 else 'are'}"


def _listed(items: list[str], limit: int = _LIST_MAX) -> str:
    """Join the first ``limit`` items with "; " and say how many more there are."""
    return "; ".join(items[:limit]) + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def _json_rows(df: pd.DataFrame) -> list[dict]:
    """Return the rows as JSON-ready dicts, converted column by column (NaN and infinity as None)."""
    columns = []
    for c in df.columns:
        v = df[c].to_numpy()
        if v.dtype.kind == "f":
            columns.append([x if math.isfinite(x) else None for x in v.tolist()])
        elif v.dtype.kind in "biu":
            columns.append(v.tolist())
        else:
            columns.append([_jsonable(x) for x in v.tolist()])
    return [dict(zip(df.columns, r, strict=True)) for r in zip(*columns, strict=True)]


def _jsonable(v):
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return v if math.isfinite(v) else None
    if v is None or v is pd.NA:
        return None
    return v


@dataclass(frozen=True)
class PlanEvaluation:
    """A plan next to the optimum.

    ``rows`` has the columns of :data:`ROW_COLUMNS` (plus ``response_p10`` and
    ``response_p90`` when the curve table has ``beta_p10``/``beta_p90``): one row per
    curve-table entity in its order, then one per unmatched plan row
    (``in_curves`` False, response 0). ``optimum_response`` is the best expected
    revenue at the plan's total spend (NaN, with a warning, when the curve table's
    bounds make that total impossible).
    """

    rows: pd.DataFrame
    total_spend: float
    total_response: float
    optimum_response: float
    optimum_spend: float = float("nan")
    response_p10: float = float("nan")
    response_p90: float = float("nan")
    response_p50: float = float("nan")
    unmatched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    matches: tuple[tuple[str, str, str], ...] = ()  # (plan name, curve name, how) where not exact
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    optimum: object = field(default=None, compare=False, repr=False)

    @property
    def gap(self) -> float:
        """Expected revenue the optimum adds over the plan at the same total spend.

        Returns
        -------
        float
            ``optimum_response - total_response`` in dollars; NaN when there is no optimum, negative when the
            plan breaks bounds the optimum keeps.
        """
        return self.optimum_response - self.total_response

    @property
    def gap_pct(self) -> float:
        """:attr:`gap` relative to the plan's expected revenue.

        Returns
        -------
        float
            A fraction (``0.05`` is 5 %); NaN when the plan's expected revenue is not above 0.
        """
        return self.gap / self.total_response if self.total_response > 0 else float("nan")

    @property
    def optimum_p10(self) -> float:
        """P10 of the optimum's expected revenue (NaN when the curve table has no intervals).

        Returns
        -------
        float
            Dollars; NaN also when there is no optimum.
        """
        return float(getattr(self.optimum, "response_p10", float("nan")))

    @property
    def optimum_p50(self) -> float:
        """P50 (median) of the optimum's revenue (NaN when the curve table has no intervals).

        Returns
        -------
        float
            Dollars; NaN also when there is no optimum.
        """
        return float(getattr(self.optimum, "response_p50", float("nan")))

    @property
    def optimum_p90(self) -> float:
        """P90 of the optimum's expected revenue (NaN when the curve table has no intervals).

        Returns
        -------
        float
            Dollars; NaN also when there is no optimum.
        """
        return float(getattr(self.optimum, "response_p90", float("nan")))

    @property
    def optimum_mean(self) -> float:
        """Mean of the optimum's revenue in dollars: expected less its selection allowance (NaN without intervals)."""
        return float(getattr(self.optimum, "response_mean", float("nan")))

    @property
    def optimum_allowance(self) -> float:
        """Dollars the optimum's mean allows for the optimizer's curse (:mod:`planner.optimize.selection`), or 0."""
        return float(getattr(self.optimum, "selection_allowance", 0.0))

    @property
    def roas(self) -> float:
        """Expected revenue per dollar of the plan's total spend (NaN when it spends nothing).

        Returns
        -------
        float
            Dollars of expected revenue per dollar spent.
        """
        return self.total_response / self.total_spend if self.total_spend > 0 else float("nan")

    def summary(self) -> str:
        """One sentence for people (whole dollars from $100).

        Returns
        -------
        str
            What the plan spends and is expected to return; when an optimum exists, what the best split of the
            same money returns (with its 80 % interval when known) and how much more, or that the plan returns
            as much.
        """
        s = (f"The plan spends {money(self.total_spend)} and is expected to return "
             f"{money(self.total_response)}")
        if math.isfinite(self.optimum_response):
            if self.gap > 0.005:
                pct = f" ({self.gap_pct:+.1%})" if math.isfinite(self.gap_pct) else ""
                band = interval_text(self.optimum_p10, self.optimum_p50, self.optimum_p90, self.optimum_mean)
                curse = selection_text(self.optimum_allowance) if band else ""
                band = f" ({band})" if band else ""
                s += (f"; the best split of the same money is expected to return "
                      f"{money(self.optimum_response)}{band}, {money(self.gap)} more{pct}." + (f" {curse}" if curse else ""))
            else:
                s += ", as much as the best split of the same money."
        else:
            s += "."
        return s

    def to_json(self) -> dict:
        """Return a JSON-ready dict (``evaluate --json``): totals, rows, warnings; NaN -> null.

        Returns
        -------
        dict
            ``total_spend``, ``total_response``, ``optimum_response``, ``optimum_spend``, ``gap``, ``gap_pct``,
            ``roas``, ``response_p10/p50/p90``, ``optimum_p10/p50/p90``, ``summary``, ``rows`` (a list of
            dicts, one per row of :attr:`rows`), ``unmatched``, ``missing``, ``matches`` (``plan_name, name,
            how``), ``warnings`` and ``notes``; NumPy scalars as Python values, NaN and infinity as None.
        """
        return self._json_fields(_json_rows(self.rows))

    def write_json(self, fp, indent: int | None = 2) -> None:
        """Write :meth:`to_json` to a text file as JSON, quickly for a plan of many rows.

        Parameters
        ----------
        fp : file-like
            Open for writing text (``sys.stdout``).
        indent : int or None, default 2
            The indent of the object's fields.

        Notes
        -----
        Up to :data:`EXACT_JSON_ROWS` rows this is ``json.dump(self.to_json(), fp, indent=indent)``;
        beyond, the same object with its rows on one line, written by pandas' encoder (each number to 15
        significant digits, NaN and infinity as null): seconds for a million rows, not minutes.
        """
        if len(self.rows) <= EXACT_JSON_ROWS:
            json.dump(self.to_json(), fp, indent=indent)
            return
        mark = "\u0000rows\u0000"
        head, tail = json.dumps(self._json_fields(mark), indent=indent).split(json.dumps(mark), 1)
        fp.write(head)
        self.rows.to_json(fp, orient="records", double_precision=15)
        fp.write(tail)

    def _json_fields(self, rows) -> dict:
        return {
            "total_spend": _jsonable(self.total_spend),
            "total_response": _jsonable(self.total_response),
            "optimum_response": _jsonable(self.optimum_response),
            "optimum_spend": _jsonable(self.optimum_spend),
            "gap": _jsonable(self.gap),
            "gap_pct": _jsonable(self.gap_pct),
            "roas": _jsonable(self.roas),
            "response_p10": _jsonable(self.response_p10),
            "response_p50": _jsonable(self.response_p50),
            "response_p90": _jsonable(self.response_p90),
            "optimum_p10": _jsonable(self.optimum_p10),
            "optimum_p50": _jsonable(self.optimum_p50),
            "optimum_p90": _jsonable(self.optimum_p90),
            "optimum_mean": _jsonable(self.optimum_mean),
            "optimum_selection_allowance": _jsonable(self.optimum_allowance),
            "summary": self.summary(),
            "rows": rows,
            "unmatched": list(self.unmatched),
            "missing": list(self.missing),
            "matches": [{"plan_name": p, "name": c, "how": h} for p, c, h in self.matches],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- evaluation
def _text_column(col: pd.Series) -> pd.Series:
    """Text of each cell: missing as "", everything else as ``str``."""
    out = col.astype(object).where(col.notna(), "")
    return out.astype(str).astype(object)


def _plan_frame(plan) -> pd.DataFrame:
    if not isinstance(plan, pd.DataFrame):
        plan = pd.DataFrame(plan)
    df = plan.copy()
    df.columns = [str(c).strip().lower() for c in df.columns]
    if "name" not in df.columns or "spend" not in df.columns:
        raise InputError("The plan needs the columns 'name' and 'spend'.")
    if "network" not in df.columns:
        df["network"] = ""
    df["name"] = _text_column(df["name"]).str.strip()
    df["network"] = _text_column(df["network"])
    df["spend"] = pd.to_numeric(df["spend"], errors="coerce")
    if df["spend"].isna().any():
        i = int(np.flatnonzero(df["spend"].isna().to_numpy())[0])
        raise InputError(f"Plan row {i + 1} ({df['name'].iloc[i]!r}) has no readable spend.")
    if (df["spend"] < 0).any():
        i = int(np.flatnonzero((df["spend"] < 0).to_numpy())[0])
        raise InputError(f"Plan row {i + 1} ({df['name'].iloc[i]!r}) has a negative spend.")
    return df[["name", "network", "spend"]].reset_index(drop=True)


def _unmatched_warnings(rows: pd.DataFrame) -> list[str]:
    """One warning per plan row that matches no entity; one for all of them when there are many."""
    if len(rows) <= _LIST_MAX:
        return [f"{r.name!r} in the plan matches no entity of the curve table{f' ({r.match})' if r.match else ''}: "
                f"its {money(float(r.spend))} counts in the total spend with no expected revenue."
                for r in rows.itertuples(index=False)]
    return [f"{len(rows):,} names in the plan match no entity of the curve table: their "
            f"{money(float(rows['spend'].sum()))} counts in the total spend with no expected revenue "
            f"({_listed([f'{n!r} {money(float(x))}' for n, x in zip(rows['name'][:_LIST_MAX], rows['spend'][:_LIST_MAX], strict=True)])}"
            f"; and {len(rows) - _LIST_MAX:,} more)."]


def evaluate_plan(curves: pd.DataFrame, plan) -> PlanEvaluation:
    """Evaluate ``plan`` under ``curves``: its expected return, next to the optimum at the same total spend.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1; ``observed_max`` and
        ``beta_p10``/``beta_p90`` are used when present).
    plan : DataFrame
        Columns ``name``, ``spend`` and optionally ``network`` (any case; anything
        ``pd.DataFrame`` accepts).  Names are matched as the module docstring says;
        ``plan.attrs["notes"]``, when present, start the evaluation's notes.

    Returns
    -------
    PlanEvaluation
        One row per curve-table entity, then one per unmatched plan row; the totals, the
        optimum at the plan's total spend (NaN, with a warning, when the curve table's
        bounds make that total impossible), and warnings about the plan.

    Raises
    ------
    CurveTableError
        When ``curves`` is not a valid curve table.
    ValueError
        When the plan lacks a ``name`` or ``spend`` column, or a spend is unreadable or negative.
    """
    curves = validate_curves(curves)
    p = _plan_frame(plan)
    notes: list[str] = list(getattr(plan, "attrs", {}).get("notes", []) or [])
    warnings: list[str] = []
    names = curves["name"].tolist()
    n = len(curves)
    codes, distinct = pd.factorize(p["name"].to_numpy())
    at_distinct, how_distinct = match_names(list(distinct), names)  # each distinct name once
    at, kinds = at_distinct[codes], how_distinct[codes]
    hit = at >= 0
    spend = np.bincount(at[hit], weights=p["spend"].to_numpy(dtype=float)[hit], minlength=n)
    times = np.bincount(at[hit], minlength=n)
    plan_name: list[list[str]] = [[] for _ in range(n)]  # the plan's names of each entity, in the plan's order
    how = [""] * n
    fuzzy: list[tuple[str, str, str]] = []
    for k in np.flatnonzero(at_distinct >= 0):
        i, kind = int(at_distinct[k]), str(how_distinct[k])
        plan_name[i].append(str(distinct[k]))
        how[i] = how[i] or kind
        if kind != "exact":
            fuzzy.append((str(distinct[k]), names[i], kind))
    unmatched_rows = p.loc[~hit, ["name", "network", "spend"]].assign(match=kinds[~hit])
    for i in np.flatnonzero(times > 1):
        warnings.append(f"{names[i]!r} appears {times[i]:,} times in the plan "
                        f"(as {_names(plan_name[i])}); the spends were added together.")
    if fuzzy:
        notes.append("Matched by a looser rule: " + "; ".join(
            f"{a!r} -> {b!r} ({h})" for a, b, h in fuzzy[:_LIST_MAX]) +
            (f"; and {len(fuzzy) - _LIST_MAX} more" if len(fuzzy) > _LIST_MAX else "") + ".")

    spend = np.round(spend, 2)
    resp = response(curves, spend)
    marg = marginal(curves, spend)
    roas = np.divide(resp, spend, out=np.full(n, np.nan), where=spend > 0)
    obs = curves["observed_max"].to_numpy(dtype=float) if "observed_max" in curves else np.full(n, np.nan)
    extrap = np.isfinite(obs) & (spend > obs * 1.0001 + 0.005)
    in_plan = times > 0

    rows = pd.DataFrame({
        "name": names, "network": curves["network"].tolist(),
        "plan_name": [" + ".join(x) for x in plan_name], "match": how,
        "spend": spend, "response": resp, "roas": roas, "marginal_return": marg,
        "extrapolated": extrap, "observed_max": obs,
    })
    p10 = p50 = p90 = float("nan")
    bands = row_bands(curves, resp)
    if bands is not None:
        rows["response_p10"], rows["response_p90"], band = bands
        p10, p50, p90 = band["p10"], band["p50"], band["p90"]

    unmatched = tuple(unmatched_rows["name"].tolist())
    unmatched_spend = float(unmatched_rows["spend"].sum())
    total_spend = round(float(spend.sum()) + unmatched_spend, 2)
    total_response = float(resp.sum())

    # the optimum at the same total spend
    optimum = None
    opt_spend = np.full(n, np.nan)
    opt_resp = np.full(n, np.nan)
    optimum_response = optimum_spend = float("nan")
    try:
        optimum = optimize(curves, budget=total_spend)
    except InfeasibleError as exc:
        warnings.append(f"No optimum at the plan's total spend of {money(total_spend)}: {exc}")
    if optimum is not None:
        t = optimum.table.set_index("name")
        opt_spend = t["spend"].reindex(names).to_numpy(dtype=float)
        opt_resp = t["response"].reindex(names).to_numpy(dtype=float)
        optimum_response = float(optimum.total_response)
        optimum_spend = float(optimum.total_spend)
    rows["optimal_spend"] = opt_spend
    rows["optimal_response"] = opt_resp
    rows["change_to_optimal"] = opt_spend - spend
    rows["in_curves"] = True
    rows["in_plan"] = in_plan

    if len(unmatched_rows):
        u = unmatched_rows
        extra = pd.DataFrame({
            "name": u["name"].to_numpy(), "network": u["network"].to_numpy(), "plan_name": u["name"].to_numpy(),
            "match": np.where(u["match"].to_numpy() == "", "none", u["match"].to_numpy()),
            "spend": u["spend"].to_numpy(dtype=float).round(2),
            "response": 0.0, "roas": 0.0, "marginal_return": np.nan, "extrapolated": False,
            "observed_max": np.nan, "optimal_spend": np.nan, "optimal_response": np.nan,
            "change_to_optimal": np.nan, "in_curves": False, "in_plan": True,
        })
        if "response_p10" in rows:
            extra["response_p10"] = 0.0
            extra["response_p90"] = 0.0
        rows = pd.concat([rows, extra[rows.columns]], ignore_index=True)
        warnings += _unmatched_warnings(unmatched_rows)

    missing = tuple(nm for nm, inp in zip(names, in_plan, strict=True) if not inp)
    if missing:
        warnings.append(f"{len(missing)} of {n} entities of the curve table are not in the plan and count at "
                        f"zero spend: {_names(missing)}.")

    # the plan against each entity's bounds
    lo = curves["min_spend"].to_numpy(dtype=float)
    hi = curves["max_spend"].to_numpy(dtype=float)
    unit = curves["unit_cost"].to_numpy(dtype=float)
    below = [i for i in range(n) if spend[i] < lo[i] - 0.005]
    above = [i for i in range(n) if spend[i] > hi[i] + 0.005]
    if below:
        warnings.append(f"{_spends(below)} below the minimum spend of the curve table: " + _listed(
            [f"{names[i]} {money(spend[i])} < {money(lo[i])}" for i in below]) + ".")
    if above:
        warnings.append(f"{_spends(above)} above the maximum spend of the curve table: " + _listed(
            [f"{names[i]} {money(spend[i])} > {money(hi[i])}" for i in above]) + ".")
    with np.errstate(invalid="ignore", divide="ignore"):
        off_unit = [i for i in range(n) if np.isfinite(unit[i]) and unit[i] > 0
                    and abs(spend[i] / unit[i] - round(spend[i] / unit[i])) * unit[i] > 0.005]
    if off_unit:
        warnings.append(f"{_spends(off_unit)} not a whole number of units (posts at a fee): " + _listed(
            [f"{names[i]} {money(spend[i])} at {money(unit[i])} per unit" for i in off_unit]) + ".")
    if extrap.any():
        ex = [names[i] for i in np.flatnonzero(extrap)]
        warnings.append(f"{_spends(ex)} beyond any spend seen in the data, so their expected "
                        f"revenue is an extrapolation: {_names(ex)}.")
    if math.isfinite(optimum_response) and optimum_response < total_response - 0.005:
        warnings.append("The plan is expected to return more than the optimum because it breaks bounds of the "
                        "curve table that the optimum keeps.")

    return PlanEvaluation(
        rows=rows.reset_index(drop=True),
        total_spend=total_spend,
        total_response=total_response,
        optimum_response=optimum_response,
        optimum_spend=optimum_spend,
        response_p10=p10,
        response_p90=p90,
        response_p50=p50,
        unmatched=unmatched,
        missing=missing,
        matches=tuple(fuzzy),
        warnings=tuple(warnings),
        notes=tuple(notes),
        optimum=optimum,
    )
