"""A plan over time in words and tables: what it earns, how sure that is, and how the model times spend.

Reads a :class:`planner.flighting.FlightPlan`; the app's Plan over time page shows these sentences
and the table of spend per row and period (the workbook of :mod:`planner.report.sheets.flight_plan` too).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.format import interval_text, join_words, money, pct, selection_text, shown_mean, signed_money, things
from planner.base.names import is_creator
from planner.curves.season import peak, season_terms
from planner.flighting import FlightPlan, Horizon
from planner.flighting.availability import AVAILABLE, available_share
from planner.flighting.pattern import LastYear
from planner.flighting.problem import weekly_decay

__all__ = ["horizon_interval", "flight_headline", "proof_text", "flight_summary", "last_year_sentence", "last_year_figure", "model_note",
           "has_carry_over", "flight_table", "TOTAL", "rule_sentence", "availability_sentence",
           "season_sentence", "past_sentence", "baseline_frame", "baseline_sentence"]

TOTAL = "Total"
SAME = 0.5  # an amount that rounds to $0: the two plans earn the same
NAMED = 6  # networks with carry-over named in the note, at most


def _signed(x: float) -> str:
    """Return a difference between two plans' revenues in whole dollars, as the revenues are shown."""
    return signed_money(x, whole=True) if abs(x) >= SAME else money(0)


def horizon_interval(band: dict) -> str:
    """Return a plan over time's 80 % band in words (:mod:`planner.flighting.band`), or "".

    Parameters
    ----------
    band : dict
        ``FlightPlan.band`` or ``PlanValue.band``: ``p10, p50, p90, mean, allowance``; empty for none.

    Returns
    -------
    str
        :func:`~planner.base.format.interval_text` of it, with the mean where the band is lowered for the
        optimizer's curse (an allowance of half a dollar or more).
    """
    if not band:
        return ""
    return interval_text(band["p10"], band["p50"], band["p90"], shown_mean(band["mean"], band["allowance"]))


def proof_text(plan: FlightPlan) -> str:
    """Return how close to the best plan this one is proven to be: ``"proven within 0.5% of the best plan"``.

    Parameters
    ----------
    plan : FlightPlan

    Returns
    -------
    str
        ``"proven the best plan"`` when the bound is met, ``"proven within less than 0.1% ..."`` under a
        tenth of a percent.
    """
    gap = max(float(plan.gap), 0.0)
    if gap <= 1e-9:
        return "proven the best plan"
    if gap < 0.0005:
        return "proven within less than 0.1% of the best plan"
    return f"proven within {pct(gap)} of the best plan"


def flight_headline(plan: FlightPlan) -> dict[str, str]:
    """Return the plan's headline figures as text.

    Parameters
    ----------
    plan : FlightPlan

    Returns
    -------
    dict of str to str
        ``revenue`` (expected revenue inside the horizon), ``interval`` (its 80 % band in words, or ""; with the
        mean where the band is lowered for the optimizer's curse), ``selection`` (what that allowance is, or ""),
        ``after`` (what carry-over earns after the horizon, when counted, else ""), ``value`` (what the plan
        is judged by: the revenue, plus ``after`` when counted), ``spend``, ``budget``, ``over_even`` (signed:
        what this plan earns over the even plan), ``even`` (what the even plan earns), ``bound`` (no plan
        earns more), ``gap`` (that distance as a percent) and ``proof`` (:func:`proof_text`).
    """
    return {
        "revenue": money(plan.total_response),
        "interval": horizon_interval(plan.band),
        "selection": selection_text(plan.band.get("allowance")),
        "after": money(plan.after_response) if plan.after else "",
        "value": money(plan.value),
        "spend": money(plan.total_spend),
        "budget": money(plan.budget),
        "over_even": _signed(plan.over_even),
        "even": money(plan.even_response),
        "bound": money(plan.bound),
        "gap": pct(max(float(plan.gap), 0.0), decimals=2 if plan.gap < 0.0005 else 1),
        "proof": proof_text(plan),
    }


def has_carry_over(plan: FlightPlan) -> bool:
    """Return whether any row of the plan carries its effect over into later weeks (a ``decay`` above 0)."""
    return "decay" in plan.table and bool((pd.to_numeric(plan.table["decay"], errors="coerce") > 0).any())


def last_year_figure(last_year: LastYear) -> tuple[str, str] | None:
    """Return what the plan earns over last year's pattern (signed) and what the pattern is, for a headline figure.

    Parameters
    ----------
    last_year : LastYear
        :func:`planner.flighting.pattern.last_year` of the plan.

    Returns
    -------
    tuple of str, or None
        ``"+$596,011"`` (``"$0"`` when both earn the same) and a sentence saying what the pattern spends and
        earns; None when there is no pattern.
    """
    if last_year.over is None:
        return None
    p = last_year.pattern
    return _signed(last_year.over), (f"The same budget spread over the networks, creators and periods as your spend "
                                     f"was from {p.first.isoformat()} to {p.last.isoformat()}, valued on the same "
                                     f"model, earns {money(last_year.earns)}.")


def last_year_sentence(last_year: LastYear, after: bool = False) -> str:
    """Return the sentence that sets the plan beside last year's pattern of the same budget, or why there is none.

    Parameters
    ----------
    last_year : LastYear
        :func:`planner.flighting.pattern.last_year` of the plan.
    after : bool, default False
        Whether the plan counts what is earned after the horizon (said, as the other sentences say it).

    Returns
    -------
    str
        What the pattern earns and what this plan earns over it (or that it earns as much); without a pattern,
        the pattern's reason.
    """
    if last_year.over is None:
        return str(last_year.pattern.reason)
    p = last_year.pattern
    counted = " (after the horizon included)" if after else ""
    spread = (f"Spread over the networks, creators and periods as your spend was from {p.first.isoformat()} to "
              f"{p.last.isoformat()}, the same budget earns {money(last_year.earns)} on the same model{counted}")
    if abs(last_year.over) < SAME:
        return f"{spread}: as much as this plan."
    out = f"{spread}: this plan earns {_signed(last_year.over)} over last year's pattern."
    if last_year.timing is not None:
        mix = last_year.over - last_year.timing
        out += (f" Of that, {_signed(last_year.timing)} is timing (this plan's total per network and creator, spent "
                f"when each spent last year, earns that much less) and {_signed(mix)} the split of the budget between "
                "them.")
    return out


def flight_summary(plan: FlightPlan, last_year: LastYear | None = None) -> list[str]:
    """Return the plan's reading in three sentences: what it earns, against the even plan, and its proof.

    Parameters
    ----------
    plan : FlightPlan
    last_year : LastYear, optional
        :func:`planner.flighting.pattern.last_year` of the plan: when it has a pattern, a fourth sentence
        (:func:`last_year_sentence`) follows the even plan's.

    Returns
    -------
    list of str
        What the budget is expected to bring over the horizon (with its band, and after it when counted);
        what this plan earns over spending the same budget evenly; over last year's pattern, when given and
        there is one; the bound no plan can pass.
    """
    h = flight_headline(plan)
    n = len(plan.horizon.starts())
    unit = plan.horizon.period + ("s" if n != 1 else "")
    earns = (f"Spending {h['spend']} from {plan.horizon.start.isoformat()} to {plan.horizon.end.isoformat()} "
             f"({n} {unit}) is expected to bring {h['revenue']} of revenue in that time")
    if h["interval"]:
        earns += f" ({h['interval']})"
    if plan.after:
        earns += f", and {h['after']} more after it from the carry-over the plan leaves"
    earns += "."
    if h["selection"]:
        earns += " " + h["selection"]
    counted = " (after the horizon included)" if plan.after else ""
    if abs(plan.over_even) < SAME:
        why = "" if has_carry_over(plan) else ": without carry-over, when money is spent changes nothing"
        even = f"An even plan (same budget, same model) earns as much{counted}{why}."
    elif plan.over_even < 0 and plan.limits:
        n = plan.limits
        keeps = "does not keep the limit" if n == 1 else f"keeps none of the {n} limits"
        even = (f"An even plan (same budget, same model), which {keeps}, earns {h['even']}{counted}: "
                f"{money(-plan.over_even)} more, what the {'limit costs' if n == 1 else 'limits cost'}.")
    else:
        even = (f"That is {h['over_even']} over an even plan (same budget, same model){counted}, which earns "
                f"{h['even']}.")
    rule = rule_sentence(plan)
    if rule:
        proof = (f"No plan of this budget can earn more than {h['bound']}{counted}, even with flights of any "
                 f"length: this one is {h['proof']}.")
    else:
        proof = f"No plan of this budget can earn more than {h['bound']}{counted}: this one is {h['proof']}."
    out = [earns, even]
    if last_year is not None and last_year.over is not None:
        out.append(last_year_sentence(last_year, plan.after))
    return out + ([rule] if rule else []) + [proof]


def rule_sentence(plan: FlightPlan) -> str:
    """Return the shortest flight the plan keeps, in words ("" when none was asked for).

    Parameters
    ----------
    plan : FlightPlan

    Returns
    -------
    str
        ``"Paid media with carry-over runs in flights of at least 2 weeks, with pauses of at least 2 weeks
        between them; creators' posts are bookings, not flights."``, and the rows the limits left with shorter
        flights, named.
    """
    k = int(plan.min_flight)
    if k <= 1:
        return ""
    unit = plan.horizon.period + "s"
    out = (f"Paid media with carry-over runs in flights of at least {k} {unit}, with pauses of at least {k} "
           f"{unit} between them (a network may start late or stop early); creators' posts are bookings, "
           "not flights.")
    if plan.short_flights:
        out += (f" The limits per period leave shorter flights or pauses on {join_words(list(plan.short_flights))}: "
                "a minimum in a period where the rule would pause them.")
    return out


def model_note(plan: FlightPlan) -> str:
    """Return, in words, how the model decides when money is spent.

    Rows with carry-over (the curve table's ``decay``: the share of a week's effect that carries into the
    next week) are flighted: their spend goes to the periods where it earns most, counting what it carries
    into later ones. Creators' bookings are spread over the periods, since in this model a post earns the
    same whenever it runs. Without carry-over on any row the note says so: timing then changes nothing.

    Parameters
    ----------
    plan : FlightPlan

    Returns
    -------
    str
    """
    t = plan.table.drop_duplicates("name")
    decay = pd.to_numeric(t["decay"], errors="coerce").fillna(0.0).to_numpy() if "decay" in t else np.zeros(len(t))
    creators = np.asarray(is_creator(t["name"]), dtype=bool)
    carry = t[decay > 0].assign(decay=decay[decay > 0]).sort_values("decay", ascending=False)
    n_creators = int(creators.sum())
    booked = (f" {things(n_creators, 'creator')}' bookings are spread over the periods in whole posts, so some "
              "periods get more than others: in this model a post earns the same whenever it runs, so their timing "
              "does not change what they earn.") if n_creators else ""
    if carry.empty:
        return ("The fit has no carry-over: no network's spend keeps earning after the week it is spent, so when "
                "money is spent changes nothing and each network's paid media gets the same spend every week (a "
                "longer month gets more)." + booked)
    named = [f"{r.name} ({pct(r.decay, decimals=0)})" for r in carry.head(NAMED).itertuples()]
    if len(carry) > NAMED:
        named.append(f"{len(carry) - NAMED} more")
    note = (f"{join_words(named)} {'carries' if len(carry) == 1 else 'carry'} part of a week's effect into the next "
            "week (the share in brackets): "
            f"{'its' if len(carry) == 1 else 'their'} spend is flighted, moved to the periods where it earns most, "
            "counting what it carries into later ones.")
    flat = [str(n) for n, d, c in zip(t["name"], decay, creators, strict=True) if d <= 0 and not c]
    if flat:
        note += (f" {join_words(flat[:NAMED] + ([f'{len(flat) - NAMED} more'] if len(flat) > NAMED else []))} "
                 f"{'has' if len(flat) == 1 else 'have'} no carry-over: spread evenly over the weeks.")
    return note + booked


def flight_table(plan: FlightPlan) -> pd.DataFrame:
    """Return the plan's spend with a row per network's paid media and per creator, a column per period.

    Parameters
    ----------
    plan : FlightPlan

    Returns
    -------
    DataFrame
        ``Name, Network``, one column per period (its label, in order) and ``Total`` (money, numeric);
        networks by total spend, each network's paid media before its creators (largest first), then a
        ``Total`` row.
    """
    w = plan.wide("spend")
    labels = [c for c in w.columns if c not in ("name", "network")]
    out = pd.DataFrame({"Name": w["name"].astype(str), "Network": w["network"].astype(str)})
    for c in labels:
        out[c] = w[c].to_numpy(dtype=float)
    out[TOTAL] = out[labels].sum(axis=1)
    net_total = out.groupby("Network")[TOTAL].transform("sum")
    out = (out.assign(_net=net_total, _creator=np.asarray(is_creator(out["Name"]), dtype=bool))
           .sort_values(["_net", "Network", "_creator", TOTAL], ascending=[False, True, True, False], kind="stable")
           .drop(columns=["_net", "_creator"]).reset_index(drop=True))
    total = {"Name": TOTAL, "Network": "", **{c: float(out[c].sum()) for c in [*labels, TOTAL]}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def availability_sentence(curves: pd.DataFrame, horizon: Horizon) -> str:
    """Return the creators the plan books only part of the horizon, or not at all, in one sentence ("" for none).

    Parameters
    ----------
    curves : DataFrame
    horizon : Horizon

    Returns
    -------
    str
        ``"By the roster's dates, 3 creators are available for part of the horizon (booked then only) and 1 not
        at all (not booked): @a, @b, ..."``.
    """
    if not any(c in curves for c in AVAILABLE):
        return ""
    share = available_share(curves, horizon)
    share = np.where(weekly_decay(curves) > 0, 1.0, share)  # paid media with carry-over is not held to dates
    names = curves["name"].astype(str).to_numpy()
    part, none = names[(share > 0) & (share < 1)], names[share <= 0]
    if not len(part) and not len(none):
        return ""
    said = []
    if len(part):
        said.append(f"{len(part)} creator{'s are' if len(part) != 1 else ' is'} available for part of the horizon "
                    "(booked in those days only, up to the posts that part allows)")
    if len(none):
        said.append(f"{len(none)} {'are' if len(none) != 1 else 'is'} not available in it at all (not booked)")
    listed = [*part[:6], *none[:6]]
    more = len(part) + len(none) - len(listed)
    return ("By the roster's dates, " + " and ".join(said) + ": " + ", ".join(listed)
            + (f" and {more} more" if more > 0 else "") + ".")


def season_sentence(curves: pd.DataFrame) -> str:
    """Return, in words, the yearly wave the model found in what paid media earns ("" when it found none).

    Parameters
    ----------
    curves : DataFrame
        The curve table; ``season_sin``/``season_cos`` (:mod:`planner.curves.season`) on rows with carry-over.

    Returns
    -------
    str
        ``"The weekly data show Facebook, Instagram and TikTok earning more per dollar in some seasons: up to 32%
        above an average week around 4 April, and as much below around 4 October. The plan times spend by it."``,
        and for creators whose campaigns show a wave, a sentence that each is valued at its mean over the days it can post.
    """
    a, b = season_terms(curves)
    waves, carries = (a != 0) | (b != 0), weekly_decay(curves) > 0
    on = carries & waves
    flat = waves & ~carries  # creators: their campaigns' wave (planner.fit.campaign_season)
    names = curves["name"].astype(str).to_numpy()
    said = []
    for (sa, sb), idx in pd.Series(np.flatnonzero(on)).groupby([a[on], b[on]]):
        amp, top = peak(sa, sb)
        low = top + pd.Timedelta(days=182)
        who = join_words(list(names[idx.to_numpy()]))
        said.append(f"The weekly data show {who} earning more per dollar in some seasons: up to {pct(amp, 0)} above "
                    f"an average week around {top.day} {top:%B}, and as much below around {low.day} {low:%B}.")
    if said:
        said.append("The plan times spend by it.")
    if flat.any():
        amp, top = peak(float(np.median(a[flat])), float(np.median(b[flat])))
        low = top + pd.Timedelta(days=182)
        said.append(f"Creators' campaigns return more in some seasons: up to {pct(amp, 0)} above an average quarter "
                    f"around {top.day} {top:%B}, and as much below around {low.day} {low:%B}; each creator is valued "
                    "at its mean over the days of the horizon it can post.")
    return " ".join(said)


def past_sentence(horizon: Horizon, today) -> str:
    """Return what a horizon that has already started means for its plan ("" for one that starts after today).

    Parameters
    ----------
    horizon : Horizon
    today : date

    Returns
    -------
    str
        For a horizon over: the plan is what the best plan would have been; for one under way: the plan is from
        its first day, and the Pacing page re-plans what is left after the spend so far.
    """
    if horizon.start > today:
        return ""
    if horizon.end < today:
        return (f"This horizon ended on {horizon.end.isoformat()}: the plan is what the best plan would have been "
                "from its first day, on today's model; to set it against what was spent, load the spend on the "
                "Pacing page.")
    return (f"This horizon started on {horizon.start.isoformat()}, before today: the plan is from its first day, as "
            "if nothing had been spent yet. To re-plan what is left after the spend so far, use the Pacing page.")


def baseline_frame(plan: FlightPlan, baseline: np.ndarray) -> pd.DataFrame:
    """Return per period the sales expected without paid media, what this plan's paid media adds, and the sum.

    Parameters
    ----------
    plan : FlightPlan
    baseline : ndarray
        Sales without paid media per period of the plan's horizon (:class:`planner.fit.baseline_forecast.
        BaselineForecast` summed over the marketing-mix models fitted).

    Returns
    -------
    DataFrame
        ``Period``, ``Sales without paid media``, ``Paid media's revenue (this plan)``, ``Expected sales``, with a
        Total row. Paid media: the rows with carry-over (the weekly model's networks); creators' revenue is not
        added, as the weekly sales the model was fitted to hold it in the baseline.
    """
    t = plan.table
    paid = t[t["decay"] > 0].groupby("period", sort=True)["response"].sum()
    periods = plan.horizon.periods()
    paid = paid.reindex(periods["period"]).fillna(0.0).to_numpy(dtype=float)
    out = pd.DataFrame({"Period": periods["label"], "Sales without paid media": baseline,
                        "Paid media's revenue (this plan)": paid, "Expected sales": baseline + paid})
    total = {"Period": TOTAL, **{c: float(out[c].sum()) for c in out.columns[1:]}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def baseline_sentence(frame: pd.DataFrame) -> str:
    """Return what the baseline forecast is and what the plan adds to it, in words.

    Parameters
    ----------
    frame : DataFrame
        :func:`baseline_frame`.

    Returns
    -------
    str
    """
    total = frame.iloc[-1]
    lift = total["Paid media's revenue (this plan)"] / total["Sales without paid media"] \
        if total["Sales without paid media"] > 0 else float("nan")
    return (f"The weekly model expects {money(total['Sales without paid media'])} of sales over the horizon without "
            f"paid media (its baseline: the seasons it found, its trend held at the data's last level, no events "
            f"or promotions), and {money(total['Expected sales'])} with this plan's paid media"
            + (f" ({pct(lift, 0)} more)" if np.isfinite(lift) else "") + ". Creators' revenue is not added: the "
            "weekly sales the model was fitted to hold it in the baseline.")
