"""Reading an uploaded table (CSV or XLSX) into rows of named cells, with limits: the one seam
every CSV/XLSX import goes through.

A spreadsheet is small on the wire and large in memory: a 0.34 MB XLSX unpacks to a million rows.
So a workbook's unpacked size is checked from the zip's directory before it is opened, rows are
streamed (openpyxl's read-only mode) and reading stops at the first row past the limit, so a file
that is too long costs the limit's worth of work, never the whole file's. Callers run this in a
worker thread (it is CPU work; an async route must not call it directly).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import Any

MAX_UNPACKED = 50 * 1024 * 1024  # an XLSX's members together, uncompressed
MAX_MEMBERS = 1000
# What Excel and WPS in China save a CSV as (GB18030 decodes GBK and GB2312 too), tried in order.
ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030"))

REASONS = {
    "too_many_rows": ("行数过多", "too many rows"),
    "too_large": ("文件解压后过大（可能是压缩炸弹）", "the workbook unpacks to too much data (a zip bomb?)"),
    "unreadable": ("无法读取文件", "the file cannot be read"),
}


class TableFileError(ValueError):
    """A table file refused whole; ``reason`` is a stable code (a key of REASONS)."""

    def __init__(self, reason: str) -> None:
        zh, en = REASONS[reason]
        super().__init__(f"{reason}: {en} / {zh}")
        self.reason = reason


def read_table(data: bytes, filename: str, *, max_rows: int,
               max_unpacked: int = MAX_UNPACKED) -> tuple[list[dict[str, str]], str]:
    """Return a table's rows (header names → cell text) and, for a CSV, the encoding it was read
    with ("" for XLSX); raise TableFileError past ``max_rows`` rows or for an unreadable file."""
    try:
        if filename.lower().endswith(".xlsx"):
            return _limited(_xlsx_records(data, max_unpacked), max_rows), ""
        text, encoding = _decoded(data)
        return _limited(_csv_records(text), max_rows), encoding
    except TableFileError:
        raise
    except Exception as err:  # any unreadable file is one clear refusal, never a traceback
        raise TableFileError("unreadable") from err


def _limited(records: Iterator[dict[str, str]], max_rows: int) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for record in records:
        if len(rows) == max_rows:  # one row past the limit is enough to know: stop reading
            raise TableFileError("too_many_rows")
        rows.append(record)
    return rows


def _decoded(data: bytes) -> tuple[str, str]:
    for codec, name in ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            name = "UTF-8 (BOM)"
        return text, name
    raise ValueError("neither UTF-8 nor GB18030")


def _csv_records(text: str) -> Iterator[dict[str, str]]:
    for record in csv.DictReader(io.StringIO(text)):
        yield {(k or "").strip(): v for k, v in record.items()}


def check_unpacked_size(data: bytes, max_unpacked: int = MAX_UNPACKED) -> None:
    """Refuse a zip whose members together unpack to more than ``max_unpacked`` bytes, from its
    directory alone. A member that lies about its size fails zipfile's own size and CRC checks
    while it is read."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > max_unpacked:
            raise TableFileError("too_large")


def _xlsx_records(data: bytes, max_unpacked: int) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    check_unpacked_size(data, max_unpacked)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_cell(v).strip() for v in next(rows, ())]
        for row in rows:
            cells = [_cell(v) for v in row]
            if any(cells):
                yield dict(zip(header, cells, strict=False))
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)
