"""The parts of an xlsx workbook (a zip): which member holds which sheet, and whether the sheet is hidden.

Read from ``xl/workbook.xml`` and its relationships without openpyxl, so the size of every
part can be checked (:mod:`planner.data.zip_limits`) and a sheet's merged cells read
(:mod:`planner.data.merged`) before or beside openpyxl's own reading.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

__all__ = ["SheetPart", "SMALL_PART", "sheet_parts", "part_title"]

SMALL_PART = 16 * 1024 * 1024  # the workbook's list of sheets and its relationships are read only below this size
SHARED_STRINGS = "sharedStrings.xml"


@dataclass(frozen=True)
class SheetPart:
    """One sheet of a workbook: its name, the zip member holding it and its state."""

    title: str
    part: str  # e.g. "xl/worksheets/sheet1.xml"
    state: str  # "visible", "hidden" or "veryHidden"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(zf: zipfile.ZipFile, name: str):
    from defusedxml import ElementTree  # noqa: PLC0415 - only for workbooks

    info = zf.getinfo(name)
    if info.file_size > SMALL_PART:
        return None
    return ElementTree.fromstring(zf.read(name))


def _targets(zf: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
    """Return ``{relationship id: (type, member name)}`` of a relationships part."""
    out: dict[str, tuple[str, str]] = {}
    root = _xml(zf, rels) if rels in zf.NameToInfo else None
    if root is None:
        return out
    for el in root:
        target = el.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out[el.get("Id", "")] = (el.get("Type", ""), path)
    return out


def sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """Return the sheets of an xlsx workbook in workbook order (chart sheets too).

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open workbook.

    Returns
    -------
    list of SheetPart
        Each sheet's name, member and state; empty when the workbook's list of sheets
        cannot be read (openpyxl then says the workbook is damaged).
    """
    try:
        book = next((p for _, (t, p) in _targets(zf, "_rels/.rels", "").items() if t.endswith("/officeDocument")),
                    "xl/workbook.xml")
        root = _xml(zf, book)
        if root is None:
            return []
        base = posixpath.dirname(book)
        rels = _targets(zf, posixpath.join(base, "_rels", posixpath.basename(book) + ".rels"), base)
        out = []
        for el in root.iter():
            if _local(el.tag) != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
            if rid in rels:
                out.append(SheetPart(el.get("name", ""), rels[rid][1], el.get("state", "visible")))
        return out
    except Exception:  # a damaged list of sheets: openpyxl says so when it opens the workbook
        return []


def part_title(member: str, parts: list[SheetPart]) -> str:
    """Return how a message names a zip member: ``sheet "Data"``, the shared text, or its path.

    Parameters
    ----------
    member : str
        The member's name in the zip.
    parts : list of SheetPart
        The workbook's sheets (:func:`sheet_parts`).

    Returns
    -------
    str
        ``'sheet "Data"'``, ``"shared text (the text of its cells, xl/sharedStrings.xml)"``
        or ``'part "xl/media/image1.png"'``.
    """
    for p in parts:
        if p.part == member:
            return f'sheet "{p.title}"'
    if member.endswith(SHARED_STRINGS):
        return f"shared text (the text of its cells, {member})"
    return f'part "{member}"'
