"""Identify without the ID card: show the resident code (居民码) on the phone to the scanner. The
station checks it (it lives about a minute and works once) and says why when it refuses it."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_

from .scanning import ScanningScreen


class ScanResidentScreen(ScanningScreen):  # the layout is ScanningScreen's (scanning.kv)
    prompt = N_("Please open the resident code on your phone and hold it under the scanner below the screen.")
    hint = N_("The code changes every minute. If it is refused, refresh it on your phone.")
    waiting = N_("Waiting for your code…")

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Identify with your phone")

    def ways(self) -> list[tuple[str, str, Any]]:
        return [("use_card_instead", N_("Use my ID card instead"), self.flow.back)]
