"""Help: how to use the station, in a few plain steps, and whom to call."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_

from .base import KioskScreen, load_kv

load_kv(__file__)


class HelpScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Help")
