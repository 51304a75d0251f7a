"""Fits kept on disk: a curve table saved under the key of everything that made it.

A fit is a pure function of its inputs (the datasets' fingerprints, the roster, the bootstrap's
size and seed) and of the code that reads and fits them. :func:`fit_key` hashes both: the inputs
as given, and the source of :data:`FIT_PACKAGES`, so a saved fit is used only by the code that
would make it again, byte for byte. The app ships the sample's fit this way
(``sample_data/sample_fit.parquet``) and opens on it in seconds instead of fitting first;
``python -m planner.fit.saved`` writes it again after the code changed (a test says when).

Parquet keeps every column's type and the table's ``attrs``; the key is in the file's metadata.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

__all__ = ["FIT_PACKAGES", "APP_BOOTSTRAP", "APP_SEED", "SAMPLE_FILES", "SAMPLE_FIT", "code_fingerprint",
           "fit_parts", "roster_id", "fit_key", "fit_files", "has_saved_fit", "read_saved_fit", "write_saved_fit", "main"]

PLANNER = Path(__file__).resolve().parents[1]
FIT_PACKAGES = ("base", "curves", "data", "fit")  # the code between a file's bytes and its curve table
# The app's fit: bootstrap refits for the networks' intervals (enough for a stable 80 % band) and their seed.
APP_BOOTSTRAP = 30
APP_SEED = 0
SAMPLE_FILES = tuple(PLANNER.parent / "sample_data" / n for n in ("creator_campaigns.xlsx", "weekly_paid_media.xlsx"))
SAMPLE_FIT = PLANNER.parent / "sample_data" / "sample_fit.parquet"
_KEY = b"planner_fit_key"
_WORKBOOKS = (".xlsx", ".xlsm", ".xls")


@functools.cache
def code_fingerprint() -> str:
    """Return the SHA-256 of the source of :data:`FIT_PACKAGES` (every ``.py`` file, by path, in order)."""
    h = hashlib.sha256()
    for package in FIT_PACKAGES:
        for path in sorted((PLANNER / package).rglob("*.py")):
            h.update(path.relative_to(PLANNER).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def roster_id(name: str, sheet: str, data: bytes) -> str:
    """Return what names a roster in a fit's parts: its file, its sheet and the file's SHA-256."""
    return f"roster:{name}:{sheet}:{hashlib.sha256(data).hexdigest()}"


def fit_parts(fingerprints: Sequence[str], roster: str | None = None, n_boot: int = APP_BOOTSTRAP,
              seed: int = APP_SEED) -> tuple[str, ...]:
    """Return the parts of a fit's key: the datasets' fingerprints, the roster's :func:`roster_id`, the bootstrap.

    Parameters
    ----------
    fingerprints : sequence of str
        ``Dataset.fingerprint`` of each dataset fitted, in order.
    roster : str, optional
        :func:`roster_id` of the roster applied.
    n_boot, seed : int
        The bootstrap's size and seed.

    Returns
    -------
    tuple of str
    """
    return (*fingerprints, *([roster] if roster else []), f"n_boot={n_boot}", f"seed={seed}")


def fit_files(files: Sequence[tuple[str, bytes]], n_boot: int = APP_BOOTSTRAP,
              seed: int = APP_SEED) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Fit files as the app does with its defaults: each file imported, the first workbook's roster applied.

    Parameters
    ----------
    files : sequence of (str, bytes)
        File name and content.
    n_boot, seed : int
        The bootstrap's size and seed.

    Returns
    -------
    (DataFrame, tuple of str)
        The curve table and its :func:`fit_parts`.
    """
    from planner.data.ingest import load
    from planner.data.roster import find_roster
    from planner.fit.pipeline import fit_curves
    from planner.fit.roster import apply_roster

    datasets = [ds for ds in (load(data, name=name) for name, data in files) if not ds.rows.empty]
    found = next(((name, data, r) for name, data in files if Path(name).suffix.lower() in _WORKBOOKS
                  for r in [find_roster(data, name=name)] if r is not None), None)
    curves = fit_curves(datasets, n_boot=n_boot, seed=seed)
    if found is not None:
        curves = apply_roster(curves, found[2], datasets)
    rid = roster_id(found[0], found[2].sheet, found[1]) if found is not None else None
    return curves, fit_parts([ds.fingerprint for ds in datasets], rid, n_boot, seed)


def fit_key(parts: Sequence[str]) -> str:
    """Return the key of a fit made from ``parts`` (fingerprints, settings) by this code.

    Parameters
    ----------
    parts : sequence of str
        Everything the fit depends on besides the code, in a fixed order.

    Returns
    -------
    str
        A SHA-256 in hex of the code's fingerprint and ``parts``.
    """
    return hashlib.sha256(json.dumps([code_fingerprint(), *map(str, parts)]).encode()).hexdigest()


def has_saved_fit(path: str | Path, key: str) -> bool:
    """Return whether ``path`` holds a fit saved under ``key`` (reads only the file's metadata)."""
    import pyarrow.parquet as pq

    try:
        return (pq.read_schema(path).metadata or {}).get(_KEY, b"").decode() == key
    except (OSError, ValueError):
        return False


def read_saved_fit(path: str | Path, key: str) -> pd.DataFrame | None:
    """Return the curve table saved at ``path`` when it was saved under ``key``, else None.

    Parameters
    ----------
    path : str or Path
        A file :func:`write_saved_fit` wrote; a missing or unreadable file gives None.
    key : str
        :func:`fit_key` of the fit wanted.

    Returns
    -------
    DataFrame or None
    """
    if not has_saved_fit(path, key):
        return None
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError):
        return None


def write_saved_fit(curves: pd.DataFrame, path: str | Path, key: str) -> Path:
    """Save ``curves`` at ``path`` under ``key`` (Parquet, the key in its metadata).

    Parameters
    ----------
    curves : DataFrame
        The fitted curve table.
    path : str or Path
        Where to write.
    key : str
        :func:`fit_key` of the fit.

    Returns
    -------
    Path
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(curves, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _KEY: key.encode()})
    path = Path(path)
    pq.write_table(table, path)
    return path


def main() -> None:
    """Fit the sample as the app does and save it as :data:`SAMPLE_FIT` (``python -m planner.fit.saved``)."""
    curves, parts = fit_files([(p.name, p.read_bytes()) for p in SAMPLE_FILES])
    print(f"wrote {write_saved_fit(curves, SAMPLE_FIT, fit_key(parts))} ({len(curves)} curves)")


if __name__ == "__main__":
    main()
