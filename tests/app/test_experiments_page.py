"""The Model page takes a table of experiments, refits with them and shows each beside the model before and after."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]
LIFTS = b"Network,Start date,End date,Lift,Lift SE\nInstagram,2024-03-04,2024-03-31,120000,15000\n"


def _model_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.switch_page("pages/2_Model.py").run()
    assert not at.exception, at.exception
    return at


def _uploader(at: AppTest):
    return next(u for u in at.file_uploader if "experiments" in u.label)


def test_experiments_calibrate_the_fit_and_are_shown_before_and_after():
    at = _model_page()
    assert not [d for d in at.dataframe if "Measured lift" in d.value.columns]  # none before a file is given
    _uploader(at).upload("lifts.csv", LIFTS, "text/csv").run()
    assert not at.exception, at.exception
    shown_tables = [d.value for d in at.dataframe if "Measured lift" in d.value.columns]
    assert len(shown_tables) == 1
    row = shown_tables[0].iloc[0]
    assert row["Network"] == "Instagram" and row["Measured lift"] == 120000
    # the model moves toward what the experiment measured
    assert abs(row["Model, with them"] - 120000) < abs(row["Model, without experiments"] - 120000)
    captions = [shown(c.value) for c in at.caption]
    assert any(c.startswith("Calibrated with 1 experiment: before it, the model was") for c in captions)
    at.button(key="experiments_off").click().run()
    assert not at.exception, at.exception
    assert not [d for d in at.dataframe if "Measured lift" in d.value.columns]


def test_an_experiments_file_that_cannot_be_used_is_a_sentence():
    at = _model_page()
    _uploader(at).upload("spend.csv", b"Week,Spend\n2024-01-01,10\n", "text/csv").run()
    assert not at.exception, at.exception
    assert any("spend.csv has no table of experiments" in shown(e.value) for e in at.error)


def test_a_heavy_up_beside_a_holdout_is_shown_as_the_money_it_moved():
    lifts = (b"Network,Start date,End date,Lift,Lift SE,Incremental spend\n"
             b"Instagram,2024-03-04,2024-03-31,120000,15000,\n"
             b"Instagram,2024-06-03,2024-06-30,4000,1500,3000\n")
    at = _model_page()
    _uploader(at).upload("lifts.csv", lifts, "text/csv").run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Measured lift" in d.value.columns)
    assert table["Test"].tolist() == ["holdout (all its spend)", "$3,000 of its spend"]
    assert (table["Model, with them"] > 0).all()
    # the heavy-up's modelled lift is the lift of its $3,000 only: below the holdout's of a whole 4 weeks
    assert table["Model, with them"].iloc[1] < 0.5 * table["Model, with them"].iloc[0]
