"""The generic webhook: its JSON body and its signature headers.

Written on httpx rather than through apprise: apprise's JSON notifier sends its own body
(``version``, ``title``, ``message``, ``type``) and has no HMAC header, so the documented contract
(exact body, ``X-Kiosk-Timestamp`` and ``X-Kiosk-Signature``) cannot be expressed through it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import httpx

State = Literal["firing", "resolved"]
TIMESTAMP_HEADER = "X-Kiosk-Timestamp"
SIGNATURE_HEADER = "X-Kiosk-Signature"


@dataclass(frozen=True)
class StationRef:
    id: str
    name: str
    community_code: str


@dataclass(frozen=True)
class AlertMessage:
    """What a notification says about one alert; never a resident's data."""

    id: str
    kind: str
    severity: str
    state: State
    station: StationRef
    area_path: list[str]
    summary_zh: str
    summary_en: str
    started_at: datetime
    resolved_at: datetime | None
    console_url: str


def webhook_body(message: AlertMessage) -> bytes:
    """Serialise the documented webhook JSON (UTF-8, Chinese kept as is)."""
    document = {
        "id": message.id,
        "kind": message.kind,
        "severity": message.severity,
        "state": message.state,
        "station": {
            "id": message.station.id,
            "name": message.station.name,
            "community_code": message.station.community_code,
        },
        "area_path": list(message.area_path),
        "summary": {"zh": message.summary_zh, "en": message.summary_en},
        "started_at": message.started_at.isoformat(),
        "resolved_at": message.resolved_at.isoformat() if message.resolved_at else None,
        "console_url": message.console_url,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=`` + hex HMAC-SHA256 of ``timestamp + "." + body`` with the channel secret."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str | None, timestamp: int, body: bytes) -> dict[str, str]:
    """Headers for one delivery; the signature only when the channel has a secret."""
    headers = {"Content-Type": "application/json; charset=utf-8", TIMESTAMP_HEADER: str(timestamp)}
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, timestamp, body)
    return headers


def verify(secret: str, headers: dict[str, str], body: bytes, *, now: int, max_age: int = 300) -> bool:
    """A receiver's check: right signature and a timestamp fresh enough to refuse replays."""
    try:
        timestamp = int(headers[TIMESTAMP_HEADER])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > max_age:
        return False
    given = headers.get(SIGNATURE_HEADER, "")
    return hmac.compare_digest(given, signature(secret, timestamp, body))


async def send_webhook(
    client: httpx.AsyncClient, *, url: str, secret: str | None, message: AlertMessage, now: int
) -> httpx.Response:
    """POST one signed message; the caller records the result and retries on failure."""
    body = webhook_body(message)
    response = await client.post(url, content=body, headers=signed_headers(secret, now, body))
    response.raise_for_status()
    return response
