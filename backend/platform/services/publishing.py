"""Catalog, notices and revocations: recorded on the platform and published to stations."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.catalog import Catalog
from backend.shared.errors import NOT_FOUND, AppError
from backend.shared.protocol import ChangeKind

from ..db.area_models import KeyValue, Notice
from ..db.certificate_models import CertificateRecord, Revocation
from . import changes


def publish_catalog(session: Session, *, catalog: Catalog, now: datetime) -> int | None:
    """Publish the certificate catalog (types and what each area offers) if it changed."""
    document = catalog.model_dump(mode="json")
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
    stored = session.get(KeyValue, "catalog")
    if stored is not None and stored.value.get("digest") == digest:
        return None
    if stored is None:
        session.add(KeyValue(key="catalog", value={"digest": digest, "version": catalog.version}))
    else:
        stored.value = {"digest": digest, "version": catalog.version}
    return changes.publish(session, kind=ChangeKind.CATALOG, scope=changes.DISTRICT, key="catalog",
                           payload=document, now=now, supersede=True)


def publish_notice(session: Session, *, scope: str, title: dict[str, str], body: dict[str, str],
                   by: str, now: datetime) -> Notice:
    """Record a notice and send it to the stations of its scope."""
    notice = Notice(id=str(uuid.uuid4()), scope=scope, title=title, body=body, created_by=by,
                    created_at=now)
    session.add(notice)
    changes.publish(session, kind=ChangeKind.NOTICE, scope=scope, key=notice.id,
                    payload={"id": notice.id, "title": title, "body": body, "at": now.isoformat()},
                    now=now)
    return notice


def revoke(session: Session, *, identifier: str, reason: str, by: str, now: datetime,
           communities: list[str] | None = None) -> dict[str, Any]:
    """Revoke a registered certificate and tell every station (verifiers check the list).

    ``communities``: those the revoking user may see; a certificate elsewhere is not found."""
    record = session.scalar(select(CertificateRecord).where(CertificateRecord.identifier == identifier))
    if record is None or (communities is not None and record.community_code not in communities):
        raise AppError(NOT_FOUND, detail=identifier)
    existing = session.scalar(select(Revocation).where(Revocation.issuer == record.station_id,
                                                       Revocation.serial == record.serial))
    if existing is None:
        session.add(Revocation(issuer=record.station_id, serial=record.serial, identifier=identifier,
                               reason=reason, revoked_at=now, revoked_by=by))
        record.state, record.updated_at = "revoked", now
        payload = {"issuer": record.station_id, "serial": record.serial, "identifier": identifier,
                   "reason": reason, "revoked_at": now.isoformat()}
        changes.publish(session, kind=ChangeKind.REVOCATION, scope=changes.DISTRICT,
                        key=identifier, payload=payload, now=now)
    return {"identifier": identifier, "issuer": record.station_id, "serial": record.serial,
            "state": "revoked"}
