"""取件: collect a certificate staff approved — scan the QR on the application slip."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_

from .scanning import ScanningScreen


class PickupScanScreen(ScanningScreen):  # the layout is ScanningScreen's (scanning.kv)
    prompt = N_("Please hold the QR code on your application slip under the scanner below the screen.")
    hint = N_("Staff review applications in office hours. You can collect any time after that.")
    waiting = N_("Waiting for your slip…")

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Collect a certificate")
