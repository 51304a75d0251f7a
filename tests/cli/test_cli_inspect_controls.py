"""``inspect`` names the controls of the marketing-mix model and the columns nothing reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.cli_run import SAMPLE

PEER = Path(__file__).resolve().parents[3] / "shared" / "peer_data"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def test_inspect_json_lists_controls_and_unused_columns(cli):
    r = cli("inspect", _need(PEER / "robyn" / "dt_simulated_weekly.csv"), "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["unused_columns"] == ["facebook_I", "search_clicks_P"]
    assert info["controls"] == ["competitor_sales_B", "events: event1", "events: event2", "newsletter"]
    assert any("Controls used by the marketing-mix model" in w["message"] for w in info["warnings"])


def test_inspect_map_control_adds_a_column(cli):
    path = _need(PEER / "pymc_marketing" / "mmm_example.csv")
    before = json.loads(cli("inspect", path, "--json").stdout)
    after = json.loads(cli("inspect", path, "--map", "t=control", "--json").stdout)
    assert before["controls"] == ["event_1", "event_2"] and before["unused_columns"] == ["dayofyear", "t"]
    assert after["controls"] == ["event_1", "event_2", "t"] and after["unused_columns"] == ["dayofyear"]


def test_inspect_text_names_the_controls(cli):
    r = cli("inspect", _need(PEER / "meridian" / "national_media.csv"))
    assert r.returncode == 0, r.stderr
    assert ("Controls used by the marketing-mix model: competitor_activity_score_control, sentiment_score_control."
            in r.stdout)
    assert "Not used: Channel0_impression" in r.stdout


def test_inspect_json_of_an_attributed_file_lists_unused_columns(cli):
    info = json.loads(cli("inspect", SAMPLE / "meta_ads_export_eur.csv", "--json").stdout)
    assert info["kind"] == "attributed"
    assert info["unused_columns"] == ["Impressions"] and info["controls"] == []
