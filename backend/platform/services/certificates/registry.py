"""The district's certificate registry for staff: find a certificate, read it, revoke it.

Search by serial, GB/T 36904 identifier, masked ID number or name — never by the full ID
number: the platform does not hold it, and a query holding one is refused before it is used.
Everything is limited to the communities the signed-in user may see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from backend.shared.errors import CERTIFICATE_NOT_FOUND, AppError
from backend.shared.identifiers import PREFIX as IDENTIFIER_PREFIX

from ...db.certificate_models import ApplicationRecord, CertificateRecord, Revocation
from .. import publishing
from .errors import FULL_ID_REFUSED

FULL_ID = re.compile(r"\d{17}[\dXx]|\d{15}")  # GB 11643 (and the old 15-digit numbers)
SERIALISH = re.compile(r"^[0-9Ss-]*\d[0-9Ss-]*$")


@dataclass(frozen=True)
class Query:
    """What staff search by; ``q`` is one box that guesses which field is meant."""

    q: str = ""
    serial: str = ""
    name: str = ""
    id_masked: str = ""
    type_code: str = ""
    state: str = ""
    station_id: str = ""

    def refuse_full_id(self) -> None:
        for value in (self.q, self.serial, self.name, self.id_masked):
            if FULL_ID.search(value.replace(" ", "")):
                raise AppError(FULL_ID_REFUSED)


def search(session: Session, query: Query, *, communities: list[str], limit: int) -> list[dict[str, Any]]:
    """Certificates in the user's communities matching the query, newest first."""
    query.refuse_full_id()
    statement = _filtered(select(CertificateRecord).where(CertificateRecord.community_code.in_(communities)),
                          query)
    rows = session.scalars(statement.order_by(CertificateRecord.issued_at.desc()).limit(limit))
    return [view(r) for r in rows]


def _filtered(statement: Select[CertificateRecord], query: Query) -> Select[CertificateRecord]:
    c = CertificateRecord
    exact = {c.type_code: query.type_code, c.state: query.state, c.station_id: query.station_id,
             c.holder_id_masked: query.id_masked.strip().upper()}
    for column, value in exact.items():
        if value:
            statement = statement.where(column == value)
    if query.serial.strip():
        statement = statement.where(c.serial.contains(query.serial.strip().upper(), autoescape=True))
    if query.name.strip():
        statement = statement.where(c.holder_name.contains(query.name.strip(), autoescape=True))
    return _guessed(statement, query.q.strip())


def _guessed(statement: Select[CertificateRecord], q: str) -> Select[CertificateRecord]:
    c = CertificateRecord
    if not q:
        return statement
    if q.startswith(IDENTIFIER_PREFIX):
        return statement.where(c.identifier == q.upper())
    if "*" in q:
        return statement.where(c.holder_id_masked == q.upper())
    if SERIALISH.match(q):
        return statement.where(c.serial.contains(q.upper(), autoescape=True))
    return statement.where(c.holder_name.contains(q, autoescape=True))


def visible(session: Session, certificate_id: str, communities: list[str]) -> CertificateRecord:
    """Return a certificate in the user's area (others look as if they did not exist)."""
    record = session.get(CertificateRecord, certificate_id)
    if record is None or record.community_code not in communities:
        raise AppError(CERTIFICATE_NOT_FOUND)
    return record


def detail(session: Session, record: CertificateRecord) -> dict[str, Any]:
    """One certificate with its details, its revocation and the application it came from."""
    revocation = session.scalar(select(Revocation).where(Revocation.issuer == record.station_id,
                                                         Revocation.serial == record.serial))
    application = session.scalar(select(ApplicationRecord.id)
                                 .where(ApplicationRecord.certificate_id == record.id))
    return view(record) | {
        "details": record.details, "application_id": application,
        "revocation": None if revocation is None else {
            "reason": revocation.reason, "revoked_at": revocation.revoked_at.isoformat(),
            "revoked_by": revocation.revoked_by},
    }


def revoke(session: Session, record: CertificateRecord, *, reason: str, by: str,
           now: datetime) -> dict[str, Any]:
    """Revoke a certificate; every station's verifier then refuses it."""
    return publishing.revoke(session, identifier=record.identifier, reason=reason, by=by, now=now)


def view(record: CertificateRecord) -> dict[str, Any]:
    """A certificate as staff see it (the masked number only)."""
    return {
        "id": record.id, "station_id": record.station_id, "community_code": record.community_code,
        "serial": record.serial, "identifier": record.identifier, "type_code": record.type_code,
        "holder_name": record.holder_name, "holder_id_masked": record.holder_id_masked,
        "purpose": record.purpose, "state": record.state, "print_count": record.print_count,
        "print_failures": record.print_failures, "issued_at": record.issued_at.isoformat(),
        "expires_at": record.expires_at.isoformat(),
    }
