"""Each campaign's controls (a discount code, a launch): their lift read within creators, taken out of the curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from planner.fit.budget import NOTES
from planner.fit.campaign_controls import campaign_controls
from planner.fit.pipeline import fit_curves
from tests.fit.fit_cases import FakeDataset, simulate_creators


def _campaigns(seed: int, lift: float = 2.0, creators: int = 40, each: int = 5):
    """Campaigns whose discount (0 or 10-30 %) is deeper on bigger ones and lifts revenue by exp(lift * depth)."""
    rng = np.random.default_rng(seed)
    cid = np.repeat(np.arange(creators), each)
    log_x = np.log(rng.uniform(200, 5000, len(cid)))
    depth = np.where(rng.random(len(cid)) < (log_x - 5) / 4, rng.choice([0.1, 0.2, 0.3], len(cid)), 0.0)
    level = rng.normal(0, 0.5, creators)[cid]
    log_y = level + 0.7 * log_x + lift * depth + rng.normal(0, 0.2, len(cid))
    return log_y, log_x, cid, depth


def test_the_lift_of_a_discount_is_read_within_creators_with_its_interval():
    log_y, log_x, cid, depth = _campaigns(0)
    fx = campaign_controls(log_y, log_x, cid, depth[:, None], ["Discount"])
    assert fx is not None and fx.names == ("Discount",) and fx.campaigns == 200
    assert fx.coef[0] == pytest.approx(2.0, abs=3 * fx.se[0]) and 0 < fx.se[0] < 0.4
    # the curves are at the campaigns' usual discounts: the multipliers over the campaigns average 1
    assert np.exp(fx.log_multiplier(depth[:, None])).mean() == pytest.approx(1.0)
    assert fx.typical[0] == pytest.approx(0.2)
    said = fx.sentences()
    assert said.startswith("Campaigns at Discount 0.2 returned +") and "against those at 0 (80% interval +" in said
    assert "at the team's usual controls" in said


def test_a_blank_cell_counts_as_the_controls_mean_and_a_flag_is_said_as_with_and_without():
    log_y, log_x, cid, depth = _campaigns(1)
    flag = (depth > 0).astype(float)
    flag[::7] = np.nan
    fx = campaign_controls(log_y, log_x, cid, flag[:, None], ["Launch"])
    assert fx.filled(flag[:, None])[0, 0] == pytest.approx(np.nanmean(flag))
    assert np.isfinite(fx.log_multiplier(flag[:, None])).all()
    assert fx.sentences().startswith("Campaigns with Launch returned +") and "against those without" in fx.sentences()
    every = np.arange(len(depth))
    code = np.where(every % 4 == 0, 30.0, np.where(every % 4 == 1, 0.0, np.nan))  # half the campaigns not said
    fx = campaign_controls(log_y, log_x, cid, code[:, None], ["Code %"])
    assert fx.typical[0] == 30.0  # the value where it is set, not the blanks' stand-in (their mean, 15)


def test_a_control_that_never_changes_within_a_creator_is_left_out_and_said():
    log_y, log_x, cid, depth = _campaigns(2)
    per_creator = (cid % 2).astype(float)  # some creators always run it, others never: their level, not its effect
    fx = campaign_controls(log_y, log_x, cid, np.column_stack((depth, per_creator)), ["Discount", "Always on"])
    assert fx.names == ("Discount",) and fx.dropped == ("Always on",)
    assert fx.log_multiplier(np.column_stack((depth, per_creator))).shape == (len(cid),)
    assert "Always on never changes within a creator's campaigns" in fx.sentences()
    alone = campaign_controls(log_y, log_x, cid, per_creator[:, None], ["Always on"])
    assert alone.names == () and alone.sentences().startswith("Always on never changes")


def test_nothing_is_read_from_too_few_campaigns_or_without_a_control():
    log_y, log_x, cid, depth = _campaigns(3, creators=5, each=2)
    assert campaign_controls(log_y, log_x, cid, depth[:, None], ["Discount"]) is None
    log_y, log_x, cid, depth = _campaigns(3)
    assert campaign_controls(log_y, log_x, cid, np.zeros((len(cid), 0)), []) is None


def test_bigger_campaigns_given_deeper_discounts_do_not_steepen_the_curves():
    rows, truth = simulate_creators(seed=5, per_network=14)
    rng = np.random.default_rng(5)
    posts = rows["spend"] / rows.groupby("entity")["spend"].transform("min")
    depth = np.where(rng.random(len(rows)) < np.minimum(0.1 * posts, 0.8), 20.0, 0.0)  # in %, as a tracker says it
    lifted = rows.assign(outcome=rows["outcome"] * np.exp(0.02 * depth))
    controls = pd.DataFrame({"date": rows["date"], "Discount %": depth})
    told = fit_curves(FakeDataset("attributed", lifted, controls=controls), n_boot=0)
    blind = fit_curves(FakeDataset("attributed", lifted), n_boot=0)
    note = told.attrs[NOTES]
    assert len(note) == 1 and note[0].startswith("simulated: Campaigns at Discount % 20 returned +"), note
    assert NOTES not in blind.attrs
    # the truth at the campaigns' mean lift: the fit told of the discounts is nearer it at low and high spend
    t = truth.set_index("name")
    mean_lift = float(np.exp(0.02 * depth).mean())

    def error(table):
        f = table.set_index("name").loc[t.index].reset_index()
        errs = []
        for m in (1.0, 3.0, 8.0):
            x = m * t["unit_cost"].to_numpy()
            true = mean_lift * response(truth.set_index("name").loc[t.index].reset_index(), x)
            errs.append(np.median(np.abs(np.log(response(f, x) / true))))
        return float(np.mean(errs))

    assert error(told) < 0.8 * error(blind), (error(told), error(blind))


def test_a_code_per_creator_is_said_once_by_its_column():
    log_y, log_x, cid, depth = _campaigns(4, creators=12, each=5)
    codes = np.eye(12)[cid]  # "Promo code: A20", "Promo code: B20", ...: one per creator, so never within one
    names = [f"control: Promo code: C{i}" for i in range(12)]
    fx = campaign_controls(log_y, log_x, cid, np.column_stack((depth, codes)), ["control: Discount", *names])
    said = fx.sentences("control: ")
    assert said.startswith("Campaigns at Discount 0.2 returned ")
    assert said.endswith("Promo code never changes within a creator's campaigns, so its effect cannot be told apart "
                         "from the creators' own: not used.")
