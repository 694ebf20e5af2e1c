"""Ticket numbers, made where the ticket is filed (offline at a station, or on the platform):

    GD-<yymmdd>-<community code>-<station code>-<nnnn>     e.g. GD-261126-460107002001-S01-0007
    GD-<yymmdd>-<district code>-API-<nnnn>                  filed through Open311 or by staff

Unique because station codes are unique within a community and each source numbers its own day;
only upper-case letters, digits and '-', so the QR stays in alphanumeric mode.
"""

from __future__ import annotations

import re
from datetime import date

PATTERN = re.compile(r"^GD-\d{6}-\d{6,12}-(S\d{2,3}|API)-\d{4,6}$")


def station_ticket_no(day: date, *, community_code: str, station_code: str, seq: int) -> str:
    return f"GD-{day:%y%m%d}-{community_code}-{station_code}-{seq:04d}"


def platform_ticket_no(day: date, *, district_code: str, seq: int) -> str:
    return f"GD-{day:%y%m%d}-{district_code}-API-{seq:04d}"


def is_ticket_no(text: str) -> bool:
    return bool(PATTERN.fullmatch(text))


def source_of(ticket_no: str) -> tuple[str, str]:
    """(area code, source code) of a ticket number: (community, station code) or (district, API)."""
    parts = ticket_no.split("-")
    return parts[2], parts[3]
