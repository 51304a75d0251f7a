"""LibreOffice as the test oracle of the workbook's formulas: recalculate every formula, headless."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (soffice missing), so the workbook's formulas cannot be "
    "recalculated: apt-get install -y --no-install-recommends libreoffice-calc-nogui",
)

# LibreOffice keeps the values saved with an xlsx's formulas unless told to recalculate on load
# (Tools > Options > Calc > Formula > "Recalculation on file load", Excel 2007 and newer: Always).
_ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def recalc(xlsx: Path, workdir: Path) -> Path:
    """Recalculate every formula of ``xlsx`` with LibreOffice (saved values ignored); return the converted file."""
    out = workdir / "recalculated"
    out.mkdir(exist_ok=True)
    profile = workdir / "lo-profile"  # own profile: parallel soffice runs do not collide
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALCULATE)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
         "--convert-to", "xlsx", "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )
    result = out / xlsx.name
    assert result.exists(), "LibreOffice wrote no file"
    return result
