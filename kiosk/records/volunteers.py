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


@dataclass(frozen=True)
class Choice:
    """A coded choice in both languages (a need kind, an urgency, a task group)."""

    code: str
    name: Text

    @classmethod
    def parse(cls, data: Any) -> Choice:
        data = as_object(data)
        return cls(str(required(data, "code")), Text.of(data.get("name")))


@dataclass(frozen=True)
class EmergencyInfo:
    """GET /api/emergency: whether any area of the community is in emergency mode (战时), its
    message and notices, the hotline, and the choices the emergency screens offer. Not personal."""

    active: bool
    message: Text
    notices: tuple[EmergencyNotice, ...]
    hotline: str
    task_groups: tuple[Choice, ...]
    need_kinds: tuple[Choice, ...] = ()
    urgencies: tuple[Choice, ...] = ()

    @classmethod
    def parse(cls, data: Any) -> EmergencyInfo:
        data = as_object(data)
        areas = [as_object(a) for a in data.get("areas") or ()]
        first = areas[0] if areas else {}
        notices = tuple(_notice(n) for a in areas for n in a.get("notices") or ())
        return cls(bool(data.get("active")), Text.of(first.get("message") or first.get("area_name") or {}),
                   notices, str(data.get("hotline", "")),
                   tuple(Choice.parse(g) for g in data.get("task_groups") or ()),
                   tuple(Choice.parse(k) for k in data.get("need_kinds") or ()),
                   tuple(Choice.parse(u) for u in data.get("urgencies") or ()))


@dataclass(frozen=True)
class Checkin:
    group_name: Text
    at: str

    @classmethod
    def parse(cls, data: Any) -> Checkin:
        data = as_object(data)
        return cls(Text.of(data.get("group_name")), str(required(data, "at")))


@dataclass(frozen=True)
class EmergencyNotice(Text):
    """An emergency notice as one text ("title: body", read aloud as it is) and where the station
    serves its picture (``image``: a loopback path, "" when it has none)."""

    image: str = ""

    @property
    def has_image(self) -> bool:
        return bool(self.image)


def _notice(data: Any) -> EmergencyNotice:
    """An emergency notice ({title, body} in both languages, has_image, image) as one text."""
    notice = as_object(data)
    title, body = Text.of(notice.get("title") or {}), Text.of(notice.get("body") or {})
    zh, en = (": ".join(p for p in parts if p) for parts in ((title.zh, body.zh), (title.en, body.en)))
    image = str(notice.get("image") or "") if notice.get("has_image") else ""
    return EmergencyNotice(zh, en, image if image.startswith("/api/emergency/") else "")


@dataclass(frozen=True)
class NeedView:
    """A household's registered need (物资需求) and the platform's status (待接单 / 已接单 / 已送达)."""

    need_no: str
    kind_name: Text
    urgency_name: Text
    state_words: Text
    submitted_at: str

    @classmethod
    def parse(cls, data: Any) -> NeedView:
        data = as_object(data)
        return cls(str(required(data, "need_no")), Text.of(data.get("kind_name")),
                   Text.of(data.get("urgency_name")), Text.of(data.get("state_words")),
                   str(data.get("submitted_at", "")))


@dataclass(frozen=True)
class NeighbourGroup:
    """POST /api/neighbour-group: the 邻里一家亲 group of the resident's building (its QR's text)."""

    building: str
    name: Text
    qr_text: str

    @classmethod
    def parse(cls, data: Any) -> NeighbourGroup:
        data = as_object(data)
        return cls(str(data.get("building", "")), Text.of(data.get("name")), str(required(data, "qr_text")))
