"""Marketing-mix regression for data with the outcome only in total.

Model, one step per week (or per data period when the data is coarser)::

    sales_t = c0 + c1 * trend_t + sum_{j=1..J} (a_j sin(2 pi j t / 52.18) + b_j cos(2 pi j t / 52.18))
              + sum_n beta_n * hill(A_n,t; k_n, s_n) + noise

    A_n,t = decay_n * A_n,t-1 + (1 - decay_n) * spend_n,t        (normalised geometric adstock)

The adstock is *normalised* (its weights sum to one), so a constant weekly spend
``w`` settles at ``A = w`` and its long-run weekly response is ``beta * hill(w; k, s)``;
a planning period of P weeks therefore has the curve ``P * f_w(x / P)``: a hill with
``beta * P`` and ``k * P`` (s unchanged).  The adstock starts from the mean spend of
the first eight weeks, as if spend had been running at that level before the data.

Baseline: intercept, linear trend and J yearly Fourier pairs, J = one per half year
of data, at most 6 (none below a year), and the data's controls (events, promotions,
price, competitors, sentiment, organic media: ``Dataset.controls``), each a linear term
with a free sign, scaled by its largest absolute value so that an event's coefficient is
its effect in the weeks it happens. A control that never varies is left out and said.  Two pairs cannot follow a holiday peak a few
weeks wide, which then leaks into the networks that spend more in Q4; on the sample
data the median error of the fitted curves fell from 35 % with two pairs to 17 % with six.

Fit: bounded nonlinear least squares (Levenberg-Marquardt on the normal equations,
planner.fit.lsq; analytic Jacobian; the model's residuals in planner.fit.mmm_model)
from four deterministic starts, penalised by mild Gaussian priors (a ridge penalty,
in units of the residual noise) on every network: ``decay ~ N(0.3, 0.2)``,
``log k ~ N(log mean spend, 0.5)``, ``s ~ N(1, 0.75)``, ``beta ~ N(0, 0.3 x mean
sales)``, and hierarchical priors across networks, their common values fitted: each
network's log ROAS at its mean spend ~ N(common level, 0.5), its s ~ N(common s, 0.3)
and its log(k / mean spend) ~ N(common, 0.3).  Networks whose spend barely moves sales
are thereby pulled toward the others' return per dollar instead of swallowing
baseline (on four generated data sets this halved the error of the small networks),
and toward the others' shape instead of bending their curve where the data cannot see
(on 31 generated data sets the regret of the plan fell from 3.2 % to 1.9 %, its worst
case from 10 % to 4 %).  ``params.prior_weight`` says how much of a network's return
per dollar the pull decides rather than its own data (posterior over prior variance).  The decay's prior is
PyMC-Marketing's default for geometric adstock in spread and place (Beta(1, 3): mean 0.25, sd 0.19); with
N(0.3, 0.4) a network whose data hardly show its carry-over took any decay up to the bound, and a lift test
over a window then moved the carry-over instead of the curve (on planner.bench.fit's held-out seeds 131-160
the median error of the weekly curves fell from 25.6 % to 21.0 %, with one lift test per network from 13.7 %
to 11.6 %; regret at half budget from 5.5 % to 4.8 %, at 1x and 2x the same).  Bounds: decay in [0, 0.8], s in [0.5, 3], k within 1/20..20 times
the network's mean spend.

The last 20 % of weeks are held out for R² and MAPE, then the model is refitted on
all weeks.  Uncertainty: moving-block bootstrap of the residuals (blocks of 8
weeks), each lift test redrawn within its standard error (it is a measurement with an error
of its own, not a fact the refits share), each refit warm-started at the estimate; the 80 % interval of each network's
response at its recent spend is widened to at least the Laplace interval of the
penalised fit (the bootstrap alone covered the truth 54 % of the time on generated
data, the widened interval 92 %).

Speed: a step costs the weeks' ``J'J`` and one Cholesky, on one BLAS thread; the adstock of every
network is one pass over the weeks. 100 networks over 156 weeks with 30 bootstrap refits fit in
about 12 s on 2 cores (``python -m planner.bench.fit_wide``; scipy's trust-region solver took over
ten minutes), the sample's six networks in about a second. Time budget (``time_budget``,
planner.fit.budget): past it the fit leaves out its test on held-out weeks, further starts and
further bootstrap refits, and ``MMMResult.unfinished`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit

from planner.data.experiments import SPEND_TESTED
from planner.fit.baseline_forecast import BaselineForecast
from planner.fit.budget import Budget, unfinished_note
from planner.fit.lsq import one_thread
from planner.fit.mmm_inputs import MMMError, baseline_design, model_lifts, wide, windows
from planner.fit.mmm_model import TAU_ROAS, Model
from planner.fit.seasonal_response import SeasonalResponse, fit_seasons
from planner.fit.weekly import adstock, weekly_steps

__all__ = ["MMMResult", "MMMError", "fit_mmm", "weekly_steps", "adstock"]

BLOCK = 8
_MIN_STEPS = 26
_BOOT_NFEV = 40  # function evaluations of a warm-started bootstrap refit
_Z90 = 1.2815515655446004


@dataclass(frozen=True)
class MMMResult:
    """A fitted marketing-mix model.

    Attributes
    ----------
    params : DataFrame
        One row per network: ``network, decay, beta, k, s`` (weekly units: beta in
        outcome per week, k in spend per week), ``beta_p10, beta_p90`` (bootstrap
        80 % interval of the curve's scale at the recent weekly spend),
        ``contribution`` (outcome attributed over all weeks), ``share`` of the
        total outcome and ``prior_weight`` (0..1: how much of the network's return
        per dollar comes from the prior that pulls it toward the other networks'
        rather than from its own data, the posterior over the prior variance of its
        log return; near 1 the data cannot tell its effect apart from baseline sales).
    decomposition : DataFrame
        ``date, actual, fitted, baseline`` and one column per network (its weekly
        contribution); all-weeks fit.
    r2_train, r2_holdout, mape_holdout : float
        Fit on the first 80 % of weeks, scored on them and on the last 20 %.
    r2_all : float
        In-sample R² of the final model fitted on all weeks.
    spend : DataFrame
        ``date`` and weekly spend per network as modelled.
    weeks_per_step : float
        1 for weekly data.
    sigma : float
        Residual standard deviation (outcome units).
    controls : DataFrame
        One row per control the model used: ``control``, ``effect`` (outcome per week per unit of the control,
        as the file writes it), ``contribution`` (over all weeks: its effect times its values) and ``share`` of the
        total outcome; its weekly contribution is a column of ``decomposition``. Empty without controls.
    unused_controls : tuple of str
        Controls of the data left out because they never vary.
    experiments : DataFrame
        The experiments that calibrated the model: ``name, start, end, lift, lift_se`` (and ``spend_tested`` where
        given) and the model's own lift over each window, ``model_without`` and ``model_with`` them. Empty
        without experiments.
    unfinished : str
        What the fit left out to keep within its time budget, in a sentence (planner.fit.budget); ``""``
        when it did everything.
    season : SeasonalResponse or None
        The media effect's yearly wave and whether the data support it (planner.fit.seasonal_response).
    baseline : BaselineForecast or None
        The baseline's terms, to forecast sales without paid media (planner.fit.baseline_forecast).
    """

    params: pd.DataFrame
    decomposition: pd.DataFrame
    r2_train: float
    r2_holdout: float
    mape_holdout: float
    r2_all: float
    spend: pd.DataFrame
    weeks_per_step: float
    sigma: float
    controls: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["control", "effect", "contribution", "share"]))
    unused_controls: tuple[str, ...] = ()
    experiments: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["name", "start", "end", "lift", "lift_se", "model_without", "model_with"]))
    unfinished: str = ""
    season: SeasonalResponse | None = None
    baseline: BaselineForecast | None = None


def _laplace_sd(model: Model, th, mask, y, sigma, wref) -> np.ndarray:
    """Posterior sd (Laplace) of each network's log weekly response at spend ``wref``."""
    cov = np.linalg.pinv(model.normal(th, mask, y, sigma)[1])
    _, beta, _, lk, s = model.split(th)
    q = 1.0 - expit(s * (np.log(wref) - lk))
    ar = np.arange(model.N)  # the log level's gradient: by beta, log k and s of its network
    idx = np.column_stack((model.sl_beta.start + ar, model.sl_k.start + ar, model.sl_s.start + ar))
    g = np.column_stack((1.0 / beta, -q * s, q * (np.log(wref) - lk)))
    var = np.einsum("na,nab,nb->n", g, cov[idx[:, :, None], idx[:, None, :]], g)
    return np.sqrt(np.maximum(var, 0.0))


def _r2(y, yhat) -> float:
    sst = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - float(np.sum((y - yhat) ** 2)) / sst if sst > 0 else float("nan")


def _block_resample(e: np.ndarray, rng: np.random.Generator, block: int = BLOCK) -> np.ndarray:
    n = len(e)
    block = max(1, min(block, n))
    starts = rng.integers(0, n - block + 1, size=int(np.ceil(n / block)))
    idx = (starts[:, None] + np.arange(block)[None, :]).ravel()[:n]
    return e[idx]


def fit_mmm(dataset, holdout: float = 0.2, seed: int = 0, n_boot: int = 30, progress=None,
            experiments: pd.DataFrame | None = None, time_budget: float | Budget | None = None) -> MMMResult:
    """Fit the marketing-mix model of a ``kind == "total"`` dataset.

    Parameters
    ----------
    dataset : Dataset
        ``rows`` (date, network, spend) and ``outcome`` (date, outcome).
    holdout : float
        Share of the last weeks held out for ``r2_holdout``/``mape_holdout`` before the
        final fit on all weeks (0 = no holdout).
    seed : int
        Seed of the bootstrap; the fit itself is deterministic.
    n_boot : int
        Block-bootstrap refits for ``beta_p10/beta_p90`` (0 = no interval).
    progress : callable, optional
        ``progress(fraction, text)``: called as the fit goes (the fit on the training weeks, the fit on
        all weeks, each bootstrap refit), ``fraction`` from 0 to 1.
    experiments : DataFrame, optional
        Measured lifts (planner.data.experiments.check_experiments: ``name, start, end, lift, lift_se`` and,
        for a test that moved only part of the window's spend, ``spend_tested``) of
        this data's networks: each is evidence on the model's lift of that network over its window (the
        window's outcome minus that with no spend in it), weighted by its standard error, in every fit
        (training weeks, all weeks, each bootstrap refit). ``MMMResult.experiments`` gives the model's lift
        of each, without and with them.
    time_budget : float or Budget, optional
        Seconds the fit may take from now, or the :class:`~planner.fit.budget.Budget` of a larger fit it is part
        of (None: no limit). Past it the fit does only what a curve needs: the
        fit on all weeks from the first start (the warm one from the training weeks, when they were
        fitted); it does not start the test on held-out weeks, further starts or further bootstrap
        refits, and ``MMMResult.unfinished`` says in a sentence what it left out.

    Returns
    -------
    MMMResult

    Raises
    ------
    MMMError
        When there is no total outcome, no network has any spend, or fewer than 26
        periods have a total outcome.
    """
    budget = Budget.of(time_budget)
    with one_thread():
        return _fit(dataset, holdout, seed, n_boot, progress, experiments, budget)


def _fit(dataset, holdout, seed, n_boot, progress, experiments, budget: Budget | None) -> MMMResult:
    spend, y_raw, wps, ctrl = wide(dataset)
    T, N = spend.shape
    say = progress or (lambda fraction, text: None)
    share = 0.5 if n_boot > 0 else 1.0  # of the work: the fits; the rest is the bootstrap
    say(0.0, f"fitting the marketing-mix model of {N} networks over {T} periods")
    obs = y_raw.notna().to_numpy()
    if obs.sum() < _MIN_STEPS:
        raise MMMError(
            f"The marketing-mix model needs at least {_MIN_STEPS} periods with a total outcome; "
            f"the data has {int(obs.sum())}."
        )
    y_scale = float(np.mean(np.abs(y_raw[obs])))
    y_scale = y_scale if y_scale > 0 else 1.0
    y = np.where(obs, y_raw.to_numpy(dtype=float), 0.0) / y_scale
    m = spend.to_numpy(dtype=float).mean(axis=0)
    X = spend.to_numpy(dtype=float) / m
    B = baseline_design(spend.index, wps)
    n_base = B.shape[1]
    used, still, scale = [], (), np.ones(0)
    if ctrl is not None:
        varies = (ctrl.max() - ctrl.min()).to_numpy() > 1e-12 * np.maximum(ctrl.abs().max().to_numpy(), 1.0)
        used = [str(c) for c, v in zip(ctrl.columns, varies, strict=True) if v]
        still = tuple(str(c) for c, v in zip(ctrl.columns, varies, strict=True) if not v)
        if used:
            scale = ctrl[used].abs().max().to_numpy(dtype=float)
            B = np.hstack((B, ctrl[used].to_numpy(dtype=float) / scale))
    x0 = X[: min(8, T)].mean(axis=0)
    model = Model(X, y, B, x0, np.log(y_scale / m), len(used))
    measured = windows(experiments, spend, y_scale)

    # noise scale for the prior weights: residuals of a linear fit at decay 0.3
    A03, _ = model.adstocks(np.full(N, 0.3), False)
    D = np.hstack((B, A03))[obs]
    resid = y[obs] - D @ np.linalg.lstsq(D, y[obs], rcond=None)[0]
    sigma = float(np.sqrt(np.sum(resid**2) / max(obs.sum() - D.shape[1], 1)))
    sigma = max(sigma, 1e-4)
    deadline = None if budget is None else budget.deadline

    def in_time() -> bool:
        return budget is None or not budget.over()

    before = np.zeros(0)
    if measured:  # the model's lifts without the experiments, to show beside them; then they count
        th_free = model.multistart(obs, y, sigma, deadline=deadline)[0]  # model.experiments is still empty
        model.set_experiments(measured)
        before = model_lifts(model, th_free)

    obs_idx = np.flatnonzero(obs)
    n_hold = int(round(holdout * len(obs_idx))) if holdout > 0 else 0
    r2_train = r2_hold = mape_hold = float("nan")
    extra = []
    testable = n_hold >= 4 and len(obs_idx) - n_hold >= _MIN_STEPS
    untested = testable and not in_time()
    if testable and not untested:
        train = obs.copy()
        train[obs_idx[-n_hold:]] = False
        th_tr = model.multistart(train, y, sigma, deadline=deadline)[0]
        pred = model.predict(th_tr) * y_scale
        ya = y_raw.to_numpy(dtype=float)
        r2_train = _r2(ya[train], pred[train])
        hold = obs_idx[-n_hold:]
        r2_hold = _r2(ya[hold], pred[hold])
        nz = ya[hold] != 0
        if nz.any():
            mape_hold = float(np.mean(np.abs(ya[hold][nz] - pred[hold][nz]) / np.abs(ya[hold][nz])))
        extra = [th_tr]
    say(share / 2, "fitting the marketing-mix model on every period (the last held out before, to test it)")
    th, started, starts = model.multistart(obs, y, sigma, extra, deadline=deadline)
    season, th = fit_seasons(model, th, spend.index.to_numpy(), y, obs, B, sigma, wps)
    base, contrib, _ = model.parts(th)
    pred = base + contrib.sum(axis=1)
    ya = y_raw.to_numpy(dtype=float)
    r2_all = _r2(ya[obs], pred[obs] * y_scale)
    if not np.isfinite(r2_train):
        r2_train = r2_all

    c, beta, d, lk, s = model.split(th)
    # reference weekly spend for the interval: the recent level (last 13 weeks), else the mean
    recent = X[-max(1, int(round(13 / wps))):].mean(axis=0)
    wref = np.where(recent > 0, recent, 1.0)

    def level(b, kk, ss):
        return b * expit(ss * (np.log(wref) - kk))

    p10 = p90 = np.ones(N)
    refits = 0
    if n_boot > 0:
        rng = np.random.default_rng(seed)
        e = y[obs] - pred[obs]
        e = e - e.mean()
        ref = level(beta, lk, s)
        ratios = np.empty((n_boot, N))
        while refits < n_boot and in_time():
            say(share + (1 - share) * refits / n_boot,
                f"bootstrap refit {refits + 1} of {n_boot} for the networks' intervals")
            yb = pred.copy()
            yb[obs] = pred[obs] + _block_resample(e, rng)
            if measured:  # each lift test is a measurement too: redrawn within its standard error
                model.set_experiments([(n, t0, t1, lift + se * rng.standard_normal(), se, share)
                                       for n, t0, t1, lift, se, share in measured])
            thb, _ = model.fit(th, obs, yb, sigma, max_nfev=_BOOT_NFEV)
            _, bb, _, kb, sb = model.split(thb)
            ratios[refits] = np.where(ref > 0, level(bb, kb, sb) / np.where(ref > 0, ref, 1.0), 1.0)
            refits += 1
        if measured:
            model.set_experiments(measured)
        if refits:
            p10 = np.minimum(np.quantile(ratios[:refits], 0.1, axis=0), 1.0)
            p90 = np.maximum(np.quantile(ratios[:refits], 0.9, axis=0), 1.0)
    unfinished = unfinished_note(None if budget is None else budget.seconds, untested, (started, starts), (refits, n_boot))
    # the bootstrap, warm-started, stays near the estimate; where the data hardly tell
    # a network from the baseline the priors decide, so the interval is widened to at
    # least the Laplace (curvature of the penalised fit) 80 % interval of the log level
    sd = _laplace_sd(model, th, obs, y, sigma, wref)
    p10 = np.minimum(p10, np.exp(-_Z90 * sd))
    p90 = np.maximum(p90, np.exp(_Z90 * sd))

    networks = list(spend.columns)
    contrib_raw = contrib * y_scale
    total = float(np.nansum(ya[obs]))
    params = pd.DataFrame({
        "network": networks, "decay": d, "beta": beta * y_scale, "k": np.exp(lk) * m, "s": s,
        "beta_p10": beta * y_scale * p10, "beta_p90": beta * y_scale * p90,
        "contribution": contrib_raw[obs].sum(axis=0),
        "share": contrib_raw[obs].sum(axis=0) / total if total else np.nan,
        "prior_weight": np.minimum((_laplace_sd(model, th, obs, y, sigma, np.ones(N)) / TAU_ROAS) ** 2, 1.0),
    })
    terms = B[:, n_base:] * c[n_base:] * y_scale  # each control's weekly contribution
    dec = pd.DataFrame({"date": spend.index.to_numpy(), "actual": y_raw.to_numpy(dtype=float),
                        "fitted": pred * y_scale, "baseline": (base * y_scale - terms.sum(axis=1))})
    dec = pd.concat([dec, pd.DataFrame(contrib_raw, columns=networks), pd.DataFrame(terms, columns=used)], axis=1)
    controls = pd.DataFrame({"control": used, "effect": c[n_base:] * y_scale / scale if used else [],
                             "contribution": terms[obs].sum(axis=0) if used else [],
                             "share": terms[obs].sum(axis=0) / total if used and total else np.full(len(used), np.nan)})
    sp = spend.reset_index(names="date")
    sigma_raw = float(np.std(ya[obs] - pred[obs] * y_scale, ddof=1))
    tested = pd.DataFrame(columns=["name", "start", "end", "lift", "lift_se", "model_without", "model_with"])
    if measured:
        kept = [*tested.columns, *([SPEND_TESTED] if SPEND_TESTED in experiments.columns else [])]
        tested = experiments.assign(name=[networks[e[0]] for e in measured], model_without=before * y_scale,
                                    model_with=model_lifts(model, th) * y_scale)[kept]
    ahead = BaselineForecast(pd.Timestamp(spend.index[0]), float(wps), int(T),
                             tuple(float(v) for v in c[:n_base] * y_scale))
    return MMMResult(params, dec, float(r2_train), float(r2_hold), float(mape_hold), float(r2_all), sp, wps, sigma_raw,
                     controls, still, tested.reset_index(drop=True), unfinished, season, ahead)
