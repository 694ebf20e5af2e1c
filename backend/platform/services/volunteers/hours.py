"""Volunteer duties as stations report them, and hours per person, employer unit and compound per
local month (the console's table and its XLSX/CSV export)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared import localtime
from backend.shared.volunteers.messages import DutyEvent

from ...db.volunteer_models import Volunteer, VolunteerDuty

GROUPINGS = ("person", "unit", "compound")


def record_duty(
    session: Session, *, station_id: str, community_code: str, volunteer: Volunteer, event: DutyEvent
) -> None:
    """Insert or complete a duty by its station-made id (a duty ended later keeps its id)."""
    duty = session.get(VolunteerDuty, event.id)
    if duty is None:
        duty = VolunteerDuty(
            id=event.id,
            station_id=station_id,
            volunteer_id=volunteer.id,
            community_code=community_code,
            kind=event.kind,
            started_at=event.started_at,
            minutes=0,
            forgotten=False,
        )
        session.add(duty)
    if event.ended_at is not None:
        duty.ended_at, duty.minutes, duty.forgotten = event.ended_at, event.minutes, event.forgotten


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """A local month ("2026-05") as UTC instants [start, end)."""
    year, number = (int(p) for p in month.split("-"))
    start = datetime(year, number, 1, tzinfo=localtime.zone())
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=localtime.zone())
    return start, end


def hours(session: Session, *, community_code: str, month: str, by: str) -> list[dict[str, Any]]:
    """Hours of finished duties started in the month, grouped by person, unit or compound."""
    start, end = month_bounds(month)
    rows = session.execute(
        select(VolunteerDuty, Volunteer)
        .join(Volunteer, Volunteer.id == VolunteerDuty.volunteer_id)
        .where(
            VolunteerDuty.community_code == community_code,
            VolunteerDuty.started_at >= start,
            VolunteerDuty.started_at < end,
        )
    ).all()
    groups: dict[tuple[str, ...], dict[str, Any]] = defaultdict(
        lambda: {"duties": 0, "minutes": 0, "forgotten": 0}
    )
    for duty, volunteer in rows:
        key = {
            "person": (volunteer.name, volunteer.id_masked, volunteer.employer, volunteer.compound_code),
            "unit": (volunteer.employer,),
            "compound": (volunteer.compound_code,),
        }[by]
        group = groups[key]
        group["duties"] += 1
        group["minutes"] += duty.minutes
        group["forgotten"] += int(duty.forgotten)
    names = {
        "person": ("name", "id_masked", "employer", "compound"),
        "unit": ("employer",),
        "compound": ("compound",),
    }[by]
    result = [
        dict(zip(names, key, strict=True)) | value | {"hours": round(value["minutes"] / 60, 1)}
        for key, value in groups.items()
    ]
    return sorted(result, key=lambda r: (-r["minutes"], str(r[names[0]])))


def export(rows: list[dict[str, Any]], *, fmt: str) -> tuple[bytes, str]:
    """The table as CSV (UTF-8 with BOM, for Excel) or XLSX; return the bytes and the media type."""
    header = list(rows[0]) if rows else ["hours"]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(h) for h in header])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(row.get(h)) for h in header])
    return ("\ufeff" + buffer.getvalue()).encode(), "text/csv; charset=utf-8"


def _safe(value: Any) -> Any:
    # A cell that starts like a formula is shown as text (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
