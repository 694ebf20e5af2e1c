"""Commands staff send to a station, and what became of them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.shared.protocol import CommandKind

from ...db.session import write_transaction
from ...services import audit
from ...services import commands as command_service
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/stations/{station_id}/commands", tags=["commands"])


class CommandBody(BaseModel):
    kind: CommandKind
    params: dict[str, Any] = Field(default_factory=dict)


@router.post("", status_code=201)
def send_command(station_id: str, body: CommandBody, visible: VisibilityDep,
                 runtime: RuntimeDep) -> dict[str, Any]:
    """Queue a command; the station runs it at its next sync and reports the result."""
    visible.staff.require(command_service.PERMISSION[body.kind])
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        station = visible.station(session, station_id)
        command = command_service.send(session, station=station, kind=body.kind, params=body.params,
                                       by=visible.staff.username, now=now)
        audit.record(session, actor=visible.staff.username, action=f"command.{body.kind.value}",
                     target=f"station:{station_id}", at=now,
                     detail={"command_id": command.id, "params": command.params})
        view = command_service.view(command)
    runtime.publish([{"type": "command.sent", "station_id": station_id, "command_id": view["id"],
                      "kind": view["kind"]}])
    return view


@router.get("")
def list_commands(station_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The station's recent commands, newest first, with their results."""
    with runtime.db() as session:
        visible.station(session, station_id)
        return command_service.for_station(session, station_id)
