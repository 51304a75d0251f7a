"""The platforms' spend exports and the shop's sales over time uploaded together on the Data page (AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.open_page import ok
from tests.base.markdown_shown import shown
from tests.data.test_spend_join import exports_and_sales

ROOT = Path(__file__).resolve().parents[2]


def _text(at: AppTest) -> str:
    return "\n".join(shown(str(e.value)) for e in (*at.markdown, *at.warning, *at.error, *at.caption))


def _upload(at: AppTest, paths) -> None:
    for p in paths:
        at.file_uploader[0].upload(p.name, p.read_bytes(), "text/csv")
    at.run()


def test_the_exports_and_the_sales_are_one_table_fitted_and_planned(tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    _upload(at, [*files, shop])
    ok(at)
    text = _text(at)
    name = "meta_ads_spend.csv + tiktok_ads_spend.csv + team_spend_by_day.csv with sales from shop_sales_over_time.csv"
    assert name in [shown(s.value) for s in at.subheader]
    assert "1,092 days, 6 networks, total sales only" in text
    assert "Joined from 4 files: the spend of meta_ads_spend.csv, tiktok_ads_spend.csv, team_spend_by_day.csv" in text
    assert "Nothing in" not in text  # no file is shown as one that could not be used
    assert "meta_ads_spend.csv: Spend on Facebook ($468,000) and Instagram ($436,800), Jan 02, 2023 to" in text
    assert "shop_sales_over_time.csv: Sales by day: $10,955,558 of Net sales over 1,092 days" in text
    editors = [t for t in at.dataframe if list(t.value.columns) == ["column", "field"]]
    assert len(editors) == 4  # each file's columns, correctable on its own
    at.switch_page("pages/2_Model.py").run()
    ok(at)
    assert not at.error, [e.value for e in at.error]
    assert any("A team's sheet of spend per channel and week with such a column" in c.value for c in at.caption)
    at.switch_page("pages/3_Optimize.py").run()
    ok(at)
    assert not at.error, [e.value for e in at.error]


def test_sales_alone_are_said_to_be_unused(tmp_path):
    _, shop, _ = exports_and_sales(tmp_path)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    _upload(at, [shop])
    ok(at)
    text = _text(at)
    assert "Sales by day:" in text and "of Net sales over 1,092 days" in text
    assert "Not used: no file loaded with it is spend without revenue" in text


def test_files_that_cannot_be_joined_say_why_and_keep_each_files_settings(tmp_path):
    import pandas as pd

    files, shop, _ = exports_and_sales(tmp_path)
    meta = pd.read_csv(files[0]).rename(columns={"Amount spent (USD)": "Amount spent (EUR)"})
    meta.to_csv(files[0], index=False)
    pd.read_csv(shop).rename(columns={"Net sales": "Net sales (USD)"}).to_csv(shop, index=False)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    _upload(at, [*files, shop])
    ok(at, errors=True)
    assert any("The files give their amounts in different currencies (meta_ads_spend.csv in EUR, "
               "shop_sales_over_time.csv in USD)" in shown(e.value) for e in at.error)
    assert len([t for t in at.dataframe if list(t.value.columns) == ["column", "field"]]) == 4


def test_a_sales_file_whose_sales_column_is_not_recognised_is_joined_once_the_column_is_named(tmp_path):
    import pandas as pd

    files, shop, _ = exports_and_sales(tmp_path)
    odd = tmp_path / "kasse.csv"  # the till's takings under a header the planner does not know
    pd.read_csv(shop)[["Day", "Net sales"]].rename(columns={"Net sales": "Kasse"}).to_csv(odd, index=False)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    _upload(at, [*files, odd])
    assert "Nothing in kasse.csv could be used" in _text(at)  # a date and an unknown column: not sales yet
    editor = next(t for t in at.dataframe if list(t.value.columns) == ["column", "field"]
                  and "Kasse" in set(t.value["column"]))
    rows = list(editor.value["column"])
    at.session_state[f"mapping_{odd.name}_table"] = {
        "edited_rows": {rows.index("Kasse"): {"field": "outcome"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    ok(at)
    text = _text(at)
    assert any(shown(h.value).endswith("team_spend_by_day.csv with sales from kasse.csv") for h in at.subheader)
    assert "kasse.csv: Sales by day: $10,955,558 of Kasse over 1,092 days" in text
