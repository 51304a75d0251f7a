"""A plan with creators' campaign controls set (a discount on every campaign): rows scaled by the control's effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.base.errors import InputError
from planner.curves.campaign_controls import EFFECT, USUAL, control_names, for_controls, usual_level
from planner.report.controls_text import controls_label, controls_text


def table() -> pd.DataFrame:
    """Two creators with a discount's effect (0.02 per point, usual 6), one paid-media row without."""
    return pd.DataFrame({
        "name": ["Instagram/@a", "TikTok/@b", "Instagram"], "network": ["Instagram", "TikTok", "Instagram"],
        "curve": ["hill", "log", "hill"], "beta": [10_000.0, 8_000.0, 50_000.0], "k": [2_000.0, 1_000.0, 9_000.0],
        "s": [1.3, np.nan, 1.1], "beta_p10": [8_000.0, 6_000.0, 40_000.0], "beta_p90": [12_000.0, 9_000.0, 60_000.0],
        EFFECT + "discount %": [0.02, 0.02, np.nan], USUAL + "discount %": [6.0, 6.0, np.nan],
    })


def test_every_campaign_at_a_discount_scales_the_creators_by_its_effect_and_leaves_paid_media():
    c = table()
    at20 = for_controls(c, {"Discount %": 20})  # named in any case: a curve table's columns are read in lower case
    want = np.exp(0.02 * (20 - 6))
    assert at20["beta"].tolist() == pytest.approx([10_000 * want, 8_000 * want, 50_000.0])
    assert (at20["beta_p90"] / at20["beta"]).tolist() == pytest.approx((c["beta_p90"] / c["beta"]).tolist())
    assert at20[USUAL + "discount %"].tolist()[:2] == [20.0, 20.0]  # the table now reads as made for it
    none = for_controls(c, {"discount %": 0})
    assert none["beta"].iloc[0] == pytest.approx(10_000 * np.exp(-0.12))
    assert for_controls(c, {"discount %": None}) is c and for_controls(c, None) is c
    assert c["beta"].iloc[0] == 10_000.0  # the input is not changed


def test_the_controls_are_listed_with_their_usual_level_and_a_plan_says_what_it_assumed():
    c = table()
    assert control_names(c) == ["discount %"] and usual_level(c, "discount %") == 6.0
    assert control_names(c.drop(columns=[EFFECT + "discount %"])) == [] and control_names(None) == []
    assert controls_text(c, {"Discount %": 20}) == ("Planned with discount % at 20 on every campaign (usual 6): "
                                                    "creators' campaigns earn +32% against their usual.")
    assert controls_text(c, {}) == "" and controls_text(c, {"discount %": None}) == ""
    assert controls_label(c, {"Discount %": 20}) == "discount % at 20"  # the sidebar's line beside the budget
    assert controls_label(c, {"discount %": None, "launch": 1}) == "" and controls_label(None, {"discount %": 5}) == ""


@pytest.mark.parametrize(("values", "words"), [
    ({"Launch": 1}, 'The curve table has no campaign control "Launch"; it has: discount %.'),
    ({"discount %": float("nan")}, 'The value of "discount %" must be a number'),
])
def test_a_control_the_table_lacks_or_no_number_is_a_sentence(values, words):
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        for_controls(table(), values)


def test_a_tables_set_controls_are_read_back_against_its_fit():
    from planner.curves.campaign_controls import set_controls

    c = table()
    assert set_controls(for_controls(c, {"discount %": 20}), c) == {"discount %": 20.0}
    assert set_controls(c, c) == {} and set_controls(None, c) == {} and set_controls(c, None) == {}


def test_the_workbooks_summary_says_the_controls_a_plan_set():
    from planner.report.export_files import export_meta

    said = controls_text(table(), {"discount %": 20})
    assert export_meta([("a.csv", "")], table(), controls=said)["campaign_controls"] == said
    assert "campaign_controls" not in export_meta([("a.csv", "")], table())


def test_a_control_set_beyond_what_the_campaigns_had_is_said_to_be_an_extrapolation():
    from planner.curves.campaign_controls import HIGH, LOW
    from planner.report.controls_text import controls_beyond_text

    c = table().assign(**{LOW + "discount %": [0.0, 0.0, np.nan], HIGH + "discount %": [30.0, 30.0, np.nan]})
    assert controls_beyond_text(c, {"discount %": 20}) == ""
    assert controls_beyond_text(c, {"Discount %": 50}) == ("Discount % 50 is beyond what the campaigns had (0 to 30), "
                                                           "so its effect there is an extrapolation.")
    assert controls_beyond_text(table(), {"discount %": 50}) == ""  # a table that does not say its range
