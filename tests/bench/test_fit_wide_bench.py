"""planner.bench.fit_wide: a wide weekly file written, imported and fitted (timings are printed, not asserted)."""

from __future__ import annotations

from planner.bench.fit_wide import main, measure


def test_measure_fits_every_channel_of_the_file(tmp_path):
    row = measure(6, 40, tmp_path, n_boot=2, seed=2)
    assert (tmp_path / "wide_6x40.csv").exists()
    assert row["size"] == "6 x 40" and row["curves"] == 6 and row["notes"] == "-"
    assert row["import_s"] >= 0 and row["fit_s"] >= 0


def test_main_prints_a_row_per_size(tmp_path, capsys):
    assert main(["--sizes", "4x30", "5X36", "--n-boot", "1", "--keep", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "goal: under 60 s a fit" in out and "4 x 30" in out and "5 x 36" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wide_4x30.csv", "wide_5x36.csv"]
