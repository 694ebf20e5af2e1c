"""Issuing: the checks, the serial, the signed token, idempotency and concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.shared import localtime
from backend.shared.certificate_claims import CERTIFICATE_PREFIX, read_claims
from backend.shared.errors import AppError
from backend.shared.identifiers import identifier_valid
from backend.shared.tokens import decode_token
from backend.station.db.models import Certificate, CertificateTransition, OutboxEvent
from backend.station.services.issuing import IssueRequest, issue_certificate

from .conftest import NOW, StationDb


def _issue(env: StationDb, name: str = "张三", key: str = "key-00000001", **overrides: object) -> Certificate:
    request = IssueRequest(**{"type_code": "JZZM", "purpose": "school", "idempotency_key": key,
                              **overrides})  # type: ignore[arg-type]
    return issue_certificate(env.db, ctx=env.ctx, catalog=env.catalog, identity=env.identity(name),
                             request=request, now=NOW)


def test_issue_records_the_certificate_its_transition_and_its_outbox_event(station_db: StationDb) -> None:
    certificate = _issue(station_db)
    assert certificate.serial == "2026-S01-000001" and certificate.state == "issued"
    assert identifier_valid(certificate.identifier)
    assert certificate.details["address"].endswith("3号楼2单元301室")
    with station_db.db() as db:
        assert db.scalar(select(func.count()).select_from(CertificateTransition)) == 1
        event = db.scalars(select(OutboxEvent)).one()
    assert event.event_type == "certificate.issued" and event.payload["serial"] == certificate.serial
    assert station_db.rows["张三"] not in str(event.payload)


def test_the_token_verifies_and_carries_no_full_id_number(station_db: StationDb) -> None:
    certificate = _issue(station_db)
    token = decode_token(certificate.token, keys=station_db.keys.trust(), prefixes=[CERTIFICATE_PREFIX],
                         now=NOW + timedelta(days=1))
    claims = read_claims(token.claims)
    assert (claims.serial, claims.type_code, claims.holder_name) == (certificate.serial, "JZZM", "张三")
    assert claims.holder_id_masked == "4601*************2"
    assert claims.expires_at == localtime.valid_until(NOW, 90)
    assert localtime.local_date(claims.expires_at) == localtime.local_date(NOW) + timedelta(days=90)
    full = station_db.rows["张三"]
    assert full.encode() not in token.claims.__repr__().encode()
    assert len(certificate.token) < 560


def test_a_retried_request_returns_the_same_certificate(station_db: StationDb) -> None:
    first = _issue(station_db)
    again = _issue(station_db)
    assert again.id == first.id and again.serial == first.serial


def test_reusing_a_key_for_another_request_is_refused(station_db: StationDb) -> None:
    _issue(station_db)
    with pytest.raises(AppError) as caught:
        _issue(station_db, purpose="other")
    assert caught.value.code == "certificate.idempotency_conflict"


def test_parallel_requests_never_share_a_serial(station_db: StationDb) -> None:
    names = ["张三", "李四", "王五", "周九", "吴十", "郑十一", "冯十二"]
    jobs = [(name, f"key-{name}-{i:04d}") for i in range(6) for name in names]
    with ThreadPoolExecutor(8) as pool:
        issued = list(pool.map(lambda job: _issue(station_db, job[0], job[1]), jobs))
    serials = [c.serial for c in issued]
    assert len(set(serials)) == len(jobs)
    assert sorted(int(s.rsplit("-", 1)[1]) for s in serials) == list(range(1, len(jobs) + 1))


def test_parallel_retries_of_one_request_make_one_certificate(station_db: StationDb) -> None:
    with ThreadPoolExecutor(8) as pool:
        issued = list(pool.map(lambda _: _issue(station_db, key="same-key-123"), range(16)))
    assert len({c.id for c in issued}) == 1
    with station_db.db() as db:
        assert db.scalar(select(func.count()).select_from(Certificate)) == 1


@pytest.mark.parametrize(
    ("name", "overrides", "code"),
    [
        ("赵六", {}, "certificate.not_eligible"),  # registered under six months ago
        ("钱七", {}, "certificate.not_eligible"),  # moved out
        ("张三", {"type_code": "QSGX"}, "certificate.forbidden"),
        ("张三", {"type_code": "NOPE"}, "certificate.unknown_type"),
        ("张三", {"purpose": "holiday"}, "certificate.bad_purpose"),
        ("张三", {"type_code": "ZZZM", "purpose": "school"}, "certificate.bad_field"),
    ],
)
def test_refusals_have_stable_codes_and_change_nothing(station_db: StationDb, name: str,
                                                       overrides: dict[str, object], code: str) -> None:
    with pytest.raises(AppError) as caught:
        _issue(station_db, name, **overrides)
    assert caught.value.code == code
    with station_db.db() as db:
        assert db.scalar(select(func.count()).select_from(Certificate)) == 0
        assert db.scalar(select(func.count()).select_from(OutboxEvent)) == 0


def test_not_eligible_says_which_rule_in_both_languages(station_db: StationDb) -> None:
    with pytest.raises(AppError) as caught:
        _issue(station_db, "赵六")
    reasons = caught.value.context["reasons"]
    assert reasons == [{"rule": "min_months_registered", "zh": "在本社区登记居住满6个月后可开具",
                        "en": "available after 6 months registered here"}]


def test_forbidden_type_carries_its_alternative(station_db: StationDb) -> None:
    with pytest.raises(AppError) as caught:
        _issue(station_db, type_code="WFZJL")
    assert "派出所" in caught.value.context["alternative"]["zh"]


def test_someone_not_in_the_register_is_told_so(station_db: StationDb) -> None:
    from backend.station.services.sessions import Identity

    stranger = Identity(id_hash="0" * 64, id_masked="4601*************0", name="路人")
    request = IssueRequest(type_code="JZZM", purpose="school", idempotency_key="key-stranger")
    with pytest.raises(AppError) as caught:
        issue_certificate(station_db.db, ctx=station_db.ctx, catalog=station_db.catalog,
                          identity=stranger, request=request, now=NOW)
    assert caught.value.code == "certificate.not_in_register"


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2024-03", True), ("2024-3", False), ("2027-01", False), ("三月", False), ("", False),
     ("2024-03\x1b[2J", False)],
)
def test_tenancy_start_must_be_a_past_month(station_db: StationDb, value: str, ok: bool) -> None:
    overrides = {"type_code": "ZZZM", "purpose": "residence_permit", "resident_fields": {"tenancy_start": value}}
    if ok:
        certificate = _issue(station_db, **overrides)
        assert certificate.details["tenancy_start"] == "2024-03"
        return
    with pytest.raises(AppError) as caught:
        _issue(station_db, **overrides)
    assert caught.value.code == "certificate.bad_field" and caught.value.context["field"] == "tenancy_start"


def test_certificates_expire_when_their_validity_ends(station_db: StationDb) -> None:
    from backend.station.services.housekeeping import expire_certificates

    certificate = _issue(station_db)
    end = localtime.valid_until(NOW, 90)  # the end of the 90th local day after the issue day
    assert expire_certificates(station_db.db, now=end - timedelta(seconds=1)) == 0
    assert expire_certificates(station_db.db, now=end) == 1
    assert expire_certificates(station_db.db, now=end + timedelta(days=1)) == 0
    with station_db.db() as db:
        steps = db.scalars(select(CertificateTransition.to_state)
                           .where(CertificateTransition.certificate_id == certificate.id)
                           .order_by(CertificateTransition.id)).all()
        events = db.scalars(select(OutboxEvent.event_type).order_by(OutboxEvent.seq)).all()
    assert steps == ["issued", "expired"]
    assert events == ["certificate.issued", "certificate.expired"]
