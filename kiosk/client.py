"""Talking to the station backend: ``StationApi``, what the journeys may ask the station (tests
pass a fake), and ``StationClient``, its synchronous HTTP implementation (called from worker
threads, never from the UI thread). The event stream is ``kiosk.event_stream``. No Kivy here.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx

from .client_council import CouncilApi, CouncilCalls
from .errors import BAD_RESPONSE, NETWORK_TIMEOUT, NETWORK_UNREACHABLE, StationError
from .records import (
    AccountsMonth,
    Activity,
    Application,
    Certificate,
    CertificateType,
    CheckIn,
    Component,
    DeviceEvent,
    Fault,
    Notice,
    PhoneLink,
    Places,
    PublishingCompound,
    RatingOptions,
    SessionInfo,
    Signup,
    StationInfo,
    TicketCategory,
    TicketView,
    VerificationResult,
    parse_faults,
)
from .records.organisations import Organisation, OrgKind
from .records.volunteers import (
    Checkin,
    Duty,
    DutyKind,
    EmergencyInfo,
    HoursRecord,
    NeedView,
    NeighbourGroup,
    VolunteerInfo,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

PRINT_TIMEOUT = 45.0  # a print job waits for the paper to come out
TOKEN_FILE = "station-api.token"


class StationToken:
    """Who this kiosk program is to the station: the station's API token, read from the file the
    station writes at every start (a restarted station's new token is picked up at the next call),
    and a client id of this process (the resident's session belongs to the client that opened it,
    and only that client sees its events)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.client_id = uuid.uuid4().hex

    def header(self) -> dict[str, str]:
        headers = {"X-Kiosk-Client": self.client_id}
        if self.path is None:
            return headers
        try:
            token = self.path.read_text().strip()
        except OSError:
            return headers
        return headers | ({"Authorization": f"Bearer {token}"} if token else {})


class StationClient(CouncilCalls):
    """The station's HTTP API; every failure becomes a ``StationError``."""

    def __init__(self, base_url: str, *, timeout: float = 10.0, token: StationToken | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token or StationToken(None)
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def station(self) -> StationInfo:
        """Describe the station and which services it offers now."""
        return _parsed(StationInfo.parse, self._request("GET", "/api/station"))

    def start_session(self, service: str) -> SessionInfo:
        """Start a resident's session for a service."""
        return _parsed(SessionInfo.parse, self._request("POST", "/api/sessions", {"service": service}))

    def get_session(self, session_id: str) -> SessionInfo:
        """Return the session (and keep it alive on the station)."""
        return _parsed(SessionInfo.parse, self._request("GET", f"/api/sessions/{session_id}"))

    def end_session(self, session_id: str) -> None:
        """End the session; the station forgets who the resident was."""
        try:
            self._request("DELETE", f"/api/sessions/{session_id}")
        except StationError as err:
            if err.code not in ("session.not_found", "session.expired"):
                raise

    def certificate_types(self) -> list[CertificateType]:
        """List the certificate types this community offers."""
        body = self._request("GET", "/api/certificate-types")
        if not isinstance(body, list):
            raise StationError.local(BAD_RESPONSE, detail="certificate types: not a list")
        return [_parsed(CertificateType.parse, item) for item in body]

    def issue_certificate(self, *, session_id: str, type_code: str, purpose: str,
                          idempotency_key: str, fields: dict[str, str] | None = None) -> Certificate:
        """Issue a certificate (idempotent: the same key returns the same certificate)."""
        body = {"session_id": session_id, "type_code": type_code, "purpose": purpose,
                "idempotency_key": idempotency_key, "fields": fields or {}}
        return _parsed(Certificate.parse, self._request("POST", "/api/certificates", body))

    def print_certificate(self, certificate_id: str, *, session_id: str) -> Certificate:
        """Print an issued certificate."""
        body = self._request("POST", f"/api/certificates/{certificate_id}/print",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return _parsed(Certificate.parse, body)

    def verify(self, token: str) -> VerificationResult:
        """Ask the station whether a scanned certificate code is genuine (offline, trust list)."""
        return _parsed(VerificationResult.parse, self._request("POST", "/api/verify", {"token": token}))

    def simulate_scan(self, sample: str = "latest_certificate") -> None:
        """Demo only: have the simulated scanner scan the newest certificate, request slip
        ("latest_ticket_slip") or application slip ("latest_pickup") this station printed; the
        scan then arrives as a ``code.scanned`` event like any real one."""
        self._request("POST", "/api/sim/scanner/scan", {"sample": sample})

    def identify_with_code(self, session_id: str, token: str) -> SessionInfo:
        """Identify the session with a resident QR code scanned from a phone (works once)."""
        body = self._request("POST", f"/api/sessions/{session_id}/identify", {"token": token})
        return _parsed(SessionInfo.parse, body)

    def phone_link(self, certificate_id: str, *, session_id: str) -> PhoneLink:
        """The link (a second QR) to take the certificate's A4 copy on a phone, or why not."""
        body = self._request("GET", f"/api/certificates/{certificate_id}/phone-link?session_id={session_id}")
        return _parsed(PhoneLink.parse, body)

    # ---- applications (types that need approval) and collecting them ---------------------------

    def apply(self, *, session_id: str, type_code: str, purpose: str, idempotency_key: str,
              fields: dict[str, str] | None = None) -> Application:
        """Apply for a certificate a staff member must approve (idempotent by key)."""
        body = {"session_id": session_id, "type_code": type_code, "purpose": purpose,
                "idempotency_key": idempotency_key, "fields": fields or {}}
        return _parsed(Application.parse, self._request("POST", "/api/applications", body))

    def print_application_slip(self, application_id: str, *, session_id: str) -> Application:
        """Print the application slip with its pickup QR."""
        body = self._request("POST", f"/api/applications/{application_id}/slip",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return _parsed(Application.parse, body)

    def pickup(self, token: str) -> Certificate:
        """Read a scanned pickup QR: the approved certificate, or a StationError saying why not."""
        body = self._request("POST", "/api/applications/pickup", {"token": token})
        return _parsed(lambda b: Certificate.parse(b["certificate"]), body)

    def print_pickup(self, token: str) -> Certificate:
        """Print the certificate an approved application's slip collects."""
        body = self._request("POST", "/api/applications/pickup/print", {"token": token},
                             timeout=PRINT_TIMEOUT)
        return _parsed(Certificate.parse, body)

    # ---- requests, progress, ratings -----------------------------------------------------------

    def ticket_categories(self) -> list[TicketCategory]:
        """The request categories (big icons, ready phrases, usual reply time)."""
        return _parsed_list(TicketCategory.parse, self._request("GET", "/api/tickets/categories"))

    def ticket_places(self) -> Places:
        """The community's buildings and units, and the public area's landmarks."""
        return _parsed(Places.parse, self._request("GET", "/api/tickets/places"))

    def file_ticket(self, body: dict[str, Any]) -> TicketView:
        """File a request (idempotent by its idempotency_key); the answer has the slip's token."""
        return _parsed(TicketView.parse, self._request("POST", "/api/tickets", body))

    def print_ticket_slip(self, ticket_no: str, *, session_id: str) -> TicketView:
        """Print a request's slip (number, expected reply, QR; 'saved offline' when offline)."""
        body = self._request("POST", f"/api/tickets/{ticket_no}/slip", {"session_id": session_id},
                             timeout=PRINT_TIMEOUT)
        return _parsed(TicketView.parse, body)

    def lookup_ticket(self, token: str) -> TicketView:
        """A request's progress from its slip's scanned QR (works offline)."""
        return _parsed(TicketView.parse, self._request("POST", "/api/tickets/lookup", {"token": token}))

    def my_tickets(self, session_id: str) -> list[TicketView]:
        """The identified resident's requests, newest first."""
        return _parsed_list(TicketView.parse, self._request("GET", f"/api/tickets?session_id={session_id}"))

    def rating_options(self) -> RatingOptions:
        """The five levels and the reasons to tick."""
        return _parsed(RatingOptions.parse, self._request("GET", "/api/ratings/options"))

    def rate(self, body: dict[str, Any]) -> None:
        """Rate a finished service, anonymously (a certificate, or a closed request)."""
        self._request("POST", "/api/ratings", body)

    # ---- 志愿者签到 (volunteers) ----
    def duty_kinds(self) -> list[DutyKind]:
        """The duty kinds a volunteer signs in to (巡查 调解 值守 活动)."""
        body = as_mapping(self._request("GET", "/api/volunteers/options"))
        return _parsed_list(DutyKind.parse, body.get("duties"))

    def volunteer_me(self, session_id: str) -> VolunteerInfo:
        """The identified volunteer and their open duty (volunteer.not_registered if not one)."""
        return _parsed(VolunteerInfo.parse, self._request("POST", "/api/volunteers/me",
                                                          {"session_id": session_id}))

    def duty_sign_in(self, session_id: str, kind: str) -> Duty:
        """Begin a duty and print its slip."""
        body = self._request("POST", "/api/volunteers/sign-in",
                             {"session_id": session_id, "kind": kind, "print": True}, timeout=PRINT_TIMEOUT)
        return _parsed(Duty.parse, body)

    def duty_sign_out(self, session_id: str) -> Duty:
        """End the open duty and print its slip (times and hours)."""
        body = self._request("POST", "/api/volunteers/sign-out", {"session_id": session_id, "print": True},
                             timeout=PRINT_TIMEOUT)
        return _parsed(Duty.parse, body)

    def volunteer_hours(self, session_id: str, *, print_it: bool) -> HoursRecord:
        """This month's own record of hours (printed when asked)."""
        body = self._request("POST", "/api/volunteers/hours", {"session_id": session_id, "print": print_it},
                             timeout=PRINT_TIMEOUT if print_it else None)
        return _parsed(HoursRecord.parse, body)

    # ---- emergency mode (战时) ----
    def emergency(self) -> EmergencyInfo:
        """Whether any area is in emergency mode: its message, notices, hotline and task groups."""
        return _parsed(EmergencyInfo.parse, self._request("GET", "/api/emergency"))

    def neighbour_group(self, session_id: str) -> NeighbourGroup:
        """邻里一家亲: the group QR of the identified resident's building (group.none: there is none)."""
        return _parsed(NeighbourGroup.parse, self._request("POST", "/api/neighbour-group",
                                                           {"session_id": session_id}))

    def emergency_hotline(self, *, print_it: bool) -> str:
        """紧急求助: the hotline to call (printed on a slip when asked)."""
        body = as_mapping(self._request("POST", "/api/emergency/hotline", {"print": print_it},
                                        timeout=PRINT_TIMEOUT if print_it else None))
        return str(body.get("hotline", ""))

    def emergency_checkin(self, session_id: str, task_group: str) -> Checkin:
        """A volunteer checks in to a task group of the emergency's command structure."""
        body = self._request("POST", "/api/emergency/checkins",
                             {"session_id": session_id, "task_group": task_group})
        return _parsed(Checkin.parse, body)

    def register_need(self, body: dict[str, Any]) -> NeedView:
        """物资需求登记 (POST /api/emergency/needs; a retry with the same idempotency key returns the
        same need and prints its slip again)."""
        return _parsed(NeedView.parse, self._request("POST", "/api/emergency/needs", body,
                                                     timeout=PRINT_TIMEOUT if body.get("print") else None))

    def my_needs(self, session_id: str) -> list[NeedView]:
        """The identified household's needs registered here, with their status."""
        return _parsed_list(NeedView.parse, self._request("POST", "/api/emergency/needs/mine",
                                                          {"session_id": session_id}))

    def take_photo(self) -> bytes:
        """The kiosk camera's current picture (JPEG)."""
        body = self._request("POST", "/api/camera/photo")
        try:
            return base64.b64decode(body["jpeg_base64"], validate=True)
        except (KeyError, TypeError, ValueError) as err:
            raise StationError.local(BAD_RESPONSE, detail="photo: not base64") from err

    def notices(self) -> list[Notice]:
        """Today's community notices, newest first."""
        return _parsed_list(Notice.parse, self._request("GET", "/api/notices"))

    def components(self) -> list[Component]:
        """Every device and its state."""
        return _parsed_list(Component.parse, self._request("GET", "/api/components"))

    # ---- maintenance (technician PIN in every call) ---------------------------------------------

    def faults(self, pin: str) -> tuple[Fault, ...]:
        """The one list of faults (also checks the PIN: a wrong one raises maintenance.wrong_pin)."""
        return _parsed(parse_faults, self._request("GET", "/api/maintenance/faults", pin=pin))

    def selftest(self, component_id: str, pin: str) -> dict[str, Any]:
        """Test one device (the printer prints a sample); the outcome and its status."""
        body = self._request("POST", f"/api/maintenance/components/{component_id}/selftest", pin=pin,
                             timeout=PRINT_TIMEOUT)
        return dict(body) if isinstance(body, dict) else {}

    def device_history(self, pin: str, limit: int = 40) -> list[DeviceEvent]:
        """Recent device events, newest last."""
        return _parsed_list(DeviceEvent.parse,
                            self._request("GET", f"/api/maintenance/history?limit={limit}", pin=pin))

    def inject_fault(self, device: str, fault: str, pin: str) -> None:
        """Give a simulated device a fault."""
        self._request("POST", f"/api/maintenance/sim/{device}/faults", {"fault": fault, "params": {}},
                      pin=pin)

    def clear_faults(self, device: str, pin: str) -> None:
        """Clear a simulated device's faults."""
        self._request("DELETE", f"/api/maintenance/sim/{device}/faults", pin=pin)

    def simulate_card(self, resident: str = "1") -> None:
        """Place a demo resident's card on the simulated reader."""
        self._request("POST", "/api/sim/idcard/card", {"resident": resident})

    def remove_simulated_card(self) -> None:
        """Take the demo card off the simulated reader."""
        self._request("DELETE", "/api/sim/idcard/card")

    def send_capture(self, capture_id: str, jpeg: bytes) -> None:
        """Hand the station the screen capture it asked for."""
        self._request("POST", f"/api/ui/captures/{capture_id}",
                      {"jpeg_base64": base64.b64encode(jpeg).decode("ascii")})

    # ---- community life: activities ----

    def activities(self) -> list[Activity]:
        """The community's upcoming activities, soonest first (works offline)."""
        return _parsed_list(Activity.parse, self._request("GET", "/api/activities"))

    def sign_up(self, activity_id: str, *, session_id: str, idempotency_key: str) -> Signup:
        """Sign the identified resident up: a place, or the waiting list when full."""
        body = {"session_id": session_id, "idempotency_key": idempotency_key}
        return _parsed(Signup.parse, self._request("POST", f"/api/activities/{activity_id}/signups", body))

    def print_signup_slip(self, signup_id: str, *, session_id: str) -> Signup:
        """Print the sign-up slip with its ticket QR."""
        body = self._request("POST", f"/api/activities/signups/{signup_id}/slip",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return _parsed(Signup.parse, body)

    def my_signups(self, session_id: str) -> list[Signup]:
        """The identified resident's sign-ups."""
        return _parsed_list(Signup.parse,
                            self._request("GET", f"/api/activities/signups?session_id={session_id}"))

    def cancel_signup(self, signup_id: str, *, session_id: str) -> None:
        """Cancel one's sign-up (its ticket stops working)."""
        self._request("POST", f"/api/activities/signups/{signup_id}/cancel", {"session_id": session_id})

    def check_in(self, token: str) -> CheckIn:
        """Check a scanned activity ticket in (once per ticket)."""
        return _parsed(CheckIn.parse, self._request("POST", "/api/activities/checkin", {"token": token}))

    # ---- community life: open accounts (信酬制) ----

    def accounts_published(self) -> list[PublishingCompound]:
        """Which compounds of the community publish their accounts."""
        return _parsed_list(PublishingCompound.parse, self._request("GET", "/api/accounts"))

    def accounts_months(self, compound: str, *, session_id: str) -> list[str]:
        """The compound's published months, latest first (owners only: accounts.not_owner)."""
        body = self._request("GET", f"/api/accounts/{compound}?session_id={session_id}")
        return _parsed_list(lambda m: str(m["month"]), body)

    def accounts_month(self, compound: str, month: str, *, session_id: str) -> AccountsMonth:
        """A month: totals and bars by category, entries, balance."""
        body = self._request("GET", f"/api/accounts/{compound}/{month}?session_id={session_id}")
        return _parsed(AccountsMonth.parse, body)

    def print_statement(self, compound: str, month: str, *, session_id: str) -> None:
        """Print the month's statement for the owner."""
        self._request("POST", f"/api/accounts/{compound}/{month}/print", {"session_id": session_id},
                      timeout=PRINT_TIMEOUT)

    # ---- community life: grassroots organisations (社区组织) ----

    def organisations(self) -> list[Organisation]:
        """The community's approved organisations: what they do, how to join."""
        return _parsed_list(Organisation.parse, self._request("GET", "/api/organisations"))

    def organisation_kinds(self) -> list[OrgKind]:
        """What an organisation may be (interest, volunteer, culture…)."""
        return _parsed_list(OrgKind.parse, self._request("GET", "/api/organisations/kinds"))

    def file_organisation(self, body: dict[str, Any]) -> Organisation:
        """File an organisation (the identified resident leads it); a retry keeps the key."""
        return _parsed(Organisation.parse, self._request("POST", "/api/organisations", body))

    def print_organisation_slip(self, application_no: str, *, session_id: str) -> Organisation:
        """Print the filing slip with the application number."""
        body = self._request("POST", f"/api/organisations/{application_no}/slip",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return _parsed(Organisation.parse, body)

    def my_organisations(self, session_id: str) -> list[Organisation]:
        """The identified resident's filings and where each stands."""
        return _parsed_list(Organisation.parse,
                            self._request("GET", f"/api/organisations/mine?session_id={session_id}"))

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None, *,
                 timeout: float | None = None, pin: str | None = None) -> Any:
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        extra["headers"] = self._token.header() | ({"X-Technician-Pin": pin} if pin is not None else {})
        try:
            response = self._http.request(method, path, json=body, **extra)
        except httpx.TimeoutException as err:
            raise StationError.local(NETWORK_TIMEOUT, detail=f"{method} {path}") from err
        except httpx.HTTPError as err:
            raise StationError.local(NETWORK_UNREACHABLE, detail=f"{method} {path}: {err}") from err
        if response.status_code == 204:
            return None
        try:
            payload = response.json()
        except ValueError as err:
            raise StationError.local(BAD_RESPONSE, detail=f"HTTP {response.status_code}") from err
        if response.status_code >= 400:
            raise StationError.from_body(response.status_code, payload)
        return payload


def _parsed(parse: Callable[[Any], T], body: Any) -> T:
    try:
        return parse(body)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise StationError.local(BAD_RESPONSE, detail=f"{type(err).__name__}: {err}") from err


def as_mapping(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise StationError.local(BAD_RESPONSE, detail="expected an object")
    return body


def _parsed_list(parse: Callable[[Any], T], body: Any) -> list[T]:
    if not isinstance(body, list):
        raise StationError.local(BAD_RESPONSE, detail="expected a list")
    return [_parsed(parse, item) for item in body]


class StationApi(CouncilApi, Protocol):
    def station(self) -> StationInfo: ...
    def start_session(self, service: str) -> SessionInfo: ...
    def get_session(self, session_id: str) -> SessionInfo: ...
    def end_session(self, session_id: str) -> None: ...
    def certificate_types(self) -> list[CertificateType]: ...
    def issue_certificate(self, *, session_id: str, type_code: str, purpose: str,
                          idempotency_key: str, fields: dict[str, str] | None = None) -> Certificate: ...
    def print_certificate(self, certificate_id: str, *, session_id: str) -> Certificate: ...
    def verify(self, token: str) -> VerificationResult: ...
    def simulate_scan(self, sample: str = "latest_certificate") -> None: ...
    def simulate_card(self, resident: str = "1") -> None: ...
    def remove_simulated_card(self) -> None: ...
    def identify_with_code(self, session_id: str, token: str) -> SessionInfo: ...
    def phone_link(self, certificate_id: str, *, session_id: str) -> PhoneLink: ...
    def apply(self, *, session_id: str, type_code: str, purpose: str, idempotency_key: str,
              fields: dict[str, str] | None = None) -> Application: ...
    def print_application_slip(self, application_id: str, *, session_id: str) -> Application: ...
    def pickup(self, token: str) -> Certificate: ...
    def print_pickup(self, token: str) -> Certificate: ...
    def ticket_categories(self) -> list[TicketCategory]: ...
    def ticket_places(self) -> Places: ...
    def file_ticket(self, body: dict[str, Any]) -> TicketView: ...
    def print_ticket_slip(self, ticket_no: str, *, session_id: str) -> TicketView: ...
    def lookup_ticket(self, token: str) -> TicketView: ...
    def my_tickets(self, session_id: str) -> list[TicketView]: ...
    def rating_options(self) -> RatingOptions: ...
    def rate(self, body: dict[str, Any]) -> None: ...
    def take_photo(self) -> bytes: ...
    def emergency(self) -> EmergencyInfo: ...
    def emergency_hotline(self, *, print_it: bool) -> str: ...
    def neighbour_group(self, session_id: str) -> NeighbourGroup: ...
    def emergency_checkin(self, session_id: str, task_group: str) -> Checkin: ...
    def register_need(self, body: dict[str, Any]) -> NeedView: ...
    def my_needs(self, session_id: str) -> list[NeedView]: ...
    def duty_kinds(self) -> list[DutyKind]: ...
    def volunteer_me(self, session_id: str) -> VolunteerInfo: ...
    def duty_sign_in(self, session_id: str, kind: str) -> Duty: ...
    def duty_sign_out(self, session_id: str) -> Duty: ...
    def volunteer_hours(self, session_id: str, *, print_it: bool) -> HoursRecord: ...
    def notices(self) -> list[Notice]: ...
    def components(self) -> list[Component]: ...
    def faults(self, pin: str) -> tuple[Fault, ...]: ...
    def selftest(self, component_id: str, pin: str) -> dict[str, Any]: ...
    def device_history(self, pin: str, limit: int = 40) -> list[DeviceEvent]: ...
    def inject_fault(self, device: str, fault: str, pin: str) -> None: ...
    def clear_faults(self, device: str, pin: str) -> None: ...
    def activities(self) -> list[Activity]: ...
    def sign_up(self, activity_id: str, *, session_id: str, idempotency_key: str) -> Signup: ...
    def print_signup_slip(self, signup_id: str, *, session_id: str) -> Signup: ...
    def my_signups(self, session_id: str) -> list[Signup]: ...
    def cancel_signup(self, signup_id: str, *, session_id: str) -> None: ...
    def check_in(self, token: str) -> CheckIn: ...
    def accounts_published(self) -> list[PublishingCompound]: ...
    def accounts_months(self, compound: str, *, session_id: str) -> list[str]: ...
    def accounts_month(self, compound: str, month: str, *, session_id: str) -> AccountsMonth: ...
    def print_statement(self, compound: str, month: str, *, session_id: str) -> None: ...
    def organisations(self) -> list[Organisation]: ...
    def organisation_kinds(self) -> list[OrgKind]: ...
    def file_organisation(self, body: dict[str, Any]) -> Organisation: ...
    def print_organisation_slip(self, application_no: str, *, session_id: str) -> Organisation: ...
    def my_organisations(self, session_id: str) -> list[Organisation]: ...
