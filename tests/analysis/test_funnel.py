"""The funnel: counts per dollar, rates, the three-step split of return per dollar, pooling of thin creators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.analysis.funnel import compare, funnel
from planner.base.currency import using
from planner.base.errors import InputError
from planner.report.funnel_text import difference_text, funnel_table, missing_text, thin_creators_text


class Data:
    """An attributed dataset as the import returns it (only what the funnel reads)."""

    kind = "attributed"

    def __init__(self, rows: pd.DataFrame):
        self.rows = rows


def rows(n_creators: int = 8, seed: int = 3) -> pd.DataFrame:
    """Two networks' paid media and creators with campaigns: Pinterest converts less but sells dearer."""
    rng = np.random.default_rng(seed)
    out = []
    for net, conv, aov, cpd in (("Pinterest", 0.012, 92.0, 7.0), ("X", 0.008, 41.0, 11.0)):
        for k in range(n_creators):
            for c in range(1 + k % 4):
                spend = float(rng.integers(200, 3000))
                clicks = float(round(spend * cpd * rng.uniform(0.8, 1.2)))
                orders = float(rng.binomial(int(clicks), conv))
                out.append(dict(date=pd.Timestamp("2026-01-05") + pd.Timedelta(days=7 * c), network=net,
                                entity=f"@{net.lower()}{k}", spend=spend, outcome=orders * aov * rng.uniform(0.9, 1.1),
                                reach=clicks * 3.0, engagements=clicks * 0.5, clicks=clicks, orders=orders))
        spend = 20_000.0
        clicks = spend * cpd
        out.append(dict(date=pd.Timestamp("2026-01-05"), network=net, entity="", spend=spend,
                        outcome=clicks * conv * aov, reach=clicks * 3.0, engagements=np.nan, clicks=clicks,
                        orders=clicks * conv))
    return pd.DataFrame(out)


def test_return_per_dollar_is_clicks_per_dollar_times_conversion_times_order_value():
    f = funnel([Data(rows())])
    n = f.networks.set_index("network")
    assert f.present == ("reach", "engagements", "clicks", "orders") and f.missing == ()
    product = n["clicks_per_dollar"] * n["conversion"] * n["order_value"]
    assert product.to_numpy() == pytest.approx(n["roas"].to_numpy(), rel=1e-12)
    assert n.loc["Pinterest", "click_through"] == pytest.approx(1 / 3)
    # a rate is read over the rows that know both of its counts: paid media has no engagements here
    r = rows()
    known = r[r["engagements"].notna() & (r["network"] == "X")]
    assert n.loc["X", "engagements_per_1000"] == pytest.approx(1000 * known["engagements"].sum() / known["spend"].sum())


def test_thin_creators_lean_on_their_network_and_thick_ones_keep_their_own():
    r = rows(n_creators=10)
    lone = dict(date=pd.Timestamp("2026-02-02"), network="X", entity="@lucky", spend=300.0, outcome=3 * 41.0,
                reach=9_000.0, engagements=100.0, clicks=50.0, orders=3.0)  # 6 % conversion from 3 orders
    none = dict(lone, entity="@nothing", outcome=0.0, orders=0.0)
    f = funnel([Data(pd.concat([r, pd.DataFrame([lone, none])], ignore_index=True))])
    c = f.creators.set_index("name")
    net_conv = f.networks.set_index("network").loc["X", "conversion"]
    assert c.loc["X/@lucky", "conversion_own"] == pytest.approx(0.06)
    assert c.loc["X/@lucky", "conversion_pooled_weight"] > 0.5
    assert abs(c.loc["X/@lucky", "conversion"] - net_conv) < abs(0.06 - net_conv) / 2
    assert c.loc["X/@nothing", "conversion_pooled_weight"] == 1.0
    assert c.loc["X/@nothing", "order_value"] == pytest.approx(f.networks.set_index("network").loc["X", "order_value"])
    most = c["orders"].idxmax()
    assert c.loc[most, "conversion_pooled_weight"] < c.loc["X/@lucky", "conversion_pooled_weight"]
    assert c["roas_pooled"].to_numpy() == pytest.approx(
        (c["clicks_per_dollar"] * c["conversion"] * c["order_value"]).to_numpy())
    assert "pulled more than half way" in thin_creators_text(f)


def test_compare_splits_the_ratio_into_steps_that_add_up():
    f = funnel([Data(rows())])
    d = compare(f, "pinterest", "X")
    assert d.roas_a / d.roas_b == pytest.approx(float(d.steps["ratio"].prod()))
    assert d.steps["share"].sum() == pytest.approx(1.0)
    assert d.main == "order_value"
    text = difference_text(d)
    assert text.startswith("Pinterest returns $") and "Most of the difference is order value" in text
    assert "X does better on clicks per $1,000" in text
    with using("EUR"):
        assert "per €1" in difference_text(d)
    mine = compare(f, "@x1", "X")  # a creator against its network
    assert mine.a == "X/@x1" and mine.b == "X"


def test_what_the_data_lacks_is_named():
    r = rows().drop(columns=["engagements", "reach"])
    f = funnel([Data(r)])
    assert f.missing == ("reach", "engagements") and f.decomposable
    assert missing_text(f) == "The data has no reach and engagements, so the funnel skips those steps."
    table = funnel_table(f)
    assert "Reach per $1,000" not in table and "Click-through" not in table and "Conversion" in table
    bare = funnel([Data(r.drop(columns=["clicks", "orders"]))])
    assert not bare.decomposable and "cannot be split" in missing_text(bare)
    with pytest.raises(InputError, match="no clicks and orders"):
        compare(bare, "Pinterest", "X")
    with pytest.raises(InputError, match="neither a network nor a creator"):
        compare(f, "Pinterest", "Snapchat")


def test_a_marketing_mix_table_has_no_funnel():
    class Total:
        kind = "total"
        rows = pd.DataFrame({"date": [pd.Timestamp("2026-01-05")], "network": ["X"], "spend": [100.0]})

    f = funnel([Total()])
    assert f.networks.empty and f.creators.empty and not f.decomposable
