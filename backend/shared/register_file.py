"""Reading a community register file (CSV or XLSX) row by row, validating every row.

A file is accepted whole or not at all: the caller imports only when ``rejected`` is empty, so a
bad file changes nothing. Every rejected row says its line, a stable reason code and a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from devices.idcard.idnumber import mask_id_number, validate_id_number

from . import table_file

COLUMNS = ("id_number", "name", "sex", "birth_date", "ethnicity", "building", "unit", "room",
           "household", "since", "status")
REQUIRED = ("id_number", "name", "sex", "birth_date", "building", "unit", "room", "household",
            "since", "status")
STATUSES = frozenset({"active", "moved_out", "deceased"})
SEXES = {"男": "男", "女": "女", "m": "男", "f": "女", "male": "男", "female": "女", "1": "男", "2": "女"}
MAX_ROWS = 100_000

REASONS = {
    "missing_column": ("缺少列", "missing column"),
    "missing_value": ("缺少必填项", "a required value is empty"),
    "bad_id_number": ("身份号码校验位错误或格式不对", "ID number has a wrong check digit or form"),
    "bad_date": ("日期格式应为 YYYY-MM-DD", "dates must be YYYY-MM-DD"),
    "birth_mismatch": ("出生日期与身份号码不符", "birth date does not match the ID number"),
    "future_date": ("日期晚于今天", "date is in the future"),
    "bad_sex": ("性别应为 男 或 女", "sex must be 男 or 女"),
    "bad_status": ("状态应为 active / moved_out / deceased", "status must be active, moved_out or deceased"),
    "duplicate": ("身份号码重复", "the same ID number appears twice"),
    "too_long": ("内容过长", "a value is too long"),
    **table_file.REASONS,  # too_many_rows, too_large (a zip bomb), unreadable
    "unexpected_column": ("多余或无法识别的列", "unexpected or unknown column"),
    "empty": ("文件中没有居民（空文件或只有表头）", "the file holds no residents (empty, or a header only)"),
}


@dataclass(frozen=True)
class RegisterRow:
    id_number: str
    name: str
    sex: str
    birth_date: date
    ethnicity: str
    building: str
    unit: str
    room: str
    household: str
    since: date
    status: str

    def __repr__(self) -> str:  # never print a full ID number, even by accident
        return f"RegisterRow({mask_id_number(self.id_number)}, {self.name})"


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        zh, en = REASONS[self.reason]
        return {"line": self.line, "reason": self.reason, "column": self.column,
                "message": {"zh": zh, "en": en}}


@dataclass
class RegisterFile:
    rows: list[RegisterRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    encoding: str = ""  # how a CSV was read ("UTF-8", "GB18030"); "" for XLSX

    @property
    def ok(self) -> bool:
        return not self.rejected


def read_register(data: bytes, filename: str, today: date) -> RegisterFile:
    """Parse a CSV or XLSX register and validate every row (CPU work: call it from a thread)."""
    try:
        records, encoding = table_file.read_table(data, filename, max_rows=MAX_ROWS)
    except table_file.TableFileError as err:  # one clear rejection, never a traceback
        return RegisterFile(rejected=[RejectedRow(0, err.reason)])
    result = validate_records(records, today)
    result.encoding = encoding
    return result


def validate_records(records: list[dict[str, str]], today: date) -> RegisterFile:
    """Validate rows already split into columns (line numbers count the header as line 1)."""
    result = RegisterFile()
    if len(records) > MAX_ROWS:
        result.rejected.append(RejectedRow(0, "too_many_rows"))
        return result
    if not records:  # an empty or header-only file would empty the register: never a replacement
        result.rejected.append(RejectedRow(0, "empty"))
        return result
    missing = [c for c in REQUIRED if c not in records[0]]
    if missing:
        result.rejected.append(RejectedRow(1, "missing_column", ",".join(missing)))
        unexpected = [str(c) for c in records[0] if c not in COLUMNS]
        if unexpected:
            result.rejected.append(RejectedRow(1, "unexpected_column", ",".join(unexpected)))
        return result
    seen: set[str] = set()
    for line, record in enumerate(records, start=2):
        row, problem = _validate_row(record, today)
        if problem is None and row is not None and row.id_number in seen:
            problem = RejectedRow(line, "duplicate", "id_number")
        if problem is not None:
            result.rejected.append(RejectedRow(line, problem.reason, problem.column))
        elif row is not None:
            seen.add(row.id_number)
            result.rows.append(row)
    return result


def _validate_row(record: dict[str, str], today: date) -> tuple[RegisterRow | None, RejectedRow | None]:
    values = {k: (record.get(k) or "").strip() for k in COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            return None, RejectedRow(0, "missing_value", column)
        if len(values[column]) > 64:
            return None, RejectedRow(0, "too_long", column)
    id_number = values["id_number"].upper()
    check = validate_id_number(id_number)
    if not check.valid:
        return None, RejectedRow(0, "bad_id_number", "id_number")
    dates: dict[str, date] = {}
    for column in ("birth_date", "since"):
        try:
            dates[column] = date.fromisoformat(values[column])
        except ValueError:
            return None, RejectedRow(0, "bad_date", column)
        if dates[column] > today:
            return None, RejectedRow(0, "future_date", column)
    if check.birth_date is not None and check.birth_date != dates["birth_date"]:
        return None, RejectedRow(0, "birth_mismatch", "birth_date")
    sex = SEXES.get(values["sex"].lower())
    if sex is None:
        return None, RejectedRow(0, "bad_sex", "sex")
    if values["status"] not in STATUSES:
        return None, RejectedRow(0, "bad_status", "status")
    return RegisterRow(id_number=id_number, name=values["name"], sex=sex,
                       birth_date=dates["birth_date"], ethnicity=values["ethnicity"] or "01",
                       building=values["building"], unit=values["unit"], room=values["room"],
                       household=values["household"], since=dates["since"],
                       status=values["status"]), None


def read_register_path(path: Path, today: date) -> RegisterFile:
    return read_register(path.read_bytes(), path.name, today)
