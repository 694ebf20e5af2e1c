"""Commands to stations: checked, delivered as a change to that one station, result recorded."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.errors import AppError
from backend.shared.protocol import ChangeKind, CommandKind

from ..db.area_models import Command, Station
from . import changes
from .errors import COMMAND_INVALID

# Which permission each command needs (see auth.PERMISSIONS).
PERMISSION = {
    CommandKind.SUSPEND: "command.basic", CommandKind.RESUME: "command.basic",
    CommandKind.REPRINT: "command.basic", CommandKind.MAINTENANCE: "command.device",
    CommandKind.RESTART: "command.device", CommandKind.DIAGNOSTICS: "command.device",
    CommandKind.SCREENSHOT: "command.device", CommandKind.TEST_PRINT: "command.basic",
}


def check_params(kind: CommandKind, params: dict[str, Any]) -> dict[str, Any]:
    """Return the parameters a command kind takes, or raise command.invalid."""
    if kind is CommandKind.SUSPEND:
        reason = params.get("reason")
        if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 120:
            raise AppError(COMMAND_INVALID, detail="suspend needs a reason (1-120 characters)")
        return {"reason": reason.strip()}
    if kind is CommandKind.MAINTENANCE:
        if not isinstance(params.get("on"), bool):
            raise AppError(COMMAND_INVALID, detail="maintenance needs on: true or false")
        return {"on": params["on"]}
    if kind is CommandKind.REPRINT:
        certificate_id = params.get("certificate_id")
        if not isinstance(certificate_id, str) or not 8 <= len(certificate_id) <= 36:
            raise AppError(COMMAND_INVALID, detail="reprint needs a certificate_id")
        return {"certificate_id": certificate_id}
    return {}


def send(session: Session, *, station: Station, kind: CommandKind, params: dict[str, Any], by: str,
         now: datetime) -> Command:
    """Queue a command for a station: it receives it with its next changes."""
    clean = check_params(kind, params)
    command_id = str(uuid.uuid4())
    payload = {"id": command_id, "kind": kind.value, "params": clean, "by": by, "at": now.isoformat()}
    cursor = changes.publish(session, kind=ChangeKind.COMMAND, scope=changes.station_scope(station.id),
                             key=command_id, payload=payload, now=now)
    command = Command(id=command_id, station_id=station.id, kind=kind.value, params=clean,
                      status="pending", change_cursor=cursor, created_by=by, created_at=now)
    session.add(command)
    return command


def view(command: Command) -> dict[str, Any]:
    return {"id": command.id, "station_id": command.station_id, "kind": command.kind,
            "params": command.params, "status": command.status, "created_by": command.created_by,
            "created_at": command.created_at.isoformat(), "result": command.result,
            "finished_at": command.finished_at.isoformat() if command.finished_at else None}


def for_station(session: Session, station_id: str, limit: int = 50) -> list[dict[str, Any]]:
    query = (select(Command).where(Command.station_id == station_id)
             .order_by(Command.created_at.desc()).limit(limit))
    return [view(c) for c in session.scalars(query)]
