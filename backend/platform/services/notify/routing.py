"""Who is told about an alert: area subtree and minimum severity, grouping, quiet hours.

Generic over alert kinds: a new kind (crash loop, low disk, clock skew …) routes by its
severity and its station's area path without any change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}


@dataclass(frozen=True)
class ChannelRule:
    """The routing part of a channel."""

    id: int
    area_code: str
    min_severity: str


def receives(rule: ChannelRule, *, area_path: list[str], severity: str) -> bool:
    """A channel gets its area's alerts and every area below it, at or above its severity."""
    in_subtree = rule.area_code in area_path
    return in_subtree and SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK[rule.min_severity]


def route(rules: list[ChannelRule], *, area_path: list[str], severity: str) -> list[ChannelRule]:
    """Every channel that receives the alert."""
    return [rule for rule in rules if receives(rule, area_path=area_path, severity=severity)]


def group_key(*, kind: str, area_path: list[str], opened_at: datetime, window: timedelta) -> str:
    """Same cause, same street, same window → one message (20 kiosks offline is one outage).

    ``area_path`` runs district → street → community; the street is its second code.
    """
    street = area_path[1] if len(area_path) > 1 else (area_path[0] if area_path else "")
    bucket = int(opened_at.timestamp() // window.total_seconds())
    return f"{kind}:{street}:{bucket}"


def held_until(
    local_now: datetime, *, severity: str, quiet_start: time, quiet_end: time
) -> datetime | None:
    """When a message held by quiet hours may go; None sends now. Critical is never held."""
    if severity == "critical" or quiet_start == quiet_end:
        return None
    clock = local_now.time()
    overnight = quiet_start > quiet_end
    quiet = (clock >= quiet_start or clock < quiet_end) if overnight else quiet_start <= clock < quiet_end
    if not quiet:
        return None
    release = local_now.replace(hour=quiet_end.hour, minute=quiet_end.minute, second=0, microsecond=0)
    return release if release > local_now else release + timedelta(days=1)
