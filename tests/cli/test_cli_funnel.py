"""`python -m planner funnel`: the funnel by network and creator as text and JSON, why two returns differ,
the data's currency, the steps a file lacks, and every mistake as one sentence."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from planner.analysis.funnel import compare, funnel
from planner.base.currency import EUR, using
from planner.base.format import money, pct, roas
from planner.data.ingest import load
from planner.report.funnel_text import difference_text
from tests.cli.cli_run import SAMPLE

CAMPAIGNS = SAMPLE / "creator_campaigns.xlsx"
META_EUR = SAMPLE / "meta_ads_export_eur.csv"


@pytest.fixture(scope="module")
def sample_funnel():
    return funnel([load(CAMPAIGNS)])


def row_of(stdout: str, name: str) -> list[str]:
    """The cells of the text table's row that starts with ``name`` (not a sentence that does)."""
    line = next(line for line in stdout.splitlines()
                if line.split() and line.split()[0] == name and not line.rstrip().endswith("."))
    return line.split()


def header_of(stdout: str, first: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith(first + " "))


def test_help_names_the_options(cli):
    r = cli("funnel", "--help")
    assert r.returncode == 0
    for option in ("--compare", "--creators", "--json", "--out", "--currency", "--map", "--decimal"):
        assert option in r.stdout


def test_sample_table_and_the_default_comparison(cli, sample_funnel):
    r = cli("funnel", CAMPAIGNS)
    assert r.returncode == 0, r.stderr
    header = header_of(r.stdout, "Network")
    for label in ("Reach per $1,000", "Engagements per $1,000", "Clicks per $1,000", "Orders per $1,000",
                  "Click-through", "Conversion", "Order value", "Revenue per click", "Return per $1"):
        assert label in header
    p = sample_funnel.row("Pinterest")
    cells = row_of(r.stdout, "Pinterest")
    assert cells[1:3] == [money(p["spend"]), money(p["revenue"])]
    assert f"{p['clicks_per_1000']:,.0f}" in cells and pct(p["conversion"], decimals=2) in cells
    assert money(p["order_value"]) in cells and cells[-1] == roas(p["roas"])
    # no --compare: the highest return per dollar against the lowest
    best, worst = sample_funnel.networks.sort_values("roas")["network"].iloc[[-1, 0]]
    assert (best, worst) == ("Pinterest", "X")
    assert difference_text(compare(sample_funnel, "Pinterest", "X")) in r.stdout
    assert "The data has no" not in r.stdout  # the sample has every step


def test_pinterest_against_x_names_order_value_first(cli):
    r = cli("funnel", CAMPAIGNS, "--compare", "pinterest", "X")
    assert r.returncode == 0, r.stderr
    sentence = next(line for line in r.stdout.splitlines() if line.startswith("Pinterest returns"))
    why = sentence.split("Most of the difference is ", 1)[1]
    assert why.startswith("order value: $91.97 against $41.01")
    assert why.index("order value") < why.index("conversion")
    assert "X does better on clicks per $1,000" in why


def test_json_holds_the_tables_and_the_comparison(cli, sample_funnel):
    r = cli("funnel", CAMPAIGNS, "--compare", "Pinterest", "X", "--json", "--creators")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["currency"] == "USD" and out["missing"] == [] and out["missing_text"] == ""
    nets = {n["network"]: n for n in out["networks"]}
    assert set(nets) == set(sample_funnel.networks["network"])
    for name, n in nets.items():
        want = sample_funnel.row(name)
        for key in ("spend", "revenue", "clicks", "orders", "conversion", "order_value", "roas", "click_through"):
            assert n[key] == pytest.approx(float(want[key]), rel=1e-12), (name, key)
    c = out["comparison"]
    assert (c["a"], c["b"], c["main"]) == ("Pinterest", "X", "order_value")
    assert c["roas_a"] == pytest.approx(nets["Pinterest"]["roas"]) and c["roas_b"] == pytest.approx(nets["X"]["roas"])
    assert [s["step"] for s in c["steps"]] == ["clicks_per_dollar", "conversion", "order_value"]
    assert sum(s["share"] for s in c["steps"]) == pytest.approx(1.0)
    assert c["sentence"] == difference_text(compare(sample_funnel, "Pinterest", "X"))
    assert len(out["creators"]) == len(sample_funnel.creators) == 60
    assert all(0 <= cr["conversion_pooled_weight"] <= 1 for cr in out["creators"])
    assert "creators" not in json.loads(cli("funnel", CAMPAIGNS, "--json").stdout)


def test_creators_table_says_how_far_each_is_pulled(cli, sample_funnel):
    r = cli("funnel", CAMPAIGNS, "--creators", "--compare", "@paz_cooks", "Instagram")
    assert r.returncode == 0, r.stderr
    assert "Pulled toward network" in header_of(r.stdout, "Name")
    creator = sample_funnel.row("@paz_cooks")
    cells = row_of(r.stdout, "Instagram/@paz_cooks")
    assert pct(creator["conversion"], decimals=2) in cells  # the pooled figure
    assert cells[-1] == pct(creator["conversion_pooled_weight"], decimals=0)
    assert "creators have too few orders to say much on their own" in r.stdout
    # a creator against its network, its return the pooled one
    assert difference_text(compare(sample_funnel, "@paz_cooks", "Instagram")) in r.stdout
    assert f"Instagram/@paz_cooks returns {roas(creator['roas_pooled'])} per $1 and Instagram" in r.stdout


def test_euro_export_in_euros_without_engagements(cli):
    r = cli("funnel", META_EUR, "--creators")
    assert r.returncode == 0, r.stderr
    assert "amounts in euros" in r.stdout and "$" not in r.stdout
    header = header_of(r.stdout, "Network")
    assert "Clicks per €1,000" in header and "Return per €1" in header and "Engagements" not in header
    f = funnel([load(META_EUR)])
    with using(EUR):
        assert row_of(r.stdout, "Facebook")[1] == money(f.row("Facebook")["spend"])
        assert money(f.row("Instagram")["order_value"]) in row_of(r.stdout, "Instagram")
    assert "The data has no engagements, so the funnel skips that step." in r.stdout
    assert "Instagram returns €4.55 per €1 and Facebook €3.58" in r.stdout
    assert "The data names no creator" in r.stdout
    gbp = cli("funnel", META_EUR, "--currency", "GBP")
    assert "Return per £1" in header_of(gbp.stdout, "Network") and "€" not in gbp.stdout


def test_a_file_without_clicks_names_what_it_lacks(cli, tmp_path):
    path = tmp_path / "spend.csv"
    path.write_text("Date,Network,Spend,Revenue\n2025-01-06,Instagram,1000,4000\n2025-01-13,Instagram,1200,4500\n"
                    "2025-01-06,TikTok,800,2000\n2025-01-13,TikTok,900,2600\n")
    r = cli("funnel", path)
    assert r.returncode == 0, r.stderr
    assert "The data has no reach, engagements, clicks and orders, so return per dollar cannot be split" in r.stdout
    assert header_of(r.stdout, "Network").split() == ["Network", "Spend", "Revenue", "Return", "per", "$1"]
    assert json.loads(cli("funnel", path, "--json").stdout)["comparison"] is None
    r = cli("funnel", path, "--compare", "Instagram", "TikTok")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("Error: The data has no clicks and orders, so return per dollar cannot be split")
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(("args", "needle"), [
    (["--compare", "Pinterest", "Snapchat"], "'Snapchat' is neither a network nor a creator of the data; the "
                                             "networks are "),
    (["--out", "funnel.csv"], "The funnel is written as an .xlsx workbook, not funnel.csv."),
])
def test_mistakes_are_one_sentence(cli, args, needle):
    r = cli("funnel", CAMPAIGNS, *args)
    assert r.returncode == 1 and r.stdout == ""
    assert needle in r.stderr and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_data_without_a_funnel_is_refused(cli, tmp_path):
    r = cli("funnel", SAMPLE / "weekly_paid_media.xlsx")
    assert r.returncode == 1 and "holds no spend with its revenue per row" in r.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Network,Creator,Fee paid,Promo-code revenue\n2025-01-06,TikTok,@a,-50,100\n"
                   "2025-01-13,TikTok,@a,abc,100\n")
    r = cli("funnel", bad)
    assert r.returncode == 1 and "bad.csv has 2 errors; fix them before reading its funnel." in r.stderr
    assert "ERROR: " in r.stderr and "Traceback" not in r.stderr
    r = cli("funnel", tmp_path / "missing.csv")
    assert r.returncode == 1 and "does not exist" in r.stderr


def test_two_currencies_are_not_added_up(cli, tmp_path):
    usd = tmp_path / "usd_export.csv"
    usd.write_text("Day,Platform,Amount spent (USD),Link clicks,Purchases,Purchases conversion value\n"
                   "2025-10-06,Facebook,100,50,3,120\n2025-10-07,Facebook,110,55,4,150\n")
    r = cli("funnel", META_EUR, usd)
    assert r.returncode == 1
    assert "is in EUR and usd_export.csv in USD" in r.stderr


def test_out_writes_the_funnel_sheet(cli, tmp_path, sample_funnel):
    out = tmp_path / "funnel.xlsx"
    r = cli("funnel", CAMPAIGNS, "--out", out)
    assert r.returncode == 0, r.stderr
    assert f"Wrote the funnel of 6 networks and 60 creators to {out} (sheet Funnel)." in r.stdout
    wb = load_workbook(out, data_only=True)
    assert wb.sheetnames == ["Funnel"]
    values = [c for row in wb["Funnel"].iter_rows(values_only=True) for c in row]
    assert "Pinterest" in values and "Instagram/@paz_cooks" in values
    # with --json the object alone is on stdout
    r = cli("funnel", CAMPAIGNS, "--json", "--out", tmp_path / "again.xlsx")
    assert json.loads(r.stdout)["networks"] and "Wrote the funnel" in r.stderr
