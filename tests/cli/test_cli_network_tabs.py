"""The command line reads a workbook with a sheet per network whole, and says which sheets it read."""

from __future__ import annotations

import json

from tests.data.test_network_tabs import TRACKER, workbook


def test_inspect_names_every_network_sheet_read(cli, tmp_path):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(workbook(TRACKER))
    shown = json.loads(cli("inspect", path, "--json").stdout)
    assert shown["sheet"] == "Instagram, TT" and shown["networks"] == ["Instagram", "TikTok"]
    assert shown["rows"] == 3
