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
class SessionInfo:
    id: str
    service: str
    identity: Identity | None
    outcomes: tuple[Outcome, ...] = ()

    @classmethod
    def parse(cls, body: Any) -> SessionInfo:
        """Parse a session (POST /api/sessions, GET /api/sessions/{id}, session.identified)."""
        data = as_object(body)
        identity = data.get("identity")
        outcomes = tuple(Outcome(str(o.get("type_code", "")), str(o.get("state", "")),
                                 str(o.get("reason") or ""))
                         for o in data.get("outcomes") or () if isinstance(o, Mapping))
        return cls(str(required(data, "id")), str(data.get("service", "")),
                   Identity.parse(identity) if identity else None, outcomes)
