"""Escalation of unacknowledged critical alerts (community → street → district), and a guard
that keeps resident data out of every message."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

DEFAULT_ESCALATE_AFTER = timedelta(minutes=15)

# 18-character ID numbers (last may be X) and mainland mobile numbers, wherever they appear.
_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


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


def scrub(text: str) -> str:
    """Mask any ID number or mobile number that slipped into a message."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
