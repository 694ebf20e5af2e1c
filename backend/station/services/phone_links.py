"""The resident's phone copy: a short-lived signed link to download the A4 PDF from the platform.

Made offline with the station's request-signing key (see backend/shared/phone_link.py). It is
only worth showing once the platform has the certificate, i.e. once the ``certificate.issued``
event was acknowledged; until then the answer says why not, plainly: the station is not enrolled
with a platform, it cannot reach the platform, or the certificate is on its way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.phone_link import make_link
from backend.shared.tokens import Signer

from ..db.models import OutboxEvent
from ..sync.enrolment import Enrolment, request_signer

NOT_ENROLLED = "not_enrolled"
OFFLINE = "offline"
SYNCING = "syncing"
MESSAGES = {
    NOT_ENROLLED: ("本服务站尚未接入服务平台，暂不能用手机下载电子副本。",
                   "This station is not connected to the service platform, so a phone copy is not "
                   "available."),
    OFFLINE: ("服务站暂时连不上服务平台，电子副本稍后可下载，纸质证明不受影响。",
              "The station cannot reach the service platform right now; the phone copy will be "
              "available later. Your paper certificate is valid."),
    SYNCING: ("正在把证明上传到服务平台，请稍候……", "Sending the certificate to the service platform, "
                                                    "one moment…"),
}


@dataclass(frozen=True)
class LinkContext:
    """What making a link needs from the running station."""

    # Phones download from the enrolment's platform URL, not KIOSK_PLATFORM_URL (that one is only
    # the station's own way to the platform, e.g. through a proxy).
    enrolment: Enrolment | None
    keys_dir: Path
    sync_failures: int  # consecutive failed sync rounds (0 when the last one worked)


def phone_link(factory: sessionmaker[Session], *, context: LinkContext, certificate_id: str,
               now: datetime) -> dict[str, Any]:
    """Return ``{available, url, expires_at, reason, message}`` for a certificate issued here."""
    if context.enrolment is None:
        return _unavailable(NOT_ENROLLED)
    if not _platform_has(factory, certificate_id):
        return _unavailable(OFFLINE if context.sync_failures else SYNCING)
    link = make_link(_signer(context.keys_dir), base_url=context.enrolment.platform_url,
                     certificate_id=certificate_id, now=now)
    return {"available": True, "url": link.url, "expires_at": link.expires_at.isoformat(),
            "reason": None, "message": None}


def _platform_has(factory: sessionmaker[Session], certificate_id: str) -> bool:
    with factory() as session:
        sent_at = session.scalar(select(OutboxEvent.sent_at).where(
            OutboxEvent.event_type == "certificate.issued", OutboxEvent.aggregate_id == certificate_id))
    return sent_at is not None


_SIGNERS: dict[Path, Signer] = {}


def _signer(keys_dir: Path) -> Signer:
    # The key does not change while the station runs (enrolment needs a restart).
    if keys_dir not in _SIGNERS:
        _SIGNERS[keys_dir] = request_signer(keys_dir)
    return _SIGNERS[keys_dir]


def _unavailable(reason: str) -> dict[str, Any]:
    zh, en = MESSAGES[reason]
    return {"available": False, "url": None, "expires_at": None, "reason": reason,
            "message": {"zh": zh, "en": en}}
