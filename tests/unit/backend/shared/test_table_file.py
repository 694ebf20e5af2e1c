"""Uploaded tables are read with limits: rows streamed and counted, a workbook's unpacked size
checked before it is opened."""

from __future__ import annotations

from datetime import date

import pytest

from backend.shared import register_file
from backend.shared.register_file import COLUMNS, read_register
from backend.shared.table_file import TableFileError, read_table
from support.xlsx import repeated_rows, sheet_rows, workbook

TODAY = date(2026, 11, 26)
ROW = ["460107194912310022", "测试甲", "女", "1949-12-31", "01", "1", "1", "101", "H1", "2001-01-01",
       "active"]


def test_reading_stops_at_the_first_row_past_the_limit() -> None:
    # Past the limit the sheet is broken XML: a reader that went on would call it unreadable.
    data = workbook([*sheet_rows(repeated_rows(list(COLUMNS), ROW, 11)), "<row><c>broken"])
    with pytest.raises(TableFileError) as refused:
        read_table(data, "r.xlsx", max_rows=10)
    assert refused.value.reason == "too_many_rows"


def test_a_register_longer_than_the_limit_is_refused_with_the_row_limit_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The register's own limit (100,000) wired to the reader's stop, shown with a small limit:
    # reading 100,001 rows only proves openpyxl's speed (the 1,000,000-row case runs against a
    # real server in tests/integration/platform/test_register_limits.py).
    monkeypatch.setattr(register_file, "MAX_ROWS", 50)
    data = workbook([*sheet_rows(repeated_rows(list(COLUMNS), ROW, 51)), "<row><c>broken"])
    parsed = read_register(data, "register.xlsx", TODAY)
    assert [r.reason for r in parsed.rejected] == ["too_many_rows"] and not parsed.rows
    message = parsed.rejected[0].as_dict()["message"]
    assert message["zh"] and message["en"]


def test_a_csv_longer_than_the_limit_is_refused() -> None:
    text = ",".join(COLUMNS) + "\n" + (",".join(ROW) + "\n") * 11
    with pytest.raises(TableFileError) as refused:
        read_table(text.encode(), "r.csv", max_rows=10)
    assert refused.value.reason == "too_many_rows"


def test_a_zip_bomb_is_refused_from_the_zip_directory() -> None:
    # 60 MiB of blanks inside the sheet compress to about 60 KB.
    bomb = workbook([*sheet_rows([list(COLUMNS)])][:-1] + [" " * (1024 * 1024)] * 60 + ["</sheetData></worksheet>"])
    assert len(bomb) < 200_000
    parsed = read_register(bomb, "register.xlsx", TODAY)
    assert [r.reason for r in parsed.rejected] == ["too_large"]
    assert parsed.rejected[0].as_dict()["message"]["en"]


def test_rows_within_the_limit_are_read() -> None:
    data = workbook(sheet_rows(repeated_rows(list(COLUMNS), ROW, 10)))
    rows, encoding = read_table(data, "r.xlsx", max_rows=10)
    assert len(rows) == 10 and rows[0]["name"] == "测试甲" and encoding == ""
