"""FastAPI dependencies: everything external enters here, so tests override it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from backend.shared.errors import UNAUTHENTICATED, AppError
from backend.shared.protocol import SignatureError, verify_request
from backend.shared.tokens import PublicKey

from ..clock import Clock
from ..db.area_models import Station
from ..runtime import PlatformRuntime
from ..services import auth, nonces, org
from ..services.auth import Staff
from ..services.errors import (
    PASSWORD_CHANGE_REQUIRED,
    REPLAYED,
    SIGNATURE_INVALID,
    SIGNATURE_MISSING,
    STALE,
    STATION_NOT_FOUND,
    UNKNOWN_STATION,
)
from ..services.station_identities import StationIdentity
from ..settings import PlatformSettings


def get_runtime(request: Request) -> PlatformRuntime:
    runtime: PlatformRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[PlatformRuntime, Depends(get_runtime)]


def get_db(runtime: RuntimeDep) -> sessionmaker[Session]:
    return runtime.db


def get_clock(runtime: RuntimeDep) -> Clock:
    return runtime.clock


def get_settings(runtime: RuntimeDep) -> PlatformSettings:
    return runtime.settings


DbDep = Annotated[sessionmaker[Session], Depends(get_db)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[PlatformSettings, Depends(get_settings)]


# ---- staff -------------------------------------------------------------------------------------------

def bearer_token(request: Request, *, query: bool = False) -> str:
    """The request's bearer token from its Authorization header; with ``query`` (the stream only:
    EventSource cannot send headers) also from ``?access_token=``. Elsewhere a token in a URL is
    refused, as URLs end up in logs, histories and Referer headers."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.query_params.get("access_token", "") if query else ""


def _staff_of(token: str, runtime: PlatformRuntime) -> Staff:
    if not token:
        raise AppError(UNAUTHENTICATED)
    with runtime.db() as session:
        staff = auth.staff_for_token(session, token, runtime.clock.now())
    if staff is None:
        raise AppError(UNAUTHENTICATED, detail="token unknown or expired")
    return staff


def get_signed_in(request: Request, runtime: RuntimeDep) -> Staff:
    """The token's user, even one who must still change the password they were given."""
    return _staff_of(bearer_token(request), runtime)


def get_staff(staff: Annotated[Staff, Depends(get_signed_in)]) -> Staff:
    """The token's user, who may work (a password given by an administrator has been changed)."""
    if staff.must_change_password:
        raise AppError(PASSWORD_CHANGE_REQUIRED)
    return staff


def get_stream_staff(request: Request, runtime: RuntimeDep) -> Staff:
    return get_staff(_staff_of(bearer_token(request, query=True), runtime))


SignedInDep = Annotated[Staff, Depends(get_signed_in)]
StaffDep = Annotated[Staff, Depends(get_staff)]


@dataclass(frozen=True)
class Visibility:
    """The communities a signed-in user may see."""

    staff: Staff
    communities: list[str]

    def station(self, session: Session, station_id: str) -> Station:
        """Return a station the user may see (others look like they do not exist)."""
        station = session.get(Station, station_id)
        if station is None or station.community_code not in self.communities:
            raise AppError(STATION_NOT_FOUND, detail=station_id)
        return station


def get_visibility(staff: StaffDep, runtime: RuntimeDep) -> Visibility:
    with runtime.db() as session:
        return Visibility(staff, org.communities_under(session, staff.org_code))


def get_stream_visibility(staff: Annotated[Staff, Depends(get_stream_staff)],
                          runtime: RuntimeDep) -> Visibility:
    return get_visibility(staff, runtime)


VisibilityDep = Annotated[Visibility, Depends(get_visibility)]
StreamVisibilityDep = Annotated[Visibility, Depends(get_stream_visibility)]


# ---- stations (signed requests) ------------------------------------------------------------------

@dataclass(frozen=True)
class SignedStation:
    """A station whose request signature and time checked out (its nonce is claimed by
    ``signed_transaction``, in the same transaction as the request's work)."""

    id: str
    community_code: str
    station_code: str
    nonce: str
    created: int


_REASONS = {"missing": SIGNATURE_MISSING, "unknown_key": UNKNOWN_STATION, "stale": STALE}


async def get_signed_station(request: Request, runtime: RuntimeDep) -> SignedStation:
    body = await request.body()
    url = _target_uri(request, runtime.settings.public_url)
    headers = dict(request.headers)
    remembered = _verify_remembered(runtime, request.method, url, headers, body)
    if remembered is not None:
        return remembered
    return await run_in_threadpool(_verify, runtime, request.method, url, headers, body)


def _verify_remembered(runtime: PlatformRuntime, method: str, url: str, headers: dict[str, str],
                       body: bytes, *, load: bool = False) -> SignedStation | None:
    """Verify here, on the event loop, when the signer's identity is in memory (a fraction of a
    millisecond of CPU); None sends the request to the full check in a worker thread. With
    ``load`` (in a worker thread already) an identity not in memory is read first, as the full
    check reads it; a signature that fails is still left to the full check."""
    found: dict[str, StationIdentity] = {}

    def key_for(keyid: str) -> PublicKey | None:
        identity = runtime.identities.get(keyid) if load else runtime.identities.peek(keyid)
        if identity is not None:
            found["identity"] = identity
        return identity.key if identity is not None else None

    try:
        verified = verify_request(method=method, url=url, headers=headers, body=body, key_for=key_for,
                                  now=int(runtime.clock.now().timestamp()),
                                  window=runtime.settings.signature_window_seconds)
    except SignatureError:
        return None  # the full check decides, and counts the refusal
    station = found["identity"]
    return SignedStation(station.id, station.community_code, station.station_code, verified.nonce,
                         verified.created)


def _verify(runtime: PlatformRuntime, method: str, url: str, headers: dict[str, str],
            body: bytes) -> SignedStation:
    now = int(runtime.clock.now().timestamp())
    try:
        try:
            return _verify_with(runtime, method, url, headers, body, now, fresh=False)
        except SignatureError as err:
            if err.reason not in ("unknown_key", "bad_signature"):
                raise
            # The remembered key may be an old one (a re-enrolment on another worker): ask the database.
            return _verify_with(runtime, method, url, headers, body, now, fresh=True)
    except SignatureError as err:
        runtime.metrics.refused.labels(err.reason).inc()
        raise AppError(_REASONS.get(err.reason, SIGNATURE_INVALID), detail=err.reason) from err


def _verify_with(runtime: PlatformRuntime, method: str, url: str, headers: dict[str, str], body: bytes,
                 now: int, *, fresh: bool) -> SignedStation:
    found: dict[str, StationIdentity] = {}

    def key_for(keyid: str) -> PublicKey | None:
        identity = runtime.identities.get(keyid, fresh=fresh)
        if identity is None:
            return None
        found["identity"] = identity
        return identity.key

    verified = verify_request(method=method, url=url, headers=headers, body=body, key_for=key_for, now=now,
                              window=runtime.settings.signature_window_seconds)
    station = found["identity"]
    return SignedStation(station.id, station.community_code, station.station_code, verified.nonce,
                         verified.created)


def _target_uri(request: Request, public_url: str) -> str:
    if not public_url:
        return str(request.url)
    query = request.url.query
    return public_url.rstrip("/") + request.url.path + (f"?{query}" if query else "")


SignedStationDep = Annotated[SignedStation, Depends(get_signed_station)]


@contextmanager
def signed_transaction(runtime: PlatformRuntime, station: SignedStation) -> Iterator[Session]:
    """The request's write transaction, opened by claiming its nonce: a replay is refused."""
    try:
        with nonces.claimed(runtime.db, keyid=station.id, nonce=station.nonce,
                            created=station.created) as session:
            yield session
    except nonces.Replayed as err:
        runtime.metrics.refused.labels("replayed").inc()
        raise AppError(REPLAYED) from err
