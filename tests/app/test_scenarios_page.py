"""The Scenarios page as a user drives it (AppTest, sample data): save the current plan,
list, load into the settings, rename, delete, compare with table and chart; each test on
its own SQLite file (PLANNER_SCENARIO_DB)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.scenarios.access import Person
from planner.scenarios.database import ENV_PATH, ENV_URL
from planner.scenarios.store import ScenarioStore
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "streamlit_app.py"
PAGE = "pages/7_Scenarios.py"
OPTIMIZE = "pages/3_Optimize.py"
TIMEOUT = 120


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "team" / "scenarios.db"
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_PATH, str(path))
    return path


def _page() -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> list[str]:
    """The text of each element as the user reads it (user text is sent with markdown escapes)."""
    return [shown(str(e.value)) for e in elements]


def _save(at: AppTest, name: str, note: str = "", overwrite: bool = False) -> AppTest:
    at.text_input(key="scenario_name").input(name)
    at.text_input(key="scenario_note").input(note)
    at.checkbox(key="scenario_overwrite").check() if overwrite else None
    at.button(key="save_scenario").click().run()
    assert not at.exception, at.exception
    return at


def _list(at: AppTest):
    return next(d.value for d in at.dataframe if "Saved (UTC)" in d.value.columns)


def _chart_data(chart) -> list:
    """The data sets Streamlit sent with a chart (it moves inline data out of the spec)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    return [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]


def _set_budget(at: AppTest, budget: float) -> None:
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="budget_input").set_value(budget).run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception


def test_the_page_renders_with_no_scenarios_and_names_its_database(db):
    at = _page()
    assert at.title[0].value == "Scenarios"
    assert not at.error, _texts(at.error)
    assert any("No scenarios saved yet" in t for t in _texts(at.info))
    assert any("Saved scenarios live in: This computer (SQLite)." in t for t in _texts(at.caption))
    page = " ".join(_texts([*at.markdown, *at.caption, *at.info, *at.error, *at.success]))
    assert str(db.parent) not in page and "sqlite" not in page  # where the file is: not a visitor's business
    assert db.exists()  # created with its folder


def test_save_lists_the_plan_and_stores_it_whole(db):
    at = _page()
    # the plan rests on the sample's curves, four of which its data barely support: said before it is saved
    warned = [shown(w.value) for w in at.warning if "barely support" in w.value]
    assert len(warned) == 1 and warned[0].startswith("Optimal for these curves only: the data barely support 4 of ")
    _save(at, "Q3 base", note="today's budget")
    assert _texts(at.success) and _texts(at.success)[0].startswith("Saved the plan as 'Q3 base':")
    listed = _list(at)
    assert listed["Name"].tolist() == ["Q3 base"]
    assert listed["Data"].tolist() == ["as loaded now"] and listed["Note"].tolist() == ["today's budget"]
    with ScenarioStore(path=db) as store:
        s = store.load("Q3 base")
    budget = at.session_state["planner_settings"]["budget"]
    assert budget is None  # the default budget: today's total spend
    assert s.budget == pytest.approx(s.curves["current_spend"].sum(), abs=1)
    assert s.total_spend <= s.budget + 0.005
    assert listed["Expected revenue"].iloc[0] == pytest.approx(s.total_response)
    assert listed["Budget"].iloc[0] == s.budget
    assert len(s.allocation) == len(s.curves) > 10
    assert s.bounds is None and s.network_bounds is None
    assert at.text_input(key="scenario_name").value == ""  # ready for the next one


def test_a_taken_name_is_one_sentence_and_overwrite_replaces(db):
    at = _page()
    _save(at, "Plan A")
    _set_budget(at, 150_000)
    _save(at, "plan a")
    assert _texts(at.error) == ["A scenario named 'Plan A' is already saved; choose another name or replace it."]
    _save(at, "plan a", overwrite=True)
    assert _texts(at.success)[0].startswith("Saved the plan as 'plan a'")
    with ScenarioStore(path=db) as store:
        assert store.names() == ["plan a"]
        assert store.load("Plan A").budget == 150_000
    _save(at, "   ")
    assert _texts(at.error) == ["A scenario needs a name."]


def test_load_puts_the_scenario_back_into_the_settings(db):
    at = _page()
    _set_budget(at, 120_000)
    # a bound on one row, as the Optimize page's editor keeps it
    at.switch_page(OPTIMIZE).run()
    at.session_state["bounds_editor"] = {"edited_rows": {0: {"Max spend": 5_000.0}}, "added_rows": [],
                                         "deleted_rows": []}
    at.run()
    first = at.session_state["planner_settings"]["bounds"].index[0]
    at.switch_page(PAGE).run()
    _save(at, "Capped")
    _set_budget(at, 300_000)
    at.switch_page(OPTIMIZE).run()
    at.button(key="reset_bounds").click().run()
    at.switch_page(PAGE).run()
    assert at.session_state["planner_settings"]["budget"] == 300_000
    at.selectbox(key="scenario_pick").select("Capped")
    at.button(key="load_scenario").click().run()
    assert not at.exception, at.exception
    assert _texts(at.success)[0].startswith("Loaded 'Capped' into the current settings: a budget of $120,000")
    settings = at.session_state["planner_settings"]
    assert settings["budget"] == 120_000
    assert settings["bounds"].loc[first, "Max spend"] == 5_000
    # the Optimize page now shows the loaded budget and plans with the bound
    at.switch_page(OPTIMIZE).run()
    assert not at.exception, at.exception
    assert at.number_input(key="budget_input").value == 120_000
    with ScenarioStore(path=db) as store:
        saved = store.load("Capped")
    capped = saved.allocation.set_index("name").loc[first, "spend"]
    assert capped <= 5_000 + 0.005
    assert saved.bounds.set_index("name").loc[first, "max_spend"] == 5_000


def test_load_brings_back_the_hire_limit_and_the_engagement_value(db):
    at = _page()
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="max_creators_input").set_value(6).run()
    at.number_input(key="engagement_input").set_value(0.05).run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    _save(at, "Six creators")
    with ScenarioStore(path=db) as store:
        saved = store.load("Six creators")
    assert (saved.max_creators, saved.engagement_weight) == (6, 0.05)
    listed = _list(at)
    assert listed["Creators"].tolist() == ["at most 6"]
    assert listed["Objective"].tolist() == ["revenue + $0.05 per engagement"]
    assert (saved.allocation.loc[saved.allocation["name"].str.contains("/@"), "spend"] > 0).sum() <= 6
    # back to no limit and revenue alone, then load
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="max_creators_input").set_value(None).run()
    at.number_input(key="engagement_input").set_value(0.0).run()
    at.switch_page(PAGE).run()
    at.selectbox(key="scenario_pick").select("Six creators")
    at.button(key="load_scenario").click().run()
    assert not at.exception, at.exception
    assert "each engagement worth $0.05, at most 6 creators hired." in _texts(at.success)[0]
    settings = at.session_state["planner_settings"]
    assert (settings["max_creators"], settings["engagement_weight"]) == (6, 0.05)
    at.switch_page(OPTIMIZE).run()
    assert not at.exception, at.exception
    assert at.number_input(key="max_creators_input").value == 6
    assert at.number_input(key="engagement_input").value == 0.05
    assert "Creators hired: 6 (at most 6)." in " ".join(_texts(at.caption))


def test_an_engagement_value_loaded_onto_data_without_engagements_says_it_does_not_apply(db):
    from test_pages import _paid_media_csv  # the app's pages as tests drive them

    at = _page()
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="engagement_input").set_value(0.05).run()
    at.switch_page(PAGE).run()
    _save(at, "Engaging")
    at.switch_page("streamlit_app.py").run()
    at.file_uploader[0].upload("paid.csv", _paid_media_csv(), "text/csv").run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    at.selectbox(key="scenario_pick").select("Engaging")
    at.button(key="load_scenario").click().run()
    assert not at.exception, at.exception
    warning = " ".join(_texts(at.warning))
    assert "It valued each engagement at $0.05, but the data loaded now has no engagements, so the plan is on " \
           "revenue alone." in warning


def test_rename_and_delete(db):
    at = _page()
    _save(at, "Draft")
    _set_budget(at, 100_000)
    _save(at, "Lean")
    at.selectbox(key="scenario_pick").select("Draft")
    at.text_input(key="scenario_new_name").input("Final")
    at.button(key="rename_scenario").click().run()
    assert _texts(at.success) == ["Renamed 'Draft' to 'Final'."]
    assert sorted(_list(at)["Name"]) == ["Final", "Lean"]
    at.selectbox(key="scenario_pick").select("Lean")
    at.text_input(key="scenario_new_name").input("FINAL")
    at.button(key="rename_scenario").click().run()
    assert _texts(at.error) == ["A scenario named 'Final' is already saved; choose another name or replace it."]
    at.selectbox(key="scenario_pick").select("Final")
    at.button(key="delete_scenario").click().run()
    assert _texts(at.error) == ["Tick the box to confirm that 'Final' should be deleted."]
    at.checkbox(key="scenario_confirm_delete").check()
    at.button(key="delete_scenario").click().run()
    assert _texts(at.success) == ["Deleted 'Final'."]
    assert _list(at)["Name"].tolist() == ["Lean"]
    with ScenarioStore(path=db) as store:
        assert store.names() == ["Lean"]


def test_compare_two_scenarios_with_table_and_chart(db):
    at = _page()
    _set_budget(at, 100_000)
    _save(at, "Lean")
    _set_budget(at, 400_000)
    _save(at, "Bold")
    assert any("Pick two or more" in t for t in _texts(at.info)) is False  # the newest two are picked
    assert at.multiselect(key="scenario_compare").value == ["Lean", "Bold"]  # the newest two, older first
    totals = next(d.value for d in at.dataframe if "Difference (Bold \u2212 Lean)" in d.value.columns)
    assert totals.loc["Budget"].tolist() == ["$100,000", "$400,000", "+$300,000"]
    with ScenarioStore(path=db) as store:
        lean, bold = store.load("Lean"), store.load("Bold")
    from planner.base.format import money
    assert totals.loc["Expected revenue", "Lean"] == money(lean.total_response)
    assert totals.loc["Expected revenue", "Bold"] == money(bold.total_response)
    chart = next(c for c in at.get("vega_lite_chart") if "Spend per network in each scenario" in c.proto.spec)
    spec = json.loads(chart.proto.spec)
    assert spec["encoding"]["yOffset"]["field"] == "scenario"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Lean", "Bold"]
    data = _chart_data(chart)
    got = {(r.scenario, r.network): r.value for d in data for r in d.itertuples() if "scenario" in d.columns}
    for net, spend in lean.network_table.set_index("network")["spend"].items():
        assert got[("Lean", net)] == pytest.approx(spend)
    for net, spend in bold.network_table.set_index("network")["spend"].items():
        assert got[("Bold", net)] == pytest.approx(spend)
    # the same chart for expected revenue
    at.radio(key="scenario_chart_measure").set_value("response").run()
    chart = next(c for c in at.get("vega_lite_chart")
                 if "Expected revenue per network in each scenario" in c.proto.spec)
    got = {(r.scenario, r.network): r.value for d in _chart_data(chart) for r in d.itertuples()
           if "scenario" in d.columns}
    for net, rev in bold.network_table.set_index("network")["response"].items():
        assert got[("Bold", net)] == pytest.approx(rev)
    # one scenario only: the page asks for another
    at.multiselect(key="scenario_compare").unselect("Lean").run()
    assert at.multiselect(key="scenario_compare").value == ["Bold"]
    assert any("Pick two or more scenarios" in t for t in _texts(at.info))


def test_an_unusable_database_is_one_sentence_without_its_host_user_or_name(db, monkeypatch):
    monkeypatch.setenv(ENV_URL, "postgresql://nobody:hunter2@127.0.0.1:1/plans_prod")
    at = _page()
    assert not at.exception
    errors = _texts(at.error)
    assert len(errors) == 1 and errors[0].startswith(
        "The scenario database (Team database (PostgreSQL)) could not be used")
    page = " ".join(_texts([*at.markdown, *at.caption, *at.info, *at.error]))
    for secret in ("nobody", "hunter2", "127.0.0.1", "plans_prod"):
        assert secret not in page, secret


def test_names_with_markdown_show_literally(db):
    at = _page()
    _save(at, "*Big* [plan](http://x) $5 :red[x]")
    raw = [str(e.value) for e in at.success][0]
    assert "\\*Big\\*" in raw and "\\[plan\\]" in raw and "\\$5" in raw
    assert _texts(at.success)[0].startswith("Saved the plan as '*Big* [plan](http://x) $5 :red[x]':")


def test_a_scenario_saved_on_older_curves_is_read_on_todays(db):
    import pandas as pd

    from planner.fit.saved import SAMPLE_FIT
    from planner.optimize import optimize
    from planner.scenarios import Scenario

    older = pd.read_parquet(SAMPLE_FIT)
    older.loc[older["network"] == "Instagram", "beta"] *= 1.25  # Instagram looked better then
    with ScenarioStore(path=db) as store:
        store.save(Scenario.from_allocation("Last quarter", optimize(older, 300_000), older, fingerprint="older"))
    at = _page()
    at.selectbox(key="scenario_pick").set_value("Last quarter").run()
    assert not at.exception, at.exception
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics["Saved plan, on today's curves"][1].startswith("-$")  # Instagram returns less now
    assert metrics["Re-planned on today's curves"][1].startswith("+$")
    text = " ".join(_texts(at.markdown))
    assert "'Last quarter' (saved " in text and "At the saved spend, the curves that moved most: Instagram" in text
    assert "away from Instagram" in text
    table = next(d.value for d in at.dataframe if "Re-planned spend" in d.value.columns and "Network" in d.value)
    assert table["Network"].iloc[-1] == "Total"


def test_a_scenario_saved_with_the_data_loaded_now_says_its_curves_are_todays(db):
    at = _page()
    _save(at, "Now")
    assert any("was saved with the data loaded now" in c for c in _texts(at.caption))


# ----------------------------------------------------------------------------- a team: sign-in and owners

ANA = Person("ana@example.com")
TEAM_SECRETS = {  # sign-in set up as st.login reads it; the provider is never called by these tests
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 32,
             "client_id": "planner", "client_secret": "s", "server_metadata_url":
             "http://127.0.0.1:9/.well-known/openid-configuration"},
    "PLANNER_ADMINS": "it@example.com",
}


def _signed_in(email: str, name: str = "") -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    at.secrets = dict(TEAM_SECRETS)
    at.user = {"is_logged_in": True, "email": email, "sub": f"sub-{email}", "name": name}
    at.run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _pick(at: AppTest, name: str) -> AppTest:
    at.selectbox(key="scenario_pick").select(name).run()
    assert not at.exception, at.exception
    return at


def _keys(at: AppTest) -> set[str]:
    return {w.key for w in [*at.button, *at.text_input, *at.checkbox] if w.key}


def test_a_team_member_sees_whose_each_scenario_is_and_changes_only_their_own(db):
    from tests.scenarios.scenario_data import make_scenario

    with ScenarioStore(path=db) as store:
        store.save(make_scenario("Ana's plan"), by=ANA)
    at = _signed_in("Bo@Example.com", name="Bo")
    assert "Signed in as Bo (bo@example.com)" in _texts(at.sidebar.markdown)
    assert any(b.key == "sign_out" for b in at.sidebar.button)
    _save(at, "Bo's plan")
    with ScenarioStore(path=db) as store:
        assert store.owner("Bo's plan") == "bo@example.com"
    listed = _list(at).set_index("Name")
    assert listed["Owner"].to_dict() == {"Bo's plan": "you", "Ana's plan": "ana@example.com"}
    # Ana's: load it, compare it, but no rename and no delete; a sentence says whose it is
    _pick(at, "Ana's plan")
    assert {"rename_scenario", "delete_scenario", "scenario_new_name", "scenario_confirm_delete"}.isdisjoint(_keys(at))
    assert "load_scenario" in _keys(at)
    assert ("'Ana's plan' is ana@example.com's scenario: only they or an admin can rename or delete it. Save your own "
            "copy under another name instead.") in _texts(at.caption)
    # replacing it by saving over its name is refused with the same kind of sentence
    _save(at, "ana's PLAN", overwrite=True)
    assert _texts(at.error) == ["'Ana's plan' is ana@example.com's scenario: only they or an admin can replace it. "
                                "Save your own copy under another name instead."]
    # Bo's own: rename and delete are there, and work
    _pick(at, "Bo's plan")
    assert {"rename_scenario", "delete_scenario"} <= _keys(at)
    at.text_input(key="scenario_new_name").input("Bo's final")
    at.button(key="rename_scenario").click().run()
    assert _texts(at.success) == ["Renamed 'Bo's plan' to 'Bo's final'."]
    history = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert history[["Who", "What", "Scenario", "Owner"]].values.tolist() == [
        ["you", "renamed it to 'Bo's final'", "Bo's plan", "you"],
        ["you", "saved", "Bo's plan", "you"],
        ["ana@example.com", "saved", "Ana's plan", "ana@example.com"],
    ]
    with ScenarioStore(path=db) as store:
        assert sorted(store.names()) == ["Ana's plan", "Bo's final"] and store.load("Ana's plan").budget == 60_000


def test_an_admin_may_rename_and_delete_anyones_scenario(db):
    from tests.scenarios.scenario_data import make_scenario

    with ScenarioStore(path=db) as store:
        store.save(make_scenario("Ana's plan"), by=ANA)
    at = _signed_in("it@example.com")
    assert "Signed in as it@example.com · admin" in _texts(at.sidebar.markdown)
    assert _list(at)["Owner"].tolist() == ["ana@example.com"]
    _pick(at, "Ana's plan")
    at.checkbox(key="scenario_confirm_delete").check()
    at.button(key="delete_scenario").click().run()
    assert _texts(at.success) == ["Deleted 'Ana's plan'."]
    with ScenarioStore(path=db) as store:
        assert store.names() == []
        assert store.history()[["actor", "action", "owner"]].values.tolist()[0] == [
            "it@example.com", "delete", "ana@example.com"]
