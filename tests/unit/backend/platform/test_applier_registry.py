"""The applier registry's core: one applier per event type, and held-back writes flushed before
any event of a type the domain does not hold back."""

from __future__ import annotations

from typing import Any

import pytest

from backend.platform.services import ingest
from backend.platform.services.applier_registry import Appliers, ApplyContext, Registry
from backend.shared.protocol import EventType, OutboxEventIn


def _noop(ctx: ApplyContext, event: OutboxEventIn) -> None:
    return None


def test_an_event_type_with_two_appliers_is_refused() -> None:
    with pytest.raises(ValueError, match=r"component\.status"):
        Registry(Appliers({EventType.COMPONENT_STATUS: _noop}), Appliers({EventType.COMPONENT_STATUS: _noop}))


def test_held_writes_wait_for_their_own_types_only() -> None:
    flushed: list[Any] = []
    registry = Registry(Appliers({"a.held": _noop, "a.other": _noop}, flush=flushed.append,
                                 held=frozenset({"a.held"})))
    ctx: Any = object()
    registry.flush(ctx, before="a.held")
    assert flushed == []
    registry.flush(ctx, before="a.other")
    registry.flush(ctx)
    assert flushed == [ctx, ctx]


def test_the_platform_registry_covers_every_event_the_platform_applies() -> None:
    assert set(ingest.APPLIERS.table) == {
        EventType.CERTIFICATE_ISSUED, EventType.CERTIFICATE_PRINTED, EventType.CERTIFICATE_PRINT_FAILED,
        EventType.CERTIFICATE_EXPIRED, EventType.COMPONENT_STATUS, EventType.SERVICE_STATE,
        EventType.COMMAND_RESULT, EventType.APPLICATION_SUBMITTED, EventType.APPLICATION_DECIDED,
        EventType.APPLICATION_PLATFORM_DECISION, EventType.UPDATE_DONE, EventType.UPDATE_FAILED,
        "ticket.submitted", "rating.submitted",
        EventType.DUTY_STARTED, EventType.DUTY_ENDED, EventType.NEED_REGISTERED, EventType.GROUP_CHECKED_IN,
        EventType.SIGNUP_MADE, EventType.SIGNUP_CANCELLED, EventType.SIGNUP_CHECKED_IN,
        EventType.PROPOSAL_RAISED, EventType.PROPOSAL_SUPPORTED, EventType.ORGANISATION_FILED}
