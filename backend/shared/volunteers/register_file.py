"""Reading a volunteer register (CSV or XLSX) row by row, validating every row.

Columns: id_number, name, employer (工作单位), compound (小区 code), roles (codes or their Chinese
names, joined by ``;`` or ``、``), leads (``3`` leads building 3, ``3-2`` its unit 2; several joined
by ``;``), task_group (optional). A file is accepted whole or not at all: the caller imports only
when ``rejected`` is empty. Every rejected row says its line, a stable reason code and a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from devices.idcard.idnumber import mask_id_number, validate_id_number

from .. import table_file
from .config import VolunteerConfig

COLUMNS = ("id_number", "name", "employer", "compound", "roles", "leads", "task_group")
REQUIRED = ("id_number", "name", "employer", "compound")
MAX_ROWS = 20_000
SPLIT = re.compile(r"[;；、,，]")

REASONS = {
    "missing_column": ("缺少列", "missing column"),
    "unexpected_column": ("多余或无法识别的列", "unexpected or unknown column"),
    "missing_value": ("缺少必填项", "a required value is empty"),
    "too_long": ("内容过长", "a value is too long"),
    "bad_id_number": ("身份号码校验位错误或格式不对", "ID number has a wrong check digit or form"),
    "unknown_compound": ("小区编码不存在", "no such compound"),
    "bad_role": ("角色无法识别", "unknown role"),
    "bad_lead": ("负责的楼栋/单元不在该小区", "the building or unit led is not in the compound"),
    "lead_without_role": (
        "负责楼栋/单元须有楼栋长或单元长角色",
        "leading a building or unit needs that role",
    ),
    "bad_task_group": ("专项工作组无法识别", "unknown task group"),
    "duplicate": ("身份号码重复", "the same ID number appears twice"),
    "empty": (
        "文件中没有志愿者（空文件或只有表头）",
        "the file holds no volunteers (empty, or a header only)",
    ),
    **table_file.REASONS,
}


@dataclass(frozen=True)
class VolunteerRow:
    id_number: str
    name: str
    employer: str
    compound: str
    roles: tuple[str, ...]
    leads: tuple[tuple[str, str], ...]
    task_group: str

    def __repr__(self) -> str:  # never print a full ID number, even by accident
        return f"VolunteerRow({mask_id_number(self.id_number)}, {self.name})"


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        zh, en = REASONS[self.reason]
        return {
            "line": self.line,
            "reason": self.reason,
            "column": self.column,
            "message": {"zh": zh, "en": en},
        }


@dataclass
class VolunteerFile:
    rows: list[VolunteerRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    encoding: str = ""

    @property
    def ok(self) -> bool:
        return not self.rejected


class Problem(Exception):
    def __init__(self, reason: str, column: str = "") -> None:
        super().__init__(reason)
        self.reason, self.column = reason, column


def read_volunteers(
    data: bytes, filename: str, *, config: VolunteerConfig, compounds: Mapping[str, set[str]]
) -> VolunteerFile:
    """Parse and validate a volunteer register; ``compounds``: compound code → its buildings."""
    try:
        records, encoding = table_file.read_table(data, filename, max_rows=MAX_ROWS)
    except table_file.TableFileError as err:
        return VolunteerFile(rejected=[RejectedRow(0, err.reason)])
    result = validate_records(records, config=config, compounds=compounds)
    result.encoding = encoding
    return result


def validate_records(
    records: list[dict[str, str]], *, config: VolunteerConfig, compounds: Mapping[str, set[str]]
) -> VolunteerFile:
    """Validate rows already split into columns (the header is line 1)."""
    result = VolunteerFile()
    if not records:
        result.rejected.append(RejectedRow(0, "empty"))
        return result
    missing = [c for c in REQUIRED if c not in records[0]]
    unexpected = [str(c) for c in records[0] if c not in COLUMNS]
    if missing or unexpected:
        if missing:
            result.rejected.append(RejectedRow(1, "missing_column", ",".join(missing)))
        if unexpected:
            result.rejected.append(RejectedRow(1, "unexpected_column", ",".join(unexpected)))
        return result
    seen: set[str] = set()
    for line, record in enumerate(records, start=2):
        try:
            row = parse_row(record, config=config, compounds=compounds)
            if row.id_number in seen:
                raise Problem("duplicate", "id_number")
        except Problem as problem:
            result.rejected.append(RejectedRow(line, problem.reason, problem.column))
            continue
        seen.add(row.id_number)
        result.rows.append(row)
    return result


def parse_row(
    record: Mapping[str, str | None], *, config: VolunteerConfig, compounds: Mapping[str, set[str]]
) -> VolunteerRow:
    """One volunteer from named cells (a file's row or the console's form); raise Problem."""
    values = {k: (record.get(k) or "").strip() for k in COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            raise Problem("missing_value", column)
    for column in COLUMNS:
        if len(values[column]) > (128 if column in ("employer", "leads") else 64):
            raise Problem("too_long", column)
    id_number = values["id_number"].upper()
    if not validate_id_number(id_number).valid:
        raise Problem("bad_id_number", "id_number")
    buildings = compounds.get(values["compound"])
    if buildings is None:
        raise Problem("unknown_compound", "compound")
    roles = _roles(values["roles"], config)
    leads = _leads(values["leads"], buildings)
    if (any(unit == "" for _, unit in leads) and "building_leader" not in roles) or (
        any(unit for _, unit in leads) and not {"unit_leader", "building_leader"} & set(roles)
    ):
        raise Problem("lead_without_role", "leads")
    group = values["task_group"]
    if group and config.group(group) is None:
        by_name = next((g.code for g in config.task_groups if g.zh == group), None)
        if by_name is None:
            raise Problem("bad_task_group", "task_group")
        group = by_name
    return VolunteerRow(
        id_number=id_number,
        name=values["name"],
        employer=values["employer"],
        compound=values["compound"],
        roles=roles,
        leads=leads,
        task_group=group,
    )


def _roles(text: str, config: VolunteerConfig) -> tuple[str, ...]:
    roles: list[str] = ["volunteer"]
    for word in (w.strip() for w in SPLIT.split(text) if w.strip()):
        found = config.role(word) or next((r for r in config.roles if r.zh == word), None)
        if found is None:
            raise Problem("bad_role", "roles")
        if found.code not in roles:
            roles.append(found.code)
    return tuple(roles)


def _leads(text: str, buildings: set[str]) -> tuple[tuple[str, str], ...]:
    leads: list[tuple[str, str]] = []
    for word in (w.strip() for w in SPLIT.split(text) if w.strip()):
        building, _, unit = word.partition("-")
        building, unit = building.strip(), unit.strip()
        if not building or building not in buildings or len(unit) > 16:
            raise Problem("bad_lead", "leads")
        if (building, unit) not in leads:
            leads.append((building, unit))
    return tuple(leads)
