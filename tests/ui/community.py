"""Community life for the UI walks: activities, accounts, organisations, council proposals and a move up
from a waiting list put into the running station the way its changes puller applies the platform's
(``community_activities.apply_activity`` on the station's own database) — the UI stack runs no
platform — and a ticket made through the station's API."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from backend.station.db.community_models import LocalProposal, LocalSignup, LocalSupport
from backend.station.db.models import OutboxEvent
from backend.station.services.community_accounts import apply_month
from backend.station.services.community_activities import apply_activity, apply_signup
from backend.station.services.community_council import apply_proposal
from backend.station.services.community_organisations import apply_organisation
from support.stack import Simulators, Station

COMMUNITY = "460107002001"  # the station's default community (backend/station/settings.py)


@contextmanager
def station_db(station: Station, *, write: bool = False) -> Iterator[Session]:
    """A session on the running station's own SQLite database (WAL: the station keeps running);
    ``write``: one transaction, committed when the block ends."""
    engine = create_engine(f"sqlite:///{station.data_dir / 'station.db'}")
    try:
        with Session(engine) as session:
            if not write:
                yield session
                return
            with session.begin():
                yield session
    finally:
        engine.dispose()


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
    with station_db(station, write=True) as session:
        apply_activity(session, payload, now=now)
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
    with station_db(station, write=True) as session:
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


# The platform's demo organisations (backend/platform/services/community/demo.py), both approved here.
ORGANISATIONS = [
    ("ZZ-DEMO-1", "府城琼剧爱好者协会", "culture", 26, "每周三晚在社区活动室排练琼剧", "周三晚到社区活动室找李老师报名"),
    ("ZZ-DEMO-2", "桂林社区银发志愿队", "volunteer", 12, "探访独居老人、协助社区活动", "到社区服务窗口登记，每月第一个周六集中活动"),
]


def register_organisations(station: Station) -> list[str]:
    """The community's approved organisations at the UI stack's station (as its puller applies them)."""
    now = datetime.now(UTC)
    with station_db(station, write=True) as session:
        for number, name, kind, members, what, join in ORGANISATIONS:
            apply_organisation(session, {
                "id": number, "community_code": COMMUNITY, "name": name, "kind": kind,
                "leader_hash": "0" * 64, "state": "approved", "members": members, "activities": what,
                "how_to_join": join, "updated_at": now.isoformat()}, now=now)
    return [number for number, *_ in ORGANISATIONS]


def waiting_then_moved_up(station: Station, sims: Simulators, activity_id: str) -> None:
    """The demo resident joins a full activity's waiting list; then a place comes free and the
    platform moves them up (its ``signup`` change, applied as the station's puller would)."""
    with station.client() as http:
        session = sims.identify(http, "activities")
        made = http.post(f"/api/activities/{activity_id}/signups",
                         json={"session_id": session, "idempotency_key": uuid.uuid4().hex})
        assert made.status_code == 201 and made.json()["state"] == "waiting", made.text
        http.delete(f"/api/sessions/{session}")
    sims.remove_card()
    signup_id, now = made.json()["id"], datetime.now(UTC)
    with station_db(station, write=True) as db:
        row = db.get(LocalSignup, signup_id)
        assert row is not None
        apply_signup(db, {"id": signup_id, "activity_id": activity_id, "community_code": COMMUNITY,
                          "owner_hash": row.owner_hash, "state": "confirmed", "promoted": True,
                          "updated_at": now.isoformat()}, now=now)


def outbox_of(station: Station, aggregate_id: str) -> list[str]:
    """The station's outbox events about ``aggregate_id`` (what it will tell the platform)."""
    with station_db(station) as session:
        rows = session.execute(text("SELECT event_type FROM outbox WHERE aggregate_id = :id"),
                               {"id": aggregate_id})
        return [row[0] for row in rows]


def propose(station: Station, *, title: str, supporters: int, threshold: int = 3, state: str = "open",
            decision: str = "", compound: str = "GL-01") -> str:
    """Put a proposal of ``compound`` at the UI stack's station as the platform's change would come
    (``community_council.apply_proposal``), supported by other households; return its id."""
    now = datetime.now(UTC)
    proposal_id = str(uuid.uuid4())
    payload: dict[str, Any] = {
        "id": proposal_id, "compound": compound, "community_code": COMMUNITY,
        "category": "public_facilities", "title": title, "text": "老人买菜回来没地方歇脚。",
        "state": state, "supporters": supporters, "threshold": threshold,
        "household_hashes": [f"other-household-{n}" for n in range(supporters)],
        "decision": decision, "raised_at": now.isoformat(), "updated_at": now.isoformat()}
    if state != "open":
        payload["meeting"] = {"at": "12月10日 19:30", "place": "桂林社区议事厅"}
    with station_db(station, write=True) as session:
        apply_proposal(session, payload, now=now)
    return proposal_id


def council_counts(station: Station, proposal_id: str) -> dict[str, Any]:
    """What the station holds of a proposal: its supporters, its households' support rows, the
    events it queued for the platform (by type) — how often a support was counted — its photo and
    what its proposal.raised event (if any) sends the platform."""
    with station_db(station) as session:
        row = session.get(LocalProposal, proposal_id)
        supports = session.scalars(select(LocalSupport).where(LocalSupport.proposal_id == proposal_id)).all()
        events = session.scalars(select(OutboxEvent).where(OutboxEvent.aggregate_id == proposal_id)).all()
        raised = next((e.payload for e in events if e.event_type == "proposal.raised"), None)
        return {"supporters": row.payload["supporters"] if row else None, "payload": row.payload if row else None,
                "households": [s.household_hash for s in supports],
                "events": sorted(e.event_type for e in events), "photo": row.photo if row else None,
                "raised": raised}


def proposals_titled(station: Station, title: str) -> list[str]:
    """The ids of the station's proposals with this title."""
    with station_db(station) as session:
        rows = session.scalars(select(LocalProposal)).all()
        return [r.id for r in rows if r.payload["title"] == title]


def add_household_support(station: Station, proposal_id: str, household_hash: str) -> None:
    """The platform's update after the household supported elsewhere (another station, a phone)."""
    with station_db(station, write=True) as session:
        row = session.get(LocalProposal, proposal_id)
        assert row is not None
        payload = dict(row.payload)
        payload["household_hashes"] = [*payload["household_hashes"], household_hash]
        payload["supporters"] = int(payload["supporters"]) + 1
        row.payload = payload

