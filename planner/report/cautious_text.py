"""Words and tables of the cautious plan (:mod:`planner.analysis.cautious`), for the CLI and the app alike."""

from __future__ import annotations

import pandas as pd

from planner.base.format import money

__all__ = ["cautious_text", "cautious_networks", "caution_frontier"]


def cautious_text(cp) -> str:
    """Say what the cautious plan gains in P10 and what it costs, against the usual plan.

    Parameters
    ----------
    cp : CautiousPlan
        The plan kept and the usual plan (:func:`planner.analysis.cautious.highest_p10`).

    Returns
    -------
    str
        One or two sentences with the plans' P10, means and expected revenue on the fitted curves.
    """
    p, u = cp.plan, cp.usual
    head = ("Of the plans that discount each curve by its uncertainty, the one whose total has the highest 10th "
            "percentile")
    if cp.shade == 0:
        return (head + " is the usual plan: discounting the uncertain curves does not raise its P10 "
                f"({money(p.response_p10)}).")
    return (head + f" discounts them by {cp.shade:g} spreads: P10 {money(p.response_p10)} against "
            f"{money(u.response_p10)} for the usual plan, mean {money(p.response_mean)} against "
            f"{money(u.response_mean)}; on the curves as fitted it expects {money(p.total_response)} against "
            f"{money(u.total_response)}.")


def cautious_networks(cp) -> pd.DataFrame:
    """Return spend and expected revenue per network, usual plan beside cautious plan, in words for a table.

    Parameters
    ----------
    cp : CautiousPlan
        As :func:`cautious_text` takes it.

    Returns
    -------
    DataFrame
        ``Network, Usual plan, Cautious plan, Change`` (spend in money) and ``Expected revenue, usual`` and
        ``Expected revenue, cautious`` (on the fitted curves), largest usual spend first.
    """
    u = cp.usual.network_table.set_index("network")[["spend", "response"]]
    c = cp.plan.network_table.set_index("network")[["spend", "response"]].reindex(u.index).fillna(0.0)
    order = u["spend"].sort_values(ascending=False).index
    return pd.DataFrame({
        "Network": [str(n) for n in order],
        "Usual plan": [money(v) for v in u.loc[order, "spend"]],
        "Cautious plan": [money(v) for v in c.loc[order, "spend"]],
        "Change": [money(v) for v in c.loc[order, "spend"] - u.loc[order, "spend"]],
        "Expected revenue, usual": [money(v) for v in u.loc[order, "response"]],
        "Expected revenue, cautious": [money(v) for v in c.loc[order, "response"]],
    })


def caution_frontier(cp) -> pd.DataFrame:
    """Return ``cp.tried`` in words: ``Discount (spreads), P10, Median, Mean, Expected on the fitted curves, Kept``.

    One row per plan tried (the usual plan first), amounts in money, ``Kept`` ``"yes"`` on the plan kept.
    """
    t = cp.tried
    return pd.DataFrame({
        "Discount (spreads)": [f"{s:g}" for s in t["shade"]],
        "P10": [money(v) for v in t["p10"]], "Median": [money(v) for v in t["p50"]],
        "Mean": [money(v) for v in t["mean"]], "Expected on the fitted curves": [money(v) for v in t["expected"]],
        "Kept": ["yes" if s == cp.shade else "" for s in t["shade"]],
    })
