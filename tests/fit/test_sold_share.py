"""Campaigns that sold nothing: the chance a campaign sells, and curves that stay the expected revenue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from planner.fit.budget import NOTES
from planner.fit.pipeline import fit_curves
from planner.fit.sold_share import PRIOR_CAMPAIGNS, sold_shares
from tests.fit.fit_cases import FakeDataset, simulate_creators


def test_each_creators_chance_of_selling_is_pulled_toward_its_networks():
    cid = np.array([0, 0, 0, 0, 1, 1, 2, 2, 3])
    sold = np.array([True, True, True, False, True, True, False, False, True])
    nets = np.array(["IG", "IG", "IG", "TT"])
    got = sold_shares(cid, sold, nets)
    # creator 2 sold nothing: its campaigns stay in the log model (at the floor), and its chance is not cut again
    assert got.keep.tolist() == [True, True, True, False, True, True, True, True, True]
    assert got.unsold.tolist() == [1, 0, 0, 0] and got.any_unsold
    r = 5 / 6  # Instagram's creators with a sale: 5 of their 6 campaigns sold
    assert got.network_share.tolist() == pytest.approx([r, r, r, 1.0])
    assert got.share[0] == pytest.approx((3 + PRIOR_CAMPAIGNS * r) / (4 + PRIOR_CAMPAIGNS))
    assert got.share[1] == pytest.approx((2 + PRIOR_CAMPAIGNS * r) / (2 + PRIOR_CAMPAIGNS))  # all sold, still < 1
    assert got.share[2] == 1.0 and got.share[3] == 1.0
    q = got.share[0]  # its band widens by the chance's posterior variance, on the log scale
    assert got.log_variance[0] == pytest.approx((1 - q) / (q * (4 + PRIOR_CAMPAIGNS + 1)))
    assert got.log_variance[3] == 0.0
    none = sold_shares(cid, np.ones(len(cid), dtype=bool), nets)
    assert none.keep.all() and (none.share == 1.0).all() and not none.any_unsold and (none.log_variance == 0).all()


def _zeroed(rows: pd.DataFrame, every: int) -> pd.DataFrame:
    out = rows.copy()
    out.loc[out.index[::every], "outcome"] = 0.0
    return out


def test_campaigns_that_sold_nothing_lower_the_curves_rather_than_inflate_them():
    rows, truth = simulate_creators(seed=5, per_network=12)
    clean = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    zeroed = _zeroed(rows, 8)
    fitted = fit_curves(FakeDataset("attributed", zeroed), n_boot=0)
    at = clean["current_spend"].to_numpy(dtype=float)
    before = response(clean, at).sum()
    after = response(fitted.set_index("name").loc[clean["name"]].reset_index(), at).sum()
    # one campaign in eight sold nothing: the creators' expected revenue falls by about that, it does not grow
    # (read as tiny sales they had inflated the noise, and exp(sigma2 / 2) every curve, several times over)
    assert 0.75 * before < after < 0.97 * before
    note = fitted.attrs[NOTES]
    assert len(note) == 1 and note[0].startswith(f"simulated: {int((zeroed['outcome'] == 0).sum())} of ")
    assert "returned no revenue" in note[0] and "chance that a campaign sells" in note[0]
    unsold = fitted.loc[fitted["pooling_note"].str.contains("sold nothing: the curve is what its campaigns return")]
    assert len(unsold) > 0
    assert NOTES not in clean.attrs  # nothing to say when every campaign sold


def test_a_creator_none_of_whose_campaigns_sold_is_said_and_kept_at_the_least_revenue():
    rows, _ = simulate_creators(seed=6, per_network=6)
    first = rows["entity"].iloc[0]
    rows.loc[rows["entity"] == first, "outcome"] = 0.0
    table = fit_curves(FakeDataset("attributed", rows), n_boot=0).set_index("name")
    name = f"{rows['network'].iloc[0]}/{first}"
    assert "returned revenue: each counts as $" in table.loc[name, "pooling_note"]
    assert table.loc[name, "beta"] > 0 and np.isfinite(table["beta"]).all()
    others = table.drop(index=name)
    assert (response(table.loc[[name]].reset_index(), table.loc[[name], "current_spend"].to_numpy(float))
            < np.median(response(others.reset_index(), others["current_spend"].to_numpy(float))))


def test_a_file_where_no_campaign_sold_is_a_sentence_not_a_curve():
    from planner.base.errors import InputError

    rows, _ = simulate_creators(seed=1, per_network=5)
    with pytest.raises(InputError, match=r"None of the creators' \d+ campaigns returned revenue, so there is no response"):
        fit_curves(FakeDataset("attributed", rows.assign(outcome=0.0)), n_boot=0)


def test_campaigns_that_cost_nothing_are_on_no_curve_and_said():
    rows, _ = simulate_creators(seed=3)
    free = rows.index[:4]  # four gifted campaigns: no fee, some revenue
    gifted = rows.copy()
    gifted.loc[free, "spend"] = 0.0
    table = fit_curves(FakeDataset("attributed", gifted), n_boot=0)
    said = [n for n in table.attrs.get(NOTES, []) if "cost nothing" in n]
    revenue = gifted.loc[free, "outcome"].sum()
    assert len(said) == 1 and said[0].split(": ", 1)[1].startswith("4 campaigns of ")
    assert f"(gifted or seeded, ${revenue:,.0f} of revenue), so they are on no response curve" in said[0]
    clean = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    assert not any("cost nothing" in n for n in clean.attrs.get(NOTES, []))
