"""A what-if in words and as a table: the move, the plan with the rest held, the rest re-planned.

Reads a :class:`planner.analysis.whatif.WhatIf`; the app's Optimize page and ``python -m planner whatif``
show the same sentences and table.
"""

from __future__ import annotations

import pandas as pd

from planner.base.format import band_text, join_words, money, one, pct, roas, shown_mean, signed_money

__all__ = ["move_text", "held_text", "replanned_text", "what_if_table"]


def move_text(w) -> str:
    """Return the move in one sentence: ``"Instagram from $90,472 to $108,566 (+$18,094, +20.0%)."``.

    Parameters
    ----------
    w : WhatIf
        The what-if.

    Returns
    -------
    str
        The target (with "all its rows" for a network), its spend in the plan and in the what-if.
    """
    what = f"{w.target} (paid media and creators)" if w.kind == "network" else w.target
    change = f"{signed_money(w.moved)}"
    if w.before > 0:
        change += f", {pct(w.moved / w.before, signed=True)}"
    text = f"{what} from {money(w.before)} to {money(w.after)} ({change})."
    return " ".join([text, *w.notes])


def held_text(w) -> str:
    """Return what the plan earns with the move and every other row as it was.

    Parameters
    ----------
    w : WhatIf
        The what-if.

    Returns
    -------
    str
        The total spend and expected revenue, the gain against the plan, what each moved dollar returns, and
        the 80 % interval.
    """
    h = w.held
    text = (f"With every other row held, the plan spends {money(h.total_spend)} and is expected to return "
            f"{money(h.total_response)}, {signed_money(w.held_gain)} against the plan")
    if abs(w.moved) >= 0.5 and not w.locked:  # a lock moves its rows unevenly: no one return per dollar
        per = w.held_gain / w.moved
        if w.moved > 0:
            text += f": the extra {money(w.moved)} returns {roas(per)} per {one()}"
        else:
            text += f": the {money(-w.moved)} taken away was returning {roas(per)} per {one()}"
    band = band_text(h.response_p10, h.response_p50, h.response_p90, shown_mean(h.response_mean, h.selection_allowance),
                     h.selection_allowance)
    return text + (f". {band[0].upper() + band[1:]}" if band else ".")


def replanned_text(w) -> str:
    """Return what the best plan earns with the target held at its new spend, and which rows give way.

    Parameters
    ----------
    w : WhatIf
        The what-if.

    Returns
    -------
    str
        The re-planned expected revenue against the plan's and the networks whose spend moves most; or why
        the rest cannot be re-planned.
    """
    if w.replanned is None:
        return w.replan_error
    r = w.replanned
    gain = w.replan_gain
    text = (f"With the rest re-planned within the same budget of {money(w.base.budget)}, the best plan holding "
            f"{w.target} at {money(w.after)} is expected to return {money(r.total_response)}")
    if abs(gain) < 0.5:
        return text + ", as much as the plan: it already spends about this on " + f"{w.target}."
    text += f", {money(-gain)} less than the plan" if gain < 0 else f", {money(gain)} more than the plan"
    moves = w.by_network()
    moves = moves[moves["network"] != w.target] if w.kind == "network" else moves
    step = max(0.005 * float(w.base.budget), 1.0)
    give = moves[moves["replanned_change"] < -step].sort_values("replanned_change")
    take = moves[moves["replanned_change"] > step].sort_values("replanned_change", ascending=False)
    if w.moved > 0 and len(give):
        text += (": the money comes from " +
                 join_words([f"{n} ({signed_money(c)})" for n, c in zip(give["network"], give["replanned_change"],
                                                                       strict=True)][:3]))
    elif w.moved < 0 and len(take):
        text += (": the money goes to " +
                 join_words([f"{n} ({signed_money(c)})" for n, c in zip(take["network"], take["replanned_change"],
                                                                       strict=True)][:3]))
    band = band_text(r.response_p10, r.response_p50, r.response_p90, shown_mean(r.response_mean, r.selection_allowance),
                     r.selection_allowance)
    return text + (f". {band[0].upper() + band[1:]}" if band else ".")


def what_if_table(w) -> pd.DataFrame:
    """Return the spend per network: in the plan, with the rest held and with the rest re-planned.

    Parameters
    ----------
    w : WhatIf
        The what-if.

    Returns
    -------
    DataFrame
        ``Network, Plan, Rest held, Rest re-planned, Change, re-planned`` (money, numeric) with a Total row;
        the re-planned columns are empty when the rest cannot be re-planned.
    """
    g = w.by_network()
    out = pd.DataFrame({"Network": g["network"], "Plan": g["plan"], "Rest held": g["held"],
                        "Rest re-planned": g["replanned"], "Change, re-planned": g["replanned_change"]})
    total = {"Network": "Total", **{c: float(out[c].sum(min_count=1)) for c in out.columns[1:]}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
