"""Volunteers (志愿者签到: duties signed in and out, hours) and emergency mode (战时: the
emergency's notices and hotline, task-group check-ins, registering a household's needs)."""

from __future__ import annotations

from typing import Any, Protocol

from ..errors import BAD_RESPONSE, StationError
from ..records.volunteers import Checkin, Duty, DutyKind, EmergencyInfo, HoursRecord, NeedView, VolunteerInfo
from .transport import PRINT_TIMEOUT, Calls, as_mapping, parsed, parsed_list


class VolunteerApi(Protocol):
    def duty_kinds(self) -> list[DutyKind]: ...
    def volunteer_me(self, session_id: str) -> VolunteerInfo: ...
    def duty_sign_in(self, session_id: str, kind: str) -> Duty: ...
    def duty_sign_out(self, session_id: str) -> Duty: ...
    def volunteer_hours(self, session_id: str, *, print_it: bool) -> HoursRecord: ...
    def emergency(self) -> EmergencyInfo: ...
    def emergency_hotline(self, *, print_it: bool) -> str: ...
    def emergency_image(self, path: str) -> bytes: ...
    def emergency_checkin(self, session_id: str, task_group: str) -> Checkin: ...
    def register_need(self, body: dict[str, Any]) -> NeedView: ...
    def my_needs(self, session_id: str) -> list[NeedView]: ...


class VolunteerCalls(Calls):
    # ---- 志愿者签到 (volunteers) ----

    def duty_kinds(self) -> list[DutyKind]:
        """The duty kinds a volunteer signs in to (巡查 调解 值守 活动)."""
        body = as_mapping(self._request("GET", "/api/volunteers/options"))
        return parsed_list(DutyKind.parse, body.get("duties"))

    def volunteer_me(self, session_id: str) -> VolunteerInfo:
        """The identified volunteer and their open duty (volunteer.not_registered if not one)."""
        return parsed(VolunteerInfo.parse, self._request("POST", "/api/volunteers/me",
                                                         {"session_id": session_id}))

    def duty_sign_in(self, session_id: str, kind: str) -> Duty:
        """Begin a duty and print its slip."""
        body = self._request("POST", "/api/volunteers/sign-in",
                             {"session_id": session_id, "kind": kind, "print": True}, timeout=PRINT_TIMEOUT)
        return parsed(Duty.parse, body)

    def duty_sign_out(self, session_id: str) -> Duty:
        """End the open duty and print its slip (times and hours)."""
        body = self._request("POST", "/api/volunteers/sign-out", {"session_id": session_id, "print": True},
                             timeout=PRINT_TIMEOUT)
        return parsed(Duty.parse, body)

    def volunteer_hours(self, session_id: str, *, print_it: bool) -> HoursRecord:
        """This month's own record of hours (printed when asked)."""
        body = self._request("POST", "/api/volunteers/hours", {"session_id": session_id, "print": print_it},
                             timeout=PRINT_TIMEOUT if print_it else None)
        return parsed(HoursRecord.parse, body)

    # ---- emergency mode (战时) ----

    def emergency(self) -> EmergencyInfo:
        """Whether any area is in emergency mode: its message, notices, hotline and task groups."""
        return parsed(EmergencyInfo.parse, self._request("GET", "/api/emergency"))

    def emergency_image(self, path: str) -> bytes:
        """An emergency notice's picture (JPEG) at ``path`` on the station (EmergencyNotice.image)."""
        if not path.startswith("/api/emergency/"):
            raise StationError.local(BAD_RESPONSE, detail="not an emergency picture")
        return self._get_bytes(path, magic=b"\xff\xd8\xff")

    def emergency_hotline(self, *, print_it: bool) -> str:
        """紧急求助: the hotline to call (printed on a slip when asked)."""
        body = as_mapping(self._request("POST", "/api/emergency/hotline", {"print": print_it},
                                        timeout=PRINT_TIMEOUT if print_it else None))
        return str(body.get("hotline", ""))

    def emergency_checkin(self, session_id: str, task_group: str) -> Checkin:
        """A volunteer checks in to a task group of the emergency's command structure."""
        body = self._request("POST", "/api/emergency/checkins",
                             {"session_id": session_id, "task_group": task_group})
        return parsed(Checkin.parse, body)

    def register_need(self, body: dict[str, Any]) -> NeedView:
        """物资需求登记 (POST /api/emergency/needs; a retry with the same idempotency key returns the
        same need and prints its slip again)."""
        return parsed(NeedView.parse, self._request("POST", "/api/emergency/needs", body,
                                                    timeout=PRINT_TIMEOUT if body.get("print") else None))

    def my_needs(self, session_id: str) -> list[NeedView]:
        """The identified household's needs registered here, with their status."""
        return parsed_list(NeedView.parse, self._request("POST", "/api/emergency/needs/mine",
                                                         {"session_id": session_id}))
