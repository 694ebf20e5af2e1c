"""Tickets on a platform runtime (frozen clock, SQLite and PostgreSQL): an enrolled station in the
demo community, staff actors of every level, and station events to file and rate tickets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from backend.platform.db.session import write_transaction
from backend.platform.db.ticket_models import Ticket
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.ingest import apply_batch
from backend.platform.services.tickets import service
from backend.platform.services.tickets.access import Actor
from backend.platform.services.tickets.tree import TicketTree
from backend.shared.protocol import BatchAck, EventBatch, OutboxEventIn
from backend.shared.tickets.config import TicketConfig, load_ticket_config
from backend.shared.tickets.workflow import Command

from ..conftest import NOW, enrolled

COMMUNITY = "460107002001"
GRID_1, GRID_2 = "460107002001-01", "460107002001-02"
STREET, DISTRICT, CITY = "460107002", "460107", "460100"
RESIDENT = {"id_hash": "a" * 64, "id_masked": "4601*************2", "name": "张三"}


@pytest.fixture
def config() -> TicketConfig:
    return load_ticket_config()


@pytest.fixture
def station(runtime: PlatformRuntime) -> str:
    enrolled(runtime, "st-01", "S01")
    return "st-01"


def actor(runtime: PlatformRuntime, unit: str, name: str = "", role: str = "staff") -> Actor:
    with runtime.db() as session:
        return Actor(name or f"staff@{unit}", "staff", unit, TicketTree(session).path(unit), role)


def number(n: int, code: str = "S01") -> str:
    return f"GD-261126-{COMMUNITY}-{code}-{n:04d}"


def submitted(n: int, **changes: Any) -> dict[str, Any]:
    """A ticket.submitted payload as a station sends it."""
    payload: dict[str, Any] = {
        "ticket_no": number(n), "category": "property_repairs", "chosen_category": "property_repairs",
        "suggested_grade": "normal", "place": {"kind": "building", "building": "3", "unit": "2"},
        "phrases": ["water_leak"], "free_text": "厨房", "description": "水管漏水；厨房",
        "confidential": False, "anonymous": False, "resident": dict(RESIDENT), "contact_sealed": None,
        "phone_masked": "138****5678", "photo_jpeg": None, "submitted_at": NOW.isoformat(),
        "expected_reply_at": NOW.isoformat()}
    return payload | changes


def apply_events(runtime: PlatformRuntime, events: list[tuple[str, dict[str, Any]]], *, first_seq: int = 1,
                 station: str = "st-01", now: datetime | None = None) -> BatchAck:
    """Apply station events (type, payload) through the ingest path, seq numbers from first_seq."""
    batch = EventBatch(station_id=station, events=[
        OutboxEventIn(seq=first_seq + i, type=kind, aggregate_id=str(p.get("ticket_no", p.get("target_id"))),
                      payload=p, created_at=NOW) for i, (kind, p) in enumerate(events)])
    with write_transaction(runtime.db) as session:
        ack, _notes = apply_batch(session, station_id=station, batch=batch, now=now or runtime.clock.now())
    return ack


def act(runtime: PlatformRuntime, who: Actor, ticket_no: str, command: Command, note: str = "") -> Ticket:
    with write_transaction(runtime.db) as session:
        return service.act(session, ticket_no=ticket_no, command=command, actor=who, config=load_ticket_config(),
                           now=runtime.clock.now(), note=note)


def ticket(runtime: PlatformRuntime, ticket_no: str) -> Ticket:
    with runtime.db() as session:
        found = session.get(Ticket, ticket_no)
        assert found is not None
        return found
