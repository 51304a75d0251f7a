"""What a reader sees of Markdown the app sends to Streamlit, and whether any of it became markup.

A model of Streamlit's renderer (frontend StreamlitMarkdown: react-markdown with remark-gfm,
remark-math, remark-directive, remark-emoji, its typographical symbols and material icons):
CommonMark and GFM's tables and strikethrough by markdown-it-py (an independent CommonMark
implementation), then, on the source, the dollars of LaTeX and the colons of directives that no
backslash escapes, and, on the text Markdown leaves, the patterns Streamlit replaces after parsing
(short codes, arrows, bare links).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from planner.base.markdown import WORD_JOINER

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_MD.validateLink = lambda url: True  # Streamlit lets every link through (its transformLinkUri), javascript: too

# a character that no backslash escapes: an even number (0, 2, ...) of backslashes before it
_UNESCAPED = r"(?<!\\)(?:\\\\)*"
_MATH = re.compile(_UNESCAPED + r"\$")
_DIRECTIVE = re.compile(_UNESCAPED + r":[A-Za-z][\w-]*[\[{]")
_ICON = re.compile(r":material/")
# Streamlit's replacements in parsed text (StreamlitMarkdown.tsx, remark-emoji, mdast-util-gfm-autolink-literal)
_TEXT_PATTERNS = {
    "short code": re.compile(r":[\w+-][\w+-]*:", re.ASCII),
    "arrow or dash": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
    "bare link": re.compile(r"(https?://|www(?=\.))", re.I | re.ASCII),
    "e-mail link": re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+", re.ASCII),
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def markup_in(markdown: str) -> list[str]:
    """What in ``markdown`` Streamlit would show as markup rather than text (empty: none)."""
    found = [f"<{t}>" for t in _rendered(markdown).tags if t != "p"]
    if len(_MATH.findall(markdown)) >= 2:  # an opening and a closing dollar; a lone amount ($5) is text
        found.append("LaTeX ($)")
    if _DIRECTIVE.search(markdown):
        found.append("directive (:name[)")
    if _ICON.search(markdown):
        found.append("icon (:material/)")
    text = _plain(markdown)
    found += [what for what, pattern in _TEXT_PATTERNS.items() if pattern.search(text)]
    return found


def shown(markdown: str) -> str:
    """The text a reader sees of ``markdown`` (word joiners, which take no room, left out)."""
    return _plain(markdown).replace(WORD_JOINER, "")


def _rendered(markdown: str) -> _Text:
    parser = _Text()
    parser.feed(_MD.render(markdown))
    parser.close()
    return parser


def _plain(markdown: str) -> str:
    return "".join(_rendered(markdown).parts).strip("\n")  # the parser decodes entities once, as a browser does
