"""Reading a community register: every row validated, a bad file rejected whole with reasons."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

import assets
from backend.shared.register_file import read_register, read_register_path

TODAY = date(2026, 11, 26)
HEADER = "id_number,name,sex,birth_date,ethnicity,building,unit,room,household,since,status\n"
GOOD = "460107194912310022,测试甲,女,1949-12-31,01,1,1,101,H1,2001-01-01,active\n"


def test_the_demo_register_is_valid() -> None:
    parsed = read_register_path(assets.path("register", "demo_register.csv"), TODAY)
    assert parsed.ok and len(parsed.rows) == 12
    assert "**" in repr(parsed.rows[0]) and parsed.rows[0].id_number not in repr(parsed.rows[0])


@pytest.mark.parametrize(
    ("row", "reason", "column"),
    [
        ("46010719491231002Y,甲,女,1949-12-31,01,1,1,101,H1,2001-01-01,active", "bad_id_number", "id_number"),
        ("460107194912310021,甲,女,1949-12-31,01,1,1,101,H1,2001-01-01,active", "bad_id_number", "id_number"),
        ("460107194912310022,,女,1949-12-31,01,1,1,101,H1,2001-01-01,active", "missing_value", "name"),
        ("460107194912310022,甲,女,1949/12/31,01,1,1,101,H1,2001-01-01,active", "bad_date", "birth_date"),
        ("460107194912310022,甲,女,1950-01-01,01,1,1,101,H1,2001-01-01,active", "birth_mismatch", "birth_date"),
        ("460107194912310022,甲,女,1949-12-31,01,1,1,101,H1,2030-01-01,active", "future_date", "since"),
        ("460107194912310022,甲,X,1949-12-31,01,1,1,101,H1,2001-01-01,active", "bad_sex", "sex"),
        ("460107194912310022,甲,女,1949-12-31,01,1,1,101,H1,2001-01-01,gone", "bad_status", "status"),
    ],
)
def test_a_bad_row_is_rejected_with_its_line_and_reason(row: str, reason: str, column: str) -> None:
    parsed = read_register((HEADER + GOOD + row + "\n").encode(), "r.csv", TODAY)
    assert not parsed.ok
    assert [(r.line, r.reason, r.column) for r in parsed.rejected] == [(3, reason, column)]
    message = parsed.rejected[0].as_dict()["message"]
    assert message["zh"] and message["en"]


def test_duplicates_are_rejected() -> None:
    parsed = read_register((HEADER + GOOD + GOOD).encode(), "r.csv", TODAY)
    assert [(r.line, r.reason) for r in parsed.rejected] == [(3, "duplicate")]


def test_a_missing_column_rejects_the_file() -> None:
    parsed = read_register(b"id_number,name\n460107194912310022,x\n", "r.csv", TODAY)
    assert parsed.rejected[0].reason == "missing_column" and "sex" in parsed.rejected[0].column


def test_a_file_that_is_not_a_register_is_one_clear_rejection() -> None:
    parsed = read_register(b"\x00\xff\xfe garbage", "r.xlsx", TODAY)
    assert [r.reason for r in parsed.rejected] == ["unreadable"]


def test_xlsx_is_read_like_csv() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.strip().split(","))
    values = GOOD.strip().split(",")
    sheet.append([*values[:3], date(1949, 12, 31), *values[4:9], date(2001, 1, 1), values[10]])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_register(buffer.getvalue(), "register.xlsx", TODAY)
    assert parsed.ok and parsed.rows[0].birth_date == date(1949, 12, 31)


@pytest.mark.parametrize(("data", "encoding"), [
    ((HEADER + GOOD).encode("utf-8"), "UTF-8"),
    (b"\xef\xbb\xbf" + (HEADER + GOOD).encode("utf-8"), "UTF-8 (BOM)"),
    ((HEADER + GOOD).encode("gb18030"), "GB18030"),  # what Excel in China saves
])
def test_csv_in_utf8_with_or_without_bom_or_gb18030_reads_and_says_which(data: bytes, encoding: str) -> None:
    parsed = read_register(data, "register.csv", TODAY)
    assert parsed.ok and parsed.rows[0].name == "测试甲" and parsed.encoding == encoding


@pytest.mark.parametrize("data", [b"", HEADER.encode(), b"\xef\xbb\xbf" + HEADER.encode()])
def test_an_empty_or_header_only_file_is_refused(data: bytes) -> None:
    parsed = read_register(data, "register.csv", TODAY)
    assert [r.reason for r in parsed.rejected] == ["empty"] and not parsed.rows


def test_wrong_headers_name_the_missing_and_the_unexpected_columns() -> None:
    header = HEADER.replace("id_number", "身份证号").replace("household", "hh")
    parsed = read_register((header + GOOD).encode(), "register.csv", TODAY)
    found = {r.reason: r.column for r in parsed.rejected}
    assert found == {"missing_column": "id_number,household", "unexpected_column": "身份证号,hh"}
