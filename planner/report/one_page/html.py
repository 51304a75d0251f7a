"""The one-page report as a self-contained HTML file: inline SVG charts and print styles for one A4 page.

Every text is escaped (:func:`html.escape`): a creator named ``<script>`` is shown as written.
"""

from __future__ import annotations

import html

import pandas as pd

from planner.report.one_page.charts import report_charts, svg
from planner.report.one_page.facts import OnePage

__all__ = ["report_html"]

_STYLE = """
@page { size: A4; margin: 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222; margin: 24px auto;
       max-width: 760px; font-size: 13px; line-height: 1.4; }
h1 { font-size: 22px; margin: 0; }
h2 { font-size: 15px; margin: 18px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 2px; }
.sub { color: #555; margin: 2px 0 12px; }
.headline { font-size: 15px; margin: 6px 0; }
.figures { display: flex; gap: 12px; margin: 12px 0; }
.figure { flex: 1; border: 1px solid #ddd; border-radius: 4px; padding: 6px 10px; }
.figure .label { color: #555; font-size: 12px; }
.figure .value { font-size: 19px; font-weight: bold; }
.figure .note { color: #555; font-size: 11px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { padding: 3px 6px; border-bottom: 1px solid #eee; }
th { text-align: left; background: #f6f6f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart svg { max-width: 100%; height: auto; }
.small { color: #555; font-size: 11px; }
ul { margin: 4px 0; padding-left: 18px; }
@media print { body { margin: 0; max-width: none; font-size: 11px; } h2 { break-after: avoid; }
               .chart, table { break-inside: avoid; } }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _numeric(values: pd.Series) -> bool:
    """Whether a column of display strings holds amounts (right-aligned): they start with a sign, digit or symbol."""
    texts = [str(v) for v in values if str(v) not in ("", "\u2014")]
    return bool(texts) and all(any(ch.isdigit() for ch in t[:6]) for t in texts)


def _table(df: pd.DataFrame) -> str:
    if df.empty:
        return ""
    right = {c: _numeric(df[c]) for c in df.columns}
    head = "".join(f'<th class="num">{_e(c)}</th>' if right[c] else f"<th>{_e(c)}</th>" for c in df.columns)
    rows = "".join(
        "<tr>" + "".join(f'<td class="num">{_e(v)}</td>' if right[c] else f"<td>{_e(v)}</td>"
                         for c, v in zip(df.columns, r, strict=True)) + "</tr>"
        for r in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def report_html(page: OnePage) -> str:
    """Lay out ``page`` as one HTML document, charts inline as SVG.

    Parameters
    ----------
    page : OnePage
        :func:`planner.report.one_page.facts.one_page`'s result.

    Returns
    -------
    str
        A complete UTF-8 HTML document that needs no other file and prints on one A4 page.
    """
    figures = "".join(
        f'<div class="figure"><div class="label">{_e(label)}</div><div class="value">{_e(value)}</div>'
        f'<div class="note">{_e(note)}</div></div>' for label, value, note in page.figures)
    charts = "".join(f'<div class="chart">{svg(c)}</div>' for c in report_charts(page))
    frontier_note = f'<p class="small">{_e(page.frontier_note)}</p>' if page.frontier_note else ""
    creators = (_table(page.creators) + f'<p class="small">{_e(page.creators_note)}</p>' if len(page.creators)
                else f'<p class="small">{_e(page.creators_note)}</p>')
    prints = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in page.fingerprint)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(page.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>{_e(page.title)}</h1>
<p class="sub">{_e(page.subtitle)}</p>
<p class="headline">{_e(page.headline)}</p>
<p>{_e(page.against_best)}</p>
<div class="figures">{figures}</div>
<h2>Split by network</h2>
{_table(page.networks)}
{charts}{frontier_note}
<h2>Top creators</h2>
{creators}
<h2>What moved from today</h2>
{_list(page.moves)}
<h2>Assumptions</h2>
{_list(page.assumptions)}
<h2>Fingerprint</h2>
<table class="small"><tbody>{prints}</tbody></table>
</body></html>
"""
