"""The station as a whole: who it is and which services it offers right now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...services.availability import SERVICES, evaluate
from ..deps import RuntimeDep

router = APIRouter(tags=["station"])


@router.get("/api/station")
def station(runtime: RuntimeDep) -> dict[str, Any]:
    """Describe the station and the state of each service."""
    statuses = runtime.devices.statuses()
    session = runtime.sessions.current()
    suspended = runtime.suspended_reason
    services = [
        evaluate(s, statuses, suspended_reason=suspended, storage_fault=runtime.storage_fault,
                 active=session is not None and session.service == s.code).as_dict()
        for s in SERVICES
    ]
    settings = runtime.settings
    return {
        "station_id": settings.station_id,
        "name": {"zh": settings.station_name_zh, "en": settings.station_name_en},
        "community": {"code": runtime.community.code,
                      "name": {"zh": runtime.community.name_zh, "en": runtime.community.name_en}},
        "environment": settings.environment.value,
        "timezone": settings.timezone,  # the kiosk's clock and dates follow it, not the machine
        "simulated": {cid: c.info.simulated for cid, c in runtime.devices.components.items()},
        "session_idle_seconds": settings.session_idle_seconds,
        # a card left on the reader would identify the next resident: the kiosk reminds to take it
        "card_present": runtime.devices.card_present,
        "services": services,
    }
