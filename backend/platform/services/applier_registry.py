"""What each kind of station event does on the platform: the registry's core, with no domain in it.

An applier either changes records or raises ``Rejected`` before changing anything (the event is
then kept as rejected and the batch goes on). Each domain module offers one ``Appliers`` — its
table by event type, and what it loads before a batch or holds back to write in one go — and
``services.ingest`` lists them, one line per domain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from backend.shared.protocol import OutboxEventIn

from ..db.area_models import Station

P = TypeVar("P")
M = TypeVar("M", bound=BaseModel)


class Rejected(Exception):
    """The event cannot be applied; ``reason`` is kept with it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parsed_payload(kind: type[M], event: OutboxEventIn) -> M:
    """The event's payload as ``kind``; a payload that does not validate rejects the event."""
    try:
        return kind.model_validate(event.payload)
    except ValidationError as err:
        raise Rejected(f"payload not valid: {err.errors()[0]['loc']}") from err


@dataclass
class ApplyContext:
    session: Session
    station: Station
    now: datetime
    print_failure_alert_count: int
    notes: list[dict[str, Any]] = field(default_factory=list)
    # Each domain's working state for the batch (what it prefetched, what it holds back), by its type.
    parts: dict[type, Any] = field(default_factory=dict)

    def part(self, kind: type[P]) -> P:
        """The batch's working state of one domain, made on first use."""
        if kind not in self.parts:
            self.parts[kind] = kind()
        state: P = self.parts[kind]
        return state


Applier = Callable[[ApplyContext, OutboxEventIn], None]


@dataclass(frozen=True)
class Appliers:
    """One domain's share of the registry."""

    table: Mapping[str, Applier]
    # Loads what the batch's appliers will look up, in a few queries rather than a few per event.
    prefetch: Callable[[ApplyContext, list[OutboxEventIn]], None] | None = None
    # Writes what the domain held back; run before any event of a type not in ``held``, and at the end.
    flush: Callable[[ApplyContext], None] | None = None
    held: frozenset[str] = frozenset()


class Registry:
    """The domains' tables together; an event type belongs to one domain only."""

    def __init__(self, *domains: Appliers) -> None:
        self.domains = domains
        self.table: dict[str, Applier] = {}
        for domain in domains:
            twice = self.table.keys() & domain.table.keys()
            if twice:
                raise ValueError(f"event types with two appliers: {sorted(twice)}")
            self.table.update(domain.table)

    def get(self, event_type: str) -> Applier | None:
        return self.table.get(event_type)

    def prefetch(self, ctx: ApplyContext, events: list[OutboxEventIn]) -> None:
        for domain in self.domains:
            if domain.prefetch is not None:
                domain.prefetch(ctx, events)

    def flush(self, ctx: ApplyContext, *, before: str | None = None) -> None:
        """Write what domains held back (before an event of ``before``'s type: those not holding it)."""
        for domain in self.domains:
            if domain.flush is not None and before not in domain.held:
                domain.flush(ctx)


def require(payload: dict[str, Any], *names: str) -> list[Any]:
    """The named payload values, or ``Rejected`` naming the missing ones."""
    missing = [n for n in names if n not in payload]
    if missing:
        raise Rejected(f"payload lacks {', '.join(missing)}")
    return [payload[n] for n in names]


def when(value: Any) -> datetime:
    """A payload timestamp, or ``Rejected``."""
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as err:
        raise Rejected("bad timestamp") from err
