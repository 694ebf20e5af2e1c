"""Stations: creating them, one-time enrolment codes, enrolment, their keys and the trust list."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.shared.errors import VALIDATION, AppError
from backend.shared.privacy import community_hash_key
from backend.shared.protocol import ChangeKind, EnrolRequest, EnrolResponse
from backend.shared.tokens import JwksError, KeyBinding, KeySet, PublicKey, export_jwks, import_jwks

from ..db.area_models import EnrolmentCode, Station
from ..db.fleet_models import StationState
from . import changes, org
from .errors import (
    BAD_KEYS,
    CODE_EXPIRED,
    CODE_UNKNOWN,
    CODE_USED,
    SEQUENCE_BEHIND,
    STATION_CODE_TAKEN,
    STATION_EXISTS,
    STATION_NOT_FOUND,
)

STATION_CODE = re.compile(r"^S[0-9]{2,3}$")
STATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


@dataclass(frozen=True)
class EnrolmentContext:
    """What the platform tells a station at enrolment besides its identity."""

    platform_url: str
    district_code: str
    id_hash_key: bytes
    heartbeat_seconds: int
    identity_keys: dict[str, Any] = field(default_factory=dict)  # JWKS of resident QR codes
    hash_master: bytes = b""  # each community's hash key derives from it; it never leaves
    contact_key: bytes = b""  # the platform's X25519 public key residents' contacts are sealed to


def create_station(session: Session, *, station_id: str, name: str, community_code: str,
                   station_code: str, now: datetime) -> Station:
    """Register a station under a community (not yet enrolled)."""
    if not STATION_ID.match(station_id) or not STATION_CODE.match(station_code):
        raise AppError(VALIDATION, detail="station_id or station_code")
    org.community(session, community_code)
    if session.get(Station, station_id) is not None:
        raise AppError(STATION_EXISTS, detail=station_id)
    taken = session.scalar(select(Station).where(Station.community_code == community_code,
                                                 Station.station_code == station_code))
    if taken is not None:
        raise AppError(STATION_CODE_TAKEN, detail=station_code)
    station = Station(id=station_id, name=name, community_code=community_code,
                      station_code=station_code, status="created", last_applied_seq=0,
                      events_applied=0, duplicates=0, gaps=0, created_at=now)
    session.add(station)
    session.add(StationState(station_id=station_id))
    session.flush()
    return station


def get_station(session: Session, station_id: str) -> Station:
    station = session.get(Station, station_id)
    if station is None:
        raise AppError(STATION_NOT_FOUND, detail=station_id)
    return station


def new_enrolment_code(session: Session, *, station_id: str, now: datetime, minutes: int,
                       created_by: str) -> tuple[str, datetime]:
    """Return a fresh one-time code (only its hash is stored) and when it expires."""
    get_station(session, station_id)
    code = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(4))
    expires_at = now + timedelta(minutes=minutes)
    session.add(EnrolmentCode(station_id=station_id, code_hash=_code_hash(code), expires_at=expires_at,
                              created_by=created_by, created_at=now))
    return code, expires_at


def enrol(session: Session, *, request: EnrolRequest, now: datetime,
          context: EnrolmentContext) -> EnrolResponse:
    """Use a one-time code: store the station's public keys and tell it who it is."""
    entry = session.scalar(select(EnrolmentCode).where(EnrolmentCode.code_hash == _code_hash(request.code)))
    if entry is None:
        raise AppError(CODE_UNKNOWN)
    if entry.used_at is not None:
        raise AppError(CODE_USED)
    if entry.expires_at <= now:
        raise AppError(CODE_EXPIRED)
    request_key, certificate_keys = _checked_keys(request)
    # Claim the code atomically: of two stations racing with one code, one wins.
    claimed = session.execute(update(EnrolmentCode)
                              .where(EnrolmentCode.id == entry.id, EnrolmentCode.used_at.is_(None))
                              .values(used_at=now))
    if getattr(claimed, "rowcount", 0) != 1:
        raise AppError(CODE_USED)
    station = get_station(session, entry.station_id)
    if station.status == "enrolled" and request.outbox_start <= station.last_applied_seq:
        raise AppError(SEQUENCE_BEHIND, detail=f"applied up to {station.last_applied_seq}")
    if station.status != "enrolled":
        station.last_applied_seq = request.outbox_start - 1
    station.request_key, station.certificate_keys = request_key, certificate_keys
    station.status, station.enrolled_at = "enrolled", now
    publish_trust(session, now=now)
    return _enrol_response(session, station, context)


def _checked_keys(request: EnrolRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        request_keys = import_jwks({"keys": [request.request_key]})
        certificate_keys = import_jwks(request.certificate_keys)
    except JwksError as err:
        raise AppError(BAD_KEYS, detail=str(err)) from err
    if len(request_keys) != 1 or len(certificate_keys) == 0:
        raise AppError(BAD_KEYS, detail="one request key and at least one certificate key")
    return export_jwks(request_keys)["keys"][0], export_jwks(certificate_keys)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _enrol_response(session: Session, station: Station, context: EnrolmentContext) -> EnrolResponse:
    if len(context.hash_master) < 32 or len(context.contact_key) != 32:
        raise ValueError("enrolment needs the hash master key and the contact public key")
    community = org.community(session, station.community_code)
    return EnrolResponse(
        station_id=station.id, station_code=station.station_code, name=station.name,
        community_code=community.code,
        community_name={"zh": community.name_zh, "en": community.name_en},
        district_code=context.district_code, platform_url=context.platform_url,
        id_hash_key=_b64(context.id_hash_key),
        community_hash_key=_b64(community_hash_key(context.hash_master, community.code)),
        contact_key=_b64(context.contact_key),
        heartbeat_seconds=context.heartbeat_seconds, identity_keys=context.identity_keys)


def request_key(session: Session, station_id: str) -> PublicKey | None:
    """Return the request-signing key of an enrolled station (None for anyone else)."""
    station = session.get(Station, station_id)
    if station is None or station.status != "enrolled" or station.request_key is None:
        return None
    return _parsed_key(json.dumps(station.request_key, sort_keys=True))


@functools.lru_cache(maxsize=4096)
def _parsed_key(jwk: str) -> PublicKey:
    # Parsing a key costs more than reading its row; a re-enrolment stores a new JWK, so the
    # cache never answers with a replaced key.
    return next(iter(import_jwks({"keys": [json.loads(jwk)]})))


def replace_certificate_keys(session: Session, *, station: Station, jwks: dict[str, Any],
                             now: datetime) -> None:
    """Take a station's new certificate-key set (after a rotation) and republish the trust list."""
    try:
        keys = import_jwks(jwks)
    except JwksError as err:
        raise AppError(BAD_KEYS, detail=str(err)) from err
    station.certificate_keys = export_jwks(keys)
    publish_trust(session, now=now)


def trust_jwks(session: Session) -> dict[str, Any]:
    """Every enrolled station's certificate keys as one JWKS."""
    keys = KeySet()
    enrolled = session.execute(select(Station.id, Station.community_code, Station.station_code,
                                      Station.certificate_keys).where(Station.status == "enrolled"))
    for station_id, community_code, station_code, jwks in enrolled:
        holder = KeyBinding(station_id=station_id, community_code=community_code,
                            station_code=station_code)
        for key in import_jwks(jwks or {"keys": []}):
            keys.add(key, holder)  # each key names its station: no key vouches for another's
    ordered = KeySet()
    for key in sorted(keys, key=lambda k: k.kid):
        ordered.add(key, keys.binding(key.kid))
    return export_jwks(ordered)


def publish_trust(session: Session, *, now: datetime) -> int | None:
    """Publish the trust list to every station if it changed; return the change's cursor."""
    session.flush()
    return changes.publish_if_changed(session, kind=ChangeKind.TRUST, key="trust",
                                      payload=trust_jwks(session), now=now)


def _code_hash(code: str) -> str:
    normal = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normal.encode()).hexdigest()
