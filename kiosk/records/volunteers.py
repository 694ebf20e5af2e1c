"""志愿者签到: what the station says about volunteers (``/api/volunteers/*``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .base import Text, as_object, required


@dataclass(frozen=True)
class DutyKind:
    code: str
    name: Text

    @classmethod
    def parse(cls, data: Any) -> DutyKind:
        data = as_object(data)
        return cls(str(required(data, "code")), Text.of(data.get("name")))


@dataclass(frozen=True)
class Duty:
    """One duty: its kind, local times, hours, and the slip's lines."""

    id: str
    kind: str
    kind_name: Text
    started_at: str
    ended_at: str | None
    hours: float
    forgotten: bool
    slip: tuple[str, ...]

    @classmethod
    def parse(cls, data: Any) -> Duty:
        data = as_object(data)
        ended = data.get("ended_at")
        return cls(str(required(data, "id")), str(required(data, "kind")), Text.of(data.get("kind_name")),
                   str(required(data, "started_at")), str(ended) if ended else None,
                   float(data.get("hours", 0)), bool(data.get("forgotten", False)),
                   tuple(str(line) for line in data.get("slip") or ()))


@dataclass(frozen=True)
class VolunteerInfo:
    """The identified volunteer (masked ID) and their open duty, if any."""

    name: str
    id_masked: str
    open_duty: Duty | None

    @classmethod
    def parse(cls, data: Any) -> VolunteerInfo:
        data = as_object(data)
        volunteer: Mapping[str, Any] = as_object(required(data, "volunteer"))
        duty = data.get("open_duty")
        return cls(str(required(volunteer, "name")), str(volunteer.get("id_masked", "")),
                   Duty.parse(duty) if duty else None)


@dataclass(frozen=True)
class HoursRecord:
    month: str
    hours: float
    duties: int
    slip: tuple[str, ...]

    @classmethod
    def parse(cls, data: Any) -> HoursRecord:
        data = as_object(data)
        return cls(str(required(data, "month")), float(data.get("hours", 0)), len(data.get("duties") or ()),
                   tuple(str(line) for line in data.get("slip") or ()))
