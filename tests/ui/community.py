"""Community life for the UI walks: activities and accounts put into the running station the way
its changes puller applies the platform's (``community_activities.apply_activity`` on the station's own
database) — the UI stack runs no platform — and a ticket made through the station's API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from backend.station.services.community_accounts import apply_month
from backend.station.services.community_activities import apply_activity
from support.stack import Simulators, Station

COMMUNITY = "460107002001"  # the station's default community (backend/station/settings.py)


def publish(station: Station, *, title: str, starts_in: timedelta, hours: float = 2, capacity: int = 30,
            confirmed: int = 0) -> str:
    """Publish an activity at the UI stack's station; return its id."""
    now = datetime.now(UTC)
    starts = now + starts_in
    activity_id = f"hd-{uuid.uuid4().hex[:8]}"
    payload: dict[str, Any] = {
        "id": activity_id, "community_code": COMMUNITY, "title": title,
        "description": "带上一盆花，和邻居换一盆；现场有琼剧表演。", "organiser": "桂林社区居委会",
        "place": "桂林社区文化广场", "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=hours)).isoformat(), "capacity": capacity,
        "signup_opens_at": (now - timedelta(days=1)).isoformat(),
        "signup_closes_at": (starts + timedelta(hours=hours)).isoformat(),
        "confirmed": confirmed, "updated_at": now.isoformat()}
    engine = create_engine(f"sqlite:///{station.data_dir / 'station.db'}")
    try:
        with Session(engine) as session, session.begin():
            apply_activity(session, payload, now=now)
    finally:
        engine.dispose()
    return activity_id


def ticket(station: Station, sims: Simulators, activity_id: str) -> str:
    """The demo resident signs up through the station's API; return the ticket's QR text."""
    with station.client() as http:
        session = sims.identify(http, "activities")
        made = http.post(f"/api/activities/{activity_id}/signups",
                         json={"session_id": session, "idempotency_key": uuid.uuid4().hex})
        assert made.status_code == 201, made.text
        http.delete(f"/api/sessions/{session}")
    sims.remove_card()
    token: str = made.json()["ticket_token"]
    return token


def publish_accounts(station: Station, compound: str, months: list[str]) -> None:
    """Publish ``months`` of ``compound``'s ledger at the UI stack's station (as its puller would)."""
    now = datetime.now(UTC)
    engine = create_engine(f"sqlite:///{station.data_dir / 'station.db'}")
    try:
        with Session(engine) as session, session.begin():
            for n, month in enumerate(months):
                entries = [
                    {"id": f"{month}-1", "date": f"{month}-05", "category": "物业费", "direction": "income",
                     "amount": "12600.00", "counterparty": "业主", "voucher": f"SK{month[-2:]}01"},
                    {"id": f"{month}-2", "date": f"{month}-10", "category": "保洁", "direction": "expense",
                     "amount": "4800.00", "counterparty": "椰林保洁队", "voucher": f"FK{month[-2:]}01"},
                    {"id": f"{month}-3", "date": f"{month}-18", "category": "绿化", "direction": "expense",
                     "amount": "1650.50", "counterparty": "琼山园林", "voucher": f"FK{month[-2:]}02"},
                ]
                apply_month(session, {
                    "compound": compound, "community_code": COMMUNITY, "month": month,
                    "opening_balance": f"{3000 + 100 * n}.00", "entries": entries,
                    "imports": [{"by": "物业公司", "at": now.isoformat(), "file": f"{month}.csv"}],
                    "published_at": now.isoformat()}, now=now)
    finally:
        engine.dispose()
