"""What the station says about itself: its services, community notices, and (for the maintenance
screen) its devices, their faults and history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .base import Text, as_object, required


@dataclass(frozen=True)
class Service:
    code: str
    state: str  # AVAILABLE | ACTIVE | UNAVAILABLE | SUSPENDED
    reason: str | None
    blocking: tuple[tuple[str, str], ...]
    note: str = ""  # the staff's words when they suspended the station

    @property
    def usable(self) -> bool:
        return self.state in ("AVAILABLE", "ACTIVE")


@dataclass(frozen=True)
class StationInfo:
    station_id: str
    name: Text
    community: Text
    simulated: Mapping[str, bool]
    session_idle_seconds: int
    services: tuple[Service, ...]
    card_present: bool = False  # an ID card lies on the reader (e.g. left there before a restart)
    timezone: str = ""  # the district's zone for the clock and dates ("" until the station says)

    def service(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)

    @classmethod
    def parse(cls, body: Any) -> StationInfo:
        """Parse GET /api/station."""
        data = as_object(body)
        services = tuple(
            Service(str(s["code"]), str(s["state"]), s.get("reason"),
                    tuple((str(b["component"]), str(b["code"])) for b in s.get("blocking", ())),
                    str(s.get("note") or ""))
            for s in required(data, "services"))
        return cls(str(required(data, "station_id")), Text.of(data.get("name")),
                   Text.of(as_object(data.get("community", {})).get("name")),
                   {str(k): bool(v) for k, v in as_object(data.get("simulated", {})).items()},
                   int(data.get("session_idle_seconds", 90)), services,
                   bool(data.get("card_present", False)), str(data.get("timezone") or ""))


@dataclass(frozen=True)
class Notice:
    id: str
    title: Text
    body: Text
    at: str

    @classmethod
    def parse(cls, body: Any) -> Notice:
        data = as_object(body)
        return cls(str(data.get("id", "")), Text.of(data.get("title")), Text.of(data.get("body")),
                   str(data.get("at") or ""))


@dataclass(frozen=True)
class Component:
    """A device as the maintenance screen shows it (CUSS state and status code)."""

    id: str
    kind: str
    simulated: bool
    state: str  # READY | BUSY | UNAVAILABLE
    code: str  # OK | MEDIA_EMPTY | …
    detail: str

    @classmethod
    def parse(cls, body: Any) -> Component:
        data = as_object(body)
        status = as_object(data.get("status") or {})
        return cls(str(required(data, "id")), str(data.get("kind", "")), bool(data.get("simulated")),
                   str(status.get("state", "")), str(status.get("code", "")), str(status.get("detail", "")))


@dataclass(frozen=True)
class Fault:
    """One fault of the one list (``devices.sim.faults``) a simulated device can be given."""

    device: str
    name: str
    label: Text


def parse_faults(body: Any) -> tuple[Fault, ...]:
    """Parse GET /api/maintenance/faults ({device: [{name, zh, en}]})."""
    data = as_object(body)
    return tuple(Fault(str(device), str(f["name"]), Text.of(f))
                 for device, faults in data.items() for f in faults or ())


@dataclass(frozen=True)
class DeviceEvent:
    """One line of the fault history."""

    at: str
    type: str
    severity: str
    component: str
    code: str

    @classmethod
    def parse(cls, body: Any) -> DeviceEvent:
        data = as_object(body)
        inner = as_object(data.get("data") or {})
        raw = inner.get("status")
        status: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        return cls(str(data.get("at") or ""), str(data.get("type", "")), str(data.get("severity", "")),
                   str(inner.get("id") or inner.get("source") or ""),
                   str(status.get("code") or inner.get("code") or ""))
