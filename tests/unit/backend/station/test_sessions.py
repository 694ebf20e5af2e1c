"""The resident's session: one at a time, identified once, cleared when idle or finished."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.shared.errors import AppError
from backend.station.clock import FrozenClock
from backend.station.events import EventBus
from backend.station.services.sessions import Identity, SessionManager

ALICE = Identity(id_hash="a" * 64, id_masked="4601*************2", name="张三")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 26, 3, 0, tzinfo=UTC))


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def sessions(clock: FrozenClock, bus: EventBus) -> SessionManager:
    return SessionManager(clock=clock, idle_seconds=60, bus=bus)


def test_a_card_identifies_the_waiting_session_once(sessions: SessionManager) -> None:
    session = sessions.start("certificates")
    assert sessions.identify(ALICE) is session
    other = Identity(id_hash="b" * 64, id_masked="x", name="李四")
    assert sessions.identify(other) is None  # a second card does not take over
    assert sessions.get(session.id).identity == ALICE


def test_a_card_without_a_session_identifies_nobody(sessions: SessionManager) -> None:
    assert sessions.identify(ALICE) is None


def test_idle_session_expires_and_forgets_the_resident(sessions: SessionManager, clock: FrozenClock,
                                                       bus: EventBus) -> None:
    session = sessions.start("certificates")
    sessions.identify(ALICE)
    clock.advance(seconds=59)
    sessions.get(session.id)  # a use keeps it alive
    clock.advance(seconds=61)
    with pytest.raises(AppError) as caught:
        sessions.get(session.id)
    assert caught.value.code == "session.expired"
    assert session.identity is None
    assert bus.history()[-1].type == "session.ended" and bus.history()[-1].data["reason"] == "idle"


def test_starting_a_session_ends_the_previous_one(sessions: SessionManager) -> None:
    first = sessions.start("certificates")
    sessions.identify(ALICE)
    sessions.start("verify")
    with pytest.raises(AppError) as caught:
        sessions.get(first.id)
    assert caught.value.code == "session.not_found"
    assert first.identity is None


def test_public_view_is_masked(sessions: SessionManager) -> None:
    session = sessions.start("certificates")
    sessions.identify(ALICE)
    view = session.public()
    assert view["identity"] == {"name": "张三", "id_masked": "4601*************2", "sex": "",
                                "source": "idcard"}
    assert "id_hash" not in str(view)
