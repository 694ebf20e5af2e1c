"""The district's local time: the one seam every date a person reads goes through.

Times are stored and exchanged in UTC. Whatever a person reads (kiosk screens, receipts, the A4
PDF, the verify page, the console, exports, Open311) is shown in the deployment's ``timezone``
setting (``KIOSK_TIMEZONE``, default ``Asia/Shanghai``), never in the machine's own zone: a kiosk
whose OS clock is set to UTC still shows Haikou's time.

Each process configures the zone once at start (:func:`configure`); library code asks
:func:`zone` rather than reading the OS.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.shared.errors import AppError, define

DEFAULT_TIMEZONE = "Asia/Shanghai"

UNKNOWN_TIMEZONE = define(
    "settings.timezone_unknown", 422,
    "时区设置无效：请使用 IANA 时区名称，例如 Asia/Shanghai。",
    "Unknown time zone: use an IANA zone name such as Asia/Shanghai.",
)

_zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)


def parse_zone(name: str) -> ZoneInfo:
    """The zone called ``name``; an :class:`AppError` with a stable code if there is none."""
    cleaned = (name or "").strip()
    # ZoneInfo also accepts file-system paths; only plain IANA names are settings.
    if not cleaned or cleaned.startswith(("/", ".")) or ".." in cleaned:
        raise AppError(UNKNOWN_TIMEZONE, detail=repr(name))
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise AppError(UNKNOWN_TIMEZONE, detail=repr(name)) from exc


def checked_name(name: str) -> str:
    """A settings validator: the name back if it is a known zone (raises ``ValueError`` else)."""
    try:
        return parse_zone(name).key
    except AppError as exc:
        raise ValueError(f"{exc.code}: {exc.spec.en} / {exc.spec.zh} ({name!r})") from exc


def configure(name: str) -> ZoneInfo:
    """Set this process's local zone (called once at start from the settings)."""
    global _zone
    _zone = parse_zone(name)
    return _zone


def zone() -> ZoneInfo:
    """The configured local zone."""
    return _zone


def to_local(moment: datetime) -> datetime:
    """``moment`` in the local zone; a naive value is UTC (how the databases store it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone)


def now_local() -> datetime:
    return datetime.now(UTC).astimezone(_zone)


def local_date(moment: datetime) -> date:
    """The calendar date a person in the district sees at ``moment``."""
    return to_local(moment).date()


def local_text(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return to_local(moment).strftime(fmt)


def iso_local(moment: datetime) -> str:
    """ISO 8601 with the local offset, e.g. ``2026-03-04T09:30:00+08:00``."""
    return to_local(moment).isoformat(timespec="seconds")


def end_of_local_day(day: date) -> datetime:
    """The last second of ``day`` in the district, in UTC (how it is stored and signed)."""
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=_zone)
    return (midnight - timedelta(seconds=1)).astimezone(UTC)


def valid_until(issued_at: datetime, days: int) -> datetime:
    """When a document issued at ``issued_at`` for ``days`` days stops being valid.

    The validity is decided once, as a local date (the issue day in the district plus ``days``),
    and lasts to the end of that day: screen, receipt, PDF, token and verify page all read the
    same date from this one instant.
    """
    return end_of_local_day(local_date(issued_at) + timedelta(days=days))
