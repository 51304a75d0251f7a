"""The Data page's funnel (issue 19): why each network returns what it does, per step, in a table, a chart and words."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

import ui.cache
from tests.base.markdown_shown import shown
from ui.funnel import K_A, K_B, TITLE

ROOT = Path(__file__).resolve().parents[2]
EUR_EXPORT = (ROOT / "sample_data" / "meta_ads_export_eur.csv").read_bytes()


def _data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    ui.cache._fits.clear()
    at.file_uploader[0].upload(name, data, "text/csv").run()
    assert not at.exception, at.exception
    return at


def _section(at: AppTest) -> list:
    """The elements below the funnel's heading, in the order of the page."""
    main = list(at.main)
    start = next(i for i, e in enumerate(main) if getattr(e, "type", "") == "subheader" and e.value == TITLE)
    return main[start + 1:]


def _sentence(at: AppTest) -> str:
    (info,) = [shown(i.value) for i in at.info]
    return info


def _funnel_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Conversion" in d.value.columns and "Name" not in d.value.columns)


def _funnel_chart(at: AppTest) -> str:
    """The spec of the funnel's chart (its title and subtitle; Streamlit keeps the data apart)."""
    (spec,) = [c.proto.spec for c in at.get("vega_lite_chart") if "The funnel per network" in c.proto.spec]
    spec = json.loads(spec)
    spec.pop("$schema", None)
    return json.dumps(spec, ensure_ascii=False)


def test_the_sample_shows_each_networks_funnel_and_why_the_best_beats_the_worst():
    at = _data_page()
    assert any(s.value == TITLE for s in at.subheader)
    table = _funnel_table(at)
    assert list(table["Network"]) == ["YouTube", "Instagram", "Facebook", "Pinterest", "TikTok", "X"]  # by spend
    assert {"Reach per $1,000", "Clicks per $1,000", "Click-through", "Conversion", "Order value",
            "Revenue per click", "Return per $1"} <= set(table.columns)
    # the decomposition first, readable without scrolling; each figure rounded as the sentence writes it
    assert list(table.columns[:6]) == ["Network", "Spend", "Return per $1", "Clicks per $1,000", "Conversion",
                                       "Order value"]
    pinterest = table.set_index("Network").loc["Pinterest"]
    assert (pinterest["Order value"], pinterest["Conversion"]) == (91.97, 0.0137)  # $91.97 and 1.37%, cents kept
    assert table.set_index("Network").loc["X", "Clicks per $1,000"] == 10976.0  # a count per $1,000, whole
    assert at.selectbox(key=K_A).value == "Pinterest" and at.selectbox(key=K_B).value == "X"  # most and least
    sentence = _sentence(at)
    assert sentence.startswith("Pinterest returns $8.55 per $1 and X $3.44")
    assert "Most of the difference is order value: $91.97 against $41.01" in sentence
    assert "In full colour: Pinterest and X, compared below." in _funnel_chart(at)
    (creators,) = [e for e in at.expander if e.label.startswith("The funnel per creator")]
    assert "pulled more than half way toward their network" in " ".join(shown(c.value) for c in creators.caption)
    assert "Pulled toward network" in creators.dataframe[0].value.columns


def test_changing_the_compared_pair_changes_the_sentence():
    at = _data_page()
    before = _sentence(at)
    at.selectbox(key=K_A).set_value("Facebook").run()
    at.selectbox(key=K_B).set_value("TikTok").run()
    assert not at.exception, at.exception
    after = _sentence(at)
    assert after != before and after.startswith("Facebook returns $7.52 per $1 and TikTok $5.74")
    assert "conversion (orders per click): 1.91% against 0.86%" in after
    creator = next(o for o in at.selectbox(key=K_B).options if o.startswith("Facebook/@"))
    at.selectbox(key=K_B).set_value(creator).run()  # a creator against its network
    assert not at.exception, at.exception
    assert creator in _sentence(at)
    assert "In full colour: Facebook, compared below." in _funnel_chart(at)
    at.selectbox(key=K_B).set_value("Facebook").run()
    assert not at.info and any("Pick two different" in c.value for c in at.caption)


def test_an_ad_export_in_euros_says_engagements_are_missing():
    at = _upload(_data_page(), "meta_ads_export_eur.csv", EUR_EXPORT)
    assert "The data has no engagements, so the funnel skips that step." in [shown(c.value) for c in at.caption]
    sentence = _sentence(at)
    assert sentence.startswith("Instagram returns €4.55 per €1 and Facebook €3.58") and "$" not in sentence
    table = _funnel_table(at)
    assert "Engagements per $1,000" not in table.columns and list(table["Network"]) == ["Facebook", "Instagram"]
    assert not [e for e in at.expander if e.label.startswith("The funnel per creator")]  # no creators, no list
    assert "Return per \u20ac1" in _funnel_chart(at) and "$" not in _funnel_chart(at)


def test_a_file_without_clicks_or_orders_shows_only_why():
    rows = "".join(f"2026-01-{d:02d},TikTok,{400 + 9 * d},{1300 + 31 * d}\n2026-01-{d:02d},Instagram,{600 + 7 * d},"
                   f"{1500 + 13 * d}\n" for d in range(1, 29))
    at = _upload(_data_page(), "spend_revenue.csv", ("Date,Network,Spend,Revenue\n" + rows).encode())
    assert any(s.value == TITLE for s in at.subheader)
    (info,) = at.info
    assert info.value.startswith("The data has no reach, engagements, clicks and orders, so return per dollar cannot "
                                 "be split")
    assert [getattr(e, "type", "") for e in _section(at)] == ["info"]  # the sentence and nothing else
    assert not [s for s in at.selectbox if s.label in ("Compare", "with")]
    assert not any("Conversion" in d.value.columns for d in at.dataframe)
    assert not [c for c in at.get("vega_lite_chart") if "The funnel per network" in c.proto.spec]
