"""A wide weekly file (many spend channels, total sales only) fits, and a fit keeps within its time budget.

Issue 16: a file of 99 spend channels over 60 weeks never finished fitting. The files here are made by
planner.bench.wide_weekly (``python -m planner.bench.fit_wide`` times the 100 x 156 one); the budget is
tested at 0 s, so nothing depends on how fast the machine is.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import least_squares

from planner.bench.wide_weekly import wide_weekly, write_wide_weekly
from planner.curves.table import validate_curves
from planner.data.ingest import load
from planner.fit.budget import NOTES, Budget, unfinished_note
from planner.fit.lsq import levenberg_marquardt
from planner.fit.mmm import fit_mmm
from planner.fit.pipeline import fit_curves

CHANNELS, WEEKS = 40, 156


@pytest.fixture(scope="module")
def wide_file(tmp_path_factory):
    path = write_wide_weekly(tmp_path_factory.mktemp("wide") / "wide.csv", CHANNELS, WEEKS, seed=3)
    ds = load(path)
    assert not ds.has_errors
    return ds


@pytest.fixture(scope="module")
def wide_fit(wide_file):
    return fit_curves(wide_file, n_boot=5, seed=0, time_budget=None)


def test_the_generator_makes_a_wide_weekly_table_with_weeks_off():
    table = wide_weekly(12, 60, seed=1)
    spend = table.filter(like=" spend")
    assert list(table.columns[[0, -1]]) == ["Week", "Total sales"] and spend.shape == (60, 12)
    assert (spend >= 0).all().all() and (spend == 0).any().any() and (spend.sum() > 0).all()
    assert (table["Week"].dt.day_of_week == 0).all() and (table["Total sales"] > 0).all()
    assert table.equals(wide_weekly(12, 60, seed=1)) and not table.equals(wide_weekly(12, 60, seed=2))


def test_a_wide_file_fits_a_curve_per_channel(wide_file, wide_fit):
    assert wide_file.kind == "total" and wide_file.rows["network"].nunique() == CHANNELS
    validate_curves(wide_fit, "wide fit")
    assert sorted(wide_fit["name"]) == [f"Channel {i:03d}" for i in range(1, CHANNELS + 1)]
    assert (wide_fit["curve"] == "hill").all() and (wide_fit["source"] == "marketing-mix").all()
    assert np.isfinite(wide_fit[["beta", "k", "s", "beta_p10", "beta_p90"]].to_numpy()).all()
    assert ((wide_fit["beta_p10"] <= wide_fit["beta"]) & (wide_fit["beta"] <= wide_fit["beta_p90"])).all()
    assert (wide_fit["beta_p90"] > wide_fit["beta_p10"]).all()
    assert wide_fit["mape"].notna().all()  # tested on the held-out weeks
    assert NOTES not in wide_fit.attrs  # no budget: nothing left out, nothing said
    assert not wide_fit["pooling_note"].str.contains("time budget").any()


def test_a_budget_of_nothing_fits_every_curve_and_says_what_it_left_out(wide_file, wide_fit):
    quick = fit_curves(wide_file, n_boot=5, seed=0, time_budget=0)
    assert sorted(quick["name"]) == sorted(wide_fit["name"])
    assert np.isfinite(quick[["beta", "k", "s", "beta_p10", "beta_p90"]].to_numpy()).all()
    assert quick["mape"].isna().all()  # no held-out test: the R² is the in-sample one
    said = ("Within its time budget of 0 s the marketing-mix model was not tested on held-out weeks (its R² is on "
            "the weeks it was fitted to), was fitted from 1 of 4 starting points (a better fit may have been "
            "missed) and made none of its 5 bootstrap refits: the bands are the model's own uncertainty (the "
            "curvature of its fit) alone.")
    assert quick.attrs[NOTES] == [f"wide.csv: {said}"]
    assert quick["pooling_note"].str.endswith(" " + said).all()


def test_the_marketing_mix_model_stops_its_optional_work_at_the_budget(wide_file):
    done = fit_mmm(wide_file, n_boot=3, seed=0)
    assert done.unfinished == "" and np.isfinite(done.r2_holdout)
    cut = fit_mmm(wide_file, n_boot=3, seed=0, time_budget=Budget(30.0, 0.0))  # a budget of 30 s, already spent
    assert np.isnan(cut.r2_holdout) and cut.r2_train == cut.r2_all
    assert cut.unfinished.startswith("Within its time budget of 30 s the marketing-mix model was not tested")
    assert "made none of its 3 bootstrap refits" in cut.unfinished
    assert len(cut.params) == CHANNELS and (cut.params["beta_p90"] > cut.params["beta_p10"]).all()


def test_the_sentence_counts_what_was_done():
    assert unfinished_note(120, False, (5, 5), (12, 30)) == (
        "Within its time budget of 120 s the marketing-mix model made only 12 of 30 bootstrap refits: the bands "
        "are from those 12, widened to at least the model's own uncertainty.")
    assert unfinished_note(120, False, (5, 5), (30, 30)) == ""
    assert unfinished_note(None, True, (1, 5), (0, 30)) == ""  # no budget: nothing was left out for it
    assert unfinished_note(2.5, False, (2, 5), (30, 30)) == (
        "Within its time budget of 2.5 s the marketing-mix model was fitted from 2 of 5 starting points (a better "
        "fit may have been missed).")


def test_levenberg_marquardt_finds_a_bounded_minimum():
    t = np.linspace(0.0, 4.0, 40)
    y = 3.0 * np.exp(-0.7 * t) + 0.5

    def residuals(p):
        return p[0] * np.exp(-p[1] * t) + p[2] - y

    def normal(p):
        e = np.exp(-p[1] * t)
        J = np.column_stack((e, -p[0] * t * e, np.ones_like(t)))
        return J.T @ residuals(p), J.T @ J

    free = levenberg_marquardt(residuals, normal, np.array([1.0, 0.1, 0.0]), np.full(3, -np.inf), np.full(3, np.inf))
    assert free.converged and np.allclose(free.x, [3.0, 0.7, 0.5], atol=1e-6) and free.cost < 1e-12
    capped = levenberg_marquardt(residuals, normal, np.array([1.0, 0.1, 0.0]), np.array([-np.inf, -np.inf, 0.0]),
                                 np.array([np.inf, np.inf, 0.2]))
    assert capped.converged and capped.x[2] == pytest.approx(0.2) and capped.cost > 1e-3
    assert normal(capped.x)[0][2] < 0  # held at its upper bound, the gradient pushing up
    scipy = least_squares(residuals, [1.0, 0.1, 0.0], bounds=([-np.inf, -np.inf, 0.0], [np.inf, np.inf, 0.2]),
                          xtol=1e-12, ftol=1e-12, gtol=1e-12)
    assert np.allclose(capped.x, scipy.x, atol=1e-5) and capped.cost == pytest.approx(scipy.cost, rel=1e-8)
