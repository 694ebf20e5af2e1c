"""Enrolment: the station's identity on the platform, its request-signing key, and ``enroll``.

Kept in the data folder, owner-only:

    enrolment.json      who the platform says this station is, and where the platform is
    keys/request.pem    the Ed25519 key that signs sync requests (not the certificate keys)
    keys/idhash.key     replaced by the district's key (the inner step of a resident's hash)
    keys/idhash-community.key  this community's hash key: ID hashes then match the platform's
                        register of this community, and no other's
    keys/contact.pub    the platform's X25519 public key; residents' phone numbers are sealed to
                        it, and nothing here opens them
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import delete, func, select

from backend.shared.migrations import upgrade
from backend.shared.private_files import write_private_file
from backend.shared.protocol import EnrolRequest, EnrolResponse
from backend.shared.tokens import ExportableSigner, export_jwks, generate_signer, load_signer, save_signer

from ..db.models import OutboxEvent, Resident
from ..db.session import make_engine, make_session_factory, write_transaction
from ..services.keys import COMMUNITY_HASH_KEY, CONTACT_KEY, StationKeys
from . import state

ENROLMENT_FILE = "enrolment.json"
REQUEST_KEY = "request.pem"
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


class EnrolmentError(Exception):
    """Enrolment did not happen; the message says why, for a technician."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Enrolment:
    station_id: str
    station_code: str
    name: str
    community_code: str
    community_name: dict[str, str]
    district_code: str
    platform_url: str
    heartbeat_seconds: int
    enrolled_at: str

    @classmethod
    def from_response(cls, response: EnrolResponse, platform_url: str, now: datetime) -> Enrolment:
        return cls(station_id=response.station_id, station_code=response.station_code,
                   name=response.name, community_code=response.community_code,
                   community_name=response.community_name, district_code=response.district_code,
                   platform_url=platform_url, heartbeat_seconds=response.heartbeat_seconds,
                   enrolled_at=now.isoformat())


def load_enrolment(data_dir: Path) -> Enrolment | None:
    """Return the station's enrolment, or None if it has not enrolled."""
    path = data_dir / ENROLMENT_FILE
    if not path.exists():
        return None
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return Enrolment(**raw)


def request_signer(keys_dir: Path) -> ExportableSigner:
    """Load the request-signing key (enrolment creates it)."""
    return load_signer(keys_dir / REQUEST_KEY)


def enroll(*, data_dir: Path, url: str, code: str, force: bool = False,
           transport: httpx.BaseTransport | None = None) -> Enrolment:
    """Register this station's keys with the platform using a one-time code."""
    existing = load_enrolment(data_dir)
    if existing is not None and not force:
        raise EnrolmentError(f"this station is already enrolled as {existing.station_id} with "
                             f"{existing.platform_url}; use --force to enrol it again")
    keys = StationKeys(data_dir / "keys")
    signer = generate_signer()
    engine = make_engine(f"sqlite:///{data_dir / 'station.db'}")
    try:
        upgrade(engine, MIGRATIONS, protector=keys.protector)
        factory = make_session_factory(engine, protector=keys.protector)
        request = EnrolRequest(code=code.strip(), request_key=export_jwks([signer.public_key])["keys"][0],
                               certificate_keys=keys.jwks(), outbox_start=_outbox_start(factory))
        response = _post(url, request, transport)
        now = datetime.now(UTC)
        save_signer(signer, data_dir / "keys" / REQUEST_KEY)
        for name, key in (("idhash.key", response.id_hash_key), (CONTACT_KEY, response.contact_key),
                          (COMMUNITY_HASH_KEY, response.community_hash_key)):
            write_private_file(data_dir / "keys" / name, base64.urlsafe_b64decode(key), folder_mode=0o700)
        if response.identity_keys:  # resident QR codes verify from the first start
            keys.save_identity_keys(response.identity_keys)
        _start_afresh(factory, now, keys.jwks())
    finally:
        engine.dispose()
    enrolment = Enrolment.from_response(response, url.rstrip("/"), now)
    write_private_file(data_dir / ENROLMENT_FILE, json.dumps(asdict(enrolment), ensure_ascii=False,
                                                             indent=2).encode(), folder_mode=0o700)
    return enrolment


def _outbox_start(factory: Any) -> int:
    with factory() as session:
        unsent = session.scalar(select(func.min(OutboxEvent.seq)).where(OutboxEvent.sent_at.is_(None)))
        last = session.scalar(select(func.max(OutboxEvent.seq))) or 0
    return int(unsent) if unsent is not None else int(last) + 1


def _start_afresh(factory: Any, now: datetime, certificate_keys: dict[str, Any]) -> None:
    # Hashes made with the old key match nothing now; the platform sends its register.
    with write_transaction(factory) as session:
        session.execute(delete(Resident))
        state.forget(session, state.CURSOR)
        state.put(session, state.KEYS_SENT, certificate_keys, now=now)


def _post(url: str, request: EnrolRequest, transport: httpx.BaseTransport | None) -> EnrolResponse:
    endpoint = url.rstrip("/") + "/api/sync/enroll"
    try:
        with httpx.Client(timeout=30, transport=transport) as http:
            response = http.post(endpoint, content=request.model_dump_json(),
                                 headers={"Content-Type": "application/json"})
    except httpx.HTTPError as err:
        raise EnrolmentError(f"cannot reach the platform at {url}: {err}") from err
    if response.status_code != 200:
        raise _refusal(response)
    return EnrolResponse.model_validate(response.json())


def _refusal(response: httpx.Response) -> EnrolmentError:
    try:
        body = response.json()
        message = body["message"]
        return EnrolmentError(f"{message['en']} / {message['zh']} ({body['code']})", body["code"])
    except (ValueError, KeyError, TypeError):
        return EnrolmentError(f"the platform answered HTTP {response.status_code}")

