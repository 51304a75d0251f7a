"""Whole units by reduced-cost fixing and the core dynamic program (planner.optimize.core), against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.bench.optimizer import post_curves
from planner.curves.forms import response
from planner.curves.table import validate_curves
from planner.optimize import InfeasibleError, optimize
from tests.optimize.test_optimize import assert_feasible, table

unit_row = st.fixed_dictionaries({
    "curve": st.sampled_from(["hill", "logistic", "log"]),
    "beta": st.floats(50, 3000),
    "k": st.floats(20, 600),
    "s": st.floats(0.6, 3.5),
    "unit_cost": st.sampled_from([25.0, 40.0, 60.0, 75.5, 100.0, 150.0]),
    "max_units": st.integers(1, 4),
    "min_units": st.integers(0, 1),
})
cont_row = st.fixed_dictionaries({
    "curve": st.sampled_from(["hill", "logistic", "log"]),
    "beta": st.floats(50, 3000),
    "k": st.floats(20, 600),
    "s": st.floats(0.6, 3.5),
    "max_spend": st.one_of(st.none(), st.floats(10, 800)),
})


def _rows(units, cont, cont_network="YT"):
    rows = [{"name": f"u{i}", "network": "IG" if i % 2 else "TT", "curve": e["curve"], "beta": e["beta"],
             "k": e["k"], "s": e["s"], "unit_cost": e["unit_cost"], "min_spend": e["unit_cost"] * e["min_units"],
             "max_spend": e["unit_cost"] * e["max_units"]} for i, e in enumerate(units)]
    if cont is not None:
        rows.append({"name": "paid", "network": cont_network, "curve": cont["curve"], "beta": cont["beta"], "k": cont["k"],
                     "s": cont["s"], "max_spend": cont["max_spend"]})
    return table(rows)


def _creators_against_brute_force(curves, budget, net_min, net_max, k):
    """Plan the whole-unit rows as creators (``Network/@c<i>``) under IG's bounds and ``k`` hires; check it.

    Returns ``(allocation, brute force's best)``; the allocation is None when both find no plan.
    """
    curves["min_spend"] = 0.0
    curves["name"] = [f"{net}/@c{i}" if str(n).startswith("u") else n
                      for i, (n, net) in enumerate(zip(curves["name"], curves["network"], strict=False))]
    nb = pd.DataFrame({"network": ["IG"], "min_spend": [net_min], "max_spend": [net_max]})
    expected = brute_force(curves, budget, max_hired=k, network_bounds=nb)
    try:
        a = optimize(curves, budget, network_bounds=nb, max_creators=k)
    except InfeasibleError:
        assert expected == -np.inf
        return None, expected
    assert_feasible(curves, a, budget, nb)
    assert k is None or a.creators_hired <= k
    assert a.upper_bound >= expected - 1e-6 * max(1.0, expected)
    return a, expected


def brute_force(curves: pd.DataFrame, budget: float, max_hired: int | None = None,
                network_bounds: pd.DataFrame | None = None) -> float:
    """Every combination of whole units; a continuous row (increasing) takes what is left, up to its cap.

    ``max_hired``: at most that many whole-unit rows (the creators here) with any units.
    ``network_bounds``: plans whose network totals fall outside them do not count (-inf when none is left).
    Every combination is valued at once (one row of a matrix each), with the same rules as one by one.
    """
    unit = curves["unit_cost"].to_numpy(dtype=float)
    u = np.flatnonzero(np.isfinite(unit))
    c = np.flatnonzero(~np.isfinite(unit))
    choices = []
    for i in u:
        n_lo = int(round(curves["min_spend"].iloc[i] / unit[i]))
        n_hi = int(round(curves["max_spend"].iloc[i] / unit[i]))
        choices.append([n * unit[i] for n in range(n_lo, n_hi + 1)])
    combos = np.array(list(itertools.product(*choices)), dtype=float).reshape(-1, len(u))
    spent = combos.sum(axis=1)
    keep = spent <= budget + 1e-9
    if max_hired is not None:
        keep &= (combos > 0).sum(axis=1) <= max_hired
    combos, spent = combos[keep], spent[keep]
    x = np.zeros((len(combos), len(curves)))
    x[:, u] = combos
    if len(c):
        cap = curves["max_spend"].iloc[c[0]]
        left = np.floor((budget - spent) * 100 + 1e-6) / 100
        x[:, c[0]] = left if pd.isna(cap) else np.minimum(left, np.floor(cap * 100 + 1e-6) / 100)  # whole cents
        if network_bounds is not None:  # its network's maximum holds it back too
            net = curves["network"].iloc[c[0]]
            for r in network_bounds.itertuples(index=False):
                if r.network == net and pd.notna(r.max_spend):
                    others = x[:, (curves["network"] == net).to_numpy()].sum(axis=1) - x[:, c[0]]
                    room = np.floor((r.max_spend - others) * 100 + 1e-6) / 100
                    x[:, c[0]] = np.maximum(np.minimum(x[:, c[0]], room), 0.0)
    if network_bounds is not None:
        nets = curves["network"].to_numpy()
        for r in network_bounds.itertuples(index=False):
            total = x[:, nets == r.network].sum(axis=1)
            if pd.notna(r.min_spend):  # in whole cents, as the planner rounds every bound (a minimum of $1e-8 is $0)
                keep = total >= np.ceil(r.min_spend * 100 - 1e-6) / 100 - 1e-9
                x, total = x[keep], total[keep]
            if pd.notna(r.max_spend):
                x = x[total <= np.floor(r.max_spend * 100 + 1e-6) / 100 + 1e-9]
    if not len(x):
        return -np.inf
    rows = curves.iloc[np.tile(np.arange(len(curves)), len(x))].reset_index(drop=True)
    values = response(rows, x.ravel()).reshape(x.shape).sum(axis=1)
    return float(values.max())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(unit_row, min_size=2, max_size=6), st.one_of(st.none(), cont_row), st.floats(0, 1500))
def test_core_matches_brute_force(units, cont, budget):
    budget = round(budget, 2)
    curves = _rows(units, cont)
    if curves["min_spend"].fillna(0).sum() > budget:
        return
    a = optimize(curves, budget)
    assert_feasible(curves, a, budget)
    expected = brute_force(curves, budget)
    assert a.total_response == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert a.upper_bound >= expected - 1e-6 * max(1.0, expected)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(unit_row, min_size=2, max_size=5), st.one_of(st.none(), cont_row), st.floats(50, 1200),
       st.one_of(st.none(), st.floats(0, 300)), st.one_of(st.none(), st.floats(20, 600)))
def test_whole_units_with_a_network_minimum_or_maximum_match_brute_force(units, cont, budget, net_min, net_max):
    budget = round(budget, 2)
    curves = _rows(units, cont)
    curves["min_spend"] = 0.0
    nb = pd.DataFrame({"network": ["IG"], "min_spend": [net_min], "max_spend": [net_max]})
    expected = brute_force(curves, budget, network_bounds=nb)
    try:
        a = optimize(curves, budget, network_bounds=nb)
    except InfeasibleError:
        assert expected == -np.inf
        return
    assert_feasible(curves, a, budget, nb)
    assert a.total_response == pytest.approx(expected, rel=1e-6, abs=1e-6)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(unit_row, min_size=2, max_size=5), cont_row, st.floats(50, 1200),
       st.one_of(st.none(), st.floats(0, 500)), st.one_of(st.none(), st.floats(20, 900)),
       st.one_of(st.none(), st.integers(0, 3)))
def test_bounds_on_a_network_with_paid_media_and_creators_match_brute_force(units, cont, budget, net_min, net_max, k):
    # the network's paid media (an S-curve or not) and its creators share its bounds: the core's program per
    # network (planner.optimize.core_networks) holds the paid media within what the creators leave
    a, expected = _creators_against_brute_force(_rows(units, cont, cont_network="IG"), round(budget, 2), net_min,
                                                net_max, k)
    if a is not None:
        assert a.total_response == pytest.approx(expected, rel=1e-6, abs=1e-6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(unit_row, min_size=2, max_size=5), st.one_of(st.none(), cont_row), st.floats(50, 1200),
       st.one_of(st.none(), st.floats(0, 300)), st.one_of(st.none(), st.floats(20, 600)), st.integers(0, 3))
def test_most_creators_with_network_bounds_match_brute_force(units, cont, budget, net_min, net_max, k):
    a, expected = _creators_against_brute_force(_rows(units, cont), round(budget, 2), net_min, net_max, k)
    if a is None:
        return
    if a.gap <= 1e-6 * max(1.0, a.total_response):  # proven: it is the best plan
        assert a.total_response == pytest.approx(expected, rel=1e-6, abs=1e-6)
    else:  # stopped at the time limit: within the gap it states
        assert a.total_response >= expected - a.gap - 1e-6


def test_a_branch_that_cannot_meet_a_network_minimum_is_dropped():
    """Found by a fuzz: dropping one Instagram creator leaves Instagram short of its minimum; the search must
    not keep refining that branch (it reported no plan at all)."""
    curves = table([
        {"name": "TT/@c0", "network": "TT", "curve": "hill", "beta": 1385.998879, "k": 228.618257, "s": 2.224755,
         "unit_cost": 100.0, "max_spend": 200.0},
        {"name": "IG/@c1", "network": "IG", "curve": "logistic", "beta": 158.775547, "k": 371.539487,
         "unit_cost": 25.0, "max_spend": 50.0},
        {"name": "TT/@c2", "network": "TT", "curve": "logistic", "beta": 1786.697038, "k": 270.549638,
         "unit_cost": 100.0, "max_spend": 100.0},
        {"name": "IG/@c3", "network": "IG", "curve": "log", "beta": 84.409289, "k": 526.724263,
         "unit_cost": 60.0, "max_spend": 60.0},
        {"name": "YT", "network": "YT", "curve": "log", "beta": 2477.529370, "k": 168.229384},
    ])
    curves["min_spend"] = 0.0
    nb = pd.DataFrame({"network": ["IG"], "min_spend": [68.695086], "max_spend": [np.nan]})
    a = optimize(curves, 766.24, network_bounds=nb)
    assert_feasible(curves, a, 766.24, nb)
    assert a.total_response == pytest.approx(brute_force(curves, 766.24, network_bounds=nb), rel=1e-9)


def test_core_solves_thousands_of_creators_in_one_node():
    curves = validate_curves(post_curves(2000))
    a = optimize(curves, 900.0 * 2000)
    assert a.nodes == 1 and a.core_nodes == 1  # the root node, solved by the core
    assert a.gap <= 1e-6 * a.total_response
    assert_feasible(curves, a, 900.0 * 2000)
    # without time for the search, the rounded relaxation: feasible, no better, its gap reported
    quick = optimize(curves, 900.0 * 2000, time_limit=0.0)
    assert_feasible(curves, quick, 900.0 * 2000)
    assert quick.total_response <= a.total_response + 1e-6
    assert quick.upper_bound >= a.total_response - 1e-6


def test_core_plan_beats_every_single_unit_move():
    """Local check on a large instance: no move of one post (add, drop or swap) improves the plan."""
    curves = validate_curves(post_curves(300, seed=5))
    budget = 250.0 * 300
    a = optimize(curves, budget)
    x = a.table["spend"].to_numpy()
    unit = curves["unit_cost"].to_numpy()
    cap = curves["max_spend"].to_numpy()
    base = response(curves, x).sum()
    slack = budget - x.sum()
    for i in range(len(x)):
        if x[i] + unit[i] <= cap[i] + 1e-9 and unit[i] <= slack + 1e-9:
            y = x.copy()
            y[i] += unit[i]
            assert response(curves, y).sum() <= base + 1e-6
    up = [i for i in range(len(x)) if x[i] + unit[i] <= cap[i] + 1e-9]
    down = [i for i in range(len(x)) if x[i] >= unit[i] - 1e-9]
    for i in up[:60]:
        for j in down[:60]:
            if i != j and unit[i] - unit[j] <= slack + 1e-9:
                y = x.copy()
                y[i] += unit[i]
                y[j] -= unit[j]
                assert response(curves, y).sum() <= base + 1e-6


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(unit_row, min_size=2, max_size=6), st.one_of(st.none(), cont_row), st.floats(0, 1500),
       st.integers(0, 4))
def test_most_creators_hired_matches_brute_force(units, cont, budget, k):
    """At most k creators (rows named Network/@handle) spend anything; paid media does not count."""
    budget = round(budget, 2)
    curves = _rows(units, cont)
    curves["name"] = [f"IG/@c{i}" if str(n).startswith("u") else n for i, n in enumerate(curves["name"])]
    if curves["min_spend"].fillna(0).sum() > budget:
        return
    forced = int((curves["min_spend"].fillna(0) > 0).sum())
    if forced > k:
        with pytest.raises(InfeasibleError, match="at most"):
            optimize(curves, budget, max_creators=k)
        return
    a = optimize(curves, budget, max_creators=k)
    assert_feasible(curves, a, budget)
    hired = int(((a.table["spend"] > 0) & a.table["name"].str.contains("/")).sum())
    assert hired <= k
    expected = brute_force(curves, budget, max_hired=k)
    assert a.total_response == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert a.gap <= 1e-6 * max(1.0, a.total_response)


def test_most_creators_hired_on_a_large_roster():
    curves = validate_curves(post_curves(400, seed=3))
    curves["name"] = [f"TikTok/@c{i}" for i in range(len(curves))]
    free = optimize(curves, 900.0 * 400)
    n_free = int((free.table["spend"] > 0).sum())
    a = optimize(curves, 900.0 * 400, max_creators=n_free // 2)
    assert int((a.table["spend"] > 0).sum()) <= n_free // 2
    assert a.gap <= 1e-6 * a.total_response and a.total_response < free.total_response
    # a limit above what the best plan hires changes nothing
    same = optimize(curves, 900.0 * 400, max_creators=n_free + 5)
    assert same.total_response == pytest.approx(free.total_response, rel=1e-12)


def test_most_creators_with_minimums_says_why_and_with_network_bounds_is_solved():
    curves = _rows([{"curve": "log", "beta": 500.0, "k": 50.0, "s": 1.0, "unit_cost": 50.0, "max_units": 3,
                     "min_units": 1}] * 3, None)
    curves["name"] = ["IG/@a", "IG/@b", "TT/@c"]
    with pytest.raises(InfeasibleError, match="3 creators have a minimum spend.*at most 2"):
        optimize(curves, 1000, max_creators=2)
    curves["min_spend"] = 0.0
    nb = pd.DataFrame({"network": ["IG"], "min_spend": [None], "max_spend": [100.0]})
    a = optimize(curves, 1000, network_bounds=nb, max_creators=2)  # both together are solved
    assert_feasible(curves, a, 1000, nb)
    assert a.creators_hired <= 2
    assert a.total_response == pytest.approx(brute_force(curves, 1000, max_hired=2, network_bounds=nb), rel=1e-9)


def test_most_creators_when_the_relaxation_leaves_a_hire_unused():
    """Found by hypothesis: two places, room for two posts; the relaxed plan at the hire price books one."""
    units = [dict(curve="hill", beta=50.0, k=20.0, s=1.0, unit_cost=25.0, max_units=1, min_units=0),
             dict(curve="hill", beta=127.0, k=20.0, s=1.0, unit_cost=25.0, max_units=1, min_units=0),
             dict(curve="log", beta=50.0, k=20.0, s=1.0, unit_cost=25.0, max_units=1, min_units=0),
             dict(curve="log", beta=50.0, k=20.0, s=1.0, unit_cost=25.0, max_units=1, min_units=0)]
    curves = _rows(units, None)
    curves["name"] = [f"IG/@c{i}" for i in range(4)]
    a = optimize(curves, 55, max_creators=2)
    assert a.total_response == pytest.approx(brute_force(curves, 55, max_hired=2), rel=1e-9)
    assert a.gap <= 1e-9


def test_most_creators_on_the_sample_with_s_shaped_paid_media_is_proven():
    """Paid media on S-curves that may be on or off, 60 creators in whole posts, at most 20 hired."""
    from planner.curves.files import read_curves

    curves = read_curves(__import__("pathlib").Path(__file__).resolve().parents[2] / "sample_data" / "true_curves.csv")
    # a proof is asserted within a node limit, never against the wall clock: a generous time limit
    # (far beyond what the search needs on a quiet machine) so a busy machine cannot fail it
    a = optimize(curves, 250_000, max_creators=20, time_limit=600.0, node_limit=2000)
    assert a.creators_hired <= 20
    assert a.proven and a.gap <= 1e-6 * a.total_response, (a.nodes, a.gap)
    assert_feasible(curves, a, 250_000)



@pytest.mark.parametrize("seed", range(6))
def test_the_combinations_of_the_networks_states_are_every_one_under_the_gap(seed):
    # the states of each choice sorted by least gap, listed pair by pair: the same combinations as the whole
    # product filtered by gap, hires and the budget's slack
    from planner.optimize.core_networks import combine_states

    rng = np.random.default_rng(seed)
    per = []
    for _ in range(int(rng.integers(2, 5))):
        n = int(rng.integers(1, 7))
        q = rng.uniform(0, 10, n).round(1)
        per.append((None, rng.integers(0, 3, n), rng.integers(0, 5, n), q - rng.uniform(0, 1, n), q, None))
    delta, H = float(rng.uniform(5, 25)), int(rng.integers(1, 7))

    def budget_slack(steps):
        return 0.3 * np.maximum(12 - steps, 0)

    P, Q, Hc, pick, cut = combine_states(per, delta, H, budget_slack)
    assert cut == np.inf
    got = sorted(tuple(r) for r in pick.tolist())
    want = []
    for combo in itertools.product(*(range(len(c[4])) for c in per)):
        q = sum(c[4][i] for c, i in zip(per, combo, strict=True))
        hires = sum(c[1][i] for c, i in zip(per, combo, strict=True))
        steps = sum(c[2][i] for c, i in zip(per, combo, strict=True))
        # partial sums are checked with the steps the choices after can add at most, as combine_states does
        if hires <= H and q + budget_slack(steps) < delta and all(
                sum(c[4][i] for c, i in zip(per[:j + 1], combo, strict=False))
                + budget_slack(sum(c[2][i] for c, i in zip(per[:j + 1], combo, strict=False))
                               + sum(int(c[2].max()) for c in per[j + 1:])) < delta
                for j in range(len(per))):
            want.append(combo)
    assert got == sorted(want)
    for row, p, qq, h in zip(pick, P, Q, Hc, strict=True):
        assert qq == pytest.approx(sum(c[4][i] for c, i in zip(per, row, strict=True)))
        assert p == pytest.approx(sum(c[3][i] for c, i in zip(per, row, strict=True)))
        assert h == sum(c[1][i] for c, i in zip(per, row, strict=True))


@pytest.mark.parametrize("seed", range(3))
def test_creators_paid_by_the_dollar_under_a_hire_limit_match_every_choice_of_whom_to_hire(seed):
    # no fee per post: a creator is hired by any spend at all.  Before, rounding to cents gave the budget the
    # plan left over to creators it had not hired, so no plan within the limit was found (limits of 6-10 of 20
    # searched 30 s and said none exists) or it took hundreds of nodes
    rng = np.random.default_rng(seed)
    n = 8
    curves = table({"name": [f"N/@c{i}" for i in range(n)], "network": "N", "curve": rng.choice(["log", "hill"], n),
                    "beta": rng.uniform(5e3, 15e3, n), "k": rng.uniform(1e3, 6e3, n), "s": rng.uniform(0.6, 1.0, n),
                    "max_spend": np.where(rng.random(n) < 0.4, rng.uniform(2e3, 8e3, n), np.nan)})
    budget = float(rng.uniform(8e3, 30e3))
    for k in range(1, n):
        a = optimize(curves, budget, max_creators=k, selection=False)
        assert a.proven and a.creators_hired <= k
        assert_feasible(curves, a, budget)
        best = max(optimize(curves.assign(max_spend=np.where(np.isin(np.arange(n), hired), curves["max_spend"], 0.0)),
                            budget, selection=False).total_response
                   for hired in itertools.combinations(range(n), k))
        assert a.total_response == pytest.approx(best, rel=1e-6)


def test_twenty_creators_paid_by_the_dollar_under_any_hire_limit_are_proven_in_a_few_nodes():
    rng = np.random.default_rng(1)
    curves = table({"name": [f"N/@c{i}" for i in range(20)], "network": "N", "curve": "log",
                    "beta": rng.uniform(8e3, 12e3, 20), "k": rng.uniform(2e3, 6e3, 20)})
    for k in (2, 4, 6, 8, 10):  # 6-10 used to end in "No plan that meets every bound was found"
        a = optimize(curves, 20_000, max_creators=k, selection=False)
        assert a.proven and a.creators_hired == k and a.nodes <= 10


def _mixed_roster(seed: int):
    """Creators by the post and by the dollar on two networks, each network's paid media (an S-curve on A)."""
    rng = np.random.default_rng(seed)
    n = 7
    nets = rng.choice(["A", "B"], n)
    unit = np.where(rng.random(n) < 0.5, rng.choice([500.0, 800.0, 1200.0], n), np.nan)
    curves = table({"name": [f"{g}/@c{i}" for i, g in enumerate(nets)], "network": nets,
                    "curve": rng.choice(["log", "hill"], n), "beta": rng.uniform(5e3, 15e3, n),
                    "k": rng.uniform(1e3, 6e3, n), "s": rng.uniform(0.6, 1.8, n), "unit_cost": unit,
                    "max_spend": np.where(np.isfinite(unit), unit * rng.integers(1, 6, n),
                                          np.where(rng.random(n) < 0.4, rng.uniform(2e3, 8e3, n), np.nan))})
    paid = table({"name": ["A", "B"], "network": ["A", "B"], "curve": ["hill", "log"], "beta": rng.uniform(1e4, 3e4, 2),
                  "k": rng.uniform(2e3, 8e3, 2), "s": [rng.uniform(0.7, 2.0), np.nan]})
    curves = pd.concat([curves, paid], ignore_index=True)
    budget = float(rng.uniform(6e3, 25e3))
    nb = None
    if rng.random() < 0.6:
        share = budget * np.array([0.5, 0.5])
        nb = pd.DataFrame({"network": ["A", "B"], "min_spend": share * rng.uniform(0.0, 0.7, 2),
                           "max_spend": share * rng.uniform(1.1, 1.9, 2)})
    return curves, budget, nb, int(rng.integers(1, n))


@pytest.mark.parametrize("seed", [15, 17, 22, 56, 67])
def test_a_mixed_roster_under_a_hire_limit_matches_every_choice_of_whom_to_hire(seed):
    # found by a fuzz of 90 such rosters: with creators paid by the dollar the search priced a hire so high that
    # every node short of the limit kept the price on its free places, and split the S-curve for ever (10 % short
    # after 60 s), or never decided whom to hire while the relaxed plan hired too many (7 % short)
    curves, budget, nb, k = _mixed_roster(seed)
    a = optimize(curves, budget, network_bounds=nb, max_creators=k, selection=False)
    assert a.proven and a.creators_hired <= k
    best = -np.inf
    for r in range(k + 1):
        for hired in itertools.combinations(range(7), r):
            off = [i for i in range(7) if i not in hired]
            c2 = curves.copy()
            c2.loc[off, "max_spend"] = 0.0
            try:
                best = max(best, optimize(c2, budget, network_bounds=nb, selection=False).total_response)
            except InfeasibleError:
                continue
    assert a.total_response == pytest.approx(best, rel=1e-6)


def test_a_network_minimum_of_a_fraction_of_a_cent_is_a_cent():
    """Found by hypothesis: a minimum of 0.39 cents on IG read as none within the programs' half-cent tolerance, so
    the one creator allowed was TikTok's. Bounds are whole cents: IG gets a post."""
    curves = pd.DataFrame({"name": ["IG/@a", "TT/@b"], "network": ["IG", "TT"], "curve": ["hill", "hill"],
                           "beta": [50.0, 80.0], "k": [20.0, 20.0], "s": [1.0, 1.0], "unit_cost": [25.0, 25.0],
                           "max_spend": [25.0, 25.0], "min_spend": [0.0, 0.0]})
    nb = pd.DataFrame({"network": ["IG"], "min_spend": [0.00390625], "max_spend": [np.nan]})
    a = optimize(curves, 50.0, network_bounds=nb, max_creators=1)
    assert a.table.set_index("name").loc["IG/@a", "spend"] == 25.0 and a.creators_hired == 1
