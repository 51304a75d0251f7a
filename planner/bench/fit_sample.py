"""The data the fit benchmark scores: samples made by ``sample_data/generate.py``, and their truth.

The seeds are ones the tests do not use (they use 7, 8 and 9); each sample is the creator
campaigns and the weekly paid-media data as imported, with the true curves beside them.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.names import creator_names
from planner.curves.forms import get_form
from planner.data.experiments import check_experiments
from planner.data.ingest import load

__all__ = [
    "ROOT", "PEER_DATA", "SEEDS", "SPEED_SEEDS", "BUDGETS", "N_BOOT", "Sample", "generator", "make_sample",
    "rows_of", "lift_tests", "campaigns", "campaign_spend", "current_spend", "SEVERAL", "campaign_rows", "per_campaign",
]

ROOT = Path(__file__).resolve().parents[2]  # the repository
PEER_DATA = ROOT.parent / "shared" / "peer_data"
SEEDS = tuple(range(101, 131))
SPEED_SEEDS = tuple(range(201, 230))
BUDGETS = (0.5, 1.0, 2.0)  # multiples of last quarter's spend
N_BOOT = 100  # fit_curves' default
SEVERAL = (2, 3)  # the several-campaigns tracker: 2 to 3 campaigns a quarter per creator


def generator():
    """Return the sample generator, ``sample_data/generate.py``, as a module.

    Returns
    -------
    module
        ``sample_data/generate.py`` of the repository, loaded afresh and registered in
        ``sys.modules`` as ``"sample_data_generate"`` (unless a module of that name is
        there already).
    """
    spec = importlib.util.spec_from_file_location("sample_data_generate", ROOT / "sample_data" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, mod)
    spec.loader.exec_module(mod)
    return mod


@dataclass(frozen=True)
class Sample:
    """One generated data set: the two spreadsheets as imported, and the truth."""

    seed: int
    creators: object  # planner.data.dataset.Dataset (attributed)
    weekly: object  # planner.data.dataset.Dataset (total)
    truth: pd.DataFrame  # true_curves.csv
    true_weekly: pd.DataFrame  # true_weekly.csv, one row per component
    experiments: pd.DataFrame | None = None  # experiments.csv (one lift test per network), when asked for
    creator_shapes: str = "mixed"  # the mix the creators' true forms were drawn from (generate.creator_forms)


def make_sample(seed: int, out_dir: str | Path, campaigns_per_quarter: tuple[int, int] | None = None,
                controls: bool = False, experiments: bool = False, weekly_shapes: str = "s",
                creator_shapes: str = "mixed", heavy_ups: bool = False, unsold: bool = False,
                creator_season: bool = False, creator_promos: bool = False) -> Sample:
    """Generate the sample files for ``seed`` into ``out_dir`` and import them.

    Parameters
    ----------
    seed : int
        The generator's seed.
    out_dir : str or Path
        The folder the generator writes its files into.
    campaigns_per_quarter : (int, int) or None, default None
        None: one campaign a quarter (the shipped sample's tracker); ``(lo, hi)``: the
        several-campaigns tracker (``sample_data/generate.py``), whose truth has a column
        ``campaigns`` and is the quarter's response of that many even campaigns.
    controls : bool, default False
        Weekly data with an event column and a promotion column correlated with Instagram's spend
        (``sample_data/generate.py``).
    experiments : bool, default False
        Also one lift test per network (``Sample.experiments``, with its ``true_lift``).
    heavy_ups : bool, default False
        With ``experiments``, also one heavy-up test per network (rows with ``spend_tested``; the holdouts
        are the same with or without them).
    weekly_shapes : {"s", "concave"}, default "s"
        The weekly networks' true shapes: the profiles' (mostly S-shaped) or concave hills
        (``sample_data/generate.py``, ``CONCAVE_S``).
    creator_shapes : {"mixed", "concave"}, default "mixed"
        The creators' true forms: mostly S-shaped hills, or logistic and log only (``CONCAVE_CREATOR_FORMS``).
    unsold : bool, default False
        Some campaigns sell nothing (``UNSOLD_BETA``: each creator's chance); the truth is the expected revenue.
    creator_season : bool, default False
        Every campaign's revenue moved by a yearly wave (``CREATOR_SEASON``); the truth is the average quarter's.
    creator_promos : bool, default False
        Some campaigns run with a discount code, more often those of more posts (``CREATOR_PROMO_LIFT``; a column
        ``Discount %``); the truth is at the campaigns' mean lift.

    Returns
    -------
    Sample
        The creator campaigns and the weekly paid media as imported by
        :func:`planner.data.ingest.load`, ``true_curves.csv`` and ``true_weekly.csv``
        (one row per component, one column per parameter).
    """
    paths = generator().generate(out_dir, seed, campaigns_per_quarter=campaigns_per_quarter, controls=controls,
                                 experiments=experiments, weekly_shapes=weekly_shapes,
                                 creator_shapes=creator_shapes, heavy_ups=heavy_ups, unsold=unsold,
                                 creator_season=creator_season, creator_promos=creator_promos)
    tw = pd.read_csv(paths["true_weekly"]).pivot(index="component", columns="parameter", values="value")
    exp = pd.read_csv(paths["experiments"]) if "experiments" in paths else None
    return Sample(seed, load(paths["creator_campaigns"]), load(paths["weekly_paid_media"]),
                  pd.read_csv(paths["true_curves"]), tw, exp, creator_shapes)


def lift_tests(table: pd.DataFrame) -> pd.DataFrame:
    """Return a sample's lift tests as ``fit --experiments`` reads them: checked, without the truth's ``true_lift``.

    Parameters
    ----------
    table : DataFrame
        ``Sample.experiments`` (or some of its rows).

    Returns
    -------
    DataFrame
        As :func:`planner.data.experiments.check_experiments` returns it.
    """
    return check_experiments(table.drop(columns="true_lift"))


def rows_of(table: pd.DataFrame, names) -> pd.DataFrame:
    """Return the rows of a curve table for ``names``, in that order (a name may repeat).

    Parameters
    ----------
    table : DataFrame
        A curve table with unique ``name`` values.
    names : iterable of str
        The names wanted.

    Returns
    -------
    DataFrame
        One row per entry of ``names`` (index 0..n-1), ``name`` the first column.

    Raises
    ------
    KeyError
        When a name is not in ``table``.
    """
    return table.set_index("name").loc[list(names)].reset_index()


def campaigns(rows: pd.DataFrame) -> pd.DataFrame:
    """Return spend and outcome of every creator quarter with spend, indexed by curve name.

    With one campaign a quarter a quarter is a campaign; :func:`campaign_rows` gives campaigns.

    Parameters
    ----------
    rows : DataFrame
        Attributed rows as imported (``date, network, entity, spend, outcome``); rows
        of a network's paid media (``entity`` blank) are left out.

    Returns
    -------
    DataFrame
        Columns ``spend`` and ``outcome`` (dollars, summed over the campaign), one row
        per creator quarter with spend above 0, indexed by ``"Network/@handle"`` (a name
        repeats once per campaign).
    """
    return _sums(rows, lambda dates: dates.dt.to_period("Q"))


def _sums(rows: pd.DataFrame, period) -> pd.DataFrame:
    """Spend and outcome of each creator summed per ``period(dates)``, those with spend, indexed by curve name."""
    r = rows.loc[rows["entity"].fillna("").astype(str) != ""]
    camp = r.groupby([creator_names(r["network"], r["entity"]), period(pd.to_datetime(r["date"]))])[
        ["spend", "outcome"]].sum()
    return camp.loc[camp["spend"] > 0].droplevel(1)


def campaign_spend(rows: pd.DataFrame) -> pd.Series:
    """Return the spend of every creator quarter, indexed by curve name (what a quarterly curve is scored at).

    Parameters
    ----------
    rows : DataFrame
        Attributed rows as imported, as for :func:`campaigns`.

    Returns
    -------
    Series
        The ``spend`` column of :func:`campaigns`, in dollars.
    """
    return campaigns(rows)["spend"]


def current_spend(truth: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Return last quarter's spend by name (the truth's), or the fitted table's where it is zero.

    Parameters
    ----------
    truth : DataFrame
        The true curves with ``name`` and ``current_spend``.
    table : DataFrame
        The fitted curve table with ``name`` and ``current_spend``.

    Returns
    -------
    Series
        Dollars indexed by the truth's names; names with neither figure are left out.
    """
    cur = truth.set_index("name")["current_spend"].astype(float)
    fit = table.set_index("name")["current_spend"].astype(float).reindex(cur.index)
    return cur.where(cur > 0, fit).dropna()


def campaign_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Return spend and outcome of every creator campaign (a creator's rows on one date) with spend.

    The generator writes a campaign as one row on its start date, so a date is a campaign;
    :func:`campaigns` sums a creator's quarter instead.

    Parameters
    ----------
    rows : DataFrame
        The creator data's rows (``date, network, entity, spend, outcome``); paid media left out.

    Returns
    -------
    DataFrame
        ``spend`` and ``outcome`` in dollars, indexed by ``"Network/@handle"`` (a name repeats
        once per campaign), campaigns with spend only.
    """
    return _sums(rows, lambda dates: dates)


def per_campaign(truth: pd.DataFrame) -> pd.DataFrame:
    """Return the true curves of one campaign: the quarter's ``c * f(x / c)`` undone (c = ``campaigns``, else 1).

    Parameters
    ----------
    truth : DataFrame
        True quarterly curves (``curve, beta, k, s``; ``campaigns`` on the several-campaigns tracker).

    Returns
    -------
    DataFrame
        A copy with ``beta, k, s`` of a single campaign's response.
    """
    out = truth.copy()
    per_q = out["campaigns"].to_numpy(dtype=float) if "campaigns" in out else np.ones(len(out))
    for i, r in enumerate(out.itertuples(index=False)):
        beta, k, s = get_form(r.curve).repeat(r.beta, r.k, r.s, 1.0 / per_q[i])
        out.iloc[i, out.columns.get_loc("beta")] = float(beta)
        out.iloc[i, out.columns.get_loc("k")] = float(k)
    return out
