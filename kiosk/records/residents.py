"""A session and the resident it identified (with the decisions staff made on their applications)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .base import as_object, required


@dataclass(frozen=True)
class Identity:
    """The identified resident as the station shows it: masked and minimal."""

    name: str
    id_masked: str
    sex: str
    source: str

    @classmethod
    def parse(cls, body: Any) -> Identity:
        data = as_object(body)
        return cls(str(required(data, "name")), str(required(data, "id_masked")),
                   str(data.get("sex", "")), str(data.get("source", "")))


@dataclass(frozen=True)
class Outcome:
    """A decision on one of the resident's applications they have not been told yet."""

    type_code: str
    state: str  # approved | rejected
    reason: str

    @property
    def approved(self) -> bool:
        return self.state == "approved"


@dataclass(frozen=True)
class Promotion:
    """A sign-up moved up from an activity's waiting list that the resident has not been told of
    (the station tells each once: it marks it told when it reports it at identification)."""

    signup_id: str
    title: str
    starts_at: str  # ISO, local

    @property
    def when(self) -> str:
        """The local date and time ("2027-02-12T09:00:00+08:00" -> "2027-02-12 09:00")."""
        return f"{self.starts_at[:10]} {self.starts_at[11:16]}".strip()


PROMOTED = "activity.promoted"


@dataclass(frozen=True)
class SessionInfo:
    id: str
    service: str
    identity: Identity | None
    outcomes: tuple[Outcome, ...] = ()
    promotions: tuple[Promotion, ...] = ()

    @classmethod
    def parse(cls, body: Any) -> SessionInfo:
        """Parse a session (POST /api/sessions, GET /api/sessions/{id}, session.identified)."""
        data = as_object(body)
        identity = data.get("identity")
        told = [o for o in data.get("outcomes") or () if isinstance(o, Mapping)]
        outcomes = tuple(Outcome(str(o.get("type_code", "")), str(o.get("state", "")),
                                 str(o.get("reason") or ""))
                         for o in told if o.get("kind") != PROMOTED)
        promotions = tuple(Promotion(str(o.get("signup_id", "")), str(o.get("title", "")),
                                     str(o.get("starts_at", "")))
                           for o in told if o.get("kind") == PROMOTED)
        return cls(str(required(data, "id")), str(data.get("service", "")),
                   Identity.parse(identity) if identity else None, outcomes, promotions)
