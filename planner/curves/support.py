"""Whether the data carry a curve, and a plan made on it: refuse to pretend.

An exact plan on a curve the data cannot support is a confident wrong plan. Each network curve of a
fitted table (paid media or marketing mix; creators are pooled toward their network, which is their
support) is checked for what the fit itself recorded:

- **too few periods**: fewer than :data:`MIN_PERIODS` weeks (or days) of the network's own data;
- **spend that barely varied**: the most spend seen under :data:`MIN_SPREAD` times the least, so the
  data say nothing about the curve's shape;
- **a fit worse than a flat average**: R² below 0 (on held-out weeks, for the marketing mix);
- **no measured uncertainty**: a band of no width, which says the data could not measure it, not that
  the curve is certain;
- **an effect the weekly data hardly tell apart from baseline sales**: a marketing-mix network whose return
  per dollar is at least :data:`MOSTLY_PRIOR` the other networks' level (its ``prior_weight``,
  planner.fit.mmm_rows) rather than its own data's.

:func:`support` gives the verdict: ``"sound"``; ``"thin"`` (a plan can be made, optimal for these curves
only, and is said to be); or ``"none"`` (no creator, and either every network has fewer than :data:`MIN_ANY`
periods or every network is the marketing mix's and its data decide less than :data:`OWN_LEAST` of their returns per
dollar on average, the rest being the model's pull: nothing can be said, no plan; PyMC-Marketing's case study of 10
channels and Meridian's national file are such data, where a lift test is what would let a plan be made). :func:`widened` widens the bands of the weak curves to what
is known (their error in the data, at least 30 %; 50 % for a fit worse than a flat average), never
narrowing one. Tables without fit columns (a curve table typed by hand) are taken as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.base.format import join_words, money
from planner.base.names import is_creator, network_of
from planner.curves.intervals import has_bands

__all__ = ["IN_TOTAL", "IN_TOTAL_COLUMN", "MIN_PERIODS", "MIN_ANY", "MIN_CAMPAIGNS", "MIN_SPREAD", "MOSTLY_PRIOR", "OWN_LEAST", "Support",
           "support", "widened"]

MIN_PERIODS = 8  # periods of a network's own data below which its curve's shape is a guess
IN_TOTAL = "their campaigns' sales known only in total per code (a promo-code report without dates)"
IN_TOTAL_COLUMN = "sales_in_total"  # curve table: 1 for a creator whose campaigns' sales are one sum per code
_NAMED = 6  # curves named in a sentence before "and N more"
MIN_CAMPAIGNS = 8  # a network's creators' campaigns in all below which their curves rest on a handful of campaigns
MIN_ANY = 4  # below this for every network (and no creator), nothing can be said
MIN_SPREAD = 1.25  # most spend seen / least spend seen below which the shape is not identified
MOSTLY_PRIOR = 0.5  # a marketing-mix network's prior_weight from which its return is more the pull than its data
OWN_LEAST = 0.1  # the data's mean share of the networks' returns (1 - prior_weight) below which no plan is made
_PULLED = "an effect the weekly data hardly tell apart from baseline sales"
_Z90 = 1.2815515655446004  # the 90th percentile of a standard normal


def _numbers(curves: pd.DataFrame, column: str) -> np.ndarray:
    if column not in curves.columns:
        return np.full(len(curves), np.nan)
    return pd.to_numeric(curves[column], errors="coerce").to_numpy(dtype=float)


@dataclass(frozen=True)
class Support:
    """What the data say about a curve table.

    Attributes
    ----------
    verdict : {"sound", "thin", "none"}
        Whether a plan can be made and called optimal (sound), made and said to rest on weak curves (thin),
        or not made at all (none).
    reasons : dict of str to tuple of str
        Each weak curve's name and its reasons in a few words ("2 periods of data").
    sentences : tuple of str
        The reasons grouped as sentences a manager reads; empty when sound.
    own : float
        For a table of marketing-mix networks only: the mean share of their returns per dollar their own data
        decide (``1 - prior_weight``); NaN otherwise.
    """

    verdict: str
    reasons: dict[str, tuple[str, ...]]
    sentences: tuple[str, ...]
    own: float = float("nan")

    @property
    def weak(self) -> tuple[str, ...]:
        """Return the names of the curves the data barely support."""
        return tuple(self.reasons)

    @property
    def pulled(self) -> tuple[str, ...]:
        """Return the marketing-mix networks whose effect the weekly data hardly tell apart from baseline sales."""
        return tuple(n for n, why in self.reasons.items() if _PULLED in why)

    @property
    def pull_decides(self) -> bool:
        """Return whether the networks' returns are nearly all the model's pull (``own`` under :data:`OWN_LEAST`).

        Then no plan is made, and a lift test, not more weeks, is what would let one be made.
        """
        return bool(self.own < OWN_LEAST)

    def headline(self) -> str:
        """Return the sentence that goes where the plan is shown; ``""`` when sound."""
        if self.verdict == "none" and self.pull_decides:
            pulled = self.pulled
            return ("The data cannot carry a plan: " + " ".join(self.sentences) + f" The weekly data decide "
                    f"{self.own:.0%} of the networks' returns per dollar; the rest, and so any plan, would be the "
                    "model's assumption. " + _lift_test(pulled, ("it" if len(pulled) == 1 else "them"),
                                                         " (an experiment given to the fit)", "; then plan."))
        if self.verdict == "none":
            return ("The data cannot carry a plan: " + " ".join(self.sentences) + " Load more weeks of data, with "
                    "spend that moves, to plan.")
        if self.verdict == "thin":
            n = len(self.reasons)
            return (f"Optimal for these curves only: the data barely support {n} of them. "
                    + " ".join(self.sentences))
        return ""

    def brief(self) -> str:
        """Return the verdict in a sentence or two for a page with little room; ``""`` when sound.

        E.g. "Optimal for these curves only: the data barely support Pinterest, TikTok, X and YouTube. A lift
        test of them would tell their effect apart from baseline sales."
        """
        if self.verdict == "sound":
            return ""
        weak = list(self.weak)
        named = join_words(weak[:4] + ([f"{len(weak) - 4} more"] if len(weak) > 4 else []))
        out = [f"{'The data cannot carry a plan' if self.verdict == 'none' else 'Optimal for these curves only'}: "
               f"the data barely support {named}."]
        pulled = self.pulled
        if pulled:
            one_net = len(pulled) == 1
            out.append(_lift_test(pulled, ("it" if one_net else "them") if len(pulled) == len(weak) else ""))
        return " ".join(out)

    def warning(self, *more: str) -> str:
        """Return the headline and the advice, then ``more`` (sentences that go with them); ``""`` when sound."""
        if self.verdict == "sound":
            return ""
        return " ".join(filter(None, (self.headline(), self.advice(), *more)))

    def advice(self) -> str:
        """Return what the weak curves' bands are and what would firm the curves up; ``""`` when sound.

        A lift test for the marketing-mix networks the weekly data hardly tell apart from baseline sales (an
        experiment calibrates the fit, planner.fit.mmm); more weeks of data, with spend that moves, for the
        others.
        """
        if self.verdict == "sound":
            return ""
        pulled = self.pulled
        out = ["Their bands are widened to what the data know."]
        totals = {n for n, why in self.reasons.items() if why == (IN_TOTAL,)}  # weak for the report alone
        if any(IN_TOTAL in why for why in self.reasons.values()):
            out.append("A promo-code report by day would give each campaign its own sales.")
        if pulled:
            out.append(_lift_test(pulled, aside=" (an experiment given to the fit)"))
        if totals and len(pulled) + len(totals) == len(self.reasons):
            out.append("Plan with care.")
        elif len(pulled) < len(self.reasons):
            creators_only = all(is_creator([n])[0] for n in self.reasons if n not in pulled)
            if pulled:
                out.append("More of the creators' campaigns would firm up the others." if creators_only else
                           "More weeks of data, with spend that moves, would firm up the others.")
            else:
                out.append("Plan with care, or load more of the creators' campaigns." if creators_only else
                           "Plan with care, or load more weeks of data, with spend that moves.")
        return " ".join(out)


def _lift_test(pulled, who: str = "", aside: str = "", end: str = ".") -> str:
    """Return the remedy for networks the weekly data hardly tell from baseline sales: named, or ``who``."""
    return (f"A lift test of {who or join_words(pulled)}{aside} would tell {'its' if len(pulled) == 1 else 'their'} "
            f"effect apart from baseline sales{end}")


def support(curves: pd.DataFrame) -> Support:
    """Judge whether the data behind a fitted curve table carry a plan.

    Parameters
    ----------
    curves : DataFrame
        A curve table; the fit's ``n_obs``, ``r2``, ``observed_min``, ``observed_max``, ``beta_p10``,
        ``beta_p90``, ``source`` and ``prior_weight`` are read where present.

    Returns
    -------
    Support
    """
    names = curves["name"].astype(str).to_numpy()
    network = ~is_creator(names)
    n = _numbers(curves, "n_obs")
    r2 = _numbers(curves, "r2")
    lo, hi = _numbers(curves, "observed_min"), _numbers(curves, "observed_max")
    beta, p10, p90 = _numbers(curves, "beta"), _numbers(curves, "beta_p10"), _numbers(curves, "beta_p90")
    pulled = _numbers(curves, "prior_weight")
    mmm = (curves["source"].astype(str).to_numpy() == "marketing-mix") if "source" in curves else np.zeros(len(names),
                                                                                                            bool)
    reasons: dict[str, tuple[str, ...]] = {}
    for i in np.flatnonzero(network):
        why = []
        if np.isfinite(n[i]) and n[i] < MIN_PERIODS:
            why.append(f"{int(n[i])} week{'s' if int(n[i]) != 1 else ''} of data")
        if np.isfinite(lo[i]) and np.isfinite(hi[i]) and hi[i] > 0 and hi[i] < MIN_SPREAD * lo[i]:
            # the curve's spends are a quarter's, not the file's rows': said, so $1,188 in a week is not misread
            why.append(f"spend that never moved ({money(hi[i], whole=True)} a quarter)" if hi[i] - lo[i] < 0.5 else
                       f"spend that barely moved ({money(lo[i], whole=True)} to {money(hi[i], whole=True)} a quarter)")
        if np.isfinite(r2[i]) and r2[i] < 0:
            why.append(f"a fit worse than a flat average (R² {r2[i]:.2f}{' on held-out weeks' if mmm[i] else ''})")
        if np.isfinite(p10[i]) and np.isfinite(p90[i]) and p90[i] - p10[i] <= 1e-9 * max(abs(beta[i]), 1.0):
            why.append("no measured uncertainty")
        if mmm[i] and np.isfinite(pulled[i]) and pulled[i] >= MOSTLY_PRIOR:
            why.append(_PULLED)
        if why:
            reasons[names[i]] = tuple(why)
    reasons.update(_few_campaigns(curves, names, network, n))
    if IN_TOTAL_COLUMN in curves:  # a promo-code report of totals: the campaigns' sales are one sum per code
        total = np.nan_to_num(_numbers(curves, IN_TOTAL_COLUMN)) > 0
        for name in names[total & ~network]:
            reasons[name] = (*reasons.get(name, ()), IN_TOTAL)
    own = float(np.mean(1.0 - pulled)) if len(names) and network.all() and mmm.all() and np.isfinite(pulled).all() else float("nan")
    if not reasons:
        return Support("sound", {}, (), own)
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, why in reasons.items():
        groups.setdefault(why, []).append(name)
    sentences = []
    for why, who in groups.items():
        shown = who if len(who) <= _NAMED else [*who[:_NAMED - 1], f"{len(who) - _NAMED + 1} more"]
        sentences.append(f"{join_words(shown)}: {', '.join(why)}.")
    nets = network & np.isfinite(n)
    none = bool(nets.any() and network.all() and (n[nets] < MIN_ANY).all())
    none |= bool(not network.any() and np.isfinite(n).any() and np.nansum(n) < MIN_ANY)  # a handful of campaigns
    judged = Support("thin", reasons, tuple(sentences), own)
    return replace(judged, verdict="none") if none or judged.pull_decides else judged


def _few_campaigns(curves: pd.DataFrame, names: np.ndarray, network: np.ndarray, n: np.ndarray) -> dict:
    """Return the creators of a network whose campaigns number fewer than :data:`MIN_CAMPAIGNS` in all, with why.

    A creator's curve leans on its network's other creators (their pooling); a network of a handful of campaigns
    has little to lean on, and a plan that books many posts of a creator seen once rests on that one campaign.
    """
    creators = ~network & np.isfinite(n)
    if not creators.any():
        return {}
    nets = (curves["network"].astype(str).to_numpy() if "network" in curves
            else np.array([network_of(x) for x in names], dtype=object))
    out = {}
    for net in dict.fromkeys(nets[creators]):
        rows = creators & (nets == net)
        k, m = int(rows.sum()), int(np.nansum(n[rows]))
        if m >= MIN_CAMPAIGNS:
            continue
        why = (f"{k} {net} creators with {m} campaign{'s' if m != 1 else ''} between them" if k > 1 else
               f"1 {net} creator with {m} campaign{'s' if m != 1 else ''}")
        out.update({name: (why,) for name in names[rows]})
    return out


def widened(curves: pd.DataFrame, judged: Support | None = None) -> pd.DataFrame:
    """Return a copy of ``curves`` whose weak curves' bands are at least as wide as their error in the data.

    Parameters
    ----------
    curves : DataFrame
        A curve table with ``beta_p10`` and ``beta_p90`` (returned unchanged without them).
    judged : Support, optional
        :func:`support` of ``curves`` (computed when not given).

    Returns
    -------
    DataFrame
        Each weak curve's ``beta_p10``/``beta_p90`` at least ``beta x exp(-/+ 1.28 rel)``, ``rel`` its in-sample
        error (``mape``) and at least 0.3, or 0.5 for a fit worse than a flat average; no band is narrowed.
    """
    judged = judged or support(curves)
    if not judged.reasons or not has_bands(curves):
        return curves
    out = curves.copy()
    rows = out["name"].astype(str).isin(judged.reasons).to_numpy()
    beta = _numbers(out, "beta")
    mape = np.nan_to_num(_numbers(out, "mape"), nan=0.0)
    worse = np.nan_to_num(_numbers(out, "r2"), nan=0.0) < 0
    rel = np.maximum(np.maximum(mape, 0.3), np.where(worse, 0.5, 0.0))
    p10, p90 = _numbers(out, "beta_p10"), _numbers(out, "beta_p90")
    low = beta * np.exp(-_Z90 * rel)
    high = beta * np.exp(_Z90 * rel)
    out["beta_p10"] = np.where(rows, np.fmin(p10, low), p10)
    out["beta_p90"] = np.where(rows, np.fmax(p90, high), p90)
    return out
