"""The district's clock on the kiosk: the station's ``timezone`` setting, never the machine's zone.

The kiosk is a thin client; it learns the zone from ``GET /api/station`` (a kiosk machine left on
UTC still shows Haikou's time). Until the station answers, the default zone applies.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"


def station_zone(name: str | None) -> ZoneInfo:
    """The zone the station named; the default one if it named none or an unknown one."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def station_now(name: str | None) -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone(station_zone(name))
