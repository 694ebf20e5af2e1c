"""What stations and the platform tell each other about tickets and ratings (inside the sync
protocol's events and changes), checked on arrival like every other input.

    station → platform   ticket.submitted (TicketSubmitted), rating.submitted (RatingSubmitted)
    platform → station   change kind "ticket", key = ticket number (TicketStatus)
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.shared.protocol import EventType

TICKET_SUBMITTED = EventType.TICKET_SUBMITTED
RATING_SUBMITTED = EventType.RATING_SUBMITTED
MAX_PHOTO_BASE64 = 400_000  # about 300 KB of JPEG


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlaceIn(_Message):
    kind: Literal["building", "public", "address"]
    building: str = Field("", max_length=64)  # for "address": the address text
    unit: str = Field("", max_length=16)
    landmark: str = Field("", max_length=32)


class ResidentRef(_Message):
    """Who filed an identified ticket: never the ID number itself."""

    id_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    id_masked: str = Field(max_length=24)
    name: str = Field(max_length=64)


class TicketSubmitted(_Message):
    ticket_no: str = Field(max_length=40)
    category: str = Field(max_length=32)
    chosen_category: str = Field(max_length=32)
    suggested_grade: str = Field(max_length=16)
    place: PlaceIn
    phrases: list[str] = Field(default_factory=list, max_length=12)
    free_text: str = Field("", max_length=4000)
    description: str = Field(max_length=4000)
    confidential: bool = False
    anonymous: bool = False
    resident: ResidentRef | None = None
    contact_sealed: str | None = Field(None, max_length=2000)
    phone_masked: str = Field("", max_length=24)
    photo_jpeg: str | None = Field(None, max_length=MAX_PHOTO_BASE64)  # base64
    submitted_at: datetime
    expected_reply_at: datetime


class RatingSubmitted(_Message):
    """A rating, anonymous: it names the service, never the resident."""

    target_kind: Literal["ticket", "certificate"]
    target_id: str = Field(max_length=64)
    level: int = Field(ge=1, le=5)
    reasons: list[str] = Field(default_factory=list, max_length=10)
    follow_up: bool = False
    rated_at: datetime
    type_code: str = Field("", max_length=32)  # for a certificate: its type


class HistoryEntry(_Message):
    at: datetime
    action: str
    state: str
    words: dict[str, str]  # zh, en: what happened, in plain words


class TicketStatus(_Message):
    ticket_no: str
    state: str
    status_words: dict[str, str]
    category: str
    grade: str | None = None
    closure: str | None = None
    reply_due: datetime | None = None
    rectify_due: datetime | None = None
    can_rate: bool = False
    follow_up: bool = False  # the next rating is the follow-up one (追评)
    owner_hash: str | None = None  # the identified resident's keyed ID hash, for 进度查询
    history: list[HistoryEntry]
    updated_at: datetime
