"""The app writes amounts in the data's currency, read from the files or chosen on the Data page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import ui.cache
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "streamlit_app.py"
EUR_EXPORT = (ROOT / "sample_data" / "meta_ads_export_eur.csv").read_bytes()
TIMEOUT = 240


def _app() -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _text(at: AppTest) -> str:
    """What the page says, as a reader sees it (the app sends text with Markdown escapes)."""
    parts = [e.value for e in (*at.markdown, *at.caption, *at.error, *at.sidebar.caption)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(shown(str(p)) for p in parts)


def test_the_sample_says_it_does_not_state_its_currency():
    at = _app()
    assert "The files do not say their currency, so amounts are shown in US dollars (USD)." in _text(at)


def test_euros_read_from_the_export_are_shown_on_every_page_and_can_be_changed():
    ui.cache._fits.clear()
    at = _app()
    at.file_uploader[0].upload("meta_ads_export_eur.csv", EUR_EXPORT, "text/csv").run()
    assert not at.exception, at.exception
    text = _text(at)
    assert 'Amounts are in euros (EUR), as meta_ads_export_eur.csv, column "Amount spent (EUR)" says.' in text
    at.switch_page("pages/3_Optimize.py").run()
    assert not at.exception, at.exception
    text = _text(at)
    assert "€" in text and "$" not in text, text
    assert at.number_input(key="budget_input").label == "Exact amount (EUR)"
    at.switch_page("streamlit_app.py").run()
    box = next(s for s in at.selectbox if s.label == "Currency")
    box.select("GBP").run()
    assert not at.exception, at.exception
    assert "shown in pounds sterling (GBP), as chosen" in _text(at)
    at.switch_page("pages/3_Optimize.py").run()
    text = _text(at)
    assert "£" in text and "€" not in text


def test_files_in_two_currencies_are_refused_with_a_sentence():
    ui.cache._fits.clear()
    dollars = ("Date,Network,Spend,Revenue\n" + "".join(
        f"2026-0{1 + i // 28}-{1 + i % 28:02d},TikTok,${100 + 7 * i},${300 + 15 * i}\n" for i in range(56))).encode()
    at = _app()
    at.file_uploader[0].upload("meta_ads_export_eur.csv", EUR_EXPORT, "text/csv")
    at.file_uploader[0].upload("tiktok_usd.csv", dollars, "text/csv").run()
    assert not at.exception, at.exception
    sentence = "meta_ads_export_eur.csv is in EUR and tiktok_usd.csv in USD: the planner would add one to the other."
    assert sentence in _text(at)
    at.switch_page("pages/3_Optimize.py").run()
    assert not at.exception, at.exception
    assert sentence in _text(at)
