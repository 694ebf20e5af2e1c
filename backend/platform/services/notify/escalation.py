"""Escalation of unacknowledged critical alerts (community → street → district), and a guard
that keeps resident data out of every message."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.shared.redact import scrub

__all__ = ["DEFAULT_ESCALATE_AFTER", "escalation_level", "scrub"]

DEFAULT_ESCALATE_AFTER = timedelta(minutes=15)


def escalation_level(
    *, area_path: list[str], opened_at: datetime, acknowledged_at: datetime | None, now: datetime,
    severity: str, after: timedelta = DEFAULT_ESCALATE_AFTER,
) -> str | None:
    """The area whose channels should now hear of the alert; None while no escalation is due.

    ``area_path`` runs district → street → community; each ``after`` unacknowledged moves one
    level up until the district.
    """
    if severity != "critical" or acknowledged_at is not None or not area_path:
        return None
    steps = int((now - opened_at) / after)
    if steps <= 0:
        return None
    index = max(len(area_path) - 1 - steps, 0)
    return area_path[index]

