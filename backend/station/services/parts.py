"""The station's own processes as components the platform watches.

The supervisor (``kiosk up``) restarts a process that stops or hangs; when one keeps failing it
is put out of service and the supervisor says so here. The station records it like any device
change — a ``component.status`` event of kind ``process`` in the outbox — so the platform opens
an alert, and the report survives a network outage like every other event. (A station that is
itself out of service cannot say so: the platform sees its heartbeats stop and raises its offline
alert instead.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from backend.shared.protocol import EventType
from devices.model import ComponentState, StatusCode

from ..db.session import write_transaction
from . import outbox

PartState = Literal["running", "out_of_service"]
KIND = "process"


def component_id(name: str) -> str:
    return f"process.{name}"[:32]


def report(db: sessionmaker[Session], *, known: dict[str, PartState], name: str, state: PartState,
           detail: str, now: datetime) -> bool:
    """Record the part's state if it changed since the last report (``known``, updated here);
    return whether it did."""
    if known.get(name) == state:
        return False
    down = state == "out_of_service"
    payload = {"id": component_id(name), "kind": KIND,
               "state": (ComponentState.UNAVAILABLE if down else ComponentState.READY).value,
               "code": (StatusCode.NOT_RESPONDING if down else StatusCode.OK).value,
               "detail": detail[:255], "simulated": False}
    with write_transaction(db) as session:
        outbox.record(session, event_type=EventType.COMPONENT_STATUS, aggregate_id=component_id(name),
                      payload=payload, at=now)
    known[name] = state
    return True
