"""Fixtures for the kiosk's Kivy-free tests: a fake station speaking the API's real JSON shapes
(calls recorded, failures scripted per method), a frozen clock and the flow wired to both."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest

from kiosk.clock import FakeClock
from kiosk.errors import StationError
from kiosk.records import (
    Application,
    Certificate,
    CertificateType,
    Component,
    DeviceEvent,
    Fault,
    Notice,
    PhoneLink,
    Places,
    RatingOptions,
    SessionInfo,
    StationInfo,
    TicketCategory,
    TicketView,
    VerificationResult,
    parse_faults,
)
from kiosk.records.volunteers import (
    Checkin,
    Duty,
    DutyKind,
    EmergencyInfo,
    HoursRecord,
    NeedView,
    NeighbourGroup,
    VolunteerInfo,
)
from kiosk.runner import ImmediateRunner
from kiosk.visit.flow import KioskFlow

from .fake_community import FakeCommunity
from .fake_council import FakeCouncil

STATION = {
    "station_id": "demo-station-1",
    "name": {"zh": "桂林社区24小时智慧服务站", "en": "Guilin Community 24-hour Service Station"},
    "community": {"code": "460107002001", "name": {"zh": "桂林社区", "en": "Guilin Community"}},
    "environment": "demo",
    "simulated": {"printer": True, "idcard": True, "scanner": True},
    "session_idle_seconds": 90,
    "services": [
        {"code": "certificates", "state": "AVAILABLE", "reason": None, "blocking": [], "note": ""},
        {"code": "verify", "state": "UNAVAILABLE", "reason": "hardware",
         "blocking": [{"component": "scanner", "code": "NOT_REACHABLE"}], "note": ""},
        {"code": "requests", "state": "AVAILABLE", "reason": None, "blocking": [], "note": ""},
        {"code": "progress", "state": "AVAILABLE", "reason": None, "blocking": [], "note": ""},
        {"code": "volunteers", "state": "AVAILABLE", "reason": None, "blocking": [], "note": ""},
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
    {"code": "PKXS", "name": {"zh": "贫困学生证明", "en": "Proof for a student from a poor family"},
     "forbidden": False, "approval": True, "legal_basis": {"zh": "x", "en": "x"},
     "purposes": [{"code": "grant", "zh": "申请助学金", "en": "Grant"}], "procedure": [],
     "resident_fields": [{"name": "school", "zh": "就读学校", "en": "School", "kind": "text"}],
     "validity_days": 180},
    {"code": "QSGX", "name": {"zh": "亲属关系证明", "en": "Proof of family relationship"},
     "forbidden": True, "approval": False, "legal_basis": {"zh": "民发〔2020〕20号", "en": "MCA 2020"},
     "alternative": {"zh": "请凭户口簿办理。", "en": "Use the household register."}},
]

IDENTITY = {"name": "张三", "id_masked": "4601*************2", "sex": "男", "source": "idcard"}


CLAIMS = {"issuer": "demo-station-1", "type_code": "JZZM", "serial": "2026-0001-000001",
          "holder_name": "张三", "holder_id_masked": "4601*************2", "purpose": "school",
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


CATEGORIES = [
    {"code": "property_repairs", "name": {"zh": "物业维修", "en": "Property and repairs"},
     "icon": "ticket_property_repairs", "anonymous_allowed": False,
     "phrases": [{"code": "water_leak", "text": {"zh": "水管漏水", "en": "A water pipe is leaking"}},
                 {"code": "stair_light", "text": {"zh": "楼道灯不亮", "en": "The stairway light is out"}}],
     "usual_reply_within": {"zh": "5个工作日", "en": "5 working days"}},
    {"code": "environment_sanitation", "name": {"zh": "环境卫生", "en": "Environment and sanitation"},
     "icon": "ticket_environment", "anonymous_allowed": True,
     "phrases": [{"code": "litter", "text": {"zh": "垃圾未清运", "en": "Rubbish not collected"}}],
     "usual_reply_within": {"zh": "3个工作日", "en": "3 working days"}},
]
PLACES = {"buildings": [{"building": "3", "name": {"zh": "3号楼", "en": "Building 3"}, "units": ["2"]},
                        {"building": "9", "name": {"zh": "9号楼", "en": "Building 9"}, "units": ["1", "2"]}],
          "public": {"name": {"zh": "公共区域", "en": "Public area"},
                     "landmarks": [{"code": "north_gate", "name": {"zh": "小区北门", "en": "North gate"}}]}}
OPTIONS = {"levels": [{"level": n, "code": c, "name": {"zh": z, "en": e}} for n, c, z, e in (
    (5, "very_satisfied", "非常满意", "Very satisfied"), (4, "satisfied", "满意", "Satisfied"),
    (3, "basically_satisfied", "基本满意", "Basically satisfied"), (2, "dissatisfied", "不满意", "Dissatisfied"),
    (1, "very_dissatisfied", "非常不满意", "Very dissatisfied"))],
    "reasons": [{"code": "fast", "name": {"zh": "办理及时", "en": "Handled quickly"}, "tone": "good"},
                {"code": "slow", "name": {"zh": "办理太慢", "en": "Too slow"}, "tone": "bad"}],
    "bad_at_or_below": 2}
SLIP = "GD1:SLIPTOKEN"
PICKUP = "QJ1:PICKUPTOKEN"


def ticket(state: str = "pending", *, sent: bool = False, can_rate: bool = False,
           no: str = "GD-261126-460107002001-S01-0001") -> dict[str, Any]:
    return {"ticket_no": no, "category": "environment_sanitation",
            "category_name": {"zh": "环境卫生", "en": "Environment and sanitation"},
            "place": {"zh": "公共区域：小区北门", "en": "Public area: North gate"}, "state": state,
            "status_words": {"zh": "已保存在本机，联网后自动提交",
                             "en": "Saved at this kiosk; it will be sent when the network is back"},
            "sent": sent, "submitted_at": "2026-11-26T08:53:04+00:00",
            "expected_reply_at": "2026-12-01T18:00:00+08:00", "can_rate": can_rate, "follow_up": False,
            "history": [{"at": "2026-11-26T08:53:04+00:00",
                         "words": {"zh": "您的诉求已提交", "en": "Your request was submitted"}}]}


def certificate(state: str = "issued", serial: str = "2026-0001-000001") -> dict[str, Any]:
    return {"id": "c-1", "serial": serial, "identifier": "x", "type_code": "JZZM",
            "type_name": {"zh": "居住证明", "en": "Proof of residence"}, "state": state,
            "holder_name": "张三", "holder_id_masked": "4601*************2", "purpose": "school",
            "issued_at": "2026-11-26T08:00:00+00:00", "expires_at": "2027-02-24T08:00:00+00:00",
            "print_count": 1 if state == "printed" else 0,
            "text": {"zh": "兹证明张三…", "en": "This certifies that 张三…"}}


def error(code: str, status: int, **context: Any) -> StationError:
    return StationError(code, {"zh": f"{code} 中文", "en": f"{code} English"}, status=status,
                        context=context)


class FakeStation(FakeCommunity, FakeCouncil):
    """Implements kiosk.client.StationApi; ``fail[method]`` is a list of errors raised in turn."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail: dict[str, list[StationError]] = defaultdict(list)
        self.station_body: dict[str, Any] = STATION
        self.identity: dict[str, Any] | None = None
        self.state = "issued"
        self.sessions = 0
        self.verdicts: dict[str, dict[str, Any]] = {"HC1:GOOD": GENUINE, "HC1:BAD": TAMPERED}
        self.outcomes: list[dict[str, Any]] = []
        self.tickets: dict[str, dict[str, Any]] = {}  # slip token -> progress view
        self.mine: list[dict[str, Any]] = []
        self.filed: dict[str, dict[str, Any]] = {}  # idempotency key -> view (a retry gets the same)
        self.link: dict[str, Any] = {"available": True, "url": "https://platform.example/d/abc",
                                     "expires_at": "2026-11-26T09:10:00+00:00", "reason": None, "message": None}
        self.pin = "00000000"
        self.notice_list: list[dict[str, Any]] = []
        self.volunteer: dict[str, Any] | None = {"name": "张三", "id_masked": "4601*************6"}
        self.open_duty: dict[str, Any] | None = None
        self.registered_needs: dict[str, str] = {}  # idempotency key -> need number
        self.neighbour_group_body: dict[str, Any] | None = None  # group.none
        self.emergency_body: dict[str, Any] = {"active": False, "areas": [], "hotline": "0898-12345",
                                               "task_groups": [{"code": "supplies",
                                                                "name": {"zh": "物资保障组", "en": "Supplies"}}]}

    @staticmethod
    def error(code: str, status: int, **context: Any) -> StationError:
        return error(code, status, **context)

    @staticmethod
    def identified(session_id: str = "session-1") -> dict[str, Any]:
        """The session.identified event the station sends after reading a card."""
        return {"type": "session.identified", "severity": "NORMAL", "at": "2026-11-26T08:00:00Z",
                "data": {"id": session_id, "service": "certificates",
                         "started_at": "2026-11-26T08:00:00Z", "identity": IDENTITY}}

    @staticmethod
    def reader(detail: str) -> dict[str, Any]:
        """The ID card reader's status event ("card present" / "no card")."""
        return {"type": "component.status", "severity": "NORMAL", "at": "2026-11-26T08:00:00Z",
                "data": {"id": "idcard", "status": {"state": "READY", "code": "OK", "detail": detail}}}

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
                                  "identity": self.identity, "outcomes": self.outcomes})

    def end_session(self, session_id: str) -> None:
        self._record("end_session", session_id=session_id)

    def certificate_types(self) -> list[CertificateType]:
        self._record("certificate_types")
        return [CertificateType.parse(t) for t in TYPES]

    def issue_certificate(self, *, session_id: str, type_code: str, purpose: str,
                          idempotency_key: str, fields: dict[str, str] | None = None) -> Certificate:
        self._record("issue_certificate", session_id=session_id, type_code=type_code,
                     purpose=purpose, idempotency_key=idempotency_key, fields=fields)
        return Certificate.parse(certificate(self.state))

    def print_certificate(self, certificate_id: str, *, session_id: str) -> Certificate:
        self._record("print_certificate", certificate_id=certificate_id, session_id=session_id)
        self.state = "printed"
        return Certificate.parse(certificate("printed"))

    def verify(self, token: str) -> VerificationResult:
        self._record("verify", token=token)
        return VerificationResult.parse(self.verdicts.get(token, MALFORMED))

    def simulate_scan(self, sample: str = "latest_certificate") -> None:
        self._record("simulate_scan", sample=sample)

    def simulate_card(self, resident: str = "1") -> None:
        self._record("simulate_card", resident=resident)

    def remove_simulated_card(self) -> None:
        self._record("remove_simulated_card")

    def identify_with_code(self, session_id: str, token: str) -> SessionInfo:
        self._record("identify_with_code", session_id=session_id, token=token)
        self.identity = {**IDENTITY, "source": "qr"}
        return SessionInfo.parse({"id": session_id, "service": "x", "identity": self.identity,
                                  "outcomes": self.outcomes})

    def phone_link(self, certificate_id: str, *, session_id: str) -> PhoneLink:
        self._record("phone_link", certificate_id=certificate_id, session_id=session_id)
        return PhoneLink.parse(self.link)

    def apply(self, *, session_id: str, type_code: str, purpose: str, idempotency_key: str,
              fields: dict[str, str] | None = None) -> Application:
        self._record("apply", session_id=session_id, type_code=type_code, purpose=purpose,
                     idempotency_key=idempotency_key, fields=fields)
        return Application.parse({"id": "a-1", "type_code": type_code, "state": "applied",
                                  "pickup_code": "K7MX2Q", "reason": None})

    def print_application_slip(self, application_id: str, *, session_id: str) -> Application:
        self._record("print_application_slip", application_id=application_id, session_id=session_id)
        return Application.parse({"id": application_id, "type_code": "PKXS", "state": "applied"})

    def pickup(self, token: str) -> Certificate:
        self._record("pickup", token=token)
        return Certificate.parse(certificate("issued"))

    def print_pickup(self, token: str) -> Certificate:
        self._record("print_pickup", token=token)
        return Certificate.parse(certificate("printed"))

    def ticket_categories(self) -> list[TicketCategory]:
        self._record("ticket_categories")
        return [TicketCategory.parse(c) for c in CATEGORIES]

    def ticket_places(self) -> Places:
        self._record("ticket_places")
        return Places.parse(PLACES)

    def file_ticket(self, body: dict[str, Any]) -> TicketView:
        self._record("file_ticket", **body)
        key = body["idempotency_key"]
        no = f"GD-261126-460107002001-S01-{len(self.filed) + 1:04d}"
        view = self.filed.setdefault(key, {**ticket(), "ticket_no": no, "slip_token": SLIP})
        return TicketView.parse(view)

    def print_ticket_slip(self, ticket_no: str, *, session_id: str) -> TicketView:
        self._record("print_ticket_slip", ticket_no=ticket_no, session_id=session_id)
        return TicketView.parse({**ticket(), "ticket_no": ticket_no})

    def lookup_ticket(self, token: str) -> TicketView:
        self._record("lookup_ticket", token=token)
        if token not in self.tickets:
            raise error("ticket.bad_slip", 422)
        return TicketView.parse(self.tickets[token])

    def my_tickets(self, session_id: str) -> list[TicketView]:
        self._record("my_tickets", session_id=session_id)
        return [TicketView.parse(t) for t in self.mine]

    def rating_options(self) -> RatingOptions:
        self._record("rating_options")
        return RatingOptions.parse(OPTIONS)

    def rate(self, body: dict[str, Any]) -> None:
        self._record("rate", **body)

    def take_photo(self) -> bytes:
        self._record("take_photo")
        return b"\xff\xd8\xff\xe0 a jpeg"

    def notices(self) -> list[Notice]:
        self._record("notices")
        return [Notice.parse(n) for n in self.notice_list]

    def components(self) -> list[Component]:
        self._record("components")
        return [Component.parse({"id": "printer", "kind": "receipt_printer", "simulated": True,
                                 "status": {"state": "READY", "code": "OK", "detail": ""}})]

    def _check_pin(self, pin: str) -> None:
        if pin != self.pin:
            raise StationError("maintenance.wrong_pin", {"zh": "维护密码不正确。",
                                                         "en": "The maintenance PIN is not right."}, status=401)

    def faults(self, pin: str) -> tuple[Fault, ...]:
        self._record("faults", pin=pin)
        self._check_pin(pin)
        return parse_faults({"printer": [{"name": "paper_out", "zh": "缺纸", "en": "out of paper"}]})

    def selftest(self, component_id: str, pin: str) -> dict[str, Any]:
        self._record("selftest", component_id=component_id, pin=pin)
        self._check_pin(pin)
        return {"component": component_id, "ok": True, "status": {"state": "READY", "code": "OK"}}

    def device_history(self, pin: str, limit: int = 40) -> list[DeviceEvent]:
        self._record("device_history", pin=pin)
        self._check_pin(pin)
        return [DeviceEvent.parse({"type": "component.status", "severity": "ALARM", "at": "2026-11-26T08:00:00Z",
                                   "data": {"id": "printer", "status": {"code": "MEDIA_EMPTY"}}})]

    # ---- 志愿者签到 ----
    def duty_kinds(self) -> list[DutyKind]:
        self._record("duty_kinds")
        return [DutyKind.parse({"code": "patrol", "name": {"zh": "巡查", "en": "Patrol"}}),
                DutyKind.parse({"code": "watch", "name": {"zh": "值守", "en": "On watch"}})]

    def volunteer_me(self, session_id: str) -> VolunteerInfo:
        self._record("volunteer_me", session_id=session_id)
        if self.volunteer is None:
            raise error("volunteer.not_registered", 404)
        return VolunteerInfo.parse({"volunteer": self.volunteer, "open_duty": self.open_duty})

    def _duty(self, kind: str, ended: bool) -> dict[str, Any]:
        return {"id": "duty-1", "kind": kind, "kind_name": {"zh": "巡查", "en": "Patrol"},
                "started_at": "2026-11-26T09:00:00+08:00",
                "ended_at": "2026-11-26T11:30:00+08:00" if ended else None, "hours": 2.5 if ended else 0,
                "forgotten": False, "slip": ["志愿服务签到", "志愿者：张三", "类别：巡查"]}

    def duty_sign_in(self, session_id: str, kind: str) -> Duty:
        self._record("duty_sign_in", session_id=session_id, kind=kind)
        self.open_duty = self._duty(kind, ended=False)
        return Duty.parse(self.open_duty)

    def duty_sign_out(self, session_id: str) -> Duty:
        self._record("duty_sign_out", session_id=session_id)
        assert self.open_duty is not None
        ended, self.open_duty = self._duty(self.open_duty["kind"], ended=True), None
        return Duty.parse(ended)

    def volunteer_hours(self, session_id: str, *, print_it: bool) -> HoursRecord:
        self._record("volunteer_hours", session_id=session_id, print_it=print_it)
        return HoursRecord.parse({"month": "2026-11", "hours": 2.5, "duties": [{}],
                                  "slip": ["志愿服务时长记录", "志愿者：张三", "月份：2026-11", "合计：2.5 小时"]})

    def emergency(self) -> EmergencyInfo:
        self._record("emergency")
        return EmergencyInfo.parse(self.emergency_body)

    def neighbour_group(self, session_id: str) -> NeighbourGroup:
        self._record("neighbour_group", session_id=session_id)
        if self.neighbour_group_body is None:
            raise error("group.none", 404)
        return NeighbourGroup.parse(self.neighbour_group_body)

    def emergency_image(self, path: str) -> bytes:
        self._record("emergency_image", path=path)
        return b"\xff\xd8\xff\xe0 a notice's picture"

    def emergency_hotline(self, *, print_it: bool) -> str:
        self._record("emergency_hotline", print_it=print_it)
        return str(self.emergency_body["hotline"])

    def emergency_checkin(self, session_id: str, task_group: str) -> Checkin:
        self._record("emergency_checkin", session_id=session_id, task_group=task_group)
        if self.volunteer is None:
            raise error("volunteer.not_registered", 404)
        return Checkin.parse({"group_name": {"zh": "物资保障组", "en": "Supplies"}, "at": "2026-11-26T09:00:00+08:00"})

    def register_need(self, body: dict[str, Any]) -> NeedView:
        self._record("register_need", **body)
        number = self.registered_needs.setdefault(body["idempotency_key"], f"N-{len(self.registered_needs) + 1:04d}")
        return NeedView.parse({"need_no": number, "kind_name": {"zh": "食品", "en": "Food"},
                               "urgency_name": {"zh": "紧急", "en": "Urgent"},
                               "state_words": {"zh": "待接单", "en": "Waiting"},
                               "submitted_at": "2026-11-26T09:00:00+08:00"})

    def my_needs(self, session_id: str) -> list[NeedView]:
        self._record("my_needs", session_id=session_id)
        return [NeedView.parse({"need_no": "N-0001", "kind_name": {"zh": "食品", "en": "Food"},
                                "urgency_name": {"zh": "紧急", "en": "Urgent"},
                                "state_words": {"zh": "已接单", "en": "Taken"},
                                "submitted_at": "2026-11-26T09:00:00+08:00"})]

    def inject_fault(self, device: str, fault: str, pin: str) -> None:
        self._record("inject_fault", device=device, fault=fault, pin=pin)
        self._check_pin(pin)

    def clear_faults(self, device: str, pin: str) -> None:
        self._record("clear_faults", device=device, pin=pin)
        self._check_pin(pin)


@pytest.fixture
def station() -> FakeStation:
    return FakeStation()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def flow(station: FakeStation, clock: FakeClock) -> KioskFlow:
    keys = iter(f"key-{n:04d}-abcdef" for n in range(1000))
    machine = KioskFlow(station, ImmediateRunner(), clock, key_factory=lambda: next(keys),
                        today=lambda: dt.date(2026, 11, 26))
    machine.refresh_station()
    machine.wake()
    return machine
