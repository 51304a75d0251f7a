"""The one-page report as a PDF (fpdf2): one A4 page, the charts rendered from their specs.

Text is set in DejaVu Sans or Liberation Sans when the machine has one (every currency symbol
shows); without either, in the PDF's built-in Helvetica, whose Latin-1 has no ``€``: amounts
then read ``EUR 1,234``, and no character is ever dropped silently.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from planner.base.currency import current
from planner.report.one_page.charts import png, report_charts
from planner.report.one_page.facts import OnePage

__all__ = ["report_pdf", "unicode_font"]

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation", "/Library/Fonts",
             "C:/Windows/Fonts")
FONTS = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"))
_PAGE_W = 186.0  # A4 width less 12 mm margins, in mm
_GREY = (85, 85, 85)


def unicode_font(dirs: Sequence[str] = FONT_DIRS) -> tuple[Path, Path] | None:
    """Return the regular and bold files of the first Unicode font found in ``dirs``, or None."""
    for regular, bold in FONTS:
        for d in dirs:
            r, b = Path(d) / regular, Path(d) / bold
            if r.is_file() and b.is_file():
                return r, b
    return None


class _Page(FPDF):
    def __init__(self, font: tuple[Path, Path] | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(12, 10, 12)
        self.set_auto_page_break(True, margin=10)
        self.unicode = font is not None
        if font is not None:
            self.add_font("body", "", str(font[0]))
            self.add_font("body", "B", str(font[1]))
            self.family_name = "body"
        else:
            self.family_name = "helvetica"

    def text_of(self, text) -> str:
        """``text`` as this page's font can set it (Latin-1 for Helvetica: symbols become codes)."""
        text = str(text)
        if self.unicode:
            return text
        cur = current()
        if cur.symbol and not cur.symbol.isascii():
            text = text.replace(cur.symbol, cur.code + " ")
        text = text.replace("\u2014", "-").replace("\u00b7", "-").replace("\u2013", "-").replace("\u2248", "~")
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False, grey: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.set_text_color(*(_GREY if grey else (34, 34, 34)))

    def para(self, text: str, size: float = 9, bold: bool = False, grey: bool = False, gap: float = 0.8) -> None:
        self.font(size, bold, grey)
        self.multi_cell(0, size * 0.45, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def heading(self, text: str) -> None:
        self.ln(1.2)
        self.para(text, size=10.5, bold=True, gap=0.6)

    def frame(self, df: pd.DataFrame, widths: Sequence[float] | None = None) -> None:
        if df.empty:
            return
        self.font(7.5)
        cols = list(df.columns)
        align = ["LEFT"] + ["RIGHT"] * (len(cols) - 1)
        with self.table(col_widths=widths, text_align=align, line_height=3.6, padding=(0.4, 1.0),
                        borders_layout="HORIZONTAL_LINES", headings_style=FontFace(emphasis="BOLD"),
                        width=_PAGE_W) as t:
            t.row([self.text_of(c) for c in cols])
            for r in df.itertuples(index=False):
                t.row([self.text_of(v) for v in r])
        self.ln(1)


def report_pdf(page: OnePage, font_dirs: Sequence[str] = FONT_DIRS) -> bytes:
    """Lay out ``page`` on one A4 page as a PDF.

    Parameters
    ----------
    page : OnePage
        :func:`planner.report.one_page.facts.one_page`'s result.
    font_dirs : sequence of str
        Where to look for a Unicode font (:func:`unicode_font`); Helvetica when none is found.

    Returns
    -------
    bytes
        The PDF file.
    """
    pdf = _Page(unicode_font(font_dirs))
    pdf.set_title(pdf.text_of(page.title))
    pdf.set_creator("planner")
    pdf.add_page()
    pdf.para(page.title, size=15, bold=True, gap=0.2)
    pdf.para(page.subtitle, size=8, grey=True, gap=1.5)
    pdf.para(page.headline, size=10, bold=True)
    pdf.para(page.against_best, size=9)
    _figures(pdf, page.figures)
    pdf.heading("Split by network")
    pdf.frame(page.networks)
    _charts(pdf, page)
    pdf.heading("Top creators")
    pdf.frame(page.creators, widths=(3.2, 1.3, 1.6, 1.0, 1.3) if len(page.creators.columns) == 5 else None)
    pdf.para(page.creators_note, size=7.5, grey=True)
    pdf.heading("What moved from today")
    for m in page.moves:
        pdf.para("\u2022 " + m if pdf.unicode else "- " + m, size=8, gap=0.3)
    pdf.heading("Assumptions")
    for a in page.assumptions:
        pdf.para("\u2022 " + a if pdf.unicode else "- " + a, size=7.5, gap=0.3)
    pdf.para("Fingerprint: " + "; ".join(f"{k}: {v}" for k, v in page.fingerprint), size=7, grey=True)
    return bytes(pdf.output())


def _figures(pdf: _Page, figures) -> None:
    if not figures:
        return
    w = _PAGE_W / len(figures)
    y = pdf.get_y() + 1
    for i, (label, value, note) in enumerate(figures):
        x = pdf.l_margin + i * w
        pdf.set_draw_color(220, 220, 220)
        pdf.rect(x, y, w - 2, 15)
        pdf.set_xy(x + 2, y + 1)
        pdf.font(7.5, grey=True)
        pdf.cell(w - 4, 3.5, pdf.text_of(label))
        pdf.set_xy(x + 2, y + 4.6)
        pdf.font(12, bold=True)
        pdf.cell(w - 4, 5, pdf.text_of(value))
        pdf.set_xy(x + 2, y + 10.2)
        pdf.font(6.5, grey=True)
        pdf.cell(w - 4, 3.5, pdf.text_of(note))
    pdf.set_xy(pdf.l_margin, y + 17)


def _charts(pdf: _Page, page: OnePage) -> None:
    charts = report_charts(page, width=330)
    if not charts:
        if page.frontier_note:
            pdf.para(page.frontier_note, size=7.5, grey=True)
        return
    w = _PAGE_W / len(charts) - (2 if len(charts) > 1 else 0)
    y = pdf.get_y() + 1
    bottom = y
    for i, chart in enumerate(charts):
        info = pdf.image(io.BytesIO(png(chart, scale=3)), x=pdf.l_margin + i * (w + 4), y=y, w=w)
        bottom = max(bottom, y + float(info.rendered_height))
    pdf.set_xy(pdf.l_margin, bottom + 1)
    if page.frontier_note:
        pdf.para(page.frontier_note, size=7.5, grey=True)
