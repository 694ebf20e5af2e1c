"""What the station reports about itself besides its devices: its storage and its clock, as two
more components of the heartbeat, so the platform opens (and clears) alerts for them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from backend.shared.protocol import ComponentReport

if TYPE_CHECKING:
    from ..runtime import StationRuntime

log = logging.getLogger(__name__)


def station_components(runtime: StationRuntime) -> list[ComponentReport]:
    reports = []
    guard = runtime.storage
    if guard is not None:
        storage = guard.report()
        reports.append(ComponentReport(id="storage", kind="storage", state=storage.state, code=storage.code,
                                       detail=storage.detail))
    skew = runtime.clock_skew_seconds
    if skew is not None:
        reports.append(clock_report(skew, runtime.settings.clock_skew_alert_seconds))
    return reports


def clock_report(skew: float, limit: int) -> ComponentReport:
    """The clock as a component: off by more than ``limit`` seconds from the platform's is a fault."""
    direction = "behind" if skew > 0 else "ahead of"
    detail = f"{abs(skew):.0f} s {direction} the platform's clock"
    code = "HARDWARE_ERROR" if abs(skew) > limit else "OK"
    return ComponentReport(id="clock", kind="clock", state="READY", code=code, detail=detail)


def note_clock_skew(runtime: StationRuntime, skew: float | None) -> None:
    """Remember the skew measured on the last sync; log when it crosses the limit either way."""
    if skew is None:
        return
    limit = runtime.settings.clock_skew_alert_seconds
    before = runtime.clock_skew_seconds
    runtime.clock_skew_seconds = skew
    was_off, is_off = before is not None and abs(before) > limit, abs(skew) > limit
    if is_off and not was_off:
        log.warning("the kiosk's clock is %.0f s off the platform's (limit %d s): check NTP / the RTC",
                    abs(skew), limit)
    elif was_off and not is_off:
        log.info("the kiosk's clock agrees with the platform's again (%.0f s off)", abs(skew))
