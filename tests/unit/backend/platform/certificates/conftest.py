"""Certificates and applications on a platform runtime (frozen clock, SQLite and PostgreSQL): two
enrolled stations whose request keys the tests hold, and station events sent through ingest."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import stations
from backend.platform.services.ingest import apply_batch
from backend.shared.identifiers import certificate_identifier, format_serial
from backend.shared.protocol import BatchAck, EnrolRequest, EventBatch, OutboxEventIn
from backend.shared.tickets.contact import public_bytes
from backend.shared.tokens import ExportableSigner, export_jwks, generate_signer

from ..conftest import COMMUNITY, NOW

ISSUER_CODE = "11460107MB1234567X"


@dataclass
class FakeStation:
    """An enrolled station the test speaks for: its id, code, request key and next seq."""

    runtime: PlatformRuntime
    id: str
    code: str
    signer: ExportableSigner
    seq: int = 0
    serials: int = field(default=0)

    def send(self, *events: tuple[str, dict[str, Any]], at: datetime = NOW) -> BatchAck:
        """Apply events (type, payload) as this station's next outbox entries."""
        batch = EventBatch(station_id=self.id, events=[
            OutboxEventIn(seq=self.seq + 1 + i, type=kind, aggregate_id=str(p.get("id", "x"))[:64], payload=p,
                          created_at=at) for i, (kind, p) in enumerate(events)])
        self.seq += len(events)
        with write_transaction(self.runtime.db) as session:
            ack, _notes = apply_batch(session, station_id=self.id, batch=batch, now=self.runtime.clock.now())
        return ack

    def certificate(self, name: str = "张三", id_masked: str = "4601*************2",
                    **changes: Any) -> dict[str, Any]:
        """A certificate.issued payload as this station sends it."""
        self.serials += 1
        serial = format_serial(2026, self.code, self.serials)
        payload = {"id": str(uuid.uuid4()), "serial": serial, "issuer": self.id,
                   "identifier": certificate_identifier("JZZM", ISSUER_CODE, serial), "type_code": "JZZM",
                   "community_code": COMMUNITY, "holder_name": name, "holder_id_masked": id_masked,
                   "purpose": "school", "details": {"address": "海口市琼山区府城街道桂林社区3号楼2单元301室",
                                                    "since": "2010-05-01"},
                   "token": f"ZM1:TEST-{serial}", "issued_at": NOW.isoformat(),
                   "expires_at": (NOW + timedelta(days=90)).isoformat()}
        return payload | changes


def enrol_station(runtime: PlatformRuntime, station_id: str, code: str) -> FakeStation:
    """Create and enrol a station with a request key the test keeps."""
    signer = generate_signer()
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        stations.create_station(session, station_id=station_id, name=station_id, community_code=COMMUNITY,
                                station_code=code, now=now)
        enrolment_code, _ = stations.new_enrolment_code(session, station_id=station_id, now=now, minutes=60,
                                                        created_by="test")
    request = EnrolRequest(code=enrolment_code, request_key=export_jwks([signer.public_key])["keys"][0],
                           certificate_keys=export_jwks([generate_signer().public_key]))
    context = stations.EnrolmentContext("http://platform", "460107", runtime.id_hash_key, 30,
                                          hash_master=runtime.hash_master,
                                          contact_key=public_bytes(runtime.contact.public_key))
    with write_transaction(runtime.db) as session:
        stations.enrol(session, request=request, now=now, context=context)
    return FakeStation(runtime, station_id, code, signer)


@pytest.fixture
def station_a(runtime: PlatformRuntime) -> FakeStation:
    return enrol_station(runtime, "st-a", "S01")


@pytest.fixture
def station_b(runtime: PlatformRuntime) -> FakeStation:
    return enrol_station(runtime, "st-b", "S02")


def application(**changes: Any) -> dict[str, Any]:
    """An application.submitted payload as a station sends it."""
    payload = {"id": str(uuid.uuid4()), "type_code": "PKXS", "state": "applied", "holder_name": "孙八",
               "holder_id_masked": "4601*************7", "purpose": "grant",
               "resident_fields": {"school": "海口市第一中学"}, "reason": "", "certificate_id": None,
               "decided_by": "", "created_at": NOW.isoformat()}
    return payload | changes
