"""Grassroots organisations as the station reports them (GET/POST /api/organisations…): the
approved ones with what they do and how to join, the kinds one may file, and one's own filings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Text


@dataclass(frozen=True)
class OrgKind:
    code: str  # interest | volunteer | culture | sport | mutual_aid | other
    name: Text

    @classmethod
    def parse(cls, body: Any) -> OrgKind:
        return cls(str(body["code"]), Text.of(body["name"]))


@dataclass(frozen=True)
class Organisation:
    id: str  # the application number (ZZ-…) on the slip
    name: str
    kind: str
    kind_words: Text
    state: str  # applied | more_info | approved | refused
    members: int
    activities: str
    how_to_join: str = ""
    reason: str = ""  # why more is needed, or why it was refused

    @classmethod
    def parse(cls, body: Any) -> Organisation:
        return cls(str(body["id"]), str(body["name"]), str(body["kind"]), Text.of(body.get("kind_words")),
                   str(body["state"]), int(body["members"]), str(body.get("activities") or ""),
                   str(body.get("how_to_join") or ""), str(body.get("reason") or ""))
