"""Done: the certificate's serial, where to take it, a second QR to take the A4 copy on a phone
(or, plainly, why there is none yet), and a countdown to the rating screen."""

from __future__ import annotations

import math
from typing import Any

from kiosk.i18n import N_, _, translator

from .base import KioskScreen, load_kv

load_kv(__file__)


class DoneScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: done")
        self.can_back = False
        self._qr: str | None = None

    def render(self) -> None:
        state = self.flow.state
        certificate = state.certificate
        self.ids.serial.text = (_("Certificate No. {serial}").format(serial=certificate.serial)
                                if certificate else "")
        self.ids.valid_until.text = (_("Valid until {date}").format(date=certificate.expires_at[:10])
                                     if certificate else "")
        link = state.phone_link
        url = link.url if link is not None and link.available else None
        if url != self._qr:
            self._qr = url
            self.ids.phone_qr.show_qr(url)
        self.ids.phone_box.size_hint_x = 0.3 if url else 0.001
        self.ids.phone_box.opacity = 1 if url else 0
        if url:
            self.ids.phone_note.text = _("To keep a copy on your phone, scan this code within 10 minutes.")
        elif link is not None:
            why = translator.pick(link.message) or _("A copy for your phone cannot be made just now.")
            self.ids.phone_note.text = _("Copy for your phone: {why}").format(why=why)
        else:
            self.ids.phone_note.text = ""
        self.tick()

    def tick(self) -> None:
        remaining = self.flow.timers.auto_remaining()
        seconds = math.ceil(remaining) if remaining is not None else 0
        self.ids.countdown.text = _("This screen moves on in {seconds} s").format(seconds=seconds)
