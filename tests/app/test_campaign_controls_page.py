"""A creators' tracker with a discount per campaign in the app (AppTest): the Data page names the control the
creators' fit uses, and the Model page says what the discounts did and that the curves are at the usual ones."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.open_page import ok
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]


def test_the_discounts_are_named_on_the_data_page_and_their_lift_on_the_model_page(tmp_path):
    from planner.bench.fit_sample import generator

    tracker = Path(generator().generate(tmp_path / "data", 9, creator_promos=True)["creator_campaigns"])
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload(tracker.name, tracker.read_bytes(),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    ok(at, errors=True)
    page = " ".join(shown(str(e.value)) for e in [*at.markdown, *at.caption, *at.warning, *at.info])
    page += " ".join(" ".join(d.value.astype(str).to_numpy().ravel()) for d in at.dataframe)
    assert "Controls used by the creators' fit: Discount %." in page
    at.switch_page("pages/2_Model.py").run()
    ok(at)
    notes = [shown(i.value) for i in at.info]
    assert any(n.startswith("creator_campaigns.xlsx: Campaigns at Discount % ") and "at the team's usual controls" in n
               for n in notes), notes
