"""Fixtures for the kiosk's Kivy-free tests: a fake station speaking the API's real JSON shapes
(calls recorded, failures scripted per method), a frozen clock and the flow wired to both."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from kiosk.clock import FakeClock
from kiosk.errors import StationError
from kiosk.flow import KioskFlow
from kiosk.models import Certificate, CertificateType, SessionInfo, StationInfo, VerificationResult
from kiosk.runner import ImmediateRunner

STATION = {
    "station_id": "demo-station-1",
    "name": {"zh": "幸福社区24小时智慧服务站", "en": "Xingfu Community 24-hour Service Station"},
    "community": {"code": "110105001001", "name": {"zh": "幸福社区", "en": "Xingfu Community"}},
    "environment": "demo",
    "simulated": {"printer": True, "idcard": True, "scanner": True},
    "session_idle_seconds": 90,
    "services": [
        {"code": "certificates", "state": "AVAILABLE", "reason": None, "blocking": [], "note": ""},
        {"code": "verify", "state": "UNAVAILABLE", "reason": "hardware",
         "blocking": [{"component": "scanner", "code": "NOT_REACHABLE"}], "note": ""},
    ],
}

TYPES = [
    {"code": "JZZM", "name": {"zh": "居住证明", "en": "Proof of residence"}, "forbidden": False,
     "approval": False, "legal_basis": {"zh": "《居住证暂行条例》", "en": "Residence permits"},
     "purposes": [{"code": "school", "zh": "子女入学", "en": "School enrolment"},
                  {"code": "other", "zh": "其他", "en": "Other"}],
     "procedure": [{"zh": "刷身份证", "en": "Identify"}], "resident_fields": [], "validity_days": 90},
    {"code": "ZZZM", "name": {"zh": "租住证明", "en": "Proof of tenancy"}, "forbidden": False,
     "approval": False, "legal_basis": {"zh": "x", "en": "x"},
     "purposes": [{"code": "other", "zh": "其他", "en": "Other"}], "procedure": [],
     "resident_fields": [{"name": "tenancy_start", "zh": "租住起始日期", "en": "Tenancy began on",
                          "kind": "month"}], "validity_days": 90},
    {"code": "QSGX", "name": {"zh": "亲属关系证明", "en": "Proof of family relationship"},
     "forbidden": True, "approval": False, "legal_basis": {"zh": "民发〔2020〕20号", "en": "MCA 2020"},
     "alternative": {"zh": "请凭户口簿办理。", "en": "Use the household register."}},
]

IDENTITY = {"name": "张三", "id_masked": "1101**********991X", "sex": "男", "source": "idcard"}


CLAIMS = {"issuer": "demo-station-1", "type_code": "JZZM", "serial": "2026-0001-000001",
          "holder_name": "张三", "holder_id_masked": "1101**********991X", "purpose": "school",
          "issued_at": "2026-11-26T08:00:00+00:00", "expires_at": "2027-02-24T08:00:00+00:00"}
GENUINE = {"valid": True, "verdict": "genuine", "code": "ok", "claims": CLAIMS, "kid": "ab",
           "message": {"zh": "证明真实有效。", "en": "The certificate is genuine and valid."},
           "unverified_claims": {}}
TAMPERED = {"valid": False, "verdict": "tampered", "code": "token.bad_signature", "claims": {},
            "message": {"zh": "签名不符。", "en": "The signature does not match."},
            "unverified_claims": {**CLAIMS, "holder_name": "李四"}}
MALFORMED = {"valid": False, "verdict": "malformed", "code": "token.bad_prefix", "claims": {},
             "message": {"zh": "不是证明二维码。", "en": "Not a certificate code."},
             "unverified_claims": {}}


def certificate(state: str = "issued", serial: str = "2026-0001-000001") -> dict[str, Any]:
    return {"id": "c-1", "serial": serial, "identifier": "x", "type_code": "JZZM",
            "type_name": {"zh": "居住证明", "en": "Proof of residence"}, "state": state,
            "holder_name": "张三", "holder_id_masked": "1101**********991X", "purpose": "school",
            "issued_at": "2026-11-26T08:00:00+00:00", "expires_at": "2027-02-24T08:00:00+00:00",
            "print_count": 1 if state == "printed" else 0,
            "text": {"zh": "兹证明张三…", "en": "This certifies that 张三…"}}


def error(code: str, status: int, **context: Any) -> StationError:
    return StationError(code, {"zh": f"{code} 中文", "en": f"{code} English"}, status=status,
                        context=context)


class FakeStation:
    """Implements kiosk.state.StationApi; ``fail[method]`` is a list of errors raised in turn."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail: dict[str, list[StationError]] = defaultdict(list)
        self.station_body: dict[str, Any] = STATION
        self.identity: dict[str, Any] | None = None
        self.state = "issued"
        self.sessions = 0
        self.verdicts: dict[str, dict[str, Any]] = {"HC1:GOOD": GENUINE, "HC1:BAD": TAMPERED}

    @staticmethod
    def error(code: str, status: int, **context: Any) -> StationError:
        return error(code, status, **context)

    @staticmethod
    def identified(session_id: str = "session-1") -> dict[str, Any]:
        """The session.identified event the station sends after reading a card."""
        return {"type": "session.identified", "severity": "NORMAL", "at": "2026-11-26T08:00:00Z",
                "data": {"id": session_id, "service": "certificates",
                         "started_at": "2026-11-26T08:00:00Z", "identity": IDENTITY}}

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def _record(self, name: str, **kwargs: Any) -> None:
        self.calls.append((name, kwargs))
        if self.fail[name]:
            raise self.fail[name].pop(0)

    def station(self) -> StationInfo:
        self._record("station")
        return StationInfo.parse(self.station_body)

    def start_session(self, service: str) -> SessionInfo:
        self._record("start_session", service=service)
        self.sessions += 1
        return SessionInfo.parse({"id": f"session-{self.sessions}", "service": service,
                                  "identity": None})

    def get_session(self, session_id: str) -> SessionInfo:
        self._record("get_session", session_id=session_id)
        return SessionInfo.parse({"id": session_id, "service": "certificates",
                                  "identity": self.identity})

    def end_session(self, session_id: str) -> None:
        self._record("end_session", session_id=session_id)

    def certificate_types(self) -> list[CertificateType]:
        self._record("certificate_types")
        return [CertificateType.parse(t) for t in TYPES]

    def issue_certificate(self, *, session_id: str, type_code: str, purpose: str,
                          idempotency_key: str, fields: dict[str, str] | None = None) -> Certificate:
        self._record("issue_certificate", session_id=session_id, type_code=type_code,
                     purpose=purpose, idempotency_key=idempotency_key)
        return Certificate.parse(certificate(self.state))

    def print_certificate(self, certificate_id: str, *, session_id: str) -> Certificate:
        self._record("print_certificate", certificate_id=certificate_id, session_id=session_id)
        self.state = "printed"
        return Certificate.parse(certificate("printed"))

    def verify(self, token: str) -> VerificationResult:
        self._record("verify", token=token)
        return VerificationResult.parse(self.verdicts.get(token, MALFORMED))

    def simulate_scan(self) -> None:
        self._record("simulate_scan")

    def simulate_card(self, resident: str = "1") -> None:
        self._record("simulate_card", resident=resident)

    def remove_simulated_card(self) -> None:
        self._record("remove_simulated_card")


@pytest.fixture
def station() -> FakeStation:
    return FakeStation()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def flow(station: FakeStation, clock: FakeClock) -> KioskFlow:
    keys = iter(f"key-{n:04d}-abcdef" for n in range(1000))
    machine = KioskFlow(station, ImmediateRunner(), clock, key_factory=lambda: next(keys))
    machine.refresh_station()
    machine.wake()
    return machine
