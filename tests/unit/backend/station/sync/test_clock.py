"""The station's clock against the platform's: skew measured from every answer's Date header,
an alert past 2 minutes, requests still accepted when the clock is far off; and a clock that
steps backwards neither reorders the outbox nor breaks a token."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

import assets
from backend.shared.privacy import mask_id_number
from backend.shared.protocol import EventType, verify_request
from backend.shared.protocol.httpsig import SignatureError
from backend.shared.register_file import read_register_path
from backend.shared.tokens import generate_signer
from backend.shared.verification import verify_certificate
from backend.station.clock import FrozenClock, SteadyClock
from backend.station.db.session import write_transaction
from backend.station.runtime import StationRuntime
from backend.station.services import outbox as outbox_service
from backend.station.services.issuing import IssueRequest, issue_certificate
from backend.station.services.sessions import Identity
from backend.station.sync.client import PlatformClient, PlatformRefused
from backend.station.sync.health import note_clock_skew, station_components
from backend.station.sync.sender import send_batch

from .conftest import NOW
from .test_sender import Platform

PLATFORM_NOW = NOW.timestamp()


SIGNER = generate_signer()


def _platform(offset: float, seen: list[int]) -> httpx.MockTransport:
    """The network edge: a platform whose clock is ``offset`` s ahead of the station's, checking
    signatures with the real verifier (and its 300 s window)."""
    def handle(request: httpx.Request) -> httpx.Response:
        server_now = PLATFORM_NOW + offset
        date = {"date": format_datetime(datetime.fromtimestamp(server_now, NOW.tzinfo), usegmt=True)}
        try:
            verified = verify_request(method=request.method, url=str(request.url), headers=request.headers,
                                      body=request.content, key_for=lambda _kid: SIGNER.public_key,
                                      now=int(server_now))
        except SignatureError as err:
            return httpx.Response(401, json={"code": f"sync.signature_{err.reason}"}, headers=date)
        seen.append(verified.created)
        return httpx.Response(200, json={"server_time": NOW.isoformat(), "heartbeat_seconds": 30,
                                         "offline_after_seconds": 90}, headers=date)
    return httpx.MockTransport(handle)


@pytest.mark.parametrize(("offset", "alert"), [(30, False), (-150, True), (150, True)])
def test_skew_is_measured_on_every_sync_and_alerts_past_two_minutes(runtime: StationRuntime, offset: float,
                                                                    alert: bool) -> None:
    seen: list[int] = []
    client = PlatformClient("http://platform", station_id="st-01", signer=SIGNER,
                            transport=_platform(offset, seen), clock=lambda: PLATFORM_NOW)
    client._send("POST", "/api/sync/heartbeat", raw=b"{}")
    assert client.skew_seconds == pytest.approx(offset, abs=1)
    note_clock_skew(runtime, client.skew_seconds)
    (clock,) = [c for c in station_components(runtime) if c.id == "clock"]
    assert (clock.code == "HARDWARE_ERROR") is alert
    assert ("behind" if offset > 0 else "ahead of") in clock.detail


def test_a_clock_far_off_is_refused_once_then_signs_with_the_platforms_time(runtime: StationRuntime) -> None:
    seen: list[int] = []
    client = PlatformClient("http://platform", station_id="st-01", signer=SIGNER,
                            transport=_platform(-3600, seen), clock=lambda: PLATFORM_NOW)  # an hour fast
    with pytest.raises(PlatformRefused) as stale:
        client._send("POST", "/api/sync/heartbeat", raw=b"{}")
    assert stale.value.code == "sync.signature_stale"
    client._send("POST", "/api/sync/heartbeat", raw=b"{}")  # the station can report its skew
    assert seen == [pytest.approx(PLATFORM_NOW - 3600, abs=2)]
    note_clock_skew(runtime, client.skew_seconds)
    assert [c.code for c in station_components(runtime) if c.id == "clock"] == ["HARDWARE_ERROR"]


def test_a_clock_stepping_back_never_reorders_the_outbox(runtime: StationRuntime) -> None:
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    for step in (0, -3600, -60, 7200):  # an NTP step back by an hour, then more, then forward
        clock.advance(seconds=step)
        with write_transaction(runtime.db) as session:
            outbox_service.record(session, event_type=EventType.CERTIFICATE_ISSUED, aggregate_id=f"c{step}",
                                  payload={"step": step}, at=clock.now())
    platform = Platform()
    send_batch(runtime.db, platform, batch_size=10, now=clock.now())
    (batch,) = platform.batches
    assert [e.seq for e in batch.events] == [1, 2, 3, 4]
    assert [e.payload["step"] for e in batch.events] == [0, -3600, -60, 7200]  # as they happened


def test_a_clock_stepping_back_never_breaks_a_token(runtime: StationRuntime) -> None:
    ticks = [1000.0]
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    steady = SteadyClock(clock, monotonic=lambda: ticks[0])
    steady.now()
    identity = _identity(runtime)
    certificate = issue_certificate(runtime.db, ctx=runtime.issuer, catalog=runtime.catalog, identity=identity,
                                    request=IssueRequest(type_code="JZZM", purpose="school",
                                                         idempotency_key="key-00000001"), now=clock.now())
    clock.advance(hours=-1)  # the system clock steps back an hour, ten seconds later
    ticks[0] += 10
    plain = verify_certificate(certificate.token, keys=runtime.trust(), now=clock.now())
    assert plain.verdict.value == "not_yet_valid"  # what the plain clock would have said
    result = verify_certificate(certificate.token, keys=runtime.trust(), now=steady.now())
    assert result.valid, result.as_dict()
    assert steady.now() == NOW + timedelta(seconds=10)  # carried on at the monotonic pace
    clock.advance(hours=2)  # the wall clock is put right (and beyond): taken at once
    assert steady.now() == NOW + timedelta(hours=1)


def _identity(runtime: StationRuntime) -> Identity:
    row = read_register_path(assets.path("register", "demo_register.csv"), date(2026, 11, 26)).rows[0]
    number = row.id_number
    return Identity(id_hash=runtime.keys.protector.lookup_hash(number),
                    id_masked=mask_id_number(number), name=row.name)
