"""Sync messages of volunteers and emergency mode.

Up (station outbox → platform): ``duty.started`` / ``duty.ended`` (a duty at the kiosk, with its
hours; ``forgotten`` when the station closed it at the set hour), ``need.registered`` (a household's
need in emergency mode, its phone sealed to the platform), ``group.checked_in`` (a volunteer checked
in to a task group). Down (platform changes → stations): ``volunteer`` (a register entry),
``neighbour_group`` (a building's 邻里一家亲 group QR), ``emergency`` (an area's mode),
``need`` (a need's status). Every id is made where the fact happens, so a re-sent event applies once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.shared.protocol import ChangeKind, EventType

DUTY_STARTED, DUTY_ENDED = EventType.DUTY_STARTED, EventType.DUTY_ENDED
NEED_REGISTERED, GROUP_CHECKED_IN = EventType.NEED_REGISTERED, EventType.GROUP_CHECKED_IN
VOLUNTEER, NEIGHBOUR_GROUP = ChangeKind.VOLUNTEER, ChangeKind.NEIGHBOUR_GROUP
EMERGENCY, NEED = ChangeKind.EMERGENCY, ChangeKind.NEED
HASH = r"^[0-9a-f]{64}$"
CODE = r"^[a-z_]{2,32}$"


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Lead(_Message):
    building: str = Field(min_length=1, max_length=16)
    unit: str = Field("", max_length=16)  # "" leads the whole building (楼栋长)


class VolunteerEntry(_Message):
    id_hash: str = Field(pattern=HASH)
    id_masked: str = Field(max_length=24)
    name: str = Field(max_length=64)
    employer: str = Field("", max_length=128)
    compound: str = Field("", max_length=32)
    roles: list[str] = Field(default_factory=list, max_length=8)
    leads: list[Lead] = Field(default_factory=list, max_length=32)
    task_group: str = Field("", max_length=32)
    active: bool = True


class DutyEvent(_Message):
    id: str = Field(min_length=8, max_length=64)
    volunteer_hash: str = Field(pattern=HASH)
    kind: str = Field(pattern=CODE)
    started_at: datetime
    ended_at: datetime | None = None
    minutes: int = Field(0, ge=0, le=24 * 60)
    forgotten: bool = False


class NeedRegistered(_Message):
    need_no: str = Field(min_length=8, max_length=40)
    mode_id: str = Field(max_length=36)
    kind: str = Field(pattern=CODE)
    urgency: str = Field(pattern=CODE)
    building: str = Field(max_length=16)
    unit: str = Field("", max_length=16)
    household: str = Field("", max_length=32)
    phrases: list[str] = Field(default_factory=list, max_length=12)
    owner_hash: str = Field(pattern=HASH)
    name: str = Field("", max_length=64)
    id_masked: str = Field("", max_length=24)
    contact_sealed: str | None = Field(None, max_length=4096)
    phone_masked: str = Field("", max_length=24)
    submitted_at: datetime


class CheckedIn(_Message):
    id: str = Field(min_length=8, max_length=64)
    volunteer_hash: str = Field(pattern=HASH)
    mode_id: str = Field(max_length=36)
    task_group: str = Field(pattern=CODE)
    at: datetime


class NeedStatus(_Message):
    need_no: str
    owner_hash: str
    kind: str
    urgency: str
    state: Literal["open", "taken", "delivered", "cancelled"]
    level: str
    taken_by: str = ""
    history: list[dict[str, str]] = Field(default_factory=list)
    updated_at: datetime


class EmergencyArea(_Message):
    id: str
    active: bool
    scope: Literal["community", "compound", "buildings"]
    area_name: dict[str, str]
    buildings: list[str] = Field(default_factory=list)  # empty: the whole community
    reason: str = ""
    message: dict[str, str] = Field(default_factory=dict)
    notices: list[dict[str, object]] = Field(default_factory=list)
    hotline: str = ""
    started_at: datetime
    ended_at: datetime | None = None


class NeighbourGroup(_Message):
    building: str
    name: str = ""
    qr_text: str = ""
    active: bool = True
