"""Reading a chart's Vega-Lite spec in the chart tests: its views, their data, marks and tooltips."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

NETWORKS = ["Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"]


def spec_of(chart) -> dict:
    """The Vega-Lite spec (validated by Altair against the schema) and strictly JSON."""
    spec = chart.to_dict()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    json.dumps(spec, allow_nan=False)  # no NaN / inf anywhere: browsers reject them
    return spec


def views(spec: dict) -> list[dict]:
    """Every unit view (a dict with a mark) of a spec, layers flattened."""
    if "mark" in spec:
        return [spec]
    return [v for layer in spec.get("layer", []) for v in views(layer)]


def mark_type(view: dict) -> str:
    mark = view["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def values(spec: dict, view: dict) -> pd.DataFrame:
    """The data a view draws, after its filter (datum.kind == '...') if it has one."""
    data = view.get("data") or spec.get("data")
    rows = spec["datasets"][data["name"]] if "name" in data else data["values"]
    df = pd.DataFrame(rows)
    for t in view.get("transform", []):
        expr = t.get("filter")
        if isinstance(expr, str) and "datum.kind ===" in expr:  # e.g. "(!(datum.kind === 'Current spend'))"
            kind = expr.split("'")[1]
            df = df[(df["kind"] == kind) != ("!" in expr)]
    return df


def tooltip_titles(view: dict) -> list[str]:
    tips = view["encoding"]["tooltip"]
    tips = tips if isinstance(tips, list) else [tips]
    return [t.get("title", t.get("field")) for t in tips]


def fields(view: dict) -> dict[str, str]:
    out = {}
    for channel, enc in view.get("encoding", {}).items():
        if isinstance(enc, dict) and "field" in enc:
            out[channel] = enc["field"]
    return out


def find(spec: dict, mark: str, **props) -> list[dict]:
    found = []
    for v in views(spec):
        m = v["mark"] if isinstance(v["mark"], dict) else {"type": v["mark"]}
        if m["type"] == mark and all(m.get(k) == val for k, val in props.items()):
            found.append(v)
    return found


def assert_empty_chart(chart):
    spec = spec_of(chart)
    assert isinstance(chart, alt.Chart)
    (view,) = views(spec)
    assert mark_type(view) == "text"
    assert values(spec, view)["message"].str.lower().tolist() == ["no rows selected"]
    assert view["encoding"]["tooltip"]


def without_data(spec: dict) -> str:
    """The spec as Streamlit compares it between reruns: without the data sets."""
    return json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)


def swapped(template: dict, datasets: dict) -> dict:
    return {**template, "datasets": {**template["datasets"], **datasets}}
