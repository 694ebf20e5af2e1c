"""Possible duplicates: tickets of the same category about the same place within a few days,
ranked by how alike their words are. Staff decide; nothing is merged automatically."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from .dispatch import Place


@dataclass(frozen=True)
class DuplicateCandidate:
    ticket_no: str
    category: str
    place: Place
    received_at: datetime
    text: str


def place_key(place: Place) -> str:
    """A key that is equal for two places residents would call the same."""
    if place.kind == "building":
        return f"building:{place.building}:{place.unit}"
    if place.landmark:
        return f"landmark:{place.landmark}"
    if place.kind == "address" and place.building:
        return "address:" + "".join(unicodedata.normalize("NFKC", place.building).casefold().split())
    return "public"


def similarity(first: str, second: str) -> float:
    """Jaccard similarity of the two texts' character bigrams (0 to 1)."""
    a, b = _bigrams(first), _bigrams(second)
    return len(a & b) / len(a | b) if a | b else 0.0


def _bigrams(text: str) -> set[str]:
    normal = "".join(unicodedata.normalize("NFKC", text).casefold().split())
    return {normal[i:i + 2] for i in range(len(normal) - 1)}


def possible_duplicates(target: DuplicateCandidate, others: list[DuplicateCandidate], *,
                        window_days: int) -> list[tuple[DuplicateCandidate, float]]:
    """Others of the same category and place within the window, most alike first."""
    window = timedelta(days=window_days)
    key = place_key(target.place)
    found = [(other, round(similarity(target.text, other.text), 3)) for other in others
             if other.ticket_no != target.ticket_no and other.category == target.category
             and place_key(other.place) == key and abs(other.received_at - target.received_at) <= window]
    return sorted(found, key=lambda pair: (-pair[1], abs(pair[0].received_at - target.received_at)))
