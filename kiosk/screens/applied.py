"""The application is sent: staff review it; the slip that printed has a QR to collect the
certificate here at any hour once approved (the resident is also told at the next identification)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _

from .base import KioskScreen, load_kv

load_kv(__file__)


class AppliedScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: application sent")
        self.can_back = False

    def render(self) -> None:
        application = self.flow.state.application
        self.ids.code.text = (_("Pickup code: {code}").format(code=application.pickup_code)
                              if application and application.pickup_code else "")
