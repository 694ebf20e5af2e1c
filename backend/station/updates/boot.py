"""The station's updater as the station builds it, and what it does before the database opens:
a rolled-back update's backup goes back in place."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from backend.shared.tokens.signing import KeySet

from . import journal
from .updater import INSTALLERS, Updater

if TYPE_CHECKING:
    from ..settings import StationSettings

Report = Callable[[str, dict[str, Any]], None]


def finish_rollback(settings: StationSettings) -> str:
    """Before the database opens: a rolled-back update's backup goes back in place."""
    if settings.update_root is None:
        return "off"
    return station_updater(settings, trusted=KeySet).on_start()


def running_version(settings: StationSettings) -> str | None:
    return journal.current_version(settings.update_root) if settings.update_root else None


def station_updater(settings: StationSettings, *, trusted: Any, report: Report | None = None) -> Updater:
    """The updater of this station's release folders; ``report`` records its outcomes."""
    assert settings.update_root is not None
    return Updater(settings.update_root, database=settings.data_dir / "station.db",
                   backups=settings.data_dir / "backups", trusted=trusted,
                   installer=INSTALLERS[settings.update_installer],
                   report=report or _no_report, restart=restart_process)


def _no_report(kind: str, payload: dict[str, Any]) -> None:
    raise RuntimeError("reporting before the station runs")


def restart_process() -> None:
    os.kill(os.getpid(), signal.SIGTERM)
