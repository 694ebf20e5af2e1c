"""Volunteers for staff: the volunteer register (import CSV/XLSX whole or not at all, add one by
one), hours per month (JSON, CSV, XLSX) and each building's 邻里一家亲 group QR. Emergency mode is
in ``emergency``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend.shared.api_params import RowId
from backend.shared.errors import FORBIDDEN, VALIDATION, AppError
from backend.shared.volunteers.config import load_volunteer_config
from backend.shared.volunteers.register_file import (
    Problem,
    RejectedRow,
    VolunteerFile,
    parse_row,
    read_volunteers,
)

from ...db.session import write_transaction
from ...services import audit
from ...services.volunteers import groups, hours, register
from ...services.volunteers.errors import VOLUNTEERS_REJECTED
from ..deps import RuntimeDep, Visibility, VisibilityDep

router = APIRouter(prefix="/api/staff", tags=["volunteers"])
MAX_FILE = 10 * 1024 * 1024
Month = Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def visible(user: Visibility, community_code: str, permission: str = "volunteers") -> None:
    user.staff.require(permission)
    if community_code not in user.communities:
        raise AppError(FORBIDDEN, detail=community_code)


@router.get("/communities/{community_code}/compounds")
def list_compounds(community_code: str, user: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The community's compounds (小区) and their buildings."""
    visible(user, community_code)
    with runtime.db() as session:
        return [
            {"code": c.code, "name": {"zh": c.name_zh, "en": c.name_en}, "buildings": list(c.buildings)}
            for c in register.compounds_of(session, community_code)
        ]


@router.get("/communities/{community_code}/volunteers")
def list_volunteers(community_code: str, user: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The volunteer register, masked."""
    visible(user, community_code)
    with runtime.db() as session:
        return register.listing(session, community_code)


@router.post("/communities/{community_code}/volunteers/import")
async def import_volunteers(
    community_code: str, file: UploadFile, user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Import a volunteer register (CSV or XLSX): every row valid, or nothing changes and each bad
    row is listed (422 volunteers.rejected with ``rejected``: line, reason, column, message)."""
    visible(user, community_code)
    data = await file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise AppError(VALIDATION, detail="file larger than 10 MB")
    return await run_in_threadpool(
        _import, runtime, user, community_code, data, file.filename or "volunteers.csv"
    )


def _import(
    runtime: RuntimeDep, user: Visibility, community_code: str, data: bytes, name: str
) -> dict[str, Any]:
    now = runtime.clock.now()
    with runtime.db() as session:
        compounds = register.compound_buildings(session, community_code)
    parsed = read_volunteers(data, name, config=load_volunteer_config(), compounds=compounds)
    with write_transaction(runtime.db) as session:
        report = register.import_file(
            session,
            community_code=community_code,
            parsed=parsed,
            protector=runtime.community_protector(community_code),
            now=now,
        )
        audit.record(
            session,
            actor=user.staff.username,
            action="volunteers.import",
            target=f"community:{community_code}",
            at=now,
            detail={"file": name[:64], "added": report["added"], "updated": report["updated"]},
        )
    return report


class VolunteerBody(BaseModel):
    id_number: str = Field(min_length=15, max_length=18)
    name: str = Field(min_length=1, max_length=64)
    employer: str = Field(min_length=1, max_length=128)
    compound: str = Field(min_length=1, max_length=32)
    roles: str = Field("", max_length=64, description="codes or names joined by ; (红色队长;楼栋长)")
    leads: str = Field("", max_length=128, description="3 for building 3, 3-2 for its unit 2; joined by ;")
    task_group: str = Field("", max_length=32)


@router.post("/communities/{community_code}/volunteers", status_code=201)
def add_volunteer(
    community_code: str, body: VolunteerBody, user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Add one volunteer (or update the one with that ID number)."""
    visible(user, community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        try:
            row = parse_row(
                body.model_dump(),
                config=load_volunteer_config(),
                compounds=register.compound_buildings(session, community_code),
            )
        except Problem as problem:
            bad = RejectedRow(1, problem.reason, problem.column)
            raise AppError(VOLUNTEERS_REJECTED, rejected=[bad.as_dict()], rejected_count=1) from None
        volunteer, _ = register.upsert(
            session,
            community_code=community_code,
            row=row,
            protector=runtime.community_protector(community_code),
            now=now,
        )
        audit.record(
            session,
            actor=user.staff.username,
            action="volunteers.add",
            target=f"volunteer:{volunteer.id}",
            at=now,
            detail={"name": volunteer.name},
        )
        return register.view(volunteer)


@router.post("/communities/{community_code}/volunteers/{volunteer_id}/active")
def set_active(
    community_code: str, volunteer_id: RowId, active: bool, user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Take a volunteer off the register (``active=false``) or back on."""
    visible(user, community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        volunteer = register.set_active(
            session, community_code=community_code, volunteer_id=volunteer_id, active=active, now=now
        )
        audit.record(
            session,
            actor=user.staff.username,
            action="volunteers.active",
            target=f"volunteer:{volunteer.id}",
            at=now,
            detail={"active": active},
        )
        return register.view(volunteer)


@router.get("/communities/{community_code}/volunteer-hours", response_model=None)
def volunteer_hours(
    community_code: str,
    month: Month,
    user: VisibilityDep,
    runtime: RuntimeDep,
    by: Literal["person", "unit", "compound"] = "person",
    format: Literal["json", "csv", "xlsx"] = "json",
) -> list[dict[str, Any]] | Response:
    """Hours of the month's duties per person, employer unit or compound; as a file with ``format``."""
    visible(user, community_code)
    with runtime.db() as session:
        rows = hours.hours(session, community_code=community_code, month=month, by=by)
    if format == "json":
        return rows
    data, media = hours.export(rows, fmt=format)
    name = f"volunteer-hours-{community_code}-{month}-{by}.{format}"
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


class GroupBody(BaseModel):
    name: str = Field("", max_length=64)
    qr_text: str = Field("", max_length=512, description="what the group's QR code holds; empty withdraws it")


@router.get("/communities/{community_code}/neighbour-groups")
def list_groups(community_code: str, user: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Each building's 邻里一家亲 group."""
    visible(user, community_code)
    with runtime.db() as session:
        return groups.listing(session, community_code)


@router.put("/communities/{community_code}/neighbour-groups/{building}")
def set_group(
    community_code: str,
    building: Annotated[str, Path(max_length=16)],
    body: GroupBody,
    user: VisibilityDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    """Set a building's group QR; it reaches the community's stations by the down-sync."""
    visible(user, community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        groups.set_group(
            session,
            community_code=community_code,
            building=building,
            name=body.name,
            qr_text=body.qr_text,
            actor=user.staff.username,
            now=now,
        )
        audit.record(
            session,
            actor=user.staff.username,
            action="volunteers.group",
            target=f"community:{community_code}",
            at=now,
            detail={"building": building},
        )
    return {"building": building, "name": body.name, "qr_text": body.qr_text}


__all__ = ["VolunteerFile", "router"]
