"""A staff decision made on the platform, applied at the station: once, and never over the
station's own decision; every outcome is reported up through the outbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select

from backend.shared.applications import Outcome
from backend.station.db.models import Application, Certificate, OutboxEvent, Resident, SerialCounter
from backend.station.db.session import write_transaction
from backend.station.services.applications import Decision, decide_application, submit_application
from backend.station.services.issuing import IssueRequest
from backend.station.services.platform_decisions import apply_platform_decision

from .conftest import NOW, StationDb

LATER = NOW + timedelta(hours=2)


def _application(env: StationDb, key: str = "platform-decision-1") -> Application:
    request = IssueRequest(type_code="PKXS", purpose="grant", idempotency_key=key,
                           resident_fields={"school": "海口市第一中学"})
    return submit_application(env.db, ctx=env.ctx, catalog=env.catalog, identity=env.identity("孙八"),
                              request=request, now=NOW)


def _decision(application_id: str, approve: bool = True, reason: str = "") -> dict[str, Any]:
    return {"id": application_id, "approve": approve, "reason": reason, "staff": "cert-staff",
            "decided_at": LATER.isoformat()}


def _apply(env: StationDb, payload: dict[str, Any]) -> Any:
    with write_transaction(env.db) as session:
        return apply_platform_decision(session, ctx=env.ctx, catalog=env.catalog, payload=payload, now=LATER)


def _events(env: StationDb, event_type: str) -> list[dict[str, Any]]:
    with env.db() as session:
        return [e.payload for e in session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == event_type)
                                                   .order_by(OutboxEvent.seq))]


def _certificates(env: StationDb) -> int:
    with env.db() as session:
        return session.scalar(select(func.count()).select_from(Certificate)) or 0


def test_an_approval_from_the_platform_issues_the_certificate_once(station_db: StationDb) -> None:
    application = _application(station_db)
    report = _apply(station_db, _decision(application.id))
    assert report.outcome is Outcome.APPLIED and report.state == "approved" and report.certificate_id
    with station_db.db() as session:
        stored = session.get(Application, application.id)
        assert stored is not None and stored.decided_by == "platform:cert-staff"
    decided = _events(station_db, "application.decided")
    assert [(d["state"], d["decided_by"], d["certificate_id"]) for d in decided] == [
        ("approved", "platform:cert-staff", report.certificate_id)]
    assert [r["outcome"] for r in _events(station_db, "application.platform_decision")] == ["applied"]

    again = _apply(station_db, _decision(application.id))  # the same decision once more
    assert again.outcome is Outcome.ALREADY_APPLIED and _certificates(station_db) == 1
    assert len(_events(station_db, "application.decided")) == 1


def test_a_decision_the_station_made_first_stands(station_db: StationDb) -> None:
    application = _application(station_db)
    decide_application(station_db.db, ctx=station_db.ctx, catalog=station_db.catalog,
                       application_id=application.id, decision=Decision(False, "站点工作人员", "材料不全"),
                       now=NOW + timedelta(hours=1))
    report = _apply(station_db, _decision(application.id, approve=True))
    assert (report.outcome, report.state, report.certificate_id) == (Outcome.CONFLICT, "rejected", None)
    assert _certificates(station_db) == 0
    with station_db.db() as session:
        stored = session.get(Application, application.id)
        assert stored is not None and (stored.state, stored.decision_reason) == ("rejected", "材料不全")
    assert _events(station_db, "application.platform_decision")[-1]["outcome"] == "conflict"


def test_an_approval_that_cannot_be_applied_changes_nothing(station_db: StationDb) -> None:
    application = _application(station_db)
    with write_transaction(station_db.db) as session:  # the resident left the register meanwhile
        session.execute(delete(Resident).where(Resident.id_hash == application.holder_id_hash))
    report = _apply(station_db, _decision(application.id))
    assert (report.outcome, report.state, report.code) == (Outcome.FAILED, "applied",
                                                          "certificate.not_in_register")
    with station_db.db() as session:
        stored = session.get(Application, application.id)
        assert stored is not None and stored.state == "applied"
        assert session.scalar(select(func.count()).select_from(SerialCounter)) == 0  # no serial used
    assert _certificates(station_db) == 0 and _events(station_db, "application.decided") == []
    assert _events(station_db, "application.platform_decision")[-1]["code"] == "certificate.not_in_register"


def test_a_rejection_unknown_applications_and_malformed_decisions(station_db: StationDb) -> None:
    application = _application(station_db)
    rejected = _apply(station_db, _decision(application.id, approve=False, reason="请补充学籍证明"))
    assert (rejected.outcome, rejected.state) == (Outcome.APPLIED, "rejected")
    assert _events(station_db, "application.decided")[-1]["reason"] == "请补充学籍证明"
    unknown = _apply(station_db, _decision("00000000-0000-0000-0000-000000000000"))
    assert unknown.outcome is Outcome.UNKNOWN
    assert _apply(station_db, {"id": application.id, "approve": "perhaps"}) is None
    assert len(_events(station_db, "application.platform_decision")) == 2
