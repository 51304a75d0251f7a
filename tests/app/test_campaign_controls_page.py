"""A creators' tracker with a discount per campaign in the app (AppTest): the Data page names the control the
creators' fit uses, and the Model page says what the discounts did and that the curves are at the usual ones."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.open_page import ok, save_change_and_load
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]


def _with_discounts(folder: Path) -> AppTest:
    """The app with the generator's tracker of discount codes uploaded on the Data page."""
    from planner.bench.fit_sample import generator

    tracker = Path(generator().generate(folder / "data", 9, creator_promos=True)["creator_campaigns"])
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload(tracker.name, tracker.read_bytes(),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    return at


def test_the_discounts_are_named_on_the_data_page_and_their_lift_on_the_model_page(tmp_path):
    at = _with_discounts(tmp_path)
    ok(at, errors=True)
    page = " ".join(shown(str(e.value)) for e in [*at.markdown, *at.caption, *at.warning, *at.info])
    page += " ".join(" ".join(d.value.astype(str).to_numpy().ravel()) for d in at.dataframe)
    assert "Controls used by the creators' fit: Discount %." in page
    at.switch_page("pages/2_Model.py").run()
    ok(at)
    notes = [shown(i.value) for i in at.info]
    assert any(n.startswith("creator_campaigns.xlsx: Campaigns at Discount % ") and "at the team's usual controls" in n
               for n in notes), notes


def test_the_optimize_page_plans_every_campaign_at_a_discount_or_as_usual(tmp_path):
    at = _with_discounts(tmp_path)
    at.switch_page("pages/3_Optimize.py").run()
    ok(at)
    box = next(n for n in at.number_input if n.label == "Discount % on the plan's campaigns")
    assert box.value is None and box.placeholder.startswith("as usual (")

    def revenue() -> float:
        return float(next(m.value for m in at.metric if m.label == "Expected revenue").replace("$", "").replace(",", ""))

    usual = revenue()
    box.set_value(20.0).run()
    ok(at)
    assert revenue() > 1.1 * usual
    assert any(shown(c.value).startswith("Planned with discount % at 20 on every campaign (usual ") for c in at.caption)
    assert any("**Campaigns:** discount % at 20" in c.value for c in at.sidebar.caption), \
        [c.value for c in at.sidebar.caption]
    for page in ("pages/8_Plan_over_time.py", "pages/4_Tradeoffs.py"):  # (Finance plan: the sample plan is foreign)
        at.switch_page(page).run()  # each plans the same campaigns, and says so
        ok(at)
        assert any(shown(c.value).startswith("Planned with discount % at 20 on every campaign (usual ")
                   and shown(c.value).endswith("Set on the Optimize page.") for c in at.caption), page
    at.switch_page("pages/6_Export.py").run()  # the workbook's Summary says the discount (export_meta, tested)
    ok(at)
    at.switch_page("pages/3_Optimize.py").run()
    ok(at)
    assert next(n for n in at.number_input if n.label == "Discount % on the plan's campaigns").value == 20.0
    assert revenue() > 1.1 * usual


def test_a_scenario_saved_with_a_discount_loads_it_back(tmp_path, monkeypatch):
    from planner.scenarios.database import ENV_PATH, ENV_URL

    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "scenarios.db"))
    at = _with_discounts(tmp_path)
    at.switch_page("pages/3_Optimize.py").run()
    label = "Discount % on the plan's campaigns"
    next(n for n in at.number_input if n.label == label).set_value(20.0).run()
    said = save_change_and_load(at, "Codes on every campaign",  # back to as usual before the load
                                lambda a: next(n for n in a.number_input if n.label == label).set_value(None).run())
    assert "every campaign with discount % at 20." in shown(said)
    assert next(n for n in at.number_input if n.label == label).value == 20.0
