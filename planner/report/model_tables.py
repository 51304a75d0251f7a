"""The response curves as people read them: the curve table, its counts and forms, a marketing-mix model.

Each function takes the curve table (contract 1, planner.curves.table) or a model's
parameters and returns a DataFrame with readable column names (formats:
planner.report.display) or a short text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.format import join_words, money, pct
from planner.base.names import is_creator
from planner.curves.forms import marginal, response
from planner.curves.season import peak
from planner.curves.support import MOSTLY_PRIOR
from planner.report.display import column_numbers, is_finite_number, row_kinds

__all__ = ["pooled_text", "observed_range_text", "fit_words", "fit_warning", "fit_caption", "curve_view", "curve_counts", "mmm_view", "pulled_caption", "controls_view", "season_caption",
           "experiments_view", "experiments_text",
           "marginal_at_current", "model_text"]

FIT_WORDS = ((0.7, "good"), (0.4, "fair"), (0.0, "weak"))  # R² from which a fit reads so


def pooled_text(weight) -> str:
    """``0.4`` -> ``"pulled toward network average: 40%"``; empty for networks (0 or missing).

    Parameters
    ----------
    weight : float or None
        The row's ``pooled_weight``: the share of its curve pulled toward its network's average.

    Returns
    -------
    str
        The sentence fragment, or ``""`` when the weight is missing, not a number or at most 0.0005.
    """
    if not is_finite_number(weight) or float(weight) <= 0.0005:
        return ""
    return f"pulled toward network average: {pct(float(weight), decimals=0)}"


def observed_range_text(lo, hi) -> str:
    """``"$1,000 – $3,000"`` (one amount when equal; em dash when unknown).

    Parameters
    ----------
    lo, hi : float or None
        The least and most spend seen in the data, in dollars.

    Returns
    -------
    str
        Both amounts joined by an en dash; ``hi`` alone when they are within 50 cents; an em dash when
        neither is a number (a missing end shows as an em dash inside the range).
    """
    if not is_finite_number(lo) and not is_finite_number(hi):
        return "\u2014"
    if is_finite_number(lo) and is_finite_number(hi) and abs(float(hi) - float(lo)) < 0.5:
        return money(hi, whole=True)
    return f"{money(lo, whole=True)} \u2013 {money(hi, whole=True)}"


def fit_words(r2) -> str:
    """Say in words how well a curve fits its data, from its R².

    Parameters
    ----------
    r2 : float or None
        The row's ``r2`` (in-sample for creators and attributed paid media, on held-out weeks for the
        marketing mix).

    Returns
    -------
    str
        ``"good"`` from 0.7, ``"fair"`` from 0.4, ``"weak"`` from 0, ``"poor: worse than a flat average"``
        below 0, ``"not measured"`` when unknown.
    """
    if not is_finite_number(r2):
        return "not measured"
    for floor, words in FIT_WORDS:
        if float(r2) >= floor:
            return words
    return "poor: worse than a flat average"


def fit_warning(curves: pd.DataFrame) -> str:
    """Return a sentence naming the curves that fit worse than a flat average (R² below 0), or ``""``.

    Parameters
    ----------
    curves : DataFrame
        The curve table (``name`` and, when fitted, ``r2``).

    Returns
    -------
    str
        How many curves, the first five by name, and what it means for a plan.
    """
    r2 = column_numbers(curves, "r2")
    bad = [str(n) for n, v in zip(curves["name"], r2, strict=True) if is_finite_number(v) and v < 0]
    if not bad:
        return ""
    shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
    return (f"{len(bad)} curve{'s' if len(bad) != 1 else ''} predict the data worse than a flat average would "
            f"(R\u00b2 below 0): {shown}. Plans that move money into {'them' if len(bad) != 1 else 'it'} rest on "
            "little evidence; more weeks of data, or spend that varies more, would firm them up.")


def fit_caption(curves: pd.DataFrame) -> str:
    """Explain the Fit (R²) column for the kinds of curve the table holds (what each is scored on).

    Parameters
    ----------
    curves : DataFrame
        The curve table (``name`` and, when fitted, ``source``).

    Returns
    -------
    str
    """
    sources = set(curves["source"].astype(str)) if "source" in curves.columns else set()
    scored = []
    if is_creator(curves["name"]).any():
        scored.append("creators on the campaigns they were fitted to")
    if "attributed paid" in sources:
        scored.append("attributed paid media on the weeks it was fitted to")
    if "marketing-mix" in sources:
        scored.append("the marketing mix on the last 20% of weeks, held out")
    text = ("Fit (R\u00b2): the share of the ups and downs in the data that the curve explains, from 1 (all) down; "
            "0 explains no more than a flat average, below 0 less.")
    return text + (f" Scored: {join_words(scored)}." if scored else "")


def curve_view(curves: pd.DataFrame) -> pd.DataFrame:
    """Return the curve table as people read it, one row per network / creator.

    Columns: Name, Network, Curve, Current spend, ROAS at current spend,
    Next $1 at current spend, Observed spend range, Fit (R²), Fit (:func:`fit_words`), Pooling, Why
    (the pooling note), Data points, Source, Type ("Paid media" or "Creator"). Pooling is left out
    when no row was pulled toward its network (data without creators), Why when no row has a note.

    Parameters
    ----------
    curves : DataFrame
        The curve table; fitted columns (``observed_min``, ``observed_max``, ``r2``, ``pooled_weight``,
        ``pooling_note``, ``n_obs``, ``source``) are read when present, blank or NaN otherwise.

    Returns
    -------
    DataFrame
        One row per curve-table row, in its order. ROAS at current spend is NaN without spend today;
        Next $1 at current spend is NaN without a current spend or where the marginal is infinite.
    """
    names = curves["name"].astype(str)
    cur = column_numbers(curves, "current_spend")
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
        "Observed spend range": [observed_range_text(lo, hi) for lo, hi in zip(
            column_numbers(curves, "observed_min"), column_numbers(curves, "observed_max"), strict=True)],
        "Fit (R²)": column_numbers(curves, "r2"),
        "Fit": [fit_words(v) for v in column_numbers(curves, "r2")],
        "Pooling": [pooled_text(w) for w in column_numbers(curves, "pooled_weight")],
        "Why": (curves["pooling_note"].fillna("").astype(str).to_numpy()
                if "pooling_note" in curves.columns else ""),
        "Data points": pd.array([int(v) if is_finite_number(v) else None for v in column_numbers(curves, "n_obs")],
                                dtype="Int64"),
        "Source": curves["source"].astype(str).to_numpy() if "source" in curves.columns else "",
        "Type": row_kinds(names),
    })
    empty = [c for c in ("Pooling", "Why") if not out[c].astype(str).str.strip().any()]
    return out.drop(columns=empty)


def curve_counts(curves: pd.DataFrame) -> str:
    """``"66 response curves: 6 networks' paid media and 60 creators"``.

    Parameters
    ----------
    curves : DataFrame
        The curve table (its ``name`` column).

    Returns
    -------
    str
        The number of rows, then paid-media and creator rows (a part with none is left out).
    """
    c = int(is_creator(curves["name"]).sum())
    p = len(curves) - c
    parts = []
    if p:
        parts.append(f"{p} network{'s' if p != 1 else ''}' paid media")
    if c:
        parts.append(f"{c} creator{'s' if c != 1 else ''}")
    return f"{len(curves)} response curve{'s' if len(curves) != 1 else ''}: {join_words(parts)}"


def mmm_view(params: pd.DataFrame) -> pd.DataFrame:
    """Return a marketing-mix model's networks: Network, Contribution, Share of sales, Carry-over, Read from its data.

    Parameters
    ----------
    params : DataFrame
        The model's parameters per network: ``network`` and, where known, ``contribution`` (dollars),
        ``share``, ``decay`` and ``prior_weight`` (fractions).

    Returns
    -------
    DataFrame
        One row per network, the largest contribution first; a missing column is NaN. "Read from its data" is
        ``1 - prior_weight``: the share of the network's return per dollar its own weekly data decide, the rest
        being the pull toward the other networks' level.
    """
    return pd.DataFrame({
        "Network": params["network"].astype(str).to_numpy(),
        "Contribution": column_numbers(params, "contribution"),
        "Share of sales": column_numbers(params, "share"),
        "Carry-over": column_numbers(params, "decay"),
        "Read from its data": 1.0 - np.clip(column_numbers(params, "prior_weight"), 0.0, 1.0),
    }).sort_values("Contribution", ascending=False, ignore_index=True)


def pulled_caption(params: pd.DataFrame) -> str:
    """Name the networks whose effect the weekly data hardly tell apart from baseline sales, and what would.

    Parameters
    ----------
    params : DataFrame
        The model's parameters per network: ``network`` and ``prior_weight``.

    Returns
    -------
    str
        A sentence or two for the networks with a ``prior_weight`` of at least
        :data:`~planner.curves.support.MOSTLY_PRIOR`; ``""`` when there is none (or no ``prior_weight``).
    """
    w = column_numbers(params, "prior_weight")
    names = [str(n) for n, v in zip(params["network"], w, strict=True) if np.isfinite(v) and v >= MOSTLY_PRIOR]
    if not names:
        return ""
    one_net = len(names) == 1
    return (f"The weekly data hardly tell {join_words(names)} apart from baseline sales: "
            f"{'its' if one_net else 'their'} return per dollar is at least half the pull toward the other networks' "
            f"level and at most half {'its' if one_net else 'their'} own data, so plans that move money into or out "
            f"of {'it' if one_net else 'them'} rest on little evidence. A lift test of {'it' if one_net else 'them'} "
            "(Experiments, below) would tell.")


def controls_view(controls: pd.DataFrame) -> pd.DataFrame:
    """Return a marketing-mix model's controls: Control, Effect per unit, Contribution, Share of sales.

    Parameters
    ----------
    controls : DataFrame
        ``control, effect, contribution, share`` (planner.fit.mmm.MMMResult.controls).

    Returns
    -------
    DataFrame
        One row per control, the largest contribution (in size) first. An event's effect per unit is its
        effect in a week it happens; a negative contribution lowered sales.
    """
    out = pd.DataFrame({
        "Control": controls["control"].astype(str).to_numpy(),
        "Effect per unit": column_numbers(controls, "effect"),
        "Contribution": column_numbers(controls, "contribution"),
        "Share of sales": column_numbers(controls, "share"),
    })
    return out.iloc[np.argsort(-np.abs(out["Contribution"].to_numpy()), kind="stable")].reset_index(drop=True)


def experiments_view(tested: pd.DataFrame) -> pd.DataFrame:
    """Return each experiment beside the model's lift over its window: before and after it counted.

    Parameters
    ----------
    tested : DataFrame
        ``name, start, end, lift, lift_se, model_without, model_with`` (planner.fit.pipeline's
        ``attrs["experiments"]``, from planner.fit.mmm.MMMResult.experiments).

    Returns
    -------
    DataFrame
        Network, From, To (dates as text), Test (a holdout, or the money a heavy-up moved: ``spend_tested``),
        Measured lift, Standard error, "Model, without experiments", "Model, with them".
    """
    moved = column_numbers(tested, "spend_tested") if "spend_tested" in tested.columns else np.full(len(tested), np.nan)
    return pd.DataFrame({
        "Network": tested["name"].astype(str).to_numpy(),
        "From": pd.to_datetime(tested["start"]).dt.strftime("%Y-%m-%d").to_numpy(),
        "To": pd.to_datetime(tested["end"]).dt.strftime("%Y-%m-%d").to_numpy(),
        "Test": ["holdout (all its spend)" if not np.isfinite(m) else f"{money(m, whole=True)} of its spend"
                 for m in moved],
        "Measured lift": column_numbers(tested, "lift"),
        "Standard error": column_numbers(tested, "lift_se"),
        "Model, without experiments": column_numbers(tested, "model_without"),
        "Model, with them": column_numbers(tested, "model_with"),
    })


def experiments_text(tested: pd.DataFrame) -> str:
    """Return one sentence on how far the experiments moved the model (within how many standard errors).

    Parameters
    ----------
    tested : DataFrame
        As :func:`experiments_view` takes it.

    Returns
    -------
    str
        E.g. "Calibrated with 2 experiments: before them, the model was on average 1.8 standard errors from
        what they measured; after them, 0.4."
    """
    se = column_numbers(tested, "lift_se")
    lift = column_numbers(tested, "lift")
    before = np.abs(column_numbers(tested, "model_without") - lift) / se
    after = np.abs(column_numbers(tested, "model_with") - lift) / se
    n = len(tested)
    if n == 1:
        return (f"Calibrated with 1 experiment: before it, the model was {before[0]:.1f} standard errors from what it "
                f"measured; after it, {after[0]:.1f}.")
    return (f"Calibrated with {n:,} experiments: before them, the model was on average {np.nanmean(before):.1f} "
            f"standard errors from what they measured; after them, {np.nanmean(after):.1f}.")


def marginal_at_current(curves: pd.DataFrame) -> pd.Series:
    """Return on the next $1 per network at today's spend, highest first.

    A network's figure is the spend-weighted mean over all its rows with a spend
    today, paid media and creators alike: the same rows whose totals the plan moves
    (a figure from the paid media alone could call a network the worst place for
    the next dollar while the plan, through its creators, moves money toward it).
    A network with no spend today takes its paid media's figure at $0, if it has
    paid media; otherwise it is left out.

    Parameters
    ----------
    curves : DataFrame
        The curve table (``name``, ``network``, ``curve``, parameters and ``current_spend``).

    Returns
    -------
    Series of float
        Dollars of response per dollar, indexed by network.
    """
    cur = column_numbers(curves, "current_spend")
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


def model_text(curves: pd.DataFrame) -> str:
    """One line on the model behind a curve table, e.g. "66 response curves: ... (hill 30, log 20, ...)".

    Parameters
    ----------
    curves : DataFrame
        The curve table (``name``, ``curve`` and, when fitted, ``source``).

    Returns
    -------
    str
        :func:`curve_counts`, the count of each curve form, and the count of each source when the table
        has a ``source`` column; ends with a period.
    """
    forms = curves["curve"].astype(str).str.lower().value_counts()
    sources = (curves["source"].astype(str).value_counts() if "source" in curves.columns else pd.Series(dtype=int))
    text = curve_counts(curves) + "; curve forms: " + ", ".join(f"{k} {v}" for k, v in forms.items())
    if len(sources):
        text += "; fitted from " + ", ".join(f"{k} ({v})" for k, v in sources.items())
    return text + "."


def season_caption(season) -> str:
    """Return what the test for a yearly wave in the media effect found, in words ("" when it was not run).

    Parameters
    ----------
    season : planner.fit.seasonal_response.SeasonalResponse or None

    Returns
    -------
    str
        Found: how much more paid media earns at the wave's top and when; not found: why (under a year of weeks,
        no media effect, or a wave not beyond chance); the Plan over time page then places spend by carry-over alone.
    """
    if season is None:
        return ""
    weeks = f"{season.weeks:,.0f} weeks"
    if season.supported:
        amp, top = peak(season.sin, season.cos)
        return (f"Seasons in what paid media earns: the {weeks} show up to {pct(amp, 0)} more per dollar around "
                f"{top.day} {top:%B} than in an average week, and as much less half a year later; the Plan over time "
                "page places spend by it.")
    why = {"short": f"{weeks} are under a year, too few to tell",
           "no effect": "the model finds no media effect to vary",
           "weak": f"the {weeks} show no yearly wave beyond chance"}.get(season.reason, "it was not found")
    return (f"Seasons in what paid media earns: none assumed ({why}); the Plan over time page "
            "places spend by carry-over alone.")
