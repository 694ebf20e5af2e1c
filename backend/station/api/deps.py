"""FastAPI dependencies: everything external enters here, so tests override it."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.errors import UNAUTHENTICATED, AppError

from ..clock import Clock
from ..hardware.manager import DeviceManager
from ..runtime import StationRuntime
from ..settings import StationSettings


def get_runtime(request: Request) -> StationRuntime:
    runtime: StationRuntime = request.app.state.runtime
    return runtime


def get_clock(runtime: Annotated[StationRuntime, Depends(get_runtime)]) -> Clock:
    return runtime.clock


def get_devices(runtime: Annotated[StationRuntime, Depends(get_runtime)]) -> DeviceManager:
    return runtime.devices


def get_settings(runtime: Annotated[StationRuntime, Depends(get_runtime)]) -> StationSettings:
    return runtime.settings


def get_db(runtime: Annotated[StationRuntime, Depends(get_runtime)]) -> sessionmaker[Session]:
    return runtime.db


RuntimeDep = Annotated[StationRuntime, Depends(get_runtime)]
ClockDep = Annotated[Clock, Depends(get_clock)]
DevicesDep = Annotated[DeviceManager, Depends(get_devices)]
SettingsDep = Annotated[StationSettings, Depends(get_settings)]
DbDep = Annotated[sessionmaker[Session], Depends(get_db)]


SHARED_STAFF = "station-staff"  # who decides with the shared KIOSK_STAFF_TOKEN


def require_staff(runtime: Annotated[StationRuntime, Depends(get_runtime)],
                  authorization: Annotated[str, Header()] = "") -> str:
    """Let a staff member through with a staff token (Authorization: Bearer …); return who they
    are: the name bound to their own token (KIOSK_STAFF_TOKENS), else the shared identity."""
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise AppError(UNAUTHENTICATED)
    named = None
    for token, name in runtime.settings.staff_tokens.items():  # compare all: no early exit
        if hmac.compare_digest(given.encode(), token.encode()):
            named = name
    if named is not None:
        return named
    shared = runtime.settings.effective_staff_token
    if shared and hmac.compare_digest(given.encode(), shared.encode()):
        return SHARED_STAFF
    raise AppError(UNAUTHENTICATED)


StaffDep = Annotated[str, Depends(require_staff)]
