"""The funnel against the truth the sample was drawn from (sample_data/generate.py): each network's order value
and conversion, the industry's ranking of them, and the euro ad export's order value."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from planner.analysis.funnel import compare, funnel
from planner.data.ingest import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


def _generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate_truth", SAMPLE / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


PROFILE = _generator().NETWORK_PROFILE


@pytest.fixture(scope="module")
def campaigns():
    ds = load(SAMPLE / "creator_campaigns.xlsx")
    return ds.rows, funnel([ds])


def test_order_value_is_the_generators_within_a_percent(campaigns):
    # orders = round(revenue / aov): only rounding stands between the data and the truth
    _, f = campaigns
    for net, row in f.networks.set_index("network").iterrows():
        assert row["order_value"] == pytest.approx(PROFILE[net]["aov"], rel=0.01), net


def test_conversion_is_the_generators_within_its_sampling_error(campaigns):
    """Clicks were drawn as orders / conv x a campaign's noise: the network's conversion is off the truth by the
    click-weighted mean of those noises, whose spread the campaigns themselves show."""
    rows, f = campaigns
    rows = rows[rows["spend"] > 0]
    truth = rows["network"].map(lambda n: PROFILE[n]["conv"])
    # each campaign's log noise; campaigns with many orders, where rounding an order count adds little
    noise = np.log(rows["clicks"] * truth / rows["orders"])
    sd = float(noise[rows["orders"] >= 50].std())
    assert 0.1 < sd < 0.3  # the generator's spread of clicks around orders / conv
    for net, row in f.networks.set_index("network").iterrows():
        clicks = rows.loc[rows["network"] == net, "clicks"].to_numpy(dtype=float)
        se = sd * np.sqrt(np.sum(clicks**2)) / np.sum(clicks)  # of a click-weighted mean of the noises
        off = np.log(row["conversion"] / PROFILE[net]["conv"])
        assert abs(off) < 3 * se + 0.03, (net, off, se)  # 0.03: the mean of a lognormal noise sits above 1
    # over all networks the errors average out: the library adds no bias of its own
    offs = [np.log(f.row(n)["conversion"] / PROFILE[n]["conv"]) for n in PROFILE]
    assert abs(np.mean(offs)) < 0.05


def test_the_industrys_ranking_comes_back(campaigns):
    _, f = campaigns
    n = f.networks.set_index("network")
    truth_aov = sorted(PROFILE, key=lambda k: PROFILE[k]["aov"])
    assert list(n["order_value"].sort_values().index) == truth_aov  # Pinterest dearest, X cheapest
    assert n["conversion"].idxmax() == "Facebook" == max(PROFILE, key=lambda k: PROFILE[k]["conv"])
    assert n["conversion"].idxmin() == "X" == min(PROFILE, key=lambda k: PROFILE[k]["conv"])
    # Pinterest against X: order value is the largest step, as the truth has it
    d = compare(f, "Pinterest", "X").steps.set_index("step")
    assert d.loc["order_value", "ratio"] == pytest.approx(PROFILE["Pinterest"]["aov"] / PROFILE["X"]["aov"], rel=0.02)
    assert d["ratio"].map(np.log).abs().idxmax() == "order_value"


def test_the_euro_exports_order_value(campaigns):
    # purchases = value / U(38, 46) per row (generate._meta_export): a value-weighted harmonic mean of the draws
    f = funnel([load(SAMPLE / "meta_ads_export_eur.csv")])
    truth = 8.0 / np.log(46.0 / 38.0)
    for net in ("Facebook", "Instagram"):
        assert f.row(net)["order_value"] == pytest.approx(truth, rel=0.02), net
