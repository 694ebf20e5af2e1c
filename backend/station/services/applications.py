"""Applications for certificates a staff member must approve (e.g. 贫困学生证明).

The kiosk submits an application and prints a slip with a pickup QR; staff approve or reject it
(through the station's staff API for now, or on the platform, whose decision arrives by sync); on
approval the certificate is issued at once, so the resident can collect it at any hour by
scanning the slip, and is told the outcome the next time they identify.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.applications import ALREADY_DECIDED, APPLICATION_NOT_FOUND, REASON_REQUIRED
from backend.shared.catalog import Catalog
from backend.shared.errors import AppError, define
from backend.shared.protocol import EventType
from backend.shared.tokens import KeySet, TokenError, decode_token, encode_token

from ..db.models import Application, ApplicationTransition, Certificate
from ..db.session import write_transaction
from . import outbox
from .issuing import (
    IDEMPOTENCY_CONFLICT,
    IssuerContext,
    IssueRequest,
    check_eligible,
    check_request,
    create_certificate,
    offered_type,
)
from .sessions import Identity

PICKUP_PREFIX = "QJ1:"  # 取件 (pickup), version 1
CLAIM_PICKUP = -70002
PICKUP_VALID_DAYS = 60
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread

NO_APPROVAL_NEEDED = define("application.not_needed", 409, "这种证明无需审核，可直接开具。",
                            "This certificate needs no approval; it can be issued at once.")
NOT_APPROVED = define("application.not_approved", 409, "这份申请尚未通过审核，请耐心等待。",
                      "This application has not been approved yet. Please check back later.")
REJECTED = define("application.rejected", 409, "这份申请未通过审核。",
                  "This application was not approved.")
PICKUP_INVALID = define("application.pickup_invalid", 422, "这不是有效的取件码，请核对申请单。",
                        "This is not a valid pickup code. Please check your application slip.")


@dataclass(frozen=True)
class Decision:
    approve: bool
    staff: str
    reason: str = ""


def submit_application(factory: sessionmaker[Session], *, ctx: IssuerContext, catalog: Catalog,
                       identity: Identity, request: IssueRequest, now: datetime) -> Application:
    """Record an application (or return the one this request already made)."""
    kind = offered_type(catalog, ctx.community_code, request.type_code)
    if not kind.approval:
        raise AppError(NO_APPROVAL_NEEDED, detail=kind.code)
    check_request(kind, request, today=now.date())
    with write_transaction(factory) as session:
        existing = session.scalar(select(Application)
                                  .where(Application.idempotency_key == request.idempotency_key))
        if existing is not None:
            if existing.request_fingerprint != request.fingerprint(identity):
                raise AppError(IDEMPOTENCY_CONFLICT)
            return existing
        check_eligible(session, kind, identity, now)
        application = Application(
            id=str(uuid.uuid4()), idempotency_key=request.idempotency_key,
            request_fingerprint=request.fingerprint(identity), pickup_code=_pickup_code(),
            type_code=kind.code, community_code=ctx.community_code, holder_name=identity.name,
            holder_id_hash=identity.id_hash, holder_id_masked=identity.id_masked,
            purpose=request.purpose, resident_fields=dict(request.resident_fields), state="applied",
            created_at=now, updated_at=now)
        session.add(application)
        _move(session, application, "applied", actor=f"resident:{identity.id_masked}", at=now)
        outbox.record(session, event_type=EventType.APPLICATION_SUBMITTED, aggregate_id=application.id,
                      payload=_payload(application), at=now)
    return application


def decide_application(factory: sessionmaker[Session], *, ctx: IssuerContext, catalog: Catalog,
                       application_id: str, decision: Decision, now: datetime) -> Application:
    """Approve (issuing the certificate at once) or reject (with a reason) an application."""
    with write_transaction(factory) as session:
        return decide_in_session(session, ctx=ctx, catalog=catalog, application=_get(session, application_id),
                                 decision=decision, now=now)


def decide_in_session(session: Session, *, ctx: IssuerContext, catalog: Catalog, application: Application,
                      decision: Decision, now: datetime) -> Application:
    """Decide an application inside the caller's transaction (a platform decision applies here)."""
    if not decision.approve and not decision.reason.strip():
        raise AppError(REASON_REQUIRED)
    if application.state != "applied":
        raise AppError(ALREADY_DECIDED, detail=application.state)
    actor = f"staff:{decision.staff}"[:64]
    if decision.approve:
        kind = offered_type(catalog, ctx.community_code, application.type_code)
        certificate = create_certificate(session, ctx=ctx, kind=kind, identity=_identity_of(application),
                                         request=_request_of(application), now=now, actor=actor)
        session.flush()  # the certificate row first: the application refers to it
        application.certificate_id = certificate.id
    application.decided_by, application.decision_reason = decision.staff[:64], decision.reason[:255]
    _move(session, application, "approved" if decision.approve else "rejected", actor=actor, at=now,
          reason=decision.reason)
    outbox.record(session, event_type=EventType.APPLICATION_DECIDED, aggregate_id=application.id,
                  payload=_payload(application), at=now)
    return application


def pickup_token(application: Application, *, ctx: IssuerContext, now: datetime) -> str:
    """The signed code printed on the application slip; it names the application, nobody's data."""
    claims = {1: ctx.station_id, CLAIM_PICKUP: {"a": application.id, "p": application.pickup_code}}
    return encode_token(claims, signer=ctx.signer, prefix=PICKUP_PREFIX, issued_at=now,
                        expires_at=now + timedelta(days=PICKUP_VALID_DAYS))


def collect(factory: sessionmaker[Session], *, token: str, keys: KeySet, now: datetime) -> Certificate:
    """Return the certificate an approved application's slip collects (to print it)."""
    application_id, code = _read_pickup(token, keys, now)
    with factory() as session:
        application = _get(session, application_id)
        if application.pickup_code != code:
            raise AppError(PICKUP_INVALID)
        if application.state == "rejected":
            raise AppError(REJECTED, reason=application.decision_reason)
        if application.state != "approved" or application.certificate_id is None:
            raise AppError(NOT_APPROVED)
        certificate = session.get(Certificate, application.certificate_id)
        assert certificate is not None
        return certificate


def outcomes_for(factory: sessionmaker[Session], identity: Identity, *,
                 now: datetime) -> list[dict[str, Any]]:
    """Decisions the resident has not been told yet; telling them marks them told."""
    with write_transaction(factory) as session:
        decided = session.scalars(select(Application).where(
            Application.holder_id_hash == identity.id_hash,
            Application.state.in_(("approved", "rejected")),
            Application.resident_told.is_(False))).all()
        for application in decided:
            application.resident_told = True
            application.updated_at = now
        return [{"id": a.id, "type_code": a.type_code, "state": a.state, "reason": a.decision_reason,
                 "certificate_id": a.certificate_id} for a in decided]


def pending(factory: sessionmaker[Session]) -> list[Application]:
    with factory() as session:
        return list(session.scalars(select(Application).where(Application.state == "applied")
                                    .order_by(Application.created_at)))


def _read_pickup(token: str, keys: KeySet, now: datetime) -> tuple[str, str]:
    try:
        verified = decode_token(token.strip(), keys=keys, prefixes=[PICKUP_PREFIX], now=now)
        body = verified.claims[CLAIM_PICKUP]
        return str(body["a"]), str(body["p"])
    except (TokenError, KeyError, TypeError) as err:
        raise AppError(PICKUP_INVALID, detail=getattr(err, "code", type(err).__name__)) from err


def _get(session: Session, application_id: str) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise AppError(APPLICATION_NOT_FOUND)
    return application


def _identity_of(application: Application) -> Identity:
    return Identity(id_hash=application.holder_id_hash, id_masked=application.holder_id_masked,
                    name=application.holder_name)


def _request_of(application: Application) -> IssueRequest:
    # The certificate's own idempotency key: an application is approved into one certificate.
    return IssueRequest(type_code=application.type_code, purpose=application.purpose,
                        idempotency_key=f"application-{application.id}",
                        resident_fields=dict(application.resident_fields))


def _move(session: Session, application: Application, to_state: str, *, actor: str, at: datetime,
          reason: str = "") -> None:
    from_state = None if to_state == "applied" else application.state
    session.add(ApplicationTransition(application_id=application.id, from_state=from_state,
                                      to_state=to_state, actor=actor, reason=reason[:255], at=at))
    application.state, application.updated_at = to_state, at


def _payload(application: Application) -> dict[str, Any]:
    return {"id": application.id, "type_code": application.type_code, "state": application.state,
            "holder_name": application.holder_name, "holder_id_masked": application.holder_id_masked,
            "purpose": application.purpose, "resident_fields": application.resident_fields,
            "reason": application.decision_reason, "certificate_id": application.certificate_id,
            "decided_by": application.decided_by, "created_at": application.created_at.isoformat()}


def _pickup_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
