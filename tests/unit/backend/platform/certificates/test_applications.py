"""Applications on the platform: reported by their station, decided by staff of their area, the
decision sent down to that station only, and the station's answer taken as the truth."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from backend.platform.db.area_models import ChangeRecord
from backend.platform.db.certificate_models import ApplicationRecord
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.certificates import applications as service
from backend.shared.errors import AppError

from ..conftest import COMMUNITY, NOW
from .conftest import FakeStation, application

LATER = NOW + timedelta(hours=2)


def _record(runtime: PlatformRuntime, application_id: str) -> ApplicationRecord:
    with runtime.db() as session:
        record = session.get(ApplicationRecord, application_id)
        assert record is not None
        return record


def _decide(runtime: PlatformRuntime, application_id: str, approve: bool, reason: str = "",
            communities: list[str] | None = None) -> ApplicationRecord:
    with write_transaction(runtime.db) as session:
        record = service.visible(session, application_id, communities or [COMMUNITY])
        return service.decide(session, record, approve=approve, reason=reason, staff="cert-staff", now=LATER)


def _report(outcome: str, application_id: str, state: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    return "application.platform_decision", {"id": application_id, "outcome": outcome, "state": state, **extra}


def test_an_approval_goes_to_the_station_and_comes_back_applied(runtime: PlatformRuntime,
                                                                station_a: FakeStation) -> None:
    submitted = application()
    station_a.send(("application.submitted", submitted))
    with runtime.db() as session:
        waiting = service.waiting(session, communities=[COMMUNITY], state="applied", limit=10)
        assert [service.view(r)["holder_id_masked"] for r in waiting] == ["4601*************7"]
        assert service.waiting(session, communities=["460107002002"], state=None, limit=10) == []

    decided = _decide(runtime, submitted["id"], approve=True)
    assert (decided.state, decided.delivery, decided.decided_on) == ("approved", "sent", "platform")
    with runtime.db() as session:
        change = session.get(ChangeRecord, decided.change_cursor)
    assert change is not None and (change.kind, change.scope, change.key) == ("application", "station:st-a",
                                                                             submitted["id"])
    assert change.payload | {"decided_at": None} == {"id": submitted["id"], "approve": True, "reason": "",
                                                     "staff": "cert-staff", "decided_at": None}

    certificate_id = "c0ffee00-0000-4000-8000-000000000001"
    station_a.send(("application.decided", submitted | {"state": "approved", "certificate_id": certificate_id,
                                                         "decided_by": "platform:cert-staff"}),
                   _report("applied", submitted["id"], "approved", certificate_id=certificate_id), at=LATER)
    record = _record(runtime, submitted["id"])
    assert (record.state, record.delivery, record.certificate_id) == ("approved", "applied", certificate_id)
    assert (record.decided_by, record.decided_on, record.decided_at) == ("cert-staff", "platform", LATER)


def test_the_stations_own_earlier_decision_stands(runtime: PlatformRuntime, station_a: FakeStation) -> None:
    submitted = application()
    station_a.send(("application.submitted", submitted))
    _decide(runtime, submitted["id"], approve=True)
    station_a.send(("application.decided", submitted | {"state": "rejected", "reason": "材料不全",
                                                         "decided_by": "站点工作人员"}),
                   _report("conflict", submitted["id"], "rejected"))
    record = _record(runtime, submitted["id"])
    assert (record.state, record.delivery, record.decided_on) == ("rejected", "conflict", "station")
    assert record.reason == "材料不全" and record.certificate_id is None
    assert "its decision stands" in record.delivery_detail


def test_a_decision_the_station_could_not_apply_can_be_made_again(runtime: PlatformRuntime,
                                                                   station_a: FakeStation) -> None:
    submitted = application()
    station_a.send(("application.submitted", submitted))
    _decide(runtime, submitted["id"], approve=True)
    station_a.send(_report("failed", submitted["id"], "applied", code="certificate.not_in_register"))
    record = _record(runtime, submitted["id"])
    assert (record.state, record.delivery, record.decided_by) == ("applied", "failed", "")
    assert "certificate.not_in_register" in record.delivery_detail
    again = _decide(runtime, submitted["id"], approve=False, reason="已迁出本社区")
    assert (again.state, again.delivery, again.reason) == ("rejected", "sent", "已迁出本社区")


@pytest.mark.parametrize("approve,reason,communities,code", [
    (False, "  ", None, "application.reason_required"),
    (True, "", ["460107002002"], "application.not_found"),
])
def test_decisions_refused(runtime: PlatformRuntime, station_a: FakeStation, approve: bool, reason: str,
                           communities: list[str] | None, code: str) -> None:
    submitted = application()
    station_a.send(("application.submitted", submitted))
    with pytest.raises(AppError) as refused:
        _decide(runtime, submitted["id"], approve, reason, communities)
    assert refused.value.code == code
    assert _record(runtime, submitted["id"]).state == "applied"


def test_a_decided_application_is_not_decided_twice(runtime: PlatformRuntime, station_a: FakeStation) -> None:
    submitted = application()
    station_a.send(("application.submitted", submitted),
                   ("application.decided", submitted | {"state": "approved", "decided_by": "站点工作人员"}))
    with pytest.raises(AppError) as refused:
        _decide(runtime, submitted["id"], approve=False, reason="x")
    assert refused.value.code == "application.already_decided"
    with runtime.db() as session:
        assert session.scalars(select(ChangeRecord).where(ChangeRecord.kind == "application")).all() == []


def test_a_station_reports_only_its_own_applications(runtime: PlatformRuntime, station_a: FakeStation,
                                                     station_b: FakeStation) -> None:
    submitted = application()
    station_a.send(("application.submitted", submitted))
    ack = station_b.send(("application.decided", submitted | {"state": "approved"}),
                         _report("applied", submitted["id"], "approved"),
                         ("application.decided", application(state="pending")),
                         ("application.submitted", {"id": "x"}))
    assert [r.reason for r in ack.rejected] == [
        "application belongs to another station", "application belongs to another station",
        "a decided application must be approved or rejected", "payload lacks type_code, created_at"]
    assert _record(runtime, submitted["id"]).state == "applied"
