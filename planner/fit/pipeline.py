"""Fit response curves from Datasets and return the curve table (DESIGN.md, contract 1).

:func:`fit_curves` takes any Datasets and returns a validated curve table.  Three kinds
of entity, three methods, each in its module:

* **Creators** (``kind == "attributed"``, ``entity != ""``): planner.fit.creator_rows.
  A creator's rows with one campaign id (else on one date) are one campaign: one point
  (fee paid, promo-code revenue) of a campaign's curve, through the origin; the period's
  curve is that of the creator's usual campaigns a quarter (column ``campaigns``).  Noise is multiplicative,
  so curves are fitted to log revenue; a campaign that returned nothing is not a tiny sale but
  lowers the creator's chance that a campaign sells, which its curve is multiplied by
  (planner.fit.sold_share; said in ``attrs["fit_notes"]``).  planner.fit.creators: spend in posts (fee per post; else thousands of
  followers), a prior over curve shapes of every form learned from all creators
  (empirical Bayes), each creator's posterior-mean shape, and its level pooled toward its
  network by planner.fit.pooling (``pooled_weight``, and ``pooling_note`` in plain
  words).  The fit on logs estimates the median; beta includes ``exp(sigma2 / 2)`` so
  the curve is the expected revenue.  ``beta_p10/beta_p90``: the posterior of the level
  plus the spread of the shape posterior (python -m planner.bench.fit reports how often
  they hold the truth).
* **Attributed paid media** (``entity == ""``): planner.fit.attributed.  The
  platform-attributed outcome summed to weeks per network, one curve through the origin
  per network, converted to the planning period: ``P * f_w(x / P)``.  Interval:
  moving-block bootstrap of the weeks.
* **Marketing mix** (``kind == "total"``): planner.fit.mmm, its rows by
  planner.fit.mmm_rows.

The columns every part writes are in planner.fit.table_rows; engagements per dollar,
when the data has them, in planner.fit.engagement.
"""

from __future__ import annotations

import pandas as pd

from planner.base.currency import COLUMN as CURRENCY_COLUMN
from planner.base.errors import InputError
from planner.curves.campaign_controls import EFFECT, HIGH, LOW, USUAL
from planner.curves.season import SEASON
from planner.curves.support import IN_TOTAL_COLUMN, widened
from planner.curves.table import validate_curves
from planner.data.currency_found import same_currency
from planner.fit.attributed import fit_attributed_networks
from planner.fit.budget import NOTES, TIME_BUDGET, Budget
from planner.fit.creator_rows import CAMPAIGNS, fit_creators
from planner.fit.engagement import COLUMN as ENGAGEMENT_COLUMN
from planner.fit.engagement import engagement_per_dollar, has_engagements
from planner.fit.lsq import one_thread
from planner.fit.mmm import MMMError, fit_mmm
from planner.fit.mmm_rows import PRIOR_WEIGHT, mmm_curve_rows
from planner.fit.table_rows import TABLE_COLUMNS

__all__ = ["FitError", "fit_curves", "EXPERIMENTS"]

EXPERIMENTS = "experiments"  # the curve table's attrs key: the experiments with the model's lifts (MMMResult.experiments)


class FitError(InputError):
    """Data that cannot be fitted; the message is one sentence for the user."""


def _experiments_by_dataset(datasets, experiments: pd.DataFrame | None) -> dict[int, pd.DataFrame]:
    """Return each marketing-mix dataset's experiments (by position); an experiment of no such network is an error."""
    if experiments is None or len(experiments) == 0:
        return {}
    if not isinstance(datasets, (list, tuple)):
        datasets = [datasets]
    owners: dict[str, int] = {}
    names: list[str] = []
    for i, ds in enumerate(datasets):
        if getattr(ds, "kind", None) == "total" and getattr(ds, "rows", None) is not None:
            for net in ds.rows["network"].astype(str).unique():
                owners.setdefault(net.casefold(), i)
                names.append(net)
    which = [owners.get(str(n).strip().casefold()) for n in experiments["name"]]
    lost = [str(n) for n, w in zip(experiments["name"], which, strict=True) if w is None]
    if lost:
        many = len(lost) > 1
        raise FitError(f"The {'experiments' if many else 'experiment'} on {', '.join(lost)} {'name' if many else 'names'} "
                       "no network of a marketing-mix table (weekly "
                       "spend per network with total sales); experiments calibrate that model. Networks: "
                       f"{', '.join(dict.fromkeys(names)) or 'none'}.")
    return {i: experiments[[w == i for w in which]].reset_index(drop=True) for i in set(which)}


def fit_curves(datasets, period_weeks: float = 13, n_boot: int = 100, seed: int = 0,
               progress=None, experiments: pd.DataFrame | None = None,
               time_budget: float | None = TIME_BUDGET) -> pd.DataFrame:
    """Fit one response curve per network / creator and return the curve table.

    Parameters
    ----------
    datasets : Dataset or list of Dataset
        Anything with ``kind`` ("attributed" or "total"), ``rows`` and ``outcome``
        (planner.data.dataset.Dataset).
    period_weeks : float
        Weeks in the planning period (13 = a quarter); every curve is the response
        to spend in one such period.
    n_boot : int
        Bootstrap refits for the intervals of network curves (attributed paid media
        and marketing mix).
    seed : int
        Seed of every random draw; the table is a pure function of the inputs.
    progress : callable, optional
        ``progress(fraction, text)``: what the fit is doing (``"weekly.xlsx: bootstrap refit 3 of 30 ..."``)
        and how far it is, from 0 to 1, as it goes.
    experiments : DataFrame, optional
        Measured lifts (planner.data.experiments.check_experiments) of the marketing-mix networks: each
        calibrates the model of the dataset whose network it names (planner.fit.mmm.fit_mmm).
    time_budget : float or None, default :data:`~planner.fit.budget.TIME_BUDGET` (120 s)
        Seconds the whole fit may take (None: no limit). Every curve is fitted whatever the time; past the
        budget a marketing-mix model leaves out its optional work (its test on held-out weeks, further
        starts, further bootstrap refits: planner.fit.mmm.fit_mmm) and says so.

    Returns
    -------
    DataFrame
        A validated curve table (planner.curves.table.validate_curves) with the
        contract columns and ``observed_min, observed_max`` (spend per planning period
        seen in the data: a creator's campaigns, a network's rolling P-week sums),
        ``n_obs`` (campaigns, or weeks), ``r2, mape`` (creators and attributed paid
        media: **in-sample**; marketing mix: on the **holdout**, the last 20 % of
        weeks, of the whole model), ``source`` ("creator campaigns", "marketing-mix",
        "attributed paid"), ``pooled_weight`` (0..1, how far a creator was pulled to
        its network's prior; 0 for networks), ``prior_weight`` (when there is a marketing mix: 0..1, how much of
        a network's return per dollar the pull toward the other networks decides rather than its weekly data; NaN
        for other rows), ``pooling_note`` (a sentence or two: how far
        a creator was pulled and why; for a marketing-mix network, how much of its return
        the weekly data determine rather than the pull toward the other networks),
        ``beta_p10, beta_p90`` (80 % interval of
        the curve's scale, so that ``response * beta_p10 / beta`` is a P10: for networks
        the block bootstrap of the response at recent spend, for the marketing mix
        widened to at least the Laplace interval; for creators the empirical-Bayes
        posterior of the level plus the spread of the shape posterior;
        planner.curves.intervals turns them into a plan's P10/P50/P90), ``current_spend`` (creators:
        spend in their last quarter with data; networks: the last P weeks), ``campaigns`` (when there are
        creators: a creator's campaigns in the planning period, NaN for networks; planner.fit.creator_rows),
        ``unit_cost`` (creators: median fee per post), ``max_spend`` (empty, unless
        the rows carry ``max_posts``: then posts x fee).
        When an attributed dataset reports engagements, also ``engagement_per_dollar``
        (planner.fit.engagement: engagements / spend; creators' rates pooled toward their
        network on the log scale; NaN, counted as 0 by the optimizer, where unknown).
        When the data states its currency (planner.data.currency_found), also ``currency``: its ISO code.
        The bands of network curves the data barely support (planner.curves.support: few weeks, spend that
        barely moved, a fit worse than a flat average, a band of no width) are widened to their error in the
        data. What a fit left out to keep within its time budget is said in a sentence at the end of the
        ``pooling_note`` of each curve it concerns and, per file, in ``attrs["fit_notes"]`` (a list of
        sentences; absent when nothing was left out). With ``experiments``, ``attrs["experiments"]`` holds each
        one with the model's lift over its window without and with them (``model_without``, ``model_with``).

    Raises
    ------
    FitError
        No dataset, an unknown kind, nothing to fit, two datasets giving the same
        entity, or datasets in two currencies.
    """
    if datasets is None:
        raise FitError("There is no data to fit curves to.")
    if not isinstance(datasets, (list, tuple)):
        datasets = [datasets]
    if len(datasets) == 0:
        raise FitError("There is no data to fit curves to.")
    tested = _experiments_by_dataset(datasets, experiments)
    mixed = same_currency([(str(getattr(ds, "source", "") or f"file {i + 1}"), getattr(ds, "currency", None))
                           for i, ds in enumerate(datasets)])
    if mixed:
        raise FitError(mixed)
    with one_thread():
        return _fit_all(datasets, period_weeks, n_boot, seed, progress, tested, Budget.of(time_budget))


def _fit_all(datasets, period_weeks, n_boot, seed, progress, tested, budget) -> pd.DataFrame:
    """Fit every dataset (see :func:`fit_curves`, which has checked them)."""
    parts, notes, tested_lifts = [], [], []
    say = progress or (lambda fraction, text: None)
    steps = [2 if getattr(ds, "kind", None) == "attributed" else 3 for ds in datasets]  # the model's work weighs more
    for i, ds in enumerate(datasets):
        kind = getattr(ds, "kind", None)
        rows = getattr(ds, "rows", None)
        if rows is None or len(rows) == 0:
            continue
        done, name = sum(steps[:i]) / sum(steps), str(getattr(ds, "source", "") or f"file {i + 1}")

        def step(fraction: float, text: str, i=i, done=done, name=name) -> None:
            say(done + fraction * steps[i] / sum(steps), f"{name}: {text}")

        if kind == "attributed":
            if "entity" not in rows.columns:
                rows = rows.assign(entity="")
            step(0.0, "one curve per creator, pooled toward its network")
            creators = fit_creators(rows, period_weeks, getattr(ds, "controls", None))
            notes += [f"{name}: {note}" for note in creators.attrs.get(NOTES, [])]  # campaigns that sold nothing
            parts.append(creators)
            step(0.5, f"one curve per network's paid media, with {n_boot} bootstrap refits for its interval")
            parts.append(fit_attributed_networks(rows, period_weeks, n_boot, seed + 7919 * i))
        elif kind == "total":
            try:
                res = fit_mmm(ds, seed=seed + 7919 * i, n_boot=n_boot, progress=step, experiments=tested.get(i),
                              time_budget=budget)
            except MMMError as exc:
                raise FitError(str(exc)) from exc
            parts.append(mmm_curve_rows(res, period_weeks))
            if len(res.experiments):
                tested_lifts.append(res.experiments)
            if res.unfinished:
                notes.append(f"{name}: {res.unfinished}")
        else:
            raise FitError(f"Cannot fit curves to data of kind {kind!r}; expected 'attributed' or 'total'.")
    parts = [p for p in parts if len(p)]
    if not parts:
        raise FitError("The data holds no spend with a result to fit curves to.")
    table = pd.concat(parts, ignore_index=True)
    dup = table["name"].duplicated()
    if dup.any():
        name = table.loc[dup, "name"].iloc[0]
        raise FitError(f"'{name}' is in more than one dataset; fit them separately or keep it in one.")
    say(1.0, "checking the curve table")
    table["n_obs"] = table["n_obs"].astype(int)
    columns = list(TABLE_COLUMNS)
    if CAMPAIGNS in table.columns and table[CAMPAIGNS].notna().any():  # creators: campaigns in the period
        columns.append(CAMPAIGNS)
    if PRIOR_WEIGHT in table.columns and table[PRIOR_WEIGHT].notna().any():  # the marketing mix: the pull's share
        columns.append(PRIOR_WEIGHT)
    columns += [c for c in SEASON if c in table.columns]  # a yearly wave in what paid media earns (curves.season)
    columns += [c for c in table.columns if str(c).startswith((EFFECT, USUAL, LOW, HIGH))]  # creators' controls
    if IN_TOTAL_COLUMN in table.columns and (table[IN_TOTAL_COLUMN] > 0).any():  # sales known per code only
        columns.append(IN_TOTAL_COLUMN)
    if has_engagements(datasets):  # engagements per $1 of each row (planner.fit.engagement)
        table[ENGAGEMENT_COLUMN] = engagement_per_dollar(table, datasets).to_numpy()
        columns.append(ENGAGEMENT_COLUMN)
    codes = [ds.currency for ds in datasets if getattr(ds, "currency", None)]
    if codes:  # the amounts' currency, for every reader of the table (planner.base.currency.currency_in)
        table[CURRENCY_COLUMN] = codes[0]
        columns.append(CURRENCY_COLUMN)
    # a curve the data barely support gets a band as wide as its error in the data, not one of no width
    table = validate_curves(widened(table[columns]), "fitted curve table")
    if notes:  # what was left out to keep within the time budget (planner.fit.budget)
        table.attrs[NOTES] = notes
    if tested_lifts:  # each experiment beside the model's lift over its window, without and with them
        table.attrs[EXPERIMENTS] = pd.concat(tested_lifts, ignore_index=True)
    return table
