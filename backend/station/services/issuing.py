"""Issuing certificates: checks, a serial, the signed token, and the record — all or nothing.

Idempotent: a retried request with the same idempotency key returns the certificate it made the
first time. Serials come from a counter row updated under SQLite's write lock (BEGIN IMMEDIATE),
so concurrent requests never share one.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared import localtime
from backend.shared.catalog import Catalog, CertificateType, check_eligibility
from backend.shared.certificate_claims import CERTIFICATE_PREFIX, CertificateClaims
from backend.shared.errors import AppError, define
from backend.shared.identifiers import certificate_identifier, format_serial
from backend.shared.protocol import EventType
from backend.shared.tokens import Signer, encode_token

from ..db.models import Certificate, CertificateTransition, SerialCounter
from ..db.session import write_transaction
from . import outbox
from .register import facts_of, find_by_hash
from .sessions import Identity

UNKNOWN_TYPE = define("certificate.unknown_type", 404, "没有这种证明。",
                      "There is no such certificate.")
NOT_OFFERED = define("certificate.not_offered", 403, "本社区不开具这种证明。",
                     "This community does not issue this certificate.")
FORBIDDEN_TYPE = define("certificate.forbidden", 403,
                        "按照国家规定，社区不再开具这种证明，请按提示到相关部门办理。",
                        "By national rules communities no longer issue this certificate; "
                        "please follow the alternative shown.")
BAD_PURPOSE = define("certificate.bad_purpose", 422, "请选择一个用途。", "Please choose a purpose.")
BAD_FIELD = define("certificate.bad_field", 422, "请检查填写的内容。",
                   "Please check what you entered.")
NOT_IN_REGISTER = define("certificate.not_in_register", 403,
                         "社区居民登记中没有您的信息，请到社区服务窗口登记。",
                         "You are not in the community register. Please register at the "
                         "community service desk.")
NOT_ELIGIBLE = define("certificate.not_eligible", 403, "您暂不符合开具这种证明的条件。",
                      "You do not meet the conditions for this certificate yet.")
NEEDS_APPROVAL = define("certificate.needs_approval", 409,
                        "这种证明需要工作人员审核，请提交申请。",
                        "This certificate needs a staff member's approval; please submit an application.")
IDEMPOTENCY_CONFLICT = define("certificate.idempotency_conflict", 409,
                              "这个请求已用于另一份证明，请重新开始。",
                              "This request was already used for another certificate. "
                              "Please start again.")

RULE_MESSAGES = {
    "registered": ("未在本社区登记", "not in this community's register"),
    "status_active": ("登记状态不是“在住”", "the register does not show you as living here"),
    "min_months_registered": ("在本社区登记居住满{months}个月后可开具",
                              "available after {months} months registered here"),
    "max_age": ("仅限{years}周岁及以下", "only for people aged {years} or under"),
    "min_age": ("仅限{years}周岁及以上", "only for people aged {years} or over"),
}


@dataclass(frozen=True)
class IssuerContext:
    """Who issues, with what key, under which clock."""

    station_id: str
    station_code: str
    community_code: str
    issuer_code: str
    address_prefix: str
    signer: Signer


@dataclass(frozen=True)
class IssueRequest:
    type_code: str
    purpose: str
    idempotency_key: str
    resident_fields: dict[str, str] = field(default_factory=dict)

    def fingerprint(self, identity: Identity) -> str:
        body = json.dumps([self.type_code, self.purpose, self.resident_fields, identity.id_hash],
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()


def issue_certificate(factory: sessionmaker[Session], *, ctx: IssuerContext, catalog: Catalog,
                      identity: Identity, request: IssueRequest, now: datetime) -> Certificate:
    """Issue (or return the already issued) certificate for a request."""
    kind = offered_type(catalog, ctx.community_code, request.type_code)
    if kind.approval:
        raise AppError(NEEDS_APPROVAL, detail=kind.code)
    check_request(kind, request, today=now.date())
    with write_transaction(factory) as session:
        existing = _by_idempotency_key(session, request, identity)
        if existing is not None:
            return existing
        check_eligible(session, kind, identity, now)
        return create_certificate(session, ctx=ctx, kind=kind, identity=identity, request=request,
                                  now=now, actor=f"station:{ctx.station_id}")


def create_certificate(session: Session, *, ctx: IssuerContext, kind: CertificateType,
                       identity: Identity, request: IssueRequest, now: datetime,
                       actor: str) -> Certificate:
    """Number, sign and record a certificate with its outbox event, in the caller's transaction."""
    resident = find_by_hash(session, identity.id_hash)
    if resident is None:
        raise AppError(NOT_IN_REGISTER)
    address = f"{ctx.address_prefix}{resident.building}号楼{resident.unit}单元{resident.room}室"
    serial = _next_serial(session, ctx, now.year)
    details = {"address": address, "since": resident.registered_since.isoformat(),
               **request.resident_fields}
    certificate = _new_certificate(ctx, kind, identity, request, serial, details, now)
    session.add(certificate)
    _transition(session, certificate, None, "issued", actor=actor, at=now)
    outbox.record(session, event_type=EventType.CERTIFICATE_ISSUED, aggregate_id=certificate.id,
                  payload=_event_payload(certificate, ctx.station_id), at=now)
    return certificate


def check_eligible(session: Session, kind: CertificateType, identity: Identity, now: datetime) -> None:
    """Refuse a resident the register does not know or whose facts fail the type's rules."""
    _check_eligible(kind, facts_of(find_by_hash(session, identity.id_hash)), now)


def offered_type(catalog: Catalog, community_code: str, type_code: str) -> CertificateType:
    """Return a type this community may issue; refuse unknown, unlisted and forbidden ones."""
    kind = catalog.get(type_code)
    if kind is None:
        raise AppError(UNKNOWN_TYPE, detail=type_code)
    if kind not in catalog.for_area(community_code):
        raise AppError(NOT_OFFERED, detail=type_code)
    if kind.forbidden:
        alternative = kind.alternative.model_dump() if kind.alternative else {}
        raise AppError(FORBIDDEN_TYPE, detail=type_code, alternative=alternative)
    return kind


def check_request(kind: CertificateType, request: IssueRequest, *, today: date | None = None) -> None:
    """Refuse a purpose the type does not list, or resident fields it does not take or that are wrong."""
    if kind.purpose(request.purpose) is None:
        raise AppError(BAD_PURPOSE, detail=request.purpose[:32])
    expected = {f.name for f in kind.resident_fields}
    if set(request.resident_fields) != expected:
        raise AppError(BAD_FIELD, detail=f"expected fields {sorted(expected)}")
    for spec in kind.resident_fields:
        problem = _field_problem(spec.kind, request.resident_fields[spec.name], today or date.today())
        if problem:
            raise AppError(BAD_FIELD, detail=f"{spec.name}: {problem}", field=spec.name)


def _field_problem(kind: str, value: str, today: date) -> str:
    """What is wrong with a value the resident entered, or "" when it is fine."""
    if not value.strip() or len(value) > 64:
        return "empty or longer than 64 characters"
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        return "control characters"
    if kind in ("month", "date"):
        shape, pattern = (r"\d{4}-\d{2}", "%Y-%m") if kind == "month" else (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d")
        try:
            if not re.fullmatch(shape, value):
                raise ValueError(value)
            moment = datetime.strptime(value, pattern).date()
        except ValueError:
            return f"expected {'YYYY-MM' if kind == 'month' else 'YYYY-MM-DD'}"
        if moment > today or moment.year < 1900:
            return "not a plausible date"
    return ""


def _check_eligible(kind: CertificateType, facts: Any, now: datetime) -> None:
    if not facts.registered:
        raise AppError(NOT_IN_REGISTER)
    failures = check_eligibility(kind, facts, now.date())
    if failures:
        reasons = [
            {"rule": f.rule, "zh": RULE_MESSAGES[f.rule][0].format(**f.params),
             "en": RULE_MESSAGES[f.rule][1].format(**f.params)}
            for f in failures
        ]
        raise AppError(NOT_ELIGIBLE, detail=kind.code, reasons=reasons)


def _by_idempotency_key(session: Session, request: IssueRequest,
                        identity: Identity) -> Certificate | None:
    existing = session.scalar(select(Certificate)
                              .where(Certificate.idempotency_key == request.idempotency_key))
    if existing is not None and existing.request_fingerprint != request.fingerprint(identity):
        raise AppError(IDEMPOTENCY_CONFLICT)
    return existing


def _next_serial(session: Session, ctx: IssuerContext, year: int) -> str:
    counter = session.get(SerialCounter, (ctx.community_code, year))
    if counter is None:
        counter = SerialCounter(community_code=ctx.community_code, year=year, last_value=0)
        session.add(counter)
    counter.last_value += 1
    return format_serial(year, ctx.station_code, counter.last_value)


def _new_certificate(ctx: IssuerContext, kind: CertificateType, identity: Identity,
                     request: IssueRequest, serial: str, details: dict[str, Any],
                     now: datetime) -> Certificate:
    expires_at = localtime.valid_until(now, kind.validity_days)  # a local date, decided once
    claims = CertificateClaims(
        issuer=ctx.station_id, type_code=kind.code, serial=serial,
        community_code=ctx.community_code, holder_name=identity.name,
        holder_id_masked=identity.id_masked, holder_id_hash=bytes.fromhex(identity.id_hash)[:16],
        purpose=request.purpose, issued_at=now, expires_at=expires_at)
    token = encode_token(claims.to_cwt(), signer=ctx.signer, prefix=CERTIFICATE_PREFIX,
                         issued_at=now, expires_at=expires_at)
    return Certificate(
        id=str(uuid.uuid4()), idempotency_key=request.idempotency_key,
        request_fingerprint=request.fingerprint(identity), serial=serial,
        identifier=certificate_identifier(kind.code, ctx.issuer_code, serial),
        type_code=kind.code, community_code=ctx.community_code, holder_name=identity.name,
        holder_id_hash=identity.id_hash, holder_id_masked=identity.id_masked,
        purpose=request.purpose, details=details, state="issued", token=token, issued_at=now,
        expires_at=expires_at, print_count=0, updated_at=now)


def _transition(session: Session, certificate: Certificate, from_state: str | None, to_state: str,
                *, actor: str, at: datetime, reason: str = "") -> None:
    session.add(CertificateTransition(certificate_id=certificate.id, from_state=from_state,
                                      to_state=to_state, actor=actor, reason=reason, at=at))


def _event_payload(certificate: Certificate, station_id: str) -> dict[str, Any]:
    # Enough for the platform's registry and to render the same A4 copy for the resident's phone.
    return {"id": certificate.id, "serial": certificate.serial, "issuer": station_id,
            "identifier": certificate.identifier, "type_code": certificate.type_code,
            "community_code": certificate.community_code, "holder_name": certificate.holder_name,
            "holder_id_masked": certificate.holder_id_masked, "purpose": certificate.purpose,
            "details": certificate.details, "token": certificate.token,
            "issued_at": certificate.issued_at.isoformat(),
            "expires_at": certificate.expires_at.isoformat()}


def move_certificate(session: Session, certificate: Certificate, to_state: str, *, actor: str,
                     at: datetime, reason: str = "") -> None:
    """Change a certificate's state and record the transition, inside the caller's transaction."""
    _transition(session, certificate, certificate.state, to_state, actor=actor, at=at, reason=reason)
    certificate.state = to_state
    certificate.updated_at = at
