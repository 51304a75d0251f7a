"""A plan over time next to the best plan of the same spend over the same horizon, in words and tables.

Reads a :class:`planner.analysis.flight_evaluate.FlightEvaluation`; the app's Finance plan page shows
these figures, sentences and tables when the plan uploaded has periods (months or weeks across the
columns, or a period column). The sentences are those ``evaluate`` prints for such a plan.

Spends keep their cents (a plan's total reads back to the cent); expected revenue is an estimate,
left unrounded here for the page to write in whole units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.analysis.flight_evaluate import FlightEvaluation
from planner.base.format import money, pct, roas, signed_money
from planner.report.flight_text import horizon_interval

__all__ = ["PERIOD", "PLAN_SPEND", "PLAN_REVENUE", "BEST_SPEND", "BEST_REVENUE", "SPEND_COLUMNS", "REVENUE_COLUMNS",
           "TOTAL", "earns_as_much", "comparison_sentence", "plan_sentence", "source_sentence", "reading", "evaluation_figures", "period_view",
           "network_period_view", "row_view"]

PERIOD = "Period"
PLAN_SPEND = "Plan's spend"
PLAN_REVENUE = "Plan's expected revenue"
BEST_SPEND = "Best plan's spend"
BEST_REVENUE = "Best plan's expected revenue"
SPEND_COLUMNS = (PLAN_SPEND, BEST_SPEND)
REVENUE_COLUMNS = (PLAN_REVENUE, BEST_REVENUE)
TOTAL = "Total"
SAME = 0.005  # two plans earning within a cent of each other earn as much (as ``evaluate`` says it)
LAYOUTS = {"wide": "periods across the columns", "long": "a row per name and period"}


def earns_as_much(ev: FlightEvaluation) -> bool:
    """Return whether the plan and the best plan of its spend earn the same to the cent (False without a best plan)."""
    return ev.best is not None and abs(ev.gap) < SAME


def comparison_sentence(ev: FlightEvaluation) -> str:
    """Return the sentence that sets the plan next to the best plan of the same spend over the same horizon.

    Parameters
    ----------
    ev : FlightEvaluation

    Returns
    -------
    str
        What the best plan earns and how much more (or that it earns as much); when the plan earns more
        than the planner's plan, how close to the best that one is proven to be; without a best plan, that
        none could be made.
    """
    counted = " (after the horizon included)" if ev.after else ""
    if ev.best is None:
        return "No best plan could be made for comparison (see the warning)."
    best = money(ev.best_value)
    if earns_as_much(ev):
        return f"The best plan of the same spend over the same horizon earns as much{counted}: {best}."
    if ev.gap > 0:
        rel = f" ({pct(ev.gap / ev.plan_value, signed=True)})" if ev.plan_value > 0 else ""
        return (f"The best plan of the same spend over the same horizon is expected to return {best}{counted}: "
                f"{money(ev.gap)} more{rel}.")
    return (f"The plan earns {money(-ev.gap)} more than the planner's plan of the same spend ({best}{counted}), "
            f"which is proven within {pct(max(ev.best.gap, 0.0))} of the best plan; the planner's plan also keeps "
            "every row within its bounds.")


def plan_sentence(ev: FlightEvaluation) -> str:
    """Return what the plan spends and is expected to bring over its horizon, with its 80 % band and ROAS.

    Parameters
    ----------
    ev : FlightEvaluation

    Returns
    -------
    str
        ``"Plan: spend $X, expected revenue $Y in the horizon (80% interval: ...; ROAS 2.50)."``, and what
        carry-over earns after the horizon when counted. The spend is the plan's own, to the cent when it has
        cents (``$124,601.50``).
    """
    band = horizon_interval(ev.value.band)
    extra = [band] if band else []
    if ev.total_spend > 0:
        extra.append(f"ROAS {roas(ev.total_response / ev.total_spend)}")
    said = f" ({'; '.join(extra)})" if extra else ""
    later = f", and {money(ev.value.after_response)} after it from carry-over" if ev.after else ""
    return f"Plan: spend {money(ev.total_spend, cents=True)}, expected revenue {money(ev.total_response)} in the horizon{said}{later}."


def reading(ev: FlightEvaluation) -> list[str]:
    """Return the evaluation in sentences, as ``evaluate`` prints them.

    Parameters
    ----------
    ev : FlightEvaluation

    Returns
    -------
    list of str
        :func:`plan_sentence`, :func:`comparison_sentence` and, with a best plan, the amount no plan of the
        same spend over the horizon can pass (a proof).
    """
    out = [plan_sentence(ev), comparison_sentence(ev)]
    if ev.best is not None:
        out.append(f"No plan of this spend over this horizon can earn more than {money(ev.best.bound)}.")
    return out


def source_sentence(ev: FlightEvaluation) -> str:
    """Return the horizon in words and where the plan was read from.

    Parameters
    ----------
    ev : FlightEvaluation

    Returns
    -------
    str
        ``"Plan over time: 2027-01-01 to 2027-03-31 in 3 months (read from plan.xlsx, sheet 'By month':
        periods across the columns)."``
    """
    p = ev.plan
    where = f"{p.source}, sheet '{p.sheet}'" if p.sheet else p.source
    layout = f": {LAYOUTS[p.layout]}" if p.layout in LAYOUTS else ""
    return f"Plan over time: {ev.horizon.label()} (read from {where}{layout})."


def evaluation_figures(ev: FlightEvaluation) -> dict[str, str]:
    """Return the evaluation's headline figures as text.

    Parameters
    ----------
    ev : FlightEvaluation

    Returns
    -------
    dict of str to str
        ``spend`` (to the cent when it has cents), ``revenue`` (inside the horizon), ``interval`` (its 80 % band
        in words, or ""), ``best`` (what the best plan of the same spend over the same horizon earns; an em dash
        without one), ``gap``
        (signed: what it earns over the plan, and as a percent of the plan's; "" without a best plan),
        ``best_interval`` and ``roas`` (the plan's revenue per dollar of spend).
    """
    gap = ""
    if ev.best is not None:
        amount = money(0) if earns_as_much(ev) else signed_money(ev.gap)
        gap = f"{amount} ({pct(ev.gap / ev.plan_value, signed=True)})" if ev.plan_value > 0 else amount
    return {
        "spend": money(ev.total_spend, cents=True),  # the plan's own total, to the cent as typed
        "revenue": money(ev.total_response),
        "interval": horizon_interval(ev.value.band),
        "best": money(ev.best_value),
        "gap": gap,
        "best_interval": horizon_interval(ev.best.band) if ev.best is not None else "",
        "roas": roas(ev.total_response / ev.total_spend, per_dollar=True) if ev.total_spend > 0 else money(0),
    }


def _best_rows(ev: FlightEvaluation) -> pd.DataFrame:
    """Return the best plan's ``name, period, best_spend, best_response`` (empty without a best plan)."""
    if ev.best is None:
        return pd.DataFrame({"name": pd.Series(dtype=object), "period": pd.Series(dtype="datetime64[ns]"),
                             "best_spend": pd.Series(dtype=float), "best_response": pd.Series(dtype=float)})
    b = ev.best.table
    return pd.DataFrame({"name": b["name"].astype(str).to_numpy(), "period": pd.to_datetime(b["period"]).to_numpy(),
                         "best_spend": b["spend"].to_numpy(dtype=float),
                         "best_response": b["response"].to_numpy(dtype=float)})


def _labels(ev: FlightEvaluation, periods: pd.Series) -> list[str]:
    per = ev.horizon.periods()
    name = dict(zip(per["period"], per["label"], strict=True))
    return [name.get(pd.Timestamp(p), pd.Timestamp(p).date().isoformat()) for p in periods]


def _view(first: dict, spend, response, best_spend, best_response) -> pd.DataFrame:
    return pd.DataFrame({**first, PLAN_SPEND: np.round(np.asarray(spend, dtype=float), 2),
                         PLAN_REVENUE: np.asarray(response, dtype=float),
                         BEST_SPEND: np.round(np.asarray(best_spend, dtype=float), 2),
                         BEST_REVENUE: np.asarray(best_response, dtype=float)})


def _with_total(out: pd.DataFrame, label_column: str) -> pd.DataFrame:
    """Return ``out`` with a Total row: spends to the cent, the best plan's columns blank when they are blank."""
    total = {c: "" for c in out.columns if c not in SPEND_COLUMNS + REVENUE_COLUMNS}
    total[label_column] = TOTAL
    for c in SPEND_COLUMNS + REVENUE_COLUMNS:
        s = float(out[c].sum(min_count=1))
        total[c] = round(s, 2) if c in SPEND_COLUMNS else s
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def period_view(ev: FlightEvaluation) -> pd.DataFrame:
    """Return the plan and the best plan per period, with a Total row.

    Parameters
    ----------
    ev : FlightEvaluation

    Returns
    -------
    DataFrame
        ``Period`` (its label: ``Jan 2027``, ``Week of 2027-01-04``), ``Plan's spend`` (names not in the data
        included), ``Plan's expected revenue``, ``Best plan's spend``, ``Best plan's expected revenue``
        (NaN without a best plan); the last row ``Total``, its spend the plan's total spend to the cent.
    """
    per = ev.periods()
    out = _view({PERIOD: per["label"].astype(str).to_numpy()}, per["spend"], per["response"], per["best_spend"],
                per["best_response"])
    return _with_total(out, PERIOD)


def _joined(ev: FlightEvaluation) -> pd.DataFrame:
    """Return the plan's rows (names not in the data too) beside the best plan's, one per name and period."""
    rows = ev.rows()
    rows["name"] = rows["name"].astype(str)
    return rows.merge(_best_rows(ev), on=["name", "period"], how="left")


def network_period_view(ev: FlightEvaluation) -> pd.DataFrame:
    """Return the plan and the best plan per network and period, with a Total row.

    Parameters
    ----------
    ev : FlightEvaluation

    Returns
    -------
    DataFrame
        ``Network``, ``Period`` and the four money columns of :func:`period_view`; networks by the plan's
        spend (largest first), each network's periods in order; names not in the data under the network
        the plan gives them.
    """
    j = _joined(ev)
    g = j.groupby(["network", "period"], sort=False, as_index=False)[
        ["spend", "response", "best_spend", "best_response"]].sum(min_count=1)
    g = g.fillna({"spend": 0.0, "response": 0.0})
    if ev.best is not None:
        g = g.fillna({"best_spend": 0.0, "best_response": 0.0})
    order = g.groupby("network")["spend"].transform("sum")
    g = (g.assign(_total=order).sort_values(["_total", "network", "period"], ascending=[False, True, True],
                                            kind="stable").reset_index(drop=True))
    out = _view({"Network": g["network"].astype(str).to_numpy(), PERIOD: _labels(ev, g["period"])},
                g["spend"], g["response"], g["best_spend"], g["best_response"])
    return _with_total(out, "Network")


def row_view(ev: FlightEvaluation) -> pd.DataFrame:
    """Return the plan and the best plan per row of the curve table and period, with a Total row.

    Parameters
    ----------
    ev : FlightEvaluation

    Returns
    -------
    DataFrame
        ``Name``, ``Network``, ``Period``, the four money columns of :func:`period_view` and ``In the data``
        (``"yes"``, or ``"no"`` for a name the curve table lacks: its spend earns nothing); rows where neither
        plan spends nor earns are left out (the totals are unchanged).
    """
    j = _joined(ev)
    if ev.best is not None:
        j = j.fillna({"best_spend": 0.0, "best_response": 0.0})
    busy = j[["spend", "response", "best_spend", "best_response"]].fillna(0.0).abs().sum(axis=1) > 0
    j = j[busy | ~j["in_curves"].astype(bool)].reset_index(drop=True)
    out = _view({"Name": j["name"].to_numpy(), "Network": j["network"].astype(str).to_numpy(),
                 PERIOD: _labels(ev, j["period"])}, j["spend"], j["response"], j["best_spend"], j["best_response"])
    out["In the data"] = np.where(j["in_curves"].astype(bool), "yes", "no")
    return _with_total(out, "Name")
