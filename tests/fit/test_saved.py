"""Fits kept on disk (planner.fit.saved): the sample's shipped fit is the one this code makes, and only it is read."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.fit import saved


@pytest.fixture(scope="module")
def sample_fit():
    return saved.fit_files([(p.name, p.read_bytes()) for p in saved.SAMPLE_FILES])


def test_the_shipped_sample_fit_is_what_this_code_fits(sample_fit):
    curves, parts = sample_fit
    key = saved.fit_key(parts)
    assert saved.has_saved_fit(saved.SAMPLE_FIT, key), (
        "sample_data/sample_fit.parquet was made by other code or data: run python -m planner.fit.saved")
    pd.testing.assert_frame_equal(saved.read_saved_fit(saved.SAMPLE_FIT, key), curves)
    assert len(parts) == 5 and parts[2].startswith("roster:creator_campaigns.xlsx:")  # two files, roster, bootstrap


def test_a_fit_is_read_only_under_its_own_key(tmp_path):
    curves = pd.DataFrame({"name": ["Instagram", "TikTok/@a"], "network": ["Instagram", "TikTok"],
                           "beta": [1.5e5, np.nan], "flag": [True, False]})
    curves.attrs["note"] = "kept"
    path = saved.write_saved_fit(curves, tmp_path / "fit.parquet", saved.fit_key(["a", "n_boot=30"]))
    got = saved.read_saved_fit(path, saved.fit_key(["a", "n_boot=30"]))
    pd.testing.assert_frame_equal(got, curves)
    assert saved.read_saved_fit(path, saved.fit_key(["a", "n_boot=31"])) is None
    assert saved.read_saved_fit(tmp_path / "missing.parquet", "x") is None
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    assert saved.read_saved_fit(tmp_path / "broken.parquet", "x") is None


def test_the_key_follows_the_code_and_every_part():
    a = saved.fit_key(saved.fit_parts(["f1", "f2"], "roster:r.xlsx:Roster:abc"))
    assert a == saved.fit_key(saved.fit_parts(["f1", "f2"], "roster:r.xlsx:Roster:abc"))
    assert a != saved.fit_key(saved.fit_parts(["f2", "f1"], "roster:r.xlsx:Roster:abc"))
    assert a != saved.fit_key(saved.fit_parts(["f1", "f2"], None))
    assert a != saved.fit_key(saved.fit_parts(["f1", "f2"], "roster:r.xlsx:Roster:abc", n_boot=10))
    assert len(saved.code_fingerprint()) == 64
