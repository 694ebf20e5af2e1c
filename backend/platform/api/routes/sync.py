"""The sync endpoints stations call: enrolment (one-time code), then signed requests only."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Query

from backend.shared.api_params import Cursor
from backend.shared.errors import AppError
from backend.shared.protocol import (
    BatchAck,
    ChangesPage,
    EnrolRequest,
    EnrolResponse,
    EventBatch,
    Heartbeat,
    HeartbeatAck,
    UpdateOffer,
)
from backend.shared.protocol.schemas import MAX_CHANGES_PAGE
from backend.shared.tickets.contact import public_bytes

from ...db.session import write_transaction
from ...services import changes, heartbeat, ingest, rollouts, stations
from ...services.certificates.identity import identity_keys
from ...services.errors import NOT_YOURS
from ...services.stations import EnrolmentContext
from ..deps import RuntimeDep, SignedStationDep, signed_transaction

router = APIRouter(prefix="/api/sync", tags=["sync"])


@router.post("/enroll")
def enroll(body: EnrolRequest, runtime: RuntimeDep) -> EnrolResponse:
    """Register a station's public keys with a one-time code; say who it is."""
    settings = runtime.settings
    context = EnrolmentContext(
        platform_url=settings.public_url or f"http://{settings.host}:{settings.port}",
        district_code=settings.district_code, id_hash_key=runtime.id_hash_key,
        heartbeat_seconds=settings.heartbeat_seconds,
        identity_keys=identity_keys(settings.keys_dir).jwks(), hash_master=runtime.hash_master,
        contact_key=public_bytes(runtime.contact.public_key))
    with write_transaction(runtime.db) as session:
        response = stations.enrol(session, request=body, now=runtime.clock.now(), context=context)
    runtime.publish([{"type": "station.enrolled", "station_id": response.station_id}])
    return response


@router.post("/events")
def events(body: EventBatch, station: SignedStationDep, runtime: RuntimeDep) -> BatchAck:
    """Apply a batch of the station's outbox events exactly once; acknowledge the highest seq."""
    _own(station.id, body.station_id)
    started = time.perf_counter()
    with signed_transaction(runtime, station) as session:
        ack, notes = ingest.apply_batch(
            session, station_id=station.id, batch=body, now=runtime.clock.now(),
            print_failure_alert_count=runtime.settings.print_failure_alert_count)
    runtime.metrics.events.labels("applied").inc(ack.applied - len(ack.rejected))
    runtime.metrics.events.labels("duplicate").inc(ack.duplicates)
    runtime.metrics.events.labels("rejected").inc(len(ack.rejected))
    runtime.metrics.sync_seconds.labels("events").observe(time.perf_counter() - started)
    runtime.publish(notes)
    return ack


@router.get("/changes")
def get_changes(station: SignedStationDep, runtime: RuntimeDep, after: Cursor = 0,
                limit: int = Query(200, ge=1, le=MAX_CHANGES_PAGE)) -> ChangesPage:
    """Return the changes for this station after a cursor (district, its community, itself)."""
    started = time.perf_counter()
    with signed_transaction(runtime, station) as session:
        page = changes.page(session, station=stations.get_station(session, station.id), after=after,
                            limit=limit)
    runtime.metrics.sync_seconds.labels("changes").observe(time.perf_counter() - started)
    return page


# Without an offer the answer has no "update" member at all: stations from before updates over the
# air read their answers with extra="forbid".
@router.post("/heartbeat", response_model_exclude_none=True)
def post_heartbeat(body: Heartbeat, station: SignedStationDep, runtime: RuntimeDep) -> HeartbeatAck:
    """Record the station's state; open or resolve its alerts."""
    _own(station.id, body.station_id)
    started = time.perf_counter()
    settings = runtime.settings
    now = runtime.clock.now()
    with signed_transaction(runtime, station) as session:
        notes = heartbeat.record_heartbeat(
            session, station_id=station.id, heartbeat=body, now=now,
            offline_after=settings.offline_after_seconds, depth_limit=settings.outbox_alert_depth,
            age_limit=settings.outbox_alert_age_seconds)
        offer = rollouts.offer_for(session, station_id=station.id, version=body.version, now=now)
    runtime.metrics.sync_seconds.labels("heartbeat").observe(time.perf_counter() - started)
    runtime.publish(notes)
    return HeartbeatAck(server_time=now, heartbeat_seconds=settings.heartbeat_seconds,
                        offline_after_seconds=settings.offline_after_seconds,
                        update=UpdateOffer(**offer) if offer else None)


@router.put("/keys")
def put_keys(body: dict[str, Any], station: SignedStationDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Replace the station's certificate-signing public keys (after a rotation)."""
    with signed_transaction(runtime, station) as session:
        record = stations.get_station(session, station.id)
        stations.replace_certificate_keys(session, station=record, jwks=body, now=runtime.clock.now())
    return {"station_id": station.id, "keys": len(body.get("keys", []))}


def _own(signed_as: str, claimed: str) -> None:
    if signed_as != claimed:
        raise AppError(NOT_YOURS, detail=f"signed as {signed_as}, writes for {claimed}")
