"""小区议事堂: the council's categories and a compound's proposals, as the station returns them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Text


@dataclass(frozen=True)
class CouncilCategory:
    code: str
    name: Text

    @classmethod
    def parse(cls, body: Any) -> CouncilCategory:
        return cls(str(body["code"]), Text.of(body["name"]))


@dataclass(frozen=True)
class Proposal:
    """One proposal: its support against the threshold, state, meeting and decision."""

    id: str
    compound: str
    category: str
    title: str
    text: str
    state: str  # open | agenda | decided | declined
    state_words: Text
    supporters: int
    threshold: int
    decision: str
    meeting: str  # "when · where" once the council meets on it
    supported: bool  # the resident's household supports it (only in the resident's own list)

    @property
    def number(self) -> str:
        """The short number a resident can quote (the first part of its id)."""
        return self.id.split("-")[0].upper()

    @classmethod
    def parse(cls, body: Any) -> Proposal:
        meeting = body.get("meeting") or {}
        met = " · ".join(str(meeting[k]) for k in ("at", "place") if meeting.get(k))
        return cls(str(body["id"]), str(body.get("compound") or ""), str(body.get("category") or ""),
                   str(body["title"]), str(body.get("text") or ""), str(body["state"]),
                   Text.of(body.get("state_words")), int(body["supporters"]), int(body["threshold"]),
                   str(body.get("decision") or ""), met, bool(body.get("supported", False)))


@dataclass(frozen=True)
class CompoundProposals:
    """GET /api/council/mine: the resident's compound ("" when none) and its proposals."""

    compound: str
    name: Text
    proposals: tuple[Proposal, ...]

    @classmethod
    def parse(cls, body: Any) -> CompoundProposals:
        return cls(str(body["compound"]), Text.of(body.get("name")),
                   tuple(Proposal.parse(p) for p in body["proposals"]))
