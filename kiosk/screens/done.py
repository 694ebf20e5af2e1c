"""Done: the certificate's serial, where to take it, and a countdown home."""

from __future__ import annotations

import math
from typing import Any

from kiosk.i18n import N_, _

from .base import KioskScreen, load_kv

load_kv(__file__)


class DoneScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: done")
        self.can_back = False

    def render(self) -> None:
        certificate = self.flow.state.certificate
        self.ids.serial.text = (_("Certificate No. {serial}").format(serial=certificate.serial)
                                if certificate else "")
        self.ids.valid_until.text = (_("Valid until {date}").format(date=certificate.expires_at[:10])
                                     if certificate else "")
        self.tick()

    def tick(self) -> None:
        remaining = self.flow.auto_remaining()
        seconds = math.ceil(remaining) if remaining is not None else 0
        self.ids.countdown.text = _("Back to the home screen in {seconds} s").format(seconds=seconds)
