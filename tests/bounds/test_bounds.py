"""planner.bounds.bounds: one value for every bound, read and written in each shape the planner meets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.base.errors import InfeasibleError, InputError
from planner.bounds import presets
from planner.bounds.bounds import Bounds, NetworkBound, RowBound
from planner.optimize import optimize


def curves() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["Instagram", "TikTok", "TikTok/@lena"], "network": ["Instagram", "TikTok", "TikTok"],
        "curve": ["log", "log", "hill"], "beta": [50_000.0, 40_000.0, 20_000.0], "k": [5_000.0, 2_000.0, 1_500.0],
        "s": [np.nan, np.nan, 1.4], "min_spend": [0.0, 500.0, 0.0], "max_spend": [np.nan, 30_000.0, 8_000.0],
        "current_spend": [10_000.0, 6_000.0, 2_000.0],
    })


def same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """The same bounds for the optimizer (an empty max_spend and inf both mean no limit)."""
    def bounds(df):
        return df["min_spend"].fillna(0.0).tolist(), df["max_spend"].fillna(np.inf).tolist()

    return a.drop(columns=["min_spend", "max_spend"]).equals(b.drop(columns=["min_spend", "max_spend"])) and \
        bounds(a) == bounds(b)


def test_the_editor_tables_read_back_as_the_same_bounds():
    b = Bounds(rows=(RowBound("TikTok", 1_000.0, 9_000.0, False, "TikTok"),
                     RowBound("TikTok/@lena", math.nan, math.nan, True, "TikTok")),
               networks=(NetworkBound("Instagram", 2_000.0, math.nan),))
    rows, nets, missing = b.editor_tables(curves())
    assert missing == []
    assert rows.loc["TikTok", "Min spend"] == 1_000.0 and rows.loc["TikTok", "Max spend"] == 9_000.0
    assert bool(rows.loc["TikTok/@lena", "Lock at current"]) and rows.loc["Instagram", "Min spend"] == 0.0
    assert math.isnan(rows.loc["Instagram", "Max spend"])  # no limit shows as an empty cell
    assert nets.loc["TikTok", "Current spend"] == 8_000.0 and nets.loc["Instagram", "Min spend"] == 2_000.0
    again = Bounds.from_editor(rows, nets)
    assert same(again.apply(curves()), b.apply(curves()))
    assert again.network_frame().equals(b.network_frame())


def test_apply_locks_at_current_spend_and_leaves_rows_not_named():
    out = Bounds(rows=(RowBound("TikTok/@lena", lock=True),)).apply(curves())
    assert out.loc[2, ["min_spend", "max_spend"]].tolist() == [2_000.0, 2_000.0]
    assert out.loc[1, ["min_spend", "max_spend"]].tolist() == [500.0, 30_000.0]
    out = Bounds(rows=(RowBound("TikTok"),)).apply(curves())  # empty cells: $0 and no limit
    assert out.loc[1, "min_spend"] == 0.0 and out.loc[1, "max_spend"] == np.inf


def test_a_scenarios_tables_round_trip():
    b = Bounds(rows=(RowBound("TikTok", 1_000.0, math.nan, False, "TikTok"),),
               networks=(NetworkBound("TikTok", math.nan, 12_000.0),))
    rows, nets = b.saved()
    assert list(rows.columns) == ["name", "network", "min_spend", "max_spend", "lock"]
    assert list(nets.columns) == ["network", "min_spend", "max_spend"]
    assert Bounds.from_saved(rows, nets) == b
    assert Bounds().saved() == (None, None)


def test_problems_are_sentences_naming_the_row_or_network():
    b = Bounds(rows=(RowBound("TikTok", -5_000.0), RowBound("Instagram", 9_000.0, 3_000.0), RowBound("X", lock=True)),
               networks=(NetworkBound("TikTok", 10_000.0, 2_000.0),))
    problems = b.problems(curves())
    assert problems == [
        "TikTok: the minimum spend -$5,000 is negative; use $0 or more.",
        "Instagram: the minimum spend $9,000 is above the maximum $3,000.",
        "X: there is no current spend to lock it at.",
        "TikTok: the network minimum $10,000 is above its maximum $2,000.",
    ]


def test_the_network_table_is_read_once_for_the_optimizer_and_the_command_line():
    frame = pd.DataFrame({" Network ": ["tiktok", "Instagram"], "MAX_SPEND": [9_000.0, None]})
    b = Bounds.from_network_frame(frame)
    lo, hi = b.network_arrays(["Instagram", "TikTok"])
    assert lo.tolist() == [0.0, 0.0] and hi.tolist() == [np.inf, 9_000.0]
    with pytest.raises(InputError, match="not a network of the curve table"):
        Bounds.from_network_frame(pd.DataFrame({"network": ["Snap"], "min_spend": [1.0]})).network_arrays(["X"])
    with pytest.raises(InputError, match="need a 'network' column"):
        Bounds.from_network_frame(pd.DataFrame({"net": ["X"]}))
    with pytest.raises(InfeasibleError, match="above its maximum"):
        Bounds(networks=(NetworkBound("X", 5.0, 1.0),)).network_arrays(["X"])


def test_resolve_is_the_presets_in_order_and_the_optimizer_keeps_every_bound():
    b = Bounds(networks=(NetworkBound("TikTok", math.nan, 20_000.0),), spend_range=(0.5, 2.0), network_share=0.6)
    got_curves, got_nb = b.resolve(curves(), 40_000.0)
    want = presets.spend_range(curves(), 0.5, 2.0)
    want, want_nb = presets.max_share(want, 40_000.0, 0.6, None, b.network_frame())
    pd.testing.assert_frame_equal(got_curves, want)
    pd.testing.assert_frame_equal(got_nb, want_nb)
    a = optimize(got_curves, 40_000.0, got_nb)
    by_net = a.table.groupby("network")["spend"].sum()
    assert by_net["TikTok"] <= 20_000.0 + 0.005 and by_net.max() <= 0.6 * 40_000.0 + 0.005
    with pytest.raises(InputError, match="spend range"):
        Bounds(spend_range=(2.0, 1.0))
    with pytest.raises(InputError, match="share of the budget"):
        Bounds(row_share=1.5)


_money = st.one_of(st.just(math.nan), st.floats(min_value=0, max_value=1e7, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_money, _money, st.booleans()), min_size=3, max_size=3),
       st.lists(st.tuples(_money, _money), min_size=2, max_size=2))
def test_any_bounds_survive_the_editor_and_the_scenario(rows, nets):
    names, networks = ["Instagram", "TikTok", "TikTok/@lena"], ["Instagram", "TikTok"]
    b = Bounds(rows=tuple(RowBound(n, lo, hi, lock, g) for n, g, (lo, hi, lock) in
                          zip(names, ["Instagram", "TikTok", "TikTok"], rows, strict=True)),
               networks=tuple(NetworkBound(n, lo, hi) for n, (lo, hi) in zip(networks, nets, strict=True)))
    saved = Bounds.from_saved(*b.saved())
    assert same(saved.apply(curves()), b.apply(curves()))
    edited = Bounds.from_editor(*b.editor_tables(curves())[:2])
    assert same(edited.apply(curves()), b.apply(curves()))
    frame = b.network_frame()
    assert (frame is None) == (edited.network_frame() is None)
    if frame is not None:
        pd.testing.assert_frame_equal(edited.network_frame(), frame)


def test_a_scenario_gives_back_its_bounds_as_one_value():
    from planner.scenarios import Scenario

    b = Bounds(rows=(RowBound("TikTok", 1_000.0, 9_000.0, False, "TikTok"),),
               networks=(NetworkBound("Instagram", 2_000.0, math.nan),))
    rows, nets = b.saved()
    curves_used, nb = b.resolve(curves(), 30_000.0)
    s = Scenario.from_allocation("Q3", optimize(curves_used, 30_000.0, nb), curves_used, bounds=rows,
                                 network_bounds=nets)
    assert s.spend_bounds == b
    assert Scenario.from_allocation("Q3", optimize(curves(), 30_000.0), curves()).spend_bounds == Bounds()
