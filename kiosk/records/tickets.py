"""Requests (工单) and ratings: categories and their phrases, the community's places, a ticket's
progress, the rating options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .base import Text, as_object, required


@dataclass(frozen=True)
class Phrase:
    code: str
    text: Text


@dataclass(frozen=True)
class TicketCategory:
    """One tile of the request categories' grid."""

    code: str
    name: Text
    icon: str  # image name in assets/images (without .png)
    anonymous_allowed: bool
    phrases: tuple[Phrase, ...]
    usual_reply: Text

    def phrase(self, code: str) -> Phrase | None:
        return next((p for p in self.phrases if p.code == code), None)

    @classmethod
    def parse(cls, body: Any) -> TicketCategory:
        """Parse one entry of GET /api/tickets/categories."""
        data = as_object(body)
        return cls(str(required(data, "code")), Text.of(required(data, "name")),
                   str(data.get("icon") or ""), bool(data.get("anonymous_allowed", False)),
                   tuple(Phrase(str(p["code"]), Text.of(p.get("text"))) for p in data.get("phrases") or ()),
                   Text.of(data.get("usual_reply_within")))


@dataclass(frozen=True)
class Building:
    code: str
    name: Text
    units: tuple[str, ...]


@dataclass(frozen=True)
class Landmark:
    code: str
    name: Text


@dataclass(frozen=True)
class Places:
    """Where a problem can be: the community's buildings and units, or a public-area landmark."""

    buildings: tuple[Building, ...]
    public_name: Text
    landmarks: tuple[Landmark, ...]

    def building(self, code: str) -> Building | None:
        return next((b for b in self.buildings if b.code == code), None)

    def landmark(self, code: str) -> Landmark | None:
        return next((m for m in self.landmarks if m.code == code), None)

    @classmethod
    def parse(cls, body: Any) -> Places:
        """Parse GET /api/tickets/places."""
        data = as_object(body)
        public = as_object(data.get("public") or {})
        return cls(tuple(Building(str(b["building"]), Text.of(b.get("name")),
                                  tuple(str(u) for u in b.get("units") or ()))
                         for b in data.get("buildings") or ()),
                   Text.of(public.get("name")),
                   tuple(Landmark(str(m["code"]), Text.of(m.get("name")))
                         for m in public.get("landmarks") or ()))


@dataclass(frozen=True)
class HistoryStep:
    at: str  # ISO datetime
    words: Text


@dataclass(frozen=True)
class TicketView:
    """A request's progress in plain words (POST /api/tickets, lookup, the resident's list)."""

    ticket_no: str
    category_name: Text
    place: Text
    state: str
    status_words: Text
    sent: bool
    submitted_at: str
    expected_reply_at: str
    can_rate: bool
    follow_up: bool
    history: tuple[HistoryStep, ...]
    slip_token: str = ""  # only in the answer to filing it

    @classmethod
    def parse(cls, body: Any) -> TicketView:
        data = as_object(body)
        return cls(str(required(data, "ticket_no")), Text.of(data.get("category_name")),
                   Text.of(data.get("place")), str(required(data, "state")),
                   Text.of(data.get("status_words")), bool(data.get("sent", False)),
                   str(data.get("submitted_at") or ""), str(data.get("expected_reply_at") or ""),
                   bool(data.get("can_rate", False)), bool(data.get("follow_up", False)),
                   tuple(HistoryStep(str(h.get("at") or ""), Text.of(h.get("words")))
                         for h in data.get("history") or () if isinstance(h, Mapping)),
                   str(data.get("slip_token") or ""))


@dataclass(frozen=True)
class RatingLevel:
    level: int  # 5 非常满意 … 1 非常不满意
    code: str
    name: Text


@dataclass(frozen=True)
class RatingReason:
    code: str
    name: Text
    tone: str  # good | bad


@dataclass(frozen=True)
class RatingOptions:
    levels: tuple[RatingLevel, ...]
    reasons: tuple[RatingReason, ...]
    bad_at_or_below: int

    def reasons_for(self, level: int) -> tuple[RatingReason, ...]:
        """The reasons that fit a level: what went well, or what went wrong."""
        tone = "bad" if level <= self.bad_at_or_below else "good"
        return tuple(r for r in self.reasons if r.tone == tone)

    @classmethod
    def parse(cls, body: Any) -> RatingOptions:
        """Parse GET /api/ratings/options."""
        data = as_object(body)
        levels = tuple(RatingLevel(int(v["level"]), str(v.get("code", "")), Text.of(v.get("name")))
                       for v in required(data, "levels"))
        reasons = tuple(RatingReason(str(r["code"]), Text.of(r.get("name")), str(r.get("tone", "good")))
                        for r in data.get("reasons") or ())
        return cls(levels, reasons, int(data.get("bad_at_or_below", 2)))
