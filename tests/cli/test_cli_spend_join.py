"""The command line joins the platforms' spend exports with the shop's sales over time."""

from __future__ import annotations

import json

import pandas as pd

from tests.data.test_spend_join import exports_and_sales


def test_fit_and_optimize_find_the_sales_among_their_files_and_model_every_network(cli, tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    out = tmp_path / "curves.csv"
    run = cli("fit", *files, shop, "--bootstrap", "0", "--out", out)
    assert run.returncode == 0, run.stderr
    curves = pd.read_csv(out)
    assert sorted(curves["network"]) == ["Facebook", "Instagram", "Pinterest", "TikTok", "X", "YouTube"]
    assert set(curves["source"]) == {"marketing-mix"} and curves["beta"].gt(0).all()
    plan = cli("optimize", "--curves", out, "--budget", "300000")
    assert plan.returncode == 0, plan.stderr


def test_inspect_reads_them_together_and_says_what_each_is_alone(cli, tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    together = cli("inspect", *files, shop)
    assert together.returncode == 0, together.stderr
    assert together.stdout.startswith("meta_ads_spend.csv + tiktok_ads_spend.csv + team_spend_by_day.csv with sales from "
                                      "shop_sales_over_time.csv: 1,092 days, 6 networks, total sales only.")
    shown = json.loads(cli("inspect", *files, shop, "--json").stdout)
    assert shown["kind"] == "total" and shown["joined"][-1] == "shop_sales_over_time.csv"
    assert round(sum(shown["spend_by_network"].values())) == 1_560_000
    alone = cli("inspect", shop)
    assert alone.returncode == 0 and alone.stdout.startswith("shop_sales_over_time.csv: Sales by day:")
    assert "It has no spend: give it with the ad platforms' spend exports" in alone.stdout
    assert json.loads(cli("inspect", shop, "--json").stdout)["kind"] == "sales over time"
    export = cli("inspect", files[1])
    assert export.returncode == 1 and "load the shop's sales over time" in export.stdout
    assert "rows 2 to " in export.stdout  # every row left out for one reason: one line, not a thousand
    refused = cli("fit", shop, "--out", tmp_path / "c.csv")
    assert refused.returncode != 0 and "sales over time without spend" in refused.stderr


def test_inspect_of_files_that_are_not_one_table_is_refused_with_what_to_do(cli, tmp_path):
    files, _, _ = exports_and_sales(tmp_path)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        pd.read_csv(files[1]).assign(Revenue=1.0).to_csv(path, index=False)
    run = cli("inspect", a, b)
    assert run.returncode != 0 and "These files read as 2 tables (a.csv, b.csv)" in run.stderr


def test_the_joined_model_is_calibrated_by_lift_tests_of_its_networks(cli, tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    lifts = tmp_path / "lifts.csv"
    pd.DataFrame({"name": ["TikTok", "Facebook"], "start": ["2025-09-01", "2025-10-06"],
                  "end": ["2025-09-28", "2025-11-02"], "lift": [9000.0, 30000.0],
                  "lift_se": [1500.0, 4500.0]}).to_csv(lifts, index=False)
    plain, tested = tmp_path / "plain.csv", tmp_path / "tested.csv"
    assert cli("fit", *files, shop, "--bootstrap", "0", "--out", plain).returncode == 0
    run = cli("fit", *files, shop, "--bootstrap", "0", "--experiments", lifts, "--out", tested)
    assert run.returncode == 0, run.stderr
    assert "Calibrated the marketing-mix model with 2 experiments from lifts.csv" in run.stdout
    a, b = pd.read_csv(plain).set_index("name"), pd.read_csv(tested).set_index("name")
    assert abs(b.loc["TikTok", "beta"] / a.loc["TikTok", "beta"] - 1) > 0.01  # the tests moved the curves
