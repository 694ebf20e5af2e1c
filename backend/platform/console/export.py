"""Lists and figures as files to download: CSV (UTF-8 with a BOM, so Excel in China opens it right)
and XLSX (openpyxl). A table is a title, column headings in the viewer's language and rows of plain
values; the rows come from the same area-scoped service calls as the pages.

Masking is kept twice: the sources only hold masked numbers (ID first 4 + last character, phone
138****5678), and every text cell is passed through :func:`redact` on its way out, so a number a
resident typed into free text never leaves in full either. Cells that begin like a formula are
quoted, so a spreadsheet never runs what a resident typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from backend.shared.tickets.text import redact

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """What one export holds."""

    name: str  # the file's base name, ASCII
    title: str  # the sheet's title
    headings: Sequence[str]
    rows: Sequence[Sequence[Any]]


def cell(value: Any) -> Any:
    """One value as it may leave: numbers stay numbers, text is redacted and formula-safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = redact(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(table: Table) -> bytes:
    """The table as CSV, UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(h) for h in table.headings])
    writer.writerows([[cell(v) for v in row] for row in table.rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """The table as one worksheet with a bold, frozen heading row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title(table.title)
    sheet.append([cell(h) for h in table.headings])
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    for row in table.rows:
        sheet.append([cell(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(table.headings, start=1):
        width = max([len(str(heading))] + [len(str(r[index - 1])) for r in table.rows[:200]])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(max(width + 2, 8), 48)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"


def encode(table: Table, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and media type for ``csv`` or ``xlsx``."""
    if fmt == "xlsx":
        return to_xlsx(table), XLSX_TYPE
    return to_csv(table), CSV_TYPE
