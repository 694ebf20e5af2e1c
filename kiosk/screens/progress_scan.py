"""进度查询, step 1: scan the QR on the request's slip (or identify with the ID card instead)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_

from .scanning import ScanningScreen


class ProgressScanScreen(ScanningScreen):  # the layout is ScanningScreen's (scanning.kv)
    prompt = N_("Please hold the QR code on your request slip under the scanner below the screen.")
    hint = N_("No slip? Use your ID card to see all your requests.")
    waiting = N_("Waiting for your slip…")

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Check progress")

    def ways(self) -> list[tuple[str, str, Any]]:
        return [("progress_identify", N_("I have no slip: use my ID card"),
                 self.flow.progress.identify_instead)]
