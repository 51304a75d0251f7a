"""User text shown where Streamlit reads Markdown stays text: what a reader sees is what was typed."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.base.markdown import WORD_JOINER, bold, bullets, literal
from tests.base.markdown_shown import markup_in, shown

HOSTILE = [
    "**bold**", "__bold__", "*em*", "_em_", "~~gone~~", "~gone~", "`code`", "```fence```",
    "[x](javascript:alert(1))", "![img](http://evil.example/i.png)", "<b>bold</b>", "<script>alert(1)</script>",
    "$x$", "$$x^2$$", "$1,000 and $2,000", ":red[alert]", ":blue-background[x]", ":red-badge[x]", ":small[x]",
    ":help[x]", ":smile:", ":+1:", ":material/home:", ":streamlit:", "a -> b", "a <- b", "a <-> b", "a -- b",
    "a >= b", "a <= b", "a ~= b", "www.evil.example", "https://evil.example/x", "HTTP://EVIL.EXAMPLE",
    "ann@example.com", "# heading", "## heading", "- item", "+ item", "* item", "1. item", "1) item", "> quote",
    "---", "===", "| a | b |", "&copy; &amp; &#65;", "back\\slash\\", "trailing backslash \\", "{curly}", "^hat",
    "line\nbreak", "tab\there", "cr\rlf", "nul\x00byte", "para\u2028sep", "TikTok/@lena.bakes", "Q3 plan",
    "@handle_with_underscores", "=HYPERLINK(\"x\")", "100%", "Straße ＱＵＡＲＴＥＲ", "emoji 😀 ok",
]


def expected(text: str) -> str:
    """What a reader should see: the text, control characters as spaces, surrounding spaces aside."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text).replace(WORD_JOINER, "").strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_shows_as_typed_and_makes_no_markup(text):
    md = literal(text)
    assert markup_in(md) == [], md
    assert shown(md).strip() == expected(text)


def test_the_raw_markup_is_really_read_as_markup_by_the_model():
    """The check above can fail: unescaped, each of these is markup."""
    for raw, what in [("**b**", "<strong>"), ("[x](javascript:alert(1))", "<a>"), ("$x$", "LaTeX ($)"),
                      (":red[x]", "directive (:name[)"), (":smile:", "short code"), ("a -> b", "arrow or dash"),
                      ("www.evil.example", "bare link"), ("ann@example.com", "e-mail link"), ("# h", "<h1>"),
                      ("- i", "<ul>"), (":material/home:", "icon (:material/)")]:
        assert what in markup_in(raw), raw
    assert markup_in("$5") == [] and markup_in("$5 to $6") == ["LaTeX ($)"]


@pytest.mark.parametrize("char", sorted(set(string.punctuation)))
def test_every_ascii_punctuation_mark_shows_as_itself(char):
    for text in (char, char * 2, f"a{char}b", f"{char}a{char}", f"1{char} x"):
        md = literal(text)
        assert markup_in(md) == [] and shown(md) == text, (text, md)


def test_markup_characters_are_escaped_and_html_is_entities():
    for char in "\\`*_{}[]()#+-.!|~$:^=":
        assert literal(char) == "\\" + char
    assert literal("<a & b>") == "&lt;a &amp; b&gt;"
    assert literal(None) == "" and literal(12.5) == "12\\.5"


def test_leading_spaces_do_not_open_a_code_block():
    """Found by the property below: four spaces before a name made Markdown show it as code."""
    for text in ("    0", "\t\tQ3", "     @maya"):
        md = literal(text)
        assert markup_in(md) == [], md
        assert shown(md).strip() == expected(text)


def test_plain_names_get_no_invisible_characters():
    for name in ("TikTok/@lena.bakes", "Instagram", "Q3 plan", "@maya", "ROAS 3 to 1"):
        assert WORD_JOINER not in literal(name)
    assert literal("a->b") == "a\\-" + WORD_JOINER + "&gt;b"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
       | st.text(alphabet=string.printable + "＄：＊\u00a0\u3000", max_size=40))
def test_any_text_round_trips(text):
    md = literal(text)
    assert markup_in(md) == [], md
    assert shown(md).strip() == expected(text)


def test_bold_and_bullets():
    assert bold(" **x** ") == "**\\*\\*x\\*\\***"
    assert shown(bold("[a](b)")) == "[a](b)" and markup_in(bold("[a](b)")) == ["<strong>"]
    assert bold("") == ""
    md = bullets(["**a**", "$1 $2", "c"], limit=2)
    assert md.splitlines() == ["- \\*\\*a\\*\\*", "- \\$1 \\$2", "- and 1 more"]
    assert shown(md).split("\n") == ["**a**", "$1 $2", "and 1 more"]
