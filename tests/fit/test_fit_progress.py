"""A fit says what it is doing as it goes (planner.fit.pipeline.fit_curves(progress=...))."""

from __future__ import annotations

from planner.data.ingest import load
from planner.fit.pipeline import fit_curves
from planner.fit.saved import SAMPLE_FILES


def test_progress_names_each_file_and_step_in_order():
    datasets = [load(p.read_bytes(), name=p.name) for p in SAMPLE_FILES]
    heard: list[tuple[float, str]] = []
    fit_curves(datasets, n_boot=5, seed=0, progress=lambda f, t: heard.append((f, t)))
    fractions = [f for f, _ in heard]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(a <= b for a, b in zip(fractions, fractions[1:], strict=False))
    texts = [t for _, t in heard]
    assert texts[0].startswith("creator_campaigns.xlsx: one curve per creator")
    assert any(t.startswith("weekly_paid_media.xlsx: fitting the marketing-mix model") for t in texts)
    assert "weekly_paid_media.xlsx: bootstrap refit 5 of 5 for the networks' intervals" in texts
    assert texts[-1] == "checking the curve table"
