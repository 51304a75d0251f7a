"""Scenario names, the data's fingerprint, and tables as exact JSON text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.scenarios.errors import ScenarioError
from planner.scenarios.frames import decode_frame, encode_frame
from planner.scenarios.names import clean_name, data_fingerprint


@pytest.mark.parametrize("name,needle", [
    ("", "A scenario needs a name."),
    ("   ", "A scenario needs a name."),
    ("a\tb", "control characters"),
    ("x" * 121, "at most 120 characters; this one has 121"),
    (12, "must be text"),
])
def test_bad_names_are_one_sentence(name, needle):
    with pytest.raises(ScenarioError) as info:
        clean_name(name)
    msg = str(info.value)
    assert needle in msg and msg.endswith(".") and "\n" not in msg


def test_fingerprint_of_several_files_ignores_their_order():
    assert data_fingerprint(["b", "a"]) == data_fingerprint(["a", "b"]) != data_fingerprint(["a"])
    assert data_fingerprint(["abc"]) == "abc" and data_fingerprint([]) == ""


@pytest.mark.parametrize("df", [
    pd.DataFrame({"x": [1.0, np.nan, np.inf, -np.inf, 0.1 + 0.2, 1e-300, -0.0]}),
    pd.DataFrame({"i": [1, 2, 3], "b": [True, False, True], "s": ["a", None, "=1+1"]}),
    pd.DataFrame({"d": pd.to_datetime(["2025-01-06", None, "2025-03-31"])}),
    pd.DataFrame({"Min spend": [1.0, 2.0]}, index=pd.Index(["Instagram", "TikTok"], name="Name")),
    pd.DataFrame({"o": ["a", 1, 2.5, None, True]}, dtype=object),
    pd.DataFrame(),
])
def test_frame_codec_is_exact(df):
    back = decode_frame(encode_frame(df))
    pd.testing.assert_frame_equal(back, df, check_exact=True, check_index_type=False,
                                  check_column_type=False)
    assert decode_frame(None) is None and encode_frame(None) is None
