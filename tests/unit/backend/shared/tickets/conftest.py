"""The shipped ticket data and a helper for local (Beijing) times."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from backend.shared.tickets.config import TicketConfig, load_ticket_config

BEIJING = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Beijing time."""
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


@pytest.fixture(scope="session")
def config() -> TicketConfig:
    return load_ticket_config()
