"""FastAPI dependencies: everything external enters here, so tests override it."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.errors import UNAUTHENTICATED, AppError

from ..clock import Clock
from ..events import EventBus
from ..hardware.manager import DeviceManager
from ..runtime import StationRuntime
from ..services.keys import StationKeys
from ..services.screen import ScreenCaptures
from ..services.sessions import SessionManager
from ..settings import StationSettings


def get_runtime(request: Request) -> StationRuntime:
    runtime: StationRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[StationRuntime, Depends(get_runtime)]


def runtime_part(name: str) -> Callable[[StationRuntime], Any]:
    """A dependency giving one part of the runtime (a test overrides it by this function)."""

    def get(runtime: RuntimeDep) -> Any:
        return getattr(runtime, name)

    get.__name__ = get.__qualname__ = f"get_{name}"
    return get


get_clock = runtime_part("clock")
get_devices = runtime_part("devices")
get_settings = runtime_part("settings")
get_db = runtime_part("db")
get_sessions = runtime_part("sessions")
get_keys = runtime_part("keys")
get_bus = runtime_part("bus")
get_captures = runtime_part("screen_captures")

# Where a route needs one thing, it asks for that thing; RuntimeDep is for routes that need several.
ClockDep = Annotated[Clock, Depends(get_clock)]
DevicesDep = Annotated[DeviceManager, Depends(get_devices)]
SettingsDep = Annotated[StationSettings, Depends(get_settings)]
DbDep = Annotated[sessionmaker[Session], Depends(get_db)]
SessionsDep = Annotated[SessionManager, Depends(get_sessions)]  # the residents' sessions
KeysDep = Annotated[StationKeys, Depends(get_keys)]
BusDep = Annotated[EventBus, Depends(get_bus)]
CapturesDep = Annotated[ScreenCaptures, Depends(get_captures)]


SHARED_STAFF = "station-staff"  # who decides with the shared KIOSK_STAFF_TOKEN


def require_staff(settings: SettingsDep, authorization: Annotated[str, Header()] = "") -> str:
    """Let a staff member through with a staff token (Authorization: Bearer …); return who they
    are: the name bound to their own token (KIOSK_STAFF_TOKENS), else the shared identity."""
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise AppError(UNAUTHENTICATED)
    named = None
    for token, name in settings.staff_tokens.items():  # compare all: no early exit
        if hmac.compare_digest(given.encode(), token.encode()):
            named = name
    if named is not None:
        return named
    shared = settings.effective_staff_token
    if shared and hmac.compare_digest(given.encode(), shared.encode()):
        return SHARED_STAFF
    raise AppError(UNAUTHENTICATED)


StaffDep = Annotated[str, Depends(require_staff)]
