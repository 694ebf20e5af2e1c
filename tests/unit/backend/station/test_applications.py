"""Certificates that need approval: apply, decide, collect with the slip, be told the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.shared.errors import AppError
from backend.shared.tokens import KeySet, generate_signer
from backend.station.db.models import ApplicationTransition, Certificate, OutboxEvent
from backend.station.services.applications import (
    Decision,
    collect,
    decide_application,
    outcomes_for,
    pickup_token,
    submit_application,
)
from backend.station.services.issuing import IssueRequest, issue_certificate

from .conftest import NOW, StationDb

STUDENT = "孙八"  # born 2008: within the student proof's age limit


def _apply(env: StationDb, name: str = STUDENT, key: str = "apply-key-001", **overrides: object):  # type: ignore[no-untyped-def]
    fields = {"school": "海口市第一中学"}
    request = IssueRequest(**{"type_code": "PKXS", "purpose": "grant", "idempotency_key": key,
                              "resident_fields": fields, **overrides})  # type: ignore[arg-type]
    return submit_application(env.db, ctx=env.ctx, catalog=env.catalog, identity=env.identity(name),
                              request=request, now=NOW)


def _decide(env: StationDb, application_id: str, approve: bool, reason: str = ""):  # type: ignore[no-untyped-def]
    return decide_application(env.db, ctx=env.ctx, catalog=env.catalog, application_id=application_id,
                              decision=Decision(approve, "staff-007", reason), now=NOW + timedelta(hours=3))


def test_a_type_needing_approval_cannot_be_issued_directly(station_db: StationDb) -> None:
    request = IssueRequest(type_code="PKXS", purpose="grant", idempotency_key="direct-key-1",
                           resident_fields={"school": "x"})
    with pytest.raises(AppError) as caught:
        issue_certificate(station_db.db, ctx=station_db.ctx, catalog=station_db.catalog,
                          identity=station_db.identity(STUDENT), request=request, now=NOW)
    assert caught.value.code == "certificate.needs_approval"


def test_apply_then_approve_issues_one_certificate_to_collect(station_db: StationDb) -> None:
    application = _apply(station_db)
    assert application.state == "applied" and len(application.pickup_code) == 8
    assert _apply(station_db).id == application.id  # a retry returns the same application
    token = pickup_token(application, ctx=station_db.ctx, now=NOW)
    keys = station_db.keys.trust()
    with pytest.raises(AppError) as not_yet:
        collect(station_db.db, token=token, keys=keys, now=NOW)
    assert not_yet.value.code == "application.not_approved"

    approved = _decide(station_db, application.id, approve=True)
    assert approved.state == "approved" and approved.certificate_id is not None
    certificate = collect(station_db.db, token=token, keys=keys, now=NOW + timedelta(days=2))
    assert certificate.id == approved.certificate_id and certificate.state == "issued"
    assert certificate.type_code == "PKXS" and certificate.details["school"] == "海口市第一中学"
    with station_db.db() as db:
        steps = db.scalars(select(ApplicationTransition.to_state).order_by(ApplicationTransition.id)).all()
        events = db.scalars(select(OutboxEvent.event_type).order_by(OutboxEvent.seq)).all()
    assert steps == ["applied", "approved"]
    assert events == ["application.submitted", "certificate.issued", "application.decided"]


def test_reject_needs_a_reason_and_the_slip_then_says_so(station_db: StationDb) -> None:
    application = _apply(station_db)
    with pytest.raises(AppError) as no_reason:
        _decide(station_db, application.id, approve=False)
    assert no_reason.value.code == "application.reason_required"
    _decide(station_db, application.id, approve=False, reason="家庭收入超过标准")
    with pytest.raises(AppError) as again:
        _decide(station_db, application.id, approve=True)
    assert again.value.code == "application.already_decided"
    token = pickup_token(application, ctx=station_db.ctx, now=NOW)
    with pytest.raises(AppError) as rejected:
        collect(station_db.db, token=token, keys=station_db.keys.trust(), now=NOW)
    assert rejected.value.code == "application.rejected"
    assert rejected.value.context["reason"] == "家庭收入超过标准"
    with station_db.db() as db:
        assert db.scalar(select(func.count()).select_from(Certificate)) == 0


def test_a_forged_or_foreign_pickup_code_is_refused(station_db: StationDb) -> None:
    application = _apply(station_db)
    _decide(station_db, application.id, approve=True)
    from backend.station.services.issuing import IssuerContext

    forger = IssuerContext(**{**station_db.ctx.__dict__, "signer": generate_signer()})
    for token in (pickup_token(application, ctx=forger, now=NOW), "QJ1:NOT-A-TOKEN", "ZM1:ABC"):
        with pytest.raises(AppError) as caught:
            collect(station_db.db, token=token, keys=station_db.keys.trust(), now=NOW)
        assert caught.value.code == "application.pickup_invalid"
    with pytest.raises(AppError):
        collect(station_db.db, token=pickup_token(application, ctx=station_db.ctx, now=NOW), keys=KeySet(), now=NOW)


def test_the_resident_is_told_the_outcome_once(station_db: StationDb) -> None:
    application = _apply(station_db)
    identity = station_db.identity(STUDENT)
    assert outcomes_for(station_db.db, identity, now=NOW) == []
    _decide(station_db, application.id, approve=False, reason="材料不全")
    told = outcomes_for(station_db.db, identity, now=NOW)
    assert [(o["state"], o["reason"]) for o in told] == [("rejected", "材料不全")]
    assert outcomes_for(station_db.db, identity, now=NOW) == []


def test_an_ineligible_resident_cannot_apply(station_db: StationDb) -> None:
    with pytest.raises(AppError) as caught:
        _apply(station_db, name="张三")  # born 1958: over the age limit
    assert caught.value.code == "certificate.not_eligible"
    with pytest.raises(AppError) as plain:
        _apply(station_db, type_code="JZZM", purpose="school", resident_fields={})
    assert plain.value.code == "application.not_needed"
