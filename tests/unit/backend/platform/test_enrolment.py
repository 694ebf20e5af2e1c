"""One-time enrolment codes: once, in time, with valid keys; a restarted outbox is refused."""

from __future__ import annotations

import threading

import pytest

from backend.platform.clock import FrozenClock
from backend.platform.db.area_models import Station
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import stations
from backend.shared.errors import AppError
from backend.shared.protocol import EnrolRequest
from backend.shared.tokens import export_jwks, generate_signer

from .conftest import COMMUNITY

CONTEXT = stations.EnrolmentContext("http://platform", "460107", b"k" * 32, 30, hash_master=b"m" * 32,
                                   contact_key=b"c" * 32)


def _code(runtime: PlatformRuntime, station_id: str = "st-01", create: bool = True) -> str:
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        if create:
            stations.create_station(session, station_id=station_id, name="x", community_code=COMMUNITY,
                                    station_code="S01", now=now)
        code, _ = stations.new_enrolment_code(session, station_id=station_id, now=now, minutes=60,
                                              created_by="t")
    return code


def _request(code: str, outbox_start: int = 1, overrides: dict[str, object] | None = None) -> EnrolRequest:
    fields: dict[str, object] = {
        "code": code, "request_key": export_jwks([generate_signer().public_key])["keys"][0],
        "certificate_keys": export_jwks([generate_signer().public_key]), "outbox_start": outbox_start}
    return EnrolRequest.model_validate(fields | (overrides or {}))


def _enrol(runtime: PlatformRuntime, request: EnrolRequest) -> str:
    with write_transaction(runtime.db) as session:
        return stations.enrol(session, request=request, now=runtime.clock.now(), context=CONTEXT).station_id


def _refusal(runtime: PlatformRuntime, request: EnrolRequest) -> str:
    with pytest.raises(AppError) as caught:
        _enrol(runtime, request)
    return caught.value.code


def test_a_code_works_once(runtime: PlatformRuntime) -> None:
    code = _code(runtime)
    assert _enrol(runtime, _request(code.lower().replace("-", " "))) == "st-01"  # typed loosely
    assert _refusal(runtime, _request(code)) == "enrolment.code_used"


@pytest.mark.parametrize(("minutes", "expected"), [(59, None), (60, "enrolment.code_expired")])
def test_a_code_expires(runtime: PlatformRuntime, minutes: int, expected: str | None) -> None:
    code = _code(runtime)
    assert isinstance(runtime.clock, FrozenClock)
    runtime.clock.advance(minutes=minutes)
    if expected is None:
        assert _enrol(runtime, _request(code)) == "st-01"
    else:
        assert _refusal(runtime, _request(code)) == expected


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"code": "ABCD-EFGH-JKLM-NPQR"}, "enrolment.code_unknown"),
    ({"certificate_keys": {"keys": []}}, "enrolment.bad_keys"),
    ({"request_key": {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}}, "enrolment.bad_keys"),
    ({"request_key": {**export_jwks([generate_signer().public_key])["keys"][0], "d": "secret"}},
     "enrolment.bad_keys"),
], ids=["unknown-code", "no-certificate-keys", "short-key", "private-key-sent"])
def test_bad_requests_are_refused_and_leave_the_code_usable(runtime: PlatformRuntime,
                                                            overrides: dict[str, object], expected: str) -> None:
    code = _code(runtime)
    assert _refusal(runtime, _request(code, overrides=overrides)) == expected
    assert _enrol(runtime, _request(code)) == "st-01"


def test_two_stations_racing_with_one_code_one_wins(runtime: PlatformRuntime) -> None:
    code = _code(runtime)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            outcomes.append(_enrol(runtime, _request(code)))
        except AppError as err:
            outcomes.append(err.code)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["enrolment.code_used"] * 3 + ["st-01"]


def test_re_enrolment_behind_the_applied_sequence_is_refused(runtime: PlatformRuntime) -> None:
    _enrol(runtime, _request(_code(runtime)))
    with write_transaction(runtime.db) as session:
        station = session.get(Station, "st-01")
        assert station is not None
        station.last_applied_seq = 40
    assert _refusal(runtime, _request(_code(runtime, create=False), outbox_start=12)) == \
        "enrolment.sequence_behind"
    assert _enrol(runtime, _request(_code(runtime, create=False), outbox_start=41)) == "st-01"
    with runtime.db() as session:
        station = session.get(Station, "st-01")
        assert station is not None and station.last_applied_seq == 40  # kept: same outbox, new keys


def test_enrolment_publishes_the_trust_list_with_the_new_keys(runtime: PlatformRuntime) -> None:
    request = _request(_code(runtime))
    _enrol(runtime, request)
    with runtime.db() as session:
        trust = stations.trust_jwks(session)
    assert [k["kid"] for k in trust["keys"]] == [k["kid"] for k in request.certificate_keys["keys"]]
