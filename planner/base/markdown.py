"""Text shown as itself where the app writes Markdown: a name like ``**bold**`` keeps its asterisks.

Streamlit reads GitHub-flavoured Markdown in ``st.markdown``, captions, alerts, toasts, headers,
widget labels, radio and slider options, tab and expander labels, and metric labels and values;
on top of it, LaTeX between dollars (``$x$``), colour and other directives (``:red[x]``), emoji and
icon short codes (``:smile:``, ``:material/home:``), arrows made of ``->`` and ``<=``, and links
made of bare addresses (``www.example.com``, ``ann@example.com``).  The planner writes plain text
(sentences, errors, names); the app passes every such text through :func:`literal` where Markdown
reads it, and adds its own emphasis only around the result.

:func:`literal` backslash-escapes the ASCII punctuation Markdown and Streamlit's directives read,
writes ``&``, ``<`` and ``>`` as HTML entities, turns line breaks and other control characters
into spaces (a name cannot start a list or a heading), and puts an invisible word joiner (U+2060)
into the patterns Streamlit replaces in the text after parsing it (short codes, arrows, bare links),
so they show as typed.  What a reader sees is the input, but for those spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["WORD_JOINER", "literal", "bold", "bullets"]

WORD_JOINER = "\u2060"  # zero width, not a space: a pattern split by it no longer matches

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# where Streamlit finds patterns in the parsed text: short codes (:name:), arrows and dashes
# (-> <- <-> -- >= <= ~=), bare links (www., http://, https://) and e-mail addresses (a@b.c)
_SPLIT = re.compile(
    r":(?=[\w+\-])"  # a short code's opening colon
    r"|(?<=-)(?=[\->])|(?<=<)(?=[\-=])|(?<=[>~])(?==)"  # the arrows and dashes
    r"|(?i:(?<=www)(?=\.)|(?<=http)(?=s?:))"  # bare web addresses
    r"|(?<=[\w.+\-])(?=@)",  # e-mail addresses
)
_BACKSLASHED = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:^=])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML = re.compile(r"[&<>]")


def _split(match: re.Match) -> str:
    return match.group(0) + WORD_JOINER


def literal(text) -> str:
    r"""Return Markdown that Streamlit displays as ``text`` itself.

    Parameters
    ----------
    text : object
        Anything; it is converted with ``str``.  None gives ``""``.

    Returns
    -------
    str
        ``text`` with every character Markdown or Streamlit would read as markup neutralised (a run of spaces
        opening it, which Markdown would read as code, as one space):
        ``\ ` * _ { } [ ] ( ) # + - . ! | ~ $ : ^ =`` backslash-escaped, ``& < >`` as HTML
        entities, control characters (line breaks, tabs) as spaces, and a word joiner (U+2060,
        invisible) after the colon of a short code, inside ``->``-style arrows, after ``www`` or
        ``http`` of a bare address and before the ``@`` of an e-mail address.

    Examples
    --------
    >>> literal("**Q3** <b>")
    '\\*\\*Q3\\*\\* &lt;b&gt;'
    """
    if text is None:
        return ""
    out = _CONTROL.sub(" ", str(text))
    if out.startswith("  "):  # four spaces opening a line make a code block; Markdown shows a run of them as one
        out = " " + out.lstrip(" ")
    out = _SPLIT.sub(_split, out)
    out = _BACKSLASHED.sub(r"\\\1", out)
    return _HTML.sub(lambda m: _ENTITIES[m.group(0)], out)


def bold(text) -> str:
    """Return ``text`` as bold Markdown that shows it literally (surrounding spaces dropped).

    Parameters
    ----------
    text : object
        As for :func:`literal`.

    Returns
    -------
    str
        ``**`` + :func:`literal` of the stripped text + ``**``; ``""`` for empty text.
    """
    inner = literal(str(text if text is not None else "").strip())
    return f"**{inner}**" if inner else ""


def bullets(items: Iterable, limit: int | None = None) -> str:
    """Return a Markdown list with one item per text, each shown literally.

    Parameters
    ----------
    items : iterable
        The texts, in order (each converted with ``str``).
    limit : int, optional
        Show at most this many; one more line then says how many were left out.

    Returns
    -------
    str
        Lines ``- text`` joined by newlines (``""`` for no items).
    """
    items = list(items)
    shown = items if limit is None else items[:limit]
    lines = [f"- {literal(i)}" for i in shown]
    if len(items) > len(shown):
        lines.append(f"- and {len(items) - len(shown):,} more")
    return "\n".join(lines)
